"""The intake workbook (企业信息采集表): the questionnaire a client fills in Excel, WPS or LibreOffice.

Its sheets are `intake.layout`'s: a cover with the instructions, a form per section (key, item,
answer, required, explanation with the example company's answer) and a table per list. Only the
answer cells are unlocked; every choice is a dropdown, numbers, dates and lengths are validated as
they are typed. Given a profile's data, the answers are filled in. Every text is a string cell
(`save`): a client's "=…" stays text.
"""
from __future__ import annotations

import copy
import datetime as dt
import unicodedata
from functools import cache

from generator.intake.layout import BOOL_LABELS, LINES, Form, Group, Leaf, Table, dotted, sheets, value_at, words
from generator.inputs.yamlload import load_yaml_file
from generator.profile.starter import EXAMPLE
from generator.standard.catalogue import Catalogue

MARKER = "aftersales-intake"  # a custom document property: this workbook is an intake workbook
COVER = "填写说明"
SPARE_ROWS = 30  # blank rows of a list table, formatted and validated, to fill in
PRINTED_BLANK = 8  # of them, printed where a table has no row yet
MORE_ROWS = 20_000  # rows below a list's table that are validated (and, by the column's style, unlocked)
FIRST_ROW = 4  # the first answer row of every sheet (title, explanation, header above it)

ANSWER = "FFFFF2CC"  # the cells to fill: pale yellow
GROUP = "FFE8EAED"
GREY = "FF5F6368"
RED = "FFC5221F"


