"""The document body: markdown-it's token stream → WordprocessingML, one method per token type.

`BodyWriter` walks the flat token stream once and appends XML text; a token type it has no method
for fails loudly. It knows nothing of the package: hyperlinks, pictures, charts and list numberings
are asked of a `Relations` (the package answers with relationship and numbering ids).

As on the site: a link with a scheme the site allows (http, https, mailto, tel) is a hyperlink to
its address; a reference to a section (`[13.2](#sec-13.2)`, generator.text.headings) is a REF field
to the heading's bookmark, which follows the numbering when it changes in Word; any other link
(within the site, or another scheme) is its text.

In a numbered document (the manual) each heading's typed number is left out of its text and shown by
Word's list numbering instead (`numbering.add_heading_lists`); every heading is bookmarked, for the
contents and for references. Code, inline and in
blocks, is in a monospace Latin font on a light grey ground. Under each tagged heading comes an
"对应条款" line naming its clauses.
"""
from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from markdown_it.token import Token

from generator.output.docx.figures import chart_run, diagram_run
from generator.output.docx.furniture import Heading
from generator.output.docx.numbering import HeadingLists
from generator.output.docx.tables import Cell, table
from generator.output.docx.template import Template
from generator.output.docx.wml import (CODE_FILL, EMU_PER_TWIP, LINE_BREAK, LIST_INDENT, PAGE_BREAK, QUOTE_BAR,
                                       FIELD_END, ParagraphProps, bookmark, paragraph, picture_run, run,
                                       run_props)
from generator.output.docx.wml import field as word_field
from generator.render.figures import BarChart, Figure
from generator.text import clausetags, headings
from generator.text.html_safety import ALLOWED_SCHEMES
from generator.text.wide_lines import joins_without_space

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


class Relations(Protocol):
    """What the body needs of the package: an id for each thing it refers to."""

    def hyperlink(self, url: str) -> str: ...  # an external relationship, one per address

    def image(self, png: bytes) -> str: ...  # an image part, one per picture

    def chart(self, chart: BarChart) -> str: ...  # a chart part with its embedded workbook

    def numbering(self, start: int) -> int: ...  # a numbering instance of the List Number style


@dataclass
class _Paragraph:
    """The paragraph being written, and the paragraphs that follow it (an image's caption, a
    heading's clause line)."""

    props: ParagraphProps
    runs: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


@dataclass
class _Table:
    """The table being gathered: its rows of cells and the open cell."""

    rows: list[list[Cell]] = field(default_factory=list)
    header_rows: int = 0
    cell: Cell | None = None
    header_cell: bool = False  # header cells are bold


