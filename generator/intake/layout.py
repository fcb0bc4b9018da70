"""The intake workbook's shape, read from the profile schema: which sheet, row or column each field of
the profile has, and what kind of answer it takes.

A section of the profile (company, staff …) is a form sheet: one row per field, nested sections as
groups of rows. A list of items (outlets, products …) and a table keyed by name (region_service,
self_assessment …) is a table sheet: one row per item, one column per field. A field added to the
schema is one more row or column with no new code; a clause or material added to the standard's data
is one more row of the self-assessment or the materials (`named_rows`). Names come from
content/intake/workbook.yaml, else from the first phrase of the field's docstring.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import re
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.paths import CONTENT
from generator.profile.introspect import unwrap
from generator.profile.model import Profile
from generator.standard.bundled import Data, load_data

Path_ = tuple

KINDS = ("text", "int", "number", "bool", "date", "choice")
BOOL_LABELS = ("是", "否")
LINES = "\n"  # the items of a list of texts in one cell: one per line


class Words(Data):
    title: str
    subtitle: str
    sheets: dict[str, str]
    labels: dict[str, str] = {}
    keys: dict[str, str] = {}
    named_rows: dict[str, str] = {}
    notes: dict[str, str] = {}
    instructions: list[str]


@cache
def words() -> Words:
    return load_data(CONTENT / "intake" / "workbook.yaml", Words, what="采集表文字文件")


@dataclass(frozen=True)
class Leaf:
    """One answer: a field that holds a value (or, `lines`, a list of values in one cell)."""

    path: Path_  # from the profile's root for a form's row; from the item for a table's column
    label: str  # the row's item or the column's header
    question: str  # the field's docstring
    required: bool  # must be answered (where its group is given)
    kind: str  # one of KINDS
    lines: bool = False  # a list of values, one per line of the cell
    options: tuple[str, ...] = ()  # a choice's values, as the profile writes them
    labels: tuple[str, ...] = ()  # and as the workbook shows them
    low: float | int | dt.date | None = None
    high: float | int | dt.date | None = None
    exclusive_low: bool = False  # greater than `low`, not equal
    max_length: int | None = None
    min_items: int = 0

    def shown(self, value: str) -> str:
        """A choice's value as the workbook shows it."""
        return self.labels[self.options.index(value)] if value in self.options else value

    @property
    def shown_options(self) -> tuple[str, ...]:
        return BOOL_LABELS if self.kind == "bool" else self.labels


@dataclass(frozen=True)
class Group:
    """A nested section inside a form (organisation.management_representative): a heading row."""

    path: Path_
    label: str
    question: str
    required: bool


@dataclass(frozen=True)
class Form:
    title: str
    path: Path_  # the section's key
    question: str
    rows: tuple[Leaf | Group, ...]


@dataclass(frozen=True)
class Table:
    title: str
    path: Path_  # the list's (or mapping's) key path
    question: str
    columns: tuple[Leaf, ...]  # paths from the item; () for a mapping's plain value
    key: Leaf | None = None  # a mapping's key column
    named: str = ""  # rows listed in advance (clauses, materials): the read-only name column's header
    groups: tuple[Group, ...] = ()  # nested sections of an item (samples), optional ones: all or nothing
    required: bool = False  # the list must have an item


Sheet = Form | Table


def sheets(root: type[BaseModel] = Profile) -> tuple[Sheet, ...]:
    """Every sheet but the cover, in the profile's order: a section's form, then its tables."""
    return _sheets(root)


@cache
def _sheets(root: type[BaseModel]) -> tuple[Sheet, ...]:
    found: list[Sheet] = []
    for name, info in root.model_fields.items():
        rows: list[Leaf | Group] = []
        tables: list[Table] = []
        inner = unwrap(info.annotation)
        if _is_model(inner):
            _walk(inner, (name,), rows, tables, required=True)
            if rows:
                found.append(Form(_sheet_title((name,), info), (name,), _doc(info), tuple(rows)))
        else:
            tables.append(_table((name,), info))
        found += tables
    titles = [s.title for s in found]
    duplicate = {t for t in titles if titles.count(t) > 1}
    if duplicate:
        raise ValueError(f"采集表的工作表重名：{'、'.join(sorted(duplicate))}；请在 content/intake/workbook.yaml 的 sheets 中改名")
    return tuple(found)


def _walk(model: type[BaseModel], path: Path_, rows: list, tables: list, required: bool) -> None:
    for name, info in model.model_fields.items():
        at = (*path, name)
        inner = unwrap(info.annotation)
        need = required and info.is_required()
        if _is_model(inner):
            rows.append(Group(at, _label(at, info), _doc(info), need))
            _walk(inner, at, rows, tables, need)
        elif _item_model(inner) is not None or typing.get_origin(inner) is dict:
            tables.append(_table(at, info))
        else:
            rows.append(_leaf(at, at, info, need))


def _table(path: Path_, info: FieldInfo) -> Table:
    inner = unwrap(info.annotation)
    key = None
    if typing.get_origin(inner) is dict:
        key_type, value = typing.get_args(inner)
        key = _leaf((), _dotted(path), info, True, annotation=key_type, label=words().keys.get(_dotted(path), "键"))
        item = unwrap(value)
    else:
        item = _item_model(inner)
    columns: list[Leaf] = []
    groups: list[Group] = []
    if _is_model(item):
        _columns(item, path, (), columns, groups, True)
    else:  # a mapping to plain values: one column
        columns.append(_leaf((), path, info, True, annotation=value))
    minimum = _limits(info.annotation, info).get("min_length") or 0
    return Table(_sheet_title(path, info), path, _doc(info), tuple(columns), key,
                 words().named_rows.get(_dotted(path), ""), tuple(groups), minimum > 0)


