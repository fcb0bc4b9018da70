"""Score a profile by the standard's own method (GB/T 27922-2011 ch. 6). Pure: no I/O.

Every rule and its source is in content/standard/scoring.yaml. Per scored clause: excluded (删减,
6.2.2) where the catalogue allows it and the company says so (in `arrangements` or
`readiness.exclusions`); otherwise a credit in [0, 1], exact. The self-assessment gives it: a clause
checked on samples loses points in proportion to the nonconforming samples, a qualitative one loses
its whole value for a nonconformity (部分落实 earns 0 unless the labelled half-credit option is on);
a clause with neither scores 0, "no evidence". Profile facts that count something (managers,
qualified technicians, sales regions served) are evidence too: the lower of the two counts. Facts
that show a missing precondition cap the self-assessment. Then 评分 = 实际得分 / 涉及项总分值 × 100,
±1 per special deduction and bonus, and the level, decided on the exact score.
The gap plan (`plan.py`) works from the lines computed here."""
from __future__ import annotations

import math
import typing
from dataclasses import dataclass, field
from fractions import Fraction

from generator.assess.dates import add_months
from generator.assess.facts import AT_OUTLET, OTHER_WAYS, Facts, facts_of
from generator.text.literal import Duration, hours, number
from generator.profile.schema import Profile
from generator.standard.catalogue import Catalogue, Clause

def exact(value: float | int | Fraction) -> Fraction:
    """A number as the exact value written: 0.1 from YAML is 1/10, not the float nearest it."""
    return value if isinstance(value, Fraction) else Fraction(str(value))


def shown(value: Fraction, thresholds=()) -> float:
    """A score for display, to 0.01: rounded half up (94.845 is 94.85, as by hand), but cut where
    rounding would reach a threshold the exact value misses (79.996 is 79.99 beside 达标, never 80.00)."""
    rounded = Fraction(math.floor(value * 100 + Fraction(1, 2)), 100)
    if any(value < exact(t) <= rounded for t in thresholds):
        rounded = Fraction(math.floor(value * 100), 100)
    return float(rounded)


def up_to_hundredth(value: Fraction) -> float:
    """Points still needed, to 0.01 rounded up: never "0" or a shortfall while short."""
    return math.ceil(value * 100) / 100


STATUS_LABELS = {"implemented": "已落实", "partial": "部分落实", "missing": "未落实", None: "无证据"}
EXCLUDED = "删减"


@dataclass(frozen=True)
class ScoreLine:
    clause: Clause
    excluded_reason: str | None
    credit: Fraction  # 0..1 of the clause's points, exact (2 of 3 samples conform: 2/3)
    basis: str  # why this credit, in Chinese
    status: str  # 已落实 / 部分落实 / 未落实 / 无证据 / 删减
    evidence: str
    source: str  # fact / self / none / excluded

    @property
    def excluded(self) -> bool:
        return self.excluded_reason is not None

    @property
    def points(self) -> float:
        return self.clause.points or 0.0

    @property
    def applicable_points(self) -> float:
        return 0.0 if self.excluded else self.points

    @property
    def earned_exact(self) -> Fraction:
        return Fraction(0) if self.excluded else exact(self.points) * self.credit

    @property
    def earned(self) -> float:
        """For display: rounded to 0.01 (a line decides no level)."""
        return round(float(self.earned_exact), 2)

    @property
    def lost_exact(self) -> Fraction:
        return Fraction(0) if self.excluded else exact(self.points) - self.earned_exact

    @property
    def lost(self) -> float:
        return round(float(self.lost_exact), 2)


@dataclass(frozen=True)
class Group:
    """A second-level indicator (5.1, 5.2, 5.3) or third-level one, summed over its scored clauses."""

    clause: Clause
    maximum: float
    applicable: float
    earned: float
    lines: tuple[ScoreLine, ...] = ()

    @property
    def clause_ids(self) -> list[str]:
        return [l.clause.id for l in self.lines]


