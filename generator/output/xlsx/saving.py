"""Workbooks (openpyxl) formatted alike and saved reproducibly: the same content gives the same bytes."""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable

from generator.output.ooxml import repack
from generator.output.xlsx.fingerprint import DIGEST_PROPERTY
from generator.output.xlsx.ownership import seal
from generator.output.xlsx.textcells import as_text


def format_table(sheet, widths: list[float], *, header: bool = True) -> None:
    """Column widths, a bold first row (when it is a header) frozen in place, wrapped cells."""
    # openpyxl is imported when a workbook is written: the site imports this module at start-up (`check` too)
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


def save(book, issued: dt.date, formulas: Iterable = (), *, sealed: bool = False) -> bytes:
    """The workbook's bytes, dated `issued` and byte-identical for the same content. Every cell that
    holds a str is a string cell (never a formula or an error value) except the `formulas` cells.
    A `sealed` workbook records the digest of its content (`ownership.seal`), so that `ownership`
    can later tell it, untouched, from the same workbook edited."""
    as_text(book, formulas)
    stamp = dt.datetime.combine(issued, dt.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "aftersales"
    data = _saved(book, stamp)
    if sealed:  # the seal of the content as it reads back from these bytes, not as it was built
        from openpyxl.packaging.custom import StringProperty  # when written, as above

        book.custom_doc_props.append(StringProperty(name=DIGEST_PROPERTY, value=seal(data)))
        data = _saved(book, stamp)
    return data


def _saved(book, stamp: dt.datetime) -> bytes:
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
