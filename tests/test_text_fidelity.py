"""Text shows as typed on both renderers of the same Markdown: markdown-it-py in the DOCX writer and
Python-Markdown (with the generated mkdocs.yml's extensions and the safety hook) on the site.

`literal()` (every profile value in a template) must come out as exactly the input's text, with no
structure of its own, wherever a template puts it; a user's `customisation` text keeps its Markdown
formatting, but no HTML of the user's reaches the site and both renderers show the same characters.
"""
from __future__ import annotations

import html
import io
import re
import string
from html.parser import HTMLParser
from types import SimpleNamespace

import docx
import markdown
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from generator.text import clausetags
from generator.output.docx.writer import DocxMeta, write_docx
from generator.errors import AftersalesError
from generator.text.html_safety import safe_links
from generator.text.html_text import SITE_EXTENSIONS, page_links
from generator.text.literal import literal
from generator.text.user_markdown import user_markdown
from generator.render.documents import customise
from generator.output.site.project import mkdocs_config
from generator.text.wide_lines import join_wide_lines

META = DocxMeta(title="测试", company="公司", short_name="公司", number="N-1", version="A/0")
SITE_CONFIG = mkdocs_config("测试", [])["markdown_extensions"]
TEXT = st.text(alphabet=st.sampled_from(
    list(string.punctuation) + list(string.ascii_letters[:6] + string.digits[:4]) + list("华澜电器中文")
    + [" ", " ", " ", "\t", "\n", "\u3000", "é"]), min_size=1, max_size=24)


def site_html(text: str) -> str:
    """The HTML the site makes of a page's Markdown (extensions as in mkdocs.yml, then the hooks)."""
    names = [e if isinstance(e, str) else next(iter(e)) for e in SITE_CONFIG]
    configs = {next(iter(e)): next(iter(e.values())) for e in SITE_CONFIG if isinstance(e, dict)}
    return safe_links(join_wide_lines(markdown.markdown(text, extensions=names, extension_configs=configs)))


class Page(HTMLParser):
    """Start tags with their attributes, and the text of each paragraph, heading and cell."""

    LEAVES = {"p", "th", "td", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.texts: list[str] = []
        self.text = ""  # all text, in order
        self.leaf = False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag in self.LEAVES:
            self.texts.append("")
            self.leaf = True

    def handle_endtag(self, tag):
        if tag in self.LEAVES:
            self.leaf = False

    def handle_data(self, data):
        self.text += data
        if self.leaf:
            self.texts[-1] += data


def fold(text: str) -> str:
    return " ".join(text.split())


def docx_body(text: str) -> docx.document.Document:
    return docx.Document(io.BytesIO(write_docx(text, META)))


def body_paragraphs(document) -> list:
    """The paragraphs after the cover page."""
    paragraphs = document.paragraphs
    cover_end = next(i for i, p in enumerate(paragraphs) if p.style.name == "Cover Meta")
    return paragraphs[cover_end + 1:]


# --- literal() --------------------------------------------------------------------------------------
def contexts(value: str) -> str:
    """A template's places for a value: a paragraph of its own, a paragraph's second line (where a
    line of "=" or "-" would underline the first), a table cell, and the middle of a line."""
    return f"{value}\n\n前文A\n{value}\n\n| 列 |\n| --- |\n| {value} |\n\n中{value}后\n"


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT.filter(lambda s: s.strip()))
@example("=佛山市华澜电器有限公司")
@example("~佛山市华澜电器有限公司")
@example("===")
@example("~~~ x")
@example("~~~")
@example("```")
@example("----")
@example("- x")
@example("+ x")
@example("* x")
@example("> x")
@example("1. x")
@example("1) x")
@example("12345. x")
@example("# x")
@example("#x")
@example("    code")
@example("\tcode")
@example(" \t x")
@example("[TOC]")
@example("x{: .cls}")
@example("{#id}")
@example("<b>x</b> &amp; &#61;")
@example('<a href="javascript:alert(1)">a</a> src = x')
@example("a\\")
@example("a  ")
@example("\\=\\~\\<\\&")
@example("|a|b|")
@example("![x](y)")
@example("<http://x>")
@example("x\n===")
@example("a\n    b\n- c\n~~~")
def test_literal_shows_exactly_the_text_on_both_renderers(value):
    shown = fold(value)
    expected = [shown, fold("前文A " + value), "列", shown, fold(f"中{value}后")]
    markdown_text = contexts(literal(value))

    page = Page(site_html(markdown_text))
    assert [tag for tag, _ in page.tags] == ["p", "p", "table", "thead", "tr", "th", "tbody", "tr", "td", "p"]
    assert all(attrs == [] for tag, attrs in page.tags if tag != "th")
    assert [fold(t) for t in page.texts] == expected

    document = docx_body(markdown_text)
    paragraphs = body_paragraphs(document)
    assert [p.style.name for p in paragraphs] == ["Body Text", "Body Text", "Normal", "Body Text"]
    assert [fold(p.text) for p in paragraphs] == [expected[0], expected[1], "", expected[4]]
    assert all(not run.bold and not run.italic for p in paragraphs for run in p.runs)
    [table] = document.tables
    assert [[fold(c.text) for c in row.cells] for row in table.rows] == [["列"], [shown]]


