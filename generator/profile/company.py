"""The company as it is: who it is and what it sells, its organisation, its staff and its service resources."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from generator.profile.values import Bool, Count, CreditCode, Date, Model, Money, Name, Positive, Text


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


EnterpriseType = Literal["生产型", "销售服务型", "服务型"]
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
