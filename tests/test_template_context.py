"""What a document template sees: clear names (and the short ones for a consultant's templates),
record forms and procedures by id from the data, blanks noted while rendering, each document
parsed once."""
from __future__ import annotations


import pytest
from markdown_it import MarkdownIt

from conftest import HUALAN, QIHENG, standard_with
from generator.build import make_bundle
from generator.errors import AftersalesError, CatalogueError
from generator.render.documents import SHORT_NAMES, template_context
from generator.standard.catalogue import load_catalogue
from generator.standard.procedures import load_procedures


def _document(bundle, key: str):
    return next(d for d in bundle.documents if d.key == key)


def test_an_override_template_may_use_the_short_names(tmp_path):
    house = tmp_path / "house"
    house.mkdir()
    (house / "promise_body.md.j2").write_text(
        "{{ p.company.legal_name }}｜{{ profile.company.legal_name }}｜{{ cat[\"5.2.4\"].title }}｜{{ a.level }}｜"
        "{{ f.required_managers }}｜{{ m | length }}｜{{ mc | length }}｜{{ todo | length }}｜{{ paths | length }}｜"
        "{{ plan.outlets }}\n", encoding="utf-8")
    bundle = make_bundle(HUALAN, content=house)
    shown = _document(bundle, "promise").markdown
    assert "\n佛山市华澜电器有限公司｜佛山市华澜电器有限公司｜维修｜四星｜3｜23｜6｜" in shown


def test_an_override_chapter_may_use_the_short_names_the_manual_sets(tmp_path):
    house = tmp_path / "house" / "manual"
    house.mkdir(parents=True)
    (house / "front.md.j2").write_text(
        "# 前言 {clauses=1,3,4,5.1,5.1.1.1,5.1.4.1,5.1.4.2,5.1.5.1,6.2.2}\n\n"
        "{{ c.legal_name }}：{{ o.aftersales_lead.name }}，{{ s.aftersales_staff }} 人，{{ r.hotline }}，"
        "{{ k.repair_days }} 天，{{ cu.follow_up.within_days }} 天，{{ ar.delivery.provided }}\n\n"
        "# 1 企业概况与适用范围\n\n概况。\n\n# 2 引用文件和术语\n\n## 2.1 引用文件\n\n清单。\n",
        encoding="utf-8")  # the sections system.md.j2 refers to (see("2.1")) and the materials checklist cites
    manual = _document(make_bundle(HUALAN, content=house.parent), "manual").markdown
    assert "\n佛山市华澜电器有限公司：" in manual


def test_every_short_name_is_the_clear_names_value():
    bundle = make_bundle(HUALAN)
    context = template_context(bundle.profile, bundle.catalogue, bundle.assessment, bundle.todo, bundle.paths,
                               bundle.materials, bundle.certification, bundle.facts)
    assert set(SHORT_NAMES) == {"p", "cat", "a", "f", "m", "mc", "todo", "paths", "plan"}
    for short, name in SHORT_NAMES.items():
        assert context[short] is context[name]


def test_a_form_renamed_in_the_data_is_renamed_everywhere(tmp_path):
    folder = standard_with(tmp_path, "forms.yaml", "name: 培训签到及考核表", "name: 培训记录表")
    manual = _document(make_bundle(HUALAN, catalogue=load_catalogue(folder)), "manual").markdown
    assert "培训签到及考核表" not in manual
    assert manual.count("培训记录表（R06）") == _document(make_bundle(HUALAN), "manual").markdown.count("培训签到及考核表（R06）") > 3


@pytest.mark.parametrize("call", ['form("R99")', 'cite_form("R99")', 'department("marketing")'])
def test_an_id_not_in_the_data_is_an_error_at_render_time(tmp_path, call):
    house = tmp_path / "house"
    house.mkdir()
    (house / "promise_body.md.j2").write_text(f"记录：{{{{ {call} }}}}\n", encoding="utf-8")
    with pytest.raises(AftersalesError) as info:
        make_bundle(HUALAN, content=house)
    (problem,) = info.value.problems
    assert info.value.message == "自定义模板有误" and problem.line == 1
    assert problem.file.endswith("promise_body.md.j2") and "” 不存在（见 content/standard/" in problem.message


