"""The certification plan: eligibility pre-check, person-days and fees, and the timeline. Pure.

Tariffs (content/standard/tariffs.yaml) and scheme timings (certification.yaml) are data; this
module only looks them up for the company. Person-days and money are exact (Fraction: the table's
halves add up exactly) and are shown as the documents print them (`days_text`, `amount_text`).

- The tariff's headcount band is costed apart from the outlets, so the table reads as the published
  example does (1,200 staff: 16 person-days × 3,000 + 1,000 + 2,000 + 2,000 = 53,000 元).
- Outlets are sampled, not all visited: ⌈factor × √n⌉ outlets (tariffs.yaml `multi_site`), each at
  the tariff's person-days per outlet, an estimate.
- Above the table's largest band there are no days: the body sets them and quotes. Only a lower
  bound is given ("不少于"), the largest value of the table's column (the table never decreases).
- Each surveillance is a window (certification.yaml `surveillance`), earliest to latest.
- The initial on-site evaluation follows the document review: its person-days (the band's on-site
  days plus the sampled outlets) are working days for a team of auditors (certification.yaml
  `onsite_team`, an inference), laid out Monday to Friday to end by the scheme's day; where they do
  not fit after the review they end later, and the certificate moves by as many days.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from generator.assess.score import exact
from generator.standard.bundled import load_data
from generator.assess.dates import add_months
from generator.errors import CatalogueError
from generator.paths import STANDARD
from generator.profile.schema import Profile


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DaysRow(_Data):
    max: int
    initial: float
    planning: float
    onsite: float
    surveillance: float
    surveillance_onsite: float
    recert: float | None
    recert_onsite: float | None
    uncertain: bool = False


class Fees(_Data):
    application: float
    registration: float
    annual: float
    day_rate: float


class SampleFactors(_Data):
    initial: float
    surveillance: float
    recert: float


class MultiSite(_Data):
    days_per_outlet: float
    factors: SampleFactors
    basis: str  # printed: where the sample size comes from
    evidence: str  # printed: 估算
    source: str  # for maintainers


class Tariff(_Data):
    id: str
    default: bool = False
    body: str
    matches: list[str]
    title: str
    status: str
    source: str  # where the table was read, for maintainers (not printed in the documents)
    retrieved: dt.date
    note: str  # how the source was read, for maintainers (not printed in the documents)
    fees: Fees
    multi_site: MultiSite
    person_days: list[DaysRow]

    @property
    def cited(self) -> str:
        """The issuer and the title, as the documents cite them; the status only where the title does
        not already say it: 全国…委员会《…对照表（试行）》, not 《…（试行）》（…，试行）."""
        status = "" if self.status in self.title else f"（{self.status}）"
        return f"{self.body}《{self.title}》{status}"


class Due(_Data):
    record: str
    clause: str


class Surveillance(_Data):
    count: int  # one in each certificate year before the year of recertification
    cycle_months: tuple[int, int]  # usually the k-th falls in months cycle[0]·k to cycle[1]·k after issue
    leeway_months: tuple[int, int]  # it may come this much earlier or later (the window uses the larger)
    source: str  # for maintainers
    evidence: str  # [C] / [S] / [I]


class OnsiteTeam(_Data):
    auditors: tuple[int, int]  # the team on site, fewest to most; the timeline uses the fewest (longest)
    source: str  # for maintainers
    evidence: str  # [C] / [S] / [I]


class Scheme(_Data):
    minimum_running_months: int
    certificate_years: int
    steps: dict[str, int]
    onsite_team: OnsiteTeam
    surveillance: Surveillance
    recertification_month: int
    due_before_surveillance: list[Due]


@functools.lru_cache(maxsize=2)
def load_tariffs(folder: Path = STANDARD) -> tuple[Tariff, ...]:
    tariffs = tuple(load_data(folder / "tariffs.yaml", list[Tariff], "tariffs", what="收费标准数据文件"))
    if sum(t.default for t in tariffs) != 1:
        raise CatalogueError("tariffs.yaml 应有且只有一项 default: true")
    for tariff in tariffs:
        rows = tariff.person_days
        if any(a.max >= b.max for a, b in zip(rows, rows[1:])):
            raise CatalogueError(f"tariffs.yaml {tariff.id}：person_days 应按员工数上限升序排列")
        for column in ("initial", "surveillance", "recert"):  # the lower bounds above a band rely on it
            values = [getattr(r, column) for r in rows if getattr(r, column) is not None]
            if values != sorted(values):
                raise CatalogueError(f"tariffs.yaml {tariff.id}：{column} 人日应随员工数不减")
        factors = tariff.multi_site.factors
        if not all(0 < f <= 1 for f in (factors.initial, factors.surveillance, factors.recert)):
            raise CatalogueError(f"tariffs.yaml {tariff.id}：multi_site.factors 应在 0 到 1 之间")
    return tariffs


@functools.lru_cache(maxsize=2)
def load_scheme(folder: Path = STANDARD) -> Scheme:
    scheme = load_data(folder / "certification.yaml", Scheme, what="认证方案数据文件")
    s = scheme.surveillance
    if s.count != scheme.certificate_years - 1:
        raise CatalogueError("certification.yaml：surveillance.count 应为证书有效年数减 1（最后一年复评）")
    if not (s.count * 12 <= scheme.recertification_month < scheme.certificate_years * 12):
        raise CatalogueError("certification.yaml：recertification_month 应在最后一次监督评审之后、证书到期之前")
    if not (s.cycle_months[0] <= s.cycle_months[1] and s.leeway_months[0] <= s.leeway_months[1]):
        raise CatalogueError("certification.yaml：surveillance 的月数应写成 [较小, 较大]")
    steps = [scheme.steps.get(key) for key in ("document_review", "onsite_evaluation", "decision")]
    if None in steps or not 0 <= steps[0] < steps[1] < steps[2]:
        raise CatalogueError("certification.yaml：steps 应依次为 document_review < onsite_evaluation < decision"
                             "（现场评价在文件评审之后，评定发证在现场评价之后）")
    fewest, most = scheme.onsite_team.auditors
    if not 1 <= fewest <= most:
        raise CatalogueError("certification.yaml：onsite_team.auditors 应写成 [较少, 较多]，至少 1 人")
    return scheme


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


# --- exact numbers, shown as the documents print them ------------------------------------------
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
    the table gives for a smaller headcount. The table never decreases (load_tariffs checks it)."""
    values = [exact(getattr(r, column)) for r in tariff.person_days
              if r.max < employees and getattr(r, column) is not None]
    return max(values, default=None)


