"""The company profile: the one input a user writes. Schema, loading and validation.

Every field has a docstring (shown by `aftersales init` and in errors). Validation reports every
problem at once, each with `file:line:col`, the key path in the profile's own keys and what was
expected; unknown keys get a "did you mean" suggestion.
"""
from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError,
                      model_validator)
from pydantic_core import PydanticCustomError

from generator.profile import creditcode
from generator.text.user_text import text_problems
from generator.errors import ProblemList, ProfileError
from generator.text.literal import Duration
from generator.profile.yamlload import Loaded, format_path, load_yaml_file

EnterpriseType = Literal["生产型", "销售服务型", "服务型"]
Level = Literal["达标", "三星", "四星", "五星"]


def _credit_code(value: str) -> str:
    message = creditcode.problem(value)
    if message:
        raise ValueError(message)
    return value


def _no_bool(kind: str):
    """A check before pydantic's own, which (lax) reads true as 1 and false as 0: `employees: true`
    would be one employee. `kind` is pydantic's error type for the field's type, so that the message
    is the same as for any other value of the wrong type."""
    def check(value):
        if isinstance(value, bool):
            raise PydanticCustomError(kind, "not a boolean")
        return value
    return BeforeValidator(check)


CreditCode = Annotated[str, AfterValidator(_credit_code)]
# Numbers and yes/no are what YAML wrote: true is not a number, and 1 or "yes" is not true.
Int = Annotated[int, _no_bool("int_type")]
Float = Annotated[float, _no_bool("float_type")]
Bool = Annotated[bool, Strict()]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
# Every number and date that feeds arithmetic has a range: beyond it a value is a typo, and date
# arithmetic, ZIP timestamps (1980–2107) and float sums would fail or mislead.
MAX_COUNT = 10_000_000  # people, outlets, samples, months …
Count = Annotated[Int, Field(ge=0, le=MAX_COUNT)]
Positive = Annotated[Int, Field(ge=1, le=MAX_COUNT)]
Hours = Annotated[Float, Field(gt=0, le=8760), AfterValidator(Duration)]  # a time limit: at most a year, shown rounded up
Money = Annotated[Float, Field(ge=0, le=100_000_000)]  # 万元
Date = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2100, 12, 31))]
DocumentDate = Annotated[dt.date, Field(ge=dt.date(1990, 1, 1), le=dt.date(2100, 12, 31))]  # issued, applied …


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True,
                              coerce_numbers_to_str=True, str_strip_whitespace=True, allow_inf_nan=False)


# --- company ---------------------------------------------------------------------------------
class Product(Model):
    name: Name
    """产品或服务名称，如“变频空调”"""
    category: Name
    """类别，如“家用电器”“软件运维服务”"""
    description: Text | None = None
    """一句话说明（用途、主要型号）"""
    warranty: Text
    """保修条款，如“整机保修 1 年，压缩机 6 年”"""
    warranty_months: Count | None = None
    """整机保修期（月）；服务类可不填"""
    sanbao: Bool = False
    """是否适用国家“三包”规定（修理、更换、退货）"""
    sanbao_rule: Text | None = None
    """适用的三包规定名称，如《部分商品修理更换退货责任规定》"""


class Contact(Model):
    name: Name
    """认证联系人姓名"""
    title: Name | None = None
    """职务"""
    phone: Name
    """联系电话"""
    email: Name | None = None
    """电子邮箱"""


class Certificate(Model):
    name: Name
    """证书名称，如“ISO 9001 质量管理体系认证证书”"""
    number: Name | None = None
    """证书编号"""
    issuer: Name | None = None
    """发证机构"""
    expires: Date | None = None
    """有效期至"""


RegionService = Literal["网点上门", "委托", "远程", "寄修"]
PROVINCES = ("北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
             "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
             "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
             "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区", "台湾省")  # 省级行政区


