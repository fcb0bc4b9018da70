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
from generator.assess.numbers import exact
from generator.profile.model import Profile
from generator.standard.catalogue import Catalogue, Clause
from generator.standard.statuses import ScoreStatus, score_statuses
from generator.standard.wording import Reason, said


@dataclass(frozen=True)
class ScoreLine:
    clause: Clause
    excluded_reason: str | None
    credit: Fraction  # 0..1 of the clause's points, exact (2 of 3 samples conform: 2/3)
    reason: Reason  # why this credit (wording.yaml)
    status: ScoreStatus  # implemented / partial / missing / no_evidence / excluded (statuses.yaml)
    evidence: str
    source: str  # fact / self / none / excluded

    basis = said("reason")  # Why this credit, as the scorecard says it.

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
    reason: Reason
    decides: bool  # True: the fact settles what it counts; False: an upper bound on the self-assessment
    partly: bool = False  # a cap at "partial": the clause is partly in place, whatever it earns


def fact(profile: Profile, catalogue: Catalogue, facts: Facts, clause: Clause) -> Fact | None:
    """What the profile's facts say about a clause (the catalogue's `fact:` names which), where they say anything."""
    s, r, rules = profile.staff, profile.resources, catalogue.scoring
    if clause.fact == "managers":
        need, have = facts.required_managers, len(s.certified_managers)
        if rules.managers.credit == "proportional":
            credit = min(Fraction(1), Fraction(have, need))
            how = (Reason("credit.managers.enough") if credit == 1
                   else Reason("credit.managers.proportional", {"share": credit}))
        else:
            credit = Fraction(int(have >= need))
            how = Reason("credit.managers.enough" if credit else "credit.managers.all_or_nothing")
        return Fact(credit, Reason("credit.managers", {"staff": s.service_management_staff,
                                                       "ratio": exact(rules.managers.ratio), "need": need,
                                                       "have": have, "how": how}), True)
    if clause.fact == "technicians" and s.technicians > 0:
        credit = Fraction(s.qualified_technicians, s.technicians)
        how = (Reason("credit.technicians.all") if credit == 1
               else Reason("credit.technicians.share", {"share": credit}))
        return Fact(credit, Reason("credit.technicians", {"staff": s.technicians, "qualified": s.qualified_technicians,
                                                          "how": how}), True)
    if clause.fact == "regions":
        return _regions(facts)
    if clause.fact == "budget" and (r.special_fund <= 0 or r.annual_budget <= 0):
        return Fact(Fraction(0), Reason("credit.cap.no_budget"), False)
    caps = {"training": (not s.training_hours_per_year, rules.fact_caps.no_training_hours,
                         Reason("credit.cap.no_training_hours")),
            "information_system": (not r.information_system, rules.fact_caps.no_information_system,
                                   Reason("credit.cap.no_information_system")),
            "follow_up": (profile.customers.satisfaction_survey.last_result is None, rules.fact_caps.no_survey_result,
                          Reason("credit.cap.no_survey_result"))}
    if clause.fact in caps and caps[clause.fact][0]:
        _, status, cap = caps[clause.fact]
        return Fact(exact(rules.qualitative.for_status(status)), cap, False,
                    partly=status == "partial")
    return _on_record(profile, clause.fact)


def _regions(facts: Facts) -> Fact:
    """How the sales regions are served: where the company sells in named regions, the share served
    decides; nationwide, the self-assessment and samples decide and the facts explain."""
    modes = facts.region_service
    ways = [Reason("credit.regions.way", {"way": way, "regions": regions})
            for way, regions in facts.served_otherwise.items()]
    if facts.nationwide:
        with_outlets = sum(1 for m in modes.values() if m == AT_OUTLET)
        told = Reason("credit.regions.nationwide.otherwise", {"ways": ways}) if ways else None
        return Fact(Fraction(1), Reason("credit.regions.nationwide", {"outlets": with_outlets, "told": told}), False)
    credit = Fraction(len(facts.covered_regions), len(modes))
    uncovered = (Reason("credit.regions.share.uncovered", {"regions": facts.uncovered_regions, "share": credit})
                 if facts.uncovered_regions else None)
    return Fact(credit, Reason("credit.regions.share", {
        "regions": len(modes), "covered": len(facts.covered_regions), "uncovered": uncovered,
        "told": Reason("credit.regions.share.otherwise", {"ways": ways}) if ways else None}), True)


