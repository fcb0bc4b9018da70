"""Consistency lint: things in a valid profile that contradict each other or the standard.

`aftersales check` prints them as warnings; with `--strict` they are errors (exit 2).
"""
from __future__ import annotations

import re

from .assess import required_managers
from .errors import Problem
from .profile import Profile
from .standard import Catalogue
from .yamlload import Loaded, format_path

_HOURS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:个)?小时")
_DAYS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:个工作日|日|天)内")
# 部 followed by 分 / 件 / 位 / 署 / 品 is a word of its own (部分, 部件, 部位, 部署, 部品), not a department
_DEPARTMENT = re.compile(r"([\u4e00-\u9fff]{1,6})(部(?![分件位署品])|中心|办公室)")
_VERBS = ("配合", "协助", "会同", "通知", "报告", "提交", "交由", "转交", "由", "向", "与", "和", "及")
# 内部、外部、全部、局部、各部、底部、上部 …: a place or an extent, never a department (组织内部评审)
_NOT_A_DEPARTMENT_BEFORE_部 = "内外全局各底顶头尾面背腹胸上下干"
# on their own, 总部 (head office), 本部, 东部 … are places, not departments (营销总部 is one)
_NOT_DEPARTMENTS = {"总部", "本部", "东部", "西部", "南部", "北部", "中部"}


def _departments(text: str) -> list[str]:
    """Department-like names in a sentence: up to four characters before 部 / 中心 / 办公室, after the
    last 和 / 及 / 、 (质量部和客户服务部 are two names)."""
    names = []
    for stem, suffix in _DEPARTMENT.findall(text):
        stem = re.split(r"[和及、]", stem)[-1][-4:]
        if not stem or (suffix == "部" and stem[-1] in _NOT_A_DEPARTMENT_BEFORE_部):
            continue
        if stem[-1] + suffix in _NOT_DEPARTMENTS and (len(stem) == 1 or stem[:-1] in _VERBS):
            continue  # 总部, 向总部, 会同东部
        for verb in _VERBS:
            if stem.startswith(verb) and len(stem) > len(verb) + 1:
                stem = stem[len(verb):]
        names.append(stem + suffix)
    return names


def lint(profile: Profile, catalogue: Catalogue, loaded: Loaded | None = None) -> list[Problem]:
    found: list[tuple[tuple, str, str]] = []  # (key path, message, hint)
    k = profile.commitments
    hours = {k.response_hours, k.onsite_hours_urban, k.complaint_response_hours} | (
        {k.onsite_hours_rural} if k.onsite_hours_rural else set())
    days = {k.repair_days, k.complaint_resolution_days, profile.customers.follow_up.within_days}
    for key, change in profile.customisation.items():
        for number in sorted({float(n) for n in _HOURS.findall(change.text)} - hours):
            found.append((("customisation", key, "text"),
                          f"补充文字写有“{number:g} 小时”，与服务承诺的时限（{'、'.join(f'{h:g}' for h in sorted(hours))} 小时）不一致",
                          "以 commitments 为准修改文字，或修改服务承诺"))
        for number in sorted({float(n) for n in _DAYS.findall(change.text)} - days):
            found.append((("customisation", key, "text"),
                          f"补充文字写有“{number:g} 天内”，与服务承诺的时限（{'、'.join(f'{d:g}' for d in sorted(days))} 天）不一致",
                          "以 commitments 为准修改文字，或修改服务承诺"))
    o = profile.organisation
    known = [o.aftersales_department.name, o.supervision.body] + [d.name for d in o.departments] + \
            [x.name for x in profile.resources.outlets]
    for d_index, department in enumerate([o.aftersales_department, *o.departments]):
        path = ("organisation", "aftersales_department") if d_index == 0 else ("organisation", "departments", d_index - 1)
        for i, duty in enumerate(department.duties):
            for name in _departments(duty):
                if name.startswith(("各", "相关", "本", "其他", "有关")) or any(name in k or k in name for k in known):
                    continue
                found.append(((*path, "duties", i), f"职责中提到“{name}”，但组织架构中没有这个部门",
                              "在 organisation.departments 中加入该部门，或改用现有部门的名称"))
    if "全国" not in profile.company.sales_regions:
        for i, outlet in enumerate(profile.resources.outlets):
            if outlet.province not in profile.company.sales_regions:
                found.append((("resources", "outlets", i, "province"),
                              f"服务网点“{outlet.name}”位于{outlet.province}，不在销售区域内",
                              "把该省加入 company.sales_regions，或核对网点所在省份"))
    need, have = required_managers(profile, catalogue), len(profile.staff.certified_managers)
    if 0 < have < need:  # none at all is an eligibility warning of its own (certification plan)
        found.append((("staff", "certified_managers"),
                      f"持证售后服务管理师 {have} 名，按服务管理人员的 10% 应有 {need} 名（GB/T 27922-2011 5.1.2.2）",
                      "安排服务管理人员参加管理师培训取证"))
    problems = []
    for path, message, hint in found:
        line, column = loaded.mark(path) if loaded else (None, None)
        problems.append(Problem(message, loaded.file if loaded else "", line, column, format_path(path), hint, path))
    return problems
