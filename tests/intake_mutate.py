"""Intake workbooks to test the reader with, shared by tests/test_intake.py and tests/test_fuzz.py:
the examples' workbooks, edited with openpyxl as a user edits them (load, change cells, save); a
password-encrypted workbook's container; and `make_workbook_case(seed)`, a workbook mutated at
random (cells set to any kind of value, rows deleted and inserted, sheets renamed and removed,
headers and keys changed), the same bytes for the same seed.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import random
import struct
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "company_profiles").glob("*.yaml"))
ISSUED = dt.date(2026, 3, 1)


@functools.lru_cache(maxsize=None)
def example_workbook(stem: str) -> bytes:
    """The intake workbook filled with the example profile `stem` ("" for the blank one)."""
    from generator.inputs.yamlload import load_yaml_file
    from generator.output.xlsx.intake import intake_workbook
    from generator.standard.catalogue import load_catalogue

    data = load_yaml_file(ROOT / "company_profiles" / f"{stem}.yaml").data if stem else None
    return intake_workbook(data, load_catalogue(), ISSUED)


def open_book(data: bytes):
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_workbook(io.BytesIO(data))


def saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def answer_cell(book, key: str) -> str:
    """The answer cell of a form's row, found by its key in column A: "企业基本信息!C12"."""
    for ws in book.worksheets:
        for row in range(1, ws.max_row + 1):
            if ws.cell(row, 1).value == key:
                return f"{ws.title}!C{row}"
    raise KeyError(key)


def table_cell(book, sheet: str, header: str, row: int) -> str:
    """The cell of a table's column (found by its header in row 3) in the given row: "网点清单!B5"."""
    from openpyxl.utils import get_column_letter

    ws = book[sheet]
    for column in range(1, ws.max_column + 1):
        if ws.cell(3, column).value == header:
            return f"{sheet}!{get_column_letter(column)}{row}"
    raise KeyError(header)


def first_free_row(book, sheet: str) -> int:
    ws = book[sheet]
    return max((cell.row for row in ws.iter_rows() for cell in row if cell.value not in (None, "")), default=3) + 1


def edited(data: bytes, changes: dict[str, object]) -> bytes:
    """The workbook with each "Sheet!C12" set to its value (None empties it), as a user saves it."""
    book = open_book(data)
    for where, value in changes.items():
        sheet, cell = where.split("!")
        book[sheet][cell] = value
    return saved(book)


