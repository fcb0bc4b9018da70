"""The company's MkDocs (mkdocs-material) site: pages from the same Markdown as the DOCX files.

`site_pages()` returns every page and download as {path: text or bytes}; `write_project()` writes
them with a generated mkdocs.yml, and `build_site()` runs MkDocs in strict mode. The top-level
mkdocs.yml reuses `site_pages()` through a hook, so there is one way to make a company's pages.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import yaml as pyyaml  # PyYAML ships with MkDocs; used only to dump the config we generate

from .markdown_text import literal
from .trace import Trace

NAV = [("首页", "index.md"), ("售后服务手册", "manual.md"), ("认证申请书", "application.md"),
       ("申请材料清单", "checklist.md"), ("自评打分表", "scorecard.md"), ("服务承诺书", "promise.md"), ("认证计划", "plan.md"),
       ("条款索引", "clauses.md"), ("追溯矩阵", "trace.md")]
PAGE_OF = {"manual": "manual.md", "application": "application.md", "checklist": "checklist.md",
           "scorecard": "scorecard.md", "promise": "promise.md", "plan": "plan.md"}


def clause_anchor(clause_id: str) -> str:
    return "c-" + clause_id.replace(".", "-")


def section_anchor(index: int) -> str:
    return f"s-{index}"


def site_name(name: str) -> str:
    """A site title that no theme template can read as markup (it is not escaped everywhere)."""
    table = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "{": "｛", "}": "｝"})
    return name.translate(table)


def document_page(markdown: str, sections, clause_titles: dict[str, str]) -> str:
    """Document Markdown for the site: headings get stable anchors, clause tags become links."""
    lines = markdown.splitlines()
    for index, section in reversed(list(enumerate(sections))):
        heading = "#" * section.level + " " + section.title.rstrip() + " { #" + section_anchor(index) + " }"
        extra = []
        if section.clauses:
            links = "；".join(f"[{cid} {clause_titles.get(cid, '')}](clauses.md#{clause_anchor(cid)})"
                             for cid in section.clauses)
            extra = ["", "对应条款：" + links, "{: .clause-tag }"]
        lines[section.line:section.line + 1] = [heading, *extra]
    return "\n".join(lines) + "\n"


def site_pages(bundle) -> dict[str, str | bytes]:
    titles = {cid: c.title for cid, c in bundle.catalogue.clauses.items()}
    pages: dict[str, str | bytes] = {}
    for doc in bundle.documents:
        header = f"# {doc.title}\n\n"
        page = header + document_page(_demote(doc.markdown), _demoted(doc.sections), titles)
        if doc.key == "checklist":  # generated materials link to their download
            for name in bundle.docx:
                page = page.replace(f"由本工具生成：{name}", f"由本工具生成：[{name}](downloads/{name})")
        pages[PAGE_OF[doc.key]] = page
    pages["index.md"] = _home(bundle)
    pages["clauses.md"] = _clauses(bundle)
    pages["trace.md"] = _matrix(bundle)
    for name, data in bundle.docx.items():
        pages[f"downloads/{name}"] = data
    pages.update(bundle.images)
    pages["stylesheets/extra.css"] = CSS
    return pages


def _demote(markdown: str) -> str:
    """Each page has its own H1 (the document title): shift the document's headings down one."""
    out = []
    fence = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fence = not fence
        out.append("#" + line if not fence and line.startswith("#") else line)
    return "\n".join(out) + "\n"


def _demoted(sections):
    return [replace(s, level=s.level + 1) for s in sections]


def _home(bundle) -> str:
    p, a = bundle.profile, bundle.assessment
    c = p.company
    counts = "；".join(f"{name} {n} 项" for name, n in bundle.material_counts.items() if n)
    downloads = "\n".join(f"- [{literal(name)}](downloads/{name})" for name in bundle.docx)
    gaps = "\n".join(f"| {g.clause.id} {literal(g.clause.title)} | {literal(g.lost)} |" for g in a.gaps[:5])
    return f"""# {literal(c.legal_name)}

{literal(c.short_name)} · {literal(c.enterprise_type)} · {literal(c.industry)} · 服务热线 {literal(p.resources.hotline)}

<div class="score-card" markdown>

**自评得分 {literal(a.score)} 分 · 预测等级 {literal(a.level)}**（目标：{literal(p.certification.target_level)}）

</div>

![各二级指标得分与满分](images/scorecard-indicators.png)

## 文件 {{ #files }}

| 文件 | 说明 |
|---|---|
| [售后服务手册](manual.md) | 按 GB/T 27922-2011 逐条编写的服务体系文件 |
| [认证申请书](application.md) | 预填的认证申请书 |
| [申请材料清单](checklist.md) | 材料状态：{counts} |
| [自评打分表](scorecard.md) | 逐条评分、预测等级和失分项 |
| [服务承诺书](promise.md) | 向顾客公开的服务承诺 |
| [认证计划](plan.md) | 申请条件自查、人日和费用估算、时间表 |
| [条款索引](clauses.md) | 标准条款及其在本企业文件中的位置 |
| [追溯矩阵](trace.md) | 条款 × 手册章节 / 材料 / 评分 |

## 下载 {{ #downloads }}

{downloads}

## 主要失分项 {{ #gaps }}

| 条款 | 可挽回分数 |
|---|---|
{gaps if gaps else "| — | 0 |"}
"""


