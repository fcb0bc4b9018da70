"""The state of each application material for one company (pure)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from generator.assess.facts import Facts
from generator.profile.schema import Profile
from generator.standard.catalogue import Catalogue, Material

STATUS = {"provided": "已提供", "missing": "缺失", "not_applicable": "不适用"}
GENERATED = "生成"
EXPIRED = "已过期"


@dataclass(frozen=True)
class MaterialLine:
    material: Material
    status: str  # 生成 / 已提供 / 缺失 / 不适用 / 已过期 / 可选
    note: str
    document: str | None  # key of the generated document, when produced by this tool
    owner: str = ""
    due: dt.date | None = None


def material_lines(profile: Profile, catalogue: Catalogue, facts: Facts,
                   filenames: dict[str, str] | None = None) -> list[MaterialLine]:
    """Each material's status; `filenames` maps document keys to the DOCX that holds a generated one."""
    declared = profile.readiness.materials
    planned = profile.certification.planned_application
    default_due = facts.default_due
    lead = profile.organisation.aftersales_lead.name
    repair = catalogue.with_fact("repair")  # materials that apply with repair service (applies: repair)
    filenames = filenames or {}
    out = []
    for line in _lines(profile, catalogue, facts, declared, planned, repair, filenames):
        entry = declared.get(line.material.id)
        if line.status in ("缺失", "已过期", "可选"):
            owner = entry.owner if entry and entry.owner else lead
            due = entry.due if entry and entry.due else default_due
            line = replace(line, owner=owner, due=due)
        else:
            line = replace(line, owner=(entry.owner if entry and entry.owner else "—"))
        out.append(line)
    return out


def _lines(profile, catalogue, facts, declared, planned, repair, filenames):
    out = []
    for m in catalogue.materials:
        entry = declared.get(m.id)
        if m.applies == "certificates" and not profile.company.certificates:
            out.append(MaterialLine(m, STATUS["not_applicable"], "企业尚无已获证书", None))
        elif m.applies == "repair" and facts.excluded_reason(repair) is not None:
            out.append(MaterialLine(m, STATUS["not_applicable"], "维修服务已删减", None))
        elif m.produced_by:
            where = filenames.get(m.produced_by, "")
            note = "由本工具生成：" + "　".join(x for x in (where, m.section or "") if x) if where else "由本工具生成"
            out.append(MaterialLine(m, GENERATED, note, m.produced_by))
        elif entry is None:
            status = "可选" if m.applies == "optional" else STATUS["missing"]
            out.append(MaterialLine(m, status, "企业档案未说明准备情况", None))
        elif entry.expires is not None and entry.expires < planned:
            out.append(MaterialLine(m, EXPIRED, f"有效期至 {entry.expires.isoformat()}，早于计划申请日期", None))
        else:
            out.append(MaterialLine(m, STATUS[entry.status], entry.note or "", None))
    return out


COUNT_ORDER = (GENERATED, STATUS["provided"], STATUS["missing"], EXPIRED, STATUS["not_applicable"], "可选")


def counts(lines: list[MaterialLine]) -> dict[str, int]:
    return {name: sum(1 for l in lines if l.status == name) for name in COUNT_ORDER}
