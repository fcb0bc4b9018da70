"""What every document has around its body: a cover page, the table of contents (a TOC field
pre-filled with the headings, so it reads before Word updates it), and the paragraphs of the
header (company, title, document number, version) and footer (page X of Y)."""
from __future__ import annotations

from generator.output.docx.tables import TABLE_LOOK
from generator.output.docx.template import Template
from generator.output.docx.wml import HEADER_RULE, PAGE_BREAK, ParagraphProps, field, paragraph, run

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


def contents(template: Template, headings: list[tuple[int, str]]) -> str:
    """The contents page: a TOC field of heading levels 1–2, its entries cached as plain text."""
    start, end = field('TOC \\o "1-2" \\h \\z \\u')
    entries = [(template.style("plain"), start)] + [
        (template.style("toc", level), run(text)) for level, text in headings if level <= 2]
    out = [paragraph(template.style("toc_heading"), run("目　录"))]
    out += [paragraph(style, runs + (end + PAGE_BREAK if i == len(entries) - 1 else ""))
            for i, (style, runs) in enumerate(entries)]
    return "".join(out)


def header_paragraph(template: Template, short_name: str, title: str, number: str, version: str) -> str:
    parts = [short_name, title, number, f"{version} 版" if version else ""]
    return paragraph(ParagraphProps(template.style("header"), border=HEADER_RULE),
                     run("　".join(p for p in parts if p)))


def footer_paragraph(template: Template) -> str:
    page, page_end = field("PAGE", "1")
    pages, pages_end = field("NUMPAGES", "1")
    return paragraph(template.style("footer"),
                     run("第 ") + page + page_end + run(" 页 共 ") + pages + pages_end + run(" 页"))