class Bare(typing.NamedTuple):
    """The score and level if the disputed special bonus is not counted."""

    score: float
    level: str


@dataclass(frozen=True)
class Assessment:
    lines: list[ScoreLine]
    applicable_total: float
    earned_total: float
    normalised: float
    deductions: int
    bonus: float
    bonus_note: str
    score: float  # for display, to 0.01 (`shown`: never across a threshold the exact score misses)
    level: str
    level_note: str
    next_level: tuple[str, float] | None  # (name, points still needed)
    groups: list[Group] = field(default_factory=list)  # first-level indicators 5.1, 5.2, 5.3
    indicators: list[Group] = field(default_factory=list)  # second-level indicators 5.1.1 … 5.3.2
    score_exact: Fraction = Fraction(0)  # what the level is decided on
    without_bonus: Bare | None = None  # the score and level if the disputed bonus is not counted
    bare_exact: Fraction | None = None  # that score, exactly
    losses: list[tuple[str, Fraction]] = field(default_factory=list)  # from 100 to the score, exactly
    must_fix: int = 0  # special deductions to correct before any level (5 or more fail whatever the score)
    score_level: str = ""  # the level the score alone gives, whatever the special deductions
    scale: Fraction = Fraction(0)  # points of the final score one item point is worth (100 / 涉及项总分值)
    adjust_scale: Fraction = Fraction(1)  # points of the final score one special deduction or bonus point is worth

    @property
    def losses_shown(self) -> list[tuple[str, float]]:
        """Each loss for display (to 0.01, half up); they may differ from 100 − the score by 0.01."""
        return [(label, shown(value)) for label, value in self.losses]

    def line(self, clause_id: str) -> ScoreLine:
        return next(line for line in self.lines if line.clause.id == clause_id)

    @property
    def gaps(self) -> list[ScoreLine]:
        """Clauses that lose points, most points first."""
        return sorted((l for l in self.lines if l.lost_exact > 0), key=lambda l: (-l.lost_exact, l.clause.id))

    @property
    def excluded(self) -> list[ScoreLine]:
        return [l for l in self.lines if l.excluded]

    @property
    def must_fix_note(self) -> str:
        """What five or more special deductions mean for this company, in a sentence; "" otherwise."""
        if not self.must_fix:
            return ""
        after = f"可评{self.score_level}" if self.score_level != self.fail_name else f"仍未达到{self.lowest_level}"
        return f"须先整改至少 {self.must_fix} 项特别扣分项（{self.fail_at} 项及以上不通过），整改后按得分{after}。"

    fail_name: str = "不通过"
    lowest_level: str = "达标"
    fail_at: int = 5


# --- what the profile's facts say about a clause ------------------------------------------------
@dataclass(frozen=True)
class Fact:
    credit: Fraction
    basis: str
    decides: bool  # True: the fact settles what it counts; False: an upper bound on the self-assessment
    partly: bool = False  # a cap at "partial": the clause is partly in place, whatever it earns


def _percent(credit: Fraction) -> str:
    return f"{float(credit) * 100:.4g}%"


