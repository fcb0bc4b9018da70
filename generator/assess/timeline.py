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
from generator.assess.fees import Audit
from generator.standard.scheme import Scheme
from generator.standard.wording import Reason, said


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
    """A step of the plan and its dates; what the plan page says beside it is in its template, by `kind`."""
    name: Reason  # wording.yaml timeline.*
    start: dt.date
    end: dt.date
    kind: str  # trial / application / review / onsite / decision / surveillance / recert
    number: int = 0  # the k-th surveillance

    label = said("name")


@dataclass(frozen=True)
class OnSite:
    """The initial on-site evaluation as scheduled: its person-days (the band's on-site days plus the
    sampled outlets; above the table a lower bound) as working days for a team of auditors."""
    person_days: Fraction  # the band's on-site days plus the sampled outlets' (`audit`)
    audit: Audit  # the initial audit the days come from
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
    return OnSite(person_days, audit, audit.at_least, (fewest, most), workdays, start, end, max(0, (end - due).days))


def surveillance_windows(scheme: Scheme) -> list[tuple[int, int, int]]:
    """Each surveillance's window in months after the certificate is issued: (k, first, last). The k-th
    usually falls in months low·k to high·k, may move by the larger leeway either way, and stays in the
    certificate's k-th year (at least one surveillance a year): a window ending at 12·k ends the day before."""
    s = scheme.surveillance
    (low, high), lead = s.cycle_months, s.leeway_months[1]
    return [(k, max(low * k - lead, 12 * (k - 1)), min(high * k + lead, 12 * k)) for k in range(1, s.count + 1)]


def milestones(scheme: Scheme, system_start: dt.date, earliest: dt.date, application: dt.date,
               onsite: OnSite, decision: dt.date, expiry: dt.date) -> list[Milestone]:
    """Every step from the trial run to recertification, each with its dates."""
    reviewed = application + dt.timedelta(days=scheme.steps["document_review"])
    out = [
        Milestone(Reason("timeline.trial"), system_start, earliest, "trial"),
        Milestone(Reason("timeline.application"), application, application, "application"),
        Milestone(Reason("timeline.review"), application, reviewed, "review"),
        Milestone(Reason("timeline.onsite"), onsite.start, onsite.end, "onsite"),
        Milestone(Reason("timeline.decision"), onsite.end, decision, "decision"),
    ]
    for k, first, last in surveillance_windows(scheme):
        earliest_k = add_months(decision, first)
        latest_k = add_months(decision, last) - dt.timedelta(days=1 if last == 12 * k else 0)  # within year k
        out.append(Milestone(Reason("timeline.surveillance", {"number": k}), earliest_k, latest_k, "surveillance", k))
    out.append(Milestone(Reason("timeline.recert"), add_months(decision, scheme.recertification_month), expiry, "recert"))
    return out