def _place_link(place, with_document: bool = True) -> str:
    # section titles are Markdown source from the templates, already escaped
    label = place.section.title.strip()
    if with_document:
        label = f"{literal(place.document_title)} · {label}"
    return f"[{label}]({PAGE_OF[place.document]}#{section_anchor(place.index)})"


def _clauses(bundle) -> str:
    out = ["# 条款索引", "",
           "GB/T 27922-2011 各条款的要求（转述）、分值，以及本企业文件中覆盖该条款的位置。分值标 * 的为暂定权重。", ""]
    for t in bundle.traces:
        c = t.clause
        level = min(c.depth + 1, 4)
        points = "" if c.points is None else f"（{literal(c.points)} 分{'*' if c.provisional else ''}）"
        out += [f"{'#' * level} {literal(c.id)} {literal(c.title)}{points} {{ #{clause_anchor(c.id)} }}", "",
                literal(c.requirement), "", f"*{literal(c.gloss)}*", ""]
        if t.excluded_reason:
            out += [f"**本企业删减**：{literal(t.excluded_reason)}", ""]
        if t.places:
            out += ["覆盖位置：", ""] + [f"- {_place_link(pl)}" for pl in t.places] + [""]
        if t.materials:
            out += ["申请材料：" + "、".join(f"{m.material.id} {literal(m.material.name)}（{m.status}）"
                                         for m in t.materials), ""]
        if t.score is not None and not t.score.excluded:
            out += [f"评分：[{literal(t.score.earned)} / {literal(t.score.points)} 分，{literal(t.score.status)}](scorecard.md)", ""]
    return "\n".join(out) + "\n"


def _matrix(bundle) -> str:
    out = ["# 追溯矩阵", "", "每个条款在售后服务手册、其他文件、申请材料和自评打分表中的位置。", "",
           "| 条款 | 售后服务手册 | 其他文件 | 申请材料 | 评分 |", "|---|---|---|---|---|"]
    for t in bundle.traces:
        c = t.clause
        manual = "<br>".join(_place_link(p, with_document=False) for p in t.in_document("manual")) or ("删减" if t.excluded_reason else "—")
        others = "<br>".join(_place_link(p) for p in t.places if p.document != "manual") or "—"
        materials = "、".join(m.material.id for m in t.materials) or "—"
        score = "—"
        if t.score is not None:
            score = "删减" if t.score.excluded else f"{literal(t.score.earned)} / {literal(t.score.points)}"
        out.append(f"| [{literal(c.id)} {literal(c.title)}](clauses.md#{clause_anchor(c.id)}) | {manual} | {others} | {materials} | {score} |")
    return "\n".join(out) + "\n"


CSS = """.clause-tag { font-size: .75rem; color: var(--md-default-fg-color--light); margin-top: -.6em; }
.score-card { border-left: .3rem solid var(--md-primary-fg-color); padding: .2rem 1rem; background: var(--md-code-bg-color); }
.md-typeset table:not([class]) { font-size: .7rem; }
"""


def mkdocs_config(name: str, docs_dir: str = "docs", site_dir: str = "site") -> dict:
    return {
        "site_name": site_name(name),
        "docs_dir": docs_dir,
        "site_dir": site_dir,
        "use_directory_urls": False,
        "strict": True,
        "theme": {"name": "material", "language": "zh",
                  "features": ["navigation.sections", "navigation.top", "search.highlight", "toc.follow"]},
        "plugins": [{"search": {"lang": "zh", "separator": "[\\s\\u200b\\-]"}}],
        "markdown_extensions": ["tables", "attr_list", "md_in_html", {"toc": {"permalink": True}}],
        "extra_css": ["stylesheets/extra.css"],
        "nav": [{title: path} for title, path in NAV],
    }


def write_project(pages: dict[str, str | bytes], folder: Path, name: str) -> Path:
    docs = folder / "docs"
    for rel, content in pages.items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(pyyaml.safe_dump(mkdocs_config(name), allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    return config


def build_site(config_file: Path, site_dir: Path) -> None:
    """Run MkDocs (strict) on a generated project; its warnings become a build error."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from .errors import AftersalesError

    quiet = logging.getLogger("mkdocs")
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    try:
        import jieba  # mkdocs-material segments Chinese with it; it announces every dictionary load

        jieba.setLogLevel(logging.WARNING)
    except ImportError:
        pass
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
        build(config)
    except (Abort, ConfigurationError) as exc:
        raise AftersalesError(f"站点构建失败（mkdocs --strict）：{exc}") from None
    finally:
        quiet.setLevel(level)