def fact(profile: Profile, catalogue: Catalogue, facts: Facts, clause_id: str) -> Fact | None:
    """What the profile's facts say about a clause, where they say anything."""
    s, r, rules = profile.staff, profile.resources, catalogue.scoring
    cap = rules.qualitative.for_status
    if clause_id == "5.1.2.2":
        need, have = facts.required_managers, len(s.certified_managers)
        if rules.managers.credit == "proportional":
            credit = min(Fraction(1), Fraction(have, need))
            how = "已配足" if credit == 1 else f"按实有 / 应配得该项分值的 {_percent(credit)}"
        else:
            credit = Fraction(int(have >= need))
            how = "已配足" if credit else "不足应配即不得分"
        return Fact(credit, f"服务管理人员 {s.service_management_staff} 人，按 {rules.managers.ratio:.0%} "
                            f"应配管理师 {need} 名，实有 {have} 名，{how}", True)
    if clause_id == "5.1.2.1" and s.technicians > 0:
        credit = Fraction(s.qualified_technicians, s.technicians)
        how = "全部持证" if credit == 1 else f"按持证比例得该项分值的 {_percent(credit)}"
        return Fact(credit, f"技术人员 {s.technicians} 人中持证 {s.qualified_technicians} 人，{how}", True)
    if clause_id == "5.1.1.2" and not facts.nationwide:
        modes = facts.region_service
        served = [r for r, m in modes.items() if m]
        credit = Fraction(len(served), len(modes))
        basis = f"销售区域 {len(modes)} 个，有服务安排的 {len(served)} 个"
        other = {m: [r for r, mm in modes.items() if mm == m] for m in OTHER_WAYS}
        told = [f"{m}：{'、'.join(rs)}" for m, rs in other.items() if rs]
        if told:
            basis += "（" + "；".join(told) + "）"
        missing = [r for r, m in modes.items() if not m]
        if missing:
            basis += f"，未覆盖{'、'.join(missing)}，按覆盖比例得该项分值的 {_percent(credit)}"
        return Fact(credit, basis, True)
    if clause_id == "5.1.1.2":  # nationwide: the self-assessment and samples decide; the facts explain
        modes = facts.region_service
        other = {m: [r for r, mm in modes.items() if mm == m] for m in OTHER_WAYS}
        told = "；".join(f"{m}：{'、'.join(rs)}" for m, rs in other.items() if rs)
        with_outlets = sum(1 for m in modes.values() if m == AT_OUTLET)
        return Fact(Fraction(1), f"档案：全国销售，{with_outlets} 个省级地区设有服务网点" + (f"，{told}" if told else ""), False)
    if clause_id == "5.1.3.1" and (r.special_fund <= 0 or r.annual_budget <= 0):
        return Fact(Fraction(0), "未预备售后服务经费或专项经费（annual_budget / special_fund 为 0）", False)
    caps = {"5.1.3.2": (not s.training_hours_per_year, rules.fact_caps.no_training_hours, "档案未规定每人每年培训学时"),
            "5.1.3.3": (not r.information_system, rules.fact_caps.no_information_system, "档案中没有顾客信息系统"),
            "5.3.1": (profile.customers.satisfaction_survey.last_result is None, rules.fact_caps.no_survey_result,
                      "尚无满意度调查结果")}
    if clause_id in caps and caps[clause_id][0]:
        _, status, basis = caps[clause_id]
        return Fact(exact(cap(status)), basis, False, partly=status == "partial")
    return _on_record(profile, clause_id)


def _on_record(profile: Profile, clause_id: str) -> Fact | None:
    """Facts that show a clause's preconditions are met: they explain, but do not raise, the credit."""
    k, r, o = profile.commitments, profile.resources, profile.organisation
    text = {
        "5.1.1.1": f"档案：设{o.aftersales_department.name}，负责人{o.aftersales_department.head}，"
                   f"职责 {len(o.aftersales_department.duties)} 项",
        "5.1.3.1": f"档案：年度经费 {r.annual_budget:g} 万元，专项经费 {r.special_fund:g} 万元",
        "5.1.5.1": f"档案：{o.supervision.body}，专职 {o.supervision.full_time_staff} 人，"
                   f"每年巡检 {o.supervision.inspections_per_year} 次",
        "5.1.7": f"档案：服务理念已明确，服务目标 {len(profile.culture.targets)} 项",
        "5.2.4": f"档案：{hours(k.response_hours)}响应，城区 {hours(k.onsite_hours_urban)}上门，"
                 f"{number(Duration(k.repair_days))} 天修复",
        "5.3.1": f"档案：服务后 {profile.customers.follow_up.within_days:g} 天内回访，"
                 f"回访比例 {profile.customers.follow_up.coverage:g}%",
        "5.3.2": f"档案：投诉 {hours(k.complaint_response_hours)}响应、{number(Duration(k.complaint_resolution_days))} 天办结，"
                 f"渠道 {len(profile.customers.complaints.channels)} 个，升级 "
                 f"{len(profile.customers.complaints.escalation)} 级",
    }.get(clause_id)
    return Fact(Fraction(1), text, False) if text else None


