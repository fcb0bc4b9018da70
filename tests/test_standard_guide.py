"""The published site's guide to GB/T 27922 for any reader (generator/output/site/reference.py): a page
per second-level indicator, the chapters outside them, the process with its person-days and fees,
each checked against the data and engines it must agree with, and the built site's links and search."""
from __future__ import annotations

import datetime as dt
import html
import re
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from conftest import ROOT, STANDARD_DATA
from generator.build import make_bundle
from generator.output.site.reference import Example, reference_nav, reference_pages, standard_page
from generator.standard.catalogue import load_catalogue


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="module")
def examples():
    out = []
    for path in sorted((ROOT / "company_profiles").glob("*.yaml")):
        bundle = make_bundle(path)
        out.append(Example.of(bundle))
    return out


@pytest.fixture(scope="module")
def pages(catalogue, examples):
    return reference_pages(catalogue, examples)


def test_a_page_per_second_level_indicator_and_the_navigation_lists_them(catalogue, pages):
    seconds = [c.id for c in catalogue.indicators(3)]
    assert seconds == ["5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5", "5.1.6", "5.1.7", "5.2.1", "5.2.2", "5.2.3",
                       "5.2.4", "5.2.5", "5.2.6", "5.3.1", "5.3.2"]
    assert set(pages) == {"standard/index.md", "standard/process.md", "standard/selfcheck.md", "standard/faq.md",
                          "standard/examples.md",
                          "javascripts/selfcheck-data.js", "javascripts/tariff-data.js",
                          *(standard_page(i) for i in seconds)}
    listed = [next(iter(entry.values())) for entry in reference_nav(catalogue)]
    assert listed == ["standard/index.md", *(standard_page(i) for i in seconds), "standard/process.md",
                      "standard/selfcheck.md", "standard/faq.md", "standard/examples.md"]


def test_every_scored_clause_says_what_it_asks_how_it_is_checked_and_how_to_improve(catalogue, pages):
    for leaf in catalogue.leaves():
        page = pages[standard_page(leaf.id)]
        assert leaf.findings, f"{leaf.id} has no typical nonconformities in gbt27922-2011.yaml"
        for text in (leaf.requirement, leaf.action, *leaf.findings):
            assert text in page, (leaf.id, text)
        assert "、".join(leaf.evidence) in page
        star = "\\*" if leaf.provisional else ""  # the star escaped: never italics
        points = f"{leaf.points:g} 分{star}"
        assert points in page or f"（{points}）" in page
        checked = page.split(leaf.findings[0])[0].rsplit("**评审怎么查**：", 1)[1]
        if leaf.fact == "managers":
            assert "应配人数之比" in checked
        elif leaf.sampled:
            assert "不合格样本的比例" in checked
        else:
            assert "扣除本项全部分值" in checked
        assert ("可按 6.2.2 删减" in checked) == leaf.excludable
        for form in (f for f in catalogue.forms if f.clause == leaf.id):
            assert form.name in page
        for material in (m for m in catalogue.materials if leaf.id in m.clauses):
            assert f"{material.id} {material.name}" in page


def test_provisional_points_carry_the_caveat_and_confirmed_ones_no_star(pages, catalogue):
    """Stars are escaped, so two in a table cell never make italics (a stranger saw 3<em>…</em>)."""
    row = next(line for line in pages["standard/index.md"].splitlines() if line.startswith("| [5.1.1 "))
    assert row.endswith("5.1.1.1 售后部门（3\\*）、5.1.1.2 服务网点（3\\*） |")
    manager = pages[standard_page("5.1.2.2")]
    assert "5.1.2.2 售后服务管理师（5 分）" in manager  # published by the standard: no star
    assert "5.1.2.1 人员资质（4 分\\*）" in manager
    assert catalogue.weights_note.replace("*", "\\*") in manager


def test_laws_by_industry_are_listed_where_the_standard_asks_for_them(pages):
    page = pages[standard_page("5.1.4.2")]
    packs = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "content/industries").glob("*.yaml")}
    for pack in packs.values():
        row = next(line for line in page.splitlines() if line.startswith(f"| {pack['name']} |"))
        for law in pack["laws"]:
            assert law.replace(".", "\\.") in row or law in row, (pack["name"], law)
    assert "各行业常用的法律法规" not in pages[standard_page("5.2.4")]


