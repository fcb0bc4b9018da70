"""Markdown → DOCX on the reference template (templates/docx/reference.docx).

markdown-it-py gives a flat token stream; `_Renderer` has one method per token type and fails
loudly on an unknown one. Style names live only in `STYLES`, and the template is checked for all
of them before rendering. The document gets a cover page, a TOC field (pre-filled with the
headings so it reads before Word updates it), a header (company, document number, version), a
footer with page numbers, and under each tagged heading an "对应条款" line.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from . import clausetags
from .errors import CatalogueError
from .paths import REFERENCE_DOCX

STYLES = {
    "body": "Body Text", "plain": "Normal", "bullet": "List Bullet", "number": "List Number",
    "heading": "Heading {level}", "title": "Title", "subtitle": "Subtitle", "table": "Table Grid",
    "table_text": "Table Text", "clause": "Clause Tag", "toc_heading": "TOC Heading",
    "toc": "toc {level}", "cover_company": "Cover Company", "cover_meta": "Cover Meta",
    "header": "Header Text", "footer": "Footer Text", "caption": "Caption",
}


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
    chapter_breaks: bool = True  # each level-1 heading starts a new page
    issued: dt.date | None = None  # the document's date: core properties and zip entry times
    date_text: str = ""


_template_bytes: bytes | None = None
_style_ids: dict[str, str] = {}


def _add(doc: DocxDocument, text: str, style: str) -> Paragraph:
    """doc.add_paragraph with the style set by id: python-docx's lookup by name scans every style."""
    paragraph = doc.add_paragraph(text)
    _style(paragraph, style)
    return paragraph


def _style(paragraph: Paragraph, style: str) -> None:
    paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = _style_ids[style]


def _template() -> DocxDocument:
    global _template_bytes
    if _template_bytes is None:
        _template_bytes = REFERENCE_DOCX.read_bytes()
        reference = open_docx(io.BytesIO(_template_bytes))
        _check_styles(reference)
        _style_ids.update({s.name: s.style_id for s in reference.styles})
    return open_docx(io.BytesIO(_template_bytes))


def _check_styles(doc: DocxDocument) -> None:
    names = {s.name for s in doc.styles}
    wanted = []
    for name in STYLES.values():
        levels = (1, 2) if name.startswith("toc") else (1, 2, 3, 4)
        wanted += [name.format(level=i) for i in levels] if "{level}" in name else [name]
    missing = sorted(n for n in set(wanted) if n not in names)
    if missing:
        raise CatalogueError(f"参考模板 {REFERENCE_DOCX} 缺少样式：{'、'.join(missing)}")


def write_docx(markdown: str, meta: DocxMeta, images: dict[str, bytes] | None = None) -> bytes:
    """The DOCX for a document's Markdown; `images` maps the image paths it references to PNG bytes."""
    doc = _template()
    _cover(doc, meta)
    if meta.toc:
        _toc(doc, clausetags.sections(markdown))
    _Renderer(doc, meta, images or {}).render(markdown)
    _header_footer(doc, meta)
    props = doc.core_properties
    props.title, props.author, props.subject = meta.title, meta.company, "GB/T 27922-2011"
    props.last_modified_by, props.revision = meta.company, 1
    stamp = dt.datetime.combine(meta.issued or dt.date(2000, 1, 1), dt.time())
    props.created = props.modified = props.last_printed = stamp
    buffer = io.BytesIO()
    doc.save(buffer)
    return reproducible_zip(buffer.getvalue(), stamp)