def test_the_procedure_list_comes_from_the_data():
    manual = _document(make_bundle(HUALAN), "manual").markdown
    for procedure in load_procedures():
        assert f"| HL-SH-2026-{procedure.id} | {procedure.title} |" in manual
    assert "| HL-SH-2026-P03 | 培训与资质管理程序 | 5.1.2.1、5.1.3.2 | 人力资源部 |" in manual


def test_a_procedure_whose_clauses_are_all_excluded_is_not_listed():
    bundle = make_bundle(QIHENG)
    manual = _document(bundle, "manual").markdown
    appendix = manual.split("# 附录 B")[1].split("# 附录 C")[0]
    for procedure in load_procedures():
        listed = f"-{procedure.id} | {procedure.title} |" in appendix
        assert listed == any(cid not in bundle.facts.excluded for cid in procedure.clauses)
    assert "5.2.6" in bundle.facts.excluded and "废旧商品回收程序" not in appendix


def test_a_procedure_naming_no_clause_of_the_standard_is_a_located_error(tmp_path):
    folder = standard_with(tmp_path, "procedures.yaml", 'clauses: ["5.1.6"]', 'clauses: ["5.9.9"]')
    data = folder / "procedures.yaml"
    with pytest.raises(CatalogueError) as info:
        load_procedures(folder)
    (problem,) = info.value.problems
    assert problem.message == "程序文件 P06 引用了不存在的条款 5.9.9"
    assert problem.line == data.read_text(encoding="utf-8").split("\n").index(
        next(line for line in data.read_text(encoding="utf-8").split("\n") if "5.9.9" in line)) + 1


def test_blanks_are_noted_while_rendering(tmp_path):
    text = QIHENG.read_text(encoding="utf-8")
    assert "english_name" not in text  # qiheng has no English name: the form leaves it blank
    application = _document(make_bundle(QIHENG), "application")
    assert application.blanks == ("英文名称",) and "| 英文名称 | ＿＿＿＿＿＿（待填） |" in application.markdown
    assert make_bundle(QIHENG).blanks == ["英文名称"]


def test_a_blank_without_a_field_name_is_shown_but_not_listed(tmp_path):
    house = tmp_path / "house"
    house.mkdir()
    (house / "promise_body.md.j2").write_text("英文名：{{ profile.company.english_name | or_blank }}\n", encoding="utf-8")
    bundle = make_bundle(QIHENG, content=house)
    assert "英文名：＿＿＿＿＿＿（待填）" in _document(bundle, "promise").markdown
    assert bundle.blanks == ["英文名称"]  # the application form's own


@pytest.mark.parametrize("profile, customised", [(QIHENG, False), (HUALAN, True)])
def test_each_document_is_parsed_once(monkeypatch, profile, customised):
    from generator.text import clausetags

    parsed, skimmed = [], []
    parse = MarkdownIt.parse

    def counting(self, src, env=None):
        if "{clauses=" in src and not src.startswith("# 前\n"):  # a document (not a probe of a user's text)
            (skimmed if self is clausetags._skimmer() else parsed).append(src)
        return parse(self, src, env)

    monkeypatch.setattr(MarkdownIt, "parse", counting)
    bundle = make_bundle(profile)
    assert bool(bundle.profile.customisation) == customised
    # each DOCX's document's last text parsed once; the texts before it (the customised manual's template
    # output) only skimmed for their headings; the site's renderings, and a page only the site has, not yet
    assert sorted(parsed) == sorted(doc.markdown for doc in bundle.documents if doc.spec.filename)
    assert len(skimmed) == len(set(skimmed)) >= len(bundle.documents)
    sites = [doc.site for doc in bundle.documents if doc.site is not None]
    assert sites and all(len(site.tokens) > 0 for site in sites)  # the site's pages ask: parsed then, once
    assert all(len(doc.tokens) > 0 and doc.sections for doc in bundle.documents)
    assert len(parsed) == len(bundle.documents) + len(sites) == len(set(parsed))  # and the site-only page
