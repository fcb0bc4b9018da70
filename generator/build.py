"""The whole pipeline for one company, read top to bottom.

Everything is loaded, validated, assessed, rendered and checked in memory first (`make_bundle`);
only then are files written (`write_bundle`), into a temporary folder beside the target that
replaces the previous output in one rename. A failed build leaves earlier output untouched.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path as FilePath

from .assess import Assessment, assess
from .certification import Plan as CertificationPlan
from .certification import plan_certification
from .charts import indicator_chart, org_chart, plan_chart, service_flow
from .docx_writer import DocxMeta, write_docx
from .errors import AftersalesError, Problem, locate
from .lint import lint
from .markdown_text import date
from .materials import MaterialLine, counts, material_lines
from .plan import Action, Path, plan
from .profile import Profile, read_profile
from .render import Document, blanks, document_specs, render_documents
from .site import build_site, write_project
from .site_pages import CSS, nav, portal_page, site_pages
from .standard import Catalogue, load_catalogue
from .trace import Trace, check_coverage, trace

MARKER = ".aftersales-output"


@dataclass
class Bundle:
    source: FilePath
    profile: Profile
    catalogue: Catalogue
    assessment: Assessment
    documents: list[Document]
    materials: list[MaterialLine]
    traces: list[Trace]
    docx: dict[str, bytes]  # filename -> bytes
    todo: list[Action]
    paths: list[Path]
    images: dict[str, bytes]  # "images/…png" -> bytes, referenced by the documents' Markdown
    certification: CertificationPlan
    findings: list[Problem]  # consistency lint: warnings, errors under --strict

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
    assessment = assess(profile, catalogue)
    todo, paths = plan(profile, catalogue, assessment)
    certification = plan_certification(profile)
    materials = material_lines(profile, catalogue, {s.key: s.filename for s in document_specs() if s.filename})
    try:
        documents = render_documents(profile, catalogue, assessment, todo, paths, materials, content, certification)
    except AftersalesError as exc:  # e.g. a customisation naming no section: point at the profile line
        raise type(exc)(exc.message, locate(exc.problems, loaded)) from None
    traces = trace(catalogue, documents, materials, assessment)
    check_coverage(traces, catalogue)
    findings = lint(profile, catalogue, loaded)
    images = {"images/scorecard-indicators.png": indicator_chart(assessment),
              "images/certification-plan.png": plan_chart(certification),
              "images/org-chart.png": org_chart(profile),
              "images/service-flow.png": service_flow(profile)}
    docx = {doc.spec.filename: write_docx(doc.markdown, _meta(doc, profile, catalogue), images)
            for doc in documents if doc.spec.filename}
    return Bundle(FilePath(profile_path), profile, catalogue, assessment, documents, materials, traces,
                  docx, todo, paths, images, certification, findings)


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


def summary_of(bundle: Bundle):
    from .batch import Summary

    counts = bundle.material_counts
    return Summary(
        slug=bundle.slug, legal_name=bundle.profile.company.legal_name,
        enterprise_type=bundle.profile.company.enterprise_type, score=bundle.assessment.score,
        level=bundle.assessment.level, target_level=bundle.profile.certification.target_level,
        missing=counts.get("缺失", 0) + counts.get("已过期", 0), material_counts=counts,
        warnings=bundle.warnings, findings=[f.render() for f in bundle.findings], blanks=bundle.blanks,
        files=list(bundle.docx))


def write_bundle(bundle: Bundle, out_dir: str | FilePath, *, site: bool = True,
                 manifest: dict | None = None) -> FilePath:
    """Write the DOCX files, the MkDocs project and the built site into `out_dir`, atomically,
    with `manifest.json` listing every file's SHA-256 (plus the given `manifest` entries)."""
    def fill(staging: FilePath) -> None:
        for name, data in bundle.docx.items():
            (staging / name).write_bytes(data)
        (staging / "markdown" / "images").mkdir(parents=True)
        for doc in bundle.documents:
            (staging / "markdown" / f"{doc.key}.md").write_text(doc.markdown, encoding="utf-8")
        for name, data in bundle.images.items():
            (staging / "markdown" / name).write_bytes(data)
        if site:
            config = write_project(site_pages(bundle), staging / "mkdocs", bundle.profile.company.short_name,
                                   nav(bundle))
            build_site(config, staging / "site", bundle.profile.document.issue_date)
        write_manifest(staging, manifest or {})

    return atomic_folder(FilePath(out_dir), fill)


def write_manifest(folder: FilePath, extra: dict) -> None:
    files = {str(p.relative_to(folder)).replace(os.sep, "/"): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(folder.rglob("*")) if p.is_file()}
    data = {"tool": "aftersales", **extra, "files": files}
    (folder / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                          encoding="utf-8")


def write_portal(built: list, out_dir: str | FilePath) -> FilePath:
    """An MkDocs site listing every company built, linking to each company's own site."""
    out_dir = FilePath(out_dir)

    def fill(staging: FilePath) -> None:
        links = [(summary, os.path.relpath(folder / "site" / "index.html", out_dir / "site").replace(os.sep, "/"))
                 for summary, folder in built]
        config = write_project({"index.md": portal_page(links), "stylesheets/extra.css": CSS},
                               staging / "mkdocs", "企业一览", [{"企业一览": "index.md"}])
        build_site(config, staging / "site")

    return atomic_folder(out_dir, fill)


def atomic_folder(out_dir: FilePath, fill) -> FilePath:
    """Let `fill` write a staging folder beside `out_dir`, then swap it into place in one rename.

    A folder holding files this tool did not write is never replaced; a failed `fill` leaves the
    previous output as it was and removes the staging folder.
    """
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise AftersalesError(f"输出目录 {out_dir} 已有不是本工具生成的文件，为免误删，请换一个目录或先清空它")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(out_dir)
    staging = FilePath(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        (staging / MARKER).write_text("generated by aftersales; this folder is replaced on every build\n",
                                      encoding="utf-8")
        fill(staging)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir


def _swap(staging: FilePath, target: FilePath) -> None:
    """Put `staging` in place of `target`. Where the system can exchange two paths in one step
    (Linux renameat2), there is no moment without a complete output folder."""
    if target.exists() and _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous output
        return
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
    os.rename(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _exchange(a: FilePath, b: FilePath) -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _remove_stale(out_dir: FilePath) -> None:
    """Staging folders left by a build that was killed: ours carry the marker file."""
    for sibling in out_dir.parent.glob(f".{out_dir.name}.*"):
        if sibling.is_dir() and (sibling / MARKER).exists():
            shutil.rmtree(sibling, ignore_errors=True)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_name(name: str) -> str:
    """A folder name safe on every platform, derived from a profile file name."""
    clean = _UNSAFE.sub("-", name).strip(" .-") or "company"
    if clean.lower() in _RESERVED:
        clean = f"_{clean}"
    return clean[:80]
