"""The eligibility pre-check before applying for certification: each condition, met or not, with where
in the profile to change it. Pure."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.profile.model import Profile
from generator.standard.catalogue import Catalogue
from generator.standard.scheme import Scheme


@dataclass(frozen=True)
class Check:
    item: str
    ok: bool
    detail: str
    rule: str  # the clause or scheme rule it checks
    key: tuple = ()  # where in the profile to change it, for a located warning


def checks(profile: Profile, catalogue: Catalogue, scheme: Scheme, earliest: dt.date) -> list[Check]:
    """Every condition, in the order the application form lists them."""
    c = profile.certification
    standard = catalogue.info.id
    managers_clause, budget_clause = catalogue.with_fact("managers"), catalogue.with_fact("budget")
    managers = len(profile.staff.certified_managers)
    law = [d for d in profile.readiness.special_deductions if d.kind == "法律法规"]
    licence_material = catalogue.material("licence")
    licence = profile.readiness.materials.get(licence_material.id)
    licence_missing = licence is not None and licence.status == "missing"
    return [
        Check("独立法人", True, f"统一社会信用代码 {profile.company.credit_code} 校验通过，法定代表人"
              f"{profile.company.legal_representative}", "申请条件：独立法人、在中国境内依法经营"),
        Check(f"体系运行满 {scheme.minimum_running_months} 个月", c.planned_application >= earliest,
              f"体系自 {c.system_start.isoformat()} 运行，最早可于 {earliest.isoformat()} 申请"
              + ("" if c.planned_application >= earliest else
                 f"；计划申请日期 {c.planned_application.isoformat()} 过早，请推迟到 {earliest.isoformat()} 或以后"),
              f"认证方案：体系运行满 {scheme.minimum_running_months} 个月", key=("certification", "planned_application")),
        Check("售后服务管理师", managers > 0,
              f"持证管理师 {managers} 名" if managers else
              f"没有持证售后服务管理师：{managers_clause.id}（{managers_clause.points:g} 分）得 0 分，且多数认证机构将其作为申请条件",
              f"{standard} {managers_clause.id}", key=("staff", "certified_managers")),
        Check("专项经费", profile.resources.special_fund > 0,
              f"专项经费 {profile.resources.special_fund:g} 万元" if profile.resources.special_fund > 0
              else "未预备专项经费", f"{standard} {budget_clause.id}", key=("resources", "special_fund")),
        Check("近期无重大质量或服务事故", not law,
              "自查未发现违反法律法规的事项" if not law else f"自查发现 {len(law)} 项违反法律法规的事项，须整改后再申请",
              "申请条件：近期无重大质量、服务事故", key=("readiness", "special_deductions")),
        Check("行政许可", not licence_missing,
              "法律要求的许可证已提供或不适用" if not licence_missing
              else f"法律要求的生产或服务许可证尚缺（材料 {licence_material.id}）", "申请条件：依法取得行政许可",
              key=("readiness", "materials", licence_material.id)),
    ]
