"""What a user's edit of a workbook changes and a save without edits keeps: the digest and the
measures that a sealed workbook carries (see generator.output.xlsx.ownership)."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import posixpath
import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable

# Excel, WPS, LibreOffice and openpyxl keep the creator property when a user saves, so it says who
# wrote a workbook first, not whether it is still as written. A sealed workbook (save(sealed=True))
# also holds, in a custom document property, "v2:DIGEST:MEASURES" (see `fingerprint`):
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
#    more than ownership.WIDTH_TOLERANCE characters, or a height by more than ownership.HEIGHT_TOLERANCE
#    points, is an edit.
# A part of the package no plain save writes (an image, a chart, a drawing, a table, a pivot table,
# macros, printer settings, any other file in the zip) makes the workbook edited as well. Left out,
# as the view rather than the content: the active sheet and cell, the selection, the scroll position,
# zoom and window sizes; and what a save rewrites by itself: the dates, last author, revision,
# language and application of the document properties, the calculation settings.
# When in doubt the workbook is the user's: LibreOffice's conversion without a view (soffice
# --convert-to) drops frozen panes and names the font it shows Chinese text in, so a workbook it
# saved is edited, and the tool writes another name rather than replace it.
DIGEST_PROPERTY = "aftersales-content"

# The parts a plain save by openpyxl, Excel or LibreOffice writes (comments come with VML drawings).
_PLAIN_PARTS = re.compile(r"""\[Content_Types\]\.xml|_rels/\.rels|docProps/(core|app|custom)\.xml
    |xl/(workbook\.xml|_rels/workbook\.xml\.rels|styles\.xml|sharedStrings\.xml|calcChain\.xml|theme/theme\d+\.xml
    |worksheets/sheet\d+\.xml|worksheets/_rels/sheet\d+\.xml\.rels|comments\d*\.xml|comments/comment\d+\.xml
    |drawings/(commentsDrawing|vmlDrawing)\d+\.vml)""", re.X)
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def load_quietly(source):
    """The workbook `source` as openpyxl reads it, without its warnings."""
    # openpyxl is imported when a workbook is read: saving imports this module, and the site imports saving at start-up
    from openpyxl import load_workbook

    with warnings.catch_warnings():  # openpyxl warns of parts it drops (an edited workbook's extensions)
        warnings.simplefilter("ignore")
        return load_workbook(source, keep_links=False)


def fingerprint(data: bytes) -> tuple[str, list]:
    """The digest of the workbook `data` and its measures: per sheet [default column width, default
    row height, {column: width}, {row: custom height}]."""
    digest = hashlib.sha256()

    def put(*fields) -> None:
        digest.update(json.dumps(fields, ensure_ascii=False, default=str).encode("utf-8") + b"\n")

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        put("parts", sorted(name for name in package.namelist() if not _PLAIN_PARTS.fullmatch(name)))
        app = package.read("docProps/app.xml").decode("utf-8", "replace") if "docProps/app.xml" in package.namelist() else ""
        heights = _row_heights(package)
    book = load_quietly(io.BytesIO(data))
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
    from openpyxl.xml.functions import tostring  # when a workbook is read, as in load_quietly

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


def _row_heights(package) -> list[dict[int, float]]:
    """Per worksheet (in the workbook's order), the rows a user gave a height: openpyxl reads every
    row's height, LibreOffice writes one for every row, and only customHeight tells them apart."""
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