def _section(page: str, clause) -> str:
    """The part of an indicator's page about `clause`: under its heading, or the whole page."""
    head = f"## {clause.id} {clause.title}"
    if head not in page:
        return page
    return page.split(head, 1)[1].split("\n## ", 1)[0]


def test_each_clause_shows_how_every_example_meets_it(pages, examples, catalogue):
    for leaf in catalogue.leaves():
        section = _section(pages[standard_page(leaf.id)], leaf)
        for example in examples:
            t = example.traces[leaf.id]
            target = f"../{example.prefix}guide/{standard_page(leaf.id).removeprefix('standard/')}#c-{leaf.id.replace('.', '-')}"
            [(shown, basis)] = re.findall(rf"^\| \[{re.escape(example.name)}\]\({re.escape(target)}\) \| (.+?) \| (.*) \|$",
                                          section, re.M)
            assert (basis == "") == bool(t.excluded_reason)  # why it scores so, as the scorecard says
            if t.excluded_reason:
                assert shown == f"已删减：{t.excluded_reason}"
            else:
                earned, points = re.match(r"([\d.\\]+) / ([\d.\\]+) 分", shown).groups()
                assert abs(float(earned.replace("\\", "")) - float(t.score.earned)) < 0.005
                assert float(points.replace("\\", "")) == float(t.score.points)
                assert shown.endswith(t.score.status.label)


def _yuan(value) -> str:
    return f"{int(value):,}"


def test_fees_table_is_the_tariff_priced_by_hand(pages):
    """Each headcount band's days and fees worked out here from tariffs.yaml itself: initial = application +
    registration + first annual fee + days x rate; surveillance = annual + days x rate; recertification =
    registration + days x rate (the tariff's own example: 1,200 staff, 16 days, 53,000 yuan)."""
    tariff = next(t for t in yaml.safe_load((STANDARD_DATA / "tariffs.yaml").read_text(encoding="utf-8"))["tariffs"]
                  if t.get("default"))
    fees, low = tariff["fees"], 1
    page = pages["standard/process.md"]
    rows = [line for line in page.splitlines() if re.match(r"\| [\d,]+–[\d,]+ 人", line)]
    assert len(rows) == len(tariff["person_days"])
    for line, band in zip(rows, tariff["person_days"]):
        cells = [c.strip().replace("\\", "") for c in line.strip("|").split("|")]
        assert cells[0].startswith(f"{low:,}–{band['max']:,} 人")
        for days_at, stage, fixed in ((1, "initial", fees["application"] + fees["registration"] + fees["annual"]),
                                      (3, "surveillance", fees["annual"]), (5, "recert", fees["registration"])):
            days = band[stage]
            if days is None:
                assert cells[days_at] == "待核定" and cells[days_at + 1] == "待报价"
                continue
            assert Fraction(cells[days_at]) == Fraction(str(days))
            assert cells[days_at + 1] == _yuan(Fraction(str(days)) * fees["day_rate"] + fixed)
        low = band["max"] + 1
    assert "| 1,176–1,550 人 | 16 | 53,000 |" in page


def test_surveillance_windows_are_those_the_company_timeline_computes(pages):
    """The process page says the windows in months after the certificate; a company's timeline
    (assess.timeline.milestones) gives them as dates: for any issue date they agree."""
    from generator.assess.dates import add_months
    from generator.assess.timeline import milestones
    from generator.standard.scheme import load_scheme

    scheme = load_scheme()
    page = pages["standard/process.md"]
    said = {int(k): (int(a), int(b)) for k, a, b in re.findall(r"第 (\d) 次监督评审 \| 发证后 (\d+)–(\d+) 个月内", page)}
    assert len(said) == scheme.surveillance.count
    for decision in (dt.date(2026, 1, 31), dt.date(2026, 3, 15), dt.date(2027, 12, 1)):
        onsite = SimpleNamespace(start=decision, end=decision)  # milestones reads only its dates
        steps = milestones(scheme, decision, decision, decision, onsite, decision, add_months(decision, 36))
        windows = [m for m in steps if m.kind == "surveillance"]
        assert len(windows) == len(said)
        for m in windows:
            first, last = said[m.number]
            assert m.start == add_months(decision, first)
            year_end = last == 12 * m.number  # the window stops the day before the certificate's year ends
            assert m.end == add_months(decision, last) - dt.timedelta(days=1 if year_end else 0)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def _parsed(path: Path) -> _Links:
    links = _Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


