"""Markdown → DOCX on the reference template (templates/docx/reference.docx).

The writer emits WordprocessingML as text. markdown-it-py gives a flat token stream; `_Body` has
one method per token type (an unknown one fails loudly) and appends XML strings, escaped in one
place (`_esc`). The reference template is read once per process (`_template`): its parts go into
every document unchanged, except document.xml (a new body on the template's page set-up),
numbering.xml (one numbering instance per ordered list, so each restarts at its own number),
settings.xml (update fields on opening, for the TOC) and the document properties; the header,
footer and pictures are added as parts, and each figure (`figures`) as a native chart part with
its embedded workbook, or as a group of drawing shapes in the body (`docx_figures`). Style names
live only in `STYLES` and the template is checked for all of them.

A document gets a cover page, a TOC field (pre-filled with the headings so it reads before Word
updates it), a header (company, document number, version), a footer with page numbers, and under
each tagged heading an "对应条款" line.

As on the site: a link with a scheme the site allows (http, https, mailto, tel) is a hyperlink, with
one external relationship per address; any other link (within the site, or another scheme) is its
text. Code, inline and in blocks, is in a monospace Latin font on a light grey ground.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import re
import struct
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from generator.text import clausetags
from generator.output.docx.figures import CHART_TYPE, chart_parts, chart_run, diagram_run
from generator.errors import CatalogueError
from generator.render.figures import BarChart, Figure
from generator.text.html_safety import ALLOWED_SCHEMES
from generator.output.ooxml import CODE_LATIN
from generator.output.ooxml import esc as _esc
from generator.output.ooxml import zip_parts
from generator.paths import REFERENCE_DOCX
from generator.text.wide_lines import joins_without_space

STYLES = {
    "body": "Body Text", "plain": "Normal", "bullet": "List Bullet", "number": "List Number",
    "heading": "Heading {level}", "title": "Title", "subtitle": "Subtitle", "table": "Table Grid",
    "table_text": "Table Text", "clause": "Clause Tag", "toc_heading": "TOC Heading",
    "toc": "toc {level}", "cover_company": "Cover Company", "cover_meta": "Cover Meta",
    "header": "Header Text", "footer": "Footer Text", "caption": "Caption",
}

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"  # also the base of relationship types
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EMU_PER_TWIP = 635
TABLE_TEXT_PT = 9.5  # the size of the Table Text style, for column widths
WRITING_ROW = 425  # twips (0.75 cm): the least height of a row left blank to fill in by hand
LIST_INDENT = 420  # twips (21 pt) per nesting level
QUOTE_BAR = '<w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="BFBFBF"/></w:pBdr>'  # as the site's quotes
# Code as on the site: a monospace Latin font on a light grey ground; East Asian text keeps the body font.
CODE_FONT = f'<w:rFonts w:ascii="{CODE_LATIN}" w:hAnsi="{CODE_LATIN}" w:cs="{CODE_LATIN}"/>'
CODE_SHADING = '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>'
# A link as Word's own Hyperlink style shows it (the reference template has no such style).
LINK_COLOUR, LINK_UNDERLINE = '<w:color w:val="0563C1"/>', '<w:u w:val="single"/>'
HYPERLINK = f"{R}/hyperlink"
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


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


# --- text --------------------------------------------------------------------------------------
def _run(text: str, bold: bool = False, italic: bool = False, code: bool = False, link: bool = False) -> str:
    """A run of text; `code` in a monospace font on grey, `link` coloured and underlined
    (rPr children in schema order: rFonts, b, i, color, u, shd)."""
    props = ((CODE_FONT if code else "") + ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
             + (LINK_COLOUR + LINK_UNDERLINE if link else "") + (CODE_SHADING if code else ""))
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    body = _esc(text)
    if "\n" in body or "\t" in body:  # code blocks: line breaks and tabs are elements in a run
        body = body.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">').replace(
            "\t", '</w:t><w:tab/><w:t xml:space="preserve">')
    return f'<w:r>{props}<w:t xml:space="preserve">{body}</w:t></w:r>'


PAGE_BREAK = '<w:r><w:br w:type="page"/></w:r>'


def _field(instruction: str, cached: str = "") -> tuple[str, str]:
    """A Word field (PAGE, NUMPAGES, TOC …) as (start, end) run XML; the cached result goes between."""
    start = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
             f'<w:r><w:instrText xml:space="preserve"> {_esc(instruction)} </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + (_run(cached) if cached else ""))
    return start, '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


# --- the template, read once per process -------------------------------------------------------
@dataclass(frozen=True)
class _Template:
    parts: dict[str, bytes]
    style_ids: dict[str, str]  # style name (lower case) → style id
    head: str  # document.xml up to and including <w:body>
    sect_pr: str  # the template's page set-up with our header, footer and distinct first page
    text_width: int  # twips between the margins
    number_abstract: str  # the abstract numbering of the List Number style
    next_num_id: int

    def style(self, key: str, level: int = 0) -> str:
        return self.style_ids[STYLES[key].format(level=level).lower()]


@functools.lru_cache(maxsize=1)
def _template() -> _Template:
    with zipfile.ZipFile(io.BytesIO(REFERENCE_DOCX.read_bytes())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name in ("word/document.xml", "word/styles.xml", "word/numbering.xml", "word/settings.xml",
                 "word/_rels/document.xml.rels", "[Content_Types].xml", "_rels/.rels"):
        if name not in parts:
            raise CatalogueError(f"参考模板 {REFERENCE_DOCX} 缺少部件 {name}")
    styles = ElementTree.fromstring(parts["word/styles.xml"])
    ids, numbered = {}, {}
    for style in styles.iter(f"{{{W}}}style"):
        name = style.find(f"{{{W}}}name")
        if name is not None:
            ids[name.get(f"{{{W}}}val").lower()] = style.get(f"{{{W}}}styleId")
            num = style.find(f"{{{W}}}pPr/{{{W}}}numPr/{{{W}}}numId")
            if num is not None:
                numbered[name.get(f"{{{W}}}val").lower()] = num.get(f"{{{W}}}val")
    wanted = []
    for name in STYLES.values():
        levels = (1, 2) if name.startswith("toc") else (1, 2, 3, 4)
        wanted += [name.format(level=i) for i in levels] if "{level}" in name else [name]
    missing = sorted(n for n in set(wanted) if n.lower() not in ids)
    if missing:
        raise CatalogueError(f"参考模板 {REFERENCE_DOCX} 缺少样式：{'、'.join(missing)}")
    numbering = ElementTree.fromstring(parts["word/numbering.xml"])
    nums = {n.get(f"{{{W}}}numId"): n.find(f"{{{W}}}abstractNumId").get(f"{{{W}}}val")
            for n in numbering.iter(f"{{{W}}}num")}
    list_number = numbered.get(STYLES["number"].lower())
    if list_number not in nums:
        raise CatalogueError(f"参考模板 {REFERENCE_DOCX} 的样式 {STYLES['number']} 没有编号定义")
    document = parts["word/document.xml"].decode("utf-8")
    body = document.index("<w:body>") + len("<w:body>")
    sect_pr = re.findall(r"<w:sectPr\b.*?</w:sectPr>", document, re.S)[-1]
    sect_pr = re.sub(r"<w:(header|footer)Reference\b[^>]*/>", "", sect_pr)
    page = re.search(r'<w:pgSz\b[^>]*\bw:w="(\d+)"', sect_pr)
    margins = re.search(r"<w:pgMar\b[^>]*>", sect_pr)
    left = re.search(r'w:left="(\d+)"', margins.group(0)) if margins else None
    right = re.search(r'w:right="(\d+)"', margins.group(0)) if margins else None
    text_width = (int(page.group(1)) if page else 11906) - (int(left.group(1)) if left else 1440) - (
        int(right.group(1)) if right else 1440)
    # The same in every document: our header and footer on all pages but the cover, no template thumbnail.
    sect_pr = sect_pr.replace(">", '><w:headerReference w:type="default" r:id="rIdAsHeader"/>'
                                   '<w:footerReference w:type="default" r:id="rIdAsFooter"/>', 1)
    sect_pr = _insert_before(sect_pr, ("<w:textDirection", "<w:bidi", "<w:rtlGutter", "<w:docGrid",
                                       "<w:printerSettings", "</w:sectPr>"), "<w:titlePg/>")
    parts.pop("docProps/thumbnail.jpeg", None)  # a picture of the template, not of a document
    parts["_rels/.rels"] = re.sub(rb'<Relationship [^>]*relationships/metadata/thumbnail"[^>]*/>', b"",
                                  parts["_rels/.rels"])
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    types = parts["[Content_Types].xml"].decode("utf-8")
    extra = "".join(f'<Override PartName="/word/{part}1.xml" ContentType="{kind}.{part}+xml"/>'
                    for part in ("header", "footer") if f"/word/{part}1.xml" not in types)
    if 'Extension="png"' not in types:
        extra = '<Default Extension="png" ContentType="image/png"/>' + extra
    if 'Extension="xlsx"' not in types:  # the data of native charts
        extra = ('<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.'
                 'spreadsheetml.sheet"/>' + extra)
    parts["[Content_Types].xml"] = _insert_before(types, ("</Types>",), extra).encode("utf-8")
    parts["docProps/app.xml"] = (
        DECLARATION + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>aftersales</Application><DocSecurity>0</DocSecurity></Properties>").encode("utf-8")
    return _Template(parts, ids, document[:body], sect_pr, text_width, nums[list_number],
                     max(int(n) for n in nums) + 1)


# --- the package -------------------------------------------------------------------------------
def write_docx(markdown: str, meta: DocxMeta, images: dict[str, bytes] | None = None,
               figures: dict[str, Figure] | None = None) -> bytes:
    """The DOCX for a document's Markdown. An image it references is looked up in `figures` first
    (drawn as a native chart or a group of shapes), then in `images` (PNG bytes)."""
    template = _template()
    body = _Body(template, meta, images or {}, figures or {})
    body.render(markdown)
    parts = dict(template.parts)
    front = _cover(template, meta) + (_toc(template, body.headings) if meta.toc else "")
    parts["word/document.xml"] = (template.head + front + "".join(body.out) + template.sect_pr
                                  + "</w:body></w:document>").encode("utf-8")
    parts["word/header1.xml"], parts["word/footer1.xml"] = _header_footer(template, meta)
    rels = [("rIdAsHeader", "header", "header1.xml"), ("rIdAsFooter", "footer", "footer1.xml")]
    for rid, target, data in body.media.values():
        parts["word/" + target] = data
        rels.append((rid, "image", target))
    stamp = dt.datetime.combine(meta.issued or dt.date(2000, 1, 1), dt.time())
    for n, (rid, chart) in enumerate(body.charts, start=1):
        parts.update(chart_parts(n, chart, stamp.date()))
        rels.append((rid, "chart", f"charts/chart{n}.xml"))
    if body.charts:
        _insert(parts, "[Content_Types].xml", ("</Types>",), "".join(
            f'<Override PartName="/word/charts/chart{n}.xml" ContentType="{CHART_TYPE}"/>'
            for n in range(1, len(body.charts) + 1)))
    _insert(parts, "word/_rels/document.xml.rels", ("</Relationships>",), "".join(
        f'<Relationship Id="{rid}" Type="{R}/{kind}" Target="{target}"/>' for rid, kind, target in rels)
        + "".join(f'<Relationship Id="{rid}" Type="{HYPERLINK}" Target="{_esc(url)}" TargetMode="External"/>'
                  for url, rid in body.links.items()))
    _insert(parts, "word/numbering.xml", ("<w:numIdMacAtCleanup", "</w:numbering>"), "".join(
        f'<w:num w:numId="{num}"><w:abstractNumId w:val="{template.number_abstract}"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
        for num, start in body.numbering))
    if meta.toc and b"<w:updateFields" not in parts["word/settings.xml"]:
        _insert(parts, "word/settings.xml", _AFTER_UPDATE_FIELDS, '<w:updateFields w:val="true"/>')
    parts["docProps/core.xml"] = _core(meta, stamp)
    return zip_parts(parts, stamp)


# Elements of w:settings that come after w:updateFields in the schema's sequence.
_AFTER_UPDATE_FIELDS = tuple(f"<{name}" for name in (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
    "</w:settings>"))


def _insert_before(xml: str, markers: tuple[str, ...], insert: str) -> str:
    """`insert` before the first of `markers` found in `xml` (schema order in a sequence)."""
    at = min(i for i in (xml.find(m) for m in markers) if i >= 0)
    return xml[:at] + insert + xml[at:]


def _insert(parts: dict[str, bytes], name: str, markers: tuple[str, ...], insert: str) -> None:
    parts[name] = _insert_before(parts[name].decode("utf-8"), markers, insert).encode("utf-8")


def _core(meta: DocxMeta, stamp: dt.datetime) -> bytes:
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        DECLARATION + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_esc(meta.title)}</dc:title><dc:subject>GB/T 27922-2011</dc:subject>"
        f"<dc:creator>{_esc(meta.company)}</dc:creator><cp:lastModifiedBy>{_esc(meta.company)}</cp:lastModifiedBy>"
        f"<cp:revision>1</cp:revision><cp:lastPrinted>{when}</cp:lastPrinted>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>'
    ).encode("utf-8")


# --- page furniture ----------------------------------------------------------------------------
def _p(style_id: str, runs: str = "", props: str = "") -> str:
    """A paragraph; `props` are further w:pPr children, already in schema order."""
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{props}</w:pPr>{runs}</w:p>'


TABLE_LOOK = ('<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
              'w:noHBand="0" w:noVBand="1"/>')


def _cover(template: _Template, meta: DocxMeta) -> str:
    plain = template.style("plain")
    out = [_p(plain)] * 5 + [
        _p(template.style("cover_company"), _run(meta.company)),
        _p(template.style("title"), _run(meta.title)),
        _p(template.style("subtitle"), _run("依据 GB/T 27922-2011《商品售后服务评价体系》")),
    ] + [_p(plain)] * 4
    if meta.cover_rows:
        half = template.text_width // 2
        style = template.style("cover_meta")
        cell = f'<w:tc><w:tcPr><w:tcW w:w="{half}" w:type="dxa"/></w:tcPr>{{}}</w:tc>'
        rows = "".join("<w:tr>" + cell.format(_p(style, _run(label))) + cell.format(_p(style, _run(value)))
                       + "</w:tr>" for label, value in meta.cover_rows)
        out.append(f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>{TABLE_LOOK}</w:tblPr>'
                   f'<w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{half}"/></w:tblGrid>{rows}</w:tbl>')
    out.append(_p(template.style("cover_meta"), _run(meta.date_text) + PAGE_BREAK))
    return "".join(out)


def _toc(template: _Template, headings: list[tuple[int, str]]) -> str:
    start, end = _field('TOC \\o "1-2" \\h \\z \\u')
    # Cached entries so the contents read before the field is updated (Word asks on opening).
    entries = [(template.style("plain"), start)] + [
        (template.style("toc", level), _run(text)) for level, text in headings if level <= 2]
    out = [_p(template.style("toc_heading"), _run("目　录"))]
    out += [_p(style, runs + (end + PAGE_BREAK if i == len(entries) - 1 else ""))
            for i, (style, runs) in enumerate(entries)]
    return "".join(out)


def _header_footer(template: _Template, meta: DocxMeta) -> tuple[bytes, bytes]:
    parts = [meta.short_name, meta.title, meta.number, f"{meta.version} 版" if meta.version else ""]
    border = '<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="808080"/></w:pBdr>'
    header = _p(template.style("header"), _run("　".join(p for p in parts if p)), border)
    page, page_end = _field("PAGE", "1")
    pages, pages_end = _field("NUMPAGES", "1")
    footer = _p(template.style("footer"),
                _run("第 ") + page + page_end + _run(" 页 共 ") + pages + pages_end + _run(" 页"))
    namespaces = f'xmlns:w="{W}" xmlns:r="{R}"'
    return ((DECLARATION + f"<w:hdr {namespaces}>{header}</w:hdr>").encode("utf-8"),
            (DECLARATION + f"<w:ftr {namespaces}>{footer}</w:ftr>").encode("utf-8"))


def _png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("images must be PNG")
    return struct.unpack(">II", data[16:24])


def _edge(tokens, end: int) -> str:
    """The character of the text next to a line break: the first (`end` 0) or last (-1) character of
    the nearest token that shows text, skipping markup such as `**`; "" if a break or picture is nearer."""
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline") and token.content:
            return token.content[end]
        if token.type in ("softbreak", "hardbreak", "image"):
            return ""
    return ""


# --- body --------------------------------------------------------------------------------------
class _Body:
    """The body's XML, token by token; also the headings (for the TOC), numberings and images used."""

    def __init__(self, template: _Template, meta: DocxMeta, images: dict[str, bytes],
                 figures: dict[str, Figure]):
        self.template = template
        self.meta = meta
        self.images = images
        self.figures = figures
        self.charts: list[tuple[str, BarChart]] = []  # (relationship id, chart) of each chart part
        self.out: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.numbering: list[tuple[int, int]] = []  # (numId, start) of each ordered list
        self.media: dict[str, tuple[str, str, bytes]] = {}  # source → (relationship id, target, PNG)
        self.links: dict[str, str] = {}  # URL → relationship id, one per address
        self.link: str | None = None  # the open hyperlink's relationship id ("" for a link kept as text)
        self.lists: list[int | None] = []  # stack: the numId of an ordered list, None for a bullet list
        self.quotes = 0  # depth of the open block quotes
        self.runs: list[str] | None = None  # the open paragraph's runs
        self.style = ""
        self.props = ""  # the open paragraph's further properties
        self.after: list[str] = []  # paragraphs that follow the open one (an image's caption)
        self.heading: int = 0  # level of the open heading, 0 outside headings
        self.heading_clauses: tuple[str, ...] = ()
        self.heading_text: list[str] = []
        self.table_rows: list[list[list[tuple[str, str]]]] | None = None
        self.header_rows = 0
        self.cell: list[tuple[str, str]] | None = None  # the open cell's (text, run XML) pairs
        self.header_cell = False
        self.bold = self.italic = False
        self.next_drawing_id = 1  # docPr and shape ids are unique in the document

    def render(self, markdown: str) -> None:
        for token in clausetags.parser().parse(markdown):
            handler = getattr(self, "_" + token.type, None)
            if handler is None:
                raise NotImplementedError(f"DOCX writer has no rule for Markdown token {token.type!r}")
            handler(token)

    def _open(self, style_key: str, level: int = 0, props: str = "") -> None:
        self.runs, self.style, self.props = [], self.template.style(style_key, level), props

    def _close(self) -> None:
        self.out.append(_p(self.style, "".join(self.runs), self.props))
        self.out.extend(self.after)
        self.runs, self.after = None, []

    # blocks
    def _heading_open(self, token):
        level = min(int(token.tag[1]), 4)
        keep_on_page = token.tag == "h1" and not self.meta.chapter_breaks
        self._open("heading", level, '<w:pageBreakBefore w:val="0"/>' if keep_on_page else "")
        self.heading, self.heading_clauses, self.heading_text = level, (), []

    def _heading_close(self, token):
        self.headings.append((self.heading, "".join(self.heading_text)))
        self._close()
        if self.heading_clauses:
            names = [f"{cid} {self.meta.clause_titles.get(cid, '')}".strip() for cid in self.heading_clauses]
            self.out.append(_p(self.template.style("clause"), _run("对应条款：" + "；".join(names))))
        self.heading = 0

    def _paragraph_open(self, token):
        """Body text, or a list item's paragraph; inside a block quote with a bar at the left and
        indented one step further for each quote (pPr children in schema order: numPr, pBdr, ind)."""
        bar = QUOTE_BAR if self.quotes else ""
        if not self.lists:
            indent = f'<w:ind w:left="{LIST_INDENT * self.quotes}"/>' if self.quotes else ""
            self._open("body", props=bar + indent)
            return
        num_id = self.lists[-1]
        props = (f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>' if num_id else "") + bar
        if len(self.lists) + self.quotes > 1:
            props += f'<w:ind w:left="{LIST_INDENT * (len(self.lists) + self.quotes)}"/>'
        self._open("number" if num_id else "bullet", props=props)

    def _paragraph_close(self, token):
        self._close()

    def _bullet_list_open(self, token):
        self.lists.append(None)

    def _ordered_list_open(self, token):
        num_id = self.template.next_num_id + len(self.numbering)
        self.numbering.append((num_id, int(token.attrGet("start") or 1)))
        self.lists.append(num_id)

    def _bullet_list_close(self, token):
        self.lists.pop()

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, token):
        pass

    _list_item_close = _list_item_open

    def _blockquote_open(self, token):
        self.quotes += 1

    def _blockquote_close(self, token):
        self.quotes -= 1

    def _hr(self, token):
        self.out.append(_p(self.template.style("plain"), PAGE_BREAK))

    def _code_block(self, token):
        self.out.append(_p(self.template.style("plain"), _run(token.content.rstrip("\n"), code=True),
                           CODE_SHADING))

    _fence = _code_block

    # tables: gathered whole (column widths depend on every row), then written in one go
    def _table_open(self, token):
        self.table_rows, self.header_rows = [], 0

    def _thead_open(self, token):
        pass

    def _thead_close(self, token):
        self.header_rows = len(self.table_rows)

    _tbody_open = _tbody_close = _tr_close = _thead_open

    def _tr_open(self, token):
        self.table_rows.append([])

    def _td_open(self, token):
        self.cell, self.header_cell = [], token.type == "th_open"  # header cells are bold
        self.table_rows[-1].append(self.cell)

    def _td_close(self, token):
        self.cell = None

    _th_open, _th_close = _td_open, _td_close

    def _table_close(self, token):
        rows = self.table_rows
        columns = max(len(r) for r in rows)
        widths = self._column_widths(rows, columns)
        text_style = self.template.style("table_text")
        out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.template.style("table")}"/>'
               f'<w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
               f'{TABLE_LOOK}</w:tblPr><w:tblGrid>'
               + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"]
        for r, row in enumerate(rows):
            header = r < self.header_rows
            if header:
                out.append('<w:tr><w:trPr><w:tblHeader/></w:trPr>')
            elif any(not "".join(t for t, _ in cell).strip() for cell in row):  # a blank to fill in by hand
                out.append(f'<w:tr><w:trPr><w:trHeight w:val="{WRITING_ROW}" w:hRule="atLeast"/></w:trPr>')
            else:
                out.append("<w:tr>")
            shading = '<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>' if header else ""
            for c in range(columns):
                runs = "".join(xml for _, xml in (row[c] if c < len(row) else []))
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/>{shading}</w:tcPr>'
                           f'{_p(text_style, runs)}</w:tc>')
            out.append("</w:tr>")
        out.append("</w:tbl>")
        out.append(_p(self.template.style("plain")))  # keeps consecutive tables apart
        self.out.append("".join(out))
        self.table_rows = None

    def _column_widths(self, rows, columns: int) -> list[int]:
        """Short columns get their content's width; long ones share what is left (twips)."""
        def width(runs) -> float:  # in half-em units: a CJK character is 2, a Latin one about 1.25
            return sum(2 if ord(ch) > 0x2E80 else 1.25 for text, _ in runs for ch in text)

        available = self.template.text_width
        unit = TABLE_TEXT_PT / 2 * 20
        measured = [[width(cell) for cell in row] for row in rows]
        longest = [max([row[c] for row in measured if c < len(row)] + [2]) for c in range(columns)]
        body = measured[self.header_rows:]
        for c in range(columns):  # a column left blank for handwriting needs room to write
            if body and all(row[c] == 0 for row in body if c < len(row)):
                longest[c] = max(longest[c], 24)
        desired = [unit * (min(n, 60) + 4) for n in longest]
        long = [c for c in range(columns) if longest[c] > 14]
        left = available - sum(desired[c] for c in range(columns) if c not in long)
        if long and left >= unit * 12 * len(long):
            share = sum(desired[c] for c in long)
            widths = [left * desired[c] / share if c in long else desired[c] for c in range(columns)]
        else:  # nothing long, or too many columns: scale every column to the text width
            widths = [available * d / sum(desired) for d in desired]
        return [int(w) for w in widths]

    # inline
    def _inline(self, token):
        children = token.children or []
        if self.heading:
            title, ids = clausetags.split(token.content)
            self.heading_clauses = ids
            if ids:
                children = clausetags.parser().parseInline(title)[0].children or []
        for i, child in enumerate(children):
            if child.type == "softbreak":  # the one token that depends on its neighbours
                if not (joins_without_space(_edge(reversed(children[:i]), -1)) and
                        joins_without_space(_edge(children[i + 1:], 0))):
                    self._text(" ")
                continue
            handler = getattr(self, "_i_" + child.type, None)
            if handler is None:
                raise NotImplementedError(f"DOCX writer has no rule for inline token {child.type!r}")
            handler(child)

    def _i_text(self, token):
        self._text(token.content)

    _i_text_special = _i_text

    def _i_code_inline(self, token):
        self._text(token.content, code=True)

    def _text(self, text: str, code: bool = False) -> None:
        if self.heading:
            self.heading_text.append(text)
        self._append(text, _run(text, self.bold or (self.cell is not None and self.header_cell), self.italic,
                                code, bool(self.link)))

    def _append(self, text: str, xml: str) -> None:
        """Run XML (and the text it shows) into the open table cell or paragraph."""
        if self.cell is not None:
            self.cell.append((text, xml))
        else:
            self.runs.append(xml)

    def _i_hardbreak(self, token):
        self._append("\n", "<w:r><w:br/></w:r>")

    def _i_strong_open(self, token):
        self.bold = True

    def _i_strong_close(self, token):
        self.bold = False

    def _i_em_open(self, token):
        self.italic = True

    def _i_em_close(self, token):
        self.italic = False

    def _i_link_open(self, token):
        """An external link (a scheme the site allows) is a hyperlink to its address; any other link
        (within the site, or a scheme not allowed) has no meaning in the document and stays text."""
        url = token.attrGet("href") or ""
        scheme = _SCHEME.match(url)
        if scheme is None or scheme[1].lower() not in ALLOWED_SCHEMES:
            self.link = ""
            return
        self.link = self.links.setdefault(url, f"rIdAsLink{len(self.links) + 1}")
        self._append("", f'<w:hyperlink r:id="{self.link}" w:history="1">')

    def _i_link_close(self, token):
        if self.link:
            self._append("", "</w:hyperlink>")
        self.link = None

    def _i_image(self, token):
        source = token.attrGet("src")
        if source in self.figures:
            self.runs.append(self._figure(self.figures[source]))
        elif source in self.images:
            self.runs.append(self._picture(source))
        else:
            raise KeyError(f"image {source!r} is referenced but was not produced")
        self.props = '<w:ind w:firstLine="0"/><w:jc w:val="center"/>'
        caption = "".join(child.content for child in token.children or [])
        if caption:
            self.after.append(_p(self.template.style("caption"), _run(caption), '<w:jc w:val="center"/>'))

    def _figure(self, figure: Figure) -> str:
        if isinstance(figure, BarChart):
            rid = f"rIdAsChart{len(self.charts) + 1}"
            self.charts.append((rid, figure))
            run = chart_run(rid, self.next_drawing_id, figure.title, self.template.text_width / 20, figure.height)
            self.next_drawing_id += 1
            return run
        run, self.next_drawing_id = diagram_run(figure, self.next_drawing_id, self.template.style("plain"))
        return run

    def _picture(self, source: str) -> str:
        if source not in self.media:
            n = len(self.media) + 1
            self.media[source] = (f"rIdAsImage{n}", f"media/image{n}.png", self.images[source])
        rid = self.media[source][0]
        pixels_wide, pixels_high = _png_size(self.images[source])
        cx = self.template.text_width * EMU_PER_TWIP
        cy = cx * pixels_high // pixels_wide
        n = self.next_drawing_id
        self.next_drawing_id += 1
        a = "http://schemas.openxmlformats.org/drawingml/2006/main"
        pic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
        wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
        return (
            f'<w:r><w:drawing><wp:inline xmlns:wp="{wp}" distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{n}" name="Picture {n}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{a}" '
            f'noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="{a}"><a:graphicData uri="{pic}">'
            f'<pic:pic xmlns:pic="{pic}"><pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.png"/><pic:cNvPicPr/>'
            f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
            f'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            f"</wp:inline></w:drawing></w:r>")
