"""Excel workbooks (openpyxl) formatted alike and saved reproducibly, and the rule that keeps text
text in every spreadsheet the tool writes (XLSX, CSV, a chart's embedded workbook).

Text from a profile, a template or the standard is data, never a formula. A cell that starts like a
formula ("=", "+", "-", "@", tab, CR, NUL; also the full-width "＝＋－＠" a Chinese input method types,
which East Asian Excel may take for the half-width ones as it does full-width digits) is a string
cell with Excel's quotePrefix, so it shows exactly its text and editing it in Excel keeps it text.
In a CSV, which Excel evaluates as it opens it, such a cell gets a leading apostrophe (OWASP's CSV
injection advice). Our workbooks hold no formulas; one that ever needs a formula names its cells to `save`.

A workbook the user names (`score --xlsx FILE`) is sealed (`seal`), so that the tool replaces it only
while it is untouched (`ownership`). The rule: any change a user would call an edit makes the
workbook the user's, and when in doubt it is the user's. Values, cell formatting (number formats,
fonts, fills, borders, alignment), frozen panes, filters, conditional formats, validation,
protection, print settings, images, charts and other added parts, the document's title and other
properties are compared exactly (each as every program writes it); column widths and row heights,
which a save without edits may round, within about a character and a point. The view (active
sheet and cell, selection, scrolling, zoom) and what a save rewrites by itself (dates, last author,
application) are not compared. A symbolic link is never the tool's.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable

from generator.output.ooxml import repack

# The first characters with which Excel, LibreOffice or Google Sheets may read a cell as a formula
# (OWASP; ASVS 5.0 1.2.10 adds NUL), and the full-width forms a Chinese input method types.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Texts openpyxl would store as error values rather than strings.
_ERROR_TEXTS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could take `text`, typed or opened as a cell, for a formula."""
    return text.startswith(FORMULA_START)


def _quoted(text: str) -> bool:
    """Whether a text cell needs quotePrefix: Excel would make it a formula or an error value when edited."""
    return formula_like(text) or text in _ERROR_TEXTS


def csv_cell(value):
    """A CSV cell that a spreadsheet shows as text: a str that starts like a formula (after any
    apostrophes, so that the mapping can be undone) gets a leading apostrophe; anything else is as it is."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(cell: str) -> str:
    """The text `csv_cell` was given: its inverse."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START) else cell


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


def save(book, issued: dt.date, formulas: Iterable = (), *, sealed: bool = False) -> bytes:
    """The workbook's bytes, dated `issued` and byte-identical for the same content. Every cell that
    holds a str is a string cell (never a formula or an error value) except the `formulas` cells.
    A `sealed` workbook records the digest of its content (`content_digest`), so that `ownership`
    can later tell it, untouched, from the same workbook edited."""
    as_text(book, formulas)
    stamp = dt.datetime.combine(issued, dt.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "aftersales"
    data = _saved(book, stamp)
    if sealed:  # the seal of the content as it reads back from these bytes, not as it was built
        from openpyxl.packaging.custom import StringProperty

        book.custom_doc_props.append(StringProperty(name=DIGEST_PROPERTY, value=seal(data)))
        data = _saved(book, stamp)
    return data


def _saved(book, stamp: dt.datetime) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue(), stamp)


def as_text(book, formulas: Iterable = ()) -> None:
    """Every str cell of the workbook (but the `formulas` cells) as a string cell showing its text;
    one that Excel would read as a formula or an error when edited gets quotePrefix."""
    keep = {id(cell) for cell in formulas}
    for sheet in book.worksheets:
        for cell in sheet._cells.values():  # the cells that exist (iter_rows would add empty ones)
            value = cell.value
            if not isinstance(value, str) or id(cell) in keep:
                continue
            cell.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error
            if _quoted(value):
                cell.quotePrefix = True


def chart_data_xlsx(data) -> bytes:
    """The workbook of python-pptx chart data (`data.xlsx_blob`, written with XlsxWriter in the
    layout the chart XML points at) with text kept text: XlsxWriter's write() would make a str that
    starts with "=" a formula and one that looks like a URL a hyperlink."""
    from contextlib import contextmanager

    from pptx.chart.xlsx import CategoryWorkbookWriter
    from xlsxwriter import Workbook

    class TextWriter(CategoryWorkbookWriter):
        @contextmanager
        def _open_worksheet(self, xlsx_file):
            book = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
            sheet = book.add_worksheet()
            quoted = {}

            def text(worksheet, row, col, token, cell_format=None):
                if not _quoted(token):
                    return None  # XlsxWriter's own handling: a string cell (or a blank for "")
                key = None if cell_format is None else cell_format.num_format
                if key not in quoted:
                    quoted[key] = book.add_format({"quote_prefix": True} if key is None else
                                                  {"num_format": key, "quote_prefix": True})
                return worksheet.write_string(row, col, token, quoted[key])

            sheet.add_write_handler(str, text)
            yield book, sheet
            book.close()

    return TextWriter(data).xlsx_blob  # python-pptx's own writer for category charts, with these options


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


