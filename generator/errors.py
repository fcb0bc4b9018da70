"""One exception hierarchy. User errors carry where (file, line, column, key path) and a hint.

Only the CLI prints them and picks the exit code; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

import errno as _errno
import os
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the input allows."""

    message: str
    file: str = ""
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    key_path: str = ""
    hint: str = ""
    path: tuple = ()  # the key path as a tuple, so a caller holding the YAML positions can locate it
    cell: str = ""  # in a workbook: the sheet and cell, "网点清单!C14" (then line and column are None)

    def location(self) -> str:
        if self.cell:
            return f"{display(self.file) if self.file else '<input>'}!{self.cell}"
        parts = [display(self.file) if self.file else "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def render(self) -> str:
        head = self.location()
        if self.key_path:
            head += f" [{self.key_path}]"
        text = f"{head}: {self.message}"
        if self.hint:
            text += f"（{self.hint}）"
        return text


def locate(problems: list[Problem], loaded) -> list[Problem]:
    """Fill in file, line and column of problems found after loading, from the loaded YAML's marks."""
    out = []
    for problem in problems:
        if problem.path and not problem.file:
            problem = replace(problem, **loaded.at(problem.path, key=True))
        out.append(problem)
    return out


class AftersalesError(Exception):
    """Root of every error the user can cause and fix. Exit code 2."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def render(self) -> str:
        lines = [f"错误：{self.message}"]
        lines += [f"  {p.render()}" for p in self.problems]
        return "\n".join(lines)


class ProfileError(AftersalesError):
    """The company profile cannot be read or does not validate."""


class CatalogueError(AftersalesError):
    """The bundled standard data (content/standard/*.yaml) is inconsistent."""


class CoverageError(AftersalesError):
    """An applicable clause of the standard is covered by no manual section."""


@dataclass
class ProblemList:
    """Collects problems so that validation reports all of them at once."""

    file: str
    items: list[Problem] = field(default_factory=list)

    def add(self, message: str, *, line: int | None = None, column: int | None = None,
            key_path: str = "", hint: str = "", path: tuple = (), file: str | None = None, cell: str = "") -> None:
        """`file`, `line`, `column` and `cell` as a source's `at(path)` gives them (its `**` fits here)."""
        self.items.append(Problem(message, self.file if file is None else file, line, column, key_path, hint, path, cell))

    def __bool__(self) -> bool:
        return bool(self.items)


# --- what the user sees of paths and of the operating system's errors ------------------------

_REASONS = {
    _errno.ENOENT: ("不存在", "请检查路径"),
    _errno.EACCES: ("没有权限", "请检查权限，或换一个位置（build 用 -o 指定输出目录）"),
    _errno.EPERM: ("操作不被允许", "请检查权限，或换一个位置"),
    _errno.EROFS: ("所在的文件系统是只读的", "请换一个可写的位置（build 用 -o 指定输出目录）"),
    _errno.ENOSPC: ("磁盘空间不足", "请清理磁盘空间后重试；已有的文件没有改动"),
    _errno.EDQUOT: ("超出磁盘配额", "请清理空间后重试；已有的文件没有改动"),
    _errno.ENAMETOOLONG: ("文件名或路径过长", "请使用较短的文件夹名或文件名"),
    _errno.ENOTDIR: ("路径中的某一级是文件，不是文件夹", "请检查路径，或换一个位置"),
    _errno.EISDIR: ("是一个文件夹", "请给出文件的路径"),
    _errno.EEXIST: ("已存在", "请换一个名字"),
    _errno.ELOOP: ("符号链接循环", "请检查路径中的符号链接"),
    _errno.EMFILE: ("打开的文件过多", "请减少并行进程数（-j）后重试"),
    _errno.EIO: ("读写出错（磁盘或网络存储故障）", "请检查存储设备后重试"),
    _errno.EBUSY: ("正被占用", "请关闭占用它的程序后重试"),
    _errno.ETXTBSY: ("正被占用", "请关闭占用它的程序后重试"),
    _errno.EADDRINUSE: ("端口已被占用", "请换一个端口（--port）"),
    _errno.EPIPE: ("输出管道已关闭", ""),
}


CLOSED_PIPE = "输出被提前关闭（管道的另一端已退出，例如 | head），其余结果没有显示"
WHOLE_OUTPUT = "需要全部结果时请把输出重定向到文件（> 结果.txt）"


def display(path: object) -> str:
    """A path (or any text) as it can be printed and read: undecodable bytes of a file name and
    control characters (a newline in a name) shown as escapes, never a UnicodeEncodeError."""
    text = os.fspath(path) if isinstance(path, os.PathLike) else str(path)
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


def os_reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno, (exc.strerror or type(exc).__name__, ""))[0]


def user_error(exc: BaseException) -> AftersalesError:
    """`exc` as an error the user can act on; a bug is raised again, keeping its traceback."""
    error = from_environment(exc)
    if error is None:
        raise exc
    return error


def from_environment(exc: BaseException) -> AftersalesError | None:
    """An error of the environment or of a resource limit, as an AftersalesError naming the path and
    what to do; None for anything else (a bug, which keeps its traceback)."""
    if isinstance(exc, AftersalesError):
        return exc
    if isinstance(exc, OSError) and getattr(exc, "standard_output", False):  # see commands.console.StandardOutput
        if exc.errno == _errno.EPIPE:
            return AftersalesError(f"{CLOSED_PIPE}。{WHOLE_OUTPUT}")
        return AftersalesError(f"无法写入标准输出（命令的输出被重定向到的文件或设备）：{os_reason(exc)}。"
                               "请把输出重定向到别处（如 > 结果.txt）后重试")
    if isinstance(exc, OSError):
        reason, todo = _REASONS.get(exc.errno, (exc.strerror or str(exc), "请检查该路径后重试"))
        where = [display(f) for f in (exc.filename, exc.filename2) if f is not None]
        what = "：".join(["、".join(where), reason]) if where else reason
        return AftersalesError(f"读写文件失败：{what}", [Problem(todo, where[0])] if where and todo else [])
    if isinstance(exc, UnicodeError):
        return AftersalesError(f"文字编码出错：{exc}", [Problem("输入文件和文件名请使用 UTF-8 编码")])
    if isinstance(exc, RecursionError):
        return AftersalesError("输入嵌套过深（例如模板互相包含），无法处理", [Problem("请检查输入中的循环引用或过深的嵌套")])
    if isinstance(exc, MemoryError):
        return AftersalesError("内存不足", [Problem("请关闭其他程序，或减少并行进程数（-j）后重试")])
    return None
