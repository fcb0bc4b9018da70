"""`build --content DIR`: a consultancy's own template folder, checked before building."""
from __future__ import annotations

import difflib
from pathlib import Path

import jinja2
from jinja2 import meta

from generator.errors import AftersalesError, Problem, display
from generator.paths import DOCUMENTS


def content_warnings(folder: Path) -> list[str]:
    """Check a `--content` folder before building: it must be a folder, and a template named as one of
    ours must be a file (else the build would silently use ours). Returns a warning for each
    file (a template *.j2 named as none of ours, or any other file, such as "manual.md" or
    "manual.md.j2 " with a space) included by none of the folder's templates: it is never used (a
    misspelt name). Hidden files (".DS_Store") are passed over."""
    if not folder.exists():
        raise AftersalesError(f"--content 指定的文件夹 {display(folder)} 不存在",
                              [Problem("请检查路径；内置模板在 " + display(DOCUMENTS), display(folder))])
    if not folder.is_dir():
        raise AftersalesError(f"--content 应为文件夹，{display(folder)} 是一个文件",
                              [Problem("请给出存放模板（*.md.j2）的文件夹", display(folder))])
    ours = sorted(p.relative_to(DOCUMENTS).as_posix() for p in DOCUMENTS.rglob("*.j2"))
    for name in ours:
        theirs = folder / name
        if (theirs.exists() or theirs.is_symlink()) and not theirs.is_file():
            kind = "是一个文件夹" if theirs.is_dir() else "不是可读的文件（例如指向不存在位置的符号链接）"
            raise AftersalesError(f"--content 中的 {display(theirs)} {kind}，不是模板文件", [Problem(
                f"与内置模板 {name} 同名的应是模板文件，否则构建会用内置模板；请改正或移走它", display(theirs))])
    templates = sorted(p for p in folder.rglob("*.j2") if p.is_file())
    included: set[str] = set()
    for path in templates:
        try:
            found = meta.find_referenced_templates(jinja2.Environment().parse(path.read_text("utf-8", "replace")))
            included |= set(found)
        except jinja2.TemplateSyntaxError:  # told by the build if it is used
            continue
    if None in included:  # a name computed while rendering: which templates are used cannot be told
        return []
    warnings = []
    others = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".j2")
                    and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    for path in templates + others:
        name = path.relative_to(folder).as_posix()
        if name not in ours and name not in included:
            close = difflib.get_close_matches(name.strip(), ours, n=1)
            guess = f"是不是 {close[0]}？" if close else ""
            what = "与内置模板都不同名" if name.endswith(".j2") else "不是模板文件（模板的名字以 .j2 结尾）"
            warnings.append(f"--content 中的 {display(path)} {what}，也没有被其中的模板包含，不会被使用"
                            f"（{guess}内置模板的名字见 {display(DOCUMENTS)}）")
    return warnings
