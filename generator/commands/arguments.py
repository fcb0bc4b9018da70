"""The command line's arguments: argparse speaking Chinese (usage, help and errors), the types that
check a path, a file to write, a number of jobs or a port, and the profiles a list of paths names."""
from __future__ import annotations

import argparse
import html
import os
import re
import sys
import zipfile
from pathlib import Path

from generator.commands.console import EXIT_INPUT, tell
from generator.errors import AftersalesError, display


def path(text: str) -> Path:
    """A path as typed: `~` expanded even when the shell did not (a quoted or configured path). An
    empty one (or one of spaces only) is refused: it would mean the working folder (`-o "$OUT"` with
    OUT unset)."""
    if not text.strip():  # empty, or only spaces (a folder named " " is never what was meant)
        raise argparse.ArgumentTypeError("路径为空（也许是一个未设置的变量，如 \"$OUT\"）；请给出路径，"
                                         "当前文件夹请写 .")
    return Path(os.path.expanduser(text))


def new_file(text: str) -> Path:
    """A file to write: `-`, which some tools read as the standard output, is refused, not written
    as a file of that name."""
    if text == "-":
        raise argparse.ArgumentTypeError("init 只写文件，不支持 -（标准输出）；请给出文件名，如 company.yaml"
                                         "（确实要用 - 作文件名请写 ./-）")
    return path(text)


def output_file(text: str) -> str:
    """A file to write, kept as typed (a name ending in a slash is a folder, told when the file is
    checked); an empty one and `-` are refused as for `new_file`."""
    if text == "-":
        raise argparse.ArgumentTypeError("只写文件，不支持 -（标准输出）；请给出文件名，如 企业信息采集表.xlsx"
                                         "（确实要用 - 作文件名请写 ./-）")
    path(text)
    return text


def jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为不小于 1 的整数，实际为 {text!r}")
    return value


def port(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数（1–65535），实际为 {text!r}") from None


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


# argparse's own messages (Python's, in English), each with its Chinese; {0}… are the parts kept
_ARGPARSE = [
    (r"the following arguments are required: (.*)", "缺少参数：{0}"),
    (r"unrecognized arguments: (.*)", "无法识别的参数：{0}（参数以 - 开头的文件名请写在 -- 之后）"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", "没有 {1} 这个{0}，可用的有：{2}"),
    (r"argument (\S+): invalid (\w+) value: (.*)", "参数 {0} 的值 {2} 无效：应为{1}"),
    (r"argument (\S+): expected one argument", "参数 {0} 后面需要一个值"),
    (r"argument (\S+): expected at least one argument", "参数 {0} 后面需要至少一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", "参数 {0} 不能和 {1} 同时使用"),
    (r"ambiguous option: (\S+) could match (.*)", "选项 {0} 有歧义，可能是：{1}"),
    (r"argument (\S+): (.*)", "参数 {0}：{1}"),  # our own type checks' messages, already in Chinese
]
_KINDS = {"int": "整数", "float": "数字"}


def _chinese(message: str) -> str:
    for pattern, text in _ARGPARSE:
        match = re.fullmatch(pattern, message, flags=re.S)
        if match:
            parts = [_KINDS.get(part, part) for part in match.groups()]
            return text.format(*parts)
    return message


class ChineseParser(argparse.ArgumentParser):
    """argparse speaking Chinese: usage, help and errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"错误：{_chinese(message)}\n运行 {self.prog} -h 查看用法\n")


def profile_paths(paths: list[Path]) -> list[Path]:
    """The profiles that `paths` name: a folder stands for the .yaml and .yml files in it and the intake
    workbooks (.xlsx written by `aftersales intake`); any other .xlsx there (a company's own outlet
    list, Excel's ~$ lock file of an open workbook) is left out, and said so on standard error."""
    out: list[Path] = []
    for given in paths:
        if is_folder(given):
            found, other = [], []
            for p in sorted(given.iterdir()):
                suffix = p.suffix.lower()
                if suffix in (".yaml", ".yml") and _is_file(p):
                    found.append(p)
                elif suffix == ".xlsx" and _is_file(p):
                    (found if is_intake_workbook(p) else other).append(p)
            if other:  # a list file a profile here names (outlets_file) is known: no note for it
                from generator.intake.source import input_files

                named = {os.path.abspath(f) for profile in found for f in input_files(profile)[1:]}
                other = [p for p in other if os.path.abspath(p) not in named]
            if other:
                tell(f"提示：{'、'.join(display(p) for p in other)} 不是企业信息采集表（不是 `aftersales intake` "
                     "写出的工作簿），没有作为企业档案处理；确要读取请直接给出文件名")
            if not found:
                raise AftersalesError(f"文件夹 {display(given)} 中没有 .yaml 企业档案或企业信息采集表（.xlsx）")
            out += found
        else:
            out.append(given)
    return out


_MAX_PROPERTIES = 1 << 20  # bytes: our custom.xml is a few hundred


def is_intake_workbook(path: Path) -> bool:
    """Whether the .xlsx at `path` is an intake workbook (read from the zip, without openpyxl): its
    custom document properties include MARKER, or, where a program saving it dropped them, its sheets
    are the cover and the first form of one. One that cannot be read is, so that reading it says why."""
    from generator.output.xlsx.intake import MARKER, first_sheets

    try:
        with zipfile.ZipFile(path) as archive:
            parts = {info.filename: info for info in archive.infolist()}
            custom, book = parts.get("docProps/custom.xml"), parts.get("xl/workbook.xml")
            if custom is not None and custom.file_size <= _MAX_PROPERTIES and re.search(
                    rb'<property\b[^>]*\bname="' + re.escape(MARKER.encode()) + rb'"', archive.read(custom)):
                return True
            if book is None or book.file_size > _MAX_PROPERTIES:
                return False
            text = archive.read(book)
    except (zipfile.BadZipFile, ValueError, EOFError):  # another program's, Excel's ~$ lock file, damaged
        return False
    except OSError:  # unreadable (permissions): listed, so that its check tells why
        return True
    names = {html.unescape(n.decode("utf-8", "replace")) for n in re.findall(rb'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', text)}
    return set(first_sheets()) <= names


def is_folder(given: Path) -> bool:
    """A folder? A path that cannot even be looked at (a name too long) is not: reading it as a
    profile then reports why, for that profile alone."""
    try:
        return given.is_dir()
    except OSError:
        return False


def _is_file(given: Path) -> bool:
    try:
        return given.is_file()
    except OSError:
        return True  # listed, so that its build reports the problem
