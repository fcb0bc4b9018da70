"""Files from the rendered documents: DOCX, the MkDocs site, Excel workbooks, and the output folder the tool owns."""
