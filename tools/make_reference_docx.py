"""Regenerate templates/docx/reference.docx: the styles every generated DOCX uses.

Run `python tools/make_reference_docx.py` after changing a style here; the result is committed so
that users (and pandoc, as --reference-doc) can open and adjust it in Word. Styles are set for
Chinese documents: 宋体 body and 黑体 headings on the East Asian font slot (w:eastAsia), black
headings, A4 with 2.5 cm margins.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.output.ooxml import BODY_CJK, BODY_LATIN, HEAD_CJK, HEAD_LATIN  # noqa: E402 (one place for the fonts)

BLACK = RGBColor(0, 0, 0)


def set_fonts(style, latin: str, cjk: str, size: float | None = None, bold: bool | None = None) -> None:
    font = style.font
    font.name = latin
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), cjk)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme_attr), None)
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.color.rgb = BLACK


def paragraph_style(doc, name: str, base: str = "Normal"):
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[base]
        return style


def build(path: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.2)

    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_LATIN, BODY_CJK, 10.5)
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(3)

    body = paragraph_style(doc, "Body Text")
    set_fonts(body, BODY_LATIN, BODY_CJK, 10.5)
    body.paragraph_format.first_line_indent = Pt(21)  # two CJK characters

    sizes = {1: 16, 2: 14, 3: 12, 4: 10.5}
    for level, size in sizes.items():
        style = doc.styles[f"Heading {level}"]
        set_fonts(style, HEAD_LATIN, HEAD_CJK, size, bold=True)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(12 if level < 3 else 8), Pt(6)
        fmt.keep_with_next = True
        fmt.line_spacing = 1.25
        if level == 1:
            fmt.page_break_before = True

    for name, size in (("Title", 26), ("Subtitle", 15)):
        style = doc.styles[name]
        set_fonts(style, HEAD_LATIN, HEAD_CJK, size, bold=name == "Title")
        style.font.italic = False
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        style.paragraph_format.space_after = Pt(12)
        ppr = style.element.get_or_add_pPr()
        for child in list(ppr):
            if child.tag in (qn("w:pBdr"), qn("w:numPr")):
                ppr.remove(child)

    tag = paragraph_style(doc, "Clause Tag")
    set_fonts(tag, BODY_LATIN, "楷体", 9)
    tag.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    tag.paragraph_format.space_after = Pt(6)
    tag.paragraph_format.keep_with_next = True

    for name, size, align in (("Cover Company", 18, WD_ALIGN_PARAGRAPH.CENTER),
                              ("Cover Meta", 12, WD_ALIGN_PARAGRAPH.CENTER),
                              ("Header Text", 9, WD_ALIGN_PARAGRAPH.CENTER),
                              ("Footer Text", 9, WD_ALIGN_PARAGRAPH.CENTER)):
        style = paragraph_style(doc, name)
        set_fonts(style, BODY_LATIN if "Cover" not in name else HEAD_LATIN,
                  BODY_CJK if "Cover" not in name else HEAD_CJK, size)
        style.paragraph_format.alignment = align
        style.paragraph_format.first_line_indent = None

    table_text = paragraph_style(doc, "Table Text")
    set_fonts(table_text, BODY_LATIN, BODY_CJK, 9.5)
    table_text.paragraph_format.line_spacing = 1.15
    table_text.paragraph_format.space_after = Pt(0)

    toc = doc.styles["TOC Heading"]
    set_fonts(toc, HEAD_LATIN, HEAD_CJK, 16, bold=True)
    toc.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for level in (1, 2):
        style = paragraph_style(doc, f"toc {level}")
        set_fonts(style, BODY_LATIN, BODY_CJK, 10.5)
        style.paragraph_format.left_indent = Pt(21 * (level - 1))
        style.paragraph_format.space_after = Pt(0)

    for name in ("List Bullet", "List Number", "Caption"):
        set_fonts(doc.styles[name], BODY_LATIN, BODY_CJK, 10.5 if name != "Caption" else 9)

    for paragraph in list(doc.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    doc.core_properties.author = "aftersales"
    doc.core_properties.title = "reference"
    # python-docx's default template carries Word 2010's stylesWithEffects.xml, a second copy of the
    # styles that no longer matches the ones changed above: Word may call the file unreadable
    # (openxml-audit reports it). Word does not need the part; without its relationship it is not saved.
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[rid]
    doc.save(path)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "templates/docx/reference.docx"
    build(target)
    print(f"wrote {target}")