def intake_workbook(data: dict | None, catalogue: Catalogue, issued: dt.date) -> bytes:
    """The workbook's bytes: blank (`data` None or {}) or filled in with a profile's data."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    from generator.output.xlsx.saving import save

    data = data or {}
    book = Workbook()
    _cover(book.active, data)
    for sheet in sheets():
        if isinstance(sheet, Form):
            _form(book.create_sheet(sheet.title), sheet, data)
        else:
            _table(book.create_sheet(sheet.title), sheet, data, catalogue, len(book.worksheets))
    for ws in book.worksheets:
        _page(ws)
        _heights(ws)
    book.custom_doc_props.append(StringProperty(name=MARKER, value="1"))
    book.properties.title = words().title
    return save(book, issued, sealed=True)


def first_sheets() -> tuple[str, str]:
    """The names of the cover and the first form: how an intake workbook is known when a program
    saving it dropped its custom properties."""
    return COVER, sheets()[0].title


# --- the cover --------------------------------------------------------------------------------
def _cover(ws, data: dict) -> None:
    from openpyxl.styles import Alignment, Font

    ws.title = COVER
    w = words()
    ws["A1"] = w.title
    ws["A1"].font = Font(bold=True, size=18)
    ws["A2"] = w.subtitle
    ws["A2"].font = Font(size=12, color=GREY)
    company = (data.get("company") or {}).get("legal_name") if isinstance(data.get("company"), dict) else None
    row = 3
    if company:
        ws.cell(row, 1, f"企业：{company}").font = Font(bold=True, size=12)
    row = 5
    ws.cell(row, 1, "填写说明").font = Font(bold=True, size=13)
    for number, line in enumerate(w.instructions, 1):
        row += 1
        ws.cell(row, 1, f"{number}. {line}")
    row += 2
    ws.cell(row, 1, "工作表").font = Font(bold=True, size=13)
    for sheet in sheets():
        row += 1
        question = words().notes.get(dotted(sheet.path), sheet.question)
        ws.cell(row, 1, sheet.title if question == sheet.title else f"{sheet.title}：{question}")
    ws.column_dimensions["A"].width = 110
    for cells in ws.iter_rows(min_row=6, max_row=row):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.protection.sheet = True
    ws.sheet_view.showGridLines = False


# --- a section's form -------------------------------------------------------------------------
def _form(ws, sheet: Form, data: dict) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    _heading(ws, sheet.title, words().notes.get(dotted(sheet.path), sheet.question), False)
    for column, name in enumerate(("键", "项目", "答案", "必填", "说明和示例"), 1):
        cell = ws.cell(3, column, name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=GROUP)
    validations: dict[tuple, list[str]] = {}
    for row, item in enumerate(sheet.rows, FIRST_ROW):
        ws.cell(row, 1, dotted(item.path)).font = Font(size=8, color=GREY)
        for column in range(1, 6):
            ws.cell(row, column).alignment = Alignment(wrap_text=column != 1, vertical="top")
        label = ws.cell(row, 2, item.label)
        if isinstance(item, Group):
            label.font = Font(bold=True)
            for column in range(1, 6):
                ws.cell(row, column).fill = PatternFill("solid", fgColor=GROUP)
            ws.cell(row, 5, item.question)
            continue
        answer = ws.cell(row, 3)
        _answer_cell(answer, item, value_at(data, item.path))
        answer.protection = Protection(locked=False)
        if item.required:
            ws.cell(row, 4, "必填").font = Font(color=RED)
        ws.cell(row, 5, _explanation(item, _example(item.path)))
        validations.setdefault(_validation_key(item), []).append(answer.coordinate)
    for key, cells in validations.items():
        _validate(ws, key, " ".join(cells))
    for column, width in zip("ABCDE", (22, 24, 40, 6, 56)):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = f"C{FIRST_ROW}"
    _protect(ws, rows=False)


# --- a list's table ---------------------------------------------------------------------------
def _table(ws, sheet: Table, data: dict, catalogue: Catalogue, number: int) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table as ExcelTable
    from openpyxl.worksheet.table import TableStyleInfo

    value = value_at(data, sheet.path)
    rows = _rows(sheet, value, catalogue)
    headers = ([sheet.key.label] if sheet.key else []) + ([sheet.named] if sheet.named else []) + \
        [c.label for c in sheet.columns]
    _heading(ws, sheet.title, words().notes.get(dotted(sheet.path), sheet.question), bool(sheet.named) or None)
    leaves = ([sheet.key] if sheet.key else []) + ([None] if sheet.named else []) + list(sheet.columns)
    for column, (header, leaf) in enumerate(zip(headers, leaves), 1):
        cell = ws.cell(3, column, header)
        if leaf is not None:
            cell.comment = Comment(_explanation(leaf, _example((*sheet.path, *leaf.path)) if leaf.path else ""),
                                   "aftersales", width=320, height=160)
        if leaf is not None and leaf.required:
            cell.font = Font(bold=True, color=RED)
    spare = 0 if sheet.named else SPARE_ROWS
    last = FIRST_ROW + max(len(rows) + spare, 1) - 1
    editable = [i for i, leaf in enumerate(leaves, 1) if leaf is not None and not (sheet.named and leaf is sheet.key)]
    line = Side(style="thin", color="FFBDC1C6")
    for column in range(1, len(headers) + 1):  # drawn, not only the table's style (LibreOffice shows no table style)
        header = ws.cell(3, column)
        header.fill = PatternFill("solid", fgColor=GROUP)
        header.border = Border(top=line, bottom=line, left=line, right=line)
        header.alignment = Alignment(wrap_text=True, vertical="top")
        if not header.font.color:
            header.font = Font(bold=True)
    styles = []  # each column's cell style, made once (openpyxl's style objects are slow to make per cell)
    for column, leaf in enumerate(leaves, 1):
        cell = ws.cell(FIRST_ROW, column)
        if column in editable:
            _answer_cell(cell, leaf, None, fill=False)
            cell.protection = Protection(locked=False)
        cell.border = Border(top=line, bottom=line, left=line, right=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left" if column in editable else None)
        styles.append(copy.copy(cell._style))
    for row in range(FIRST_ROW, last + 1):
        if row - FIRST_ROW < len(rows):
            key, name, item = rows[row - FIRST_ROW]
            values = ([shown(sheet.key, key) if key is not None else None] if sheet.key else []) + \
                ([name] if sheet.named else []) + \
                [_shown_at(leaf, item) for leaf in sheet.columns]
        else:
            values = [None] * len(leaves)
        for column, (value, style) in enumerate(zip(values, styles), 1):
            cell = ws.cell(row, column)
            cell._style = copy.copy(style)
            if value is not None:
                cell.value = value
    beyond = last if sheet.named else last + MORE_ROWS  # rows a client adds below the table, or pastes
    for column in editable:
        letter = get_column_letter(column)
        _validate(ws, _validation_key(leaves[column - 1]), f"{letter}{FIRST_ROW}:{letter}{beyond}")
        if not sheet.named:  # the column's own style: every row below the table can be typed in too
            below = ws.column_dimensions[letter]
            below.protection = Protection(locked=False)
            below.number_format = _FORMATS[leaves[column - 1].kind]
            below.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    ref = f"A3:{get_column_letter(len(headers))}{last}"
    table = ExcelTable(displayName=f"表{number}", ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    for column, leaf in enumerate(leaves, 1):
        ws.column_dimensions[get_column_letter(column)].width = _width(leaf)
    ws.freeze_panes = f"A{FIRST_ROW}"
    printed = len(rows) if rows else PRINTED_BLANK  # the spare rows are for typing, not for paper
    ws.print_area = f"A1:{get_column_letter(len(headers))}{FIRST_ROW + printed - 1}"
    _protect(ws, rows=not sheet.named)


def _shown_at(leaf: Leaf, item):
    value = value_at(item, leaf.path) if leaf.path else item
    return None if value is None else shown(leaf, value)


def _rows(sheet: Table, value, catalogue: Catalogue) -> list[tuple]:
    """(key, name, item) of each row: the items of a list, the entries of a mapping, or for a table
    of named rows (the clauses, the materials) every one of them, with the profile's entry where it has one."""
    if sheet.named:
        entries = value if isinstance(value, dict) else {}
        listed = _named(sheet, catalogue)
        extra = [(k, "", v) for k, v in entries.items() if k not in dict(listed)]  # kept: validation names it
        return [(key, name, entries.get(key)) for key, name in listed] + extra
    if isinstance(value, dict):
        return [(k, "", v) for k, v in value.items()]
    return [(None, "", item) for item in (value if isinstance(value, list) else [])]