class BodyWriter:
    """The body's XML (`out`), token by token; also its headings (level, text), for the contents."""

    def __init__(self, template: Template, relations: Relations, *, clause_titles: dict[str, str],
                 chapter_breaks: bool, images: dict[str, bytes], figures: dict[str, Figure],
                 numbered: HeadingLists | None = None):
        self.template = template
        self.relations = relations
        self.clause_titles = clause_titles
        self.chapter_breaks = chapter_breaks
        self.images = images
        self.figures = figures
        self.numbered = numbered  # the lists that number the headings; None: headings are not numbered
        self.out: list[str] = []
        self.headings: list[Heading] = []
        self.labels: list[headings.Label | None] = []  # each heading's number, in a numbered document
        self.bookmarks: dict[str, str] = {}  # a section's number -> its heading's bookmark
        self.lists: list[int | None] = []  # stack: the numId of an ordered list, None for a bullet list
        self.quotes = 0  # depth of the open block quotes
        self.paragraph: _Paragraph | None = None
        self.table: _Table | None = None
        self.heading = 0  # level of the open heading, 0 outside headings
        self.heading_text: list[str] = []
        self.bold = self.italic = False
        self.link: str | None = None  # the open hyperlink's relationship id ("" for a link kept as text)
        self.reference = False  # a reference's REF field is open
        self.next_drawing_id = 1  # docPr and shape ids are unique in the document
        self.last: tuple[int, ParagraphProps, str] | None = None  # the last paragraph written: where, props, runs
        self._handlers: dict[str, object] = {}  # token type -> method (`_handler`)
        self._inline_handlers: dict[str, object] = {}

    def render(self, tokens: Sequence[Token]) -> None:
        sections = clausetags.sections_of(tokens)
        self.labels = headings.labels(sections) if self.numbered else [None] * len(sections)
        self.bookmarks = {key: _bookmark_name(index) for key, index in headings.targets(self.labels).items()}
        handlers = self._handlers
        for token in tokens:
            handler = handlers.get(token.type) or self._handler("_", token.type)
            handler(token)

    def _handler(self, prefix: str, kind: str):
        """The method for a token (`_table_open`) or inline token (`_i_text`), looked up once per kind."""
        handler = getattr(self, prefix + kind, None)
        if handler is None:
            raise NotImplementedError(f"DOCX writer has no rule for {'inline ' if prefix == '_i_' else 'Markdown '}"
                                      f"token {kind!r}")
        (self._inline_handlers if prefix == "_i_" else self._handlers)[kind] = handler
        return handler

    def _open(self, props: ParagraphProps) -> None:
        self.paragraph = _Paragraph(props)

    def _close(self) -> None:
        runs = "".join(self.paragraph.runs)
        self.out.append(paragraph(self.paragraph.props, runs))
        self.last = (len(self.out) - 1, self.paragraph.props, runs)
        self.out.extend(self.paragraph.after)
        self.paragraph = None

    # blocks
    def _heading_open(self, token: Token) -> None:
        level = min(int(token.tag[1]), 4)
        keep_on_page = token.tag == "h1" and not self.chapter_breaks
        number, ilvl = None, 0
        found = self.labels[len(self.headings)]
        if self.numbered and level <= headings.LEVELS:
            if found is None:
                number = self.numbered.unnumbered
            elif found.appendix:
                number = self.numbered.appendices
            else:
                number, ilvl = self.numbered.chapters, found.level - 1
        self._open(ParagraphProps(self.template.style("heading", level), numbering=number, numbering_level=ilvl,
                                  page_break_before=False if keep_on_page else None))
        self.paragraph.runs.append(bookmark(len(self.headings), _bookmark_name(len(self.headings)))[0])
        self.heading, self.heading_text = level, []

    def _heading_close(self, token: Token) -> None:
        index = len(self.headings)
        found = self.labels[index]
        self.paragraph.runs.append(bookmark(index, _bookmark_name(index))[1])
        self.headings.append(Heading(self.heading, found.shown if found else "", "".join(self.heading_text),
                                     _bookmark_name(index)))
        self._close()
        self.heading = 0

    def _paragraph_open(self, token: Token) -> None:
        """Body text, or a list item's paragraph; inside a block quote with a bar at the left and
        indented one step further for each quote."""
        bar = QUOTE_BAR if self.quotes else ""
        if not self.lists:
            indent = LIST_INDENT * self.quotes if self.quotes else None
            self._open(ParagraphProps(self.template.style("body"), border=bar, indent_left=indent))
            return
        num_id = self.lists[-1]
        depth = len(self.lists) + self.quotes
        self._open(ParagraphProps(self.template.style("number" if num_id else "bullet"), numbering=num_id,
                                  border=bar, indent_left=LIST_INDENT * depth if depth > 1 else None))

    def _paragraph_close(self, token: Token) -> None:
        self._close()

    def _bullet_list_open(self, token: Token) -> None:
        self.lists.append(None)

    def _ordered_list_open(self, token: Token) -> None:
        self.lists.append(self.relations.numbering(int(token.attrGet("start") or 1)))

    def _bullet_list_close(self, token: Token) -> None:
        self.lists.pop()

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, token: Token) -> None:
        """Nothing: a list item's paragraphs carry its numbering."""

    _list_item_close = _list_item_open

    def _blockquote_open(self, token: Token) -> None:
        self.quotes += 1

    def _blockquote_close(self, token: Token) -> None:
        self.quotes -= 1

    def _hr(self, token: Token) -> None:
        self.out.append(paragraph(self.template.style("plain"), PAGE_BREAK))

    def _code_block(self, token: Token) -> None:
        self.out.append(paragraph(ParagraphProps(self.template.style("plain"), fill=CODE_FILL),
                                  run(token.content.rstrip("\n"), run_props(code=True))))

    _fence = _code_block

    # tables: gathered whole (column widths depend on every row), then written in one go
    def _table_open(self, token: Token) -> None:
        self.table = _Table()

    def _thead_close(self, token: Token) -> None:
        self.table.header_rows = len(self.table.rows)

    def _thead_open(self, token: Token) -> None:
        """Nothing to write: the rows and cells hold the table."""

    _tbody_open = _tbody_close = _tr_close = _thead_open

    def _tr_open(self, token: Token) -> None:
        self.table.rows.append([])

    def _td_open(self, token: Token) -> None:
        self.table.cell, self.table.header_cell = [], token.type == "th_open"
        self.table.rows[-1].append(self.table.cell)

    def _td_close(self, token: Token) -> None:
        self.table.cell = None

    def _table_row_text(self, token: Token) -> None:
        """A body row of plain text (clausetags.ROW_OF_TEXT): its cells as the tokens of each would make them."""
        self.table.rows.append([[(text, run(text, _CELL_TEXT))] if text else [] for text in token.meta["cells"]])

    _th_open, _th_close = _td_open, _td_close

    def _table_close(self, token: Token) -> None:
        if self.last and self.last[0] == len(self.out) - 1:
            index, props, runs = self.last  # the paragraph that leads into a table stays with its first rows
            self.out[index] = paragraph(replace(props, keep_next=True), runs)
        self.out.append(table(self.template, self.table.rows, self.table.header_rows))
        self.last = None
        self.table = None

    # inline
    def _inline(self, token: Token) -> None:
        children = token.children or []
        if self.heading:
            children = self._without_number(self._without_clause_tag(children))
        for i, child in enumerate(children):
            if child.type == "softbreak":  # the one token that depends on its neighbours
                if not (joins_without_space(_edge(reversed(children[:i]), -1)) and
                        joins_without_space(_edge(children[i + 1:], 0))):
                    self._text(" ")
                continue
            (self._inline_handlers.get(child.type) or self._handler("_i_", child.type))(child)

    def _without_clause_tag(self, children: list[Token]) -> list[Token]:
        """A heading's inline tokens without its trailing clause tag, whose clauses go on a line of
        their own after the heading. The tag is cut from the last text token, so the heading's
        links (reference links too) keep their addresses."""
        title, ids = clausetags.split(children[-1].content if children and children[-1].type == "text" else "")
        if not ids:
            return children
        names = [f"{cid} {self.clause_titles.get(cid, '')}".strip() for cid in ids]
        self.paragraph.after.append(paragraph(self.template.style("clause"), run("对应条款：" + "；".join(names))))
        last = Token("text", "", 0, content=title.rstrip()) if title.strip() else None
        return children[:-1] + ([last] if last else [])

    def _without_number(self, children: list[Token]) -> list[Token]:
        """A numbered heading's inline tokens without its typed number, which Word's numbering shows."""
        found = self.labels[len(self.headings)]
        if found is None:
            return children
        first = children[0] if children else None
        if first is None or first.type != "text" or not first.content.startswith(found.shown + " "):
            return children  # Markdown not renumbered (headings.renumber): its text stays as it is
        rest = first.content[len(found.shown):].lstrip(" \u3000")
        return ([Token("text", "", 0, content=rest)] if rest else []) + children[1:]

    def _i_text(self, token: Token) -> None:
        self._text(token.content)

    _i_text_special = _i_text

    def _i_code_inline(self, token: Token) -> None:
        self._text(token.content, code=True)

    def _text(self, text: str, code: bool = False) -> None:
        if self.heading:
            self.heading_text.append(text)
        bold = self.bold or (self.table is not None and self.table.header_cell)
        self._append(text, run(text, run_props(bold, self.italic, code, bool(self.link))))

    def _append(self, text: str, xml: str) -> None:
        """Run XML (and the text it shows) into the open table cell or paragraph."""
        if self.table is not None:
            self.table.cell.append((text, xml))
        else:
            self.paragraph.runs.append(xml)

    def _i_hardbreak(self, token: Token) -> None:
        self._append("\n", LINE_BREAK)

    def _i_strong_open(self, token: Token) -> None:
        self.bold = True

    def _i_strong_close(self, token: Token) -> None:
        self.bold = False

    def _i_em_open(self, token: Token) -> None:
        self.italic = True

    def _i_em_close(self, token: Token) -> None:
        self.italic = False

    def _i_link_open(self, token: Token) -> None:
        """An external link (a scheme the site allows) is a hyperlink to its address; any other link
        (within the site, or a scheme not allowed) has no meaning in the document and stays text."""
        url = str(token.attrGet("href") or "")
        if (reference := headings.REFERENCE.fullmatch(url)) and reference[1] in self.bookmarks:
            self.link, self.reference = "", True  # the section's number, which Word fills in from its heading
            self._append("", word_field(f"REF {self.bookmarks[reference[1]]} \\w \\h", dirty=False)[0])
            return
        scheme = _SCHEME.match(url)
        if scheme is None or scheme[1].lower() not in ALLOWED_SCHEMES:
            self.link = ""
            return
        self.link = self.relations.hyperlink(url)
        self._append("", f'<w:hyperlink r:id="{self.link}" w:history="1">')

    def _i_link_close(self, token: Token) -> None:
        if self.link:
            self._append("", "</w:hyperlink>")
        if self.reference:
            self._append("", FIELD_END)
        self.link, self.reference = None, False

    def _i_image(self, token: Token) -> None:
        """A figure (drawn natively) or a picture, centred in its paragraph, which keeps its place
        in a list or quote; its alt text is the caption below."""
        source = str(token.attrGet("src"))
        caption = "".join(child.content for child in token.children or [])
        width = self.template.text_width if self.table is None else _CELL_IMAGE_TWIPS
        if source in self.figures:
            xml = self._figure(self.figures[source], width)
        elif source in self.images:
            xml = self._picture(self.images[source], width)
        else:
            raise KeyError(f"image {source!r} is referenced but was not produced")
        if self.table is not None:  # in its cell, the caption on the line below
            self._append(_CELL_IMAGE_ROOM, xml)
            if caption:
                self._append("", "<w:r><w:br/></w:r>")
                self._text(caption)
            return
        self.paragraph.runs.append(xml)
        self.paragraph.props = replace(self.paragraph.props, first_line=0, centred=True)
        if caption:
            self.paragraph.after.append(paragraph(ParagraphProps(self.template.style("caption"), centred=True), run(caption)))

    def _figure(self, figure: Figure, width: int) -> str:
        """A chart `width` twips wide (its height in proportion) or a diagram at its own size."""
        if isinstance(figure, BarChart):
            scale = width / self.template.text_width
            xml = chart_run(self.relations.chart(figure), self.next_drawing_id, figure.title,
                            width / 20, figure.height * scale)
            self.next_drawing_id += 1
            return xml
        xml, self.next_drawing_id = diagram_run(figure, self.next_drawing_id, self.template.style("plain"))
        return xml

    def _picture(self, png: bytes, width: int) -> str:
        """The picture `width` twips wide, in its own aspect ratio."""
        if png[:8] != b"\x89PNG\r\n\x1a\n":
            raise ValueError("images must be PNG")
        pixels_wide, pixels_high = struct.unpack(">II", png[16:24])
        cx = width * EMU_PER_TWIP
        xml = picture_run(self.relations.image(png), self.next_drawing_id, cx, cx * pixels_high // pixels_wide)
        self.next_drawing_id += 1
        return xml


def _bookmark_name(index: int) -> str:
    """The bookmark of the document's heading `index`: hidden in Word, as its own TOC's are."""
    return f"_Toc{index + 1:06d}"


# A picture or chart in a table's cell: about 3.5 cm wide, and the text the column is measured by
# (tables.column_widths keeps a short run of digits on one line: the column is at least as wide)
_CELL_IMAGE_TWIPS = 2000
_CELL_IMAGE_ROOM = "0" * 14
_CELL_TEXT = run_props()  # a body cell's text: not bold (a header cell's is), not in emphasis, not a link


def _edge(tokens: Iterable[Token], end: int) -> str:
    """The character of the text next to a line break: the first (`end` 0) or last (-1) character of
    the nearest token that shows text, skipping markup such as `**`; "" if a break or picture is nearer."""
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline") and token.content:
            return token.content[end]
        if token.type in ("softbreak", "hardbreak", "image"):
            return ""
    return ""


def parse(markdown: str) -> Sequence[Token]:
    """The token stream of a document's Markdown, as a document's is parsed (clausetags.document_parser)."""
    return clausetags.document_parser().parse(markdown)
