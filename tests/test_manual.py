"""The after-sales service manual: complete, specific to the company, consistent everywhere."""
from __future__ import annotations

import re
import subprocess

import docx
import pytest

from conftest import HUALAN, PROFILES, all_text, need_tool
from generator.build import make_bundle, write_bundle

PLACEHOLDERS = ("XX", "某某", "TODO", "待填写", "None", "＿＿公司")


@pytest.fixture(scope="module")
def bundles():
    return {path.stem: make_bundle(path) for path in sorted(PROFILES.glob("*.yaml"))}


@pytest.mark.parametrize("name", ["hualan-appliances", "yunxuan-online", "qiheng-software"])
def test_every_applicable_clause_has_its_own_section(bundles, name):
    bundle = bundles[name]
    manual = next(d for d in bundle.documents if d.key == "manual")
    tagged = {cid for s in manual.sections for cid in s.clauses}
    for line in bundle.assessment.lines:
        assert line.clause.id in tagged, line.clause.id
    excluded = {l.clause.id: l.excluded_reason for l in bundle.assessment.lines if l.excluded}
    for cid, reason in excluded.items():
        chapter = re.search(rf"^# \d+ [^\n]*\{{clauses={re.escape(cid)}\}}\n\n(.*?)\n# ", manual.markdown,
                            re.S | re.M).group(1)
        assert "删减" in chapter and reason.split("；")[0][:10] in chapter.replace("\\", "")


def test_excluded_clauses_carry_their_reason_in_the_docx(bundles, tmp_path):
    write_bundle(bundles["qiheng-software"], tmp_path / "q", site=False)
    text = all_text(docx.Document(str(tmp_path / "q" / "01-售后服务手册.docx")))
    assert "本条款按 GB/T 27922-2011 第 6.2.2 条删减" in text
    assert "不涉及实物商品配送" in text and "不产生需回收的废弃商品" in text
    assert "配送安装验收单" not in text  # the form of an excluded clause is not produced


@pytest.mark.parametrize("name", ["hualan-appliances", "yunxuan-online", "qiheng-software"])
def test_facts_appear_where_they_belong_and_no_placeholders(bundles, name, tmp_path):
    bundle = bundles[name]
    p = bundle.profile
    write_bundle(bundle, tmp_path / name, site=False)
    text = all_text(docx.Document(str(tmp_path / name / "01-售后服务手册.docx")))
    for word in PLACEHOLDERS:
        assert word not in text, word
    assert not re.search(r"\d\.0(?![\d.])", text)  # no "2.0 小时"
    assert p.company.legal_name in text and p.resources.hotline in text
    for outlet in p.resources.outlets:
        assert outlet.name in text and outlet.address in text
    k = p.commitments
    hours = lambda h: f"{h:g} 小时" if h >= 1 else f"{h * 60:g} 分钟"
    assert f"接到服务请求后 {hours(k.response_hours)}内响应" in text
    assert f"城区 {hours(k.onsite_hours_urban)}内上门" in text
    assert f"一般故障 {k.repair_days:g} 天内修复" in text
    assert f"投诉 {hours(k.complaint_response_hours)}内响应，{k.complaint_resolution_days:g} 天内处理完毕" in text
    needed = bundle.assessment.line("5.1.2.2").basis.split("应配管理师 ")[1].split(" 名")[0]
    assert f"应配置管理师 {needed} 名，现有持证管理师 {len(p.staff.certified_managers)} 名" in text
    for m in p.staff.certified_managers:
        assert m.certificate_no in text
    assert p.organisation.management_representative.name in text
    for law in bundle.documents[0].markdown.split("## 2.1 引用文件")[1].split("##")[0].splitlines():
        if law.startswith("- "):
            assert law[2:].replace("\\", "") in text


def test_industry_packs_choose_the_laws(bundles):
    def laws(name):
        return bundles[name].documents[0].markdown.split("## 2.1")[1].split("## 2.2")[0]
    assert "《废弃电器电子产品回收处理管理条例》" in laws("hualan-appliances")
    assert "《网络购买商品七日无理由退货暂行办法》" in laws("yunxuan-online")
    assert "GB/T 28827.1" in laws("qiheng-software") and "三包" not in laws("qiheng-software")