# --- telling the tool's own untouched workbook from one the user has edited ---------------------
# Excel, WPS, LibreOffice and openpyxl keep the creator property when a user saves, so it says who
# wrote a workbook first, not whether it is still as written. A sealed workbook (save(sealed=True))
# also holds, in a custom document property, "v2:DIGEST:MEASURES" (see _fingerprint):
#  - DIGEST, a SHA-256 of everything a user may change, each written the same way by every program
#    that keeps it: per sheet its name, kind, order and visibility, frozen panes, gridlines, autofilter,
#    conditional formats, data validation, protection, print settings (paper, orientation, scale,
#    margins to the millimetre, headers and footers, print area and titles, page breaks), images,
#    charts, tables, tab colour, merged cells, hidden rows and columns; per cell its value and kind,
#    number format (with "\" and quotes dropped and in lower case: LibreOffice writes "yyyy-mm-dd"
#    back as "yyyy\-mm\-dd"), font (name, size, colour, emphasis), fill, borders, alignment,
#    protection, comment and hyperlink; the workbook's defined names, protection, title, subject,
#    description, keywords, category, company, manager and custom properties;
#  - MEASURES, data rather than a digest: each sheet's default and custom column widths and row
#    heights, which a save without edits may round (Excel to whole pixels); a width that moves by
#    more than WIDTH_TOLERANCE characters, or a height by more than HEIGHT_TOLERANCE points, is an edit.
# A part of the package no plain save writes (an image, a chart, a drawing, a table, a pivot table,
# macros, printer settings, any other file in the zip) makes the workbook edited as well. Left out,
# as the view rather than the content: the active sheet and cell, the selection, the scroll position,
# zoom and window sizes; and what a save rewrites by itself: the dates, last author, revision,
# language and application of the document properties, the calculation settings.
# When in doubt the workbook is the user's: LibreOffice's conversion without a view (soffice
# --convert-to) drops frozen panes and names the font it shows Chinese text in, so a workbook it
# saved is edited, and the tool writes another name rather than replace it.
DIGEST_PROPERTY = "aftersales-content"
DIGEST_VERSION = "v2"  # what _fingerprint covers; a workbook sealed by another version is not confirmed
WIDTH_TOLERANCE = 1.0  # characters: Excel rounds a width to whole pixels, LibreOffice to 1/100 mm
HEIGHT_TOLERANCE = 1.0  # points: Excel rounds a height to whole pixels (0.75 pt)
OURS, EDITED, UNCONFIRMED, FOREIGN = "ours", "edited", "unconfirmed", "foreign"
_MAX_UNPACKED = 64 << 20  # bytes: ours are tens of KB; a larger workbook is read no further
# The parts a plain save by openpyxl, Excel or LibreOffice writes (comments come with VML drawings).
_PLAIN_PARTS = re.compile(r"""\[Content_Types\]\.xml|_rels/\.rels|docProps/(core|app|custom)\.xml
    |xl/(workbook\.xml|_rels/workbook\.xml\.rels|styles\.xml|sharedStrings\.xml|calcChain\.xml|theme/theme\d+\.xml
    |worksheets/sheet\d+\.xml|worksheets/_rels/sheet\d+\.xml\.rels|comments\d*\.xml|comments/comment\d+\.xml
    |drawings/(commentsDrawing|vmlDrawing)\d+\.vml)""", re.X)
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def seal(data: bytes) -> str:
    """The seal of the workbook `data` (the value of its DIGEST_PROPERTY), as it reads back."""
    import json

    digest, measures = _fingerprint(data)
    return f"{DIGEST_VERSION}:{digest}:{json.dumps(measures, separators=(',', ':'))}"


