"""Person-days and fees of each audit, from the body's tariff (content/standard/tariffs.yaml). Pure.

Person-days and money are exact (Fraction: the table's halves add up exactly) and are shown as the
documents print them (`as_written`, `yuan`).

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


def as_written(value: Fraction | int) -> str:
    """Person-days or a factor as written: 16, 16.5, 0.6 (not 16.0 or 33/2)."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    digits = 0
    while (value * 10 ** digits).denominator != 1 and digits < 4:
        digits += 1
    return f"{float(value):.{digits}f}".rstrip("0").rstrip(".")


def yuan(value: Fraction | int) -> str:
    """Money to the yuan with thousands separators, halves rounded up: 53,000."""
    return f"{math.floor(Fraction(value) + Fraction(1, 2)):,}"


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
    def rule(self) -> str:
        """The rule in words: "√300 向上取整", "0.6×√300 向上取整", "√2 向上取整，即全部网点"."""
        root = f"√{self.outlets}" if self.factor == 1 else f"{as_written(self.factor)}×√{self.outlets}"
        return f"{root} 向上取整" + ("，即全部网点" if self.size == self.outlets else "")

    @property
    def name(self) -> str:
        """What the outlets' row is called: a sample of several, or the one outlet there is."""
        return "网点抽查" if self.outlets > 1 else "网点评审"

    @property
    def what(self) -> str:
        """The outlets audited, in words: "抽查 3 个网点（√6 向上取整）"; the one outlet is not sampled."""
        return f"抽查 {self.size} 个网点（{self.rule}）" if self.outlets > 1 else "评审唯一的 1 个网点"


@dataclass(frozen=True)
class Band:
    """A row of the tariff's person-day table with its headcount range."""
    low: int
    high: int
    row: DaysRow

    @property
    def range(self) -> str:
        return f"{self.low:,}–{self.high:,} 人"

    @property
    def text(self) -> str:
        return f"{self.range}档"


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


STAGES = (  # key in the tariff row and in multi_site.factors, its on-site column, label, fees charged with the days
    ("initial", "onsite", "初次认证", (("申请费", "application"), ("审定与注册费", "registration"), ("首年年金", "annual"))),
    ("surveillance", "surveillance_onsite", "每年监督评审", (("年金", "annual"),)),
    ("recert", "recert_onsite", "再认证（复评）", (("审定与注册费", "registration"),)),
)


@dataclass(frozen=True)
class Audit:
    """One stage's person-days, worked out once: the headcount band's (or, where the table gives none,
    a lower bound) and the sampled outlets'."""
    stage: str  # initial / surveillance / recert
    label: str
    charges: tuple[tuple[str, str], ...]  # (name, key in the tariff's fees) charged with the days
    days: Fraction | None  # the band's person-days; None: the body sets them (above the table, or missing)
    floor: Fraction | None  # where `days` is None: the largest the table gives for fewer staff
    onsite: Fraction | None  # the band's on-site days (above the table: the largest band's, a lower bound)
    sample: Sample

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
    for stage, onsite_column, label, charges in STAGES:
        days = getattr(band.row, stage) if band else None
        onsite = getattr((band or top).row, onsite_column)
        out[stage] = Audit(stage, label, charges, exact(days) if days is not None else None,
                           floor_days(employees, tariff, stage) if days is None else None,
                           exact(onsite) if onsite is not None else None,
                           Sample(outlets, exact(getattr(m.factors, stage)), exact(m.days_per_outlet)))
    return out


@dataclass(frozen=True)
class Cost:
    label: str
    days: Fraction | None  # None: not in the tariff, the body quotes
    amount: Fraction | None
    detail: str

    @property
    def days_text(self) -> str:
        return as_written(self.days) if self.days is not None else "待核定"

    @property
    def amount_text(self) -> str:
        return yuan(self.amount) if self.amount is not None else "待报价"


def stage_costs(audit: Audit, tariff: Tariff, band: Band | None, top: Band) -> list[Cost]:
    """One stage's rows: the headcount band (as the tariff prices it), then, with outlets, the sampled
    outlets (an estimate) and the sum."""
    label, sample, low = audit.label, audit.sample, audit.floor
    rate = exact(tariff.fees.day_rate)
    fees = [(name, exact(getattr(tariff.fees, key))) for name, key in audit.charges]
    fixed = sum(amount for _, amount in fees)
    fee_words = "、".join(f"{name} {yuan(amount)}" for name, amount in fees)
    first = f"{label}：人数档" if sample.outlets else label
    if audit.days is not None:
        days = audit.days
        band_cost = Cost(first, days, fixed + days * rate,
                         f"{band.text}：评审 {as_written(days)} 人日 × {yuan(rate)} = {yuan(days * rate)}，"
                         f"加{fee_words}，共 {yuan(fixed + days * rate)}")
    else:
        why = (f"超出表中最高一档（{top.range}），没有对应的人日数" if band is None
               else f"来源表中 {band.text}的{label}人日缺失")
        bound = (f"；下限：按表中已列的最大人日 {as_written(low)} 计，不少于 {as_written(low)} × {yuan(rate)} = "
                 f"{yuan(low * rate)}，加{fee_words}，不少于 {yuan(fixed + low * rate)}" if low is not None else "")
        band_cost = Cost(first, None, None, f"{why}，人日和评审费由认证机构核定报价{bound}")
    if not sample.outlets:
        return [band_cost]
    outlets = sample.days * rate
    rows = [band_cost, Cost(f"{label}：{sample.name}（估算）", sample.days, outlets,
                            f"{sample.what}{'' if sample.outlets > 1 else ' '}× {as_written(sample.days_each)} 人日 = "
                            f"{as_written(sample.days)} 人日 × {yuan(rate)} = {yuan(outlets)}，{tariff.multi_site.evidence}")]
    if band_cost.days is not None:
        rows.append(Cost(f"{label}合计", band_cost.days + sample.days, band_cost.amount + outlets,
                         f"人数档 {yuan(band_cost.amount)} + {sample.name} {yuan(outlets)}（估算）"))
    else:
        rows.append(Cost(f"{label}合计", None, None,
                         f"人数档待报价 + {sample.name} {yuan(outlets)}（估算）" + (
                             f"；下限：不少于 {as_written(low + sample.days)} 人日、"
                             f"{yuan(fixed + (low + sample.days) * rate)}" if low is not None else "")))
    return rows