@dataclass(frozen=True)
class _Said:
    """What the self-assessment (status, samples) gives a clause."""

    credit: Fraction
    basis: str
    source: str  # self / none
    evidence: str
    nonconforming: bool  # it reports a nonconformity (partial, missing or a nonconforming sample)
    partly: bool = False  # self-assessed 部分落实


def _self_assessed(profile: Profile, catalogue: Catalogue, clause: Clause) -> _Said:
    entry = profile.readiness.self_assessment.get(clause.id)
    if entry is None:
        return _Said(Fraction(0), "无自评和证据，按 0 分计", "none", "", False)
    rules, evidence = catalogue.scoring, entry.evidence or ""
    label = STATUS_LABELS[entry.status]
    if clause.sampled and entry.samples is not None:  # the samples measure it (their status agrees: profile.py)
        n, bad = entry.samples.checked, entry.samples.nonconforming
        credit = 1 - Fraction(bad, n)
        basis = (f"抽查 {n} 个样本，{bad} 个不符合，按不合格样本比例扣分，得该项分值的 {_percent(credit)}" if bad
                 else f"抽查 {n} 个样本，全部符合")
        if bad and entry.status == "implemented":
            basis = f"自评已落实，但{basis}"
        return _Said(credit, basis, "self", evidence, bool(bad) or entry.status != "implemented",
                     entry.status == "partial")
    credit = exact(rules.qualitative.for_status(entry.status))
    if entry.status == "partial":
        if rules.qualitative.partial_half_credit:
            why = "按本项目约定计一半（非标准规则，见 scoring.yaml qualitative.partial_half_credit）"
        elif clause.sampled:
            why = "未填写抽样结果，按存在不符合扣除该项全部分值（填写 samples 后按不合格样本比例扣分）"
        else:
            why = "定性指标存在不符合即扣除该项全部分值"
        basis = f"自评{label}：{why}"
    elif entry.status == "missing":
        basis = f"自评{label}，按 0 分计"
    else:
        basis = f"自评{label}"
    return _Said(credit, basis, "self", evidence, entry.status != "implemented", entry.status == "partial")


def _status(credit: Fraction, nonconforming: bool, partly: bool) -> str:
    """The status shown beside a line: never 已落实 beside evidence of a nonconformity, and 部分落实
    where part is in place even when the rule gives it no points (a qualitative item's nonconformity)."""
    if credit >= 1 and not nonconforming:
        return STATUS_LABELS["implemented"]
    return STATUS_LABELS["partial" if credit > 0 or partly else "missing"]