@pytest.mark.parametrize("value, escaped", [
    ("=佛山市华澜电器有限公司", "=佛山市华澜电器有限公司"),  # only a line of "=" alone underlines
    ("~佛山", "~佛山"), ("~~佛山", "~~佛山"),  # only "~~~" opens a code block
    ("==", "&#61;="), (" ~~~x", " &#126;~~x"),
    ("a=b x = y", "a=b x = y"), ('HREF ="x"', 'HREF &#61;"x"'),
    ("    x", "&#32;   x"), ("\t x", "&#9; x"), ("   x", "   x"),
])
def test_literal_escapes_only_where_it_matters(value, escaped):
    assert literal(value) == escaped


def test_the_site_extensions_are_the_ones_checked_against():
    assert [e if isinstance(e, str) else next(iter(e)) for e in SITE_CONFIG] == list(SITE_EXTENSIONS)


# --- a user's Markdown --------------------------------------------------------------------------------
MANUAL = "# 1 前\n\n正文\n\n## 1.1 节\n\n正文\n"
# No "*" or "_": Python-Markdown loses text at unbalanced emphasis of its own accord ("*x**y*z" shows
# "*x" and a bold "y"), escapes or not; balanced emphasis is among the examples.
MARKUP = st.lists(st.sampled_from(
    list("<>&{}=~\\`#|-+.!()[]:;\"'/ \n") + ["href", "javascript:", "&amp;", "&#61;", "a", "b", "中", "文",
                                               "1.", "    ", "```", "~~~", "===", "---", "<b>", "</a>",
                                               "\n```\n", "```html\n", "\n~~~~\n", "\n- ", "\n1. ", "\n* "]),
    min_size=1, max_size=30).map("".join)
SHOWN = "<&{}=~\\"  # not ">", a quote's marker (where the renderers' block rules differ, one may read it as text)


def _customised(text: str) -> str:
    try:
        return customise(MANUAL, {"1.1": SimpleNamespace(mode="append", text=text)})
    except AftersalesError:  # refused (a link it does not allow, too deep, …): nothing to show
        assume(False)
        raise


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKUP)
@example('<a href="javascript:alert(4)">a</a>')
@example("`<c>` & &amp; {x} \\~ \\=")
@example("`a\n<div>b`")
@example("``````<```")
@example('`<a href="javascript:x">`')
@example("#话题\n- #x")
@example("a\\\nb")
@example("    <i>code</i>")
@example("x{: onclick=\"y\"}\n{: .z}")
@example("**<b>** *&amp;* _{x}_ __`<c>`__")
@example(">\n=")
@example("- a\n---")
@example("- a\n--")
@example("-        <")
def test_customisation_shows_the_same_characters_on_both_and_never_html(text):
    # Left as it is (see markdown_text._underlines): an empty list item "-" right under a line, which
    # Python-Markdown alone reads as the underline of a heading.
    assume(not re.search(r"(?m)^[ \t>]*-[ \t]*$", text))
    manual = _customised(text)
    page = Page(site_html(manual))
    headings = [fold(t) for (tag, _), t in zip((t for t in page.tags if t[0] in Page.LEAVES), page.texts)
                if tag.startswith("h")]
    assert headings == ["1 前¶", "1.1 节¶"]  # the user's text makes no heading, nor hides one
    allowed = {"p": [], "em": [], "strong": [], "code": [], "pre": [], "ul": [], "ol": ["start"], "li": [],
               "blockquote": [], "a": ["href", "title", "class"], "table": [], "thead": [], "tbody": [],
               "tr": [], "th": ["style"], "td": ["style"], "br": [], "hr": [], "h1": ["id"], "h2": ["id"]}
    for tag, attrs in page.tags:
        assert tag in allowed and all(name in allowed[tag] for name, _ in attrs), (tag, attrs)
    assert safe_links(site_html(manual)) == site_html(manual)  # nothing for the hook to cut

    document = docx_body(manual)
    assert [p.text for p in document.paragraphs if p.style.name.startswith("Heading")] == ["1 前", "1.1 节"]
    in_docx = "\n".join(p.text for p in body_paragraphs(document))
    in_docx += "".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    in_site = page.text
    for ch in SHOWN:
        assert in_site.count(ch) == in_docx.count(ch), ch


