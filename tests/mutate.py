"""A mutation fuzzer for company profiles, shared by tests/test_fuzz.py and benchmarks/fuzz.py.

`make_case(seed)` turns one of the example profiles into a mutated one, deterministically from the
seed: keys deleted, duplicated or moved; values of the wrong type, out of range or deeply nested;
strings with every kind of control, line-break, bidi and astral character, template, Markdown, link,
field and formula syntax; tagged scalars; `customisation:` entries; and damage to the bytes
themselves (truncation, flipped bytes, non-UTF-8, BOMs, line endings). The same seed always gives
the same bytes, so a failure is reproduced from its seed alone:

    python benchmarks/fuzz.py --replay SEED --save-failures DIR

`run_check(path)` runs `aftersales check` in this process and classifies the outcome; `run_build`
builds into a copy of an earlier good build and checks that a failed build left it untouched and a
successful one wrote DOCX files that open and pass openxml-audit.
"""
from __future__ import annotations

import contextlib
import copy
import datetime as dt
import functools
import hashlib
import io
import math
import os
import random
import re
import shutil
import signal
import sys
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASES = sorted((ROOT / "company_profiles").glob("*.yaml")) + [ROOT / "tests" / "corpus" / "base.yml"]
GENERATOR = str(ROOT / "generator")


# --- the profile as a tree we can mutate and write back ----------------------------------------
class Map(list):
    """A mapping as a list of [key, value] pairs, so that a key can occur twice."""


@dataclass(frozen=True)
class Raw:
    """YAML source written as it is, in place of a value (tags, aliases, deep flow nesting)."""

    text: str
    block: bool = False  # the text spans lines and is indented as a block under its key


def _tree(value):
    if isinstance(value, dict):
        return Map([[k, _tree(v)] for k, v in value.items()])
    if isinstance(value, list):
        return [_tree(v) for v in value]
    return value


@functools.lru_cache(maxsize=None)
def _base(path: Path):
    import yaml

    return _tree(yaml.safe_load(path.read_text(encoding="utf-8")))


# --- writing YAML ------------------------------------------------------------------------------
_ESCAPES = {
    "\0": ["\\0", "\\x00", "\\u0000"], "\x07": ["\\a"], "\x08": ["\\b"], "\t": ["\\t", "\t"],
    "\n": ["\\n"], "\x0b": ["\\v", "\\x0b"], "\x0c": ["\\f", "\\x0c"], "\r": ["\\r"],
    "\x1b": ["\\e", "\\x1b", "\\u001b"], '"': ['\\"'], "\\": ["\\\\"], "\x85": ["\\N", "\\x85"],
    "\xa0": ["\\_", "\xa0"], "\u2028": ["\\L", "\\u2028"], "\u2029": ["\\P", "\\u2029"],
}
_PLAIN_OK = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff:#]|:(?!\s)|(?<!\s)#)*")
_RESOLVES = re.compile(r"""(?ix)^(?:~|null|true|false|yes|no|on|off|y|n
    |[-+]?(?:\.\d+|\d[\d_]*(?:\.[\d_]*)?)(?:e[-+]?\d+)?|[-+]?\.(?:inf|nan)|0x[\da-f_]+|0o[0-7_]+|0b[01_]+
    |\d{4}-\d\d?-\d\d?.*|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?|<<|=)$""")


