"""Excel workbooks (openpyxl) formatted alike and saved reproducibly."""
from __future__ import annotations

import datetime as dt
import io
import re

from .ooxml import repack


def format_table(sheet, widths: list[float], *, header: bool = True) -> None:
    """Column widths, a bold first row (when it is a header) frozen in place, wrapped cells."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if header:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"


def save(book, issued: dt.date) -> bytes:
    """The workbook's bytes, dated `issued` and byte-identical for the same content."""
    stamp = dt.datetime.combine(issued, dt.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "aftersales"
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue(), stamp)


def _reproducible(data: bytes, stamp: dt.datetime) -> bytes:
    """openpyxl's zip made reproducible (fixed entry times and order, core dates), fonts in Excel's order."""
    def fix(parts: dict[str, bytes]) -> None:
        if "xl/styles.xml" in parts:
            parts["xl/styles.xml"] = _font_order(parts["xl/styles.xml"])

    return repack(data, stamp, fix)


# The order Excel writes a font's properties in (and the Open XML SDK's schema, which openxml-audit
# applies, expects); openpyxl writes name and family first.
_FONT_ORDER = {name.encode(): rank for rank, name in enumerate(
    ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color", "name", "family",
     "charset", "scheme"))}


def _font_order(styles: bytes) -> bytes:
    def reorder(match: re.Match) -> bytes:
        children = re.findall(rb"<(\w+)\b[^>]*/>", match.group(2))
        elements = re.findall(rb"<\w+\b[^>]*/>", match.group(2))
        if b"".join(elements) != match.group(2):  # not only empty elements: leave as written
            return match.group(0)
        ranked = sorted(zip(children, elements), key=lambda pair: _FONT_ORDER.get(pair[0], len(_FONT_ORDER)))
        return match.group(1) + b"".join(element for _, element in ranked) + match.group(3)

    return re.sub(rb"(<font>)(.*?)(</font>)", reorder, styles, flags=re.S)
