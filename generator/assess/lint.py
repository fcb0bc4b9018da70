"""Consistency lint: things in a valid profile that contradict each other, the standard, the national
三包 rules or plausibility.

`aftersales check` prints them as warnings; with `--strict` they are errors (exit 2). The 三包 catalogues
(content/standard/sanbao.yaml) and the plausibility thresholds (content/standard/plausibility.yaml) are
data, each with its source and evidence level.
"""
from __future__ import annotations

import difflib
import math
import re

from generator.assess.facts import Facts
from generator.assess.numbers import exact
from generator.errors import Problem
from generator.profile.company import Product
from generator.profile.model import Profile
from generator.inputs.yamlload import Loaded, format_path
from generator.standard.catalogue import Catalogue
from generator.standard.plausibility import Plausibility, load_plausibility
from generator.standard.sanbao import Regulation, Sanbao, load_sanbao

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


# --- 三包: a product marked 三包 must be in its regulation's catalogue -----------------------------
_RULE_PUNCTUATION = re.compile(r"[《》〈〉<>「」『』“”\"\'\s]")
_NOT_LISTED_HINT = ("如果它不适用任何国家三包规定，把 sanbao 改为 false，在 warranty 中以企业承诺写明保修和退换条款；"
                    "如果适用另一项三包规定，在 sanbao_rule 中写明该规定；如果它确属目录中的商品，在 description 中写明目录中的名称")
_SHORT_NAME = ("修理更换退货责任规定", "三包规定")  # 部分商品三包规定: how people shorten the names


def _rule(name: str | None, data: Sanbao) -> Regulation | str | None:
    """The regulation a product's sanbao_rule names: None for no rule or a general name (国家三包规定),
    the bare name itself for a rule this data does not know (a local rule, a near miss, a newer one)."""
    bare = _RULE_PUNCTUATION.sub("", name or "")
    if not bare or bare in {_RULE_PUNCTUATION.sub("", g) for g in data.generic_rule_names}:
        return None
    for regulation in data.regulations:
        if regulation.name in bare:
            return regulation
    return bare


def _closest(bare: str, data: Sanbao) -> Regulation | None:
    """The regulation whose name (or its 三包规定 short form) is nearest to an unknown rule name, when one
    is clearly nearest (手机三包规定 is as near to the computer rule as to the phone rule: none)."""
    def ratio(r: Regulation) -> float:
        return max(difflib.SequenceMatcher(None, bare, n).ratio() for n in (r.name, r.name.replace(*_SHORT_NAME)))
    scored = sorted(((ratio(r), i) for i, r in enumerate(data.regulations)), reverse=True)
    best, second = scored[0][0], scored[1][0] if len(scored) > 1 else 0
    return data.regulations[scored[0][1]] if best >= 0.5 and best > second else None


def _goods(text: str, data: Sanbao) -> tuple[list[str], dict[str, list[str]], bool]:
    """What a text names: the goods no regulation lists (in the order they appear), each regulation's
    products, and whether it names anything at all (a look-alike such as 手机壳 or 空调级 counts)."""
    text = text.casefold()
    outside = {}  # goods no 三包 regulation lists, taken out first (空调扇 is not 空调), by where they are
    for word in sorted(data.not_listed.products, key=len, reverse=True):
        if word.casefold() in text:
            outside[word] = text.index(word.casefold())
            text = text.replace(word.casefold(), "□" * len(word))
    named = bool(outside)
    suffixes, still = data.look_alikes.suffixes, tuple(data.look_alikes.still_the_product)
    hits = {}
    for r in data.regulations:
        hits[r.id] = []
        for p in r.products:
            for word in p.words:
                for m in re.finditer(re.escape(word.casefold()), text):
                    named = True
                    rest = text[m.end():]
                    # 手机保护壳: a catalogue word right before goods taken out (□) names what they are for
                    if rest.startswith(still) or not rest.startswith((*suffixes, "□")):
                        hits[r.id].append(p.name)
                        break
                if p.name in hits[r.id]:
                    break
    return sorted(outside, key=outside.get), hits, named


