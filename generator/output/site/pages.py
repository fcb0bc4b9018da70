"""Every page of a company's site, as {path: Markdown or bytes}, from the same documents as the DOCX.

The manual is one page per chapter under manual/, the other documents one page each; the guide to
the standard is one page per second-level indicator under guide/, each clause listing where this
company covers it; the traceability matrix links both ways and is also offered as CSV and XLSX.
All links are relative, so the same pages work in a company's own site and in the published site.
"""
from __future__ import annotations

import csv
import html
import io
import posixpath
import re
from dataclasses import dataclass

from generator.text.literal import literal
from generator.output.site.svg import to_svg

SINGLE_PAGES = {"application": "application.md", "checklist": "checklist.md", "scorecard": "scorecard.md",
                "promise": "promise.md", "plan": "plan.md"}


def clause_anchor(clause_id: str) -> str:
    return "c-" + clause_id.replace(".", "-")


def section_anchor(index: int) -> str:
    return f"s-{index}"


def star(clause) -> str:
    """The mark on a provisional clause's points (explained by `weights_note` on the same page)."""
    return "*" if clause.provisional else ""


def weights_note(catalogue) -> str:
    """The caveat on provisional points, as a small paragraph of its own."""
    return literal(catalogue.weights_note) + "\n{: .weights-note }"


def guide_page(clause_id: str) -> str:
    """Indicators 5.x.y and below have a page per 5.x.y; every other clause is on the guide's index."""
    parts = clause_id.split(".")
    return f"guide/{'-'.join(parts[:3])}.md" if parts[0] == "5" and len(parts) >= 3 else "guide/index.md"


def rel(source: str, target: str) -> str:
    """A link from page `source` to `target` (both relative to the docs folder), anchors kept."""
    path, _, anchor = target.partition("#")
    link = posixpath.relpath(path, posixpath.dirname(source) or ".")
    return link + (f"#{anchor}" if anchor else "")


@dataclass
class Layout:
    """Where every document section lands: (document key, section index) -> page."""

    pages: dict[tuple[str, int], str]
    chapters: list[tuple[str, str]]  # manual chapters: (title, page)

    def section(self, key: str, index: int) -> str:
        return f"{self.pages[(key, index)]}#{section_anchor(index)}"


def layout(documents) -> Layout:
    pages, chapters = {}, []
    for doc in documents:
        if doc.key != "manual":
            for i in range(len(doc.sections)):
                pages[(doc.key, i)] = SINGLE_PAGES[doc.key]
            continue
        page = None
        for i, section in enumerate(doc.sections):
            if section.level == 1:
                page = f"manual/{len(chapters) + 1:02d}.md"
                chapters.append((section.title.strip(), page))
            pages[(doc.key, i)] = page
    return Layout(pages, chapters)


FIGURE_LINE = re.compile(r"!\[([^\]]*)\]\((figures/[^)\s]+)\)\s*")


def figure_html(caption: str, figure) -> str:
    """A figure as an HTML block: the SVG inline (its text selectable and searchable), its caption."""
    return (f'<figure class="figure">\n{to_svg(figure)}\n<figcaption>{html.escape(caption)}</figcaption>\n'
            "</figure>")


def _transform(markdown: str, sections, key: str, where: Layout, titles: dict[str, str],
               demote: bool, figures: dict) -> list[tuple[str, str]]:
    """(page, line) for each line: headings get anchors, clause tags become links from that page,
    a line that is only a figure becomes the figure's inline SVG."""
    lines = markdown.splitlines()
    starts = {s.line: (i, s) for i, s in enumerate(sections)}
    out, page = [], where.pages.get((key, 0), SINGLE_PAGES.get(key))
    for number, line in enumerate(lines):
        if number in starts:
            index, section = starts[number]
            page = where.pages[(key, index)]
            level = section.level + (1 if demote else 0)
            out.append((page, "#" * level + " " + section.title.rstrip() + " { #" + section_anchor(index) + " }"))
            if section.clauses:
                links = "；".join(f"[{cid} {titles.get(cid, '')}]({rel(page, guide_page(cid))}#{clause_anchor(cid)})"
                                 for cid in section.clauses)
                out += [(page, ""), (page, "对应条款：" + links), (page, "{: .clause-tag }")]
            continue
        figure = FIGURE_LINE.fullmatch(line)
        if figure and figure.group(2) in figures:
            line = figure_html(figure.group(1), figures[figure.group(2)])
        out.append((page, line))
    return out