def score_line(profile: Profile, catalogue: Catalogue, facts: Facts, clause: Clause) -> ScoreLine:
    """One clause's line. Facts that count something (managers, qualified staff, regions served) and
    the self-assessment (samples or status) are both evidence: the lower credit counts (scoring.yaml
    `facts_and_samples`), so neither hides a nonconformity the other found. Facts that show a missing
    precondition cap the self-assessment; the others only explain it."""
    reason = facts.excluded_reason(clause)
    if reason is not None:
        return ScoreLine(clause, reason, Fraction(0), "按 6.2.2 删减", EXCLUDED, "", "excluded")
    said = _self_assessed(profile, catalogue, clause)
    credit, basis, source = said.credit, said.basis, said.source
    nonconforming, partly = said.nonconforming, said.partly
    found = fact(profile, catalogue, facts, clause.id)
    if found is not None and found.decides:
        nonconforming = nonconforming or found.credit < 1
        if source == "none":
            credit, basis, source = found.credit, found.basis, "fact"
        elif found.credit == credit:
            basis = f"{found.basis}；{basis}"
        else:
            lower = min(found.credit, credit)
            basis = f"{found.basis}；{basis}：取两者中较低者，得该项分值的 {_percent(lower)}"
            credit, source = lower, "fact" if found.credit < said.credit else "self"
    elif found is not None and credit > found.credit:
        limit = "视为不符合，按 0 分计" if found.credit == 0 else f"最多按 {_percent(found.credit)} 计"
        if found.credit and catalogue.scoring.qualitative.partial_half_credit:
            limit += "（部分落实按本项目约定计一半，非标准规则）"
        credit, basis, source = found.credit, f"{basis}；{found.basis}，{limit}", "fact"
        nonconforming, partly = True, said.partly or found.partly
    elif found is not None and source != "none":
        basis = f"{basis}；{found.basis}"
    credit = max(Fraction(0), min(Fraction(1), credit))
    status = STATUS_LABELS[None] if source == "none" else _status(credit, nonconforming, partly)
    return ScoreLine(clause, None, credit, basis, status, said.evidence, source)


# --- the whole assessment --------------------------------------------------------------------
def assess(profile: Profile, catalogue: Catalogue, facts: Facts | None = None) -> Assessment:
    """The whole assessment; `facts` are the profile's (`facts_of`), worked out here when not given."""
    rules = catalogue.scoring
    facts = facts or facts_of(profile, catalogue)
    lines = [score_line(profile, catalogue, facts, clause) for clause in catalogue.leaves()]

    applicable = sum(exact(l.applicable_points) for l in lines)
    earned = sum(l.earned_exact for l in lines)
    normalised = earned / applicable * 100 if applicable else Fraction(0)
    deductions = len(profile.readiness.special_deductions)
    claimed = len(profile.readiness.bonuses)
    counted = min(claimed, rules.special_bonus.max_count) if rules.special_bonus.counted else 0
    bonus = counted * exact(rules.special_bonus.points)
    if not claimed:
        bonus_note = "未申请特别加分项"
    elif not rules.special_bonus.counted:
        bonus_note = f"申请 {claimed} 项，按设置不计特别加分（scoring.yaml special_bonus.counted: false）"
    else:
        bonus_note = f"申请 {claimed} 项，计 {counted} 项"
        if claimed > counted:
            bonus_note += f"（标准规定特别加分项至多 {rules.special_bonus.max_count} 项）"

    def final(adjust: Fraction) -> Fraction:
        if rules.normalisation.adjust_after_normalisation:
            value = normalised + adjust
        else:
            value = (earned + adjust) / applicable * 100 if applicable else Fraction(0)
        return max(Fraction(0), min(Fraction(100), value))  # exact: the level is decided on this

    penalty = deductions * exact(rules.special_deduction.points_each)
    score = final(bonus - penalty)
    thresholds = [l.min for l in rules.levels]
    level, note = level_for(score, deductions, catalogue)
    cap = _year_rule_cap(profile, catalogue, level)
    if cap:
        level, note = rules.levels[-1].name, cap
    scale = 100 / applicable if applicable else Fraction(0)
    adjust_scale = Fraction(1) if rules.normalisation.adjust_after_normalisation else scale
    bare = final(-penalty) if bonus else None  # the bonus is disputed: the score if the body does not count it
    without_bonus = None
    if bare is not None:
        bare_level = level_for(bare, deductions, catalogue)[0]
        if _year_rule_cap(profile, catalogue, bare_level):
            bare_level = rules.levels[-1].name
        without_bonus = Bare(shown(bare, thresholds), bare_level)
    groups = [_group(c, lines) for c in catalogue.indicators(2)]
    return Assessment(
        lines=lines, applicable_total=float(applicable), earned_total=shown(earned, thresholds),
        normalised=shown(normalised, thresholds), deductions=deductions, bonus=float(bonus), bonus_note=bonus_note,
        score=shown(score, thresholds), level=level, level_note=note, next_level=_next_level(score, catalogue),
        groups=groups, indicators=[_group(c, lines) for c in catalogue.indicators(3)], score_exact=score,
        without_bonus=without_bonus, bare_exact=bare,
        losses=_losses(groups, scale, penalty * adjust_scale, bonus * adjust_scale, score),
        must_fix=max(0, deductions - rules.special_deduction.fail_at + 1),
        score_level=level_for(score, 0, catalogue)[0], scale=scale, adjust_scale=adjust_scale,
        fail_name=rules.fail_name, lowest_level=rules.levels[-1].name, fail_at=rules.special_deduction.fail_at,
    )


