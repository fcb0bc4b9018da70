"""Person-days and fees of each audit, from the body's tariff (content/standard/tariffs.yaml). Pure.

Person-days and money are exact (Fraction: the table's halves add up exactly) and are shown as the
documents print them (the `exact` and `yuan` kinds of wording.yaml); the words are wording.yaml's `fees.*`.

- The tariff's headcount band is costed apart from the outlets, so the table reads as the published
  example does (1,200 staff: 16 person-days × 3,000 + 1,000 + 2,000 + 2,000 = 53,000 元).
- Outlets are sampled, not all visited: ⌈factor × √n⌉ outlets (tariffs.yaml `multi_site`), each at
  the tariff's person-days per outlet, an estimate.
- Above the table's largest band there are no days: the body sets them and quotes. Only a lower
  bound is given ("不少于"), the largest value of the table's column (the table never decreases).

Each stage's person-days are worked out once, as an `Audit`; the costs and the timeline read them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from generator.assess.numbers import exact
from generator.standard.scheme import DaysRow, Tariff
from generator.standard.wording import Reason, as_written, said, say, yuan


def ceil_sqrt(value: Fraction) -> int:
    """The smallest whole m ≥ 0 with m² ≥ value, exactly (no floating-point square root)."""
    whole = math.ceil(value)  # m² is whole, so m² ≥ value exactly when m² ≥ ⌈value⌉
    root = math.isqrt(whole)
    return root if root * root == whole else root + 1


@dataclass(frozen=True)
class Sample:
    """The outlets sampled at one audit: ⌈factor × √outlets⌉ of them, each at `days_each` person-days."""
    outlets: int
    factor: Fraction
    days_each: Fraction

    @property
    def size(self) -> int:  # ⌈f√n⌉ is the smallest m with m² ≥ f²n
        return min(self.outlets, ceil_sqrt(self.factor ** 2 * self.outlets))

    @property
    def days(self) -> Fraction:
        return self.size * self.days_each

    @property
    def rule_reason(self) -> Reason:
        """The rule: "√300 向上取整", "0.6×√300 向上取整", "√2 向上取整，即全部网点"."""
        root = (Reason("fees.sample.root", {"outlets": self.outlets}) if self.factor == 1
                else Reason("fees.sample.root_times", {"factor": self.factor, "outlets": self.outlets}))
        return Reason("fees.sample.rule", {"root": root,
                                           "all": Reason("fees.sample.all") if self.size == self.outlets else None})

    rule = said("rule_reason")

    @property
    def name_reason(self) -> Reason:
        """What the outlets' row is called: a sample of several, or the one outlet there is."""
        return Reason("fees.sample.name.sampled" if self.outlets > 1 else "fees.sample.name.single")

    name = said("name_reason")


@dataclass(frozen=True)
class Band:
    """A row of the tariff's person-day table with its headcount range."""
    low: int
    high: int
    row: DaysRow

    @property
    def range_reason(self) -> Reason:
        return Reason("fees.band.range", {"low": self.low, "high": self.high})

    @property
    def reason(self) -> Reason:
        return Reason("fees.band", {"range": self.range_reason})

    range = said("range_reason")

    text = said("reason")


def bands(tariff: Tariff) -> list[Band]:
    rows = tariff.person_days
    return [Band(rows[i - 1].max + 1 if i else 1, row.max, row) for i, row in enumerate(rows)]


def band_for(employees: int, tariff: Tariff) -> Band | None:
    """The band holding `employees`; None above the table's largest band (the body sets the days)."""
    return next((b for b in bands(tariff) if employees <= b.high), None)


def floor_days(employees: int, tariff: Tariff, column: str) -> Fraction | None:
    """A lower bound where the table gives no days (above it, or a missing value): the largest value
    the table gives for a smaller headcount. The table never decreases (the tariff's shape checks it)."""
    values = [exact(getattr(r, column)) for r in tariff.person_days
              if r.max < employees and getattr(r, column) is not None]
    return max(values, default=None)


STAGES = (  # key in the tariff row and in multi_site.factors, its on-site column, name, fees charged with the days
    ("initial", "onsite", Reason("fees.stage.initial"), ((Reason("fees.fee.application"), "application"),
                                                         (Reason("fees.fee.registration"), "registration"),
                                                         (Reason("fees.fee.annual_first"), "annual"))),
    ("surveillance", "surveillance_onsite", Reason("fees.stage.surveillance"), ((Reason("fees.fee.annual"), "annual"),)),
    ("recert", "recert_onsite", Reason("fees.stage.recert"), ((Reason("fees.fee.registration"), "registration"),)),
)


