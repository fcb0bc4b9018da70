"""The documents as Markdown: Jinja templates in a sandbox, profile values as literal text, clause tags, traceability, figures as data."""
