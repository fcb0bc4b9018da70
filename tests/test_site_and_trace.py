"""The site (built with mkdocs --strict), traceability and the coverage check."""
from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import ROOT
from generator.build import make_bundle
from generator.errors import CoverageError
from generator.render.documents import Document
from generator.render.trace import check_coverage, trace


def page(out, name: str) -> str:
    return (out / "site" / name).read_text(encoding="utf-8")


def test_site_pages_exist_with_company_content(hualan_built):
    _, out = hualan_built
    home = page(out, "index.html")
    assert "佛山市华澜电器有限公司" in home
    assert "93.66" in home and "四星" in home
    for name in ("application", "checklist", "scorecard", "promise", "plan", "trace", "manual/index",
                 "guide/index", "guide/5-3-2"):
        assert (out / "site" / f"{name}.html").is_file(), name
    chapters = sorted((out / "site" / "manual").glob("[0-9]*.html"))
    assert len(chapters) >= 20  # one page per chapter and appendix
    assert (out / "site" / "downloads" / "01-售后服务手册.docx").is_file()
    assert 'lang="zh"' in home
    assert "fonts.googleapis" not in home  # no web fonts: the site works offline


def test_clause_tags_link_to_the_guide_and_back(hualan_built):
    _, out = hualan_built
    chapter = next(p for p in (out / "site" / "manual").glob("*.html") if "售后服务管理师" in p.read_text(encoding="utf-8")
                   and "5.2 售后服务管理师" in p.read_text(encoding="utf-8"))
    html = chapter.read_text(encoding="utf-8")
    assert 'href="../guide/5-1-2.html#c-5-1-2-2"' in html
    guide = page(out, "guide/5-1-2.html")
    assert 'id="c-5-1-2-2"' in guide
    # from the clause back to the manual section that covers it
    target = re.search(r'id="c-5-1-2-2".*?href="(\.\./manual/\d+\.html#s-\d+)"', guide, re.S).group(1)
    file, anchor = target.replace("../", "").split("#")
    heading = re.search(rf'<h\d id="{anchor}">(.*?)<a', page(out, file), re.S).group(1)
    assert "售后服务管理师" in heading


