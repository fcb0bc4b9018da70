"""One exception hierarchy. User errors carry where (file, line, column, key path) and a hint.

Only the CLI prints them and picks the exit code; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

from dataclasses import dataclass, field


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

    def location(self) -> str:
        parts = [self.file or "<input>"]
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
    from dataclasses import replace

    out = []
    for problem in problems:
        if problem.path and not problem.file:
            line, column = loaded.mark(problem.path, key=True)
            problem = replace(problem, file=loaded.file, line=line, column=column)
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
            key_path: str = "", hint: str = "") -> None:
        self.items.append(Problem(message, self.file, line, column, key_path, hint))

    def __bool__(self) -> bool:
        return bool(self.items)