def _on_record(profile: Profile, name: str | None) -> Fact | None:
    """Facts that show a clause's preconditions are met: they explain, but do not raise, the credit."""
    k, r, o, c = profile.commitments, profile.resources, profile.organisation, profile.customers
    reason = {
        "department": Reason("record.department", {"name": o.aftersales_department.name,
                                                   "head": o.aftersales_department.head,
                                                   "duties": len(o.aftersales_department.duties)}),
        "budget": Reason("record.budget", {"annual": r.annual_budget, "special": r.special_fund}),
        "supervision": Reason("record.supervision", {"body": o.supervision.body,
                                                     "staff": o.supervision.full_time_staff,
                                                     "inspections": o.supervision.inspections_per_year}),
        "culture": Reason("record.culture", {"targets": len(profile.culture.targets)}),
        "repair": Reason("record.repair", {"response": k.response_hours, "onsite": k.onsite_hours_urban,
                                           "repair_days": k.repair_days}),
        "follow_up": Reason("record.follow_up", {"days": c.follow_up.within_days, "coverage": c.follow_up.coverage}),
        "complaints": Reason("record.complaints", {"response": k.complaint_response_hours,
                                                   "days": k.complaint_resolution_days,
                                                   "channels": len(c.complaints.channels),
                                                   "levels": len(c.complaints.escalation)}),
    }.get(name or "")
    return Fact(Fraction(1), reason, False) if reason else None


@dataclass(frozen=True)
class _Said:
    """What the self-assessment (status, samples) gives a clause."""

    credit: Fraction
    reason: Reason
    source: str  # self / none
    evidence: str
    nonconforming: bool  # it reports a nonconformity (partial, missing or a nonconforming sample)
    partly: bool = False  # self-assessed 部分落实


def _self_assessed(profile: Profile, catalogue: Catalogue, clause: Clause) -> _Said:
    entry = profile.readiness.self_assessment.get(clause.id)
    if entry is None:
        return _Said(Fraction(0), Reason("self.none"), "none", "", False)
    rules, evidence = catalogue.scoring, entry.evidence or ""
    label = score_statuses()[entry.status].label  # the profile's status is a score status id
    if clause.sampled and entry.samples is not None:  # the samples measure it (their status agrees: profile.py)
        n, bad = entry.samples.checked, entry.samples.nonconforming
        credit = 1 - Fraction(bad, n)
        reason = (Reason("self.samples.nonconforming", {"checked": n, "bad": bad, "share": credit}) if bad
                  else Reason("self.samples.conforming", {"checked": n}))
        if bad and entry.status == "implemented":
            reason = Reason("self.samples.despite_implemented", {"samples": reason})
        return _Said(credit, reason, "self", evidence, bool(bad) or entry.status != "implemented",
                     entry.status == "partial")
    credit = exact(rules.qualitative.for_status(entry.status))
    if entry.status == "partial":
        if rules.qualitative.partial_half_credit:
            why = Reason("self.partial.half_credit")
        elif clause.sampled:
            why = Reason("self.partial.no_samples")
        else:
            why = Reason("self.partial.qualitative")
        reason = Reason("self.partial", {"status": label, "why": why})
    elif entry.status == "missing":
        reason = Reason("self.missing", {"status": label})
    else:
        reason = Reason("self.implemented", {"status": label})
    return _Said(credit, reason, "self", evidence, entry.status != "implemented", entry.status == "partial")


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
    excluded = facts.excluded_reason(clause)
    if excluded is not None:
        return ScoreLine(clause, excluded, Fraction(0), Reason("credit.excluded"), score_statuses()["excluded"], "",
                         "excluded")
    said = _self_assessed(profile, catalogue, clause)
    credit, reason, source = said.credit, said.reason, said.source
    nonconforming, partly = said.nonconforming, said.partly
    found = fact(profile, catalogue, facts, clause)
    if found is not None and found.decides:
        nonconforming = nonconforming or found.credit < 1
        if source == "none":
            credit, reason, source = found.credit, found.reason, "fact"
        elif found.credit == credit:
            reason = Reason("combine.agree", {"fact": found.reason, "said": reason})
        else:
            lower = min(found.credit, credit)
            reason = Reason("combine.lower", {"fact": found.reason, "said": reason, "share": lower})
            credit, source = lower, "fact" if found.credit < said.credit else "self"
    elif found is not None and credit > found.credit:
        half = (Reason("combine.capped.half_credit")
                if found.credit and catalogue.scoring.qualitative.partial_half_credit else None)
        limit = (Reason("combine.capped.zero") if found.credit == 0
                 else Reason("combine.capped.at_most", {"share": found.credit, "half": half}))
        credit, source = found.credit, "fact"
        reason = Reason("combine.capped", {"said": reason, "fact": found.reason, "limit": limit})
        nonconforming, partly = True, said.partly or found.partly
    elif found is not None and source != "none":
        reason = Reason("combine.explained", {"said": reason, "fact": found.reason})
    credit = max(Fraction(0), min(Fraction(1), credit))
    status = score_statuses()["no_evidence"] if source == "none" else _status(credit, nonconforming, partly)
    return ScoreLine(clause, None, credit, reason, status, said.evidence, source)