def site_pages(bundle) -> dict[str, str | bytes]:
    catalogue = bundle.catalogue
    titles = {cid: c.title for cid, c in catalogue.clauses.items()}
    where = layout(bundle.documents)
    pages: dict[str, str | bytes] = {}
    for doc in bundle.documents:
        demote = doc.key != "manual"
        collected: dict[str, list[str]] = {}
        for page, line in _transform(doc.markdown, doc.sections, doc.key, where, titles, demote, bundle.figures):
            collected.setdefault(page, []).append(line)
        for page, lines in collected.items():
            text = "\n".join(lines) + "\n"
            if demote:
                text = f"# {doc.title}\n\n" + text
            pages[page] = text
        if doc.key == "checklist":  # generated materials link to their download
            for name in bundle.docx:
                pages["checklist.md"] = pages["checklist.md"].replace(
                    f"由本工具生成：{name}", f"由本工具生成：[{name}](downloads/{name})")
    pages["manual/index.md"] = _manual_index(bundle, where)
    pages.update(_guide(bundle, where))
    pages["trace.md"] = _matrix(bundle, where)
    pages["downloads/trace.csv"] = trace_csv(bundle, where)
    pages["downloads/trace.xlsx"] = trace_xlsx(bundle, where)
    pages["index.md"] = _home(bundle)
    for name, data in bundle.docx.items():
        pages[f"downloads/{name}"] = data
    pages["stylesheets/extra.css"] = CSS
    return pages


def nav(bundle, prefix: str = "") -> list:
    """The site's navigation, with every path under `prefix`."""
    where = layout(bundle.documents)
    guide = [{"评价方法与认证流程": prefix + "guide/index.md"}]
    guide += [{f"{c.id} {c.title}": prefix + guide_page(c.id)} for c in bundle.catalogue.indicators(3)]
    return [
        {"首页": prefix + "index.md"},
        {"售后服务手册": [{"目录": prefix + "manual/index.md"}]
         + [{title: prefix + page} for title, page in where.chapters]},
        {"认证申请": [{"认证申请书": prefix + "application.md"}, {"申请材料清单": prefix + "checklist.md"},
                  {"认证计划": prefix + "plan.md"}, {"服务承诺书": prefix + "promise.md"}]},
        {"自评打分表": prefix + "scorecard.md"},
        {"标准指南": guide},
        {"追溯矩阵": prefix + "trace.md"},
    ]


# --- pages written here ----------------------------------------------------------------------
def _manual_index(bundle, where: Layout) -> str:
    p = bundle.profile
    lines = ["# 售后服务手册", "",
             f"{literal(p.company.legal_name)}　编号 {literal(p.document.number)}　版本 {literal(p.document.version)}　"
             f"{literal(p.document.issue_date)}发布，{literal(p.document.effective_date)}实施", "",
             "| 章 | 对应条款 |", "|---|---|"]
    manual = next(d for d in bundle.documents if d.key == "manual")
    for i, section in enumerate(manual.sections):
        if section.level == 1:
            clauses = "、".join(section.clauses) or "—"
            lines.append(f"| [{section.title.strip()}]({rel('manual/index.md', where.section('manual', i))}) | {clauses} |")
    name = next(d.spec.filename for d in bundle.documents if d.key == "manual")
    lines += ["", f"[下载 DOCX](../downloads/{name})"]
    return "\n".join(lines) + "\n"


def _place_link(source: str, place, where: Layout, with_document: bool = True) -> str:
    label = place.section.title.strip()  # Markdown source from the templates, already escaped
    if with_document:
        label = f"{literal(place.document_title)} · {label}"
    return f"[{label}]({rel(source, where.section(place.document, place.index))})"


def _guide(bundle, where: Layout) -> dict[str, str]:
    catalogue = bundle.catalogue
    traces = {t.clause.id: t for t in bundle.traces}
    pages = {"guide/index.md": _guide_index(bundle, where, traces)}
    for second in catalogue.indicators(3):
        page = guide_page(second.id)
        lines = [f"# {second.id} {second.title}（{literal(second.points)} 分{star(second)}） {{ #{clause_anchor(second.id)} }}",
                 "", literal(second.requirement), "", weights_note(catalogue), ""]
        kids = catalogue.children(second.id)
        for clause in kids or [second]:
            lines += _clause_block(page, clause, traces[clause.id], where, heading=bool(kids))
        pages[page] = "\n".join(lines) + "\n"
    return pages


