"""The sentences the assessment gives as reasons (content/standard/wording.yaml), and `say`, the one
function that turns a reason into text for the documents, the site, the JSON, the terminal and the XLSX.

The assessment decides *which* sentence and *which values*: it returns `Reason(id, values)`. The data
holds the words, with `{name}` placeholders, and declares what kind each value is; `say` formats every
value by its kind (`number`, `hours`, `percent` follow generator/text/literal's rules), so a duration or
a share reads the same wherever it is said. A wording that names a placeholder it does not declare is a
located error when the file is loaded.
"""
from __future__ import annotations

import functools
import math
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from generator.paths import STANDARD
from generator.standard.bundled import Data, load_data
from generator.text.literal import hours, number

# How a value is written (wording.yaml's header says each in Chinese).
Kind = Literal["text", "number", "count", "exact", "yuan", "hours", "percent", "iso_date", "names", "reason",
               "reasons", "items"]
WordingId = str


@dataclass(frozen=True)
class Reason:
    """Which sentence (an id of wording.yaml) with which values: what the assessment says, not how."""

    id: WordingId
    values: Mapping[str, object] = field(default_factory=dict)


class Wording(Data):
    """One sentence: the kind of every value it is given, and its text naming them as `{name}`."""

    values: dict[str, Kind] = Field(default_factory=dict)
    text: str

    @field_validator("text")
    @classmethod
    def _names_only_its_values(cls, text: str, info: ValidationInfo) -> str:
        if "values" not in info.data:  # the values are wrong themselves: that error says so
            return text
        declared = info.data["values"]
        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                      if name is not None]
        except ValueError as exc:
            raise ValueError(f"花括号不成对（字面的花括号写作 {{{{ 或 }}}}）：{exc}") from None
        for name, spec, conversion in fields:
            if spec or conversion:
                raise ValueError(f"占位符 {{{name}}} 不能带格式说明：数值的写法由 values 中的类型决定")
            if name not in declared:
                raise ValueError(f"占位符 {{{name}}} 未在 values 中声明（可用：{'、'.join(declared) or '无'}）")
        return text


class Wordings(Data):
    wordings: dict[WordingId, Wording]


@functools.lru_cache(maxsize=4)
def wordings(folder: Path = STANDARD) -> dict[WordingId, Wording]:
    """Every wording by id."""
    return load_data(folder / "wording.yaml", Wordings, what="措辞数据文件").wordings


def say(reason: Reason, folder: Path = STANDARD) -> str:
    """The text of `reason`: its wording with every value formatted by the kind the wording declares."""
    wording = wordings(folder).get(reason.id)
    if wording is None:
        raise KeyError(f"wording.yaml 中没有措辞 {reason.id}")
    if set(reason.values) != set(wording.values):
        raise ValueError(f"措辞 {reason.id} 应给出 {sorted(wording.values)}，实际给出 {sorted(reason.values)}")
    return wording.text.format_map({name: _formatted(kind, reason.values[name], folder)
                                    for name, kind in wording.values.items()})


class said:
    """A record's field that holds a `Reason`, as text: `item = said("condition")` reads `say(self.condition)`.
    The Reason stays the data; its words are asked for only where they are shown (templates, JSON, terminal)."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __get__(self, record: object, owner: type | None = None) -> str | "said":
        return self if record is None else say(getattr(record, self.field))


def as_written(value: Fraction | int) -> str:
    """Person-days or a factor as written: 16, 16.5, 0.6 (not 16.0 or 33/2)."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    digits = 0
    while (value * 10 ** digits).denominator != 1 and digits < 4:
        digits += 1
    return f"{float(value):.{digits}f}".rstrip("0").rstrip(".")


def yuan(value: Fraction | int) -> str:
    """Money to the yuan with thousands separators, halves rounded up: 53,000."""
    return f"{math.floor(Fraction(value) + Fraction(1, 2)):,}"


def percent(share: Fraction | float) -> str:
    """A share as a reason says it: 66.67%, 10%."""
    return f"{float(share) * 100:.4g}%"


def _formatted(kind: Kind, value: Any, folder: Path) -> str:
    if kind == "text":
        return str(value)
    if kind == "number":
        return number(value)
    if kind == "count":
        return f"{value:,}"
    if kind == "exact":
        return as_written(value)
    if kind == "yuan":
        return yuan(value)
    if kind == "hours":
        return hours(value)
    if kind == "percent":
        return percent(value)
    if kind == "iso_date":
        return value.isoformat()
    if kind == "names":
        return "、".join(value)
    if kind == "reason":  # an optional part of the sentence: said where given, nothing where None
        return "" if value is None else say(value, folder)
    return ("；" if kind == "reasons" else "、").join(say(r, folder) for r in value)
