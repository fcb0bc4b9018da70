"""Application form, materials checklist and certification plan."""
from __future__ import annotations

import docx
import pytest

from conftest import HUALAN, PROFILES, YUNXUAN, all_text
from generator.build import make_bundle, write_bundle
from generator.assess.certification import plan_certification
from generator.assess.facts import facts_of
from generator.standard.catalogue import load_catalogue
from generator.cli import main
from generator.profile.validation import load_profile


@pytest.fixture(scope="module")
def hualan_docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("app") / "h"
    bundle = make_bundle(HUALAN)
    write_bundle(bundle, out, site=False)
    return bundle, out


def planned(profile):
    """The certification plan for a profile, from its facts as the build works them out."""
    catalogue = load_catalogue()
    return plan_certification(profile, catalogue, facts_of(profile, catalogue))


def rows(document, header0: str) -> dict[str, list[str]]:
    out = {}
    for table in document.tables:
        if table.rows[0].cells[0].text == header0:
            for row in table.rows[1:]:
                out.setdefault(row.cells[0].text, [c.text for c in row.cells])
    return out


def test_form_carries_every_identity_field(hualan_docs):
    bundle, out = hualan_docs
    c = bundle.profile.company
    form = docx.Document(str(out / "02-认证申请书.docx"))
    fields = rows(form, "项目")
    expected = {
        "申请组织名称": c.legal_name, "英文名称": c.english_name, "统一社会信用代码": c.credit_code,
        "注册地址": c.registered_address, "经营（办公）地址": c.office_address,
        "法定代表人": c.legal_representative, "联系电话": c.contact.phone, "电子邮箱": c.contact.email,
        "企业类型": c.enterprise_type, "所属行业": c.industry, "申请类型": "初次认证", "申请等级": "五星",
        "拟申请认证机构": "北京五洲天宇认证中心",
    }
    for label, value in expected.items():
        assert fields[label][1] == value, label
    assert fields["联系人"][1] == "林晓敏（客户服务部副经理）"
    assert "待填" not in all_text(form)
    assert bundle.blanks == []


def test_person_days_and_cost_from_the_tariff(hualan_docs):
    _, out = hualan_docs
    # 860 staff: band 626–875 (initial 13.5, surveillance 5, recert 9 person-days); 6 outlets sampled:
    # ⌈√6⌉ = 3, ⌈0.6√6⌉ = 2 (0.36 × 6 = 2.16 ≤ 4), ⌈0.8√6⌉ = 2 (0.64 × 6 = 3.84 ≤ 4), each 0.5 person-day
    form = docx.Document(str(out / "02-认证申请书.docx"))
    costs = rows(form, "项目")  # the cost table shares the first header
    expected = {
        "初次认证：人数档": ("13.5", "45,500"),  # 13.5 × 3,000 = 40,500 + 1,000 + 2,000 + 2,000
        "初次认证：网点抽查（估算）": ("1.5", "4,500"),  # 3 × 0.5 × 3,000
        "初次认证合计": ("15", "50,000"),
        "每年监督评审：人数档": ("5", "17,000"),  # 5 × 3,000 + 年金 2,000
        "每年监督评审：网点抽查（估算）": ("1", "3,000"),
        "每年监督评审合计": ("6", "20,000"),
        "再认证（复评）：人数档": ("9", "29,000"),  # 9 × 3,000 + 审定与注册费 2,000
        "再认证（复评）：网点抽查（估算）": ("1", "3,000"),
        "再认证（复评）合计": ("10", "32,000"),
    }
    for label, (days, amount) in expected.items():
        assert tuple(costs[label][1:3]) == (days, amount), label
    assert "抽查 3 个网点（√6 向上取整）× 0.5 人日" in costs["初次认证：网点抽查（估算）"][3]


def test_blank_fields_are_listed(tmp_path, capsys):
    assert main(["build", str(YUNXUAN), "-o", str(tmp_path / "y"), "--no-site"]) == 0
    out = capsys.readouterr()
    assert "需手工填写：拟申请认证机构" in out.out
    form = all_text(docx.Document(str(tmp_path / "y" / "02-认证申请书.docx")))
    assert "＿＿＿＿＿＿（待填）" in form


def test_warning_for_a_system_running_only_two_months(tmp_path, capsys):
    text = HUALAN.read_text(encoding="utf-8").replace("planned_application: 2026-12-15",
                                                      "planned_application: 2026-08-01")
    path = tmp_path / "early.yaml"
    path.write_text(text, encoding="utf-8")
    plan = planned(load_profile(path))
    (warning,) = plan.warnings
    assert warning.item == "体系运行满 3 个月"
    assert "最早可于 2026-09-01 申请" in warning.detail
    assert main(["check", str(path)]) == 0
    assert "2026-09-01" in capsys.readouterr().err


def test_warning_for_no_manager_cites_the_clause(capsys):
    plan = planned(load_profile(YUNXUAN))
    (warning,) = plan.warnings
    assert warning.rule == "GB/T 27922-2011 5.1.2.2" and "管理师" in warning.detail


@pytest.mark.parametrize("name", ["hualan-appliances", "yunxuan-online", "qiheng-software"])
def test_checklist_lists_every_material(tmp_path, name):
    bundle = make_bundle(PROFILES / f"{name}.yaml")
    write_bundle(bundle, tmp_path / name, site=False)
    checklist = docx.Document(str(tmp_path / name / "03-申请材料清单.docx"))
    listed = rows(checklist, "编号")
    assert {m.id for m in bundle.catalogue.materials} <= set(listed)
    for line in bundle.materials:
        row = listed[line.material.id]
        assert row[3] == line.status.label and row[3] in ("生成", "已提供", "缺失", "不适用", "已过期", "可选")
        if line.status.id == "generated":
            produced = row[4].split("：")[1].split("　")[0]
            assert (tmp_path / name / produced).is_file()
        if line.status.id in ("missing", "expired"):
            assert row[5] != "—" and row[6] != "—"  # an owner and a due date


def test_expired_certificate(tmp_path):
    bundle = make_bundle(YUNXUAN)
    m10 = next(l for l in bundle.materials if l.material.id == "M10")
    assert m10.status.id == "expired" and m10.status.label == "已过期" and "2026-10-31" in m10.note


def test_plan_page_and_chart(tmp_path):
    bundle = make_bundle(HUALAN)
    plan = next(d for d in bundle.documents if d.key == "plan")
    assert "](figures/certification-plan.svg)" in plan.markdown
    # issued 2027-02-28: the 1st surveillance from 7 months on to the day before the first anniversary
    assert "| 第 1 次监督评审 | 2027-09-28 | 2028-02-27 | 通常在发证后第 9–10 个月；" in plan.markdown
    assert "售后服务内审自评表" in plan.markdown
    gantt = bundle.figures["figures/certification-plan.svg"]
    assert gantt.categories == tuple(m.label for m in bundle.certification.milestones)
    checklist = next(d for d in bundle.documents if d.key == "checklist")
    assert "# 申请条件自查" in checklist.markdown and "# 认证时间表" in checklist.markdown


def test_site_checklist_links_generated_materials(hualan_built):
    _, out = hualan_built
    page = (out / "site" / "checklist.html").read_text(encoding="utf-8")
    assert 'href="downloads/05-%E6%9C%8D%E5%8A%A1%E6%89%BF%E8%AF%BA%E4%B9%A6.docx"' in page or \
        'href="downloads/05-服务承诺书.docx"' in page
