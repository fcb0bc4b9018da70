"""The WordprocessingML the body is written in: paragraphs, runs, fields and pictures as XML text.

Paragraph and run properties are values (`ParagraphProps`, `RunProps`) whose fields are declared in
the order of the schema's sequences (CT_PPr, CT_RPr, ECMA-376 Part 1 §17.3.1.26 and §17.3.2.28) and
written in field order, so the order of the children of w:pPr and w:rPr is a property of the code.
Text is escaped in one place (`run`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from generator.output.ooxml import CODE_LATIN, esc_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Every namespace a body, header or footer fragment uses with a prefix, declared on its container.
NAMESPACES = {
    "w": W, "r": R,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
}
DECLARATIONS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
EMU_PER_TWIP = 635
LIST_INDENT = 420  # twips (21 pt) per nesting level
CODE_FILL, HEADER_FILL = "F2F2F2", "E7E6E6"  # code's light grey ground; a table header row's
LINK_COLOUR = "0563C1"  # a link as Word's own Hyperlink style shows it (the reference template has none)
PAGE_BREAK = '<w:r><w:br w:type="page"/></w:r>'
LINE_BREAK = "<w:r><w:br/></w:r>"
TAB = "<w:r><w:tab/></w:r>"
# The paragraph borders in use: a quote's bar at the left, as on the site; the header's rule below.
QUOTE_BAR = '<w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="BFBFBF"/></w:pBdr>'
HEADER_RULE = '<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="808080"/></w:pBdr>'


def shading(fill: str) -> str:
    """A w:shd with a plain fill (pPr, rPr and tcPr all take it)."""
    return f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'


@dataclass(frozen=True)
class ParagraphProps:
    """The w:pPr children the documents use, declared in CT_PPr's order and written in it."""

    style: str  # w:pStyle: a style id
    keep_next: bool = False  # w:keepNext: on the same page as the next paragraph (a small table's rows)
    page_break_before: bool | None = None  # w:pageBreakBefore; None: as the style says
    numbering: int | None = None  # w:numPr: the numId of a list (0: none, whatever the style says)
    numbering_level: int = 0  # w:numPr's w:ilvl
    border: str = ""  # w:pBdr: QUOTE_BAR or HEADER_RULE
    fill: str = ""  # w:shd
    dotted_tab: int | None = None  # w:tabs: a right tab with a dotted leader at this position, twips
    indent_left: int | None = None  # w:ind w:left, twips
    first_line: int | None = None  # w:ind w:firstLine, twips
    centred: bool = False  # w:jc

    @functools.cached_property
    def xml(self) -> str:
        out = [f'<w:pPr><w:pStyle w:val="{self.style}"/>']
        if self.keep_next:
            out.append("<w:keepNext/>")
        if self.page_break_before is not None:
            out.append(f'<w:pageBreakBefore w:val="{int(self.page_break_before)}"/>')
        if self.numbering is not None:
            out.append(f'<w:numPr><w:ilvl w:val="{self.numbering_level}"/><w:numId w:val="{self.numbering}"/></w:numPr>')
        out.append(self.border)
        if self.fill:
            out.append(shading(self.fill))
        if self.dotted_tab is not None:
            out.append(f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{self.dotted_tab}"/></w:tabs>')
        if self.indent_left is not None or self.first_line is not None:
            left = f' w:left="{self.indent_left}"' if self.indent_left is not None else ""
            first = f' w:firstLine="{self.first_line}"' if self.first_line is not None else ""
            out.append(f"<w:ind{left}{first}/>")
        if self.centred:
            out.append('<w:jc w:val="center"/>')
        out.append("</w:pPr>")
        return "".join(out)


@dataclass(frozen=True)
class RunProps:
    """The w:rPr children the documents use, declared in CT_RPr's order and written in it."""

    monospace: bool = False  # w:rFonts: code's Latin font (East Asian text keeps the body font)
    bold: bool = False  # w:b
    italic: bool = False  # w:i
    colour: str = ""  # w:color
    underline: bool = False  # w:u
    fill: str = ""  # w:shd

    @functools.cached_property
    def xml(self) -> str:
        out = []
        if self.monospace:
            out.append(f'<w:rFonts w:ascii="{CODE_LATIN}" w:hAnsi="{CODE_LATIN}" w:cs="{CODE_LATIN}"/>')
        if self.bold:
            out.append("<w:b/>")
        if self.italic:
            out.append("<w:i/>")
        if self.colour:
            out.append(f'<w:color w:val="{self.colour}"/>')
        if self.underline:
            out.append('<w:u w:val="single"/>')
        if self.fill:
            out.append(shading(self.fill))
        return f"<w:rPr>{''.join(out)}</w:rPr>" if out else ""


@functools.lru_cache(maxsize=32)
def run_props(bold: bool = False, italic: bool = False, code: bool = False, link: bool = False) -> RunProps:
    """The properties of text: code in a monospace font on grey, a link coloured and underlined."""
    return RunProps(monospace=code, bold=bold, italic=italic, colour=LINK_COLOUR if link else "",
                    underline=link, fill=CODE_FILL if code else "")


PLAIN = RunProps()
# An empty element is written as lxml writes it (<x/>): the body's text is the package's, unparsed.
EMPTY_TEXT, _EMPTY_TEXT = '<w:t xml:space="preserve"/>', '<w:t xml:space="preserve"></w:t>'


def run(text: str, props: RunProps = PLAIN) -> str:
    """A run of text; line breaks and tabs (code blocks) become elements within it."""
    body = esc_text(text)
    if "\n" in body or "\t" in body:
        body = body.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">').replace(
            "\t", '</w:t><w:tab/><w:t xml:space="preserve">')
        return f'<w:r>{props.xml}<w:t xml:space="preserve">{body}</w:t></w:r>'.replace(_EMPTY_TEXT, EMPTY_TEXT)
    if not body:
        return f"<w:r>{props.xml}{EMPTY_TEXT}</w:r>"
    return f'<w:r>{props.xml}<w:t xml:space="preserve">{body}</w:t></w:r>'


