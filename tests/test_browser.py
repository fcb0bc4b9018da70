"""The site in a real browser: headless Chromium (Debian's) driven by Playwright, over local HTTP."""
from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager

import pytest

from conftest import HUALAN, need_tool
from generator.build import make_bundle, write_bundle

pytestmark = pytest.mark.slow
EVIL = "<script>alert(1)</script>{{ 7*7 }}**x**"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@contextmanager
def serve(folder):
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    chromium = need_tool("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        yield browser
        browser.close()


@contextmanager
def published_page(folder, path: str):
    """The project's published site built into `folder` (mkdocs build --strict, as the README says) and
    `path` of it open in Chromium over local HTTP; the page's console errors gather in `page.errors`."""
    import subprocess
    import sys

    from conftest import ROOT

    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(folder / "site")],
                   cwd=ROOT, check=True, capture_output=True)
    chromium = need_tool("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p, serve(folder / "site") as base:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/{path}")
        page.errors = errors
        yield page
        browser.close()


def heading(page) -> str:
    return page.locator("h1").first.inner_text().rstrip("¶")  # the permalink sign


def open_page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, dialogs = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return page, errors, dialogs


def test_browse_follow_clause_links_search_and_download(browser, hualan_built, tmp_path):
    _, out = hualan_built
    with serve(out / "site") as base:
        page, errors, _ = open_page(browser)
        page.goto(f"{base}/index.html")
        assert heading(page) == "佛山市华澜电器有限公司"
        assert page.locator(".level-badge").inner_text() == "四星"
        page.screenshot(path=str(tmp_path / "home.png"), full_page=True)

        # a download link answers 200
        href = page.locator('a[href^="downloads/01-"]').first.get_attribute("href")
        response = page.request.get(f"{base}/{href}")
        assert response.status == 200 and response.body()[:2] == b"PK"

        # guide page of 5.1.2 → the manual section that covers 5.1.2.2 → and back by its clause tag
        page.goto(f"{base}/guide/5-1-2.html")
        block = page.locator("#c-5-1-2-2 ~ ul").first
        block.locator('a[href*="manual/"]').first.click()
        page.wait_for_load_state()
        assert "/manual/" in page.url and "#s-" in page.url
        anchor = page.url.split("#")[1]
        assert "售后服务管理师" in page.locator(f"#{anchor}").inner_text()
        page.screenshot(path=str(tmp_path / "manual.png"))
        page.locator(f"#{anchor} ~ p.clause-tag a").first.click()
        page.wait_for_load_state()
        assert page.url.endswith("guide/5-1-2.html#c-5-1-2-2")

        # Chinese search finds the complaint-handling section
        page.goto(f"{base}/index.html")
        search = page.locator("input.md-search__input")
        search.click()
        search.fill("投诉")
        search.press("End")  # the search listens for key events; filling alone sends none
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=15000)
        texts = " ".join(results.all_inner_texts())
        assert "投诉处理" in texts.replace("\u200b", "")
        page.screenshot(path=str(tmp_path / "search.png"))
        assert errors == []
        print(f"screenshots: {tmp_path}")


def test_a_company_site_opened_from_disk_still_searches(browser, hualan_built):
    """A consultant hands the site over as a folder: opened as files (file://), the search (its worker
    run by the site's own shim, its index read from search_index.js) still finds Chinese text, and no
    page asks another host for anything."""
    _, out = hualan_built
    page, errors, _ = open_page(browser)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((out / "site" / "index.html").as_uri())
    search = page.locator("input.md-search__input")
    search.click()
    search.fill("投诉")
    search.press("End")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15000)
    assert "投诉处理" in " ".join(results.all_inner_texts()).replace("\u200b", "")
    assert errors == []
    assert all(url.startswith(("file:", "data:", "blob:", "about:")) for url in requests), requests


def test_hostile_company_name_is_shown_literally(browser, tmp_path):
    text = HUALAN.read_text(encoding="utf-8").replace("legal_name: 佛山市华澜电器有限公司", f"legal_name: '{EVIL}'")
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    write_bundle(make_bundle(path), tmp_path / "out")
    with serve(tmp_path / "out" / "site") as base:
        page, errors, dialogs = open_page(browser)
        for name in ("index.html", "application.html", "manual/index.html"):
            page.goto(f"{base}/{name}")
            page.wait_for_load_state("networkidle")
            body = page.locator("article").inner_text()
            assert EVIL in body, name
            assert "49" not in body.replace("2026", ""), name
        page.goto(f"{base}/index.html")
        assert heading(page) == EVIL
        page.screenshot(path=str(tmp_path / "evil.png"))
        assert dialogs == [] and errors == []


FIT = """() => {
  const problems = [];
  for (const svg of document.querySelectorAll('figure.figure svg')) {
    const width = svg.viewBox.baseVal.width, boxes = [...svg.querySelectorAll('rect[rx]')];
    for (const t of svg.querySelectorAll('text')) {
      const box = t.getBBox();
      if (box.x < -0.5 || box.x + box.width > width + 0.5) problems.push(['outside', t.textContent]);
      const x = +t.getAttribute('x'), y = +t.getAttribute('y');
      const frame = boxes.find(r => r.x.baseVal.value <= x && x <= r.x.baseVal.value + r.width.baseVal.value
                                  && r.y.baseVal.value <= y && y <= r.y.baseVal.value + r.height.baseVal.value);
      if (frame && box.width > frame.width.baseVal.value - 2) problems.push(['wider than its box', t.textContent]);
    }
  }
  return problems;
}"""


def test_figures_are_svg_whose_text_is_text_and_fits(browser, hualan_built, tmp_path):
    bundle, out = hualan_built
    department = bundle.profile.organisation.departments[0].name
    with_figures = sorted(str(p.relative_to(out / "site")) for p in (out / "site").rglob("*.html")
                          if "<figure" in p.read_text(encoding="utf-8"))
    org_page = next(p for p in with_figures
                    if "<figcaption>售后服务组织机构图</figcaption>" in (out / "site" / p).read_text(encoding="utf-8"))
    assert len(with_figures) == 6  # home, two manual chapters, plan, checklist, scorecard
    with serve(out / "site") as base:
        page, errors, _ = open_page(browser)
        for name in with_figures:
            page.goto(f"{base}/{name}")
            assert page.locator("figure.figure svg text").count() > 5, name
            assert page.evaluate(FIT) == [], name
        page.goto(f"{base}/{org_page}")
        figure = page.locator("figure.figure").first
        figure.scroll_into_view_if_needed()
        assert "售后服务组织机构图" in figure.locator("figcaption").inner_text()
        # the reader can find and select the chart's text: it is text, not a picture of it
        assert page.evaluate("(t) => window.find(t)", department)
        assert page.evaluate("() => window.getSelection().toString()") == department
        assert page.evaluate("() => window.getSelection().anchorNode.parentElement.closest('svg') !== null")
        figure.screenshot(path=str(tmp_path / "org-chart.png"))
        assert errors == []
        print(f"screenshot: {tmp_path / 'org-chart.png'}")
