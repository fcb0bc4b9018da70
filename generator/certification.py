"""The certification plan: eligibility pre-check, person-days and fees, and the timeline. Pure.

Tariffs (content/standard/tariffs.yaml) and scheme timings (certification.yaml) are data; this
module only looks them up for the company.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .errors import CatalogueError
from .paths import STANDARD
from .profile import Profile
from .yamlload import load_yaml_file


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
    multi_site_days_per_outlet: float
    person_days: list[DaysRow]


class Due(_Data):
    record: str
    clause: str


class Scheme(_Data):
    minimum_running_months: int
    certificate_years: int
    steps: dict[str, int]
    surveillance_months: list[int]
    recertification_month: int
    due_before_surveillance: list[Due]


@functools.lru_cache(maxsize=2)
def load_tariffs(folder: Path = STANDARD) -> tuple[Tariff, ...]:
    data = load_yaml_file(folder / "tariffs.yaml", error=CatalogueError).data
    tariffs = tuple(Tariff.model_validate(t) for t in data["tariffs"])
    if sum(t.default for t in tariffs) != 1:
        raise CatalogueError("tariffs.yaml 应有且只有一项 default: true")
    return tariffs


@functools.lru_cache(maxsize=2)
def load_scheme(folder: Path = STANDARD) -> Scheme:
    return Scheme.model_validate(load_yaml_file(folder / "certification.yaml", error=CatalogueError).data)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Check:
    item: str
    ok: bool
    detail: str
    rule: str  # the clause or scheme rule it checks


@dataclass(frozen=True)
class Cost:
    label: str
    days: float | None
    amount: float | None
    detail: str


@dataclass(frozen=True)
class Milestone:
    label: str
    start: dt.date
    end: dt.date
    note: str


@dataclass(frozen=True)
class Plan:
    tariff: Tariff
    days: DaysRow
    outlets: int
    extra_days: float
    costs: list[Cost]
    checks: list[Check]
    earliest_application: dt.date
    milestones: list[Milestone]
    due_records: list[Due]

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


def days_for(employees: int, tariff: Tariff) -> DaysRow:
    for row in tariff.person_days:
        if employees <= row.max:
            return row
    return tariff.person_days[-1]  # the table ends at its largest band; beyond it, days are set case by case


def plan_certification(profile: Profile) -> Plan:
    tariff, scheme = tariff_for(profile), load_scheme()
    c = profile.certification
    days = days_for(profile.company.employees, tariff)
    outlets = len(profile.resources.outlets)
    extra = outlets * tariff.multi_site_days_per_outlet
    fees, rate = tariff.fees, tariff.fees.day_rate
    initial_days = days.initial + extra
    costs = [
        Cost("初次认证", initial_days, fees.application + fees.registration + fees.annual + initial_days * rate,
             f"申请费 {fees.application:,.0f} + 审定与注册费 {fees.registration:,.0f} + 首年年金 {fees.annual:,.0f}"
             f" + 评审 {initial_days:g} 人日 × {rate:,.0f}（含 {outlets} 个网点各 {tariff.multi_site_days_per_outlet:g} 人日，估计）"),
        Cost("每年监督评审", days.surveillance, fees.annual + days.surveillance * rate,
             f"年金 {fees.annual:,.0f} + 评审 {days.surveillance:g} 人日 × {rate:,.0f}"),
    ]
    if days.recert is not None:
        recert_days = days.recert + extra
        costs.append(Cost("再认证（复评）", recert_days, fees.registration + recert_days * rate,
                          f"审定与注册费 {fees.registration:,.0f} + 评审 {recert_days:g} 人日 × {rate:,.0f}（含网点，估计）"))
    else:
        costs.append(Cost("再认证（复评）", None, None, "该人数档的复评人日在来源表中缺失，需向认证机构询价"))

    earliest = add_months(c.system_start, scheme.minimum_running_months)
    checks = _checks(profile, scheme, earliest)
    application = max(c.planned_application, earliest)
    steps = scheme.steps
    decision = application + dt.timedelta(days=steps["decision"])
    milestones = [
        Milestone("体系试运行", c.system_start, earliest, f"运行满 {scheme.minimum_running_months} 个月"),
        Milestone("提交申请", application, application, "申请书及申请材料"),
        Milestone("文件评审", application, application + dt.timedelta(days=steps["document_review"]), "受理、签订合同、文件评审"),
        Milestone("现场评价", application + dt.timedelta(days=steps["onsite_evaluation"]) - dt.timedelta(days=days.onsite),
                  application + dt.timedelta(days=steps["onsite_evaluation"]), f"现场 {days.onsite:g} 人日，打分并提出整改要求"),
        Milestone("评定发证", application + dt.timedelta(days=steps["onsite_evaluation"]), decision, "评审委员会批准，颁发证书"),
    ]
    for n, months in enumerate(scheme.surveillance_months, 1):
        when = add_months(decision, months)
        milestones.append(Milestone(f"第 {n} 次监督评审", when - dt.timedelta(days=30), when,
                                    f"{days.surveillance:g} 人日；此前备齐年度记录"))
    recert = add_months(decision, scheme.recertification_month)
    milestones.append(Milestone("再认证（复评）", recert, add_months(decision, 12 * scheme.certificate_years),
                                f"证书 {scheme.certificate_years} 年有效，到期前申请复评"))
    return Plan(tariff, days, outlets, extra, costs, checks, earliest, milestones, scheme.due_before_surveillance)


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
              f"认证方案：体系运行满 {scheme.minimum_running_months} 个月"),
        Check("售后服务管理师", managers > 0,
              f"持证管理师 {managers} 名" if managers else "没有持证售后服务管理师：5.1.2.2（5 分）得 0 分，且多数认证机构将其作为申请条件",
              "GB/T 27922-2011 5.1.2.2"),
        Check("专项经费", profile.resources.special_fund > 0,
              f"专项经费 {profile.resources.special_fund:g} 万元" if profile.resources.special_fund > 0
              else "未预备专项经费", "GB/T 27922-2011 5.1.3.1"),
        Check("近期无重大质量或服务事故", not law,
              "自查未发现违反法律法规的事项" if not law else f"自查发现 {len(law)} 项违反法律法规的事项，须整改后再申请",
              "申请条件：近期无重大质量、服务事故"),
        Check("行政许可", not (licence and licence.status == "missing"),
              "法律要求的许可证已提供或不适用" if not (licence and licence.status == "missing")
              else "法律要求的生产或服务许可证尚缺（材料 M02）", "申请条件：依法取得行政许可"),
    ]