# --- the plan ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    item: str
    ok: bool
    detail: str
    rule: str  # the clause or scheme rule it checks
    key: tuple = ()  # where in the profile to change it, for a located warning


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


STAGES = (  # key in the tariff row and in multi_site.factors, label, fees charged with the days
    ("initial", "初次认证", (("申请费", "application"), ("审定与注册费", "registration"), ("首年年金", "annual"))),
    ("surveillance", "每年监督评审", (("年金", "annual"),)),
    ("recert", "再认证（复评）", (("审定与注册费", "registration"),)),
)


@dataclass(frozen=True)
class Plan:
    tariff: Tariff
    scheme: Scheme
    employees: int
    band: Band | None  # None: above the table's largest band
    top: Band  # the table's largest band
    outlets: int
    samples: dict[str, Sample]  # by stage: initial, surveillance, recert
    costs: list[Cost]
    checks: list[Check]
    earliest_application: dt.date
    onsite: OnSite
    issued: dt.date  # the certificate, as planned
    expiry: dt.date
    milestones: list[Milestone]
    due_records: list[Due]

    @property
    def days(self) -> DaysRow | None:
        return self.band.row if self.band else None

    @property
    def beyond(self) -> bool:
        """More staff than the table's largest band: it does not cover them."""
        return self.band is None

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


def tariff_for(profile: Profile) -> Tariff:
    tariffs = load_tariffs()
    body = profile.certification.certification_body or ""
    for tariff in tariffs:
        if any(word in body for word in tariff.matches):
            return tariff
    return next(t for t in tariffs if t.default)


