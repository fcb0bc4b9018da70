"""Long lists from the company's own files: a profile may take its outlets (or any other table of the
intake workbook: products, certificates, departments, certified managers, charges, targets, special
deductions, bonuses, and the keyed tables such as the self-assessment) from a CSV file or an Excel
workbook the company already keeps, instead of writing them out:

    resources:
      outlets_file: 网点清单.xlsx            # headers as the intake workbook names them (网点名称 …)
      charges_file:                         # or with where and how to read
        path: 收费标准.csv                   # relative to the profile's folder (or absolute)
        sheet: 收费                          # a workbook's sheet
        columns: {item: 项目, price: 单价}    # field -> the header in the company's file

A field with no mapping is found by the header the intake workbook gives it (网点名称, 省份 …) or by its
key (name, province …); a keyed table's key is `key`, its plain value (region_service) `value`. The
header is the first of the top rows that names a field, so a title row above it is fine; other columns
are left alone. Without `sheet`, a workbook's first sheet with such a header is read. A CSV may be UTF-8 (with or without a byte order mark),
GB18030/GBK (what Excel on Chinese Windows saves) or UTF-16 (Excel's "Unicode text"), separated by
commas, tabs or semicolons.

The file's rows become the list in the profile's data before it is validated, and every value keeps
its place: a CSV's `网点清单.csv:14:3` (row and column as a spreadsheet numbers them), a workbook's
`网点清单.xlsx!Sheet1!C14`, through the loaded profile's `elsewhere`. A cell that cannot be what its
field takes is told as the intake workbook's reader tells it; what cannot be read at all (no such file,
no header, an unknown column) is told at the profile's key, and the list is then left out.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problem, display
from generator.inputs.yamlload import format_path
from generator.intake.layout import Leaf, Table, dotted, sheets
from generator.intake.cells import answer, blank, letter, put
from generator.intake import tablefile
from generator.intake.tablefile import HEADER_ROWS, Refused, file_bytes, text_rows, workbook_rows
from generator.profile.validation import once_per_list

SUFFIX = "_file"
OPTIONS = ("path", "sheet", "columns")
TEXT = (".csv", ".tsv", ".txt")
WORKBOOKS = (".xlsx", ".xlsm")
_OTHER_SHEETS = (".xls", ".xlsb", ".ods", ".et", ".numbers")


def names_files(data: object) -> bool:
    """Whether the profile's data has a `…_file` key where a section's keys are (a cheap look, so that
    a profile without one never builds the workbook's layout)."""
    def look(node: object, depth: int) -> bool:
        if not isinstance(node, dict) or depth > 2:
            return False
        return any(isinstance(k, str) and k.endswith(SUFFIX) or look(v, depth + 1) for k, v in node.items())
    return look(data, 0)


def list_files(loaded) -> list[Path]:
    """The files the profile's `…_file` keys name, without reading them (what a build's input hash
    must include besides the profile)."""
    found = []
    for table, parent, key in _keys(loaded.data):
        spec = parent[key]
        path = spec.get("path") if isinstance(spec, dict) else spec
        if isinstance(path, str) and path.strip():
            found.append(_resolve(loaded.file, path))
    return found


def expand(loaded) -> None:
    """Replace every `…_file` key of the loaded profile's data with the list read from that file,
    recording where each value is (`loaded.elsewhere`), the file (`loaded.sources`) and what is wrong
    (`loaded.problems`, which validation tells first and does not repeat)."""
    for table, parent, key in list(_keys(loaded.data)):
        spec = parent.pop(key)
        name = table.path[-1]
        at = (*table.path[:-1], key)
        if name in parent:
            loaded.problems.append(Problem(
                f"同时给出了 {name} 和 {key}", key_path=format_path(at), path=at,
                hint=f"二者只能留一个：删去 {key}，或删去 {name} 下的各项", **loaded.at(at, key=True)))
            continue
        try:
            read = _read(spec, loaded, table, at)
        except Refused as refused:
            loaded.problems += refused.problems
            continue
        parent[name] = read.items
        loaded.elsewhere[table.path] = read.places
        loaded.sources.append(Path(read.places.file))
        loaded.problems += once_per_list(read.problems, loaded)


def _keys(data: object):
    """(table, the dict holding the key, the key) for each `…_file` key of a table in `data`."""
    if not isinstance(data, dict):
        return
    for table in _tables():
        parent = data
        for part in table.path[:-1]:
            parent = parent.get(part) if isinstance(parent, dict) else None
        key = table.path[-1] + SUFFIX
        if isinstance(parent, dict) and key in parent:
            yield table, parent, key


def _tables() -> list[Table]:
    return [sheet for sheet in sheets() if isinstance(sheet, Table)]


def _resolve(profile: str, path: str) -> Path:
    path = Path(os.path.expanduser(path.strip()))
    return path if path.is_absolute() else Path(profile).parent / path


# --- where a list's values are ---------------------------------------------------------------
@dataclass
class Places:
    """Where the values of a list read from a file are: each item's row (by its index, or a keyed
    table's key) and each field's column; a CSV's as row and column numbers, a workbook's as a cell."""

    file: str
    sheet: str | None  # a workbook's sheet, quoted as a reference writes it; None for a CSV
    header: int  # the header's row
    rows: dict[int | str, int] = field(default_factory=dict)
    columns: dict[tuple, int] = field(default_factory=dict)  # a field's path in the item -> its column
    key_column: int | None = None  # a keyed table's key

    def at(self, inside: tuple, *, key: bool = False) -> dict:
        """The place of the value at `inside` (a path from the list): its cell, else its row, else the header."""
        if not inside or inside[0] not in self.rows:
            return self.place(self.header)
        row, leaf = self.rows[inside[0]], tuple(inside[1:])
        if not leaf:
            return self.place(row, self.key_column if key else None)
        while leaf and leaf not in self.columns:
            leaf = leaf[:-1]
        return self.place(row, self.columns.get(leaf))

    def place(self, row: int, column: int | None = None) -> dict:
        if self.sheet is None:
            return {"file": self.file, "line": row, "column": column}
        return {"file": self.file, "cell": f"{self.sheet}!{letter(column or 1)}{row}"}


# --- reading -----------------------------------------------------------------------------------
@dataclass
class _Read:
    items: list | dict
    places: Places
    problems: list[Problem] = field(default_factory=list)

    def problem(self, message: str, path: tuple, cell: tuple, hint: str = "") -> None:
        """A cell's problem, as the intake reader's `answer` reports it (`cell` is (row, column))."""
        hint = hint.replace("；请从下拉列表中选择", "")  # the workbook's dropdown: a list file has none
        self.problems.append(Problem(message, key_path=format_path(path), hint=hint, path=path,
                                     **self.places.place(*cell)))


@dataclass
class _Spec:
    path: str
    sheet: str | None
    columns: dict[str, str]


def _read(spec: object, loaded, table: Table, at: tuple) -> _Read:
    """The list in the file `spec` names, or Refused."""
    def told(message: str, hint: str = "", where: tuple = at, key: bool = False) -> Problem:
        return Problem(message, key_path=format_path(where), hint=hint, path=table.path, **loaded.at(where, key=key))

    def refuse(*args, **kwargs) -> Refused:
        return Refused([told(*args, **kwargs)])

    wanted = _spec(spec, table, at, told)
    name = str(_resolve(loaded.file, wanted.path))
    raw = file_bytes(name, refuse)
    suffix = Path(name).suffix.lower()
    header = _Header(wanted, table)
    if raw.startswith(b"PK\x03\x04"):
        rows, sheet = workbook_rows(raw, name, wanted.sheet, header.find, at, refuse)
    elif raw.startswith(b"\xd0\xcf\x11\xe0") or suffix in _OTHER_SHEETS:
        raise refuse(f"{display(name)} 是旧版 Excel（.xls）或其他格式的表格，无法读取",
                     "请在 Excel、WPS 或 LibreOffice 中另存为 Excel 工作簿（.xlsx）或 CSV（逗号分隔）")
    elif suffix in WORKBOOKS:
        text = b"\x00" not in raw[:4096]
        raise refuse(f"{display(name)} 不是有效的 Excel 工作簿" + ("，似乎是文本文件" if text else ""),
                     "若是 CSV 文件，请把扩展名改为 .csv" if text else "请用 Excel、WPS 或 LibreOffice 打开后另存为 .xlsx")
    elif suffix in TEXT:
        if wanted.sheet is not None:
            raise refuse(f"{display(name)} 是 CSV 文件，没有工作表", "请删去 sheet", (*at, "sheet"), key=True)
        rows, sheet = text_rows(raw, name, refuse), None
    else:
        raise refuse(f"{display(name)} 不是 CSV 文件或 Excel 工作簿（.csv、.xlsx）",
                     "请给出 .csv 或 .xlsx 文件；其他表格请另存为这两种格式之一")
    return _table(rows, Places(name, sheet, 1), table, header, at, told)


def _spec(spec: object, table: Table, at: tuple, told) -> _Spec:
    """What the `…_file` key says: a path, or path, sheet and columns; every mistake in it at once."""
    fields = [key for key, _ in _leaves(table)]
    example = f"{at[-1]}: 文件名.xlsx，或 {at[-1]}: {{path: 文件名.csv, columns: {{{fields[0]}: 表头}}}}"
    if isinstance(spec, str):
        spec = {"path": spec}
    if not isinstance(spec, dict):
        raise Refused([told("应为文件路径，或写明 path、sheet、columns 的映射", example)])
    problems = []
    for option in spec:
        if option not in OPTIONS:
            close = difflib.get_close_matches(str(option), OPTIONS, n=1)
            problems.append(told(f"未知的键 “{option}”", f"是不是 “{close[0]}”？" if close else "可用的键：" + "、".join(OPTIONS),
                                 (*at, option), key=True))
    path = spec.get("path")
    if "path" in spec and not isinstance(path, (str, type(None))):
        problems.append(told("path 应为文件路径（文字）", example, (*at, "path")))
    elif not isinstance(path, str) or not path.strip():
        problems.append(told("缺少文件路径（path）", example, (*at, "path") if "path" in spec else at, key="path" not in spec))
    sheet = spec.get("sheet")
    if sheet is not None and not isinstance(sheet, (str, int)):
        problems.append(told("sheet 应为工作表的名字", "如 sheet: 网点", (*at, "sheet")))
    columns = spec.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append(told("columns 应为“字段: 表头”的映射", f"如 columns: {{{fields[0]}: 贵企业文件中的表头}}", (*at, "columns")))
        columns = {}
    for key, header in columns.items():
        where = (*at, "columns", key)
        if key not in fields:
            close = difflib.get_close_matches(str(key), fields, n=1)
            if header in fields:  # written the other way round: 门店名称: name
                hint = f"应写成“字段: 表头”，如 {header}: {key}"
            else:
                hint = f"是不是 “{close[0]}”？" if close else "字段为：" + "、".join(fields)
            problems.append(told(f"{dotted(table.path)} 没有字段 “{key}”", hint, where, key=True))
        elif not isinstance(header, (str, int)) or not str(header).strip():
            problems.append(told(f"字段 {key} 对应的表头应为文字", "写贵企业文件中这一列的表头，如 门店名称", where))
        else:
            same = [k for k, h in columns.items() if k != key and k in fields and _norm(h) == _norm(header)]
            if same and list(columns).index(same[0]) < list(columns).index(key):
                problems.append(told(f"{same[0]} 和 {key} 对应同一列“{header}”", "一列只能是一个字段", where))
    if problems:
        raise Refused(problems)
    return _Spec(path, None if sheet is None else str(sheet), {k: str(v) for k, v in columns.items()})


def _leaves(table: Table) -> list[tuple[str, Leaf]]:
    """A table's fields as (key, leaf): a keyed table's key first ("key"), then the columns ("value"
    for a keyed table of plain values, a dotted path for a nested field: samples.checked)."""
    found = [(dotted(leaf.path) or "value", leaf) for leaf in table.columns]
    return ([("key", table.key)] if table.key else []) + found


class _Header:
    """Which headers name which field: the mapped one, else the intake workbook's label or the key."""

    def __init__(self, wanted: _Spec, table: Table):
        self.leaves = _leaves(table)
        self.mapped = wanted.columns
        self.names = {key: [_norm(wanted.columns[key])] if key in wanted.columns else [_norm(leaf.label), _norm(key)]
                      for key, leaf in self.leaves}

    def find(self, rows: list[tuple[int, tuple]]) -> tuple[int, dict[int, str]] | None:
        """The header's row number and the field of each of its columns: the first of the top rows
        that names a field."""
        for number, row in rows[:HEADER_ROWS]:
            found: dict[int, str] = {}
            for column, text in enumerate(row, 1):
                text = _norm(text)
                key = next((k for k, accepted in self.names.items() if text and text in accepted and k not in found.values()), None)
                if key is not None:
                    found[column] = key
            if found:
                return number, found
        return None


def _norm(text: object) -> str:
    """A header as it is matched: without spaces, a required mark (*) or case."""
    return re.sub(r"\s+", "", str(text)).rstrip("*＊").casefold() if text is not None else ""


def _table(rows: list[tuple[int, tuple]], places: Places, table: Table, header: _Header, at: tuple, told) -> _Read:
    """The list from the rows, with the place of each value; a header that does not give every
    required field (or a mapped one) is refused."""
    name = places.file
    if not rows:
        raise Refused([told(f"{display(name)} 中没有文字（只有空行）",
                             "请检查是否给错了文件" + ("" if places.sheet is None else "或工作表"))])
    found = header.find(rows)
    number, first = next(((n, r) for n, r in rows if found is None or n == found[0]), rows[0])
    there = "表头有：" + "、".join(str(text).strip() for text in first if not blank(text))
    if found is None:
        expected = "、".join(f"{leaf.label}（{key}）" for key, leaf in header.leaves[:8])
        garbled = next(filter(None, (_mojibake(text) for text in first)), None)
        todo = (f"表头是乱码（原文似为“{garbled}”）：文件在另存或导入时用错了编码，请重新导出为 CSV UTF-8 或 .xlsx"
                if garbled else f"列名不同时，请在企业档案的 {at[-1]} 下用 columns 写明对应的列，"
                                f"如 columns: {{{header.leaves[0][0]}: 表头}}")
        raise Refused([Problem(f"前 {HEADER_ROWS} 行中找不到表头：应有{expected}等列", key_path=format_path(at),
                                path=table.path, hint=f"第 {number} 行为：{there[4:]}；{todo}", **places.place(number))])
    places.header, columns = found
    problems = []
    for key, mapped in header.mapped.items():
        if key not in columns.values():
            problems.append(told(f"{display(name)} 中找不到“{mapped}”列", f"{there}（第 {places.header} 行）",
                                 (*at, "columns", key)))
    for key, leaf in header.leaves:
        if key not in columns.values() and leaf.required and key not in header.mapped:
            problems.append(Problem(
                f"{display(name)} 中没有“{leaf.label}”列（{key}，必填）", key_path=format_path(at), path=table.path,
                hint=f"{there}；请在企业档案的 {at[-1]} 下用 columns 写明哪一列是{leaf.label}，如 columns: {{{key}: 表头}}",
                **places.place(places.header)))
    if problems:
        raise Refused(problems)
    by_key = dict(header.leaves)
    places.columns = {by_key[key].path: column for column, key in columns.items() if key != "key"}
    places.key_column = next((column for column, key in columns.items() if key == "key"), None)
    read = _Read({} if table.key else [], places)
    for number, row in rows:
        if number <= places.header:
            continue
        cells = {column: (row[column - 1] if column <= len(row) else None) for column in columns}
        if all(blank(cells[c]) for c, key in columns.items() if key != "key"):
            continue  # a row of other columns only (or a key with nothing given)
        if len(read.items) >= tablefile.MAX_ROWS:
            raise Refused([told(f"{display(name)} 超过 {tablefile.MAX_ROWS:,} 行", "一个清单至多这么多行；请检查是否选错了文件或工作表")])
        _row(read, table, by_key, columns, cells, number)
    if not read.items and table.required:
        raise Refused([Problem(f"{display(name)} 中只有表头，没有数据行", key_path=format_path(at), path=table.path,
                                hint=f"{dotted(table.path)} 至少要有一项", **places.place(places.header))])
    return read


def _row(read: _Read, table: Table, by_key: dict, columns: dict, cells: dict, number: int) -> None:
    items = read.items
    index: int | str = len(items)
    if table.key is not None:
        key_column = read.places.key_column
        raw = cells.get(key_column) if key_column else None
        key = answer(raw, table.key, table.path, (number, key_column), read)
        if blank(key):
            read.problem(f"第 {number} 行没有填写{table.key.label}", table.path, (number, key_column or 1),
                         f"请写明{table.key.label}，或删去这一行")
            return
        index = str(key)
        if index in items:
            read.problem(f"{table.key.label} {index} 重复", (*table.path, index), (number, key_column),
                         f"第 {read.places.rows[index]} 行已有同一个{table.key.label}；请合并为一行")
            return
    read.places.rows[index] = number
    item: object = {}
    for column, key in columns.items():
        if key == "key":
            continue
        leaf = by_key[key]
        path = (*table.path, index, *leaf.path)
        value = answer(cells[column], leaf, path, (number, column), read)
        if value is None:
            continue
        if leaf.path:
            put(item, leaf.path, value)
        else:
            item = value  # a keyed table of plain values (region_service, exclusions)
    if isinstance(items, dict):
        items[index] = item
    else:
        items.append(item)


def _mojibake(text: object) -> str | None:
    """The Chinese `text` was, where it is UTF-8 read as Western (Windows-1252 or Latin-1), as a
    program that guessed the encoding wrong shows "网点" (ç½‘ç‚¹); else None."""
    if not isinstance(text, str) or text.isascii():
        return None
    for western in ("cp1252", "latin-1"):
        try:
            was = text.encode(western).decode("utf-8")
        except UnicodeError:
            continue
        if re.search(r"[\u4e00-\u9fff]", was):
            return was
    return None

