"""The whole pipeline for one company, read top to bottom.

Everything is loaded, validated, assessed, rendered and checked in memory first
(`generator.prepare`), then made into DOCX files (`make_bundle`); only then are files written
(`write_bundle`), through `folder.write_owned`: staged inside the output folder, each entry put in
place in one step, only the tool's own unchanged files replaced. A failed build leaves earlier
output untouched.
"""
from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path as FilePath

from generator.output.docx.writer import DocxMeta, Written, render_docx
from generator.output.pdf import lay_out, office
from generator.output.folder import absolute, write_owned
from generator.output.site.pages import CSS, nav, portal_page, site_pages
from generator.output.site.project import build_site, write_project
from generator.output.site.svg import to_svg
from generator.prepare import Prepared, docx_names, prepare
from generator.profile.model import Profile
from generator.render.documents import Document
from generator.render.figures import as_data
from generator.standard.catalogue import Catalogue
from generator.text.literal import date

__all__ = ["Bundle", "make_bundle", "write_bundle", "write_portal"]


@dataclass
class Bundle(Prepared):
    """A prepared company with its DOCX files, in memory: everything `write_bundle` writes."""

    docx: dict[str, bytes]  # filename -> bytes
    pdf: dict[str, bytes] = field(default_factory=dict)  # filename of the PDF -> bytes (`build --pdf`)
    layout_note: str = ""  # why the contents carry no page numbers ("" if they do)


def make_bundle(profile_path: str | FilePath, catalogue: Catalogue | None = None,
                content: FilePath | None = None, *, pdf: bool = False, paginate: bool = True) -> Bundle:
    """Everything for one company, in memory; `content` overrides document templates by name. Where
    LibreOffice is at hand, the contents carry their page numbers (output/pdf.py) unless `paginate` is
    false (a live preview); with `pdf`, a PDF of each document too."""
    prepared = prepare(profile_path, catalogue, content)
    laid = lay_out(functools.partial(render_one, prepared), docx_names(prepared),
                   {doc.spec.filename for doc in prepared.documents if doc.spec.filename and doc.spec.toc},
                   pdf=pdf, program=office() if paginate or pdf else None)
    return Bundle(**vars(prepared), docx=laid.docx, layout_note=laid.note,
                  pdf={FilePath(name).with_suffix(".pdf").name: data for name, data in laid.pdf.items()})


def _meta(doc: Document, profile: Profile, catalogue: Catalogue) -> DocxMeta:
    d = profile.document
    controlled = doc.spec.controlled  # documents of the service system carry its number
    if controlled:
        rows = [("文件编号", d.number), ("版　　本", d.version), ("编　　制", d.prepared_by),
                ("审　　核", d.reviewed_by), ("批　　准", d.approved_by), ("受控状态", "受控")]
    else:
        rows = [("申请组织", profile.company.legal_name), ("目标等级", profile.certification.target_level),
                ("计划申请日期", date(profile.certification.planned_application))]
    return DocxMeta(
        title=doc.title, company=profile.company.legal_name, short_name=profile.company.short_name,
        number=d.number if controlled else "", version=d.version if controlled else "", cover_rows=rows,
        clause_titles={cid: c.title for cid, c in catalogue.clauses.items()}, toc=doc.spec.toc, chapter_breaks=doc.spec.chapter_breaks,
        numbered=doc.spec.numbered,
        date_text=f"{date(d.issue_date)}发布　{date(d.effective_date)}实施" if doc.spec.dated else "",
        issued=d.issue_date,
    )


def render_one(prepared: Prepared, name: str, pages: dict[str, int] | None = None) -> Written:
    """The DOCX file `name` (one of `docx_names`), its contents carrying `pages` if given."""
    doc = next(doc for doc in prepared.documents if doc.spec.filename == name)
    return render_docx(doc.tokens, _meta(doc, prepared.profile, prepared.catalogue), figures=prepared.figures,
                       pages=pages)


def write_bundle(bundle: Bundle, out_dir: str | FilePath, *, site: bool = True,
                 manifest: dict | None = None, keep_renamed: bool = False,
                 renamed: list[tuple[str, str]] | None = None) -> FilePath:
    """Write the DOCX files, the MkDocs project and the built site into `out_dir` (only files this
    tool wrote are replaced), with `manifest.json` listing every file's SHA-256 (plus `manifest`).
    Returns the output folder as an absolute path; the user's files kept under a new name (with
    `keep_renamed`) are appended to `renamed` as (old, new) names."""
    def fill(staging: FilePath) -> None:
        for name, data in (bundle.docx | bundle.pdf).items():
            (staging / name).write_bytes(data)
        (staging / "markdown" / "figures").mkdir(parents=True)
        for doc in bundle.documents:
            (staging / "markdown" / f"{doc.key}.md").write_text(doc.markdown, encoding="utf-8")
        for name, figure in bundle.figures.items():  # the SVG, and the data md2docx draws natively from
            (staging / "markdown" / name).write_text(to_svg(figure), encoding="utf-8")
            (staging / "markdown" / name).with_suffix(".json").write_text(
                json.dumps(as_data(figure), ensure_ascii=False, indent=1), encoding="utf-8")
        if site:
            config = write_project(site_pages(bundle), staging / "mkdocs", bundle.profile.company.short_name,
                                   nav(bundle))
            build_site(config, staging / "site", bundle.profile.document.issue_date)

    return write_owned(out_dir, fill, manifest, keep_renamed=keep_renamed, renamed=renamed)


def write_portal(built: list, out_dir: str | FilePath, catalogue: Catalogue) -> FilePath:
    """An MkDocs site listing every company built (scored with `catalogue`), linking to each company's own site."""
    out_dir = absolute(out_dir)

    def fill(staging: FilePath) -> None:
        links = [(summary, os.path.relpath(absolute(folder) / "site" / "index.html", out_dir / "site").replace(os.sep, "/"))
                 for summary, folder in built]
        config = write_project({"index.md": portal_page(links, catalogue), "stylesheets/extra.css": CSS},
                               staging / "mkdocs", "企业一览", [{"企业一览": "index.md"}])
        build_site(config, staging / "site")

    return write_owned(out_dir, fill)
