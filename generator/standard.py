"""The standard as data: clause catalogue, scoring rules and application materials.

Loaded once from `content/standard/*.yaml` and checked for internal consistency (points of the
children add up to the parent's), so that a wrong edit to the data fails loudly at start-up.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from .errors import CatalogueError, Problem
from .paths import STANDARD
from .yamlload import format_path, load_yaml_file


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Clause(_Data):
    id: str
    title: str
    kind: Literal["indicator", "informative"]
    requirement: str
    gloss: str
    evidence_level: Literal["C", "S", "I"]
    points: float | None = None
    points_provenance: Literal["confirmed", "provisional"] | None = None
    excludable: bool = False
    sampled: bool = False
    evidence: list[str] = []
    action: str | None = None
    arrangements: list[str] = []
    effort: float | None = None  # person-days to recover the clause's points (estimate)

    @property
    def depth(self) -> int:
        return self.id.count(".") + 1

    @property
    def provisional(self) -> bool:
        return self.points_provenance == "provisional"

    @property
    def label(self) -> str:
        return f"{self.id} {self.title}"


class StandardInfo(_Data):
    id: str
    title: str
    published: object
    effective: object
    total_points: float


class Level(_Data):
    name: str
    min: float


class SpecialDeductionRule(_Data):
    points_each: float
    fail_at: int
    kinds: list[str]


class SpecialBonusRule(_Data):
    points: float
    max_count: int


class Settings(_Data):
    adjust_after_normalisation: bool
    star_requires_year_at_dabiao: bool


class ManagerRule(_Data):
    ratio: float
    minimum: int


class PlanRule(_Data):
    due_days_before_application: int
    deduction_effort: float


class Scoring(_Data):
    levels: list[Level]
    fail_name: str
    special_deduction: SpecialDeductionRule
    special_bonus: SpecialBonusRule
    status_credit: dict[str, float]
    managers: ManagerRule
    plan: PlanRule
    fact_caps: dict[str, float]
    settings: Settings


class Material(_Data):
    id: str
    name: str
    list: Literal["classic", "newer"]
    clauses: list[str]
    applies: Literal["always", "licence", "certificates", "repair", "optional"]
    produced_by: Literal["manual", "application", "checklist", "scorecard", "promise"] | None = None
    section: str | None = None


class Form(_Data):
    """A record form: header fields, an items table (fixed items or blank rows), signatures."""

    id: str
    name: str
    clause: str
    fields: list[str] = []
    columns: list[str] = []
    rows: int = 0
    items: list[str] = []
    questions: list[str] = []
    scale: list[str] = []
    clause_rows: bool = False
    sign: list[str] = []


class Catalogue:
    """Clauses by id, with the tree, plus the scoring rules and materials list."""

    def __init__(self, info: StandardInfo, clauses: list[Clause], scoring: Scoring,
                 materials: list[Material], forms: list[Form]):
        self.info = info
        self.clauses = {c.id: c for c in clauses}
        self.scoring = scoring
        self.materials = materials
        self.forms = forms

    def __getitem__(self, clause_id: str) -> Clause:
        return self.clauses[clause_id]

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self.clauses

    def parent(self, clause_id: str) -> Clause | None:
        head = clause_id.rpartition(".")[0]
        return self.clauses.get(head) if head else None

    def children(self, clause_id: str) -> list[Clause]:
        return [c for c in self.clauses.values() if c.id.rpartition(".")[0] == clause_id]

    def indicators(self, depth: int) -> list[Clause]:
        return [c for c in self.clauses.values() if c.kind == "indicator" and c.depth == depth]

    def leaves(self) -> list[Clause]:
        """The scored items: indicators without children (third level, or second where none)."""
        return [c for c in self.clauses.values()
                if c.kind == "indicator" and c.depth > 1 and not self.children(c.id)]

    def ancestors(self, clause_id: str) -> list[Clause]:
        out, parent = [], self.parent(clause_id)
        while parent is not None:
            out.append(parent)
            parent = self.parent(parent.id)
        return out


def _load(path: Path, shape, key: str):
    loaded = load_yaml_file(path, error=CatalogueError)
    try:
        return TypeAdapter(shape).validate_python(loaded.data[key] if key else loaded.data)
    except (ValidationError, KeyError, TypeError) as exc:
        problems = []
        errors = exc.errors() if isinstance(exc, ValidationError) else [{"loc": (), "msg": str(exc)}]
        for err in errors:
            loc = ((key,) if key else ()) + tuple(err["loc"])
            line, column = loaded.mark(loc)
            problems.append(Problem(err["msg"], str(path), line, column, format_path(loc)))
        raise CatalogueError(f"标准数据文件 {path.name} 有误", problems) from None


@functools.lru_cache(maxsize=4)
def load_catalogue(folder: Path = STANDARD) -> Catalogue:
    info = _load(folder / "gbt27922-2011.yaml", StandardInfo, "standard")
    clauses = _load(folder / "gbt27922-2011.yaml", list[Clause], "clauses")
    scoring = _load(folder / "scoring.yaml", Scoring, "")
    materials = _load(folder / "materials.yaml", list[Material], "materials")
    forms = _load(folder / "forms.yaml", list[Form], "forms")
    catalogue = Catalogue(info, clauses, scoring, materials, forms)
    _check(catalogue, folder)
    return catalogue


def _check(catalogue: Catalogue, folder: Path) -> None:
    problems = []
    file = str(folder / "gbt27922-2011.yaml")
    for clause in catalogue.clauses.values():
        kids = [k for k in catalogue.children(clause.id) if k.kind == "indicator"]
        if clause.kind == "indicator" and clause.points is None:
            problems.append(Problem(f"指标 {clause.id} 缺少分值", file))
        if kids and clause.points is not None:
            total = sum(k.points or 0 for k in kids)
            if abs(total - clause.points) > 1e-9:
                problems.append(Problem(f"{clause.id} 的下级分值合计 {total:g}，与其分值 {clause.points:g} 不符", file))
    for clause in catalogue.clauses.values():
        if clause.arrangements and not clause.excludable:
            problems.append(Problem(f"{clause.id} 关联了服务安排却不可删减（excludable: false）", file))
    for leaf in catalogue.leaves():
        if not leaf.evidence or not leaf.action or not leaf.effort:
            problems.append(Problem(f"计分条款 {leaf.id} 需要 evidence、action 和 effort", file))
    for material in catalogue.materials:
        for cid in material.clauses:
            if cid not in catalogue:
                problems.append(Problem(f"材料 {material.id} 引用了不存在的条款 {cid}", str(folder / "materials.yaml")))
    for form in catalogue.forms:
        if form.clause not in catalogue:
            problems.append(Problem(f"表单 {form.id} 引用了不存在的条款 {form.clause}", str(folder / "forms.yaml")))
    if problems:
        raise CatalogueError("标准数据不一致", problems)