def ownership(path) -> str:
    """Whose the workbook at `path` is: OURS (written by this tool, sealed, and its content still
    as written: it may be replaced), EDITED (written by this tool, edited since), UNCONFIRMED
    (written by this tool, but whether it was edited cannot be told: written by a version that
    sealed no digest or a digest of another kind, or it cannot be read) or FOREIGN (not written by
    this tool, or a symbolic link: replacing it would replace the link, whatever it points at)."""
    import json
    import os
    import zipfile

    if os.path.islink(path):
        return FOREIGN
    try:
        with open(path, "rb") as stream:
            data = stream.read(_MAX_UNPACKED + 1)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            core = package.read("docProps/core.xml")
            size = sum(info.file_size for info in package.infolist())
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, EOFError):
        return FOREIGN
    if re.search(rb"<dc:creator\b[^>]*>aftersales</dc:creator>", core) is None:
        return FOREIGN
    if size > _MAX_UNPACKED or len(data) > _MAX_UNPACKED:
        return UNCONFIRMED
    try:
        sealed = [p.value for p in _load(io.BytesIO(data)).custom_doc_props
                  if p.name == DIGEST_PROPERTY and isinstance(p.value, str)]
        version, digest, measures = (sealed[0] if len(sealed) == 1 else "").split(":", 2)
        if version != DIGEST_VERSION:
            return UNCONFIRMED
        expected = json.loads(measures)
        found_digest, found = _fingerprint(data)
    except Exception:  # noqa: BLE001 - whatever fails to read, the workbook is not confirmed ours
        return UNCONFIRMED
    return OURS if digest == found_digest and _measures_agree(expected, found) else EDITED


def made_here(path) -> bool:
    """Whether the workbook at `path` is this tool's own, untouched since it was written, and so may
    be replaced by a new one."""
    return ownership(path) == OURS


def _load(source):
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():  # openpyxl warns of parts it drops (an edited workbook's extensions)
        warnings.simplefilter("ignore")
        return load_workbook(source, keep_links=False)


def content_digest(data: bytes) -> str:
    """SHA-256 of what a user's edit of the workbook `data` changes and a save without edits keeps
    (see the note above DIGEST_PROPERTY), widths and heights aside."""
    return _fingerprint(data)[0]


def _fingerprint(data: bytes) -> tuple[str, list]:
    """The digest of the workbook `data` and its measures: per sheet [default column width, default
    row height, {column: width}, {row: custom height}]."""
    import hashlib
    import json
    import zipfile

    digest = hashlib.sha256()

    def put(*fields) -> None:
        digest.update(json.dumps(fields, ensure_ascii=False, default=str).encode("utf-8") + b"\n")

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        put("parts", sorted(name for name in package.namelist() if not _PLAIN_PARTS.fullmatch(name)))
        app = package.read("docProps/app.xml").decode("utf-8", "replace") if "docProps/app.xml" in package.namelist() else ""
        heights = _row_heights(package)
    book = _load(io.BytesIO(data))
    info = book.properties
    put("properties", [info.title or "", info.subject or "", info.description or "", info.keywords or "",
                       info.category or "", info.contentStatus or "", info.identifier or "",
                       [[v for v in re.findall(rf"<{tag}>(.*?)</{tag}>", app, re.S) if v.strip()]
                        for tag in ("Company", "Manager")],  # Excel may write them empty
                       sorted((p.name, str(p.value)) for p in book.custom_doc_props if p.name != DIGEST_PROPERTY)])
    put("names", sorted((name, str(defined.attr_text)) for name, defined in book.defined_names.items()))
    put("protection", _protected(book.security, ("lockStructure", "lockWindows", "lockRevision")))
    default_font = book._fonts[0] if book._fonts else None  # the Normal style's, for fonts that name no size
    measures = []
    for index, sheet in enumerate(book._sheets):  # worksheets and chart sheets, in order
        put("sheet", sheet.title, type(sheet).__name__, sheet.sheet_state)
        if not hasattr(sheet, "_cells"):
            continue
        for record in _sheet_records(sheet, book):
            put(*record)
        for (row, column), cell in sorted(sheet._cells.items()):
            look = _look(cell, default_font)
            if cell.value in (None, "") and _plain(look, default_font):
                continue  # an empty cell without formatting, however written, is no content
            put(row, column, *_value(cell), *look)
        measures.append(_measures(sheet, heights[index] if index < len(heights) else {}))
    return digest.hexdigest(), measures