@pytest.mark.parametrize("text, shown", [
    ('<a href="javascript:alert(4)">a</a> <script>x</script>', '<a href="javascript:alert(4)">a</a> <script>x</script>'),
    ("`<c>` & &amp; {x} &#61;", "<c> & &amp; {x} &#61;"),  # code as typed; references are text
    ("\\~ \\= \\< \\& \\* \\{", "~ = < & * {"),  # CommonMark's escapes, read alike on the site
    ("#话题 href=x", "#话题 href=x"),  # Python-Markdown alone would make a heading of it
])
def test_customisation_text_as_typed(text, shown):
    page = Page(site_html(user_markdown(text)))
    assert [tag for tag, _ in page.tags if tag != "code"] == ["p"]
    assert page.texts == [shown]
    paragraphs = body_paragraphs(docx_body(user_markdown(text) + "\n"))
    assert [p.text for p in paragraphs] == [shown]


def test_customisation_code_block_and_line_break():
    page = Page(site_html(user_markdown("a\\\nb\n\n    <i>code</i> &amp;")))
    assert [tag for tag, _ in page.tags] == ["p", "br", "pre", "code"]
    assert page.text.endswith("<i>code</i> &amp;\n")
    paragraphs = body_paragraphs(docx_body(user_markdown("a\\\nb\n\n    <i>code</i> &amp;") + "\n"))
    assert [p.text for p in paragraphs] == ["a\nb", "<i>code</i> &amp;"]


# --- line breaks in the DOCX ----------------------------------------------------------------------------
@pytest.mark.parametrize("source, text", [
    ("a\nb", "a b"), ("中\n文", "中文"), ("中\nb", "中 b"), ("a\n中", "a 中"),
    ("服务，\n“华澜”", "服务， “华澜”"),  # curly quotes are of ambiguous width: a space, as in CSS
    ("服务，\n中文。\n再", "服务，中文。再"), ("**粗**\n体", "粗体"), ("*x*\n`y`", "x y"),
    ("한\n국", "한 국"),  # Korean separates words with spaces
    ("GB/T\n27922", "GB/T 27922"),
])
def test_a_soft_line_break_is_a_space_except_between_chinese_characters(source, text):
    assert [p.text for p in body_paragraphs(docx_body(source + "\n"))] == [text]
    # the site shows the same: a browser renders a remaining line break as one space
    assert [" ".join(shown.split("\n")) for shown in Page(site_html(source)).texts] == [text]


def test_a_soft_line_break_in_a_heading_is_a_space_in_the_table_of_contents_too():
    document = docx.Document(io.BytesIO(write_docx(
        "Service\nPolicy\n===\n\n正文\n", DocxMeta(title="T", company="C", short_name="", number="", version="",
                                                   toc=True))))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["Service Policy"]
    assert any(p.text.startswith("Service Policy") for p in document.paragraphs if p.style.name.startswith("toc"))


# --- code blocks, fenced or indented, are code on both ----------------------------------------------
LINE = st.text(alphabet=st.sampled_from(list("<>&{}#`~*-=|\\ ab中文") + [" ", "\t"]), max_size=12)


@st.composite
def fence(draw) -> str:
    """A fenced code block as a user types it: ``` or ~~~ (or longer), an info string or none, lines
    of anything (a line that would close it is left out), closed or not, indented up to 3 spaces."""
    marker = draw(st.sampled_from(["```", "~~~", "````", "~~~~~"]))
    indent = " " * draw(st.integers(0, 3))
    info = draw(st.sampled_from(["", "html", " python ", "{.x onclick=y}"])) if marker[0] == "`" else ""
    body = [line for line in draw(st.lists(LINE, max_size=4))
            if not line.strip() or line.strip()[0] != marker[0] or len(line.strip()) - len(line.strip().lstrip(marker[0])) < len(marker)
            or line.strip().strip(marker[0])]
    closed = draw(st.booleans())
    return "\n".join([indent + marker + info, *body] + ([indent + marker] if closed else []))


