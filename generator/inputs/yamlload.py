"""Read a YAML file into plain Python data plus the source position of every key and value.

The YAML is composed into nodes (ruamel.yaml) and converted here, so that we decide what is allowed:
no tags that construct objects, no duplicate keys, bounded alias expansion and nesting. Every value
keeps the line and column it came from, which is how validation errors name `file:line:col`.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.composer import Composer
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.errors import AftersalesError, Problem, ProfileError
from generator.inputs.fastyaml import Other, read
from generator.inputs.inputfile import MAX_BYTES, read_input, wide_encoding
from generator.text.wide_lines import joins_without_space

MAX_NODES = 200_000  # and one more for each 8 characters of the text (a national brand's 30,000 outlets)
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}


class Mark(NamedTuple):
    """1-based line and column of a key (where there is one) and of its value (a tuple: a profile with
    10,000 outlets has 70,000 of them, made twice as fast as a frozen dataclass's)."""

    line: int
    column: int
    key_line: int | None = None
    key_column: int | None = None


@dataclass
class Loaded:
    """A YAML document as plain data, with positions keyed by path (('company', 'name'), ...).

    A profile read from elsewhere (a workbook) has the same face: `file`, `data`, `at(path)` (where a
    value is, as fields of a Problem), and `problems` found while reading that validation adds to its own."""

    file: str
    data: Any
    marks: dict[Path_, Mark]
    problems: list[Problem] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)  # other files the data was read from (a list's file)
    # a part of the data read from another file (outlets from a CSV): its key path -> what places the
    # values inside it, `at(path inside, key=)` giving the fields of a Problem (generator/intake/lists.py)
    elsewhere: dict[Path_, Any] = field(default_factory=dict)
    # where libyaml composed the text: the paths whose marks ruamel would place elsewhere (empty values:
    # libyaml marks the colon, ruamel the next token), and how to get ruamel's marks when one is asked for
    rough: set[Path_] = field(default_factory=set)
    exact: Callable[[], dict[Path_, Mark]] | None = field(default=None, repr=False)

    def at(self, path: Path_, *, key: bool = False) -> dict:
        """Where the value (or with `key`, the key) at `path` is: `file`, `line`, `column` of a Problem
        (or, in a part read from a workbook, `file` and `cell`)."""
        path = tuple(path)
        for n in range(len(path), 0, -1) if self.elsewhere else ():
            other = self.elsewhere.get(path[:n])
            if other is not None:
                return other.at(path[n:], key=key)
        line, column = self.mark(path, key=key)
        return {"file": self.file, "line": line, "column": column}

    def mark(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """The closest known position for `path` (walking up to a parent when needed)."""
        path = tuple(path)
        while path not in self.marks and path:
            path = path[:-1]
        if path in self.rough and self.exact is not None:
            self.marks, self.rough, self.exact = self.exact(), set(), None
        m = self.marks.get(path)
        if m is None:
            return 1, 1  # the document itself
        if key and m.key_line is not None:
            return m.key_line, m.key_column
        return m.line, m.column


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_yaml_file(path: str | Path, error: type[AftersalesError] = ProfileError) -> Loaded:
    name = str(path)
    raw = read_input(path, error)
    try:
        return load_yaml_bytes(raw, name)
    except ProfileError as exc:
        if error is ProfileError:
            raise
        raise error(exc.message, exc.problems) from None


def load_yaml_bytes(raw: bytes, name: str, *, fast: bool = True) -> Loaded:
    """The document in `raw` (a file's bytes) as data with positions; `fast` lets libyaml compose the
    plain case (generator/inputs/fastyaml.py), `fast=False` is ruamel alone (what the tests compare)."""
    def fail(message: str, line: int | None = None, column: int | None = None, hint: str = ""):
        raise ProfileError("无法读取配置文件", [Problem(message, name, line, column, hint=hint)])

    if len(raw) > MAX_BYTES:
        fail(f"文件过大（{len(raw) // 1024} KB），企业档案不应超过 {MAX_BYTES // 1024 // 1024} MB")
    wide = wide_encoding(raw)
    if wide:
        fail(f"文件是 {wide} 编码，不是 UTF-8", hint="请在编辑器中另存为 UTF-8 编码，例如在记事本的“另存为”中把“编码”选为 UTF-8")
    if b"\x00" in raw:
        nul = raw.index(b"\x00")
        if (raw.count(b"\x00") <= max(10, len(raw) // 1000) and not _CONTROL.search(raw)
                and _decodes(raw)):  # text with a stray NUL, no other control character
            line_start = raw.rfind(b"\n", 0, nul) + 1
            column = len(raw[line_start:nul].decode("utf-8-sig")) + 1
            fail("这里有一个空字符（NUL，\\x00），YAML 文本中不能有", raw[:nul].count(b"\n") + 1, column,
                 "在编辑器中删除这个看不见的字符（常因复制粘贴或文件损坏而来）；文件中如果还有，再次检查时会指出下一个")
        fail("这是二进制文件，不是 YAML 文本", hint="请提供 UTF-8 编码的 .yaml 文件")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        fail(f"文件不是 UTF-8 编码（第 {exc.start + 1} 字节无法解码）", line,
             hint="请在编辑器中以 UTF-8 编码另存")
    if not text.strip():
        fail("文件是空的", hint="可用 `aftersales init` 生成带注释的模板")
    separators = _separators(text, name)
    if separators:
        raise ProfileError("无法读取配置文件", separators)

    most = MAX_NODES + len(text) // 8  # an alias bomb stays small; a long list of outlets is not one

    def exact() -> dict[Path_, Mark]:
        again: dict[Path_, Mark] = {}
        _convert(_composed(text, name, fail)[0], (), again, [0, most], name, 0)
        return again

    plain = read(text, Mark, _value_of, _key_refused, most) if fast else None
    if plain is not None:  # the common case, read straight from libyaml's events
        data, marks, rough = plain
        return Loaded(name, data, marks, rough=rough, exact=exact)
    marks: dict[Path_, Mark] = {}  # anything else, a mistake included, ruamel reads and words
    return Loaded(name, _convert(_composed(text, name, fail)[0], (), marks, [0, most], name, 0), marks)


_CONTROL = re.compile(rb"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decodes(raw: bytes) -> bool:
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _composed(text: str, name: str, fail) -> list:
    """The document's root node by ruamel, every problem of the text as a ProfileError."""
    yaml = YAML(typ="rt")
    try:
        yaml.Composer = _Composer
        with warnings.catch_warnings():
            warnings.simplefilter("error", ReusedAnchorWarning)
            nodes = list(yaml.compose_all(text))
    except _TooDeep as exc:
        raise ProfileError("配置文件结构不被接受", [Problem(
            f"嵌套层级超过 {MAX_DEPTH} 层", name, exc.mark.line + 1, exc.mark.column + 1,
            format_path(tuple(str(k) if not isinstance(k, int) else k for k in exc.path)),
            "企业档案的结构不超过 5 层；检查是否多了括号或缩进")]) from None
    except ReusedAnchorWarning as exc:  # `&a` twice: which one an alias means is not clear
        where = re.search(r"second occurrence.*?line (\d+), column (\d+)", str(exc), re.S)
        fail("锚点（&名字）重复定义", int(where.group(1)) if where else None,
             int(where.group(2)) if where else None, "每个锚点名只能定义一次")
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        fail(f"YAML 语法错误：{_translate(exc)}", line, column, _tab_in_braces(text, line) or _unclosed_quote(text, line))
    except ReaderError as exc:  # a character YAML does not allow in a file (control characters)
        line = text[: exc.position].count("\n") + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        fail(f"文件中含有不可见的控制字符 U+{exc.character:04X}", line, column,
             "通常来自从其他软件复制的文字，请删除后重新输入")
    except YAMLError as exc:  # other unmarked scanner errors
        fail(f"YAML 语法错误：{_translate(exc)}")
    except (AssertionError, NotImplementedError):  # ruamel's own handling of where a comment goes, failing
        # on odd texts ("overlap in comment"; tests/test_fastyaml.py)
        fail("YAML 语法错误：无法确定注释所属的位置", hint="检查文件开头和多行文字（| 或 >）前后以 # 开头的注释，"
             "删去或移到单独的一行；也请检查缩进")
    nodes = [n for n in nodes if n is not None]
    if len(nodes) != 1:
        fail("文件应当只包含一个 YAML 文档" if nodes else "文件里没有内容（只有注释）")
    return nodes


_SEPARATORS = {"\u2028": "行分隔符（LINE SEPARATOR）", "\u2029": "段落分隔符（PARAGRAPH SEPARATOR）",
               "\x85": "下一行符（NEXT LINE）"}
_MAX_SHOWN = 20  # located one by one; a file ending every line with U+0085 has thousands
_LINE = re.compile("\r\n?|\n")  # the line breaks of the file, as an editor shows them


def _separators(text: str, name: str) -> list[Problem]:
    """Every raw U+2028, U+2029 and U+0085 in the file, located. The YAML parser takes each for a line
    break, though no editor shows one: text after it in a block scalar would become a comment, or
    break the indentation, and a file ending its lines with U+0085 reads as one line. So they are
    refused with where they are; written as escapes ("\\u2029") in a quoted value they are a line
    break, as they say."""
    problems = []
    starts = [0] + [m.end() for m in _LINE.finditer(text)]
    for found in re.finditer("[\x85\u2028\u2029]", text):
        row = bisect.bisect_right(starts, found.start()) - 1
        problems.append(Problem(
            f"文件中含有不可见的字符 U+{ord(found.group()):04X} {_SEPARATORS[found.group()]}", name, row + 1,
            found.start() - starts[row] + 1,
            hint="通常来自从 Word 或网页复制的文字；YAML 把它当作换行，编辑器中却看不出来。"
                 "请删除它，需要换行处改为普通的换行（回车）"))
    if len(problems) > _MAX_SHOWN:
        problems[_MAX_SHOWN:] = [Problem(f"另有 {len(problems) - _MAX_SHOWN} 处同样的字符（未逐一列出）", name,
                                         hint="可在编辑器中用“查找和替换”一次删去")]
    return problems


class _Composer(Composer):
    """ruamel's composer, stopping at the first node nested deeper than MAX_DEPTH (composing is
    recursive) with the key path down to it; nothing beyond is read, however the text goes on."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        keys = self.__dict__.setdefault("keys", [])
        inside = index is not None  # a value (keys are composed with index None, the root too)
        if inside:
            keys.append(index.value if isinstance(index, Node) else index)
        try:
            if len(keys) > MAX_DEPTH:
                raise _TooDeep(tuple(keys), self.parser.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            if inside:
                keys.pop()


class _TooDeep(Exception):
    def __init__(self, path: tuple, mark):
        super().__init__(path)
        self.path, self.mark = path, mark


def _tab_in_braces(text: str, line: int | None) -> str:
    """The hint for a Tab in a value inside { } or [ ] on the line of the error: the parser then asks
    for a comma or a closing bracket, which is not what is wrong."""
    lines = text.splitlines()
    if line is None or not 0 < line <= len(lines):
        return ""
    row = lines[line - 1]
    if "\t" in row and ("{" in row or "[" in row):
        return f"第 {line} 行第 {row.index(chr(9)) + 1} 列有 Tab 字符：花括号或方括号中的值不能含 Tab，请改为空格"
    return ""


def _unclosed_quote(text: str, before: int | None) -> str:
    """A hint naming the first line above the error where a quoted value opens and does not close on
    that line. A quote inside a plain value (it's, 3" 屏) is a character like any other, and so is a
    "#" inside quotes: only a quote where a value starts opens one."""
    for number, line in enumerate(text.splitlines()[: before or 0], 1):
        if _opens_unclosed(line):
            return f"第 {number} 行的引号似乎没有闭合"
    return ""


def _opens_unclosed(line: str) -> bool:
    """Whether `line` starts a quoted value (after indentation, "- ", "key: ", "[", "{" or ",") that
    does not end on it; a comment (" #" outside quotes) ends the line."""
    i, n, starts = 0, len(line), True
    while i < n:
        c = line[i]
        if c in " \t":
            i += 1
            continue
        if c == "#" and (i == 0 or line[i - 1] in " \t"):
            return False
        if c in "\"'" and starts:
            j = i + 1
            while j < n:
                if c == '"' and line[j] == "\\":
                    j += 2
                    continue
                if line[j] == c:
                    if c == "'" and line[j + 1:j + 2] == "'":  # '' is a quote inside single quotes
                        j += 2
                        continue
                    break
                j += 1
            else:
                return True
            i, starts = j + 1, False
            continue
        follows_space = i + 1 == n or line[i + 1] in " \t"
        starts = c in "[{," or (c in ":-?" and follows_space)
        i += 1
    return False


_KNOWN = (  # the YAML parser's problems, as a user reads them (prefix or pattern -> Chinese)
    ("mapping values are not allowed here", "此处不能出现冒号键值（通常是缩进不对，或值里的冒号需要加引号）"),
    ("could not find expected ':'", "缺少冒号（检查缩进和引号是否配对）"),
    ("found unexpected end of stream", "引号没有闭合"),
    ("did not find expected key", "缩进不一致，找不到预期的键"),
    ("did not find expected node content", "缺少内容"),
    ("found undefined alias", "引用了未定义的锚点"),
    ("sequence entries are not allowed here", "此处不能出现列表项（“- ” 开头），通常是缩进不对"),
    ("mapping keys are not allowed here", "此处不能出现键（检查缩进）"),
    ("expected <block end>", "缩进不一致：这一行的缩进与上文的层级对不上"),
    ("expected ',' or '}'", "花括号 { } 中缺少逗号或右括号"),
    ("expected ',' or ']'", "方括号 [ ] 中缺少逗号或右括号"),
    ("found incompatible YAML document", "不支持的 YAML 版本声明（%YAML），请删除这一行"),
    ("found duplicate YAML directive", "重复的 %YAML 声明，请删除"),
    ("found duplicate tag handle", "重复的 %TAG 声明，请删除"),
    ("found undefined tag handle", "未定义的 ! 标签前缀"),
    ("found unknown escape character", "双引号中的反斜杠转义无效（要写反斜杠本身，请改用单引号或写两个反斜杠）"),
    ("expected escape sequence", "双引号中的 \\x、\\u 转义后应为十六进制数字"),
    ("expected alphabetic or numeric character", "锚点或别名（& 或 *）后应为字母或数字"),
    ("expected a comment or a line break", "值后面多了内容（应为注释或换行）"),
    ("expected '<document start>'", "文档开头的声明之后应有 ---"),
    ("expected ' '", "此处应有空格"),
    ("found a tab character", "不能用 Tab 缩进，请改用空格"),
    ("expected a mapping node", "此处应为键值映射"),
    ("found character", "这个字符不能出现在这里（给值加上引号即可）"),
    ("expected", "格式不正确（检查这一行及上一行的缩进、引号、括号和冒号）"),
    ("found", "格式不正确（检查这一行及上一行的缩进、引号、括号和冒号）"),
)


def _translate(exc: YAMLError) -> str:
    problem = (getattr(exc, "problem", None) or str(exc)).strip()
    if "\\t" in problem or "\t" in problem:  # "found character '\t' that cannot start any token"
        return "不能用 Tab 缩进，请改用空格"
    for english, chinese in _KNOWN:
        if problem.startswith(english):
            return chinese
    return "格式不正确（检查这一行及上一行的缩进、引号、括号和冒号）"


def _convert(node: Node, path: Path_, marks: dict, counter: list[int], name: str, depth: int) -> Any:
    """Plain data from a composed node. The composer bounded the text's nesting; an alias of one of
    its own ancestors makes a cycle, which only this depth check ends."""
    counter[0] += 1
    line, column = node.start_mark.line + 1, node.start_mark.column + 1

    def fail(message: str, hint: str = ""):
        raise ProfileError("配置文件结构不被接受",
                           [Problem(message, name, line, column, format_path(path), hint)])

    if counter[0] > counter[1]:  # [nodes so far, the most allowed]
        fail("文件展开后过大（可能是大量别名引用）", "不要用 YAML 锚点/别名复制大块内容")
    if depth > MAX_DEPTH:
        fail(f"嵌套层级超过 {MAX_DEPTH} 层（可能是别名引用了自己所在的结构）")
    if node.tag not in _PLAIN_TAGS:
        fail(f"不支持 YAML 标签 {node.tag}", "企业档案只能包含文字、数字、日期、列表和键值")
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                fail("键必须是简单文字")
            key = str(key_node.value)
            bad = _ILLEGAL.search(key) or _BREAKS.search(key) or _INVISIBLE.search(key)
            if bad:
                fail(f"键 {key!r} 中含有控制字符或换行 U+{ord(bad.group()):04X}", "键只能是一行文字")
            if key == "<<":
                fail("不支持 YAML 合并键 <<")
            if key in out:
                first = marks[path + (key,)]
                raise ProfileError("配置文件结构不被接受", [Problem(
                    f"键 “{key}” 重复出现（第一次在第 {first.key_line} 行）", name,
                    key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                    format_path(path + (key,)), "删除或合并重复的键")])
            child = path + (key,)
            marks[child] = Mark(value_node.start_mark.line + 1, value_node.start_mark.column + 1,
                                key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _convert(value_node, child, marks, counter, name, depth + 1)
        return out
    if isinstance(node, SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            marks[path + (i,)] = Mark(item.start_mark.line + 1, item.start_mark.column + 1)
            items.append(_convert(item, path + (i,), marks, counter, name, depth + 1))
        return items
    return _scalar(node, fail)



_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")  # not in XML (DOCX)
# Invisible characters that make shown text lie: the bidirectional embeddings, overrides, isolates and
# marks (a name that displays in another order than it is), and U+FEFF (a byte order mark inside a name:
# two names that look alike differ).
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\ufeff\u200e\u200f\u061c]")
_INVISIBLE_NAMES = {**dict.fromkeys("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", "双向文字控制字符"),
                    **dict.fromkeys("\u200e\u200f\u061c", "文字方向标记"),  # LRM, RLM, ALM: they move neighbours too
                    "\ufeff": "字节顺序标记（零宽不换行空格）"}
_BREAKS = re.compile("\r\n?|[\n\x85\u2028\u2029]")  # every line terminator a reader may honour
# any character of _ILLEGAL, _INVISIBLE or _BREAKS: text without one is taken as it is
_SPECIAL = re.compile("[" + _ILLEGAL.pattern[1:-1] + _INVISIBLE.pattern[1:-1] + "\r\n\x85\u2028\u2029]")
_STR = "tag:yaml.org,2002:str"


def refused_character(text: str) -> tuple[str, str] | None:
    """(message, hint) for the first character no profile text may hold, wherever it was read from
    (YAML, a workbook's cell, a list file): a control character, which no DOCX may hold, or an invisible
    one that makes the text display otherwise than it is; None when there is none."""
    bad = _ILLEGAL.search(text)
    if bad:
        return (f"文字中含有不可见的控制字符 U+{ord(bad.group()):04X}（第 {bad.start() + 1} 个字符）",
                "通常来自从其他软件复制的文字，请删除后重新输入")
    bad = _INVISIBLE.search(text)
    if bad:
        return (f"文字中含有不可见的{_INVISIBLE_NAMES[bad.group()]} U+{ord(bad.group()):04X}（第 {bad.start() + 1} 个字符）"
                + ("，它会让文字显示的顺序与实际不同" if bad.group() != "\ufeff" else ""),
                "通常来自从网页或其他软件复制的文字，请删除后重新输入")
    return None


def one_line_break(text: str) -> str:
    """`text` with one line terminator: \\r\\n, \\r, U+2028 … become \\n (never split a line elsewhere)."""
    return _BREAKS.sub("\n", text)


_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "yes": True, "on": True, "y": True, "false": False, "no": False, "off": False, "n": False}


_FOLD = re.compile("(.?)\a (?=(.?))", re.S)


def _unfold(value: str) -> str:
    """A folded scalar (`>`) as YAML joins its lines, a space at each fold, except between two wide
    characters (Chinese), where a reader expects none: "严格，" and "并且" fold to "严格，并且"."""
    return _FOLD.sub(lambda m: m[1] + ("" if joins_without_space(m[1]) and joins_without_space(m[2]) else " "),
                     value).replace("\a", "")


def _scalar(node: ScalarNode, fail) -> Any:
    """A scalar's value by its tag. Every value is checked for control characters, whatever its tag
    (`!!int "\\0"` must not slip one through), and an explicit tag must fit its value."""
    return _scalar_of(node.value, node.tag, node.style, fail)


def _value_of(value: str, tag: str, style: str | None) -> Any:
    """A plain document's scalar (fastyaml.read), or `Other` for anything _convert would refuse."""
    if tag == _STR and style != ">" and not _SPECIAL.search(value):
        return value  # text with nothing to refuse and no line break to make one: as _scalar_of gives it
    if tag not in _PLAIN_TAGS:
        raise Other
    return _scalar_of(value, tag, style, _other)


def _other(*_) -> None:
    raise Other


class _AsWritten:
    """A number that prints as it was written, where its value prints otherwise (075726668802, 0x10,
    +5, 1.50, 1e3): a field of text (a telephone number, a code) takes it as written (pydantic makes
    text of a number by `str`); a field of a number takes its value."""

    def __new__(cls, value, written: str):
        number = super().__new__(cls, value)
        number.written = written
        return number

    def __str__(self) -> str:
        return self.written


class WrittenInt(_AsWritten, int):
    pass


class WrittenFloat(_AsWritten, float):
    pass


def _as_written(number: int | float, written: str) -> int | float:
    """`number`, keeping how it was written if that is not how it prints."""
    if str(number) == written:
        return number
    return (WrittenInt if isinstance(number, int) else WrittenFloat)(number, written)


def _key_refused(key: str) -> bool:
    return key == "<<" or _SPECIAL.search(key) is not None


def _scalar_of(value: str, tag, style: str | None, fail) -> Any:
    if style == ">":  # ruamel marks where a folded scalar's lines were joined with "\a" (a raw one is refused by its reader)
        value = _unfold(value)
    refused = refused_character(value)
    if refused:
        fail(*refused)
    if tag == "tag:yaml.org,2002:str":
        return one_line_break(value)
    if tag == "tag:yaml.org,2002:null":
        if value in _NULLS:
            return None
    elif tag == "tag:yaml.org,2002:bool":
        if value.lower() in _BOOLS:
            return _BOOLS[value.lower()]
    elif tag == "tag:yaml.org,2002:int":
        text = value.replace("_", "")
        if len(text) > 30:
            fail(f"数字 “{value[:20]}…” 过长", "企业档案中的数字都远小于 30 位")
        for base in (0, 10):
            try:
                return _as_written(int(text, base), value)
            except ValueError:
                pass
        fail(f"“{value}” 不是整数")
    elif tag == "tag:yaml.org,2002:float":
        text = value.replace("_", "").lower()
        try:
            return _as_written(float(text.replace(".inf", "inf").replace(".nan", "nan")), value)
        except ValueError:
            fail(f"“{value}” 不是数字")
    elif tag == "tag:yaml.org,2002:timestamp":
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value)
            return dt.datetime.fromisoformat(value.replace(" ", "T"))
        except ValueError:
            fail(f"日期 “{value}” 不存在或格式不对", "日期格式为 YYYY-MM-DD")
    kind = {"tag:yaml.org,2002:map": "键值映射", "tag:yaml.org,2002:seq": "列表"}.get(tag, tag.rsplit(":", 1)[-1])
    fail(f"值 “{value}” 与标签 {tag.replace('tag:yaml.org,2002:', '!!')} 不符（不是{kind}）",
         "去掉 !! 标签，直接写值")
