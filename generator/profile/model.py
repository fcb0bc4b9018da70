"""The whole profile: its sections, a customisation of the manual's text, and the facts across
sections that must agree."""
from __future__ import annotations

import difflib
from typing import Annotated, Literal

from pydantic import Field

from generator.profile.company import PROVINCES, Company, Organisation, Resources, Staff
from generator.profile.readiness import Certification, DocumentControl, Readiness
from generator.profile.service import Arrangements, Commitments, Culture, Customers
from generator.profile.values import Model


class SectionText(Model):
    mode: Literal["append", "replace"] = "append"
    """append 在章节原文之后追加 / replace 替换章节原文"""
    text: Annotated[str, Field(min_length=1, max_length=20000)]
    """正文（Markdown：可用加粗、列表和表格）"""


class Profile(Model):
    """一个企业的全部事实：生成手册、申请书、材料清单和自评打分表的唯一输入。"""

    company: Company
    """企业基本信息"""
    organisation: Organisation
    """组织架构"""
    staff: Staff
    """人员配置"""
    resources: Resources
    """资源配置"""
    commitments: Commitments
    """服务承诺与时限"""
    arrangements: Arrangements
    """各项服务的安排或删减"""
    culture: Culture
    """服务文化"""
    customers: Customers
    """顾客关系与投诉"""
    document: DocumentControl
    """文件控制"""
    certification: Certification
    """认证计划"""
    readiness: Readiness = Readiness()
    """认证准备情况"""
    customisation: dict[str, SectionText] = {}
    """对手册章节的补充或改写，键为章节号或标题，如“13.2”或“备件与收费”"""


def cross_field(profile: Profile) -> list[tuple[tuple, str]]:
    """Facts that contradict each other: (key path of the value to fix, message)."""
    found = []
    s, d, c = profile.staff, profile.document, profile.certification
    if s.qualified_technicians > s.technicians:
        found.append((("staff", "qualified_technicians"),
                      f"持证技术人员 {s.qualified_technicians} 人，多于技术人员总数 {s.technicians} 人"))
    if s.aftersales_staff > profile.company.employees:
        found.append((("staff", "aftersales_staff"),
                      f"售后服务人员 {s.aftersales_staff} 人，多于员工总数 {profile.company.employees} 人"))
    if len(s.certified_managers) > s.service_management_staff:
        found.append((("staff", "service_management_staff"),
                      f"持证管理师 {len(s.certified_managers)} 人，多于服务管理人员 {s.service_management_staff} 人"))
    provinces = {o.province for o in profile.resources.outlets}
    nationwide = "全国" in profile.company.sales_regions
    for region, mode in profile.company.region_service.items():
        key = ("company", "region_service", region)
        if region == "全国":
            found.append((key, "region_service 写的是没有网点的具体地区，不能写“全国”；请写省级行政区的名称，如“浙江省”"))
        elif nationwide and region not in PROVINCES:
            close = difflib.get_close_matches(region, PROVINCES, n=1, cutoff=0.5)
            found.append((key, f"“{region}”不是省级行政区的名称（全国销售时，region_service 按省、自治区、直辖市写）"
                               + (f"；是不是“{close[0]}”？" if close else "；如“浙江省”“广西壮族自治区”“上海市”")))
        elif not nationwide and region not in profile.company.sales_regions:
            found.append((key, f"“{region}”不是销售区域之一（company.sales_regions：{'、'.join(profile.company.sales_regions)}）；"
                               "请改为其中一个区域，或先把它加入 sales_regions"))
        elif mode == "网点上门" and region not in provinces:
            found.append((key, f"{region}写明由网点上门服务，但 resources.outlets 中没有该地区的网点；"
                               "请在网点清单中加入该地区的网点，或改写为委托、远程或寄修"))
        elif mode != "网点上门" and region in provinces:
            found.append((key, f"{region}有服务网点，已按网点上门服务计；region_service 只为没有网点的区域写明服务方式，"
                               "请删去这一项"))
    if d.effective_date < d.issue_date:
        found.append((("document", "effective_date"), f"实施日期 {d.effective_date} 早于发布日期 {d.issue_date}"))
    if c.planned_application < c.system_start:
        found.append((("certification", "planned_application"),
                      f"计划申请日期 {c.planned_application} 早于体系开始运行的日期 {c.system_start}"))
    if profile.company.founded > c.system_start:
        found.append((("certification", "system_start"),
                      f"体系开始运行的日期 {c.system_start} 早于企业成立日期 {profile.company.founded}"))
    return found
