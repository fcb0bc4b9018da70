"""A Markdown table as a w:tbl: gathered whole by the body writer, since each column's width
depends on every row; header rows repeat on each page and stay with the first row, no row is split
across pages, a small table stays whole and with what comes before it (a heading keeps with its
next paragraph; the body writer keeps a table's lead-in with it), a short number or code in a cell is
not broken across lines where the table has room, and a row left blank to fill in by hand is tall
enough to write in."""
from __future__ import annotations

import re

from generator.output.docx.template import Template
from generator.output.docx.wml import HEADER_FILL, ParagraphProps, paragraph, shading

Cell = list[tuple[str, str]]  # (the text it shows, its run XML) of each piece of a cell
TABLE_TEXT_PT = 9.5  # the size of the Table Text style, for column widths
WRITING_ROW = 425  # twips (0.75 cm): the least height of a row left blank to fill in by hand
KEPT_TOGETHER = 12  # rows (header included): a table this small is kept on one page
TABLE_LOOK = ('<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
              'w:noHBand="0" w:noVBand="1"/>')


def table(template: Template, rows: list[list[Cell]], header_rows: int) -> str:
    """The table (full text width, fixed layout, in the Table Grid style) and an empty paragraph
    after it, which keeps consecutive tables apart."""
    columns = max(len(r) for r in rows)
    texts = [[cell[0][0] if len(cell) == 1 else "".join(text for text, _ in cell) for cell in row] for row in rows]
    widths = column_widths(texts, columns, header_rows, template.text_width)
    text_style = template.style("table_text")
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{template.style("table")}"/>'
           f'<w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
           f'{TABLE_LOOK}</w:tblPr><w:tblGrid>' + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"]
    together = len(rows) <= KEPT_TOGETHER  # a small table: on one page, with the heading or text before it
    cells = {fill: [f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{fill}</w:tcPr>' for w in widths]
             for fill in ("", shading(HEADER_FILL))}  # each column's cell properties, made once
    kept, free = (ParagraphProps(text_style, keep_next=keep).xml for keep in (True, False))
    for r, row in enumerate(rows):
        header = r < header_rows
        if header:  # a row is never split across pages; the header rows repeat on each page
            out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        elif any(not text.strip() for text in texts[r]):
            out.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{WRITING_ROW}" w:hRule="atLeast"/></w:trPr>')
        else:
            out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        starts = cells[shading(HEADER_FILL) if header else ""]
        props = kept if header or (together and r < len(rows) - 1) else free
        for c in range(columns):
            runs = "".join(xml for _, xml in row[c]) if c < len(row) else ""
            out.append(f"{starts[c]}<w:p>{props}{runs}</w:p></w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    out.append(paragraph(template.style("plain")))
    return "".join(out)


def column_widths(rows: list[list[str]], columns: int, header_rows: int, available: int) -> list[int]:
    """Short columns get their content's width; long ones share what is left (twips). `rows` are the
    cells' texts."""
    def width(text: str) -> float:  # in half-em units: a CJK character is 2, a Latin one about 1.25
        wide = len(_WIDE.findall(text))  # quarter units: the sum is exact, whatever the order
        return wide * 2 + (len(text) - wide) * 1.25

    unit = TABLE_TEXT_PT / 2 * 20
    measured = [[width(cell) for cell in row] for row in rows]
    longest = [max([row[c] for row in measured if c < len(row)] + [2]) for c in range(columns)]
    body = measured[header_rows:]
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
    return [int(w) for w in _unbroken(widths, rows, columns, unit)]


_WIDE = re.compile("[\u2e81-\U0010ffff]")  # a character wider than a Latin one (ord > 0x2E80)
_WORD = re.compile(r"[^\s\u2e80-\U0010ffff]+")  # a run of Latin letters, digits and signs: broken only if it must be


def _unbroken(widths: list[float], rows: list[list[str]], columns: int, unit: float) -> list[float]:
    """Widths in which a short number or code (a telephone number, "0757-2666 8802", a date, an id)
    stays on one line, and no word is broken, where the table has room: a column narrower than that
    takes the room from the columns wider than theirs, in proportion to what they can give."""
    def least(text: str) -> float:
        text = text.strip()
        if text and len(text) <= 20 and not _WIDE.search(text):
            return 1.25 * len(text)  # short and without Chinese: kept whole
        return max((1.25 * len(word) for word in _WORD.findall(text)), default=0)

    floors = [unit * (min(max([least(row[c]) for row in rows if c < len(row)] + [0]), 26) + 2) for c in range(columns)]
    short = sum(max(f - w, 0) for f, w in zip(floors, widths))
    spare = sum(max(w - f, 0) for f, w in zip(floors, widths))
    if short <= 0 or spare < short:
        return widths  # nothing to do, or no room to do it
    return [f if w < f else w - (w - f) * short / spare for f, w in zip(floors, widths)]