def _escaped(text: str, rng: random.Random, raw: bool) -> str:
    """A double-quoted scalar; `raw` leaves characters the reader may reject as they are."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _ESCAPES and not (raw and ch not in '"\\\n'):
            out.append(rng.choice(_ESCAPES[ch]))
        elif raw:
            out.append(ch)
        elif code < 0x20 or 0x7f <= code <= 0x9f or 0xd800 <= code <= 0xdfff or code in (0xfeff, 0xfffe, 0xffff):
            out.append(rng.choice([f"\\x{code:02x}"] if code < 0x100 else [f"\\u{code:04x}"]))
        elif code > 0xffff and rng.random() < 0.3:
            out.append(f"\\U{code:08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@dataclass
class Text:
    """A mutated string and how to write it: `style` is plain, double, raw (characters as they are),
    single, literal (|) or folded (>); a style that cannot hold the text falls back to double."""

    value: str
    style: str = "double"


def _scalar(value, rng: random.Random, key: bool = False) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Text):
        text, style = value.value, value.style
        if style == "plain" and "\n" not in text:
            return text or '""'
        if style == "raw":
            return _escaped(text, rng, raw=True)
        if style == "single" and not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]", text):
            return "'" + text.replace("'", "''") + "'"
        return _escaped(text, rng, raw=False)
    if value is None:
        return rng.choice(["null", "~", "null", "Null"]) if not key else "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        return text if ("." in text or "e" in text) else text + ".0"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    text = str(value)
    if _PLAIN_OK.fullmatch(text) and not _RESOLVES.match(text) and not text.endswith(" "):
        return text
    return _escaped(text, rng, raw=False)


def _block_text(value: Text, indent: int) -> list[str] | None:
    """A literal or folded block scalar, when the text can be one."""
    text = value.value
    if value.style not in ("literal", "folded") or not text.strip() or text[0] in " \t":
        return None
    if re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\r\u2028\u2029\ufeff]", text):
        return None
    pad = " " * (indent + 2)
    head = ("|" if value.style == "literal" else ">") + ("-" if not text.endswith("\n") else "")
    return [head] + [pad + line if line else "" for line in text.rstrip("\n").split("\n")]


def flow(value, rng: random.Random) -> str:
    """A value in flow style ({a: b}, [c]) on one line."""
    if isinstance(value, Map):
        return "{" + ", ".join(f"{_scalar(k, rng, True)}: {flow(v, rng)}" for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v, rng) for v in value) + "]"
    if isinstance(value, Text):
        return _scalar(Text(value.value, "double" if value.style in ("plain", "literal", "folded") else value.style), rng)
    return _scalar(value, rng)


def emit(tree, rng: random.Random) -> str:
    lines: list[str] = []
    _emit_map(tree, 0, lines, rng) if isinstance(tree, Map) else lines.append(flow(tree, rng))
    return "\n".join(lines) + "\n"


def _emit_value(head: str, value, indent: int, lines: list[str], rng: random.Random) -> None:
    """`head` is `key:` or `-` at `indent`; the value follows on the line or as a block below."""
    if isinstance(value, Map) and value:
        if head.endswith("-") and rng.random() < 0.8:  # "- key: value" compact form
            start = len(lines)
            _emit_map(value, indent + 2, lines, rng)
            lines[start] = " " * indent + "- " + lines[start][indent + 2:]
        else:
            lines.append(" " * indent + head)
            _emit_map(value, indent + 2, lines, rng)
    elif isinstance(value, list) and value:
        if head.endswith("-"):
            start = len(lines)
            _emit_list(value, indent + 2, lines, rng)
            lines[start] = " " * indent + "- " + lines[start][indent + 2:]
        else:
            lines.append(" " * indent + head)
            _emit_list(value, indent + (2 if rng.random() < 0.85 else 0), lines, rng)
    elif isinstance(value, Raw) and value.block:
        lines.append(" " * indent + head)
        lines += [" " * (indent + 2) + line for line in value.text.split("\n")]
    elif isinstance(value, Text) and (block := _block_text(value, indent)):
        lines.append(" " * indent + head + " " + block[0])
        lines += block[1:]
    else:
        lines.append(" " * indent + head + " " + flow(value, rng) if isinstance(value, (Map, list))
                     else " " * indent + head + " " + _scalar(value, rng))


def _emit_map(tree: Map, indent: int, lines: list[str], rng: random.Random) -> None:
    for key, value in tree:
        _emit_value(f"{_scalar(key, rng, key=True)}:", value, indent, lines, rng)


def _emit_list(items: list, indent: int, lines: list[str], rng: random.Random) -> None:
    for item in items:
        _emit_value("-", item, indent, lines, rng)


# --- what to inject ----------------------------------------------------------------------------
CHARACTERS = [
    "\r", "\r\n", "\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x00", "\x1b", "\x07", "\x08", "\x7f",
    "\x80", "\x9f", "\t", "\u202e", "\u202d", "\u2066", "\u200b", "\u200d", "\u2060", "\ufeff", "\ufffe",
    "\uffff", "\ufffd", "\U0001f600", "\U00020bb7", "\U0010ffff", "\ud800", "\udfff", "\ud83d", "\xa0",
    "\u3000", "\u00ad", "e\u0301", "\u0301", "\u0000\u0000", "\ue000", "\U000e0001", "\u061c", "\u180e",
]
SNIPPETS = [
    "{{ 7*7 }}", "{% include 'manual.md.j2' %}", "{% raw %}", "{# x", "{{", "}}", "{%", "{{ self.__init__.__globals__ }}",
    "${x}", "%s%n", "{0}", "# h", "text\n===", "text\n---", "- item", "* item", "1. item", "> quote",
    "| a | b |\n|---|---|\n| 1 | 2 |", "| a |", "<script>alert(1)</script>", "<b>x</b>", "<!-- c -->",
    "[x](javascript:alert(1))", "![i](data:image/png;base64,iVBORw0KGgo=)", "![i](/etc/passwd)",
    "<javascript:x>", "<http://example.com>", "[x]: http://e", "[^1]", "{ HYPERLINK \"http://x\" }",
    "{ DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe }", "=1+1", "+1+1", "-1+1", "@SUM(A1)", "=HYPERLINK(\"x\")",
    "```\ncode", "`", "**", "__", "\\", "\\{clauses=5.1.1\\}", "{clauses=5.1.1}", "]]>", "<w:p/>", "&amp;", "&#0;",
    "&#x1b;", "\"", "'", "~", "null", "true", "0x10", "1e3", "2026-01-01", "---", "...", "<<", "&a", "*a", "!", "%",
    "@", "?", ":", ": ", " #", "#", "-", "- ", "|", ">", " ", "", "  ", "（待填）", "✓", "⚠", "٣", "１２", "Ⅻ",
]
TAGGED = [
    '!!int "\\0"', '!!map "x"', "!!str", '!!str ""', '!!bool "x"', '!!float "\\x1b"', '!!int "\\e"', '!!int "abc"',
    '!!int ""', '!!int "0x"', '!!int "+"', '!!int "١٢"', '!!int "99999999999999999999999999999999"',
    '!!int "1_000"', '!!int "0b101"', '!!int "0o17"', '!!int "-0"', '!!float "nan"', '!!float "-inf"',
    '!!float "1e999"', '!!float "abc"', '!!float ""', '!!float "\\u2028"', '!!bool ""', '!!bool "yes"',
    '!!bool "\\0"', '!!null "x"', '!!null "\\x1b"', '!!seq "x"', "!!seq", "!!map", '!!timestamp "x"',
    '!!timestamp "2026-02-30"', '!!timestamp "0001-01-01"', '!!timestamp "9999-12-31T23:59:59Z"',
    '!!timestamp "2001-12-14t21:59:43.10-05:00"', '!!timestamp "\\0"', '!!timestamp ""', '!!str 12', "!!str -1",
    '!!binary "AAAA"', "!!python/object:os.system x", "!custom x", "!!set {a}", "!!omap [a: 1]", "!<tag:x> y",
    '!!merge "x"', '!!value "="', '!!str "\\x1b"', '!!str "\\ud800"', '!!int "\\ud800"', '!!float "1e308"',
    '!!int "9" # ok', "!!map {a: 1}", "!!seq [1]", "!!str [1]", "!!int {a: 1}", "!!float [1]", "!!bool {}",
    "!!timestamp []", "!!null {a: 1}",
]
NUMBERS = [1e308, -1e308, -1, -0.0, 0, 1, 10**30, -10**30, 2**63, 2**64 + 1, 10**4299, math.nan, math.inf,
           -math.inf, 0.5, 1.5, 99.99, 100.0000001, 1e-320, 5e-324, 3.0]
RAW_NUMBERS = [".NaN", ".Inf", "-.INF", "+.inf", "1e999", "-1e999", "0x7fffffff", "0o777", "0b1010", "1_000",
               "+12", "012", "9" * 5000, "-" + "9" * 4301, "0012.5", "1:30", "1e3", "1E+3", ".5", "5.", "-.5e-3", "１２", "1,000"]
DATES = [dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1969, 12, 31), dt.date(1970, 1, 1), dt.date(2000, 2, 29),
         dt.date(2038, 1, 19), dt.date(1900, 1, 1), dt.date(2100, 12, 31), dt.datetime(2026, 1, 1, 0, 0),
         dt.datetime(9999, 12, 31, 23, 59, 59), dt.datetime(1, 1, 1, 0, 0)]
RAW_DATES = ["2026-02-29", "2026-02-30", "2026-13-01", "0000-01-01", "10000-01-01", "2026-1-5", "2026-01-01T00:00:00",
             "2026-01-01 25:00:00", "2026-01-01t10:00:00.5+08:00", "2026-01-01T10:00:00Z", "2026-01-01 10:00:00 +8",
             "2026-06-01T24:00:00", "2026-06-31", "1969-12-31T23:59:59-23:59", "-2026-01-01", "2026/01/01",
             "20260101", "2026-01-01 ", '"2026-01-01"']
SECTIONS = ["颁布令", "修订记录", "1", "1.1", "1.3 删减说明", "企业概况", "2.2 术语和定义", "4", "4.1 组织机构图", "12",
            "12.2", "13", "13.2", "备件与收费", "13.2 备件与收费", "15", "16", "16.5", "顾客关怀", "16.5 顾客关怀", "17",
            "17.5", "附录", "附录 A 服务网点清单", "A 服务网点清单", "附录 D 服务承诺书", "附录 F 记录表单", "R01",
            "R13 废旧商品回收记录", "R13", "管理者代表任命书"]
UNKNOWN_SECTIONS = ["99.9", "", " ", "16.5 ", "16.50", "１６.５", "16.5 顾客关爱", "A", "None", "0", "#", "{{ x }}",
                    "13.2\n", "../etc", "\x1b", "\u202e16.5", "16.5\u200b", "1" * 300]
SAME_SECTION = [("13.2", "备件与收费"), ("16.5", "16.5 顾客关怀"), ("16.5", "顾客关怀"), ("R01", "R01 投诉登记处理表"),
                ("1", "企业概况与适用范围")]
CHAPTER_AND_SECTION = [("13", "13.2"), ("16", "16.5"), ("附录 F 记录表单", "R01"), ("4", "4.1 组织机构图"),
                       ("1", "1.1"), ("17", "17.5"), ("颁布令", "管理者代表任命书")]
MARKDOWN = [
    "# 标题\n正文", "正文\n===", "正文\n---", "- a\n- b\n  - c", "| a | b |\n|---|---|\n| 1 | 2 |",
    "| a | b |\n|---|\n| 1 |", "<script>alert(1)</script>", "[x](javascript:alert(1))",
    "![i](data:image/png;base64,iVBORw0KGgo=)", "![i](/etc/passwd)", "![i](http://example.com/x.png)",
    "![](images/org-chart.png)", "![i](figures/x.svg \"t\")", "<javascript:x>", "{ HYPERLINK \"http://x\" }", "=1+1",
    "```\ncode\n```", "```", "    indented code", "> quote\n> > nested", "1. a\n2. b", "[^1]\n\n[^1]: note", "***",
    "---", "<!-- c -->", "{{ 7*7 }}", "{% include 'manual.md.j2' %}", "## 13.2 备件与收费 {clauses=5.2.4}",
    "#", "######## h8", "**粗体**和*斜体*", "~~删除~~", "<u>x</u>", "&nbsp;&#0;&#x1b;", "a  \nb", "\\", "[x][y]\n\n[y]: <>",
    "| " + " | ".join(str(i) for i in range(200)) + " |\n|" + "---|" * 200,
    "\n".join("  " * k + "- x" for k in range(200)), ">" * 5000 + " deep", "*" * 10000, "**a" * 5000, "[a](" * 3000,
    "<" * 10000, "`" * 10000, "\\" * 5000, "[" * 5000 + "]" * 5000, "- " * 2000 + "x", "1. " * 2000 + "x",
    "正文" * 10000, "x" * 20000, "x" * 20001, "a\tb\tc", "- [ ] todo\n- [x] done", "<br>", "$$x$$", "\u2028# 标题",
]


def _flatten(tree, path=()):
    """Every (path, container, index) below the root; a map's index is the position of its pair."""
    out = []
    if isinstance(tree, Map):
        for i, (key, value) in enumerate(tree):
            out.append((path + (key,), tree, i))
            out += _flatten(value, path + (key,))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            out.append((path + (i,), tree, i))
            out += _flatten(value, path + (i,))
    return out