@pytest.mark.slow
def test_published_guide_links_land_on_real_pages_and_anchors_both_ways(tmp_path):
    """Built with `mkdocs build --strict` from the project's root as a reader would: every link of the
    guide's pages and of the examples' guide pages to it reaches a page and, with an anchor, an element."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                   cwd=ROOT, check=True, capture_output=True)
    site = tmp_path / "site"
    pages = sorted((site / "standard").glob("*.html"))
    assert len(pages) == 20
    checked = 0
    back = set()
    for page in [*pages, *sorted(site.glob("companies/*/guide/*.html"))]:
        for href in _parsed(page).hrefs:
            if re.match(r"[a-z]+:", href) or href.startswith("#"):
                continue
            target, _, anchor = html.unescape(href).partition("#")
            path = (page.parent / target).resolve()
            assert path.is_file(), (page, href)
            if anchor:
                assert anchor in _parsed(path).ids, (page, href)
                checked += 1
            if "/companies/" in str(page) and "/standard/" in str(path):
                back.add(page.relative_to(site).as_posix())
    assert checked > 200
    assert len(back) == 3 * 16  # every example's indicator pages and guide index link to the guide


@pytest.mark.slow
def test_guide_navigation_and_search_in_a_browser(tmp_path):
    """A reader goes from the guide to an example's coverage and back, and finds a clause title by
    Chinese search; no console errors."""
    import subprocess
    import sys

    from test_browser import ARGS, open_page, serve
    from conftest import need_tool

    chromium = need_tool("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                   cwd=ROOT, check=True, capture_output=True)
    with sync_api.sync_playwright() as p, serve(tmp_path / "site") as base:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        page, errors, dialogs = open_page(browser)
        page.goto(f"{base}/index.html")
        page.get_by_role("link", name="标准指南").first.click()
        page.wait_for_url("**/standard/index.html")
        page.locator("article").get_by_role("link", name="5.1.2 人员配置").click()
        page.wait_for_url("**/standard/5-1-2.html")
        assert "常见的不符合" in page.locator("article").inner_text()
        page.locator("article").get_by_role("link", name="华澜电器").last.click()
        page.wait_for_url("**/companies/hualan-appliances/guide/5-1-2.html#c-5-1-2-2")
        assert "本企业" in page.locator("article").inner_text()
        page.locator("article").get_by_role("link", name="5.1.2 人员配置").first.click()
        page.wait_for_url("**/standard/5-1-2.html")
        page.screenshot(path=str(tmp_path / "guide.png"), full_page=True)

        search = page.locator("input.md-search__input")
        search.click()
        search.fill("废弃商品回收")
        search.press("End")
        # the results of this query link the indicator's page (waited for: the list fills in as the index loads)
        page.locator('.md-search-result__link[href*="standard/5-2-6.html"]').first.wait_for(timeout=15_000)
        assert not errors and not dialogs
        browser.close()


def test_faq_answers_are_sourced_and_their_numbers_come_from_the_data(pages, catalogue):
    faq = yaml.safe_load((ROOT / "content/pages/faq.yaml").read_text(encoding="utf-8"))["faq"]
    page = pages["standard/faq.md"]
    assert len(faq) >= 10
    for i, entry in enumerate(faq, 1):
        assert f"## {entry['question']} {{ #q-{i} }}" in page
        assert entry["source"] and "seed" not in entry["source"]  # a reader's words, not a file name
    assert "{" not in page.split("{ #q-")[0] and not re.search(r"\{[a-z_]+\}", page)  # every placeholder filled
    levels = "；".join(f"{level.min:g} 分及以上为{level.name}" for level in reversed(catalogue.scoring.levels))
    assert levels in page
    assert f"至少 {catalogue.scoring.managers.minimum} 名" in page


def test_a_wrong_faq_placeholder_is_told_with_the_file(tmp_path, monkeypatch, catalogue):
    import generator.output.site.reference as reference
    from generator.errors import CatalogueError

    (tmp_path / "faq.yaml").write_text("faq:\n  - {question: 问, answer: '{levle} 分', source: 某问答, evidence: S, see: process}\n",
                                       encoding="utf-8")
    monkeypatch.setattr(reference, "PAGES", tmp_path)
    with pytest.raises(CatalogueError) as caught:
        reference.faq(catalogue)
    assert "levle" in caught.value.problems[0].message and "faq.yaml" in caught.value.problems[0].file


def test_examples_side_by_side_show_each_clause_for_each_company(pages, examples, catalogue):
    page = pages["standard/examples.md"]
    for example in examples:
        assert f"[{example.name}](../{example.prefix}index.md)" in page
        assert "| 预测等级 |" in page and example.assessment.level in page
    for leaf in catalogue.leaves():
        row = next(line for line in page.splitlines() if line.startswith(f"| [{leaf.id} {leaf.title}]"))
        cells = row.strip("|").split("|")[2:]
        assert len([c for c in cells if c.strip()]) == len(examples)
        for example, cell in zip(examples, cells):
            t = example.traces[leaf.id]
            assert ("删减" in cell) == bool(t.excluded_reason)
            assert f"#c-{leaf.id.replace('.', '-')})" in cell


@pytest.mark.slow
def test_published_site_works_from_disk_without_any_outside_address(tmp_path):
    """Opened as files (file://), as a consultant hands a site over: search finds a clause title and a
    FAQ answer, the self-check and the calculator run, nothing is loaded from another host (no CDN,
    no web font), and the console stays clean."""
    import subprocess
    import sys

    from test_browser import ARGS
    from conftest import need_tool

    chromium = need_tool("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                   cwd=ROOT, check=True, capture_output=True)
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", text), page
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors, requests = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        for query, target in (("废弃商品回收", "standard/5-2-6.html"), ("真伪", "standard/faq.html"), ("年审", "standard/faq.html")):
            page.goto((site / "standard" / "index.html").as_uri())  # a fresh page: no earlier query's results
            search = page.locator("input.md-search__input")
            search.click()
            search.fill(query)
            search.press("End")
            page.locator(f'.md-search-result__link[href*="{target}"]').first.wait_for(timeout=15_000)
        page.goto((site / "standard" / "selfcheck.html").as_uri())
        assert "自评得分 100 分" in page.locator(".selfcheck-score").inner_text()
        page.goto((site / "standard" / "process.html").as_uri())
        page.locator("[data-employees]").fill("1200")
        assert "53,000 元" in page.locator('tr[data-stage="initial"]').inner_text()
        assert not errors
        assert all(url.startswith(("file:", "data:", "blob:", "about:")) for url in requests), \
            [u for u in requests if not u.startswith(("file:", "data:", "blob:", "about:"))]
        browser.close()


@pytest.mark.slow
def test_every_guide_page_loads_without_console_errors(tmp_path):
    import subprocess
    import sys

    from test_browser import ARGS, serve
    from conftest import need_tool

    chromium = need_tool("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                   cwd=ROOT, check=True, capture_output=True)
    pages = [*sorted(site.glob("standard/*.html")), site / "index.html", site / "companies" / "index.html",
             *sorted(site.glob("companies/*/index.html")), *sorted(site.glob("companies/*/guide/*.html"))[:6]]
    with sync_api.sync_playwright() as p, serve(site) as base:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("console", lambda m: errors.append((page.url, m.text)) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: errors.append((page.url, str(e))))
        for path in pages:
            page.goto(f"{base}/{path.relative_to(site).as_posix()}")
            page.wait_for_load_state("load")
        browser.close()
    assert len(pages) > 25
    assert errors == []