def reproducible_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """The same document (DOCX, XLSX) gives the same bytes: every zip entry gets one fixed time, in a fixed order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        first = [n for n in names if n == "[Content_Types].xml"]  # must come first for some readers
        for name in first + sorted(n for n in names if n not in first):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            body = source.read(name)
            if name == "docProps/core.xml":  # some writers stamp "modified" with the clock on save
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", body)
            target.writestr(info, body)
    return out.getvalue()


# --- page furniture --------------------------------------------------------------------------
def _cover(doc: DocxDocument, meta: DocxMeta) -> None:
    for _ in range(5):
        _add(doc, "", STYLES["plain"])
    _add(doc, meta.company, STYLES["cover_company"])
    _add(doc, meta.title, STYLES["title"])
    _add(doc, f"依据 GB/T 27922-2011《商品售后服务评价体系》", STYLES["subtitle"])
    for _ in range(4):
        _add(doc, "", STYLES["plain"])
    if meta.cover_rows:
        table = doc.add_table(rows=0, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for label, value in meta.cover_rows:
            cells = table.add_row().cells
            cells[0].paragraphs[0].text = label
            _style(cells[0].paragraphs[0], STYLES["cover_meta"])
            cells[1].paragraphs[0].text = value
            _style(cells[1].paragraphs[0], STYLES["cover_meta"])
    _add(doc, meta.date_text, STYLES["cover_meta"]).add_run().add_break(WD_BREAK.PAGE)


def _field(paragraph: Paragraph, instruction: str, cached: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC …) with an optional cached result."""
    def char(kind: str):
        run = OxmlElement("w:r")
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            fld.set(qn("w:dirty"), "true")
        run.append(fld)
        paragraph._p.append(run)

    char("begin")
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run.append(instr)
    paragraph._p.append(run)
    char("separate")
    if cached:
        paragraph.add_run(cached)
    char("end")


def _toc(doc: DocxDocument, sections: list[clausetags.Section]) -> None:
    _add(doc, "目　录", STYLES["toc_heading"])
    paragraph = _add(doc, "", STYLES["plain"])
    _field(paragraph, 'TOC \\o "1-2" \\h \\z \\u')
    # Cached entries so the contents read before the field is updated (Word asks on opening).
    end = paragraph._p[-1]
    paragraph._p.remove(end)
    last = paragraph
    for section in sections:
        if section.level > 2:
            continue
        last = _add(doc, _plain(section.title), STYLES["toc"].format(level=section.level))
    last._p.append(end)
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    last.add_run().add_break(WD_BREAK.PAGE)


def _header_footer(doc: DocxDocument, meta: DocxMeta) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    parts = [meta.short_name, meta.title, meta.number, f"{meta.version} 版" if meta.version else ""]
    header.text = "　".join(p for p in parts if p)
    _style(header, STYLES["header"])
    _bottom_border(header)
    footer = section.footer.paragraphs[0]
    _style(footer, STYLES["footer"])
    footer.add_run("第 ")
    _field(footer, "PAGE", "1")
    footer.add_run(" 页 共 ")
    _field(footer, "NUMPAGES", "1")
    footer.add_run(" 页")


def _bottom_border(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "808080")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _plain(markdown_inline: str) -> str:
    """Inline Markdown source → its text (for TOC entries)."""
    tokens = clausetags.parser().parseInline(markdown_inline)
    return "".join(t.content for t in (tokens[0].children or []) if t.type in ("text", "code_inline"))


