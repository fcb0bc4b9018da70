"""Profile text is data: Markdown, HTML and template syntax in it are shown literally."""
from __future__ import annotations

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import HUALAN, all_text, manual_html
from generator.build import make_bundle, write_bundle
from generator.text.literal import literal

EVIL = "<script>alert(1)</script>{{ 7*7 }}**x**"


@pytest.fixture(scope="module")
def evil_built(tmp_path_factory):
    text = HUALAN.read_text(encoding="utf-8")
    for old, new in (("legal_name: 佛山市华澜电器有限公司", f"legal_name: '{EVIL}'"),
                     ("short_name: 华澜电器", "short_name: '华澜 <b>{% raw %}'"),
                     ("head: 何志强\n      staff: 38", "head: '| 何志强 | [链接](http://x) #'\n      staff: 38")):
        assert old in text, old
        text = text.replace(old, new)
    folder = tmp_path_factory.mktemp("evil")
    path = folder / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    out = folder / "out"
    write_bundle(make_bundle(path), out)
    return out


def test_literal_escapes_markdown_and_html():
    assert literal("a*b*") == "a\\*b\\*"
    assert literal("<i>") == "&lt;i&gt;"
    assert literal("1. x") == "1\\. x"
    assert literal(2.0) == "2"


def test_docx_shows_the_exact_text(evil_built):
    manual = docx.Document(str(evil_built / "01-售后服务手册.docx"))
    text = all_text(manual)
    assert EVIL in text
    assert "49" not in text.replace("2026", "")  # {{ 7*7 }} was not evaluated
    assert "| 何志强 | [链接](http://x) #" in text
    header = manual.sections[0].header.paragraphs[0].text
    assert "华澜 <b>{% raw %}" in header


def test_site_escapes_the_text(evil_built):
    home = (evil_built / "site" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}**x**" in home
    assert "<script>alert(1)" not in home
    assert "<b>{% raw %}" not in home
    manual = manual_html(evil_built / "site")
    assert '<a href="http://x">' not in manual


def test_word_field_codes_stay_text(tmp_path):
    from docx.oxml.ns import qn

    field = '{ DATE \\@ "yyyy" } { INCLUDETEXT "c:/x" }'
    text = HUALAN.read_text(encoding="utf-8").replace(
        "english_name: Foshan Hualan Electric Appliance Co., Ltd.", f"english_name: '{field}'")
    path = tmp_path / "field.yaml"
    path.write_text(text, encoding="utf-8")
    write_bundle(make_bundle(path), tmp_path / "out", site=False)
    manual = docx.Document(str(tmp_path / "out" / "01-售后服务手册.docx"))
    assert field in all_text(manual)
    instructions = {t.text.split()[0] for t in manual.element.body.iter(qn("w:instrText"))}
    assert instructions == {"TOC", "PAGEREF", "REF"}  # only our own: the contents, its pages, references
    marks = {b.get(qn("w:name")) for b in manual.element.body.iter(qn("w:bookmarkStart"))}
    targets = {t.text.split()[1] for t in manual.element.body.iter(qn("w:instrText")) if "REF" in t.text.split()[0]}
    assert targets <= marks and all(name.startswith("_Toc") for name in targets)  # to our headings' bookmarks


def test_score_prints_rich_markup_in_a_name_as_it_is(tmp_path, capsys):
    """The terminal table must not read a company name as rich markup ("[/b]" used to crash it)."""
    from generator.cli import main

    name = "佛山[/b]市[red]华澜"
    path = tmp_path / "markup.yaml"
    path.write_text(HUALAN.read_text(encoding="utf-8").replace(
        "legal_name: 佛山市华澜电器有限公司", f'legal_name: "{name}"'), encoding="utf-8")
    assert main(["score", str(path)]) == 0
    assert capsys.readouterr().out.startswith(name + "  自评 93.66 分")


@pytest.fixture(scope="module")
def punctuated_built(tmp_path_factory):
    """Names that start with "=" and "~" (escaped with a backslash the site showed) and carry an attribute."""
    text = HUALAN.read_text(encoding="utf-8")
    for old, new in (("legal_name: 佛山市华澜电器有限公司", 'legal_name: "=佛山市华澜电器有限公司"'),
                     ("short_name: 华澜电器", """short_name: '~华澜 href="javascript:1"'""")):
        assert old in text, old
        text = text.replace(old, new)
    folder = tmp_path_factory.mktemp("punctuated")
    path = folder / "p.yaml"
    path.write_text(text, encoding="utf-8")
    write_bundle(make_bundle(path), folder / "out")
    return folder / "out"


def _shown(page: str) -> str:
    import html
    import re

    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_names_starting_with_equals_or_tilde_show_as_typed_on_the_site(punctuated_built):
    site = punctuated_built / "site"
    pages = {p.relative_to(site).as_posix(): _shown(p.read_text(encoding="utf-8")) for p in site.rglob("*.html")}
    for name in ("index.html", "promise.html", "checklist.html", "application.html"):
        assert "=佛山市华澜电器有限公司" in pages[name], name
    assert any('~华澜 href="javascript:1"' in text for text in pages.values())  # not cut by the safety hook
    stray = [name for name, text in pages.items() if "\\=" in text or "\\~" in text or "&#" in text]
    assert stray == []
    text = all_text(docx.Document(str(punctuated_built / "01-售后服务手册.docx")))
    assert "=佛山市华澜电器有限公司" in text and "\\=" not in text and "&#" not in text


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(
    list("甲 \t\n\r\x0b\x85\u2028=~&<>\\`*_[]{}#|!-+.)1a0:\u3000") + ["href", "1.", "src"])).map("".join)))
def test_text_left_as_it_is_is_text_the_escapes_would_leave_as_it_is(text):
    """literal() returns most values untouched without running its escapes (a long list's names and
    addresses): only where every escape would leave the text as it is."""
    from generator.text.literal import _escaped, unchanged

    assert literal(text) == _escaped(text)
    if unchanged(text):  # what the template sandbox prints as it is, without calling literal()
        assert _escaped(text) == text


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.integers(), st.integers(min_value=-10**16, max_value=10**16), st.text(), st.booleans()))
def test_the_templates_print_a_value_as_literal_writes_it(value):
    """The template sandbox prints plain text and ordinary whole numbers without calling literal()
    (sandbox.py): what it prints is what literal() writes."""
    from generator.render.documents import environment

    try:
        expected = literal(value)
    except Exception as exc:  # noqa: BLE001 - the same refusal either way
        with pytest.raises(type(exc)):
            environment().finalize(value)
        return
    from generator.render.template_limits import CONTROL

    if isinstance(value, str) and CONTROL.search(value):
        return  # refused by the sandbox, whichever way
    assert environment().finalize(value) == expected
