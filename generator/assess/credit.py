"""What one scored clause earns (GB/T 27922-2011 ch. 6, scoring.yaml), and why. Pure.

Excluded (删减, 6.2.2) where the facts say so; otherwise a credit in [0, 1], exact. The
self-assessment gives it: a clause checked on samples loses points in proportion to the nonconforming
samples, a qualitative one loses its whole value for a nonconformity (部分落实 earns 0 unless the
labelled option `qualitative.credit.partial: 0.5` is chosen); a clause with neither scores 0, "no
evidence". The profile's facts that count something (managers, qualified technicians, sales regions
served) are evidence too: the lower of the two counts. Facts that show a missing precondition cap the
self-assessment; the others only explain it. Which facts speak to a clause is the catalogue's `fact:`.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from generator.assess.facts import AT_OUTLET, Facts
from generator.assess.numbers import exact, percent
from generator.profile.model import Profile
from generator.standard.catalogue import Catalogue, Clause
from generator.standard.statuses import ScoreStatus, score_statuses
from generator.text.literal import hours, number


@dataclass(frozen=True)
class ScoreLine:
    clause: Clause
    excluded_reason: str | None
    credit: Fraction  # 0..1 of the clause's points, exact (2 of 3 samples conform: 2/3)
    basis: str  # why this credit, in Chinese
    status: ScoreStatus  # implemented / partial / missing / no_evidence / excluded (statuses.yaml)
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
class Fact:
    credit: Fraction
    basis: str
    decides: bool  # True: the fact settles what it counts; False: an upper bound on the self-assessment
    partly: bool = False  # a cap at "partial": the clause is partly in place, whatever it earns


def fact(profile: Profile, catalogue: Catalogue, facts: Facts, clause: Clause) -> Fact | None:
    """What the profile's facts say about a clause (the catalogue's `fact:` names which), where they say anything."""
    s, r, rules = profile.staff, profile.resources, catalogue.scoring
    if clause.fact == "managers":
        need, have = facts.required_managers, len(s.certified_managers)
        if rules.managers.credit == "proportional":
            credit = min(Fraction(1), Fraction(have, need))
            how = "已配足" if credit == 1 else f"按实有 / 应配得该项分值的 {percent(credit)}"
        else:
            credit = Fraction(int(have >= need))
            how = "已配足" if credit else "不足应配即不得分"
        return Fact(credit, f"服务管理人员 {s.service_management_staff} 人，按 {rules.managers.ratio:.0%} "
                            f"应配管理师 {need} 名，实有 {have} 名，{how}", True)
    if clause.fact == "technicians" and s.technicians > 0:
        credit = Fraction(s.qualified_technicians, s.technicians)
        how = "全部持证" if credit == 1 else f"按持证比例得该项分值的 {percent(credit)}"
        return Fact(credit, f"技术人员 {s.technicians} 人中持证 {s.qualified_technicians} 人，{how}", True)
    if clause.fact == "regions":
        return _regions(facts)
    if clause.fact == "budget" and (r.special_fund <= 0 or r.annual_budget <= 0):
        return Fact(Fraction(0), "未预备售后服务经费或专项经费（annual_budget / special_fund 为 0）", False)
    caps = {"training": (not s.training_hours_per_year, rules.fact_caps.no_training_hours, "档案未规定每人每年培训学时"),
            "information_system": (not r.information_system, rules.fact_caps.no_information_system, "档案中没有顾客信息系统"),
            "follow_up": (profile.customers.satisfaction_survey.last_result is None, rules.fact_caps.no_survey_result,
                          "尚无满意度调查结果")}
    if clause.fact in caps and caps[clause.fact][0]:
        _, status, basis = caps[clause.fact]
        return Fact(exact(rules.qualitative.for_status(status)), basis, False, partly=status == "partial")
    return _on_record(profile, clause.fact)


def _regions(facts: Facts) -> Fact:
    """How the sales regions are served: where the company sells in named regions, the share served
    decides; nationwide, the self-assessment and samples decide and the facts explain."""
    modes = facts.region_service
    told = [f"{way}：{'、'.join(regions)}" for way, regions in facts.served_otherwise.items()]
    if facts.nationwide:
        with_outlets = sum(1 for m in modes.values() if m == AT_OUTLET)
        return Fact(Fraction(1), f"档案：全国销售，{with_outlets} 个省级地区设有服务网点"
                    + (f"，{'；'.join(told)}" if told else ""), False)
    credit = Fraction(len(facts.covered_regions), len(modes))
    basis = f"销售区域 {len(modes)} 个，有服务安排的 {len(facts.covered_regions)} 个"
    if told:
        basis += "（" + "；".join(told) + "）"
    if facts.uncovered_regions:
        basis += f"，未覆盖{'、'.join(facts.uncovered_regions)}，按覆盖比例得该项分值的 {percent(credit)}"
    return Fact(credit, basis, True)


def _on_record(profile: Profile, name: str | None) -> Fact | None:
    """Facts that show a clause's preconditions are met: they explain, but do not raise, the credit."""
    k, r, o = profile.commitments, profile.resources, profile.organisation
    text = {
        "department": f"档案：设{o.aftersales_department.name}，负责人{o.aftersales_department.head}，"
                   f"职责 {len(o.aftersales_department.duties)} 项",
        "budget": f"档案：年度经费 {r.annual_budget:g} 万元，专项经费 {r.special_fund:g} 万元",
        "supervision": f"档案：{o.supervision.body}，专职 {o.supervision.full_time_staff} 人，"
                   f"每年巡检 {o.supervision.inspections_per_year} 次",
        "culture": f"档案：服务理念已明确，服务目标 {len(profile.culture.targets)} 项",
        "repair": f"档案：{hours(k.response_hours)}响应，城区 {hours(k.onsite_hours_urban)}上门，"
                 f"{number(k.repair_days)} 天修复",
        "follow_up": f"档案：服务后 {number(profile.customers.follow_up.within_days)} 天内回访，"
                 f"回访比例 {profile.customers.follow_up.coverage:g}%",
        "complaints": f"档案：投诉 {hours(k.complaint_response_hours)}响应、{number(k.complaint_resolution_days)} 天办结，"
                 f"渠道 {len(profile.customers.complaints.channels)} 个，升级 "
                 f"{len(profile.customers.complaints.escalation)} 级",
    }.get(name)
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
    label = score_statuses()[entry.status].label  # the profile's status is a score status id
    if clause.sampled and entry.samples is not None:  # the samples measure it (their status agrees: profile.py)
        n, bad = entry.samples.checked, entry.samples.nonconforming
        credit = 1 - Fraction(bad, n)
        basis = (f"抽查 {n} 个样本，{bad} 个不符合，按不合格样本比例扣分，得该项分值的 {percent(credit)}" if bad
                 else f"抽查 {n} 个样本，全部符合")
        if bad and entry.status == "implemented":
            basis = f"自评已落实，但{basis}"
        return _Said(credit, basis, "self", evidence, bool(bad) or entry.status != "implemented",
                     entry.status == "partial")
    credit = exact(rules.qualitative.for_status(entry.status))
    if entry.status == "partial":
        if rules.qualitative.partial_half_credit:
            why = "按本项目约定计一半（非标准规则，见 scoring.yaml qualitative.credit.partial）"
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


