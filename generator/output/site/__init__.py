"""The company's MkDocs site: pages, the project, its hooks and the live preview."""
