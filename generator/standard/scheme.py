"""The certification scheme as data: the bodies' tariffs (content/standard/tariffs.yaml) and the
scheme's timings (certification.yaml).

Every rule that spans several values (the table ascends, exactly one default tariff, the steps in
order …) is a validator on the shape, so a wrong edit fails through the one loader
(`bundled.load_data`) as a located Chinese error: file:line [key path].
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, ValidationInfo, field_validator

from generator.paths import STANDARD
from generator.standard.bundled import Data, load_data


class DaysRow(Data):
    max: int
    initial: float
    planning: float
    onsite: float
    surveillance: float
    surveillance_onsite: float
    recert: float | None
    recert_onsite: float | None
    uncertain: bool = False


class Fees(Data):
    application: float
    registration: float
    annual: float
    day_rate: float


class SampleFactors(Data):
    initial: float
    surveillance: float
    recert: float

    @field_validator("initial", "surveillance", "recert")
    @classmethod
    def _a_share(cls, value: float) -> float:
        if not 0 < value <= 1:
            raise ValueError("抽样系数（multi_site.factors）应在 0 到 1 之间")
        return value


class MultiSite(Data):
    days_per_outlet: float
    factors: SampleFactors
    basis: str  # printed: where the sample size comes from
    evidence: str  # printed: 估算
    source: str  # for maintainers


class Tariff(Data):
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

    @field_validator("person_days")
    @classmethod
    def _ascending(cls, rows: list[DaysRow]) -> list[DaysRow]:
        if any(a.max >= b.max for a, b in zip(rows, rows[1:])):
            raise ValueError("person_days 应按员工数上限（max）升序排列")
        for column in ("initial", "surveillance", "recert"):  # the lower bounds above a band rely on it
            values = [getattr(r, column) for r in rows if getattr(r, column) is not None]
            if values != sorted(values):
                raise ValueError(f"{column} 人日应随员工数不减")
        return rows

    @property
    def cited(self) -> str:
        """The issuer and the title, as the documents cite them; the status only where the title does
        not already say it: 全国…委员会《…对照表（试行）》, not 《…（试行）》（…，试行）."""
        status = "" if self.status in self.title else f"（{self.status}）"
        return f"{self.body}《{self.title}》{status}"


def _one_default(tariffs: list[Tariff]) -> list[Tariff]:
    if sum(t.default for t in tariffs) != 1:
        raise ValueError("应有且只有一项 default: true（未指定或未收录的认证机构使用它）")
    return tariffs


Tariffs = Annotated[list[Tariff], AfterValidator(_one_default)]


class Due(Data):
    record: str
    clause: str


class Surveillance(Data):
    count: int  # one in each certificate year before the year of recertification
    cycle_months: tuple[int, int]  # usually the k-th falls in months cycle[0]·k to cycle[1]·k after issue
    leeway_months: tuple[int, int]  # it may come this much earlier or later (the window uses the larger)
    source: str  # for maintainers
    evidence: str  # [C] / [S] / [I]

    @field_validator("cycle_months", "leeway_months")
    @classmethod
    def _ordered(cls, months: tuple[int, int]) -> tuple[int, int]:
        if months[0] > months[1]:
            raise ValueError("月数应写成 [较小, 较大]")
        return months


class OnsiteTeam(Data):
    auditors: tuple[int, int]  # the team on site, fewest to most; the timeline uses the fewest (longest)
    source: str  # for maintainers
    evidence: str  # [C] / [S] / [I]

    @field_validator("auditors")
    @classmethod
    def _team(cls, auditors: tuple[int, int]) -> tuple[int, int]:
        if not 1 <= auditors[0] <= auditors[1]:
            raise ValueError("onsite_team.auditors 应写成 [较少, 较多]，至少 1 人")
        return auditors


STEPS = ("document_review", "onsite_evaluation", "decision")  # in this order after the application


class Scheme(Data):
    minimum_running_months: int
    certificate_years: int
    steps: dict[str, int]
    onsite_team: OnsiteTeam
    surveillance: Surveillance
    recertification_month: int
    due_before_surveillance: list[Due]

    @property
    def recertification_ahead(self) -> int:
        """Months before the certificate expires that recertification is applied for."""
        return 12 * self.certificate_years - self.recertification_month

    @field_validator("steps")
    @classmethod
    def _in_order(cls, steps: dict[str, int]) -> dict[str, int]:
        days = [steps.get(key) for key in STEPS]
        if None in days or not 0 <= days[0] < days[1] < days[2]:
            raise ValueError("steps 应依次为 document_review < onsite_evaluation < decision"
                             "（现场评价在文件评审之后，评定发证在现场评价之后）")
        return steps

    @field_validator("surveillance")
    @classmethod
    def _each_year(cls, surveillance: Surveillance, info: ValidationInfo) -> Surveillance:
        years = info.data.get("certificate_years")
        if years is not None and surveillance.count != years - 1:
            raise ValueError("surveillance.count 应为证书有效年数（certificate_years）减 1（最后一年复评）")
        return surveillance

    @field_validator("recertification_month")
    @classmethod
    def _before_expiry(cls, month: int, info: ValidationInfo) -> int:
        years, surveillance = info.data.get("certificate_years"), info.data.get("surveillance")
        if years is not None and surveillance is not None and not surveillance.count * 12 <= month < years * 12:
            raise ValueError("recertification_month 应在最后一次监督评审之后、证书到期之前")
        return month


@functools.lru_cache(maxsize=2)
def load_tariffs(folder: Path = STANDARD) -> tuple[Tariff, ...]:
    return tuple(load_data(folder / "tariffs.yaml", Tariffs, "tariffs", what="收费标准数据文件"))


@functools.lru_cache(maxsize=2)
def load_scheme(folder: Path = STANDARD) -> Scheme:
    return load_data(folder / "certification.yaml", Scheme, what="认证方案数据文件")