@st.composite
def blocks(draw) -> str:
    """A user's text of paragraphs and code blocks (fenced, indented), with or without blank lines between."""
    parts = draw(st.lists(st.one_of(
        st.sampled_from(["正文", "text <b>", "a `b` c", "x\n***"]),  # headings: see the test above
        fence(),
        LINE.filter(str.strip).map(lambda line: "    " + line)), min_size=1, max_size=4))
    glue = draw(st.lists(st.sampled_from(["\n", "\n\n"]), min_size=len(parts), max_size=len(parts)))
    return "".join(part + sep for part, sep in zip(parts, glue)).strip("\n")


def _code_in_docx(document) -> list[str]:
    return [p.text for p in body_paragraphs(document)
            if p._p.pPr is not None and p._p.pPr.find(docx.oxml.ns.qn("w:shd")) is not None]


class _Pre(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.blocks, self.inside = [], False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self.blocks.append("")
            self.inside = True

    def handle_endtag(self, tag):
        if tag == "pre":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.blocks[-1] += data


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks())
@example("```html\n<i>code</i>\n```")
@example("```\n<i>unclosed</i>\n\n# 标题")
@example("~~~\n```\n~~~")
@example("text\n```\nx\n```\nmore")
@example("- a\n  ```\n  b\n  ```")
def test_code_is_code_on_both_with_its_lines(text):
    from markdown_it import MarkdownIt

    expected = [token.content.rstrip("\n") for token in MarkdownIt("commonmark").parse(text.strip("\n"))
                if token.type in ("fence", "code_block") and token.level == 0]
    manual = _customised(text)
    page = site_html(manual)
    # Python-Markdown expands a tab to spaces (to the next multiple of 4), in code too, and may drop
    # white space at the end of a line: shown alike
    def seen(code: str) -> str:
        return "\n".join(line.rstrip() for line in code.expandtabs(4).split("\n")).rstrip("\n")

    # Where the renderers would read the text apart (a line holding only a backslash, a code span over
    # a line starting "#" …) user_markdown escapes it throughout (documented): then a fence shows as
    # typed, and other code shows its characters as references and escapes ("&lt;", "\\{"), on both
    # alike. Compared with those undone.
    def undone(code: str) -> str:
        return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", html.unescape(code))

    on_site = [seen(block) for block in _Pre(page).blocks]
    in_docx = _code_in_docx(docx_body(manual))
    assert on_site == [seen(code) for code in in_docx], page  # alike on both, always
    if expected and not in_docx:  # escaped throughout: the fences show as typed
        assert any(marker in Page(page).text for marker in ("```", "~~~")), page
    else:
        assert [undone(code) for code in in_docx] == [undone(code) for code in expected], page
    headings = [fold(t) for (tag, _), t in zip((t for t in Page(page).tags if t[0] in Page.LEAVES), Page(page).texts)
                if tag.startswith("h")]
    assert headings == ["1 前¶", "1.1 节¶"]  # an unclosed fence runs to the end of the user's text only


def test_the_strangers_fence():
    manual = _customised("```html\n<i>code</i>\n```")
    assert _Pre(site_html(manual)).blocks == ["<i>code</i>\n"]
    assert _code_in_docx(docx_body(manual)) == ["<i>code</i>"]


# --- lists: bulleted and numbered alike on both, whatever markers follow one another -------------------
@st.composite
def lists(draw) -> str:
    """Lines of list items whose markers change (bulleted, numbered, task-like) and paragraphs, with
    or without a blank line between."""
    lines = draw(st.lists(st.tuples(
        st.sampled_from(["- ", "* ", "+ ", "1. ", "2. ", "10. ", "- [ ] ", "- [x] ", ""]),
        st.sampled_from(["任务", "ordered", "正文", "a <b>"])), min_size=1, max_size=6))
    glue = draw(st.lists(st.sampled_from(["\n", "\n", "\n\n"]), min_size=len(lines), max_size=len(lines)))
    return "".join(marker + text + sep for (marker, text), sep in zip(lines, glue)).strip("\n")