# --- a password-encrypted workbook ------------------------------------------------------------
def encrypted_container(payload: bytes = b"\0" * 4096) -> bytes:
    """An OLE compound file as Excel writes a workbook with an opening password: the streams
    EncryptionInfo and EncryptedPackage (here of arbitrary content, each in regular sectors)."""
    sector = 512
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    info = payload[:4096].ljust(4096, b"\0")
    package = struct.pack("<Q", len(payload)) + payload
    package = package.ljust(-(-len(package) // sector) * sector, b"\0")
    info_start, package_start = 2, 2 + len(info) // sector
    chain = [fat_sector, end]  # sector 0 holds the FAT, sector 1 the directory
    for start, size in ((info_start, len(info)), (package_start, len(package))):
        count = size // sector
        chain += [start + i + 1 for i in range(count - 1)] + [end]
    assert len(chain) <= sector // 4
    fat = struct.pack(f"<{sector // 4}I", *(chain + [free] * (sector // 4 - len(chain))))

    def entry(name: str, kind: int, start: int, size: int, child=free, right=free) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, free, right, child)
                + b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16 + struct.pack("<IQ", start, size))

    directory = (entry("Root Entry", 5, end, 0, child=1) + entry("EncryptionInfo", 2, info_start, len(info), right=2)
                 + entry("EncryptedPackage", 2, package_start, len(payload) + 8) + b"\0" * 128)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *([free] * 108)))
    assert len(header) == sector and len(directory) == sector
    return header + fat + directory + info + package


# --- mutated workbooks ------------------------------------------------------------------------
@dataclass
class WorkbookCase:
    seed: int
    base: str
    mutations: list[str] = field(default_factory=list)
    data: bytes = b""


_TEXTS = ["", " ", "八百六十", "制造型", "是", "否", "时", "TRUE", "2024-02-30", "2026-03-15", "2026年3月15日",
          "5.1.1.1", "9.9.9", "M01", "nan", "inf", "-0", "1e999", "1_000", "１２", "0x1F", "=1+1", "'=1+1",
          "#N/A", "#REF!", "a\nb\n\nc", "\t", "<w:t>", "{{ x }}", "**粗体**", "[链接](http://x)", "\u202e反向",
          "😀𠀀", "\ufeff", "\u3000", "已落实", "不适用", "自营", "委托", "达标"]
_FORMULAS = ["=1+1", "=A1", "=1/0", "=SUM(C4:C9)", "=NOSUCH()", "=\"文字\"", "=TODAY()", "=C12*2"]
_CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f"


def _value(rng: random.Random):
    """A value of any kind a cell can be given: (value, what it is)."""
    kind = rng.choice(["text", "text", "int", "float", "bool", "date", "datetime", "time", "formula", "huge",
                       "control", "none", "none"])
    if kind == "text":
        return rng.choice(_TEXTS), kind
    if kind == "int":
        return rng.choice([0, -1, 1, 7, 2009, 20240315, 45000, 10**15, -(10**12), 2**63]), kind
    if kind == "float":
        return rng.choice([0.5, -0.0, 1e-300, 1e300, 860.0, 45000.75, 3.14159, 99.999]), kind
    if kind == "bool":
        return rng.random() < 0.5, kind
    if kind == "date":
        return rng.choice([dt.date(1900, 1, 1), dt.date(1900, 2, 28), dt.date(2026, 2, 28), dt.date(9999, 12, 31)]), kind
    if kind == "datetime":
        return dt.datetime(2026, 3, 15, rng.randrange(24), rng.randrange(60)), kind
    if kind == "time":
        return dt.time(rng.randrange(24), rng.randrange(60)), kind
    if kind == "formula":
        return rng.choice(_FORMULAS), kind
    if kind == "huge":
        return rng.choice(["长" * 32767, "x" * 100_000, "行\n" * 5000]), kind
    if kind == "control":  # openpyxl refuses them; Excel writes them as _x0007_ escapes
        char = rng.choice(_CONTROL)
        return f"前_x{ord(char):04X}_后", kind
    return None, kind


class _Mutator:
    def __init__(self, rng: random.Random, book):
        self.rng, self.book = rng, book

    def sheet(self):
        return self.rng.choice(self.book.worksheets)

    @staticmethod
    def last(ws) -> int:
        """The last row to pick from: the answers', not row 1,048,576 that a far cell set (openpyxl
        takes long to move the rows of a sheet that long)."""
        return max(min(ws.max_row, 300), 4)

    def set_cell(self) -> str:
        ws = self.sheet()
        row = self.rng.choice([self.rng.randint(1, ws.max_row + 3), self.rng.randint(3, 12), 1048576])
        column = self.rng.choice([self.rng.randint(1, ws.max_column + 1), 1, 3, 16384])
        value, kind = _value(self.rng)
        ws.cell(row, column).value = value
        return f"set {ws.title}!{ws.cell(row, column).coordinate} to {kind}"

    def many_cells(self) -> str:
        return "; ".join(self.set_cell() for _ in range(self.rng.randint(2, 12)))

    def date_format(self) -> str:
        ws = self.sheet()
        cell = ws.cell(self.rng.randint(4, self.last(ws)), self.rng.randint(1, min(max(ws.max_column, 1), 30)))
        cell.number_format = "yyyy-mm-dd"
        return f"date format on {ws.title}!{cell.coordinate}"

    def shiftable(self):
        """A sheet to shift rows or columns of, or None where a far cell was set: openpyxl takes seconds
        (and gigabytes) to shift such a sheet."""
        ws = self.sheet()
        return None if ws.max_row > 1000 else ws

    def delete_rows(self) -> str:
        ws = self.shiftable()
        if ws is None:
            return self.set_cell()
        row, amount = self.rng.randint(1, self.last(ws)), self.rng.choice([1, 1, 2, 5, 50])
        ws.delete_rows(row, amount)
        return f"delete rows {ws.title}!{row}+{amount}"

    def insert_rows(self) -> str:
        ws = self.shiftable()
        if ws is None:
            return self.set_cell()
        row = self.rng.randint(1, self.last(ws))
        ws.insert_rows(row, self.rng.choice([1, 3]))
        return f"insert rows {ws.title}!{row}"

    def delete_column(self) -> str:
        ws = self.shiftable()
        if ws is None:
            return self.set_cell()
        column = self.rng.randint(1, min(max(ws.max_column, 1), 30))
        ws.delete_cols(column)
        return f"delete column {ws.title}!{column}"

    def rename_sheet(self) -> str:
        ws = self.sheet()
        old = ws.title
        ws.title = self.rng.choice([old + " ", old + "1", "Sheet1x", " " + old, "网点 清单", old[:-1] or "x"])
        return f"rename sheet {old} to {ws.title!r}"

    def remove_sheet(self) -> str:
        if len(self.book.worksheets) < 2:
            return "keep the last sheet"
        ws = self.sheet()
        self.book.remove(ws)
        return f"remove sheet {ws.title}"

    def change_header(self) -> str:
        ws = self.sheet()
        column = self.rng.randint(1, min(max(ws.max_column, 1), 30))
        value, kind = self.rng.choice([(None, "none"), ("省", "text"), ("省份", "text"), ("网点名称", "text"),
                                       ("条款", "text"), (" 省份 *", "text"), (12, "int"), ("=1+1", "formula")])
        ws.cell(3, column).value = value
        return f"header {ws.title}!{ws.cell(3, column).coordinate} to {kind}"

    def change_key(self) -> str:
        ws = self.sheet()
        row = self.rng.randint(4, self.last(ws))
        other = ws.cell(self.rng.randint(4, self.last(ws)), 1).value
        ws.cell(row, 1).value = self.rng.choice([other, "company.nothing", "company", "company.legal_name.x", None, 5])
        return f"key {ws.title}!A{row}"

    def move_rows(self) -> str:
        ws = self.shiftable()
        if ws is None:
            return self.set_cell()
        top = self.rng.randint(1, self.last(ws))
        bottom = min(self.last(ws), top + self.rng.randint(0, 5))
        shift = self.rng.choice([40, 100, -2])
        ws.move_range(f"A{top}:H{bottom}", rows=shift if top + shift >= 1 else 40, cols=self.rng.choice([0, 0, 1]))
        return f"move {ws.title}!A{top}:H{bottom}"


MUTATIONS = [("set_cell", 30), ("many_cells", 15), ("date_format", 6), ("delete_rows", 8), ("insert_rows", 5),
             ("delete_column", 4), ("rename_sheet", 5), ("remove_sheet", 4), ("change_header", 8),
             ("change_key", 6), ("move_rows", 5)]


def make_workbook_case(seed: int) -> WorkbookCase:
    """An example's workbook (or the blank one) mutated one to four times, from the seed alone."""
    rng = random.Random(seed)
    base = rng.choice([p.stem for p in EXAMPLES] * 3 + [""])
    case = WorkbookCase(seed, base or "blank")
    book = open_book(example_workbook(base))
    mutator = _Mutator(rng, book)
    names, weights = zip(*MUTATIONS)
    for _ in range(rng.choices([1, 2, 3, 4], [50, 30, 15, 5])[0]):
        case.mutations.append(getattr(mutator, rng.choices(names, weights)[0])())
    case.data = saved(book)
    return case