def _sheet_records(sheet, book) -> Iterable[tuple]:
    """What a user changes in a sheet beside its cells, each as written alike by every program."""
    view, setup, options, margins = sheet.sheet_view, sheet.page_setup, sheet.print_options, sheet.page_margins
    yield "merged", sorted(str(r) for r in sheet.merged_cells.ranges)
    yield "hidden rows", sorted(n for n, d in sheet.row_dimensions.items() if d.hidden)
    yield "hidden columns", sorted({n for d in sheet.column_dimensions.values() if d.hidden and d.min and d.max
                                    for n in range(d.min, d.max + 1)})
    yield "names", sorted((name, str(defined.attr_text)) for name, defined in sheet.defined_names.items())
    yield ("view", sheet.freeze_panes, view.showGridLines is not False, bool(view.rightToLeft),
           view.showZeros is not False, view.showRowColHeaders is not False,
           _colour(sheet.sheet_properties.tabColor), bool(sheet.sheet_format.zeroHeight), bool(view.showFormulas))
    yield "outline", (sorted((n, d.outlineLevel) for n, d in sheet.row_dimensions.items() if d.outlineLevel),
                      sorted((n, d.outlineLevel) for d in sheet.column_dimensions.values()
                             if d.outlineLevel and d.min and d.max for n in range(d.min, d.max + 1)))
    yield "filter", _xml(sheet.auto_filter)  # with its sort state
    yield "conditional formats", [(str(cf.sqref), [_xml(rule) for rule in cf.rules]) for cf in sheet.conditional_formatting]
    yield "differential styles", [_xml(style) for style in book._differential_styles.dxf]
    yield "validation", [_xml(v) for v in sheet.data_validations.dataValidation]
    yield "protection", _protected(sheet.protection, ("sheet",))
    yield ("print", setup.orientation if setup.orientation not in (None, "default") else "portrait",
           int(setup.paperSize or 9), int(setup.scale or 100),  # A4 where the printer's default is asked for
           bool(sheet.sheet_properties.pageSetUpPr and sheet.sheet_properties.pageSetUpPr.fitToPage),
           int(setup.fitToWidth if setup.fitToWidth is not None else 1),
           int(setup.fitToHeight if setup.fitToHeight is not None else 1), setup.pageOrder or "downThenOver", bool(setup.blackAndWhite),
           bool(setup.draft), setup.cellComments or "none", setup.errors or "displayed",
           bool(setup.useFirstPageNumber) and setup.firstPageNumber,
           [bool(getattr(options, k)) for k in ("gridLines", "headings", "horizontalCentered", "verticalCentered")],
           [round(float(getattr(margins, k) or 0) * 25.4) for k in ("left", "right", "top", "bottom", "header", "footer")],
           sheet.print_area, sheet.print_title_rows, sheet.print_title_cols,
           [b.id for b in sheet.row_breaks.brk], [b.id for b in sheet.col_breaks.brk])
    header = sheet.HeaderFooter
    yield ("header", bool(header.differentFirst), bool(header.differentOddEven),
           [[getattr(getattr(header, part), side).text or "" for side in ("left", "center", "right")]
            for part in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")])
    yield ("objects", [(type(i).__name__, _xml(i.anchor._from) if hasattr(i.anchor, "_from") else str(i.anchor))
                       for i in sheet._images + sheet._charts],
           sorted(sheet.tables.items()))  # (name, range) pairs


def _protected(protection, switches: tuple[str, ...]):
    """A protection's settings when it is on (with its password's hash), else None."""
    if not any(getattr(protection, k, None) for k in switches):
        return None
    return _xml(protection)


def _xml(element) -> str:
    """An openpyxl object as the XML openpyxl would write for it."""
    from openpyxl.xml.functions import tostring

    return tostring(element.to_tree()).decode("utf-8")


def _measures(sheet, custom_heights: dict[int, float]) -> list:
    """[default column width, default row height, [width of column 1, 2 … or None], {row: height}] of
    `sheet`: the widths of every column that has one, the heights only where a user set them. Kept
    short: Excel keeps a custom property's text to 255 characters."""
    form = sheet.sheet_format
    default_width = form.defaultColWidth or (form.baseColWidth or 8) + 0.71  # Calibri 11's padding
    widths = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.width and dimension.min and dimension.max:
            widths.update(dict.fromkeys(range(dimension.min, min(dimension.max, 16384) + 1), _short(dimension.width)))
    return [_short(default_width), _short(form.defaultRowHeight or 15),
            [widths.get(n) for n in range(1, max(widths, default=0) + 1)],
            {str(row): _short(height) for row, height in sorted(custom_heights.items())}]


def _short(number: float) -> float | int:
    return int(number) if float(number).is_integer() else round(float(number), 2)


def _measures_agree(expected: list, found: list) -> bool:
    """Whether the widths and heights `found` are those `expected`, give or take a save's rounding."""
    if len(expected) != len(found):
        return False
    for (width, height, widths, heights), (width2, height2, widths2, heights2) in zip(expected, found):
        if abs(width - width2) > WIDTH_TOLERANCE or abs(height - height2) > HEIGHT_TOLERANCE:
            return False
        for n in range(max(len(widths), len(widths2))):
            one = widths[n] if n < len(widths) and widths[n] is not None else width
            other = widths2[n] if n < len(widths2) and widths2[n] is not None else width2
            if abs(one - other) > WIDTH_TOLERANCE:
                return False
        if heights.keys() != heights2.keys() or any(abs(heights[n] - heights2[n]) > HEIGHT_TOLERANCE for n in heights):
            return False
    return True


def _row_heights(package) -> list[dict[int, float]]:
    """Per worksheet (in the workbook's order), the rows a user gave a height: openpyxl reads every
    row's height, LibreOffice writes one for every row, and only customHeight tells them apart."""
    import posixpath
    import xml.etree.ElementTree as ET

    targets = {rel.get("Id"): rel.get("Target") for rel in ET.fromstring(package.read("xl/_rels/workbook.xml.rels"))
               .iter(_RELS)}
    result = []
    for sheet in ET.fromstring(package.read("xl/workbook.xml")).iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_R_ID), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        heights = {}
        if part in package.namelist() and part.startswith("xl/worksheets/"):
            for _, row in ET.iterparse(package.open(part)):
                if row.tag == f"{_MAIN}row":
                    if row.get("customHeight") in ("1", "true") and row.get("ht") and row.get("r"):
                        heights[int(row.get("r"))] = float(row.get("ht"))
                    row.clear()
        result.append(heights)
    return result


def _value(cell) -> tuple:
    """A cell's kind and value, written alike by every writer that keeps it: a number to 15
    significant digits (Excel's precision), a date or time in ISO form."""
    value = cell.value
    if value in (None, ""):
        return ("", "")
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("n", format(float(value), ".15g"))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return ("d", value.isoformat())
    if isinstance(value, dt.timedelta):
        return ("t", value.total_seconds())
    return (cell.data_type, str(value))  # text, a formula's text ("f"), an error value ("e")


def _look(cell, default_font) -> tuple:
    """What a user changes in a cell's look, each part as every program writes it: font, number
    format, fill, borders, alignment, protection, comment, hyperlink."""
    font, fill, border, align = cell.font, cell.fill, cell.border, cell.alignment  # style proxies
    if fill.tagname == "patternFill":
        shade = (fill.patternType, _colour(fill.fgColor), _colour(fill.bgColor)) if fill.patternType not in (None, "none") else None
    else:  # a gradient
        shade = (fill.type, fill.degree, [(stop.position, _colour(stop.color)) for stop in fill.stop])
    sides = [(side, getattr(border, side).style, _colour(getattr(border, side).color))
             for side in ("left", "right", "top", "bottom", "diagonal") if getattr(border, side) and getattr(border, side).style]
    link = cell.hyperlink
    return (bool(font.b), bool(font.i), font.u or None, bool(font.strike), font.name or getattr(default_font, "name", None),
            float(font.sz or getattr(default_font, "sz", None) or 11), _font_colour(font.color), font.vertAlign, _number_format(cell.number_format),
            shade, sides, bool(border.diagonalUp), bool(border.diagonalDown),
            align.horizontal or "general", align.vertical or "bottom", bool(align.wrap_text), bool(align.shrink_to_fit),
            int(align.indent or 0), int(align.text_rotation or 0),
            cell.protection.locked is not False, bool(cell.protection.hidden),
            cell.comment.text if cell.comment else None,
            (link.target, link.location) if link else None)


def _plain(look: tuple, default_font) -> bool:
    """Whether `look` is a cell's without formatting, in whatever font (LibreOffice names its own)."""
    return look[:4] + look[5:] == (False, False, None, False, float(getattr(default_font, "sz", None) or 11), "auto", None, "general", None,
                                   [], False, False, "general", "bottom", False, False, 0, 0, True, False, None, None)


def _number_format(code: str | None) -> str:
    """A number format as every program writes it: without escapes and quotes, in lower case."""
    return re.sub(r'[\\"]', "", code or "general").lower()


def _font_colour(colour):
    """A font's colour, with every way of saying the text's own black (none, theme 1, black, the
    system's text colour) as one."""
    shade = _colour(colour)
    if shade is None or shade in (("theme", "1", 0), ("rgb", "FF000000", 0), ("rgb", "00000000", 0),
                                  ("indexed", "64", 0), ("indexed", "8", 0)):
        return "auto"
    return shade


def _colour(colour) -> tuple | None:
    return None if colour is None else (colour.type, str(colour.value), colour.tint or 0)