def _losses(groups: list[Group], scale: Fraction, penalty: Fraction, bonus: Fraction,
            score: Fraction) -> list[tuple[str, Fraction]]:
    """Every point between 100 and the final score, exactly: what each first-level indicator lost
    (after normalisation: 删减 loses nothing), the special deductions, the bonus (negative), and
    where the score is held to 0..100, the cut. They add up to 100 − score."""
    out = [(f"{g.clause.id} {g.clause.title}", sum((l.lost_exact for l in g.lines), Fraction(0)) * scale)
           for g in groups]
    if penalty:
        out.append(("特别扣分项", penalty))
    if bonus:
        out.append(("特别加分项", -bonus))
    rest = 100 - score - sum(v for _, v in out)
    if rest:
        out.append(("得分限于 0–100 分", rest))
    return out


def level_for(score: Fraction | float, deductions: int, catalogue: Catalogue) -> tuple[str, str]:
    """The level a final score gives, with the reason, before certification-scheme caps. The score is
    compared exactly (a float is taken as the decimal it shows) and said as `shown` says it."""
    rules = catalogue.scoring
    score, thresholds = exact(score), [level.min for level in rules.levels]
    if deductions >= rules.special_deduction.fail_at:
        return rules.fail_name, f"特别扣分项 {deductions} 项，达到 {rules.special_deduction.fail_at} 项即不通过"
    for level in rules.levels:
        if score >= exact(level.min):
            return level.name, f"得分 {shown(score, thresholds):g} ≥ {level.min:g}"
    return rules.fail_name, f"得分 {shown(score, thresholds):g} 低于 {rules.levels[-1].min:g}"


def _year_rule_cap(profile: Profile, catalogue: Catalogue, level: str) -> str | None:
    """Why the level is capped at 达标 under the one-year rule, or None."""
    rules = catalogue.scoring
    star_levels = [l.name for l in rules.levels[:-1]]
    if not rules.year_at_dabiao.star_requires_year_at_dabiao or level not in star_levels:
        return None
    since = profile.certification.dabiao_certified_on
    planned = profile.certification.planned_application
    if since is not None and add_months(since, 12) <= planned:
        return None
    why = "尚无达标级证书" if since is None else f"达标级证书取得于 {since.isoformat()}，到计划申请日期不满一年"
    return f"得分可评{level}，但认证方案要求达标满一年方可评星：{why}，本次最高为达标"


def _next_level(score: Fraction, catalogue: Catalogue) -> tuple[str, float] | None:
    """The next level up and the points still needed, rounded up to 0.01 (never "0" while short)."""
    higher = [l for l in reversed(catalogue.scoring.levels) if exact(l.min) > score]
    if not higher:
        return None
    return higher[0].name, up_to_hundredth(exact(higher[0].min) - score)


def _group(clause: Clause, lines: list[ScoreLine]) -> Group:
    mine = [l for l in lines if l.clause.id == clause.id or l.clause.id.startswith(clause.id + ".")]
    return Group(clause, sum(l.points for l in mine), sum(l.applicable_points for l in mine),
                 round(float(sum(l.earned_exact for l in mine)), 2), tuple(mine))
