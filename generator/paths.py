"""Where the bundled data lives: the project's `content/` and `templates/` folders."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
STANDARD = CONTENT / "standard"
DOCUMENTS = CONTENT / "documents"
SITE_CONTENT = CONTENT / "site"
TEMPLATES = ROOT / "templates"
REFERENCE_DOCX = TEMPLATES / "docx" / "reference.docx"