def _clause_block(page: str, clause, t, where: Layout, heading: bool) -> list[str]:
    """A clause's requirement, evidence and where this company covers it."""
    out = []
    if heading:
        points = "" if clause.points is None else f"（{literal(clause.points)} 分{star(clause)}）"
        out += [f"## {clause.id} {clause.title}{points} {{ #{clause_anchor(clause.id)} }}", "",
                literal(clause.requirement), ""]
    out += [f"*{literal(clause.gloss)}*", ""]
    if clause.evidence:
        out += ["**评审关注的证据**：" + "、".join(literal(e) for e in clause.evidence), ""]
    if clause.kind == "indicator":
        out += [f"**可否删减**：{'可以（不涉及时按 6.2.2 删减）' if clause.excludable else '不可删减'}"
                f"　**证据等级**：{clause.evidence_level}", ""]
    out += ["**本企业**：", ""]
    if t.excluded_reason:
        out += [f"- 已删减：{literal(t.excluded_reason)}"]
    out += [f"- {_place_link(page, pl, where)}" for pl in t.places]
    if t.materials:
        out += ["- 申请材料：" + "、".join(f"{m.material.id} {literal(m.material.name)}（{m.status}）" for m in t.materials)]
    if t.score is not None and not t.score.excluded:
        out += [f"- 评分：{literal(t.score.earned)} / {literal(t.score.points)} 分{star(clause)}，{literal(t.score.status)}"
                f"（{literal(t.score.basis)}），见[自评打分表]({rel(page, 'scorecard.md')})"]
    if not (t.excluded_reason or t.places or t.materials or t.score):
        out += ["- 本条款为说明性条款，不单独评分"]
    return out + [""]


def _guide_index(bundle, where: Layout, traces) -> str:
    catalogue = bundle.catalogue
    rules = catalogue.scoring
    lines = ["# 评价方法与认证流程", "",
             f"{literal(catalogue.info.id)}《{literal(catalogue.info.title)}》，{literal(catalogue.info.published)}发布，"
             f"{literal(catalogue.info.effective)}实施。", "", weights_note(catalogue), "",
             "## 评价指标", "", "| 一级指标 | 二级指标 | 分值 |", "|---|---|---|"]
    for first in catalogue.indicators(2):
        for second in catalogue.children(first.id):
            lines.append(f"| {first.id} {first.title}（{literal(first.points)}） | "
                         f"[{second.id} {second.title}]({rel('guide/index.md', guide_page(second.id))}) | "
                         f"{literal(second.points)}{star(second)} |")
    levels = "；".join(f"{l.name} ≥ {literal(l.min)}" for l in rules.levels)
    lines += ["", "## 评分方法 { #scoring }", "",
              f"- 6.2.1：满分 {literal(rules.method.total)} 分，售后服务体系、商品服务、顾客服务分别为 "
              f"{'/'.join(literal(c.points) for c in catalogue.indicators(2))} 分，依据评价中发现的各项指标的实施情况评分。",
              "- 定性指标不符合时扣除该项全部分值（自评“部分落实”按 "
              + ("一半计，本项目的可选约定" if rules.qualitative.partial_half_credit else "0 分计")
              + "）；按样本检查的指标（人员资质、服务记录、网点、投诉处理等）按不合格样本比例扣分；"
              "档案事实（管理师配置、持证人员比例、销售区域的服务安排）与样本或自评取较低者。",
              "- 不适用的指标按 6.2.2 删减，不参与评分：**评分 = 实际得分 / 涉及项总分值 × 100**。",
              f"- 特别扣分项（违反法律法规、违反企业自身服务制度、违反行业要求、影响体系运行）每项扣 "
              f"{literal(rules.special_deduction.points_each)} 分，{rules.special_deduction.fail_at} 项及以上不通过；"
              f"特别加分项至多 {rules.special_bonus.max_count} 项，加 {literal(rules.special_bonus.points)} 分"
              + (f"（{literal(rules.special_bonus.disputed)}）" if rules.special_bonus.disputed else "") + "。",
              f"- 等级：{levels}；低于 {literal(rules.levels[-1].min)} 分为{literal(rules.fail_name)}。",
              "- 每条规则的来源和证据等级见打分表的“评分规则与来源”。", "",
              "## 认证流程 { #process }", "",
              "1. 申请：提交认证申请书和申请材料（体系运行满 3 个月）；",
              "2. 受理和合同：认证机构审查申请条件，签订认证合同；",
              "3. 文件评审：审查售后服务手册等体系文件；",
              "4. 现场评价：按本标准逐条打分，提出整改要求；",
              "5. 评定：评审委员会审定，颁发证书（有效期 3 年）；",
              "6. 监督：每年监督评审，到期复评。", "",
              "## 其他条款", ""]
    for clause in catalogue.clauses.values():
        if clause.depth <= 2 or clause.kind == "informative":
            lines += _clause_block("guide/index.md", clause, traces[clause.id], where, heading=True)
    return "\n".join(lines) + "\n"


