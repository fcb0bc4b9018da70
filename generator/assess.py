"""Score a profile by the standard's own method (GB/T 27922-2011 ch. 6). Pure: no I/O.

Per scored clause: excluded (删减) where the company does not provide the service and the catalogue
allows it; otherwise a credit in [0, 1] decided by profile facts where they settle the clause, or
else by the self-assessment (a clause with neither scores 0, "no evidence"). Then
评分 = 实际得分 / 涉及项总分值 × 100, special deductions and the bonus (±1 each), and the level.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .profile import Profile
from .standard import Catalogue, Clause

STATUS_LABELS = {"implemented": "已落实", "partial": "部分落实", "missing": "未落实", None: "无证据"}


@dataclass(frozen=True)
class ScoreLine:
    clause: Clause
    excluded_reason: str | None
    credit: float  # 0..1 of the clause's points
    basis: str  # why this credit, in Chinese
    status: str  # 已落实 / 部分落实 / 未落实 / 无证据 / 删减
    evidence: str

    @property
    def excluded(self) -> bool:
        return self.excluded_reason is not None

    @property
    def points(self) -> float:
        return self.clause.points or 0.0

    @property
    def earned(self) -> float:
        return 0.0 if self.excluded else round(self.points * self.credit, 2)

    @property
    def lost(self) -> float:
        return 0.0 if self.excluded else round(self.points - self.earned, 2)


@dataclass(frozen=True)
class Assessment:
    lines: list[ScoreLine]
    applicable_total: float
    earned_total: float
    normalised: float
    deductions: int
    bonus: float
    score: float
    level: str
    level_note: str
    next_level: tuple[str, float] | None  # (name, points still needed)
    groups: list[tuple[Clause, float, float]] = field(default_factory=list)  # first level: max, earned

    def line(self, clause_id: str) -> ScoreLine:
        return next(line for line in self.lines if line.clause.id == clause_id)

    @property
    def gaps(self) -> list[ScoreLine]:
        """Clauses that lose points, most points first."""
        return sorted((l for l in self.lines if l.lost > 0), key=lambda l: (-l.lost, l.clause.id))

    @property
    def excluded(self) -> list[ScoreLine]:
        return [l for l in self.lines if l.excluded]


def excluded_reason(profile: Profile, clause: Clause) -> str | None:
    """Why the clause is excluded for this company, or None when it applies."""
    if not clause.excludable or not clause.arrangements:
        return None
    arrangements = [getattr(profile.arrangements, name) for name in clause.arrangements]
    if any(a.provided for a in arrangements):
        return None
    return "；".join(a.excluded_reason or "" for a in arrangements)


def required_managers(profile: Profile, catalogue: Catalogue) -> int:
    rule = catalogue.scoring.managers
    return max(rule.minimum, math.ceil(rule.ratio * profile.staff.service_management_staff - 1e-9))


def covered_regions(profile: Profile) -> tuple[list[str], list[str]]:
    """(sales regions with a service outlet, those without); "全国" is not a region of its own."""
    provinces = {o.province for o in profile.resources.outlets}
    regions = [r for r in profile.company.sales_regions if r != "全国"]
    return [r for r in regions if r in provinces], [r for r in regions if r not in provinces]


def _fact(profile: Profile, catalogue: Catalogue, clause_id: str) -> tuple[float, str] | None:
    """(credit, basis) where a profile fact settles the clause; None where it does not."""
    s = profile.staff
    if clause_id == "5.1.2.2":
        need, have = required_managers(profile, catalogue), len(s.certified_managers)
        credit = min(1.0, have / need)
        return credit, (f"服务管理人员 {s.service_management_staff} 人，按 {catalogue.scoring.managers.ratio:.0%} "
                        f"应配管理师 {need} 名，实有 {have} 名")
    if clause_id == "5.1.2.1" and s.technicians > 0:
        return (s.qualified_technicians / s.technicians,
                f"技术人员 {s.technicians} 人中持证 {s.qualified_technicians} 人（按不合格样本比例扣分）")
    if clause_id == "5.1.1.2" and "全国" not in profile.company.sales_regions:
        covered, missing = covered_regions(profile)
        total = len(covered) + len(missing)
        basis = f"销售区域 {total} 个，有服务网点的 {len(covered)} 个"
        if missing:
            basis += "（未覆盖：" + "、".join(missing) + "）"
        return len(covered) / total, basis
    if clause_id == "5.1.3.1" and profile.resources.special_fund <= 0:
        return 0.0, "未预备专项经费（special_fund 为 0）"
    return None


def _self_assessed(profile: Profile, catalogue: Catalogue, clause_id: str):
    entry = profile.readiness.self_assessment.get(clause_id)
    if entry is None:
        return 0.0, "无自评和证据，按 0 分计", STATUS_LABELS[None], ""
    credit = catalogue.scoring.status_credit[entry.status]
    return credit, "企业自评", STATUS_LABELS[entry.status], entry.evidence or ""


def assess(profile: Profile, catalogue: Catalogue) -> Assessment:
    rules = catalogue.scoring
    lines: list[ScoreLine] = []
    for clause in catalogue.leaves():
        reason = excluded_reason(profile, clause)
        if reason is not None:
            lines.append(ScoreLine(clause, reason, 0.0, "按 6.2.2 删减", "删减", ""))
            continue
        credit, basis, status, evidence = _self_assessed(profile, catalogue, clause.id)
        fact = _fact(profile, catalogue, clause.id)
        if fact is not None:
            credit, basis = fact
            status = STATUS_LABELS["implemented" if credit >= 1 else "partial" if credit > 0 else "missing"]
        lines.append(ScoreLine(clause, None, max(0.0, min(1.0, credit)), basis, status, evidence))

    applicable = sum(l.points for l in lines if not l.excluded)
    earned = sum(l.earned for l in lines)
    normalised = round(earned / applicable * 100, 2) if applicable else 0.0
    deductions = len(profile.readiness.special_deductions)
    bonus = rules.special_bonus.points if profile.readiness.bonus else 0.0
    adjust = bonus - deductions * rules.special_deduction.points_each
    if rules.settings.adjust_after_normalisation:
        score = normalised + adjust
    else:
        score = (earned + adjust) / applicable * 100 if applicable else 0.0
    score = round(max(0.0, min(100.0, score)), 2)

    level, note = _level(score, deductions, profile, catalogue)
    groups = []
    for top in catalogue.indicators(2):
        mine = [l for l in lines if l.clause.id.startswith(top.id + ".")]
        groups.append((top, sum(l.points for l in mine if not l.excluded), sum(l.earned for l in mine)))
    return Assessment(lines, applicable, round(earned, 2), normalised, deductions, bonus, score,
                      level, note, _next_level(score, level, catalogue), groups)


def _level(score: float, deductions: int, profile: Profile, catalogue: Catalogue) -> tuple[str, str]:
    rules = catalogue.scoring
    if deductions >= rules.special_deduction.fail_at:
        return rules.fail_name, f"特别扣分项 {deductions} 项，达到 {rules.special_deduction.fail_at} 项即不通过"
    for level in rules.levels:
        if score >= level.min:
            if rules.settings.star_requires_year_at_dabiao and level.name != rules.levels[-1].name:
                return rules.levels[-1].name, "认证方案要求达标满一年后方可评星，本次最高为达标"
            return level.name, f"得分 {score:g} ≥ {level.min:g}"
    return rules.fail_name, f"得分 {score:g} 低于 {rules.levels[-1].min:g}"


def _next_level(score: float, level: str, catalogue: Catalogue) -> tuple[str, float] | None:
    higher = [l for l in reversed(catalogue.scoring.levels) if l.min > score]
    if not higher:
        return None
    return higher[0].name, round(higher[0].min - score, 2)