def paragraph(props: ParagraphProps | str, runs: str = "") -> str:
    """A paragraph; `props` may be just a style id."""
    if isinstance(props, str):
        props = ParagraphProps(props)
    return f"<w:p>{props.xml}{runs}</w:p>"


def field(instruction: str, cached: str = "", *, dirty: bool = True) -> tuple[str, str]:
    """A Word field (PAGE, NUMPAGES, TOC …) as (start, end) run XML; the cached result goes between.
    A field is marked dirty (Word updates it) unless its cached result is known to be right."""
    mark = ' w:dirty="true"' if dirty else ""
    start = (f'<w:r><w:fldChar w:fldCharType="begin"{mark}/></w:r>'
             f'<w:r><w:instrText xml:space="preserve"> {esc_text(instruction)} </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + (run(cached) if cached else ""))
    return start, FIELD_END


FIELD_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def bookmark(number: int, name: str) -> tuple[str, str]:
    """A bookmark's start and end, around the runs it marks."""
    return f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>', f'<w:bookmarkEnd w:id="{number}"/>'


def picture_run(relationship: str, drawing_id: int, cx: int, cy: int) -> str:
    """An inline picture (a related image part) `cx` × `cy` EMU."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    pic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    n = drawing_id
    return (
        f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:docPr id="{n}" name="Picture {n}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{a}" '
        f'noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="{a}"><a:graphicData uri="{pic}">'
        f'<pic:pic xmlns:pic="{pic}"><pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.png"/><pic:cNvPicPr/>'
        f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{relationship}"/><a:stretch><a:fillRect/></a:stretch>'
        f'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        f"</wp:inline></w:drawing></w:r>")
