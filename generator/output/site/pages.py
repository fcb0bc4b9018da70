"""Every page of a company's site, as {path: Markdown or bytes}, from the same documents as the DOCX.

The manual is one page per chapter under manual/, the other documents one page each; the guide to
the standard is one page per second-level indicator under guide/, each clause listing where this
company covers it; the traceability matrix links both ways and is also offered as CSV and XLSX.
Every page is rendered from a template in content/pages/ (`templates.render_page`); this module
hands the templates their data.
"""
from __future__ import annotations

import collections

import html
from typing import Annotated, Literal
from urllib.parse import quote

from pydantic import Field

from generator.render.provisional import rests_on
from generator.standard.bundled import Data, load_data
from generator.standard.catalogue import Catalogue
from generator.text.literal import Markdown
from generator.output.site.layout import SINGLE_PAGES, Layout, guide_page, layout, rel, section_anchor
from generator.text import clausetags, headings
from generator.output.site.svg import to_svg
from generator.output.site.templates import PAGES, render_page
from generator.output.site.trace_files import trace_csv, trace_xlsx
from generator.prepare import docx_names

__all__ = ["CSS", "nav", "portal_page", "project_nav", "site_pages"]

CSS = (PAGES / "extra.css").read_text(encoding="utf-8")  # the site's stylesheet: badges, clause tags, figures
SHIM_PATH = "javascripts/iframe-worker-shim.js"  # search from disk (file://): mkdocs_config's polyfill, our own
SHIM = (PAGES / "iframe-worker-shim.js").read_text(encoding="utf-8")
LEVEL_BADGES = {"五星": "level-5", "四星": "level-4", "三星": "level-3", "达标": "level-pass"}  # CSS classes


def figure_html(caption: str, figure) -> str:
    """A figure as an HTML block: the SVG inline (its text selectable and searchable), its caption."""
    return (f'<figure class="figure">\n{to_svg(figure)}\n<figcaption>{html.escape(caption)}</figcaption>\n'
            "</figure>")


def _figure_lines(doc, figures: dict) -> dict[int, str]:
    """The lines of `doc` that are a figure alone (a paragraph that is one image of `figures`):
    line number -> the figure as an HTML block. Only a paragraph naming a figure is parsed."""
    if not any(path in doc.markdown for path in figures):
        return {}
    images = clausetags.lone_images(doc.markdown, lambda text: any(path in text for path in figures))
    return {line: figure_html(caption, figures[source]) for line, (source, caption) in images.items()
            if source in figures}


def _document_parts(doc, where: Layout, catalogue, figures: dict) -> dict[str, list[dict]]:
    """Each page's parts of a document, in order: lines of its Markdown as they are (a line that is
    only a figure becomes the figure's inline SVG, a reference to a section links to the section's
    page), or a section's heading with the clauses it serves."""
    starts = {s.line: (i, s) for i, s in enumerate(doc.sections)}
    numbered = headings.targets(headings.labels(doc.sections)) if doc.spec.numbered else {}
    figure_lines = _figure_lines(doc, figures)
    out: dict[str, list[dict]] = {}
    page = where.pages.get((doc.key, 0), SINGLE_PAGES.get(doc.key))
    for number, line in enumerate(doc.markdown.splitlines()):
        if number in starts:
            index, section = starts[number]
            page = where.pages[(doc.key, index)]
            level = section.level + (0 if doc.key == "manual" else 1)  # under the document's title
            out.setdefault(page, []).append({
                "line": None, "level": level, "title": Markdown(section.title.rstrip()),
                "anchor": section_anchor(index), "clauses": [catalogue.clauses[cid] for cid in section.clauses]})
            continue
        line = figure_lines.get(number, line)
        if numbered:
            line = headings.retarget(line, lambda key: rel(page, where.section(doc.key, numbered[key])))
        parts = out.setdefault(page, [])
        if parts and parts[-1]["line"] is not None:  # a run of lines is one part: the sandbox checks each part
            parts[-1]["line"] = Markdown(parts[-1]["line"] + "\n" + line)
        else:
            parts.append({"line": Markdown(line)})
    return out


def site_pages(bundle, downloads: bool = True, standard: str | None = None) -> dict[str, str | bytes]:
    """Every page of the company's site by its path in the docs folder: Markdown, or a download's bytes
    (without `downloads`, pages only: `bundle` may then be a Prepared company, without its DOCX files).
    With `standard`, the folder of the published guide to the standard, relative to this site's docs
    folder (in the published site, "../../standard/"), each guide page links to its indicator's page there."""
    catalogue = bundle.catalogue
    where = layout(bundle.documents)
    pages: dict[str, str | bytes] = {}
    for doc in bundle.documents:
        title = None if doc.key == "manual" else doc.title  # a whole document on one page
        shown = doc.site or doc  # as rendered for the site: generated files linked to their downloads
        for page, parts in _document_parts(shown, where, catalogue, bundle.figures).items():
            pages[page] = render_page("document.md.j2", page, catalogue, where, title=title, parts=parts)
    pages["manual/index.md"] = _manual_index(bundle, where)
    pages.update(_guide(bundle, where, standard))
    pages["trace.md"] = render_page("trace.md.j2", "trace.md", catalogue, where, traces=bundle.traces)
    pages["index.md"] = _home(bundle)
    pages["stylesheets/extra.css"] = CSS
    pages[SHIM_PATH] = SHIM
    if downloads:
        pages.update({name: download(bundle, name) for name in download_names(bundle)})
    return pages