def _status(credit: Fraction, nonconforming: bool, partly: bool) -> ScoreStatus:
    """The status shown beside a line: never implemented beside evidence of a nonconformity, and
    partial where part is in place even when the rule gives it no points (a qualitative item's
    nonconformity)."""
    statuses = score_statuses()
    if credit >= 1 and not nonconforming:
        return statuses["implemented"]
    return statuses["partial" if credit > 0 or partly else "missing"]


def score_line(profile: Profile, catalogue: Catalogue, facts: Facts, clause: Clause) -> ScoreLine:
    """One clause's line. Facts that count something (managers, qualified staff, regions served) and
    the self-assessment (samples or status) are both evidence: the lower credit counts (scoring.yaml
    `facts_and_samples`), so neither hides a nonconformity the other found. Facts that show a missing
    precondition cap the self-assessment; the others only explain it."""
    reason = facts.excluded_reason(clause)
    if reason is not None:
        return ScoreLine(clause, reason, Fraction(0), "按 6.2.2 删减", score_statuses()["excluded"], "", "excluded")
    said = _self_assessed(profile, catalogue, clause)
    credit, basis, source = said.credit, said.basis, said.source
    nonconforming, partly = said.nonconforming, said.partly
    found = fact(profile, catalogue, facts, clause)
    if found is not None and found.decides:
        nonconforming = nonconforming or found.credit < 1
        if source == "none":
            credit, basis, source = found.credit, found.basis, "fact"
        elif found.credit == credit:
            basis = f"{found.basis}；{basis}"
        else:
            lower = min(found.credit, credit)
            basis = f"{found.basis}；{basis}：取两者中较低者，得该项分值的 {percent(lower)}"
            credit, source = lower, "fact" if found.credit < said.credit else "self"
    elif found is not None and credit > found.credit:
        limit = "视为不符合，按 0 分计" if found.credit == 0 else f"最多按 {percent(found.credit)} 计"
        if found.credit and catalogue.scoring.qualitative.partial_half_credit:
            limit += "（部分落实按本项目约定计一半，非标准规则）"
        credit, basis, source = found.credit, f"{basis}；{found.basis}，{limit}", "fact"
        nonconforming, partly = True, said.partly or found.partly
    elif found is not None and source != "none":
        basis = f"{basis}；{found.basis}"
    credit = max(Fraction(0), min(Fraction(1), credit))
    status = score_statuses()["no_evidence"] if source == "none" else _status(credit, nonconforming, partly)
    return ScoreLine(clause, None, credit, basis, status, said.evidence, source)