def _named(sheet: Table, catalogue: Catalogue) -> list[tuple[str, str]]:
    if sheet.path == ("readiness", "self_assessment"):
        return [(c.id, c.title) for c in catalogue.leaves()]
    if sheet.path == ("readiness", "materials"):
        return [(m.id, m.name + ("（由本工具生成）" if m.produced_by else "")) for m in catalogue.materials]
    raise ValueError(f"采集表不知道 {dotted(sheet.path)} 预先列出哪些行（content/intake/workbook.yaml 的 named_rows）")


# --- cells ------------------------------------------------------------------------------------
_FORMATS = {"int": "0", "number": "General", "date": "yyyy-mm-dd", "text": "@", "bool": "@", "choice": "@"}


def _answer_cell(cell, leaf: Leaf, value, *, fill: bool = True) -> None:
    from openpyxl.styles import Alignment, PatternFill

    if fill:
        cell.fill = PatternFill("solid", fgColor=ANSWER)
    cell.number_format = _FORMATS[leaf.kind]
    cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    if value is not None:
        cell.value = shown(leaf, value)


def shown(leaf: Leaf, value):
    """A profile's value as its answer cell holds it."""
    if leaf.lines and isinstance(value, list):
        return LINES.join(str(shown_one(leaf, v)) for v in value)
    return shown_one(leaf, value)


def shown_one(leaf: Leaf, value):
    if leaf.kind == "bool" and isinstance(value, bool):
        return BOOL_LABELS[0] if value else BOOL_LABELS[1]
    if leaf.kind == "choice" and isinstance(value, str):
        return leaf.shown(value)
    if leaf.kind == "text" and not isinstance(value, str):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value



@cache
def _example_data() -> dict:
    return load_yaml_file(EXAMPLE).data


def _example(path: tuple) -> str:
    """The example company's answer at `path` (the first item of a list), as text."""
    data = _example_data()
    for part in path:
        if isinstance(data, list):
            data = data[0] if data else None
        if not isinstance(data, dict) or part not in data:
            return ""
        data = data[part]
    if isinstance(data, dict):
        return ""
    return "、".join(map(_example_text, data)) if isinstance(data, list) else _example_text(data)


