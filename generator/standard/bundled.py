"""The bundled data (content/standard, content/industries, content/documents): one loader, one error path.

Every data file is read by `load_data` and checked against its pydantic shape; a wrong edit is a
CatalogueError that names the file, line, column and key path in Chinese (the profile's own messages,
`profile.validation_message`), never a traceback.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from generator.errors import CatalogueError, Problem
from generator.inputs.messages import validation_message
from generator.inputs.yamlload import Loaded, format_path, load_yaml_file

Evidence = Literal["C", "S", "I"]  # seen in a source / a secondary source or practice / this project's inference


class Data(BaseModel):
    """A shape of bundled data: every key known (a misspelt one is an error), values frozen. Checks
    that span several values are validators on the model, so they fail through `load_data` too."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def load_data(path: Path, shape: Any, key: str = "", *, what: str = "标准数据文件",
              patterns: dict[str, str] | None = None) -> Any:
    """`path` (or its top-level `key`) validated as `shape`. `patterns` words a string pattern's
    mismatch for a reader ("应为以 http:// 开头的网址") instead of showing the regular expression."""
    return load_located(path, shape, key, what=what, patterns=patterns)[0]


def load_located(path: Path, shape: Any, key: str = "", *, what: str = "标准数据文件",
                 patterns: dict[str, str] | None = None) -> tuple[Any, Loaded]:
    """As `load_data`, with the file's positions, for checks across files that point at an entry."""
    loaded = load_yaml_file(path, error=CatalogueError)
    if key and not (isinstance(loaded.data, dict) and key in loaded.data):
        raise CatalogueError(f"{what} {path.name} 有误", [Problem(f"缺少必填项：{key}", str(path), 1, 1, key)])
    try:
        return TypeAdapter(shape).validate_python(loaded.data[key] if key else loaded.data), loaded
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = ((key,) if key else ()) + tuple(err["loc"])
            line, column = loaded.mark(loc, key=err["type"] in ("missing", "extra_forbidden"))
            message = validation_message(err)
            if err["type"] == "string_pattern_mismatch":
                pattern = str(err.get("ctx", {}).get("pattern", ""))
                message = (patterns or {}).get(pattern, f"格式不符（{pattern}）")
            problems.append(Problem(message, str(path), line, column, format_path(loc)))
        raise CatalogueError(f"{what} {path.name} 有误", problems) from None