def _matrix_rows(bundle, where: Layout, source: str | None):
    """Rows of the matrix; with `source`, cells are Markdown links from that page, else plain text."""
    for t in bundle.traces:
        c = t.clause
        def places(keys, with_document):
            items = [p for p in t.places if (p.document == "manual") == keys]
            if source is None:
                return "；".join(((p.document_title + " · ") if with_document else "") + p.section.text
                                for p in items)
            return "<br>".join(_place_link(source, p, where, with_document) for p in items)
        manual = places(True, False) or ("删减" if t.excluded_reason else "—")
        others = places(False, True) or "—"
        materials = "、".join(m.material.id for m in t.materials) or "—"
        score = "—"
        if t.score is not None:
            score = "删减" if t.score.excluded else f"{t.score.earned:g} / {t.score.points:g}{star(c)}"
        yield c, manual, others, materials, score


def _matrix(bundle, where: Layout) -> str:
    out = ["# 追溯矩阵", "",
           "每个条款在售后服务手册、其他文件、申请材料和自评打分表中的位置。"
           "下载：[CSV](downloads/trace.csv)　[Excel](downloads/trace.xlsx)", "",
           weights_note(bundle.catalogue), "",
           "| 条款 | 售后服务手册 | 其他文件 | 申请材料 | 评分 |", "|---|---|---|---|---|"]
    for c, manual, others, materials, score in _matrix_rows(bundle, where, "trace.md"):
        out.append(f"| [{c.id} {c.title}]({guide_page(c.id)}#{clause_anchor(c.id)}) | {manual} | {others} | "
                   f"{materials} | {score} |")
    return "\n".join(out) + "\n"


_HEADER = ["条款", "名称", "售后服务手册", "其他文件", "申请材料", "评分"]
_CSV_NOTE = "分值说明"


