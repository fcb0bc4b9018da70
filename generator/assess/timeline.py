"""The certification timeline: from the system's trial run to recertification. Pure.

- The initial on-site evaluation follows the document review: its person-days (the band's on-site
  days plus the sampled outlets) are working days for a team of auditors (certification.yaml
  `onsite_team`, an inference), laid out Monday to Friday to end by the scheme's day; where they do
  not fit after the review they end later, and the certificate moves by as many days.
- Each surveillance is a window (certification.yaml `surveillance`), earliest to latest.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

from generator.assess.dates import add_months
from generator.assess.fees import Audit, as_written
from generator.standard.scheme import Scheme


def workdays_until(last: dt.date, count: int) -> tuple[dt.date, dt.date]:
    """`count` working days (Monday to Friday) ending on `last` or the working day before it."""
    end = last
    while end.weekday() >= 5:
        end -= dt.timedelta(days=1)
    start = end
    for _ in range(count - 1):
        start -= dt.timedelta(days=3 if start.weekday() == 0 else 1)
    return start, end


def workdays_from(first: dt.date, count: int) -> tuple[dt.date, dt.date]:
    """`count` working days (Monday to Friday) starting on `first` or the working day after it."""
    start = first
    while start.weekday() >= 5:
        start += dt.timedelta(days=1)
    end = start
    for _ in range(count - 1):
        end += dt.timedelta(days=3 if end.weekday() == 4 else 1)
    return start, end


@dataclass(frozen=True)
class Milestone:
    label: str
    start: dt.date
    end: dt.date
    note: str


@dataclass(frozen=True)
class OnSite:
    """The initial on-site evaluation as scheduled: its person-days (the band's on-site days plus the
    sampled outlets; above the table a lower bound) as working days for a team of auditors."""
    person_days: Fraction
    at_least: bool  # above the table: the person-days are a lower bound
    auditors: tuple[int, int]  # fewest, most
    workdays: tuple[int, int]  # ⌈person-days ÷ auditors⌉ with the most and with the fewest (scheduled)
    start: dt.date  # a working day, not before the document review ends
    end: dt.date  # the last of the scheduled working days
    late: int  # calendar days after the scheme's onsite_evaluation day (0: on time)


def schedule_onsite(scheme: Scheme, application: dt.date, audit: Audit) -> OnSite:
    """The initial on-site evaluation, in working days for the smallest team: ending by the scheme's
    day, but never starting before the document review ends (then it ends later instead)."""
    steps, (fewest, most) = scheme.steps, scheme.onsite_team.auditors
    person_days = audit.onsite_total
    workdays = (max(1, math.ceil(person_days / most)), max(1, math.ceil(person_days / fewest)))
    reviewed = application + dt.timedelta(days=steps["document_review"])
    due = application + dt.timedelta(days=steps["onsite_evaluation"])
    start, end = workdays_until(due, workdays[1])
    if start < reviewed:  # too many days to fit after the review: start when it ends, finish later
        start, end = workdays_from(reviewed, workdays[1])
    return OnSite(person_days, audit.at_least, (fewest, most), workdays, start, end, max(0, (end - due).days))


def _audit_note(audit: Audit) -> str:
    """An audit's person-days for a milestone's note: the band's, plus the outlets sampled."""
    sample = audit.sample
    outlets = f"{sample.name} {as_written(sample.days)} 人日（估算）" if sample.outlets else ""
    if audit.days is not None:
        return f"{as_written(audit.days)} 人日" + (f" + {outlets}" if outlets else "")
    text = (f"人数档不少于 {as_written(audit.floor)} 人日（由认证机构核定）" if audit.floor is not None
            else "人数档人日由认证机构核定")
    return text + (f"，另加{outlets}" if outlets else "")


def _onsite_note(onsite: OnSite, audit: Audit, steps: dict[str, int]) -> str:
    """The on-site milestone's note: its person-days, then the working days they take and which are scheduled."""
    def days(value: Fraction, where: str) -> str:  # "现场 12 人日", "现场不少于 22 人日"
        return f"{where}{'不少于 ' if onsite.at_least else ' '}{as_written(value)} 人日"

    sample = audit.sample
    text = days(audit.onsite, "现场") + ("（由认证机构核定）" if onsite.at_least else "")
    if sample.outlets:
        text += (f"{'，另加' if onsite.at_least else ' + '}{sample.name} {as_written(sample.days)} 人日（估算），"
                 f"{days(onsite.person_days, '共')}")
    fewest, most = onsite.auditors
    low, high = onsite.workdays
    text += (f"；评审组 {fewest if fewest == most else f'{fewest}–{most}'} 名评审员"
             f"{'至少' if onsite.at_least else ''}约需 {high if low == high else f'{low}–{high}'} 个工作日，"
             f"按 {fewest} 名评审员排 {high} 个工作日")
    if onsite.late:
        text += f"；文件评审后到申请后第 {steps['onsite_evaluation']} 天排不下，推迟 {onsite.late} 天完成，发证随之推迟"
    return text + "；打分并提出整改要求"


def milestones(scheme: Scheme, system_start: dt.date, earliest: dt.date, application: dt.date,
               onsite: OnSite, decision: dt.date, expiry: dt.date, audits: dict[str, Audit]) -> list[Milestone]:
    """Every step from the trial run to recertification, each with its dates and a note."""
    steps = scheme.steps
    reviewed = application + dt.timedelta(days=steps["document_review"])
    out = [
        Milestone("体系试运行", system_start, earliest, f"运行满 {scheme.minimum_running_months} 个月"),
        Milestone("提交申请", application, application, "申请书及申请材料"),
        Milestone("文件评审", application, reviewed, "受理、签订合同、文件评审"),
        Milestone("现场评价", onsite.start, onsite.end, _onsite_note(onsite, audits["initial"], steps)),
        Milestone("评定发证", onsite.end, decision, "评审委员会批准，颁发证书"),
    ]
    s = scheme.surveillance
    (low, high), (lead_min, lead_max) = s.cycle_months, s.leeway_months
    for k in range(1, s.count + 1):
        # the k-th usually falls in months low·k to high·k after issue, may move lead_max either way,
        # and stays in the certificate's k-th year (at least one surveillance a year)
        earliest_k = max(add_months(decision, low * k - lead_max), add_months(decision, 12 * (k - 1)))
        latest_k = min(add_months(decision, high * k + lead_max),
                       add_months(decision, 12 * k) - dt.timedelta(days=1))
        out.append(Milestone(
            f"第 {k} 次监督评审", earliest_k, latest_k,
            f"时间窗：通常在发证后第 {low * k}–{high * k} 个月，可提前或推后 {lead_min}–{lead_max} 个月，"
            f"须在证书第 {k} 年内完成；{_audit_note(audits['surveillance'])}；此前备齐年度记录"))
    ahead = 12 * scheme.certificate_years - scheme.recertification_month
    out.append(Milestone(
        "再认证（复评）", add_months(decision, scheme.recertification_month), expiry,
        f"证书 {scheme.certificate_years} 年有效（至 {expiry.isoformat()}），到期前 {ahead} 个月申请复评，"
        f"到期前完成；{_audit_note(audits['recert'])}"))
    return out