def _stage_costs(stage: str, label: str, charges, tariff: Tariff, employees: int, band: Band | None,
                 top: Band, sample: Sample) -> list[Cost]:
    """One stage's rows: the headcount band (as the tariff prices it), then, with outlets, the sampled
    outlets (an estimate) and the sum."""
    rate = exact(tariff.fees.day_rate)
    fees = [(name, exact(getattr(tariff.fees, key))) for name, key in charges]
    fixed = sum(amount for _, amount in fees)
    fee_words = "、".join(f"{name} {yuan(amount)}" for name, amount in fees)
    days = exact(getattr(band.row, stage)) if band and getattr(band.row, stage) is not None else None
    rows = []
    if days is not None:
        rows.append(Cost(f"{label}：人数档" if sample.outlets else label, days, fixed + days * rate,
                         f"{band.text}：评审 {as_written(days)} 人日 × {yuan(rate)} = {yuan(days * rate)}，"
                         f"加{fee_words}，共 {yuan(fixed + days * rate)}"))
    else:
        why = (f"超出表中最高一档（{top.range}），没有对应的人日数" if band is None
               else f"来源表中 {band.text}的{label}人日缺失")
        low = floor_days(employees, tariff, stage)
        bound = (f"；下限：按表中已列的最大人日 {as_written(low)} 计，不少于 {as_written(low)} × {yuan(rate)} = "
                 f"{yuan(low * rate)}，加{fee_words}，不少于 {yuan(fixed + low * rate)}" if low is not None else "")
        rows.append(Cost(f"{label}：人数档" if sample.outlets else label, None, None,
                         f"{why}，人日和评审费由认证机构核定报价{bound}"))
    if not sample.outlets:
        return rows
    m = tariff.multi_site
    rows.append(Cost(f"{label}：{sample.name}（估算）", sample.days, sample.days * rate,
                     f"{sample.what}{'' if sample.outlets > 1 else ' '}× {as_written(sample.days_each)} 人日 = "
                     f"{as_written(sample.days)} 人日 × {yuan(rate)} = {yuan(sample.days * rate)}，{m.evidence}"))
    band_cost = rows[0]
    if band_cost.days is not None:
        rows.append(Cost(f"{label}合计", band_cost.days + sample.days, band_cost.amount + sample.days * rate,
                         f"人数档 {yuan(band_cost.amount)} + {sample.name} {yuan(sample.days * rate)}（估算）"))
    else:
        low = floor_days(employees, tariff, stage)
        rows.append(Cost(f"{label}合计", None, None,
                         f"人数档待报价 + {sample.name} {yuan(sample.days * rate)}（估算）" + (
                             f"；下限：不少于 {as_written(low + sample.days)} 人日、"
                             f"{yuan(fixed + (low + sample.days) * rate)}" if low is not None else "")))
    return rows