@dataclass(frozen=True)
class Audit:
    """One stage's person-days, worked out once: the headcount band's (or, where the table gives none,
    a lower bound) and the sampled outlets'."""
    stage: str  # initial / surveillance / recert
    name: Reason  # what the stage is called
    charges: tuple[tuple[Reason, str], ...]  # (name, key in the tariff's fees) charged with the days
    days: Fraction | None  # the band's person-days; None: the body sets them (above the table, or missing)
    floor: Fraction | None  # where `days` is None: the largest the table gives for fewer staff
    onsite: Fraction | None  # the band's on-site days (above the table: the largest band's, a lower bound)
    sample: Sample

    label = said("name")

    @property
    def at_least(self) -> bool:
        """The band's days are not in the table: what is said is a lower bound."""
        return self.days is None

    @property
    def onsite_total(self) -> Fraction:
        """On-site person-days with the sampled outlets (a lower bound where `at_least`)."""
        return (self.onsite or Fraction(0)) + self.sample.days


def audits(tariff: Tariff, employees: int, outlets: int) -> dict[str, Audit]:
    """Every stage's audit, by stage."""
    band, top = band_for(employees, tariff), bands(tariff)[-1]
    m = tariff.multi_site
    out = {}
    for stage, onsite_column, name, charges in STAGES:
        days = getattr(band.row, stage) if band else None
        onsite = getattr((band or top).row, onsite_column)
        out[stage] = Audit(stage, name, charges, exact(days) if days is not None else None,
                           floor_days(employees, tariff, stage) if days is None else None,
                           exact(onsite) if onsite is not None else None,
                           Sample(outlets, exact(getattr(m.factors, stage)), exact(m.days_per_outlet)))
    return out


@dataclass(frozen=True)
class Cost:
    name: Reason  # the row's item
    days: Fraction | None  # None: not in the tariff, the body quotes
    amount: Fraction | None
    why: Reason  # what the row is made of

    label = said("name")

    detail = said("why")

    @property
    def days_text(self) -> str:
        return as_written(self.days) if self.days is not None else say(Reason("fees.days.to_be_set"))

    @property
    def amount_text(self) -> str:
        return yuan(self.amount) if self.amount is not None else say(Reason("fees.amount.to_be_quoted"))


def stage_costs(audit: Audit, tariff: Tariff, band: Band | None, top: Band) -> list[Cost]:
    """One stage's rows: the headcount band (as the tariff prices it), then, with outlets, the sampled
    outlets (an estimate) and the sum."""
    stage, sample, low = audit.name, audit.sample, audit.floor
    rate = exact(tariff.fees.day_rate)
    fees = [(name, exact(getattr(tariff.fees, key))) for name, key in audit.charges]
    fixed = sum(amount for _, amount in fees)
    fee_words = [Reason("fees.fee.amount", {"fee": name, "amount": amount}) for name, amount in fees]
    first = Reason("fees.row.band" if sample.outlets else "fees.row.stage", {"stage": stage})
    if audit.days is not None:
        days = audit.days
        band_cost = Cost(first, days, fixed + days * rate, Reason("fees.detail.band", {
            "band": band.reason, "days": days, "rate": rate, "cost": days * rate, "fees": fee_words,
            "total": fixed + days * rate}))
    else:
        why = (Reason("fees.detail.unpriced.above_table", {"range": top.range_reason}) if band is None
               else Reason("fees.detail.unpriced.missing", {"band": band.reason, "stage": stage}))
        bound = (Reason("fees.detail.unpriced.bound", {"days": low, "rate": rate, "cost": low * rate,
                                                       "fees": fee_words, "total": fixed + low * rate})
                 if low is not None else None)
        band_cost = Cost(first, None, None, Reason("fees.detail.unpriced", {"why": why, "bound": bound}))
    if not sample.outlets:
        return [band_cost]
    outlets = sample.days * rate
    costed = {"each": sample.days_each, "days": sample.days, "rate": rate, "cost": outlets,
              "evidence": tariff.multi_site.evidence}
    rows = [band_cost, Cost(Reason("fees.row.outlets", {"stage": stage, "sample": sample.name_reason}),
                            sample.days, outlets,
                            Reason("fees.detail.outlets.sampled", {"size": sample.size, "rule": sample.rule_reason,
                                                                   **costed}) if sample.outlets > 1
                            else Reason("fees.detail.outlets.single", costed))]
    total = Reason("fees.row.total", {"stage": stage})
    if band_cost.days is not None:
        rows.append(Cost(total, band_cost.days + sample.days, band_cost.amount + outlets,
                         Reason("fees.detail.total", {"band": band_cost.amount, "sample": sample.name_reason,
                                                      "outlets": outlets})))
    else:
        bound = (Reason("fees.detail.total.bound", {"days": low + sample.days,
                                                    "amount": fixed + (low + sample.days) * rate})
                 if low is not None else None)
        rows.append(Cost(total, None, None, Reason("fees.detail.total.unpriced", {
            "sample": sample.name_reason, "outlets": outlets, "bound": bound})))
    return rows