def _columns(model: type[BaseModel], table: Path_, inside: Path_, columns: list, groups: list, required: bool) -> None:
    for name, info in model.model_fields.items():
        at = (*inside, name)
        inner = unwrap(info.annotation)
        need = required and info.is_required()
        if _is_model(inner):
            groups.append(Group(at, _label((*table, *at), info), _doc(info), need))
            _columns(inner, table, at, columns, groups, need)
        elif _item_model(inner) is not None or typing.get_origin(inner) is dict:
            raise ValueError(f"采集表的表格中不能再嵌套表格：{_dotted((*table, *at))}")
        else:
            columns.append(_leaf(at, (*table, *at), info, need))


def _leaf(path: Path_, full: Path_, info: FieldInfo, required: bool, annotation: object = None,
          label: str | None = None) -> Leaf:
    annotation = info.annotation if annotation is None else annotation
    limits = _limits(annotation, info)
    inner = unwrap(annotation)
    lines = typing.get_origin(inner) is list
    if lines:
        limits = {"min_items": limits.get("min_length") or 0}
        item = typing.get_args(inner)[0]
        limits.update({k: v for k, v in _limits(item, None).items() if k != "min_length"})
        inner = unwrap(item)
    else:
        limits.pop("min_length", None)
    options: tuple = ()
    if typing.get_origin(inner) is Literal:
        kind, options = "choice", tuple(typing.get_args(inner))
    elif inner is bool:
        kind = "bool"
    elif inner is int:
        kind = "int"
    elif inner is float:
        kind = "number"
    elif inner is dt.date:
        kind = "date"
    elif inner is str:
        kind = "text"
    else:
        raise ValueError(f"采集表不知道如何填写 {_dotted(full)}（{inner}）")
    doc = _doc(info)
    return Leaf(path, label or _label(full, info), doc, required, kind, lines, options, _choice_labels(options, doc),
                **limits)


def _choice_labels(options: tuple, doc: str) -> tuple[str, ...]:
    """How a choice's values read in the workbook: the docstring's "implemented 已落实 / partial 部分落实"
    gives a label to each value that is a code; values in Chinese are their own labels."""
    labels = []
    for option in options:
        found = re.search(rf"(?:^|/)\s*{re.escape(option)}\s+([^/\s]+)", doc)
        labels.append(found.group(1) if found and option.isascii() else option)
    return tuple(labels) if len(set(labels)) == len(labels) else tuple(options)


def _limits(annotation: object, info: FieldInfo | None) -> dict:
    """The bounds an answer must keep (from the Annotated metadata, wherever nested)."""
    found: dict = {}
    metadata = list(info.metadata) if info is not None else []

    def visit(a: object) -> None:
        origin = typing.get_origin(a)
        if origin is Annotated:
            args = typing.get_args(a)
            metadata.extend(args[1:])
            visit(args[0])
        elif origin in (typing.Union, types.UnionType):
            for arg in typing.get_args(a):
                visit(arg)

    visit(annotation)
    for m in metadata:
        for item in (m.metadata if isinstance(m, FieldInfo) else [m]):
            if isinstance(item, annotated_types.Ge):
                found["low"] = item.ge
            elif isinstance(item, annotated_types.Gt):
                found["low"], found["exclusive_low"] = item.gt, True
            elif isinstance(item, annotated_types.Le):
                found["high"] = item.le
            elif isinstance(item, annotated_types.MaxLen):
                found["max_length"] = item.max_length
            elif isinstance(item, annotated_types.MinLen):
                found["min_length"] = item.min_length
    return found


def value_at(data, path: tuple):
    """The value at `path` in a profile's data (nested mappings), or None where there is none."""
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _is_model(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _item_model(annotation: object) -> type[BaseModel] | None:
    if typing.get_origin(annotation) is list:
        item = unwrap(typing.get_args(annotation)[0])
        return item if _is_model(item) else None
    return None


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def _doc(info: FieldInfo) -> str:
    return " ".join((info.description or "").split())


_SHEET_UNSAFE = re.compile(r"[\\/?*\[\]:]")


def _first_phrase(doc: str, fallback: str) -> str:
    phrase = re.split(r"[，,（(：:；;。]", doc, maxsplit=1)[0].strip()
    return phrase or fallback


def _label(path: Path_, info: FieldInfo) -> str:
    dotted_path = _dotted(path)
    named = next((label for key, label in words().labels.items() if fnmatch.fnmatchcase(dotted_path, key)), None)
    return named or _first_phrase(_doc(info), str(path[-1]))


def _sheet_title(path: Path_, info: FieldInfo) -> str:
    title = words().sheets.get(_dotted(path)) or _first_phrase(_doc(info), _dotted(path))
    return _SHEET_UNSAFE.sub("-", title)[:31]


def dotted(path: Path_) -> str:
    """A key path as the form sheets' first column shows it: company.contact.name."""
    return _dotted(path)
