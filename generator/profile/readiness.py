"""The way to certification: document control, the certification plan and the company's own
readiness (self-assessment, exclusions, special deductions and bonuses, application materials)."""
from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from generator.profile.values import Count, Date, DocumentDate, Model, Name, Positive, Text


# --- document control and certification ------------------------------------------------------
class DocumentControl(Model):
    number: Name
    """手册编号"""
    version: Name
    """版本号，如“A/0”"""
    prepared_by: Name
    """编制人"""
    reviewed_by: Name
    """审核人"""
    approved_by: Name
    """批准人"""
    issue_date: DocumentDate
    """发布日期"""
    effective_date: DocumentDate
    """实施日期"""


Level = Literal["达标", "三星", "四星", "五星"]


class Certification(Model):
    target_level: Level
    """目标等级：达标 / 三星 / 四星 / 五星"""
    system_start: DocumentDate
    """售后服务体系开始运行的日期"""
    planned_application: DocumentDate
    """计划提交认证申请的日期"""
    application_type: Literal["初次认证", "监督评价", "再认证"] = "初次认证"
    """申请类型"""
    certification_body: Name | None = None
    """拟申请的认证机构"""
    dabiao_certified_on: Date | None = None
    """已获“达标”级证书的日期（认证方案要求达标满一年方可评星时使用）"""


# --- readiness -------------------------------------------------------------------------------
class Samples(Model):
    checked: Positive
    """抽查的样本数（人员、记录、网点或投诉件数）"""
    nonconforming: Count
    """其中不符合的样本数"""

    @model_validator(mode="after")
    def _not_more_than_checked(self) -> "Samples":
        if self.nonconforming > self.checked:
            raise ValueError(f"不符合样本数 {self.nonconforming} 多于抽查样本数 {self.checked}")
        return self


class ClauseAssessment(Model):
    status: Literal["implemented", "partial", "missing"]
    """implemented 已落实 / partial 部分落实 / missing 未落实"""
    evidence: Text | None = None
    """证据（文件、记录名称）"""
    samples: Samples | None = None
    """抽样检查结果（仅适用于按样本评分的条款）：按不符合样本比例扣分"""
    owner: Name | None = None
    """整改负责人（默认为售后服务负责人）"""
    due: Date | None = None
    """整改完成日期（默认为计划申请日期前 30 天）"""

    @model_validator(mode="after")
    def _samples_agree(self) -> "ClauseAssessment":
        """On a sampled clause the samples measure it: a status they contradict says two things at once."""
        n = self.samples
        if n is not None and self.status == "partial" and n.nonconforming == 0:
            raise ValueError(f"自评为部分落实，但抽查的 {n.checked} 个样本均符合；请把发现的不符合记入 "
                             "samples.nonconforming（按不合格样本比例扣分），或把 status 改为 implemented")
        if n is not None and self.status == "missing" and n.nonconforming < n.checked:
            raise ValueError(f"自评为未落实，但抽查的 {n.checked} 个样本中有 {n.checked - n.nonconforming} 个符合；"
                             "请核对：未落实时样本应均不符合，或把 status 改为 partial")
        return self


class SpecialDeduction(Model):
    kind: Literal["法律法规", "企业制度", "行业要求", "体系运行"]
    """类别：违反法律法规 / 违反企业自身服务制度 / 违反行业要求 / 影响体系运行"""
    finding: Text
    """事实描述"""


class Bonus(Model):
    strength: Text
    """超出法规或行业领先的做法"""
    evidence: Text
    """证据"""


class MaterialStatus(Model):
    status: Literal["provided", "missing", "not_applicable"]
    """provided 已提供 / missing 缺失 / not_applicable 不适用"""
    note: Text | None = None
    """说明（不适用时写理由）"""
    expires: Date | None = None
    """有效期至"""
    owner: Name | None = None
    """负责准备的人（默认为售后服务负责人）"""
    due: Date | None = None
    """完成日期（默认为计划申请日期前 30 天）"""


class Readiness(Model):
    self_assessment: dict[str, ClauseAssessment] = {}
    """按条款的自评，键为条款号，如 "5.3.1\""""
    exclusions: dict[str, Text] = {}
    """其他删减的条款及理由（配送、维修、技术支持和回收的删减写在 arrangements 中）"""
    special_deductions: list[SpecialDeduction] = []
    """自查发现的特别扣分项"""
    bonuses: list[Bonus] = []
    """申请的特别加分项（按标准至多计 1 项）"""
    materials: dict[str, MaterialStatus] = {}
    """申请材料准备情况，键为材料编号，如 "M01\""""
