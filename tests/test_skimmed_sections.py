"""A document's headings are found without parsing the rest (clausetags.sections: tables make no
tokens, no inline text is parsed). They must be exactly the headings of the full parse, whatever the
Markdown: proved on every document of the examples and on random Markdown built from the pieces that
decide where blocks start and end (tables, setext underlines, fences, lists, quotes, indented code)."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from generator.text import clausetags

ROOT = Path(__file__).resolve().parent.parent


def _full(markdown: str):
    return clausetags.sections_of(clausetags.parser().parse(markdown))


@pytest.mark.parametrize("name", ["hualan-appliances", "qiheng-software", "yunxuan-online"])
def test_the_examples_documents_have_the_same_headings(name):
    from generator.prepare import prepare

    for document in prepare(ROOT / "company_profiles" / f"{name}.yaml").documents:
        assert document.sections == _full(document.markdown)
        assert clausetags.sections(document.markdown) == _full(document.markdown), document.key


_LINES = ["# 甲 {clauses=5.1.1}", "## 乙", "### 丙 {clauses=5.2}", "#", "#甲", "   # 缩进", "    # 代码", "正文", "正文 | 续",
          "| 甲 | 乙 |", "|---|---|", "| --- | :-: |", "---", "===", "- - -", "***", "| a \\| b | c |", "a | b", "-- | --",
          ":-- | --:", "|", "||", "| x |", "- 项", "1. 项", "  - 缩进项", "> 引用", "> # 引用标题", "```", "~~~", "```` x",
          "    代码", "", "", "", "[ref]: /x", "<div>", "\\# 转义", "甲 {clauses=1}", "| # 表中 |", "\t| 制表 |", "- | - |"]


@pytest.mark.parametrize("seed", range(30))
def test_random_markdown_has_the_same_headings(seed):
    rng = random.Random(seed)
    for _ in range(200):
        markdown = "\n".join(rng.choice(_LINES) for _ in range(rng.randint(1, 30)))
        assert clausetags.sections(markdown) == _full(markdown), markdown


def test_a_table_cut_short_by_its_autocompleted_cells_ends_where_the_parser_ends_it():
    """After 65,536 cells left empty the parser ends the table: the rows after it are a paragraph, which
    the line of dashes makes a heading (inside the table it would be a rule)."""
    rows = "\n".join("|" for _ in range(20_000))
    markdown = "| " + " | ".join("甲" * 5 for _ in range(5)) + " |\n|" + "---|" * 5 + f"\n{rows}\n---\n"
    assert _full(markdown)  # the heading the cut makes
    assert clausetags.sections(markdown) == _full(markdown)


# --- the parser short texts go through (a user's customisation, probes) is markdown-it's own -------------
def _stock(markdown: str):
    from markdown_it import MarkdownIt

    return [t.as_dict() for t in MarkdownIt("commonmark", {"html": False}).enable("table").parse(markdown)]


def _ours(markdown: str):
    return [t.as_dict() for t in clausetags.parser().parse(markdown)]


@pytest.mark.parametrize("name", ["hualan-appliances", "qiheng-software", "yunxuan-online"])
def test_the_parser_gives_markdown_its_own_tokens_for_the_examples(name):
    from generator.prepare import prepare

    for document in prepare(ROOT / "company_profiles" / f"{name}.yaml").documents:
        assert _ours(document.markdown) == _stock(document.markdown), document.key


_INLINE = ["甲", "华澜 1 号", "a", " ", "  ", "*", "**粗**", "_", "`码`", "\\|", "\\", "[链接](https://x.example/)", "<b>", "&amp;",
           "&", "!", "![图](x.png)", "~~", "|", ":", "-", "1.", "#", "{clauses=5.1}", "\u3000", "0757-2666 8802", "<https://x.y>"]


@pytest.mark.parametrize("seed", range(30))
def test_the_parser_gives_random_markdown_its_own_tokens(seed):
    rng = random.Random(seed)
    for _ in range(150):
        lines = []
        for _ in range(rng.randint(1, 25)):
            line = rng.choice(_LINES)
            if rng.random() < 0.6:
                line += "".join(rng.choice(_INLINE) for _ in range(rng.randint(0, 6)))
            lines.append(line)
        markdown = "\n".join(lines)
        assert _ours(markdown) == _stock(markdown), markdown


# --- a document's parser: a body row of plain cells is one token ----------------------------------
def _document(markdown: str):
    return [t.as_dict() for t in clausetags.stock(clausetags.document_parser().parse(markdown))]


@pytest.mark.parametrize("name", ["hualan-appliances", "qiheng-software", "yunxuan-online"])
def test_a_documents_rows_of_text_are_markdown_its_own_rows(name):
    from generator.prepare import prepare

    for document in prepare(ROOT / "company_profiles" / f"{name}.yaml").documents:
        assert _document(document.markdown) == _stock(document.markdown), document.key
        assert any(t.type == clausetags.ROW_OF_TEXT for t in document.tokens) or "|---" not in document.markdown


_CELLS = ["甲", "华澜 1 号", "0757-2666 8802", "", " ", "a:b", "+1", "=", "#", "{x}", "~", "$", "%", "^", "@", "]", "*粗*", "_",
          "`码`", "\\|", "\\", "[链接](https://x.example/)", "<b>", "&amp;", "&", "!", "![图](x.png)", ":--", "-", "1.", ">", "'\"",
          "https://x.example/", "\u3000", "a  b", "---",
          # user text as `literal` escapes it, and escapes next to what they must not join
          "3\\#楼", "R&amp;D", "a\\_b &lt; c &gt; d", "x&#61;y", "a&#126;", "\\\\", "\\*不是粗体\\*", "\\[甲\\]", "&amp",
          "&copy;", "&#60;", "\\a", "\\\\*", "\\!\\[图\\](x.png)", "a\\", "&amp;lt;", "\\&amp;"]


def _table(rng: random.Random) -> str:
    columns = rng.randint(1, 5)
    head = "| " + " | ".join(rng.choice(_CELLS[:8]) or "甲" for _ in range(columns)) + " |"
    rule = "|" + "|".join(rng.choice(["---", ":--", "--:", ":-:", " --- "]) for _ in range(columns)) + "|"
    rows = []
    for _ in range(rng.randint(0, 8)):
        cells = [rng.choice(_CELLS) for _ in range(rng.choice([columns, columns, columns - 1, columns + 1]))]
        rows.append(rng.choice(["| ", "", "  "]) + " | ".join(cells) + rng.choice([" |", "", " | "]))
    return "\n".join([head, rule, *rows])


@pytest.mark.parametrize("seed", range(30))
def test_random_tables_read_as_markdown_its_own(seed):
    rng = random.Random(seed)
    for _ in range(150):
        parts = [_table(rng) if rng.random() < 0.6 else rng.choice(_LINES) for _ in range(rng.randint(1, 6))]
        markdown = rng.choice(["\n", "\n\n"]).join(parts)
        assert _document(markdown) == _stock(markdown), markdown


@pytest.mark.parametrize("seed", range(5))
def test_a_docx_is_the_same_from_rows_of_text_as_from_markdown_its_tokens(seed):
    import datetime as dt

    from generator.output.docx.writer import DocxMeta, write_docx

    meta = DocxMeta(title="表", company="公司", short_name="公司", number="", version="", toc=False,
                    issued=dt.date(2026, 3, 1))
    rng = random.Random(seed)
    markdown = "# 表格\n\n" + "\n\n".join(_table(rng) for _ in range(6)) + "\n"
    markdown = markdown.replace("![图](x.png)", "图")  # a picture in a cell: the writer's own gap, not this test's
    ours = clausetags.document_parser().parse(markdown)
    assert any(t.type == clausetags.ROW_OF_TEXT for t in ours)
    assert write_docx(ours, meta) == write_docx(clausetags.parser().parse(markdown), meta)


def _lone_images_parsed(markdown: str) -> dict[int, tuple[str, str]]:
    """The paragraphs of one image alone, read from the whole document's tokens (as the site once did)."""
    out = {}
    for token in clausetags.parser().parse(markdown):
        children = token.children or []
        if (token.type == "inline" and token.level == 1 and token.map and token.map[1] - token.map[0] == 1
                and len(children) == 1 and children[0].type == "image"):
            out[token.map[0]] = (children[0].attrGet("src"), children[0].content)
    return out


