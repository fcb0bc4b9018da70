"""What every document has around its body: a cover page, the table of contents (a TOC field
whose result is written as Word writes it: entries linked to their headings, with page numbers when a
layout pass gave them), and the paragraphs of the
header (company, title, document number, version) and footer (page X of Y)."""
from __future__ import annotations

from dataclasses import dataclass

from generator.output.docx.tables import TABLE_LOOK
from generator.output.docx.template import Template
from generator.output.docx.wml import HEADER_RULE, PAGE_BREAK, TAB, ParagraphProps, field, paragraph, run

SUBTITLE = "依据 GB/T 27922-2011《商品售后服务评价体系》"


def cover(template: Template, company: str, title: str, rows: list[tuple[str, str]], date_text: str) -> str:
    """The cover page: company, title and standard, a table of `rows` (编制、审核 …) and the date."""
    plain = paragraph(template.style("plain"))
    out = [plain] * 5 + [
        paragraph(template.style("cover_company"), run(company)),
        paragraph(template.style("title"), run(title)),
        paragraph(template.style("subtitle"), run(SUBTITLE)),
    ] + [plain] * 4
    meta_style = template.style("cover_meta")
    if rows:
        half = template.text_width // 2
        cell = f'<w:tc><w:tcPr><w:tcW w:w="{half}" w:type="dxa"/></w:tcPr>{{}}</w:tc>'
        xml_rows = "".join("<w:tr>" + cell.format(paragraph(meta_style, run(label)))
                           + cell.format(paragraph(meta_style, run(value))) + "</w:tr>" for label, value in rows)
        out.append(f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>{TABLE_LOOK}</w:tblPr>'
                   f'<w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{half}"/></w:tblGrid>{xml_rows}</w:tbl>')
    out.append(paragraph(meta_style, run(date_text) + PAGE_BREAK))
    return "".join(out)


@dataclass(frozen=True)
class Heading:
    """A heading as the contents lists it: its level, number ("13.2", "附录 E" or ""), text and bookmark."""

    level: int
    number: str
    text: str
    bookmark: str


TOC_LEVELS = 2  # the contents lists headings of levels 1 and 2


def contents(template: Template, headings: list[Heading], pages: dict[str, int] | None) -> str:
    """The contents page: a TOC field of heading levels 1–2. Its cached result is what Word's own
    update writes: each entry links to its heading's bookmark and ends in a PAGEREF field for the
    heading's page, after a dotted tab at the right margin. `pages` (bookmark -> page, from a layout
    pass) gives the page numbers; without it the entries end in the tab, and the field is marked to
    be updated."""
    start, end = field('TOC \\o "1-2" \\h \\z \\u', dirty=pages is None)
    entries = [heading for heading in headings if heading.level <= TOC_LEVELS]  # as `Written.contents`
    out = [paragraph(template.style("toc_heading"), run("目　录"))]
    for i, heading in enumerate(entries):
        page_start, page_end = field(f"PAGEREF {heading.bookmark} \\h", dirty=False)
        page = str(pages[heading.bookmark]) if pages is not None else ""
        shown = f"{heading.number} {heading.text}" if heading.number else heading.text
        runs = (f'<w:hyperlink w:anchor="{heading.bookmark}" w:history="1">{run(shown)}{TAB}'
                f"{page_start}{run(page) if page else ''}{page_end}</w:hyperlink>")
        props = ParagraphProps(template.style("toc", heading.level), dotted_tab=template.text_width)
        out.append(paragraph(props, (start if i == 0 else "") + runs + (end + PAGE_BREAK if i == len(entries) - 1 else "")))
    if not entries:
        out.append(paragraph(template.style("plain"), start + end + PAGE_BREAK))
    return "".join(out)


def header_paragraph(template: Template, short_name: str, title: str, number: str, version: str) -> str:
    parts = [short_name, title, number, f"{version} 版" if version else ""]
    return paragraph(ParagraphProps(template.style("header"), border=HEADER_RULE),
                     run("　".join(p for p in parts if p)))


def footer_paragraph(template: Template) -> str:
    page, page_end = field("PAGE", "1", dirty=False)  # Word and LibreOffice count pages as they lay out:
    pages, pages_end = field("NUMPAGES", "1", dirty=False)  # marked dirty, Word would ask to update on opening
    return paragraph(template.style("footer"),
                     run("第 ") + page + page_end + run(" 页 共 ") + pages + pages_end + run(" 页"))