def trace_csv(bundle, where: Layout) -> bytes:
    """The matrix as CSV: the header first, then one clause a row, all rows of the same columns, as
    every reader expects (csv.DictReader, pandas, Excel's "From Text/CSV" take the first row as the
    header, and any other row as a clause). So the caveat on provisional points is no row of its
    own: it is the last column, 分值说明, of each row whose 评分 carries "*" (empty elsewhere), and
    stays with the score when rows are filtered, sorted or copied."""
    from generator.output.xlsx.workbook import csv_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*_HEADER, _CSV_NOTE])
    for c, manual, others, materials, score in _matrix_rows(bundle, where, None):
        note = bundle.catalogue.weights_note if score.endswith("*") else ""
        writer.writerow([csv_cell(v) for v in (c.id, c.title, manual, others, materials, score, note)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CSV correctly


def trace_xlsx(bundle, where: Layout) -> bytes:
    from openpyxl import Workbook

    from generator.output.scorecard import caveat_row
    from generator.output.xlsx.workbook import format_table, save

    book = Workbook()
    sheet = book.active
    sheet.title = "追溯矩阵"
    sheet.append([bundle.catalogue.weights_note])
    sheet.append(_HEADER)
    for c, manual, others, materials, score in _matrix_rows(bundle, where, None):
        sheet.append([c.id, c.title, manual, others, materials, score])
    format_table(sheet, [10, 16, 50, 50, 16, 10])
    caveat_row(sheet)
    return save(book, bundle.profile.document.issue_date)


def _home(bundle) -> str:
    p, a = bundle.profile, bundle.assessment
    c = p.company
    counts = "；".join(f"{name} {n} 项" for name, n in bundle.material_counts.items() if n)
    downloads = "\n".join(f"- [{literal(name)}](downloads/{name})" for name in bundle.docx)
    gaps = "\n".join(f"| [{g.clause.id} {literal(g.clause.title)}]({guide_page(g.clause.id)}#{clause_anchor(g.clause.id)})"
                     f" | {literal(g.points)}{star(g.clause)} | {literal(g.lost)} |" for g in a.gaps[:5])
    warnings = "\n".join(f"- ⚠ {literal(w)}" for w in bundle.warnings)
    badge = {"五星": "level-5", "四星": "level-4", "三星": "level-3", "达标": "level-pass"}.get(a.level, "level-fail")
    return f"""# {literal(c.legal_name)}

{literal(c.short_name)} · {literal(c.enterprise_type)} · {literal(c.industry)} · 服务热线 {literal(p.resources.hotline)}

<div class="score-card" markdown>

**自评得分 {literal(a.score)} 分\\*** <span class="level-badge {badge}">{literal(a.level)}</span>（{literal(a.level_note) + "；" if a.must_fix else ""}目标：{literal(p.certification.target_level)}）

申请材料：{counts}

{weights_note(bundle.catalogue)}

</div>

{warnings}

{figure_html("各二级指标得分与满分", bundle.figures["figures/scorecard-indicators.svg"])}

## 文件 {{ #files }}

| 文件 | 说明 |
|---|---|
| [售后服务手册](manual/index.md) | 按 GB/T 27922-2011 逐条编写的服务体系文件（每章一页） |
| [认证申请书](application.md) | 预填的认证申请书、人日与费用估算 |
| [申请材料清单](checklist.md) | 每项材料的状态、负责人和完成日期 |
| [认证计划](plan.md) | 申请条件自查、时间表 |
| [服务承诺书](promise.md) | 向顾客公开的服务承诺 |
| [自评打分表](scorecard.md) | 逐条评分、预测等级和整改计划 |
| [标准指南](guide/index.md) | 标准各条款的要求，以及本企业在哪里满足它 |
| [追溯矩阵](trace.md) | 条款 × 手册章节 / 材料 / 评分 |

## 下载 {{ #downloads }}

{downloads}
- [追溯矩阵（CSV）](downloads/trace.csv)、[追溯矩阵（Excel）](downloads/trace.xlsx)

## 主要失分项 {{ #gaps }}

| 条款 | 分值 | 可挽回分数 |
|---|---|---|
{gaps if gaps else "| — | — | 0 |"}
"""


def portal_page(companies) -> str:
    """The overview of several companies: (Summary, link to the company's site) pairs."""
    from generator.standard.catalogue import load_catalogue

    rows = []
    for summary, site in companies:
        warn = "；".join(literal(w.split("：")[0]) for w in summary.warnings) or "—"
        rows.append(f'| <a href="{html_attr(site)}">{literal(summary.legal_name)}</a> | {literal(summary.enterprise_type)} | '
                    f"{literal(summary.score)}\\* | {literal(summary.level)} | {literal(summary.target_level)} | "
                    f"{summary.missing} | {warn} |")
    return "\n".join(["---", "hide:", "  - navigation", "---", "", "# 企业一览", "", f"共 {len(companies)} 家企业。点击企业名称打开该企业的文件网站。", "",
                      "| 企业 | 类型 | 自评得分 | 预测等级 | 目标等级 | 缺失 / 过期材料 | 申请前需处理 |",
                      "|---|---|---|---|---|---|---|", *rows, "", weights_note(load_catalogue()), ""])


def html_attr(value: str) -> str:
    from urllib.parse import quote

    return html.escape(quote(value, safe="/.-_~"), quote=True)


CSS = """.clause-tag { font-size: .75rem; color: var(--md-default-fg-color--light); margin-top: -.6em; }
.score-card { border-left: .3rem solid var(--md-primary-fg-color); padding: .2rem 1rem; background: var(--md-code-bg-color); }
.level-badge { display: inline-block; padding: 0 .6em; border-radius: 1em; color: #fff; font-weight: 700; }
.level-5 { background: #c62828; } .level-4 { background: #ef6c00; } .level-3 { background: #2e7d32; }
.level-pass { background: #1565c0; } .level-fail { background: #616161; }
.md-typeset table:not([class]) { font-size: .7rem; }
.md-typeset td:empty::after { content: "\\00a0"; display: inline-block; min-height: 1.6em; }
.md-typeset figure.figure { margin: 1em 0; overflow-x: auto; }
.md-typeset figure.figure svg { width: 100%; max-width: 32rem; min-width: 30rem; height: auto; }
.md-typeset figure.figure figcaption { font-size: .7rem; color: var(--md-default-fg-color--light); }
.md-typeset .weights-note { font-size: .7rem; color: var(--md-default-fg-color--light); }
"""
