"""The reference template (templates/docx/reference.docx), opened with python-docx once per process.

It is checked before any document is written: every style the documents use (`STYLES`) must be
there, and the List Number style must have a numbering definition (each ordered list restarts it).
A template that fails a check is a clear error naming what is missing. Each document then starts
as a fresh python-docx document opened from the template's bytes, held in memory.
"""
from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE

from generator.errors import CatalogueError
from generator.paths import REFERENCE_DOCX

# Style names the documents use, by role; a name with {level} stands for each level in `LEVELS`.
STYLES = {
    "body": "Body Text", "plain": "Normal", "bullet": "List Bullet", "number": "List Number",
    "heading": "Heading {level}", "title": "Title", "subtitle": "Subtitle", "table": "Table Grid",
    "table_text": "Table Text", "clause": "Clause Tag", "toc_heading": "TOC Heading",
    "toc": "toc {level}", "cover_company": "Cover Company", "cover_meta": "Cover Meta",
    "header": "Header Text", "footer": "Footer Text", "caption": "Caption",
}
LEVELS = {"heading": (1, 2, 3, 4), "toc": (1, 2)}
DEFAULT_TEXT_WIDTH = 11906 - 2 * 1440  # twips: A4 with Word's default margins, if the template says none


@dataclass(frozen=True)
class Template:
    """What the writer takes from the reference template: style ids, the text width and the
    numbering of the List Number style; `new_document()` is a fresh document on it."""

    path: Path
    source: bytes
    style_ids: dict[str, str]  # style name (lower case) → style id
    text_width: int  # twips between the margins
    list_number_abstract: int  # the abstract numbering definition of the List Number style

    def style(self, role: str, level: int = 0) -> str:
        """The style id of a role in `STYLES` (at a level, for headings and TOC entries)."""
        return self.style_ids[STYLES[role].format(level=level).lower()]

    def new_document(self) -> Document:
        return docx.Document(io.BytesIO(self.source))


@functools.lru_cache(maxsize=2)
def reference_template(path: Path = REFERENCE_DOCX) -> Template:
    """The template at `path`, opened and checked once per process."""
    source = path.read_bytes()
    document = docx.Document(io.BytesIO(source))
    style_ids = {style.name.lower(): style.style_id for style in document.styles if style.name}
    missing = sorted(name for name in _wanted_styles() if name.lower() not in style_ids)
    if missing:
        raise CatalogueError(f"参考模板 {path} 缺少样式：{'、'.join(missing)}"
                             "（在 Word 中补上这些样式，或用 tools/make_reference_docx.py 重新生成参考模板）")
    return Template(path, source, style_ids, _text_width(document), _list_number_abstract(document, path))


def _wanted_styles() -> list[str]:
    names = []
    for role, name in STYLES.items():
        names += [name.format(level=level) for level in LEVELS[role]] if role in LEVELS else [name]
    return names


def _text_width(document: Document) -> int:
    """Twips between the margins of the template's last section."""
    section = document.sections[-1]
    if section.page_width is None:
        return DEFAULT_TEXT_WIDTH
    return int((section.page_width - (section.left_margin or 0) - (section.right_margin or 0)) / 635)


def _list_number_abstract(document: Document, path: Path) -> int:
    name = STYLES["number"]
    style = next(s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH and s.name.lower() == name.lower())
    num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
    try:
        return document.part.numbering_part.element.num_having_numId(num_pr.numId.val).abstractNumId.val
    except (AttributeError, KeyError, NotImplementedError):  # no numPr or numId; no such w:num; no numbering part
        raise CatalogueError(f"参考模板 {path} 的样式 {name} 没有编号定义"
                             "（在 Word 中为该样式设置编号，或用 tools/make_reference_docx.py 重新生成参考模板）") from None