class Company(Model):
    legal_name: Name
    """企业法定名称（与营业执照一致）"""
    english_name: Name | None = None
    """英文名称"""
    short_name: Name
    """简称，用于页眉和正文"""
    credit_code: CreditCode
    """统一社会信用代码（18 位，按 GB 32100 校验）"""
    legal_representative: Name
    """法定代表人"""
    registered_address: Text
    """注册地址"""
    office_address: Text
    """办公地址"""
    founded: Date
    """成立日期"""
    employees: Positive
    """员工总数（决定认证人日数）"""
    enterprise_type: EnterpriseType
    """企业类型：生产型 / 销售服务型 / 服务型"""
    industry: Name
    """所属行业"""
    industry_pack: Name | None = None
    """行业包（法规清单和常用表述）：home-appliances / automobiles / online-retail / furniture / software-it / general；不填时按所属行业自动匹配"""
    products: Annotated[list[Product], Field(min_length=1)]
    """申请认证的商品或服务"""
    sales_channels: Annotated[list[Name], Field(min_length=1)]
    """销售渠道，如“自营门店”“京东旗舰店”"""
    sales_regions: Annotated[list[Name], Field(min_length=1)]
    """销售区域（省级），如“广东省”；全国销售写“全国”"""
    region_service: dict[Name, RegionService] = {}
    """各销售区域的服务方式（5.1.1.2 按需要覆盖）：网点上门 / 委托 / 远程 / 寄修，键为销售区域。不写的区域：有服务网点的按网点上门，没有的视为未覆盖"""
    website: Name | None = None
    """官方网站"""
    contact: Contact
    """认证联系人"""
    certificates: list[Certificate] = []
    """已获得的体系认证、产品认证和荣誉"""


# --- organisation ----------------------------------------------------------------------------
class Person(Model):
    name: Name
    """姓名"""
    title: Name
    """职务"""


class Department(Model):
    name: Name
    """部门名称"""
    head: Name
    """负责人"""
    duties: Annotated[list[Text], Field(min_length=1)]
    """主要职责（每条一句）"""
    staff: Count | None = None
    """人数"""


class Supervision(Model):
    body: Name
    """服务监督机构名称，如“服务质量监督小组”"""
    head: Name
    """监督负责人"""
    full_time_staff: Positive
    """专职监督人员数"""
    inspections_per_year: Positive
    """每年服务巡检 / 内部评审次数"""


class Organisation(Model):
    management_representative: Person
    """管理者代表（由法定代表人任命，对售后服务体系负责）"""
    aftersales_lead: Person
    """售后服务负责人"""
    aftersales_department: Department
    """专门的售后服务部门"""
    departments: list[Department] = []
    """其他相关部门（质量、销售、仓储物流等）"""
    supervision: Supervision
    """服务监督机构"""


# --- staff -----------------------------------------------------------------------------------
class CertifiedManager(Model):
    name: Name
    """姓名"""
    certificate_no: Name
    """售后服务管理师证书编号"""
    position: Name | None = None
    """岗位"""


class Staff(Model):
    aftersales_staff: Positive
    """售后服务人员总数（含技术人员和业务人员）"""
    technicians: Count
    """售后技术人员数"""
    qualified_technicians: Count
    """其中持有相应资质或技能证书的人数"""
    service_management_staff: Positive
    """服务管理人员数（总部和网点各级管理人员）"""
    certified_managers: list[CertifiedManager] = []
    """持证售后服务管理师名单"""
    training_hours_per_year: Count | None = None
    """每人每年培训学时"""


# --- resources -------------------------------------------------------------------------------
class Outlet(Model):
    name: Name
    """网点名称"""
    province: Name
    """省份"""
    city: Name
    """城市"""
    address: Text
    """详细地址"""
    mode: Literal["自营", "委托"]
    """运营方式：自营 / 委托"""
    staff: Count
    """服务人员数"""
    phone: Name | None = None
    """网点电话"""


class Charge(Model):
    item: Name
    """收费项目，如“空调加氟（R32）”"""
    unit: Name | None = None
    """计价单位，如“次”“件”"""
    price: Name
    """价格（元），可写区间，如“150–280”"""
    note: Text | None = None
    """说明"""


class Resources(Model):
    outlets: Annotated[list[Outlet], Field(min_length=1)]
    """服务网点"""
    hotline: Name
    """服务热线"""
    hotline_hours: Name
    """热线服务时间，如“7×24 小时”"""
    online_channels: list[Name] = []
    """线上服务渠道，如“微信公众号”“官网在线客服”"""
    annual_budget: Money
    """年度售后服务经费（万元）"""
    special_fund: Money
    """应对特定问题的专项经费（万元）"""
    premises: Text
    """办公和服务场所"""
    information_system: Text | None = None
    """顾客信息系统 / 工单系统"""
    tools: list[Name] = []
    """主要工具和检测设备"""
    spare_parts: Text
    """备品备件保障方式"""
    charges: list[Charge] = []
    """保修期外的配件和维修收费标准（列入手册附录并公示）"""

    @property
    def self_run(self) -> list[Outlet]:
        return [o for o in self.outlets if o.mode == "自营"]

    @property
    def entrusted(self) -> list[Outlet]:
        return [o for o in self.outlets if o.mode == "委托"]


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


