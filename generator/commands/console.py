"""What the commands print, and where: the standard streams made safe to write, a line on standard
error, a path as the user can type it, a company's findings; and the exit codes."""
from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from generator.output.folder import absolute

EXIT_OK, EXIT_BUG, EXIT_INPUT = 0, 1, 2


def tell(text: str) -> None:
    """A line on standard error; nothing if standard error is a closed pipe too (the exit status tells)."""
    try:
        print(text, file=sys.stderr, flush=True)
    except OSError:
        pass


class StandardOutput(io.RawIOBase):
    """File descriptor 1, whose write errors say they are the standard output's (`standard_output`):
    a full disk under `> file` is then told as the standard output's, not as some file's."""

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return 1

    def isatty(self) -> bool:
        return os.isatty(1)

    def write(self, data) -> int:
        try:
            return os.write(1, data)
        except OSError as exc:
            error = OSError(exc.errno, exc.strerror)  # EPIPE makes a BrokenPipeError
            error.standard_output = True
            raise error from None


def name_standard_output() -> None:
    """Put `StandardOutput` under sys.stdout, when sys.stdout is the process's own (not a test's capture)."""
    stream = sys.stdout
    if stream is not sys.__stdout__ or not hasattr(stream, "buffer"):
        return
    try:
        if stream.fileno() != 1:
            return
        stream.flush()
    except (OSError, ValueError):
        return
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(StandardOutput()), encoding=stream.encoding,
                                  errors=stream.errors, line_buffering=stream.line_buffering,
                                  write_through=stream.write_through)


def standard_streams() -> bool:
    """Standard input, output and error open (started with `>&-`, a file the tool opens would take
    the closed number and receive what is printed). A closed stream is filled with /dev/null; a
    closed output is an error, since the results would vanish."""
    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
            try:
                os.open(os.devnull, os.O_RDWR)  # takes the lowest free number: this one
            except OSError:
                pass
    if 2 in closed or sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    if 0 in closed or sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")
    if 1 in closed or sys.stdout is None:
        print("错误：标准输出已关闭（例如命令后有 >&-），结果无处显示，没有运行。"
              "请把输出重定向到文件或 /dev/null（> 结果.txt）后重试", file=sys.stderr)
        return False
    return True


def silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's final flush does not fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(null)


def shown(path: Path) -> str:
    """A path as the user can type it: relative to the working folder when inside it, else absolute."""
    full = absolute(path)
    try:
        return str(full.relative_to(Path.cwd()))
    except ValueError:
        return str(full)


def notices(summary, blanks: bool = True) -> None:
    """A company's consistency findings, eligibility warnings and (for a build) fields left blank."""
    for finding in summary.findings:
        print(f"  ⚠ {finding}", file=sys.stderr)
    for warning in summary.notices or summary.warnings:
        print(f"  ⚠ {warning}", file=sys.stderr)
    if blanks and summary.blanks:
        print("  需手工填写：" + "、".join(summary.blanks))