def plan_certification(profile: Profile) -> Plan:
    tariff, scheme = tariff_for(profile), load_scheme()
    c = profile.certification
    employees = profile.company.employees
    band, top = band_for(employees, tariff), bands(tariff)[-1]
    outlets = len(profile.resources.outlets)
    m = tariff.multi_site
    samples = {stage: Sample(outlets, exact(getattr(m.factors, stage)), exact(m.days_per_outlet))
               for stage, _, _ in STAGES}
    costs = [cost for stage, label, charges in STAGES
             for cost in _stage_costs(stage, label, charges, tariff, employees, band, top, samples[stage])]

    earliest = add_months(c.system_start, scheme.minimum_running_months)
    checks = _checks(profile, scheme, earliest)
    application = max(c.planned_application, earliest)
    steps = scheme.steps
    reviewed = application + dt.timedelta(days=steps["document_review"])
    onsite = _onsite(scheme, application, band or top, band is None, samples["initial"])
    # a late on-site evaluation leaves the scheme's time for corrections and approval: the certificate moves too
    decision = application + dt.timedelta(days=steps["decision"] + onsite.late)
    expiry = add_months(decision, 12 * scheme.certificate_years) - dt.timedelta(days=1)

    def audit(stage: str) -> str:
        """An audit's person-days for a milestone's note: the band's, plus the outlets sampled."""
        days = getattr(band.row, stage) if band else None
        bound = floor_days(employees, tariff, stage)
        sample = samples[stage]
        outlets = f"{sample.name} {as_written(sample.days)} 人日（估算）" if sample.outlets else ""
        if days is not None:
            return f"{as_written(exact(days))} 人日" + (f" + {outlets}" if outlets else "")
        text = f"人数档不少于 {as_written(bound)} 人日（由认证机构核定）" if bound is not None else "人数档人日由认证机构核定"
        return text + (f"，另加{outlets}" if outlets else "")

    milestones = [
        Milestone("体系试运行", c.system_start, earliest, f"运行满 {scheme.minimum_running_months} 个月"),
        Milestone("提交申请", application, application, "申请书及申请材料"),
        Milestone("文件评审", application, reviewed, "受理、签订合同、文件评审"),
        Milestone("现场评价", onsite.start, onsite.end, _onsite_note(onsite, band or top, samples["initial"], steps)),
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
        milestones.append(Milestone(
            f"第 {k} 次监督评审", earliest_k, latest_k,
            f"时间窗：通常在发证后第 {low * k}–{high * k} 个月，可提前或推后 {lead_min}–{lead_max} 个月，"
            f"须在证书第 {k} 年内完成；{audit('surveillance')}；此前备齐年度记录"))
    ahead = 12 * scheme.certificate_years - scheme.recertification_month
    milestones.append(Milestone(
        "再认证（复评）", add_months(decision, scheme.recertification_month), expiry,
        f"证书 {scheme.certificate_years} 年有效（至 {expiry.isoformat()}），到期前 {ahead} 个月申请复评，"
        f"到期前完成；{audit('recert')}"))
    return Plan(tariff, scheme, employees, band, top, outlets, samples, costs, checks, earliest, onsite, decision,
                expiry, milestones, scheme.due_before_surveillance)


def _onsite(scheme: Scheme, application: dt.date, band: Band, beyond: bool, sample: Sample) -> OnSite:
    """The initial on-site evaluation, in working days for the smallest team: ending by the scheme's
    day, but never starting before the document review ends (then it ends later instead)."""
    steps, (fewest, most) = scheme.steps, scheme.onsite_team.auditors
    person_days = exact(band.row.onsite) + sample.days  # above the table: its largest band, a lower bound
    workdays = (max(1, math.ceil(person_days / most)), max(1, math.ceil(person_days / fewest)))
    reviewed = application + dt.timedelta(days=steps["document_review"])
    due = application + dt.timedelta(days=steps["onsite_evaluation"])
    start, end = workdays_until(due, workdays[1])
    if start < reviewed:  # too many days to fit after the review: start when it ends, finish later
        start, end = workdays_from(reviewed, workdays[1])
    return OnSite(person_days, beyond, (fewest, most), workdays, start, end, max(0, (end - due).days))


def _onsite_note(onsite: OnSite, band: Band, sample: Sample, steps: dict[str, int]) -> str:
    """The on-site milestone's note: its person-days, then the working days they take and which are scheduled."""
    def days(value: Fraction, where: str) -> str:  # "现场 12 人日", "现场不少于 22 人日"
        return f"{where}{'不少于 ' if onsite.at_least else ' '}{as_written(value)} 人日"

    text = days(exact(band.row.onsite), "现场") + ("（由认证机构核定）" if onsite.at_least else "")
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


def _checks(profile: Profile, scheme: Scheme, earliest: dt.date) -> list[Check]:
    c = profile.certification
    managers = len(profile.staff.certified_managers)
    law = [d for d in profile.readiness.special_deductions if d.kind == "法律法规"]
    licence = profile.readiness.materials.get("M02")
    return [
        Check("独立法人", True, f"统一社会信用代码 {profile.company.credit_code} 校验通过，法定代表人"
              f"{profile.company.legal_representative}", "申请条件：独立法人、在中国境内依法经营"),
        Check("体系运行满 3 个月", c.planned_application >= earliest,
              f"体系自 {c.system_start.isoformat()} 运行，最早可于 {earliest.isoformat()} 申请"
              + ("" if c.planned_application >= earliest else
                 f"；计划申请日期 {c.planned_application.isoformat()} 过早，请推迟到 {earliest.isoformat()} 或以后"),
              f"认证方案：体系运行满 {scheme.minimum_running_months} 个月", key=("certification", "planned_application")),
        Check("售后服务管理师", managers > 0,
              f"持证管理师 {managers} 名" if managers else "没有持证售后服务管理师：5.1.2.2（5 分）得 0 分，且多数认证机构将其作为申请条件",
              "GB/T 27922-2011 5.1.2.2", key=("staff", "certified_managers")),
        Check("专项经费", profile.resources.special_fund > 0,
              f"专项经费 {profile.resources.special_fund:g} 万元" if profile.resources.special_fund > 0
              else "未预备专项经费", "GB/T 27922-2011 5.1.3.1", key=("resources", "special_fund")),
        Check("近期无重大质量或服务事故", not law,
              "自查未发现违反法律法规的事项" if not law else f"自查发现 {len(law)} 项违反法律法规的事项，须整改后再申请",
              "申请条件：近期无重大质量、服务事故", key=("readiness", "special_deductions")),
        Check("行政许可", not (licence and licence.status == "missing"),
              "法律要求的许可证已提供或不适用" if not (licence and licence.status == "missing")
              else "法律要求的生产或服务许可证尚缺（材料 M02）", "申请条件：依法取得行政许可", key=("readiness", "materials", "M02")),
    ]