_IMAGE_LINES = ["![图 1 指标](figures/a.svg)", "![图](figures/a.svg \"题\")", "  ![缩进](figures/a.svg)",
                "    ![代码](figures/a.svg)", "- ![列表中](figures/a.svg)", "> ![引用中](figures/a.svg)",
                "![图][ref]", "[ref]: figures/a.svg", "![甲](figures/a.svg) ![乙](figures/a.svg)", "文字 ![图](figures/a.svg)",
                "![**粗**](figures/a.svg)", "\\![转义](figures/a.svg)", "| ![表中](figures/a.svg) |", "![图](figures/a.svg",
                "![图](<figures/a.svg>)"]


@pytest.mark.parametrize("seed", range(20))
def test_lone_images_are_found_as_the_whole_parse_finds_them(seed):
    rng = random.Random(seed)
    for _ in range(200):
        markdown = "\n".join(rng.choice(_IMAGE_LINES + _LINES) for _ in range(rng.randint(1, 20)))
        assert clausetags.lone_images(markdown, lambda text: "figures/" in text or "][" in text) == \
            _lone_images_parsed(markdown), markdown


@pytest.mark.parametrize("name", ["hualan-appliances", "qiheng-software", "yunxuan-online"])
def test_the_examples_figures_are_found_as_the_whole_parse_finds_them(name):
    from generator.prepare import prepare

    prepared = prepare(ROOT / "company_profiles" / f"{name}.yaml")
    found = 0
    for document in prepared.documents:
        for doc in filter(None, (document, document.site)):
            whole = {line: image for line, image in _lone_images_parsed(doc.markdown).items()
                     if image[0] in prepared.figures}
            assert clausetags.lone_images(doc.markdown, lambda text: any(p in text for p in prepared.figures)) \
                == whole, doc.key
            found += len(whole)
    assert found >= 2