def _sanbao_findings(index: int, product: Product, data: Sanbao) -> list[tuple[tuple, str, str]]:
    if not product.sanbao:
        return []
    rule = _rule(product.sanbao_rule, data)
    label = f"“{product.name}”"
    # the name decides; the category and description only when the name names nothing (洗碗机 带空调级电机)
    outside, hits, named = _goods(product.name, data)
    if not named:
        outside, hits, _ = _goods(f"{product.category} {product.description or ''}", data)
    found = []
    if isinstance(rule, str):  # not a rule this data knows: say so, then check as if no rule were given
        closest = _closest(rule, data)
        listed = [r for r in data.regulations if hits[r.id]]
        if len(listed) == 1:  # the product says which regulation, whatever the name is near to
            ask, hint = "", f"{'、'.join(hits[listed[0].id])}适用{listed[0].title}：把 sanbao_rule 改为{listed[0].title}"
        elif closest:
            ask, hint = f"，是不是{closest.title}？", f"如果是，把 sanbao_rule 改为{closest.title}"
        else:
            ask, hint = "", ("在 sanbao_rule 中写明适用的国家三包规定的全称，或删去 sanbao_rule（按全部国家三包规定核对）；"
                             "地方规定和企业承诺不是国家三包规定，写在 warranty 中")
        written = product.sanbao_rule.strip()
        written = written if written.startswith("《") and written.endswith("》") else f"“{written}”"
        found.append((("company", "products", index, "sanbao_rule"),
                      f"{label}的三包规定写的是{written}，不是已知的国家三包规定{ask}"
                      f"（已知的有：{''.join(r.title for r in data.regulations)}）；这一项按全部国家三包规定的目录核对",
                      hint))
        rule = None
    what = "、".join(outside) or product.name
    here = ("company", "products", index, "sanbao")
    split = f"把{what}拆成单独的一项商品，sanbao 写 false，在 warranty 中以企业承诺写明保修和退换条款"
    mixed = any(hits.values())
    if rule is None:
        summary = "".join(r.title for r in data.regulations[1:])
        catalogues = data.regulations[0].catalogue() + (f"；另有{summary}，分别规定各自的商品" if summary else "")
        if outside or not mixed:
            found.append((here, f"{label}标为适用国家三包规定，{'其中的' if mixed else '但'}{what}不在任何一项三包规定的目录中"
                                f"（{catalogues}）", split if mixed else _NOT_LISTED_HINT))
        return found
    if not hits[rule.id]:
        others = [(r, hits[r.id]) for r in data.regulations if r.id != rule.id and hits[r.id]]
        if not others:
            return [(here, f"{label}标为适用三包（{rule.title}），但{rule.catalogue()}，不包括{what}", _NOT_LISTED_HINT)]
        which = "；".join(f"{'、'.join(names)}适用{r.title}" for r, names in others)
        hint = (f"把 sanbao_rule 改为{others[0][0].title}" if len(others) == 1 else
                "按商品分别写明适用的三包规定，必要时把这一项拆成几项商品")
        found.append((("company", "products", index, "sanbao_rule"), f"{label}的三包规定写的是{rule.title}，但{which}", hint))
    if outside:
        found.append((here, f"{label}标为适用三包（{rule.title}），其中的{what}不在该规定的目录中（{rule.catalogue()}）"
                            if hits[rule.id] else
                            f"{label}标为适用三包，其中的{what}不在任何一项三包规定的目录中", split))
    return found


# --- plausibility: numbers a certification body would question -----------------------------------
def _plausibility_findings(profile: Profile, catalogue: Catalogue, facts: Facts, rules: Plausibility) -> list[tuple[tuple, str, str]]:
    found = []
    employees, staff = profile.company.employees, profile.staff
    m = rules.managers_per_employee
    have, need = len(staff.certified_managers), facts.required_managers
    ratio = f"{catalogue.scoring.managers.ratio:.0%}"  # of the service management staff (5.1.2.2)
    expected = max(m.minimum, math.ceil(exact(m.ratio) * employees))
    basis = f"{m.rule_name}，约 {expected:,} 名"
    if have >= need and 0 < have < m.low_factor * expected:  # none, or fewer than 10%: warned elsewhere
        found.append((("staff", "certified_managers"),
                      f"员工 {employees:,} 人，持证售后服务管理师只有 {have:,} 名，不到按员工总数估算的"
                      f"{'一半' if m.low_factor == 0.5 else f' {m.low_factor:.0%}'}（{basis}）；"
                      f"申报的服务管理人员 {staff.service_management_staff:,} 人、按其 {ratio} 只需 {need:,} 名，认证机构可能认为服务管理人员报少了",
                      f"核对 staff.service_management_staff 是否包含总部和各网点的全部管理人员（{ratio} 按全部服务管理人员计算），"
                      "并安排更多管理人员参加管理师培训取证"))
    if expected and have > m.high_factor * expected:
        found.append((("staff", "certified_managers"),
                      f"员工 {employees:,} 人，持证售后服务管理师却有 {have:,} 名，超过按员工总数估算的 {m.high_factor:g} 倍（{basis}）",
                      "核对 staff.certified_managers 是否只列本公司在职、持有售后服务管理师证书的人员；"
                      "确有这么多的，评审时备好证书和劳动合同"))
    o = rules.staff_per_outlet
    outlets = profile.resources.outlets
    own_outlets = [x for x in outlets if x.mode == "自营"]
    count, own = len(outlets), len(own_outlets)
    where = f"共 {count:,} 个服务网点（自营 {own:,} 个、委托 {count - own:,} 个）"
    few_employees = employees <= o.employees_per_outlet * count
    if few_employees:
        ratio = "网点数" if o.employees_per_outlet == 1 else f"网点数的 {o.employees_per_outlet:g} 倍"
        found.append((("company", "employees"),
                      f"{where}，员工却只有 {employees:,} 人，不多于{ratio}：认证机构受理和现场评审时都会核定人数，"
                      f"这样的申报明显不合理（认证咨询机构的例子：{o.example}）",
                      "核对 company.employees 是否为全部员工（含总部和各自营网点的人员）；委托网点的人员不是本公司员工，"
                      "在申请书中说明各网点的运营方式"))
    # the company's own after-sales staff work at its own outlets; a partner (委托) outlet's staff are the partner's
    at_own = sum(x.staff for x in own_outlets)
    if at_own > staff.aftersales_staff:
        found.append((("staff", "aftersales_staff"),
                      f"自营服务网点申报的服务人员合计 {at_own:,} 人（resources.outlets 中 {own:,} 个自营网点的 staff），"
                      f"多于本公司的售后服务人员总数 {staff.aftersales_staff:,} 人：自营网点的服务人员是本公司的售后服务人员，"
                      "不会比全部售后服务人员还多",
                      "核对 staff.aftersales_staff（总部和各自营网点的全部售后服务人员）和各自营网点的 staff；"
                      "由合作方运营、人员不是本公司员工的网点，mode 写 委托"))
    elif staff.aftersales_staff < o.aftersales_staff_per_own_outlet * own and not few_employees:
        found.append((("staff", "aftersales_staff"),
                      f"{where}，售后服务人员却只有 {staff.aftersales_staff:,} 人，平均每个自营网点不到 "
                      f"{o.aftersales_staff_per_own_outlet:g} 人：认证机构会核定人数，评审时也会抽查网点的服务人员"
                      "（委托网点的人员是合作方的，不计在内）",
                      "核对 staff.aftersales_staff 是否包含总部和各自营网点的全部售后服务人员（含技术人员和业务人员）"))
    return found


