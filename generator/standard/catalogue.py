"""The standard as data: clause catalogue, scoring rules and application materials.

Loaded once from `content/standard/*.yaml` and checked for internal consistency (points of the
children add up to the parent's), so that a wrong edit to the data fails loudly at start-up.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from generator.standard.bundled import load_data
from generator.errors import CatalogueError, Problem
from generator.paths import STANDARD


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


ClauseFact = Literal["department", "regions", "technicians", "managers", "budget", "training", "information_system",
                     "supervision", "culture", "repair", "follow_up", "complaints"]


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
    fact: ClauseFact | None = None  # which of the profile's facts speak to the clause (one clause each)

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


EVIDENCE_LABELS = {"C": "C 来源可见", "S": "S 机构解释或惯例", "I": "I 推断或本项目约定"}


class Rule(_Data):
    """A scoring rule in scoring.yaml: every one says where it comes from and how sure that is."""

    title: str
    source: str
    evidence: Literal["C", "S", "I"]  # confirmed in a source / secondary / this project's inference
    note: str | None = None

    @property
    def evidence_label(self) -> str:
        return EVIDENCE_LABELS[self.evidence]


class Method(Rule):
    total: float


class Qualitative(Rule):
    credit: dict[Literal["implemented", "partial", "missing"], float]
    partial_half_credit: bool  # the labelled option: 部分落实 earns half (not the standard's rule)

    def for_status(self, status: str) -> float:
        return 0.5 if status == "partial" and self.partial_half_credit else self.credit[status]


class Combine(Rule):
    combine: Literal["lower"]


class ManagerRule(Rule):
    ratio: float
    minimum: int
    rounding: Literal["up"]
    credit: Literal["proportional", "all_or_nothing"]


class Normalisation(Rule):
    adjust_after_normalisation: bool


class SpecialDeductionRule(Rule):
    points_each: float
    fail_at: int
    kinds: list[str]


class SpecialBonusRule(Rule):
    points: float
    max_count: int
    counted: bool
    disputed: str | None = None  # a conflict between sources, shown wherever the bonus is


class Grading(Rule):
    levels: list[Level]
    fail_name: str


class YearRule(Rule):
    star_requires_year_at_dabiao: bool


class FactCaps(Rule):
    no_training_hours: Literal["partial", "missing"]
    no_information_system: Literal["partial", "missing"]
    no_survey_result: Literal["partial", "missing"]


class PlanRule(Rule):
    due_days_before_application: int
    deduction_effort: float


class Reference(_Data):
    name: str  # the short name the rules cite
    url: str  # "" where the source is kept with the project's research notes
    about: str


class Scoring(_Data):
    method: Method
    qualitative: Qualitative
    samples: Rule
    facts_and_samples: Combine
    managers: ManagerRule
    normalisation: Normalisation
    special_deduction: SpecialDeductionRule
    special_bonus: SpecialBonusRule
    grading: Grading
    year_at_dabiao: YearRule
    fact_caps: FactCaps
    plan: PlanRule
    references: list[Reference]

    @property
    def levels(self) -> list[Level]:
        return self.grading.levels

    @property
    def fail_name(self) -> str:
        return self.grading.fail_name

    def said(self, key: str) -> str:
        """What the scorecard, the site and `score --json` say beside a rule: its note, and how it is
        applied where the data chooses (部分落实's credit, the disputed bonus)."""
        rule = getattr(self, key)
        parts = [rule.note] if rule.note else []
        if key == "qualitative":
            parts.append("部分落实按本项目约定计一半（I，非标准规则）" if self.qualitative.partial_half_credit
                         else "部分落实即存在不符合，按 0 分计")
        if key == "special_bonus":
            parts.append(self.special_bonus.disputed or "")
            if not self.special_bonus.counted:
                parts.append("本工具按设置不计特别加分")
        return "；".join(p.rstrip("。") for p in parts if p)

    def rules(self) -> dict[str, Rule]:
        """Every rule by its key in scoring.yaml, in file order."""
        return {name: getattr(self, name) for name in type(self).model_fields if name != "references"}


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
        self._facts = {c.fact: c for c in clauses if c.fact}

    def __getitem__(self, clause_id: str) -> Clause:
        return self.clauses[clause_id]

    def with_fact(self, fact: str) -> Clause:
        """The clause the profile's `fact` speaks to (the catalogue's `fact:`)."""
        return self._facts[fact]

    def material(self, applies: str) -> Material:
        """The material that applies in the given case (materials.yaml `applies`), e.g. licence."""
        return next(m for m in self.materials if m.applies == applies)

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self.clauses

    def parent(self, clause_id: str) -> Clause | None:
        head = clause_id.rpartition(".")[0]
        return self.clauses.get(head) if head else None

    def children(self, clause_id: str) -> list[Clause]:
        return [c for c in self.clauses.values() if c.id.rpartition(".")[0] == clause_id]

    def indicators(self, depth: int) -> list[Clause]:
        return [c for c in self.clauses.values() if c.kind == "indicator" and c.depth == depth]

    @property
    def weights_note(self) -> str:
        """The caveat on provisional points, in the one wording every output uses (site pages, the
        portal, the application form, the trace matrix, the indicator chart, `score` on the terminal,
        as JSON and as a workbook) wherever a clause's points or a score appear; a provisional
        clause's points there carry "*". Worded from the data: what the standard publishes."""
        published = []
        firsts = [c for c in self.indicators(2) if not c.provisional]
        if firsts:
            published.append(f"一级指标分值（{'/'.join(f'{c.points:g}' for c in firsts)}）")
        published += [f"{c.id} {c.title}（{c.points:g} 分）" for c in self.clauses.values()
                      if c.kind == "indicator" and c.depth > 2 and c.points_provenance == "confirmed"]
        said = "、".join(published[:-1]) + ("和 " if len(published) > 1 else "") + "".join(published[-1:])
        return (f"* 暂定权重：{self.info.id} 只公开了{said or '一级指标分值'}，标 * 的其余分值是本工具的暂定权重，"
                "得分和等级随之而定；可在 content/standard/gbt27922-2011.yaml 修改。")

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


@functools.lru_cache(maxsize=4)
def load_catalogue(folder: Path = STANDARD) -> Catalogue:
    info = load_data(folder / "gbt27922-2011.yaml", StandardInfo, "standard")
    clauses = load_data(folder / "gbt27922-2011.yaml", list[Clause], "clauses")
    scoring = load_data(folder / "scoring.yaml", Scoring)
    materials = load_data(folder / "materials.yaml", list[Material], "materials")
    forms = load_data(folder / "forms.yaml", list[Form], "forms")
    catalogue = Catalogue(info, clauses, scoring, materials, forms)
    _check(catalogue, folder)
    return catalogue


def _check(catalogue: Catalogue, folder: Path) -> None:
    """The data's internal consistency; each problem at the line of the entry it concerns."""
    problems = []

    def at(name: str, entry_id: str, message: str) -> None:
        path = folder / name
        lines = path.read_text(encoding="utf-8").splitlines()
        line = next((n for n, text in enumerate(lines, 1)
                     if text.strip().lstrip("- ").replace('"', "").replace("'", "") == f"id: {entry_id}"
                     or f"id: {entry_id}," in text.replace('"', "")), 1)
        problems.append(Problem(message, str(path), line, 1, entry_id))

    for clause in catalogue.clauses.values():
        kids = [k for k in catalogue.children(clause.id) if k.kind == "indicator"]
        if clause.kind == "indicator" and clause.points is None:
            at("gbt27922-2011.yaml", clause.id, f"指标 {clause.id} 缺少分值")
        if kids and clause.points is not None:
            total = sum(k.points or 0 for k in kids)
            if abs(total - clause.points) > 1e-9:
                at("gbt27922-2011.yaml", clause.id, f"{clause.id} 的下级分值合计 {total:g}，与其分值 {clause.points:g} 不符")
    first = sum(c.points or 0 for c in catalogue.indicators(2))
    if not catalogue.scoring.method.total == catalogue.info.total_points == first:
        problems.append(Problem(f"满分不一致：scoring.yaml method.total 为 {catalogue.scoring.method.total:g}，"
                                f"条款目录 total_points 为 {catalogue.info.total_points:g}，一级指标合计 {first:g}",
                                str(folder / "scoring.yaml"), 1, 1))
    for clause in catalogue.clauses.values():
        if clause.arrangements and not clause.excludable:
            at("gbt27922-2011.yaml", clause.id, f"{clause.id} 关联了服务安排却不可删减（excludable: false）")
    for leaf in catalogue.leaves():
        if not leaf.evidence or not leaf.action or not leaf.effort:
            at("gbt27922-2011.yaml", leaf.id, f"计分条款 {leaf.id} 需要 evidence、action 和 effort")
    for material in catalogue.materials:
        for cid in material.clauses:
            if cid not in catalogue:
                at("materials.yaml", material.id, f"材料 {material.id} 引用了不存在的条款 {cid}")
    for form in catalogue.forms:
        if form.clause not in catalogue:
            at("forms.yaml", form.id, f"表单 {form.id} 引用了不存在的条款 {form.clause}")
    if problems:
        raise CatalogueError("标准数据不一致", problems)