# --- body ------------------------------------------------------------------------------------
class _Renderer:
    def __init__(self, doc: DocxDocument, meta: DocxMeta, images: dict[str, bytes]):
        self.doc = doc
        self.meta = meta
        self.images = images
        self.lists: list[dict] = []  # stack: {"ordered": bool, "num_id": int | None}
        self.paragraph: Paragraph | None = None
        self.table_rows = None
        self.cell_runs = None
        self.heading_clauses: tuple[str, ...] = ()
        self.bold = self.italic = False
        self._number_abstract = self._abstract_num_id(STYLES["number"])

    def render(self, markdown: str) -> None:
        tokens = clausetags.parser().parse(markdown)
        for token in tokens:
            handler = getattr(self, "_" + token.type, None)
            if handler is None:
                raise NotImplementedError(f"DOCX writer has no rule for Markdown token {token.type!r}")
            handler(token)

    # blocks
    def _heading_open(self, token):
        self.paragraph = _add(self.doc, "", STYLES["heading"].format(level=min(int(token.tag[1]), 4)))
        if token.tag == "h1" and not self.meta.chapter_breaks:
            self.paragraph.paragraph_format.page_break_before = False
        self.heading_clauses = ()

    def _heading_close(self, token):
        if self.heading_clauses:
            names = [f"{cid} {self.meta.clause_titles.get(cid, '')}".strip() for cid in self.heading_clauses]
            _add(self.doc, "对应条款：" + "；".join(names), STYLES["clause"])
        self.paragraph = None

    def _paragraph_open(self, token):
        if self.lists:
            current = self.lists[-1]
            style = STYLES["number"] if current["ordered"] else STYLES["bullet"]
            self.paragraph = _add(self.doc, "", style)
            if current["ordered"]:
                self._set_num(self.paragraph, current["num_id"])
            if len(self.lists) > 1:
                self.paragraph.paragraph_format.left_indent = Pt(21 * len(self.lists))
            return
        self.paragraph = _add(self.doc, "", STYLES["body"])

    def _paragraph_close(self, token):
        self.paragraph = None

    def _bullet_list_open(self, token):
        self.lists.append({"ordered": False, "num_id": None})

    def _ordered_list_open(self, token):
        self.lists.append({"ordered": True, "num_id": self._new_numbering(int(token.attrGet("start") or 1))})

    def _bullet_list_close(self, token):
        self.lists.pop()

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, token):
        pass

    def _list_item_close(self, token):
        pass

    def _hr(self, token):
        _add(self.doc, "", STYLES["plain"]).add_run().add_break(WD_BREAK.PAGE)

    def _code_block(self, token):
        _add(self.doc, token.content.rstrip("\n"), STYLES["plain"])

    _fence = _code_block

    def _blockquote_open(self, token):
        pass

    _blockquote_close = _blockquote_open

    # tables: gathered whole, then built in one go (python-docx needs the column count first)
    def _table_open(self, token):
        self.table_rows: list[list[list[tuple[str, bool, bool]]]] = []
        self.header_rows = 0

    def _table_close(self, token):
        rows = self.table_rows
        columns = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = self.doc.styles[STYLES["table"]]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        tbl_pr = table._tbl.tblPr
        for old in tbl_pr.findall(qn("w:tblW")):
            tbl_pr.remove(old)
        width = OxmlElement("w:tblW")
        width.set(qn("w:w"), "5000")
        width.set(qn("w:type"), "pct")
        tbl_pr.append(width)
        self._column_widths(table, rows, columns)
        for r, (row, table_row) in enumerate(zip(rows, table.rows)):
            header = r < self.header_rows
            cells = table_row.cells
            for c, runs in enumerate(row):
                self._fill_cell(cells[c], runs, header)
            if header:
                self._mark_header(table_row)
            elif any(not "".join(t for t, _, _ in cell).strip() for cell in row):
                self._writing_height(table_row)  # a blank to fill in by hand
        self.table_rows = None
        _add(self.doc, "", STYLES["plain"])  # keeps consecutive tables apart

    def _column_widths(self, table, rows, columns: int) -> None:
        """Short columns get their content's width; long ones share what is left."""
        def width(runs) -> float:  # in half-em units: a CJK character is 2, a Latin one about 1.25
            text = "".join(t for t, _, _ in runs)
            return sum(2 if ord(ch) > 0x2E80 else 1.25 for ch in text)

        section = self.doc.sections[0]
        available = section.page_width - section.left_margin - section.right_margin
        unit = Pt(9.5 / 2)  # Table Text is 9.5 pt
        longest = [max([width(row[c]) for row in rows if c < len(row)] + [2]) for c in range(columns)]
        body = rows[self.header_rows:]
        for c in range(columns):  # a column left blank for handwriting needs room to write
            if body and all(width(row[c]) == 0 for row in body if c < len(row)):
                longest[c] = max(longest[c], 24)
        desired = [unit * (min(n, 60) + 4) for n in longest]
        long = [c for c in range(columns) if longest[c] > 14]
        left = available - sum(desired[c] for c in range(columns) if c not in long)
        if long and left >= unit * 12 * len(long):
            share = sum(desired[c] for c in long)
            widths = [left * desired[c] / share if c in long else desired[c] for c in range(columns)]
        else:  # nothing long, or too many columns: scale every column to the text width
            widths = [available * d / sum(desired) for d in desired]
        table.autofit = False
        for c, w in enumerate(widths):
            table.columns[c].width = int(w)
            for cell in table.columns[c].cells:
                cell.width = int(w)

    def _thead_open(self, token):
        pass

    def _thead_close(self, token):
        self.header_rows = len(self.table_rows)

    _tbody_open = _tbody_close = _thead_open

    def _tr_open(self, token):
        self.table_rows.append([])

    def _tr_close(self, token):
        pass

    def _td_open(self, token):
        self.table_rows[-1].append([])
        self.cell_runs = self.table_rows[-1][-1]

    def _td_close(self, token):
        self.cell_runs = None

    _th_open, _th_close = _td_open, _td_close

    def _fill_cell(self, cell, runs, header: bool) -> None:
        paragraph = cell.paragraphs[0]
        _style(paragraph, STYLES["table_text"])
        for text, bold, italic in runs:
            run = paragraph.add_run(text)
            run.bold = header or bold or None
            run.italic = italic or None
        if header:
            shading = OxmlElement("w:shd")
            for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", "E7E6E6")):
                shading.set(qn(key), value)
            cell._tc.get_or_add_tcPr().append(shading)

    @staticmethod
    def _writing_height(row) -> None:
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(int(Cm(0.75).twips)))
        height.set(qn("w:hRule"), "atLeast")
        row._tr.get_or_add_trPr().append(height)

    @staticmethod
    def _mark_header(row) -> None:
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(header)

    # inline
    def _inline(self, token):
        children = token.children or []
        if self.paragraph is not None and self.paragraph.style.name.startswith("Heading"):
            title, ids = clausetags.split(token.content)
            self.heading_clauses = ids
            if ids:
                children = clausetags.parser().parseInline(title)[0].children or []
        for child in children:
            handler = getattr(self, "_i_" + child.type, None)
            if handler is None:
                raise NotImplementedError(f"DOCX writer has no rule for inline token {child.type!r}")
            handler(child)

    def _emit(self, text: str) -> None:
        if self.cell_runs is not None:
            self.cell_runs.append((text, self.bold, self.italic))
            return
        run = self.paragraph.add_run(text)
        if self.bold:
            run.bold = True
        if self.italic:
            run.italic = True

    def _i_text(self, token):
        self._emit(token.content)

    _i_text_special = _i_text
    _i_code_inline = _i_text

    def _i_softbreak(self, token):
        self._emit("")

    def _i_hardbreak(self, token):
        if self.paragraph is not None:
            self.paragraph.add_run().add_break()

    def _i_strong_open(self, token):
        self.bold = True

    def _i_strong_close(self, token):
        self.bold = False

    def _i_em_open(self, token):
        self.italic = True

    def _i_em_close(self, token):
        self.italic = False

    def _i_image(self, token):
        source = token.attrGet("src")
        if source not in self.images:
            raise KeyError(f"image {source!r} is referenced but was not produced")
        section = self.doc.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        self.paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.paragraph.paragraph_format.first_line_indent = 0
        self.paragraph.add_run().add_picture(io.BytesIO(self.images[source]), width=width)
        caption = "".join(child.content for child in token.children or [])
        if caption:
            _add(self.doc, caption, STYLES["caption"]).alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _i_link_open(self, token):
        pass

    _i_link_close = _i_link_open

    # numbering
    def _abstract_num_id(self, style_name: str) -> int:
        style = self.doc.styles[style_name]
        num_id = style.element.pPr.numPr.numId.val
        numbering = self.doc.part.numbering_part.numbering_definitions._numbering
        return numbering.num_having_numId(num_id).abstractNumId.val

    def _new_numbering(self, start: int) -> int:
        numbering = self.doc.part.numbering_part.numbering_definitions._numbering
        num = numbering.add_num(self._number_abstract)
        override = num.add_lvlOverride(ilvl=0)
        override.add_startOverride(start)
        return num.numId

    @staticmethod
    def _set_num(paragraph: Paragraph, num_id: int) -> None:
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num_id
