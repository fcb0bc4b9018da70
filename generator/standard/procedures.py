"""The manual's procedures (程序文件, content/standard/procedures.yaml): id, title, the clauses each
serves and the role of the department that owns it. Templates list them from this data, so a title
changed here changes everywhere."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import Field

from generator.errors import CatalogueError, Problem
from generator.paths import STANDARD
from generator.inputs.yamlload import format_path
from generator.standard.bundled import Data, load_located
from generator.standard.catalogue import load_catalogue

# The departments a procedure can name: the after-sales department, the supervision body, or a
# department known by its role (assess/facts.py `roles`: the after-sales department when none is named so).
Owner = Literal["aftersales", "supervision", "quality", "hr", "logistics"]


class Procedure(Data):
    id: str = Field(pattern=r"^P\d{2}$")
    title: str = Field(min_length=1)
    clauses: list[str] = Field(min_length=1)
    owner: Owner

    def applies(self, excluded: dict[str, str]) -> bool:
        """Listed unless every clause it serves is excluded (删减) for the company."""
        return any(cid not in excluded for cid in self.clauses)


@functools.lru_cache(maxsize=4)
def load_procedures(folder: Path = STANDARD) -> tuple[Procedure, ...]:
    """The procedures, each id once and every clause one of the standard's (checked against the
    catalogue in the same folder)."""
    procedures, loaded = load_located(folder / "procedures.yaml", list[Procedure], "procedures",
                                      patterns={r"^P\d{2}$": "应为 P 加两位数字，如 P01"})
    catalogue = load_catalogue(folder)
    problems, seen = [], set()
    for index, procedure in enumerate(procedures):
        path = ("procedures", index)
        if procedure.id in seen:
            problems.append(Problem(f"程序文件编号 {procedure.id} 重复", loaded.file,
                                    *loaded.mark((*path, "id")), format_path((*path, "id"))))
        seen.add(procedure.id)
        for k, cid in enumerate(procedure.clauses):
            if cid not in catalogue:
                problems.append(Problem(f"程序文件 {procedure.id} 引用了不存在的条款 {cid}", loaded.file,
                                        *loaded.mark((*path, "clauses", k)), format_path((*path, "clauses", k))))
    if problems:
        raise CatalogueError("程序文件数据 procedures.yaml 有误", problems)
    return tuple(procedures)
