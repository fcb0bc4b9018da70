"""The standard as data: clause catalogue, scoring rules and application materials.

Loaded once from `content/standard/*.yaml` and checked for internal consistency (points of the
children add up to the parent's), so that a wrong edit to the data fails loudly at start-up.
"""
from __future__ import annotations

import functools
import typing
from pathlib import Path
from typing import Literal


from generator.inputs.yamlload import Loaded, format_path
from generator.standard.bundled import Data, Evidence, load_data, load_located
from generator.errors import CatalogueError, Problem
from generator.paths import STANDARD


ClauseFact = Literal["department", "regions", "technicians", "managers", "budget", "training", "information_system",
                     "supervision", "culture", "repair", "follow_up", "complaints"]


class Clause(Data):
    id: str
    title: str
    kind: Literal["indicator", "informative"]
    requirement: str
    gloss: str
    evidence_level: Evidence
    points: float | None = None
    points_provenance: Literal["confirmed", "provisional"] | None = None
    excludable: bool = False
    sampled: bool = False
    evidence: list[str] = []
    findings: list[str] = []  # typical nonconformities (this project's summary of the requirement, I)
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


class StandardInfo(Data):
    id: str
    title: str
    published: object
    effective: object


class Level(Data):
    name: str
    min: float


EVIDENCE_LABELS = {"C": "C 来源可见", "S": "S 机构解释或惯例", "I": "I 推断或本项目约定"}


class Rule(Data):
    """A scoring rule in scoring.yaml: every one says where it comes from and how sure that is."""

    title: str
    source: str
    evidence: Evidence  # confirmed in a source / secondary / this project's inference
    note: str | None = None

    @property
    def evidence_label(self) -> str:
        return EVIDENCE_LABELS[self.evidence]


class Method(Rule):
    total: float


class Credit(Data):
    """The share of a qualitative clause's points each self-assessed status earns."""

    implemented: Literal[1]
    partial: Literal[0, 0.5]  # 0: the standard's rule; 0.5: the labelled option, not the standard's
    missing: Literal[0]


class Qualitative(Rule):
    credit: Credit

    @property
    def partial_half_credit(self) -> bool:
        """The labelled option is chosen: 部分落实 earns half (not the standard's rule)."""
        return self.credit.partial == 0.5

    def for_status(self, status: str) -> float:
        return getattr(self.credit, status)


class ManagerRule(Rule):
    ratio: float
    minimum: int
    credit: Literal["proportional", "all_or_nothing"]


class Normalisation(Rule):
    adjust_after_normalisation: bool


class SpecialDeductionRule(Rule):
    points_each: float
    fail_at: int


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


class Reference(Data):
    name: str  # the short name the rules cite
    url: str  # "" where the source is kept with the project's research notes
    about: str


class Scoring(Data):
    method: Method
    qualitative: Qualitative
    samples: Rule
    facts_and_samples: Rule
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


class Material(Data):
    id: str
    name: str
    list: Literal["classic", "newer"]
    clauses: list[str]
    applies: Literal["always", "licence", "certificates", "repair", "optional"]
    produced_by: Literal["manual", "application", "checklist", "scorecard", "promise"] | None = None
    section: str | None = None


class Form(Data):
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
    keep: str = "3 年"
    """保存期限: how long a filled-in form is kept (the manual's appendix C lists it)."""


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
    clauses, clauses_at = load_located(folder / "gbt27922-2011.yaml", list[Clause], "clauses")
    scoring, scoring_at = load_located(folder / "scoring.yaml", Scoring)
    materials, materials_at = load_located(folder / "materials.yaml", list[Material], "materials")
    forms, forms_at = load_located(folder / "forms.yaml", list[Form], "forms")
    catalogue = Catalogue(info, clauses, scoring, materials, forms)
    _check(catalogue, {"clauses": clauses_at, "scoring": scoring_at, "materials": materials_at, "forms": forms_at})
    return catalogue


def _check(catalogue: Catalogue, loaded: dict[str, Loaded]) -> None:
    """The data's internal consistency across entries and files; each problem at the entry it
    concerns, by the positions the loader kept (`loaded`: the file of each top-level key)."""
    problems = []
    index = {key: {entry.id: i for i, entry in enumerate(entries)}
             for key, entries in (("clauses", catalogue.clauses.values()), ("materials", catalogue.materials),
                                  ("forms", catalogue.forms))}

    def at(key: str, entry_id: str, message: str, *inside: str) -> None:
        path = (key, index[key][entry_id], *inside)
        line, column = loaded[key].mark(path, key=bool(inside))
        problems.append(Problem(message, loaded[key].file, line, column, format_path(path)))

    for clause in catalogue.clauses.values():
        kids = [k for k in catalogue.children(clause.id) if k.kind == "indicator"]
        if clause.kind == "indicator" and clause.points is None:
            at("clauses", clause.id, f"指标 {clause.id} 缺少分值")
        if kids and clause.points is not None:
            total = sum(k.points or 0 for k in kids)
            if abs(total - clause.points) > 1e-9:
                at("clauses", clause.id, f"{clause.id} 的下级分值合计 {total:g}，与其分值 {clause.points:g} 不符", "points")
    first = sum(c.points or 0 for c in catalogue.indicators(2))
    if catalogue.scoring.method.total != first:
        line, column = loaded["scoring"].mark(("method", "total"))
        problems.append(Problem(f"满分 {catalogue.scoring.method.total:g} 与一级指标分值合计 {first:g} 不符",
                                loaded["scoring"].file, line, column, "method.total"))
    for clause in catalogue.clauses.values():
        if clause.arrangements and not clause.excludable:
            at("clauses", clause.id, f"{clause.id} 关联了服务安排却不可删减（excludable: false）", "arrangements")
    for leaf in catalogue.leaves():
        if not leaf.evidence or not leaf.action or not leaf.effort:
            at("clauses", leaf.id, f"计分条款 {leaf.id} 需要 evidence、action 和 effort")
    named: dict[str, str] = {}
    for clause in catalogue.clauses.values():
        if clause.fact in named:
            at("clauses", clause.id, f"{clause.id} 与 {named[clause.fact]} 都写了 fact: {clause.fact}（每个只用于一个条款）", "fact")
        elif clause.fact:
            named[clause.fact] = clause.id
    for fact in typing.get_args(ClauseFact):
        if fact not in named:
            line, column = loaded["clauses"].mark(("clauses",), key=True)
            problems.append(Problem(f"没有条款写 fact: {fact}", loaded["clauses"].file, line, column, "clauses"))
    for material in catalogue.materials:
        for cid in material.clauses:
            if cid not in catalogue:
                at("materials", material.id, f"材料 {material.id} 引用了不存在的条款 {cid}", "clauses")
    for form in catalogue.forms:
        if form.clause not in catalogue:
            at("forms", form.id, f"表单 {form.id} 引用了不存在的条款 {form.clause}", "clause")
    if problems:
        raise CatalogueError("标准数据不一致", problems)