def _repeated_outlets(outlets) -> list[tuple[tuple, str, str]]:
    """An outlet listed twice (the same name and address: a row pasted twice into a spreadsheet) would
    be counted twice in the outlet appendix, the multi-site list and the fee estimate."""
    first: dict[tuple, int] = {}
    repeated = []
    for index, outlet in enumerate(outlets):
        key = (" ".join(outlet.name.split()), " ".join(outlet.address.split()))
        if key in first:
            repeated.append((first[key], index, outlet))
        else:
            first[key] = index
    if len(repeated) > 3:  # one line for many, as for outlets outside the sales regions
        named = "、".join(list(dict.fromkeys(f"“{o.name}”" for _, _, o in repeated))[:3])
        return [(("resources", "outlets", repeated[0][1]),
                 f"{len(repeated):,} 个服务网点与前面的网点名称和地址都相同，如{named}等",
                 "重复的网点会在网点清单、多场所清单和认证费用估算中重复计算；请删去重复的行")]
    return [(("resources", "outlets", index),
             f"服务网点“{outlet.name}”与第 {was + 1} 个网点的名称和地址都相同",
             "重复的网点会在网点清单、多场所清单和认证费用估算中重复计算；请删去重复的一行")
            for was, index, outlet in repeated]


def lint(profile: Profile, catalogue: Catalogue, facts: Facts, loaded: Loaded | None = None) -> list[Problem]:
    found: list[tuple[tuple, str, str]] = []  # (key path, message, hint)
    sanbao = load_sanbao()
    for index, product in enumerate(profile.company.products):
        found += _sanbao_findings(index, product, sanbao)
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
    if not facts.nationwide:
        outside = [(i, x) for i, x in enumerate(profile.resources.outlets) if x.province not in profile.company.sales_regions]
        if len(outside) > 3:  # one line for many, as validation does: 300 outlets must not flood the terminal
            named = "、".join(f"“{x.name}”（{x.province}）" for _, x in outside[:3])
            provinces = "、".join(dict.fromkeys(x.province for _, x in outside))
            found.append((("resources", "outlets", outside[0][0], "province"),
                          f"{len(outside):,} 个服务网点不在销售区域内，如{named}等",
                          f"把{provinces}加入 company.sales_regions，或核对网点所在省份"))
        else:
            for i, outlet in outside:
                found.append((("resources", "outlets", i, "province"),
                              f"服务网点“{outlet.name}”位于{outlet.province}，不在销售区域内",
                              "把该省加入 company.sales_regions，或核对网点所在省份"))
    need, have = facts.required_managers, len(profile.staff.certified_managers)
    if 0 < have < need:  # none at all is an eligibility warning of its own (certification plan)
        found.append((("staff", "certified_managers"),
                      f"持证售后服务管理师 {have:,} 名，按服务管理人员的 {catalogue.scoring.managers.ratio:.0%} 应有 {need:,} 名"
                      f"（{catalogue.info.id} {catalogue.with_fact('managers').id}）",
                      "安排服务管理人员参加管理师培训取证"))
    found += _repeated_outlets(profile.resources.outlets)
    found += _plausibility_findings(profile, catalogue, facts, load_plausibility())
    problems = []
    for path, message, hint in found:
        where = loaded.at(path) if loaded else {}
        problems.append(Problem(message, **where, key_path=format_path(path), hint=hint, path=path))
    return problems