def _get(container, i):
    return container[i][1] if isinstance(container, Map) else container[i]


def _set(container, i, value) -> None:
    if isinstance(container, Map):
        container[i][1] = value
    else:
        container[i] = value


def _show(path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            text = part if isinstance(part, str) else repr(part)
            out += ("." if out else "") + (text if len(text) <= 40 else text[:30] + "…")
    return out or "<root>"


def _plain(value):
    if isinstance(value, Map):
        return {_plain(k): _plain(v) for k, v in value}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.value if isinstance(value, Text) else value.text if isinstance(value, Raw) else value


def _short(value, limit: int = 60) -> str:
    text = repr(_plain(value))
    return text if len(text) <= limit else text[: limit - 12] + f"…(len {len(text)})"


class Mutator:
    def __init__(self, rng: random.Random, tree: Map):
        self.rng, self.tree = rng, tree

    def nodes(self, want=None):
        nodes = _flatten(self.tree)
        if want is not None:
            chosen = [n for n in nodes if want(_get(n[1], n[2]))]
            if chosen:
                return chosen
        return nodes

    def pick(self, want=None):
        return self.rng.choice(self.nodes(want))

    # values of every type
    def text(self, base: str = "") -> Text:
        r = self.rng
        payload = "".join(r.choice(CHARACTERS + SNIPPETS) for _ in range(r.choice([1, 1, 1, 2, 3])))
        where = r.random()
        if not base or where < 0.25:
            value = payload
        elif where < 0.5:
            value = payload + base
        elif where < 0.75:
            value = base + payload
        else:
            cut = r.randrange(len(base) + 1)
            value = base[:cut] + payload + base[cut:]
        return Text(value, r.choice(["double", "double", "raw", "plain", "single", "literal", "folded"]))

    def value(self, exclude: type | None = None):
        r = self.rng
        kinds = ["str", "int", "float", "list", "map", "null", "bool", "date", "raw"]
        kind = r.choice([k for k in kinds if not (exclude and _kind(exclude) == k)])
        if kind == "str":
            return r.choice([Text(r.choice(["x", "", " ", "很多", "0", "是", "true", "1.5", "2026-01-01", "[]"]),
                                  r.choice(["double", "single"])), self.text()])
        if kind == "int":
            return r.choice([0, 1, -1, 7, 10**30, 2**63])
        if kind == "float":
            return r.choice(NUMBERS)
        if kind == "list":
            return r.choice([[], ["x"], [1, 2], [Map([["name", "x"]])], [[]], [None]])
        if kind == "map":
            return r.choice([Map(), Map([["name", "x"]]), Map([["x", 1]]), Map([["mode", "append"], ["text", "x"]])])
        if kind == "null":
            return None
        if kind == "bool":
            return r.choice([True, False, Raw("yes"), Raw("no"), Raw("on"), Raw("True"), Raw("FALSE")])
        if kind == "date":
            return r.choice(DATES + [Raw(d) for d in RAW_DATES])
        return Raw(r.choice(TAGGED + RAW_NUMBERS))

    # the mutations; each returns a description
    def delete_key(self) -> str:
        path, container, i = self.pick()
        del container[i]
        return f"delete {_show(path)}"

    def duplicate_key(self) -> str:
        path, container, i = self.pick(lambda v: True)
        for _ in range(10):  # prefer a mapping's key
            if isinstance(container, Map):
                break
            path, container, i = self.pick()
        value = _get(container, i)
        if self.rng.random() < 0.5:
            value = self.value()
        if isinstance(container, Map):
            container.insert(self.rng.randrange(len(container) + 1), [container[i][0], copy.deepcopy(value)])
        else:
            container.insert(i, copy.deepcopy(value))
        return f"duplicate {_show(path)} = {_short(value)}"

    def swap_type(self) -> str:
        path, container, i = self.pick()
        value = self.value(exclude=type(_get(container, i)))
        _set(container, i, value)
        return f"set {_show(path)} = {_short(value)}"

    def move_subtree(self) -> str:
        path, container, i = self.pick()
        item = container.pop(i)
        key, value = item if isinstance(container, Map) else (f"item{i}", item)
        if self.rng.random() < 0.2:
            target, target_path = self.tree, ()
        else:
            target_path, parent, j = self.pick(lambda v: isinstance(v, (Map, list)))
            target = _get(parent, j)
            if not isinstance(target, (Map, list)):
                target, target_path = self.tree, ()
        if isinstance(target, Map):
            target.insert(self.rng.randrange(len(target) + 1), [key, value])
        else:
            target.insert(self.rng.randrange(len(target) + 1), value)
        return f"move {_show(path)} into {_show(target_path)}"

    def copy_subtree(self) -> str:
        source_path, source, i = self.pick(lambda v: isinstance(v, (Map, list)))
        path, container, j = self.pick()
        _set(container, j, copy.deepcopy(_get(source, i)))
        return f"copy {_show(source_path)} to {_show(path)}"

    def number(self) -> str:
        path, container, i = self.pick(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
        r = self.rng
        value = r.choice(NUMBERS) if r.random() < 0.7 else Raw(r.choice(RAW_NUMBERS))
        _set(container, i, value)
        return f"set {_show(path)} = {_short(value)}"

    def date(self) -> str:
        path, container, i = self.pick(lambda v: isinstance(v, dt.date))
        r = self.rng
        value = r.choice(DATES) if r.random() < 0.6 else Raw(r.choice(RAW_DATES))
        _set(container, i, value)
        return f"set {_show(path)} = {_short(value)}"

    def shift_dates(self) -> str:
        """Every date moved by the same amount, so that their order (and the profile's cross-checks)
        still holds, to just after 0001-01-01, just before 9999-12-31 or across 1970 and 2038."""
        dates = [n for n in _flatten(self.tree) if type(_get(n[1], n[2])) is dt.date]
        if not dates:
            return self.date()
        values = [_get(c, i) for _, c, i in dates]
        r = self.rng
        where = r.choice(["min", "max", "epoch", "y2038"])
        slack = dt.timedelta(days=r.choice([0, 1, 30, 400]))
        if where == "min":
            delta = dt.date(1, 1, 1) + slack - min(values)
        elif where == "max":
            delta = dt.date(9999, 12, 31) - slack - max(values)
        else:
            delta = (dt.date(1970, 1, 1) if where == "epoch" else dt.date(2038, 1, 19)) - min(values) - slack
        try:
            moved = [v + delta for v in values]
        except OverflowError:  # an earlier mutation put a date at the other end
            return self.date()
        for (_, container, i), value in zip(dates, moved):
            _set(container, i, value)
        return f"shift all {len(dates)} dates by {delta.days} days (to {where} ± {slack.days} days)"

    def inject(self) -> str:
        path, container, i = self.pick(lambda v: isinstance(v, str))
        old = _get(container, i)
        value = self.text(old if isinstance(old, str) else "")
        _set(container, i, value)
        return f"set {_show(path)} = {_short(value)} ({value.style})"

    def long_string(self) -> str:
        path, container, i = self.pick(lambda v: isinstance(v, str))
        r = self.rng
        unit = r.choice(["x", "汉", "a b ", "\n", "\u200b", "😀", "{{", "- ", "| a ", "\\", "<", "&", "x\ny"])
        value = Text(unit * (r.choice([100_000, 20_000, 2_001, 201]) // len(unit)), r.choice(["double", "literal", "raw"]))
        _set(container, i, value)
        return f"set {_show(path)} = {unit!r} * {len(value.value) // len(unit)} ({value.style})"

    def tagged(self) -> str:
        path, container, i = self.pick(lambda v: not isinstance(v, (Map, list)))
        value = Raw(self.rng.choice(TAGGED))
        _set(container, i, value)
        return f"set {_show(path)} = {value.text}"

    def customisation(self) -> str:
        r = self.rng
        pairs = next((v for k, v in self.tree if k == "customisation" and isinstance(v, Map)), None)
        if pairs is None:
            pairs = Map()
            self.tree.append(["customisation", pairs])
        what = r.choice(["section", "section", "same", "chapter", "unknown", "bad-entry"])
        if what == "same":
            names = list(r.choice(SAME_SECTION))
        elif what == "chapter":
            names = list(r.choice(CHAPTER_AND_SECTION))
            r.shuffle(names)
        elif what == "unknown":
            names = [r.choice(UNKNOWN_SECTIONS)]
        else:
            names = [r.choice(SECTIONS) for _ in range(r.choice([1, 1, 2, 3]))]
        added = []
        for name in names:
            key = Raw(name) if r.random() < 0.1 and name and re.fullmatch(r"[\d.]+", name) else name
            if what == "bad-entry":
                entry = r.choice([self.value(), Map([["mode", r.choice(["insert", "", None, 1, Raw("!!str")])],
                                                     ["text", "x"]]), Map([["text", self.value()]]), Map()])
            else:
                body = r.choice(MARKDOWN) if r.random() < 0.7 else self.text(r.choice(MARKDOWN)).value
                entry = Map([["mode", r.choice(["append", "replace"])],
                             ["text", Text(body, r.choice(["double", "literal", "raw", "folded"]))]])
                if r.random() < 0.2:
                    del entry[0]
            pairs.insert(r.randrange(len(pairs) + 1), [key, entry])
            added.append(f"{key.text if isinstance(key, Raw) else key!r}: {_short(entry, 90)}")
        return "customisation " + what + " {" + "; ".join(added) + "}"

    def deep_flow(self) -> str:
        path, container, i = self.pick()
        r = self.rng
        depth = r.choice([39, 41, 100, 1000, 5000, 20000])
        opener, closer = r.choice([("[", "]"), ("{a: ", "}"), ("[{a: ", "}]")])
        text = opener * depth + r.choice(["", "x", "1"]) + closer * depth
        if r.random() < 0.2:
            text = text[: r.randrange(len(text))]  # unclosed
        _set(container, i, Raw(text))
        return f"set {_show(path)} = {opener!r} * {depth} (flow nesting)"

    def deep_block(self) -> str:
        path, container, i = self.pick()
        r = self.rng
        depth = r.choice([39, 41, 200, 1000, 1500])
        if r.random() < 0.5:
            text = "\n".join(" " * k + f"k{k}:" for k in range(depth)) + " x"
            kind = "block mapping"
        else:
            text = "- " * depth + "x"
            kind = "compact sequence"
        _set(container, i, Raw(text, block=kind == "block mapping"))
        return f"set {_show(path)} = {kind} {depth} deep"

    def alias(self) -> str:
        r = self.rng
        source_path, source, i = self.pick(lambda v: isinstance(v, (Map, list)))
        path, container, j = self.pick()
        value = _get(source, i)
        kind = r.choice(["copy", "undefined", "bomb", "self", "reused"])
        if kind in ("copy", "reused"):
            _set(source, i, Raw("&a " + flow(value, r)))
            _set(container, j, Raw("*a" if kind == "copy" else "&a x"))
        elif kind == "undefined":
            _set(container, j, Raw("*nothing"))
        elif kind == "bomb":
            levels = ["&l0 [x, x, x, x, x, x, x, x, x, x]"] + [
                f"&l{k} [" + ", ".join([f"*l{k - 1}"] * 10) + "]" for k in range(1, r.choice([3, 5, 7]))]
            _set(container, j, Raw("[" + ", ".join(levels) + "]"))
        else:
            _set(container, j, Raw("&s [*s]"))
        return f"alias {kind}: {_show(source_path)} -> {_show(path)}"

    def odd_key(self) -> str:
        path, container, i = self.pick(lambda v: isinstance(v, Map) and v)
        target = _get(container, i)
        if not isinstance(target, Map):
            target = self.tree
        r = self.rng
        key = r.choice([Raw("? [a, b]"), Raw("? {a: 1}"), 1, 1.5, True, None, dt.date(2026, 1, 1), "", " ",
                        "company\u200b", "<<", Raw("<<"), "\x1b", Text("\u202ename", "double"), "a" * 1000,
                        Raw("!!int k"), Raw("&k k"), "1e3"])
        if isinstance(key, Raw) and key.text.startswith("?"):
            target.insert(r.randrange(len(target) + 1), [Raw(key.text[2:]), "x"])
        else:
            target.insert(r.randrange(len(target) + 1), [key, self.value()])
        return f"add key {_short(key)} under {_show(path)}"


def _kind(t: type) -> str:
    return {str: "str", int: "int", float: "float", list: "list", Map: "map", type(None): "null", bool: "bool",
            dt.date: "date", Raw: "raw"}.get(t, "")


TREE_MUTATIONS = [("delete_key", 8), ("duplicate_key", 5), ("swap_type", 14), ("move_subtree", 4),
                  ("copy_subtree", 3), ("number", 8), ("date", 6), ("shift_dates", 4), ("inject", 22), ("long_string", 3),
                  ("tagged", 8), ("customisation", 12), ("deep_flow", 3), ("deep_block", 2), ("alias", 2),
                  ("odd_key", 3)]


# --- damage to the bytes -----------------------------------------------------------------------
def damage(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    kind = rng.choice(["truncate", "flip", "non-utf8", "bom", "line-endings", "control", "tab", "splice",
                       "indent", "documents", "directive", "encoding"])
    n = len(data)
    if kind == "truncate":
        at = rng.randrange(n + 1)
        return data[:at], f"truncate at byte {at} of {n}"
    if kind == "flip":
        out = bytearray(data)
        spots = sorted(rng.randrange(n) for _ in range(rng.choice([1, 1, 2, 8])))
        for at in spots:
            out[at] ^= 1 << rng.randrange(8) if rng.random() < 0.7 else rng.randrange(1, 256)
        return bytes(out), f"flip bytes at {spots}"
    if kind == "non-utf8":
        junk = rng.choice([b"\xff", b"\xfe", b"\xc3", b"\x80", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80",
                           b"\xe4\xb8", "中文".encode("gbk")])
        at = rng.randrange(n + 1)
        return data[:at] + junk + data[at:], f"insert {junk!r} at byte {at}"
    if kind == "bom":
        how = rng.choice(["utf8", "double", "middle", "utf16le", "utf16be", "utf32"])
        if how == "utf8":
            return b"\xef\xbb\xbf" + data, "UTF-8 BOM"
        if how == "double":
            return b"\xef\xbb\xbf\xef\xbb\xbf" + data, "two UTF-8 BOMs"
        if how == "middle":
            at = data.find(b"\n", rng.randrange(n)) + 1
            return data[:at] + b"\xef\xbb\xbf" + data[at:], f"UTF-8 BOM at byte {at}"
        text = data.decode("utf-8", "surrogatepass")
        encoded = {"utf16le": b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass"),
                   "utf16be": b"\xfe\xff" + text.encode("utf-16-be", "surrogatepass"),
                   "utf32": text.encode("utf-32", "surrogatepass")}[how]
        return encoded, f"encoded as {how} with BOM"
    if kind == "line-endings":
        sep = rng.choice([b"\r\n", b"\r", "\u2028".encode(), "\x85".encode(), b"\r\r\n", b"\n\r"])
        if rng.random() < 0.5:
            return data.replace(b"\n", sep), f"every line ends with {sep!r}"
        lines = data.split(b"\n")
        at = rng.randrange(len(lines))
        lines[at] += sep
        return b"\n".join(lines), f"line {at + 1} also ends with {sep!r}"
    if kind == "control":
        ch = rng.choice(["\x1b", "\x0b", "\x0c", "\x7f", "\x00", "\x85", "\u2028", "\ufeff", "\u202e", "\x01", "\x9b"])
        at = rng.randrange(n + 1)
        return data[:at] + ch.encode() + data[at:], f"insert {ch!r} at byte {at}"
    lines = data.split(b"\n")
    at = rng.randrange(len(lines))
    if kind == "tab":
        stripped = lines[at].lstrip(b" ")
        lines[at] = b"\t" + stripped if rng.random() < 0.5 else lines[at] + b"\t"
        return b"\n".join(lines), f"tab on line {at + 1}"
    if kind == "splice":
        span = rng.choice([1, 2, 5, 20])
        how = rng.choice(["delete", "repeat", "swap"])
        if how == "delete":
            del lines[at:at + span]
        elif how == "repeat":
            lines[at:at] = lines[at:at + span]
        else:
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
        return b"\n".join(lines), f"{how} {span} line(s) at line {at + 1}"
    if kind == "indent":
        shift = rng.choice([-2, -1, 1, 2, 4])
        lines[at] = b" " * shift + lines[at] if shift > 0 else lines[at][-shift:]
        return b"\n".join(lines), f"indent line {at + 1} by {shift}"
    if kind == "documents":
        extra = rng.choice([b"---\n", b"---\ncompany: x\n", b"...\n", b"--- |\n  x\n", b"\n---\n...\n---\n"])
        return (data + extra, f"append {extra!r}") if rng.random() < 0.7 else (extra + data, f"prepend {extra!r}")
    if kind == "directive":
        head = rng.choice([b"%YAML 1.1\n---\n", b"%YAML 1.2\n---\n", b"%YAML 2.0\n---\n", b"%YAML 1.1\n",
                           b"%TAG ! tag:yaml.org,2002:\n---\n", b"%TAG !e! tag:example.com,2000:\n---\n",
                           b"%FOO bar\n---\n", b"%YAML 1.1\n%YAML 1.1\n---\n"])
        return head + data, f"prepend {head!r}"
    return data.decode("utf-8", "surrogatepass").encode(rng.choice(["gbk", "utf-16"]), "replace"), "re-encoded"


# --- a case ------------------------------------------------------------------------------------
@dataclass
class Case:
    seed: int
    base: str
    mutations: list[str]
    data: bytes
    name: str = "profile.yaml"

    def describe(self) -> str:
        return f"seed {self.seed} ({self.base}): " + "; ".join(self.mutations)


def make_case(seed: int) -> Case:
    rng = random.Random(seed)
    base = rng.choice(BASES)
    tree = copy.deepcopy(_base(base))
    mutator = Mutator(rng, tree)
    names, weights = zip(*TREE_MUTATIONS)
    done = []
    for _ in range(rng.choices([1, 2, 3, 4], [55, 28, 12, 5])[0]):
        done.append(getattr(mutator, rng.choices(names, weights)[0])())
    data = emit(tree, rng).encode("utf-8", "surrogatepass")
    if rng.random() < 0.2:
        data, what = damage(data, rng)
        done.append(what)
    name = rng.choice(["profile.yaml"] * 6 + ["企业 档案.yml", "a'b \"c.yaml", "x.YAML"])
    return Case(seed, base.name, done, data, name)


# --- running a case ----------------------------------------------------------------------------
class CaseTimeout(BaseException):
    """Raised in the case by the alarm; a BaseException so that `except Exception` cannot swallow it."""


@dataclass
class Outcome:
    kind: str  # "exit 0", "exit 2", or a failure: "exit 1", "exception", "timeout", "traceback printed", …
    detail: str = ""  # failure class: exception type and the frame in generator/
    message: str = ""
    traceback: str = ""
    stderr: str = ""
    seconds: float = 0.0  # wall time
    cpu: float = 0.0  # this process's CPU time: what the case costs on a machine shared with others

    @property
    def failed(self) -> bool:
        return self.kind not in ("exit 0", "exit 2")

    @property
    def group(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind


def _where(tb) -> str:
    """The innermost frame in generator/ (else the innermost frame), as file:line in function."""
    frames = traceback.extract_tb(tb)
    ours = [f for f in frames if f.filename.startswith(GENERATOR)]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return "?"
    name = os.path.relpath(frame.filename, ROOT) if frame.filename.startswith(str(ROOT)) else frame.filename
    return f"{name}:{frame.lineno} in {frame.name}"


def _message(exc: BaseException) -> str:
    """The exception, and the innermost frame when it is not in generator/."""
    text = f"{type(exc).__name__}: {exc}"
    text = text if len(text) <= 300 else text[:300] + "…"
    frames = traceback.extract_tb(exc.__traceback__)
    if frames and not frames[-1].filename.startswith(GENERATOR):
        text += f" (raised in {'/'.join(Path(frames[-1].filename).parts[-2:])}:{frames[-1].lineno})"
    return text


@contextlib.contextmanager
def _deadline(seconds: float):
    """`seconds` of this process's CPU time (so that a busy shared machine does not make a slow case
    look hung), and four times as long on the clock."""
    def ring(signum, frame):
        clock = "CPU" if signum == signal.SIGPROF else "wall-clock"
        raise CaseTimeout(f"no result after {seconds if clock == 'CPU' else wall:g} s of {clock} time")

    wall = seconds * 4 + 30
    old = signal.signal(signal.SIGPROF, ring), signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, wall)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, old[0])
        signal.signal(signal.SIGALRM, old[1])


def run_main(argv: list[str], timeout: float) -> tuple[int | None, Outcome | None, str, str]:
    """`main(argv)` in this process with its output captured: (exit code, failure or None, stdout, stderr)."""
    import time

    from generator.cli import main

    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    code, failure = None, None
    old_limit = sys.getrecursionlimit()
    try:
        with _deadline(timeout), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except KeyboardInterrupt:
        raise
    except CaseTimeout as exc:
        failure = Outcome("timeout", f"at {_where(exc.__traceback__)}", str(exc),
                          "".join(traceback.format_exception(exc)))
    except BaseException as exc:  # noqa: BLE001 - anything escaping main is what we are looking for
        failure = Outcome("exception", f"{type(exc).__name__} at {_where(exc.__traceback__)}", _message(exc),
                          "".join(traceback.format_exception(exc)))
    finally:
        sys.setrecursionlimit(old_limit)
    seconds = time.perf_counter() - start
    if failure:
        failure.stderr, failure.seconds = err.getvalue(), seconds
    return code, failure, out.getvalue(), err.getvalue()


_QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|（实际为 .*?）(?=\s*$)|'[^'\n]*'|\"[^\"\n]*\"")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'<>-]+(?:[ ,]+[A-Za-z<>'][A-Za-z'<>-]*){2,}")


def _english(stderr: str, path: Path) -> tuple[str, str]:
    """The first run of three or more English words in the tool's own words on stderr (the user's
    values, quoted, and the file's path left out), and its line: the README promises clear Chinese messages."""
    for line in stderr.replace(str(path), "").splitlines():
        found = _WORDS.search(_QUOTED.sub("", line))
        if found:
            return found.group(), line.strip()
    return "", ""


def _judge_exit(code, failure, stderr: str, path: Path) -> Outcome:
    if failure:
        return failure
    if "Traceback" in stderr:
        line = next((l for l in reversed(stderr.splitlines()) if l.strip()), "")
        return Outcome("traceback printed", line[:200], stderr=stderr)
    if code == 2 and str(path) not in stderr:
        first = next((l for l in stderr.splitlines() if l.strip()), "(nothing on stderr)")
        return Outcome("exit 2 without the profile's path", re.sub(r"\d+", "N", first)[:160], first, stderr=stderr)
    english, line = _english(stderr, path) if code == 2 else ("", "")
    if english:
        message = re.sub(r"^[\s:\d]*(\[.*?\]: )?:?\s*", "", line)  # without the location
        group = re.sub(r"'[^']*'", "'…'", re.sub(r"(（[^（）]*）)+\s*$", "", message))  # nor the hints
        return Outcome("exit 2 with a message not in Chinese", group[:120], line[:300], stderr=stderr)
    if code in (0, 2):
        return Outcome(f"exit {code}", stderr=stderr)
    return Outcome(f"exit {code}", (stderr.strip().splitlines() or [""])[-1][:200], stderr=stderr)


def run_check(path: Path, timeout: float = 20.0) -> Outcome:
    import time

    start, cpu = time.perf_counter(), time.process_time()
    code, failure, _, err = run_main(["check", str(path)], timeout)
    outcome = _judge_exit(code, failure, err, path)
    outcome.seconds, outcome.cpu = time.perf_counter() - start, time.process_time() - cpu
    return outcome


def tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def good_build(folder: Path) -> Path:
    """A build of the home-appliance example (DOCX only) to build over; made once per folder."""
    out = folder / "previous"
    if not (out / "manifest.json").is_file():
        code, failure, _, err = run_main(["build", str(BASES[0]), "-o", str(out), "--no-site"], 600)
        if failure or code != 0:
            raise RuntimeError(f"the example does not build: {failure or err}")
    return out


@functools.lru_cache(maxsize=1)
def _validator():
    from openxml_audit import OpenXmlValidator

    return OpenXmlValidator()


def ooxml_errors(path: Path) -> list[str]:
    """openxml-audit's errors for a DOCX (as tests/test_ooxml.py counts them) and its embedded workbooks."""
    result = _validator().validate(path)
    found = [f"{path.name} {e.part_uri} {e.path}: {e.description}" for e in result.errors
             if getattr(e.severity, "value", e.severity) == "error"]
    with zipfile.ZipFile(path) as archive:
        for part in (n for n in archive.namelist() if n.startswith("word/embeddings/")):
            workbook = path.parent / f"{path.name}-{part.rsplit('/', 1)[1]}"
            workbook.write_bytes(archive.read(part))
            try:
                found += [f"{path.name} {part} {e.part_uri} {e.path}: {e.description}"
                          for e in _validator().validate(workbook).errors
                          if getattr(e.severity, "value", e.severity) == "error"]
            finally:
                workbook.unlink()
    return found


def run_build(path: Path, previous: Path, work: Path, timeout: float = 120.0) -> Outcome:
    """Build `path` over a copy of `previous`: exit 0 or 2; on 2 nothing changed; on 0 every DOCX opens
    with python-docx and passes openxml-audit."""
    import time

    import docx

    start, cpu = time.perf_counter(), time.process_time()
    room = work / "room"
    shutil.rmtree(room, ignore_errors=True)
    room.mkdir(parents=True)
    out = room / "bundle"
    shutil.copytree(previous, out)
    before = tree_hashes(out)
    code, failure, _, err = run_main(["build", str(path), "-o", str(out), "--no-site"], timeout)
    outcome = _judge_exit(code, failure, err, path)
    if not outcome.failed:
        if code == 2:
            after = tree_hashes(out)
            if after != before or sorted(p.name for p in room.iterdir()) != ["bundle"]:
                changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
                extra = sorted(p.name for p in room.iterdir() if p.name != "bundle")
                outcome = Outcome("build: failed build changed the previous output",
                                  f"{len(changed)} file(s) changed", f"changed {changed[:5]}, beside it {extra}",
                                  stderr=err)
        else:
            problems = []
            for document in sorted(out.glob("*.docx")):
                try:
                    docx.Document(str(document))
                except Exception as exc:  # noqa: BLE001
                    problems.append(("python-docx cannot open it", f"{document.name}: {_message(exc)}"))
                    continue
                try:
                    problems += [("openxml-audit error", e) for e in ooxml_errors(document)]
                except Exception as exc:  # noqa: BLE001
                    problems.append(("openxml-audit cannot read it", f"{document.name}: {_message(exc)}"))
            if problems:
                outcome = Outcome(f"build: {problems[0][0]}", re.sub(r"\d+", "N", problems[0][1])[:160],
                                  "\n".join(p[1] for p in problems[:10]), stderr=err)
    shutil.rmtree(room, ignore_errors=True)
    outcome.seconds, outcome.cpu = time.perf_counter() - start, time.process_time() - cpu
    return outcome


def write_case(case: Case, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / case.name
    path.write_bytes(case.data)
    return path


# --- the report --------------------------------------------------------------------------------
@dataclass
class Tally:
    counts: dict[str, int] = field(default_factory=dict)
    failures: dict[str, list[tuple[Case, Outcome, str]]] = field(default_factory=dict)

    def add(self, case: Case, outcome: Outcome, phase: str) -> None:
        key = f"{phase} {outcome.kind}" if not outcome.failed else f"{phase} FAIL"
        self.counts[key] = self.counts.get(key, 0) + 1
        if outcome.failed:
            self.failures.setdefault(f"[{phase}] {outcome.group}", []).append((case, outcome, phase))

    def report(self, examples: int = 3) -> str:
        lines = [f"{sum(len(v) for v in self.failures.values())} failure(s) in {len(self.failures)} class(es)"]
        for group, items in sorted(self.failures.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"\n== {group} — {len(items)} case(s); seeds {[c.seed for c, _, _ in items[:12]]}")
            for case, outcome, _ in items[:examples]:
                lines.append(f"   {case.describe()[:400]}")
                if outcome.message:
                    lines.append(f"     {outcome.message[:400]}")
            tb = items[0][1].traceback or items[0][1].stderr
            if tb:
                tail = tb.strip().splitlines()[-14:]
                lines += ["     | " + line for line in tail]
        return "\n".join(lines)
