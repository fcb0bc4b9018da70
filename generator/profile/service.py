"""The service the company promises: time limits, which services it provides, its culture and its customers."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from generator.profile.values import Bool, Date, Float, Hours, Model, Name, Text


# --- commitments and arrangements ------------------------------------------------------------
class Commitments(Model):
    response_hours: Hours
    """接到服务请求后的响应时限（小时）"""
    onsite_hours_urban: Hours
    """城区上门时限（小时）"""
    onsite_hours_rural: Hours | None = None
    """郊县及农村上门时限（小时）"""
    repair_days: Hours
    """一般故障修复时限（天）"""
    complaint_response_hours: Hours
    """投诉响应时限（小时）"""
    complaint_resolution_days: Hours
    """投诉处理完结时限（天）"""
    warranty: Text
    """质量保证承诺"""
    returns: Text
    """退换货承诺"""


class Arrangement(Model):
    provided: Bool
    """是否提供此项服务"""
    description: Text | None = None
    """提供时：做法（由谁、怎样、多长时间）"""
    excluded_reason: Text | None = None
    """不提供时：删减理由"""

    @model_validator(mode="after")
    def _described_or_excluded(self) -> "Arrangement":
        if self.provided and not self.description:
            raise ValueError("提供此项服务时需写明 description（做法）")
        if not self.provided and not self.excluded_reason:
            raise ValueError("不提供此项服务时需写明 excluded_reason（删减理由）")
        return self


class Arrangements(Model):
    delivery: Arrangement
    """配送（5.2.3）"""
    installation: Arrangement
    """安装调试（5.2.3）"""
    repair: Arrangement
    """维修（5.2.4）"""
    technical_support: Arrangement
    """技术支持（5.2.2）"""
    take_back: Arrangement
    """废弃商品回收（5.2.6）"""


# --- culture and customers -------------------------------------------------------------------
class Target(Model):
    name: Name
    """目标名称，如“顾客满意度”"""
    value: Name
    """目标值，如“≥ 90%”"""


class Culture(Model):
    philosophy: Text
    """服务理念"""
    slogan: Name | None = None
    """服务口号"""
    targets: Annotated[list[Target], Field(min_length=1)]
    """服务目标"""


class FollowUp(Model):
    method: Name
    """回访方式，如“电话回访”"""
    within_days: Hours
    """服务完成后几天内回访"""
    coverage: Annotated[Float, Field(gt=0, le=100)]
    """回访比例（%）"""


class Survey(Model):
    frequency: Name
    """满意度调查频次，如“每季度”"""
    method: Name
    """调查方式"""
    target: Annotated[Float, Field(gt=0, le=100)]
    """满意度目标（%）"""
    last_result: Annotated[Float, Field(ge=0, le=100)] | None = None
    """最近一次结果（%）"""
    last_date: Date | None = None
    """最近一次调查日期"""


class Complaints(Model):
    channels: Annotated[list[Name], Field(min_length=1)]
    """投诉渠道"""
    escalation: Annotated[list[Name], Field(min_length=1)]
    """逐级升级路径，如“客服专员 → 售后经理 → 管理者代表”"""
    mediation: Text
    """协商不成时的第三方调解或仲裁途径"""


class Customers(Model):
    records: Text
    """顾客档案如何建立和保管"""
    data_protection: Text
    """顾客信息保护措施"""
    follow_up: FollowUp
    """服务回访"""
    satisfaction_survey: Survey
    """满意度调查"""
    complaints: Complaints
    """投诉处理"""
