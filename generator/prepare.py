"""The first stage of the pipeline for one company: everything but the files, in memory.

`prepare` loads and validates the profile, works out what it implies (the facts), assesses it,
plans the gaps and the certification, renders the documents, checks that they cover the standard
and lints the profile. `aftersales check` stops here; `generator.build` adds the DOCX files and
writes the folder. So this module imports no writer (no python-docx, MkDocs or openpyxl).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path as FilePath

from generator.assess.certification import Plan as CertificationPlan
from generator.assess.certification import plan_certification
from generator.assess.facts import Facts, facts_of
from generator.assess.gaps import Action, Route, plan
from generator.assess.lint import lint
from generator.assess.materials import MaterialLine, counts, material_lines
from generator.assess.score import Assessment, assess
from generator.errors import AftersalesError, Problem, locate
from generator.profile.model import Profile
from generator.intake.source import read_profile
from generator.inputs.yamlload import format_path
from generator.render.documents import Document, document_specs, render_documents
from generator.render.figures import Figure, bundle_figures
from generator.render.trace import Trace, check_coverage, trace
from generator.standard.catalogue import Catalogue, load_catalogue
from generator.summary import Summary

__all__ = ["Prepared", "docx_names", "prepare", "safe_name", "summary_of"]


@dataclass
class Prepared:
    """One company's profile with all that follows from it, checked: what the files are made from."""

    source: FilePath
    profile: Profile
    catalogue: Catalogue
    facts: Facts
    assessment: Assessment
    documents: list[Document]
    materials: list[MaterialLine]
    traces: list[Trace]
    todo: list[Action]
    paths: list[Route]
    figures: dict[str, Figure]  # "figures/….svg" -> chart or diagram, referenced by the documents' Markdown
    certification: CertificationPlan
    findings: list[Problem]  # consistency lint: warnings, errors under --strict
    notices: list[Problem]  # eligibility warnings, located in the profile

    @property
    def blanks(self) -> list[str]:
        """Fields of the application form the profile does not hold: to fill in by hand."""
        return [label for doc in self.documents for label in doc.blanks]

    @property
    def warnings(self) -> list[str]:
        """What the user should know before applying (eligibility checks that do not pass)."""
        return [f"{c.item}：{c.detail}（{c.rule}）" for c in self.certification.warnings]

    @property
    def material_counts(self) -> dict[str, int]:
        return counts(self.materials)

    @property
    def files(self) -> list[str]:
        """The DOCX files the documents become, in the documents' order."""
        return [doc.spec.filename for doc in self.documents if doc.spec.filename]

    @property
    def slug(self) -> str:
        return safe_name(self.source.stem)


def prepare(profile_path: str | FilePath, catalogue: Catalogue | None = None,
            content: FilePath | None = None) -> Prepared:
    """Everything for one company but the files; `content` overrides document templates by name."""
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
    notices = [Problem(f"{c.item}：{c.detail}", **loaded.at(c.key), key_path=format_path(c.key), hint=c.rule)
               for c in certification.warnings]
    figures = bundle_figures(profile, catalogue, assessment, certification)
    return Prepared(FilePath(profile_path), profile, catalogue, facts, assessment, documents, materials, traces,
                    todo, paths, figures, certification, findings, notices)


def summary_of(prepared: Prepared) -> Summary:
    """What the manifest records of a build: `material_counts` by status label, as shown (readable, and
    what manifests of earlier builds hold), `missing` counted by status id: the materials still to get
    before applying, missing or expired (an expired one has to be renewed)."""
    missing = sum(1 for line in prepared.materials if line.status.id in ("missing", "expired"))
    return Summary(
        slug=prepared.slug, legal_name=prepared.profile.company.legal_name,
        enterprise_type=prepared.profile.company.enterprise_type, score=prepared.assessment.score,
        level=prepared.assessment.level, target_level=prepared.profile.certification.target_level,
        missing=missing, material_counts=prepared.material_counts,
        warnings=prepared.warnings, findings=[f.render() for f in prepared.findings], blanks=prepared.blanks,
        files=prepared.files, notices=[n.render() for n in prepared.notices])


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


def docx_names(prepared: Prepared) -> list[str]:
    """The DOCX files of a company, in the order a build writes and its site lists them."""
    return [doc.spec.filename for doc in prepared.documents if doc.spec.filename]