def test_trace_matrix_rows_and_downloads(hualan_built):
    bundle, out = hualan_built
    matrix = page(out, "trace.html")
    for clause in bundle.catalogue.leaves():
        parts = clause.id.split(".")
        assert f'href="guide/{"-".join(parts[:3])}.html#c-{"-".join(parts)}"' in matrix
    row = next(t for t in bundle.traces if t.clause.id == "5.3.2")
    assert {p.document for p in row.places} >= {"manual", "scorecard"}
    assert [m.material.id for m in row.materials] == ["M13", "M17"]
    assert row.score.earned == 13
    csv_text = (out / "site" / "downloads" / "trace.csv").read_text(encoding="utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0] == "条款,名称,售后服务手册,其他文件,申请材料,评分,分值说明"  # the header first
    assert any(l.startswith("5.3.2,投诉处理,") and l.endswith(f",13 / 13*,{bundle.catalogue.weights_note}")
               for l in lines)
    from openpyxl import load_workbook

    sheet = load_workbook(out / "site" / "downloads" / "trace.xlsx").active
    values = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values["5.1.2.2"][5] == "3.33 / 5"


def test_search_index_is_segmented_chinese(hualan_built):
    _, out = hualan_built
    index = json.loads((out / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    complaint = next(d for d in index["docs"]
                     if d["location"].startswith("manual/") and d["title"].endswith("\u200b投诉\u200b处理"))
    assert "#" not in complaint["location"] or complaint["location"].split("#")[1].startswith("s-")


def test_coverage_check_names_the_uncovered_clause(catalogue):
    bundle = make_bundle(ROOT / "company_profiles" / "hualan-appliances.yaml")
    manual = next(d for d in bundle.documents if d.key == "manual")
    markdown = manual.markdown.replace("{clauses=5.1.6}", "").replace(",5.1.6}", "}")
    cut = Document.parse(manual.spec, markdown)
    documents = [cut if d.key == "manual" else d for d in bundle.documents]
    with pytest.raises(CoverageError) as info:
        check_coverage(trace(catalogue, documents, bundle.materials, bundle.assessment), catalogue)
    assert [p.message for p in info.value.problems] == ["条款 5.1.6 改进 没有任何手册章节覆盖"]


def test_excluded_clause_needs_no_coverage(catalogue):
    bundle = make_bundle(ROOT / "company_profiles" / "qiheng-software.yaml")
    manual = next(d for d in bundle.documents if d.key == "manual")
    markdown = manual.markdown.replace("{clauses=5.2.6}", "")
    cut = Document.parse(manual.spec, markdown)
    documents = [cut if d.key == "manual" else d for d in bundle.documents]
    check_coverage(trace(catalogue, documents, bundle.materials, bundle.assessment), catalogue)


def test_published_site_has_the_company_sites_settings():
    """The top-level mkdocs.yml is written by hand; its theme, search and Markdown settings must stay
    those that generator/output/site/project.py gives every company site, or the published pages would differ."""
    import yaml

    from generator.output.site.project import mkdocs_config

    published = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    company = yaml.load(yaml.safe_dump(mkdocs_config("x", [])), Loader=yaml.BaseLoader)  # both as text values
    for key in ("use_directory_urls", "strict", "theme", "plugins", "markdown_extensions", "extra_css", "extra"):
        assert published[key] == company[key], key


@pytest.mark.slow
def test_published_site_builds_strict(tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    build(config)
    portal = (tmp_path / "site" / "companies" / "index.html").read_text(encoding="utf-8")
    for name in ("佛山市华澜电器有限公司", "杭州云选优品电子商务有限公司", "南京启衡信息技术有限公司"):
        assert name in portal
    assert (tmp_path / "site" / "companies" / "qiheng-software" / "manual" / "index.html").is_file()


@pytest.mark.slow
def test_portal_lists_every_company_and_links_to_each_site(tmp_path, capsys):
    from generator.cli import main

    assert main(["build", str(ROOT / "company_profiles"), "-o", str(tmp_path)]) == 0
    portal = tmp_path / "portal" / "site" / "index.html"
    html = portal.read_text(encoding="utf-8")
    for slug, name in (("hualan-appliances", "佛山市华澜电器有限公司"), ("yunxuan-online", "杭州云选优品电子商务有限公司"),
                       ("qiheng-software", "南京启衡信息技术有限公司")):
        link = f'href="../../{slug}/site/index.html"'
        assert link in html and name in html
        assert (portal.parent / "../.." / slug / "site" / "index.html").resolve().is_file()
    assert "62" in html and "不通过" in html and "售后服务管理师" in html
    assert "企业一览" in capsys.readouterr().out


@pytest.mark.slow
def test_serve_rebuilds_when_the_profile_changes(tmp_path):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    profile = tmp_path / "q.yaml"
    profile.write_text((ROOT / "company_profiles" / "qiheng-software.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", str(profile), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_for(text: str) -> bool:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    if text in response.read().decode("utf-8"):
                        return True
            except OSError:
                pass
            time.sleep(1)
        return False

    try:
        assert wait_for("025-5288 6600")
        profile.write_text(profile.read_text(encoding="utf-8").replace("hotline: 025-5288 6600", "hotline: 025-5288 9999"),
                           encoding="utf-8")
        assert wait_for("025-5288 9999")
    finally:
        process.terminate()
        process.wait(timeout=30)


# --- the pages' templates (content/pages/) -------------------------------------------------------------
def test_site_pages_sentences_are_in_templates():
    """The Python that builds the site hands its templates data: the sentences the pages show are in
    content/pages/, not in generator/output/site/."""
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "generator" / "output" / "site").glob("*.py"))
    templates = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "content" / "pages").glob("*.md.j2"))
    for sentence in ("主要失分项", "对应条款：", "评分方法", "部分落实", "点击企业名称打开该企业的文件网站", "企业档案有误", "本企业", "下载 DOCX",
                     "本条款为说明性条款，不单独评分"):
        assert sentence in templates and sentence not in source, sentence


def test_profile_text_on_the_site_pages_is_shown_literally(tmp_path):
    """Markup typed into the profile stays text on the pages the site's templates write."""
    from conftest import HUALAN
    from generator.output.site.pages import site_pages

    data = yaml.safe_load(HUALAN.read_text(encoding="utf-8"))
    data["company"]["legal_name"] = "**x** <b>y</b> {{ 7*7 }}"
    data["company"]["short_name"] = "# {% raw %}"
    path = tmp_path / "evil.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pages = site_pages(make_bundle(path))
    shown = r"\*\*x\*\* &lt;b&gt;y&lt;/b&gt; \{\{ 7\*7 \}\}"
    assert pages["index.md"].startswith("# " + shown + "\n\n\\# \\{% raw %\\} · ")
    assert f"\n{shown}　编号 " in pages["manual/index.md"]


def test_a_wrong_navigation_file_is_located(tmp_path, monkeypatch):
    import generator.output.site.pages as site
    from generator.errors import CatalogueError

    (tmp_path / "nav.yaml").write_text("company:\n  - 首页: index.md\n    目录: manual/index.md\n  - chapter\n"
                                       "project:\n  - chapters\n", encoding="utf-8")
    monkeypatch.setattr(site, "PAGES", tmp_path)
    with pytest.raises(CatalogueError) as caught:
        site.nav(make_bundle(ROOT / "company_profiles" / "hualan-appliances.yaml"))
    assert {problem.line for problem in caught.value.problems} == {2, 4, 6}  # the project's nav lists companies


def test_the_project_sites_navigation_takes_its_labels_from_nav_yaml():
    from generator.output.site.pages import project_nav

    company = [{"首页": "companies/a/index.md"}]
    standard = [{"标准概览": "standard/index.md"}]
    assert project_nav([("甲", company)], standard) == [
        {"首页": "index.md"}, {"标准指南": standard},
        {"示例企业": [{"企业一览": "companies/index.md"}, {"甲": company}]}]


def test_the_site_links_every_generated_file_the_checklist_names_and_the_docx_does_not():
    from generator.output.site.pages import site_pages

    bundle = make_bundle(ROOT / "company_profiles" / "hualan-appliances.yaml")
    checklist = next(doc for doc in bundle.documents if doc.key == "checklist")
    page = site_pages(bundle)["checklist.md"]
    files = {line.generated.file for line in bundle.materials if line.generated and line.generated.file}
    assert files and files <= set(bundle.docx)
    for file in files:
        assert f"由本工具生成：[{file}](downloads/{file})" in page
        assert f"由本工具生成：{file}" in checklist.markdown
    assert "downloads/" not in checklist.markdown
    assert [doc.key for doc in bundle.documents if doc.site is not None] == ["checklist"]  # rendered twice
    assert checklist.site.sections == checklist.sections
