"""Markdown → DOCX on the reference template (templates/docx/reference.docx).

Three parts, each on its own: `template` opens and checks the reference template once per
process; `body` writes the body's XML from markdown-it's token stream, one method per token type;
`package` assembles the package with python-docx (sections, header and footer, numbering,
relationships, images and native charts, core properties) and gives its bytes. Around the body
`furniture` puts a cover page and, for long documents, a table of contents; `numbering` gives a
numbered document's headings Word's list numbering.

The same input gives the same bytes: every date in the package (core properties, zip entries)
is the document's issue date.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from generator.output.docx import furniture
from generator.output.docx.body import BodyWriter, parse
from generator.output.docx.furniture import Heading
from generator.output.docx.numbering import add_heading_lists
from generator.output.docx.package import Package
from generator.output.docx.template import reference_template
from generator.paths import REFERENCE_DOCX
from generator.render.figures import Figure

UNDATED = dt.date(2000, 1, 1)  # the date of a document that gives none (md2docx)


@dataclass(frozen=True)
class DocxMeta:
    """What the writer needs besides the Markdown: cover, header and core properties."""

    title: str
    company: str
    short_name: str
    number: str
    version: str
    cover_rows: list[tuple[str, str]] = field(default_factory=list)
    clause_titles: dict[str, str] = field(default_factory=dict)
    toc: bool = False
    numbered: bool = False  # headings numbered by Word's list numbering (their typed numbers left out)
    chapter_breaks: bool = True  # each level-1 heading starts a new page
    issued: dt.date | None = None  # the document's date: core properties and zip entry times
    date_text: str = ""


@dataclass(frozen=True)
class Written:
    """A DOCX package and the headings its contents list (for a layout pass to find their pages)."""

    data: bytes
    contents: list[Heading]


def write_docx(markdown: str | Sequence[Token], meta: DocxMeta, images: dict[str, bytes] | None = None,
               figures: dict[str, Figure] | None = None, *, reference: Path = REFERENCE_DOCX,
               pages: dict[str, int] | None = None) -> bytes:
    """The DOCX for a document's Markdown, given as text or as the token list markdown-it parsed it
    into (generator.text.clausetags.parser()). An image it references is looked up in `figures`
    first (drawn as a native chart or a group of shapes), then in `images` (PNG bytes). `pages` are
    the headings' pages (bookmark -> page) for the contents, from a layout pass."""
    return render_docx(markdown, meta, images, figures, reference=reference, pages=pages).data


def render_docx(markdown: str | Sequence[Token], meta: DocxMeta, images: dict[str, bytes] | None = None,
                figures: dict[str, Figure] | None = None, *, reference: Path = REFERENCE_DOCX,
                pages: dict[str, int] | None = None) -> Written:
    """`write_docx`, with the headings its contents list."""
    template = reference_template(reference)
    package = Package(template, meta.issued or UNDATED)
    lists = add_heading_lists(package.document, template) if meta.numbered else None
    body = BodyWriter(template, package, clause_titles=meta.clause_titles, chapter_breaks=meta.chapter_breaks,
                      images=images or {}, figures=figures or {}, numbered=lists)
    body.render(parse(markdown) if isinstance(markdown, str) else markdown)
    package.page_furniture(furniture.header_paragraph(template, meta.short_name, meta.title, meta.number,
                                                      meta.version),
                           furniture.footer_paragraph(template))
    front = furniture.cover(template, meta.company, meta.title, meta.cover_rows, meta.date_text)
    if meta.toc:
        front += furniture.contents(template, body.headings, pages)
        if pages is None:  # page numbers unknown: Word fills them in
            package.update_fields_on_open()
    package.body(front + "".join(body.out))
    listed = [heading for heading in body.headings if heading.level <= furniture.TOC_LEVELS] if meta.toc else []
    return Written(package.finish(meta.title, meta.company), listed)