class _Blocks(HTMLParser):
    """(kind, text) of each paragraph ("p") and list item ("ul" or "ol", by its list) of a page."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.items, self.stack, self.open = [], [], False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.stack.append(tag)
        elif tag == "li" or tag == "p" and not self.stack:
            self.items.append([self.stack[-1] if tag == "li" else "p", ""])
            self.open = True
        elif tag.startswith("h"):
            self.open = False

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self.stack.pop()

    def handle_data(self, data):
        if self.open and self.items:
            self.items[-1][1] += data


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lists())
@example("- [ ] task\n1. ordered")
@example("正文\n- a\n1. b\n* c")
@example("1. a\n- b\n2. c")
def test_a_list_is_bulleted_or_numbered_alike_on_both(text):
    manual = _customised(text)
    site = [(kind, fold(shown)) for kind, shown in _Blocks(site_html(manual)).items]
    kinds = {"Body Text": "p", "List Bullet": "ul", "List Number": "ol"}
    in_docx = [(kinds[p.style.name], fold(p.text)) for p in body_paragraphs(docx_body(manual))
               if p.style.name in kinds]
    assert site == in_docx, manual
    assert ("ol", "ordered") not in in_docx or any(kind == "ol" for kind, _ in site)


# --- links: the same addresses and text on the site and in the DOCX -----------------------------------
LINKY = st.lists(st.sampled_from(
    ["[", "]", "(", ")", "<", ">", '"', "'", " ", "\n", "\\", "`", "*", "&", "%22", "链接", "a", "后文",
     "https://e.cn/", "https://例子.中国/路", "mailto:a@b.cn", "tel:+86-400", "?q=", "#x", "[r]", "\n\n[r]: "]),
    min_size=1, max_size=24).map("".join)


def _docx_links(document) -> list[tuple[str, str]]:
    from docx.oxml.ns import qn

    targets = {rid: rel.target_ref for rid, rel in document.part.rels.items()}
    return [(targets[link.get(qn("r:id"))], "".join(t.text or "" for t in link.iter(qn("w:t"))))
            for link in document.element.body.iter(qn("w:hyperlink"))]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINKY)
@example('[a](https://e.cn/"x 后文 [b](https://e.cn "y")')  # the site hid the rest of the paragraph
@example("[a](<https://e.cn/>) [m](<mailto:a b@c.d>)")
@example("[x](https://e.cn (a title))")
@example("[[a](https://e.cn/)](mailto:a@b.cn)")
@example("[链接](https://例子.中国/路?q=&x)")
def test_an_accepted_link_is_the_same_link_on_the_site_and_in_the_docx(text):
    """Whatever the user writes, a customisation is either refused or its links (address, shown text)
    are the same in the DOCX written and on the page built; markdown-it and Python-Markdown split
    quotes, spaces, brackets and titles in an address differently, which showed different links."""
    manual = _customised(text)
    decoded = clausetags.parser().normalizeLinkText
    site = [(decoded(href), fold(shown)) for href, shown in page_links(site_html(manual))
            if not href.startswith("#")]  # not the headings' permalinks
    in_docx = [(decoded(href), fold(shown)) for href, shown in _docx_links(docx_body(manual))]
    assert site == in_docx
    assert all(re.match(r"(?i)(https?|mailto|tel):", href) for href, _ in site)  # never relative (a strict build fails)


@pytest.mark.parametrize("text", [
    '[a](https://e.cn/"x 后文 [b](https://e.cn "y")', "[a](https://e.cn/'t')", "[x](https://e.cn (a title))",
    "[ok](<https://ok.cn>)", "[t](<tel:+86 400>)", "[[a](https://a.cn)](https://b.cn)"])
def test_a_link_the_two_would_read_differently_is_refused_with_advice(text):
    with pytest.raises(AftersalesError) as refused:
        customise(MANUAL, {"1.1": SimpleNamespace(mode="append", text=text)})
    assert "网站上和 Word 文件中会被读成不同的网址或文字" in str(refused.value.problems)


def test_a_link_without_text_is_refused_where_it_is():
    """[](…) is an invisible link on the site and nothing in the DOCX."""
    with pytest.raises(AftersalesError) as refused:
        customise(MANUAL, {"1.1": SimpleNamespace(mode="append", text="前文\n后 [](https://e.cn/) 文")})
    assert "链接 “https://e.cn/” 没有文字（正文第 2 行第 6 列）" in str(refused.value.problems)