# --- loading ---------------------------------------------------------------------------------
_MESSAGES = {
    "missing": "缺少必填项",
    "string_type": "应为文字",
    "int_type": "应为整数", "int_parsing": "应为整数", "int_parsing_size": "数字过长", "int_from_float": "应为整数",
    "float_type": "应为数字", "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false", "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期（YYYY-MM-DD）", "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）", "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不带时间",
    "list_type": "应为列表（每项以 - 开头）",
    "dict_type": "应为键值映射", "model_type": "应为键值映射", "model_attributes_type": "应为键值映射",
    "string_too_short": "不能为空", "too_short": "至少需要 {min_length} 项",
    "string_too_long": "过长（最多 {max_length} 个字符）",
    "greater_than": "应大于 {gt}", "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}", "less_than_equal": "应不大于 {le}",
    "finite_number": "应为有限的数字",
}
_DATE_MESSAGES = {"greater_than_equal": "应不早于 {ge}", "less_than_equal": "应不晚于 {le}"}


def validate(loaded: Loaded) -> Profile:
    """Validate loaded YAML data as a Profile, or raise ProfileError listing every problem."""
    if not isinstance(loaded.data, dict):
        problems = ProblemList(loaded.file)
        problems.add("文件顶层应为键值映射（company:、organisation: …）", line=1, column=1)
        raise ProfileError("企业档案格式不对", problems.items)
    try:
        profile = Profile.model_validate(loaded.data)
    except ValidationError as exc:
        _fail(_problems(exc, loaded), loaded)
    problems = ProblemList(loaded.file)
    for path, message in cross_field(profile):
        line, column = loaded.mark(path)
        problems.add(message, line=line, column=column, key_path=format_path(path))
    if problems:
        _fail(problems.items, loaded)
    return profile


def _fail(problems: list, loaded: Loaded) -> typing.NoReturn:
    """Raise the profile's problems, and with them what is wrong in the text of each customisation
    that has one (whatever else is wrong with its entry, such as its mode): the manual is rendered (and the rest of customisation checked: whether
    its sections exist) only once the profile is, but a text's links, images and nesting are its own."""
    problems = [*problems, *_text_problems(loaded)]
    raise ProfileError(f"企业档案有 {len(problems)} 处问题", problems)


def _text_problems(loaded: Loaded) -> list:

    entries = loaded.data.get("customisation") if isinstance(loaded.data, dict) else None
    if not isinstance(entries, dict):
        return []
    problems = ProblemList(loaded.file)
    for key, entry in entries.items():
        text = entry.get("text") if isinstance(entry, dict) else None
        if not isinstance(text, str) or not text.strip():
            continue  # told with the schema's problems
        line, column = loaded.mark(("customisation", key, "text"), key=True)
        for message, hint in text_problems(text):
            problems.add(message, line=line, column=column, key_path=f"customisation.{key}.text", hint=hint)
    return problems.items


def read_profile(path: str | Path, catalogue=None) -> tuple[Profile, Loaded]:
    """Read, validate and (given the catalogue) check clause and material ids of a profile; the loaded
    YAML comes along to locate later findings in the file."""
    loaded = load_yaml_file(path)
    profile = validate(loaded)
    if catalogue is not None:
        check_references(profile, loaded, catalogue)
    return profile, loaded


def load_profile(path: str | Path, catalogue=None) -> Profile:
    return read_profile(path, catalogue)[0]


