"""Where the bundled data lives: `content/`, `templates/` and the example profiles.

An installed package (wheel, sdist, pipx) carries them inside itself as generator/content/,
generator/templates/ and generator/company_profiles/ (see [tool.setuptools] in pyproject.toml).
A checkout and an editable install have no such folders: the data is read from the repository's
top-level folders, so an edit there takes effect without reinstalling.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent  # the repository in a checkout; only a checkout has its mkdocs.yml and tests


def _data(name: str) -> Path:
    """The installed package's copy of a data folder if there is one, else the repository's."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else ROOT / name


CONTENT = _data("content")
STANDARD = CONTENT / "standard"
DOCUMENTS = CONTENT / "documents"
SITE_CONTENT = CONTENT / "site"
PAGES = CONTENT / "pages"  # the site's page templates
TEMPLATES = _data("templates")
REFERENCE_DOCX = TEMPLATES / "docx" / "reference.docx"
EXAMPLES = _data("company_profiles")  # the example profiles; `aftersales init` starts from one