def _example_text(value) -> str:
    if isinstance(value, bool):
        return BOOL_LABELS[0] if value else BOOL_LABELS[1]
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _explanation(leaf: Leaf, example: str) -> str:
    parts = [leaf.question]
    if leaf.kind == "choice":
        parts.append("从下拉列表中选择：" + "、".join(leaf.shown_options))
    elif leaf.kind == "bool":
        parts.append("选择“是”或“否”")
    elif leaf.kind == "date":
        parts.append("日期，如 2026-03-15")
    if leaf.lines:
        parts.append("可写多项，每行一项")
    if example and leaf.kind != "choice":
        parts.append(f"示例：{example}")
    return "\n".join(p for p in parts if p)


def _width(leaf: Leaf | None) -> float:
    if leaf is None:
        return 36
    if leaf.kind in ("int", "number", "bool"):
        return 12
    if leaf.kind in ("date", "choice"):
        return 14
    return 40 if (leaf.max_length or 0) > 200 or leaf.lines else 24


def _heading(ws, title: str, question: str, table: bool | None) -> None:
    """The sheet's title and what it asks; `table` False for a form, None for a list, True for listed rows."""
    from openpyxl.styles import Alignment, Font

    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = question.rstrip("。") + {False: "。浅黄色单元格为填写处，标“必填”的项目必须填写。",
                                         None: "。一行一项，可向下续写；标红的列必填。",
                                         True: "。标红的列在填写该行时必填。"}[table]
    ws["A2"].font = Font(color=GREY)
    ws["A2"].alignment = Alignment(wrap_text=False, vertical="top")


def _heights(ws) -> None:
    """Rows as tall as their wrapped text (openpyxl records no height, and a spreadsheet opening the
    file shows one line of each): a wide character counts two."""
    import math

    from openpyxl.utils import get_column_letter

    widths = {}
    tallest: dict[int, int] = {}
    for cell in ws._cells.values():
        if not isinstance(cell.value, str) or not (cell.alignment and cell.alignment.wrap_text):
            continue
        letter = get_column_letter(cell.column)
        if letter not in widths:
            widths[letter] = (ws.column_dimensions[letter].width or 10) - 1
        lines = sum(max(1, math.ceil(_text_width(part) / widths[letter])) for part in cell.value.split("\n"))
        tallest[cell.row] = max(tallest.get(cell.row, 1), lines)
    for row, lines in tallest.items():
        if lines > 1:
            ws.row_dimensions[row].height = 17 * lines + 2


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _page(ws) -> None:
    """Printed on A4 across, as wide as the page, the header row on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.title != COVER:
        ws.print_title_rows = "3:3"


# --- validation and protection ----------------------------------------------------------------
def _validation_key(leaf: Leaf) -> tuple:
    return (leaf.kind, leaf.lines, leaf.shown_options, leaf.low, leaf.high, leaf.max_length)


def _validate(ws, key: tuple, cells: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    kind, lines, options, low, high, max_length = key
    if kind in ("choice", "bool"):
        rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
        rule.error = "请从下拉列表中选择：" + "、".join(options)
    elif kind in ("int", "number") and low is not None and high is not None:
        rule = DataValidation(type="whole" if kind == "int" else "decimal", operator="between",
                              formula1=_number(low), formula2=_number(high), allow_blank=True)
        rule.error = f"请填写{'整数' if kind == 'int' else '数字'}（{_number(low)}–{_number(high)}）"
    elif kind == "date" and low is not None and high is not None:
        rule = DataValidation(type="date", operator="between", formula1=_excel_date(low),
                              formula2=_excel_date(high), allow_blank=True)
        rule.error = f"请填写 {low.isoformat()} 到 {high.isoformat()} 之间的日期，如 2026-03-15"
    elif kind == "text" and max_length and not lines:
        rule = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(max_length), allow_blank=True)
        rule.error = f"最多 {max_length} 个字"
    else:
        return
    rule.errorTitle = "输入有误"
    rule.showErrorMessage = True
    for ref in cells.split():
        rule.add(ref)
    ws.add_data_validation(rule)


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _excel_date(value: dt.date) -> str:
    return str((value - dt.date(1899, 12, 30)).days)  # the serial number Excel and LibreOffice read


def _protect(ws, *, rows: bool) -> None:
    """Only the unlocked (answer) cells can be edited; no password. Columns and rows may be resized,
    and a list's rows added or removed."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = p.formatRows = False  # False: allowed
    if rows:
        p.insertRows = p.deleteRows = False
    p.autoFilter = p.sort = False
