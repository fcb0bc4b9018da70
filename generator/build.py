"""The whole pipeline for one company, read top to bottom.

Everything is loaded, validated, assessed, rendered and checked in memory first (`make_bundle`);
only then are files written (`write_bundle`), through `folder.write_owned`: staged inside the
output folder, each entry put in place in one step, only the tool's own unchanged files replaced.
A failed build leaves earlier output untouched.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path as FilePath

from generator.assess.facts import Facts, facts_of
from generator.assess.score import Assessment, assess
from generator.assess.certification import Plan as CertificationPlan
from generator.assess.certification import plan_certification
from generator.output.docx.writer import DocxMeta, write_docx
from generator.render.figures import Figure, as_data, bundle_figures
from generator.errors import AftersalesError, Problem, locate
from generator.output.folder import MARKER, absolute, write_owned
from generator.assess.lint import lint
from generator.text.literal import date
from generator.profile.yamlload import format_path
from generator.assess.materials import MaterialLine, counts, material_lines
from generator.assess.gaps import Action, Route, plan
from generator.profile.model import Profile
from generator.profile.validation import read_profile
from generator.render.documents import Document, blanks, document_specs, render_documents
from generator.output.site.project import build_site, write_project
from generator.output.site.pages import CSS, nav, portal_page, site_pages
from generator.standard.catalogue import Catalogue, load_catalogue
from generator.summary import Summary
from generator.output.site.svg import to_svg
from generator.render.trace import Trace, check_coverage, trace

__all__ = ["Bundle", "MARKER", "make_bundle", "safe_name", "summary_of", "write_bundle", "write_portal"]


@dataclass
class Bundle:
    source: FilePath
    profile: Profile
    catalogue: Catalogue
    facts: Facts
    assessment: Assessment
    documents: list[Document]
    materials: list[MaterialLine]
    traces: list[Trace]
    docx: dict[str, bytes]  # filename -> bytes
    todo: list[Action]
    paths: list[Route]
    figures: dict[str, Figure]  # "figures/….svg" -> chart or diagram, referenced by the documents' Markdown
    certification: CertificationPlan
    findings: list[Problem]  # consistency lint: warnings, errors under --strict
    notices: list[Problem] = field(default_factory=list)  # eligibility warnings, located in the profile

    @property
    def blanks(self) -> list[str]:
        """Fields of the application form the profile does not hold: to fill in by hand."""
        return [label for doc in self.documents for label in blanks(doc)]

    @property
    def warnings(self) -> list[str]:
        """What the user should know before applying (eligibility checks that do not pass)."""
        return [f"{c.item}：{c.detail}（{c.rule}）" for c in self.certification.warnings]

    @property
    def material_counts(self) -> dict[str, int]:
        return counts(self.materials)

    @property
    def slug(self) -> str:
        return safe_name(self.source.stem)


def make_bundle(profile_path: str | FilePath, catalogue: Catalogue | None = None,
                content: FilePath | None = None) -> Bundle:
    """Everything for one company, in memory; `content` overrides document templates by name."""
    catalogue = catalogue or load_catalogue()
    profile, loaded = read_profile(profile_path, catalogue)
    facts = facts_of(profile, catalogue)  # what the profile implies, once: every stage below reads it
    assessment = assess(profile, catalogue, facts)
    todo, paths = plan(profile, catalogue, assessment, facts)
    certification = plan_certification(profile, catalogue, facts)
    materials = material_lines(profile, catalogue, facts, {s.key: s.filename for s in document_specs() if s.filename})
    try:
        documents = render_documents(profile, catalogue, assessment, todo, paths, materials, content, certification,
                                     facts=facts)
    except AftersalesError as exc:  # e.g. a customisation naming no section: point at the profile line
        raise type(exc)(exc.message, locate(exc.problems, loaded)) from None
    traces = trace(catalogue, documents, materials, assessment)
    check_coverage(traces, catalogue)
    findings = lint(profile, catalogue, facts, loaded)
    notices = [Problem(f"{c.item}：{c.detail}", loaded.file, *loaded.mark(c.key), format_path(c.key), c.rule)
               for c in certification.warnings]
    figures = bundle_figures(profile, catalogue, assessment, certification)
    docx = {doc.spec.filename: write_docx(doc.tokens, _meta(doc, profile, catalogue), figures=figures)
            for doc in documents if doc.spec.filename}
    return Bundle(FilePath(profile_path), profile, catalogue, facts, assessment, documents, materials, traces,
                  docx, todo, paths, figures, certification, findings, notices)


def _meta(doc: Document, profile: Profile, catalogue: Catalogue) -> DocxMeta:
    d = profile.document
    controlled = doc.key in ("manual", "promise")  # documents of the service system carry its number
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
        date_text=f"{date(d.issue_date)}发布　{date(d.effective_date)}实施" if doc.key == "manual" else "",
        issued=d.issue_date,
    )


def summary_of(bundle: Bundle) -> Summary:
    """What the manifest records of a build: `material_counts` by status label, as shown (readable, and
    what manifests of earlier builds hold), `missing` counted by status id."""
    missing = sum(1 for line in bundle.materials if line.status.id in ("missing", "expired"))
    return Summary(
        slug=bundle.slug, legal_name=bundle.profile.company.legal_name,
        enterprise_type=bundle.profile.company.enterprise_type, score=bundle.assessment.score,
        level=bundle.assessment.level, target_level=bundle.profile.certification.target_level,
        missing=missing, material_counts=bundle.material_counts,
        warnings=bundle.warnings, findings=[f.render() for f in bundle.findings], blanks=bundle.blanks,
        files=list(bundle.docx), notices=[n.render() for n in bundle.notices])


def write_bundle(bundle: Bundle, out_dir: str | FilePath, *, site: bool = True,
                 manifest: dict | None = None, keep_renamed: bool = False,
                 renamed: list[tuple[str, str]] | None = None) -> FilePath:
    """Write the DOCX files, the MkDocs project and the built site into `out_dir` (only files this
    tool wrote are replaced), with `manifest.json` listing every file's SHA-256 (plus `manifest`).
    Returns the output folder as an absolute path; the user's files kept under a new name (with
    `keep_renamed`) are appended to `renamed` as (old, new) names."""
    def fill(staging: FilePath) -> None:
        for name, data in bundle.docx.items():
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


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_name(name: str) -> str:
    """A folder name safe on every platform, derived from a profile file name (bytes of the name
    that are not UTF-8, and characters that are not printable, become "-")."""
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    name = "".join(c if c.isprintable() and c != "\ufffd" else "-" for c in name)
    clean = _UNSAFE.sub("-", name).strip(" .-") or "company"
    if clean.lower() in _RESERVED:
        clean = f"_{clean}"
    return clean[:80]