def download_names(prepared) -> list[str]:
    """The files a company's site offers for download, by their path in the docs folder."""
    return ["downloads/trace.csv", "downloads/trace.xlsx", *(f"downloads/{name}" for name in docx_names(prepared))]


def download(bundle, name: str) -> bytes:
    """The download `name` (one of `download_names`): the trace matrix made now, or the bundle's DOCX
    file (a Prepared company has none: the preview renders one when it is asked for)."""
    if name == "downloads/trace.csv":
        return trace_csv(bundle)
    if name == "downloads/trace.xlsx":
        return trace_xlsx(bundle)
    return bundle.docx[name.removeprefix("downloads/")]


One = Field(min_length=1, max_length=1)  # a title and its page, or a title and the entries under it


def _entries_of(listed: object) -> object:
    """The shape of a navigation: entries that are a title and its page, a title and the entries
    under it, or a word of `listed` where the code lists what the build holds."""
    return list[listed | Annotated[dict[str, str | list[listed | Annotated[dict[str, str], One]]], One]]


CompanyEntries = _entries_of(Literal["chapters", "indicators"])  # the manual's chapters, the guide's indicators
ProjectEntries = _entries_of(Literal["standard", "companies"])  # the guide to the standard, every example company's site


class Navigation(Data):
    """content/pages/nav.yaml: the navigation of a company's site and of the published project site."""

    company: CompanyEntries
    project: ProjectEntries


def _filled(entries: list, listed: dict[str, list[dict]], prefix: str = "") -> list:
    """MkDocs' nav from nav.yaml's `entries`: each listed word replaced by its entries, every page under `prefix`."""
    out = []
    for item in entries:
        if isinstance(item, str):
            out += listed[item]
            continue
        [(title, target)] = item.items()
        out.append({title: prefix + target if isinstance(target, str) else _filled(target, listed, prefix)})
    return out


def _navigation() -> Navigation:
    return load_data(PAGES / "nav.yaml", Navigation, what="网站导航数据文件")


def nav(bundle, prefix: str = "") -> list:
    """The company site's navigation (nav.yaml's `company`, with the manual's chapters and the
    guide's indicators filled in), with every path under `prefix`."""
    where = layout(bundle.documents)
    listed = {"chapters": where.chapters,
              "indicators": [(c.label, guide_page(c.id)) for c in bundle.catalogue.indicators(3)]}
    pages = {word: [{title: prefix + page} for title, page in entries] for word, entries in listed.items()}
    return _filled(_navigation().company, pages, prefix)


def project_nav(companies: list[tuple[str, list]], standard: list[dict]) -> list:
    """The published project site's navigation (nav.yaml's `project`): `companies` are each example
    company's name and its site's navigation (`nav`), in order; `standard` the guide's pages
    (`reference.reference_nav`)."""
    return _filled(_navigation().project, {"companies": [{name: entries} for name, entries in companies],
                                           "standard": standard})


def _manual_index(bundle, where: Layout) -> str:
    manual = next(d for d in bundle.documents if d.key == "manual")
    page = "manual/index.md"
    chapters = [{"title": Markdown(section.title.strip()), "clauses": section.clauses,
                 "target": where.section("manual", i)}
                for i, section in enumerate(manual.sections) if section.level == 1]
    return render_page("manual_index.md.j2", page, bundle.catalogue, where, profile=bundle.profile, chapters=chapters,
                       filename=manual.spec.filename)


def _guide(bundle, where: Layout, standard: str | None = None) -> dict[str, str]:
    catalogue = bundle.catalogue
    traces = {t.clause.id: t for t in bundle.traces}
    pages = {"guide/index.md": render_page("guide_index.md.j2", "guide/index.md", catalogue, where,
                                           traces=traces)}
    for indicator in catalogue.indicators(3):
        page = guide_page(indicator.id)
        children = catalogue.children(indicator.id)
        general = standard + page.removeprefix("guide/") if standard else None  # the same name there
        pages[page] = render_page("guide.md.j2", page, catalogue, where, indicator=indicator,
                                  clauses=children or [indicator], heading=bool(children), traces=traces,
                                  general=general)
    return pages


def _home(bundle) -> str:
    a = bundle.assessment
    figures = bundle.figures

    def figure(caption: str, path: str) -> Markdown:
        return Markdown(figure_html(caption, figures[path]))

    return render_page("home.md.j2", "index.md", bundle.catalogue, profile=bundle.profile, assessment=a,
                       provisional=rests_on(bundle.catalogue.clauses.values()),
                       badge=LEVEL_BADGES.get(a.level, "level-fail"), material_counts=bundle.material_counts,
                       warnings=bundle.warnings, downloads=[n.removeprefix("downloads/") for n in download_names(bundle)
                                                                      if n.endswith(".docx")], figure=figure)


def portal_page(companies, catalogue: Catalogue) -> str:
    """The overview of several companies: (Summary, link to the company's site) pairs, their scores
    from `catalogue`."""
    names = collections.Counter(summary.legal_name for summary, _ in companies)
    rows = [{"summary": summary, "href": Markdown(html_attr(site)),
             "issues": [w.split("：")[0] for w in summary.warnings],  # the check that failed, not its detail
             "profile": summary.slug if names[summary.legal_name] > 1 else ""}  # told apart by their profiles
            for summary, site in companies]
    return render_page("portal.md.j2", "index.md", catalogue, companies=rows,
                       provisional=rests_on(catalogue.clauses.values()))


def html_attr(value: str) -> str:
    return html.escape(quote(value, safe="/.-_~"), quote=True)