def test_record_forms_are_fillable_tables_naming_their_clause(bundles, tmp_path):
    write_bundle(bundles["hualan-appliances"], tmp_path / "h", site=False)
    manual = docx.Document(str(tmp_path / "h" / "01-售后服务手册.docx"))
    headings = [p.text for p in manual.paragraphs if p.style.name == "Heading 2"]
    for name in ("投诉登记处理表", "客户回访记录表", "满意度调查问卷", "维修服务单", "配送安装验收单",
                 "培训签到及考核表", "售后服务专项经费预算表", "售后服务内审自评表", "纠正预防措施单",
                 "服务设施设备台账"):
        heading = next(h for h in headings if h.endswith(name))
        index = next(i for i, p in enumerate(manual.paragraphs) if p.text == heading and p.style.name == "Heading 2")
        assert manual.paragraphs[index + 1].text.startswith("对应条款：5.")
    audit = next(t for t in manual.tables if [c.text for c in t.rows[0].cells][:2] == ["条款", "要求"])
    assert len(audit.rows) == 1 + 21  # one row per applicable scored clause
    blank = audit.rows[1]._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}trHeight")
    assert blank is not None  # rows left for handwriting get writing height


def test_appendix_c_lists_each_forms_keeping_period_from_the_data(bundles):
    manual = next(doc for doc in bundles["hualan-appliances"].documents if doc.key == "manual").markdown
    appendix = manual[manual.index("# 附录 C"):manual.index("# 附录 D")]
    for form in bundles["hualan-appliances"].facts.forms:
        assert f"-{form.id} | {form.name} | " in appendix and f" | {form.keep} |" in appendix
    assert re.search(r"-R10 \| 服务设施设备台账 \|[^\n]*\| 长期 \|", appendix)  # forms.yaml: keep: 长期
    assert re.search(r"-R01 \| 投诉登记处理表 \|[^\n]*\| 3 年 \|", appendix)  # the default


def test_changing_a_commitment_changes_it_everywhere(tmp_path):
    text = HUALAN.read_text(encoding="utf-8").replace("onsite_hours_urban: 24", "onsite_hours_urban: 36")
    path = tmp_path / "changed.yaml"
    path.write_text(text, encoding="utf-8")
    bundle = make_bundle(path)
    write_bundle(bundle, tmp_path / "out")
    for name in bundle.docx:
        body = all_text(docx.Document(str(tmp_path / "out" / name)))
        assert "城区 24 小时" not in body, name
    manual = all_text(docx.Document(str(tmp_path / "out" / "01-售后服务手册.docx")))
    promise = all_text(docx.Document(str(tmp_path / "out" / "05-服务承诺书.docx")))
    assert manual.count("城区 36 小时内") == 3 and "城区 36 小时内上门" in promise
    for page in (tmp_path / "out" / "site").rglob("*.html"):
        assert "城区 24 小时" not in page.read_text(encoding="utf-8"), page.name
    original = make_bundle(HUALAN)
    assert original.figures["figures/service-flow.svg"] != bundle.figures["figures/service-flow.svg"]
    assert any("城区 36 小时内" in "".join(b.lines) for b in bundle.figures["figures/service-flow.svg"].boxes)


def test_promise_letter_is_its_own_document(bundles, tmp_path):
    write_bundle(bundles["qiheng-software"], tmp_path / "q", site=False)
    promise = docx.Document(str(tmp_path / "q" / "05-服务承诺书.docx"))
    text = all_text(promise)
    assert "南京启衡信息技术有限公司秉承" in text and "30 分钟内响应" in text
    checklist = all_text(docx.Document(str(tmp_path / "q" / "03-申请材料清单.docx")))
    assert "M15" in checklist


@pytest.mark.slow
def test_manual_is_a_real_document_of_30_pages_or_more(hualan_built, tmp_path):
    soffice = need_tool("soffice")
    _, out = hualan_built
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(out / "01-售后服务手册.docx")], check=True, capture_output=True, timeout=180)
    info = subprocess.run(["pdfinfo", str(tmp_path / "01-售后服务手册.pdf")], check=True,
                          capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 30