def check_references(profile: Profile, loaded: Loaded, catalogue) -> None:
    """Clause ids and material ids in `readiness` must exist in the standard's data."""
    problems = ProblemList(loaded.file)
    scored = {c.id for c in catalogue.leaves()}
    for clause_id in profile.readiness.self_assessment:
        if clause_id not in scored:
            line, column = loaded.mark(("readiness", "self_assessment", clause_id), key=True)
            close = difflib.get_close_matches(clause_id, sorted(scored), n=1)
            hint = f"是不是 “{close[0]}”？" if close else "计分条款为：" + "、".join(sorted(scored))
            what = "不是计分条款（只有下级条款计分）" if clause_id in catalogue else "不存在"
            problems.add(f"条款 {clause_id} {what}", line=line, column=column,
                         key_path=f"readiness.self_assessment.{clause_id}", hint=hint)
    for clause_id, entry in profile.readiness.self_assessment.items():
        if entry.samples is not None and clause_id in catalogue and not catalogue[clause_id].sampled:
            line, column = loaded.mark(("readiness", "self_assessment", clause_id, "samples"), key=True)
            sampled = "、".join(c.id for c in catalogue.leaves() if c.sampled)
            problems.add(f"条款 {clause_id} 不按样本评分，不能填写 samples", line=line, column=column,
                         key_path=f"readiness.self_assessment.{clause_id}.samples",
                         hint=f"按样本评分的条款：{sampled}")
    for clause_id in profile.readiness.exclusions:
        line, column = loaded.mark(("readiness", "exclusions", clause_id), key=True)
        key_path = f"readiness.exclusions.{clause_id}"
        clause = catalogue.clauses.get(clause_id)
        if clause_id not in scored:
            problems.add(f"条款 {clause_id} 不是可删减的计分条款", line=line, column=column, key_path=key_path)
        elif clause.arrangements:
            names = "、".join(f"arrangements.{a}" for a in clause.arrangements)
            problems.add(f"条款 {clause_id} {clause.title} 的删减由服务安排决定", line=line, column=column,
                         key_path=key_path, hint=f"请在 {names} 中写 provided: false 和 excluded_reason")
        elif not clause.excludable:
            allowed = "、".join(c.id for c in catalogue.leaves() if c.excludable)
            problems.add(f"条款 {clause_id} {clause.title} 按 GB/T 27922 不可删减", line=line, column=column,
                         key_path=key_path, hint=f"可删减的条款：{allowed}")
    from generator.standard.industry import load_packs

    packs = load_packs()
    if profile.company.industry_pack and profile.company.industry_pack not in packs:
        line, column = loaded.mark(("company", "industry_pack"))
        problems.add(f"没有行业包 “{profile.company.industry_pack}”", line=line, column=column,
                     key_path="company.industry_pack", hint="可选：" + "、".join(packs))
    ids = [m.id for m in catalogue.materials]
    for material_id in profile.readiness.materials:
        if material_id not in ids:
            line, column = loaded.mark(("readiness", "materials", material_id), key=True)
            problems.add(f"材料编号 {material_id} 不存在", line=line, column=column,
                         key_path=f"readiness.materials.{material_id}", hint=f"材料编号为 {ids[0]}–{ids[-1]}")
    if problems:
        _fail(problems.items, loaded)


def validation_message(err) -> str:
    """A pydantic error in Chinese: what is wrong with the value (the key path is said apart)."""
    kind, loc = err["type"], tuple(err["loc"])
    if kind == "extra_forbidden":
        return f"未知的键 “{loc[-1]}”"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        expected = str(err.get("ctx", {}).get("expected", "")).replace("'", "")
        return "应为以下之一：" + expected.replace(" or ", "、").replace(", ", "、")
    if kind in _MESSAGES:
        ctx = {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in err.get("ctx", {}).items()}
        dated = isinstance(err.get("input"), dt.date)
        message = (_DATE_MESSAGES if dated and kind in _DATE_MESSAGES else _MESSAGES)[kind].format(**ctx)
        return message + (f"：{loc[-1]}" if kind == "missing" and loc else "")
    return str(err["msg"])


def _problems(exc: ValidationError, loaded: Loaded):
    problems = ProblemList(loaded.file)
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        key_path = format_path(loc)
        if kind == "extra_forbidden":
            line, column = loaded.mark(loc, key=True)
            known = _fields_at(loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
            hint = f"是不是 “{close[0]}”？" if close else ("可用的键：" + "、".join(known) if known else "")
            problems.add(f"未知的键 “{loc[-1]}”", line=line, column=column, key_path=key_path, hint=hint)
            continue
        line, column = loaded.mark(loc, key=kind == "missing")
        message = validation_message(err)
        if kind == "missing":
            doc = _doc_at(loc)
            hint = doc or ""
        else:
            got = err.get("input")
            shown = _shown(got)
            shown = shown if len(shown) <= 40 else shown[:36] + "…"
            hint = f"实际为 {shown}" if kind != "value_error" and not isinstance(got, (dict, list)) else ""
        problems.add(message, line=line, column=column, key_path=key_path, hint=hint)
    return problems.items


def _shown(value: object) -> str:
    """A value as the profile wrote it: 2024-01-01, true, 'text', 3."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the keys at `loc` (walking lists and dicts)."""
    annotation: object = Profile
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if not isinstance(part, str) or part not in annotation.model_fields:
                return None
            annotation = annotation.model_fields[part].annotation
        else:
            args = typing.get_args(annotation)
            if not args:
                return None
            annotation = args[-1]
    annotation = _unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _unwrap(annotation: object) -> object:
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _fields_at(loc: tuple) -> list[str]:
    model = _model_at(loc)
    return list(model.model_fields) if model else []


def _doc_at(loc: tuple) -> str:
    model = _model_at(loc[:-1])
    if model and loc[-1] in model.model_fields:
        return model.model_fields[loc[-1]].description or ""
    return ""
