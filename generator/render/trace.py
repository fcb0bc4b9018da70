"""Traceability: for each clause, where this company's files cover it; and the coverage check.

A clause is covered by a manual section that tags it or one of its sub-clauses. Every applicable
indicator (not excluded under 6.2.2) must be covered by the manual, or the build fails.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from generator.assess.credit import ScoreLine
from generator.assess.score import Assessment
from generator.text.clausetags import Section
from generator.errors import CoverageError, Problem
from generator.assess.materials import MaterialLine
from generator.render.documents import Document
from generator.standard.catalogue import Catalogue, Clause


@dataclass(frozen=True)
class Place:
    document: str  # document key
    document_title: str
    section: Section
    index: int  # position of the section within its document (for anchors)


@dataclass
class Trace:
    clause: Clause
    places: list[Place] = field(default_factory=list)
    materials: list[MaterialLine] = field(default_factory=list)
    score: ScoreLine | None = None  # for scored clauses
    excluded_reason: str | None = None

    def in_document(self, key: str) -> list[Place]:
        return [p for p in self.places if p.document == key]


def trace(catalogue: Catalogue, documents: list[Document], materials: list[MaterialLine],
          assessment: Assessment) -> list[Trace]:
    rows = {cid: Trace(clause) for cid, clause in catalogue.clauses.items()}
    for doc in documents:
        for index, section in enumerate(doc.sections):
            for cid in section.clauses:
                if cid not in rows:
                    raise CoverageError(f"文档模板 {doc.spec.template} 的标题 “{section.title}” 引用了不存在的条款 {cid}")
                rows[cid].places.append(Place(doc.key, doc.title, section, index))
    for line in materials:
        for cid in line.material.clauses:
            rows[cid].materials.append(line)
    for line in assessment.lines:
        rows[line.clause.id].score = line
        rows[line.clause.id].excluded_reason = line.excluded_reason
    return list(rows.values())


def check_coverage(traces: list[Trace], catalogue: Catalogue, document: str = "manual") -> None:
    by_id = {t.clause.id: t for t in traces}

    def covered(cid: str) -> bool:
        if by_id[cid].in_document(document):
            return True
        return any(covered(child.id) for child in catalogue.children(cid))

    def applicable(cid: str) -> bool:
        kids = catalogue.children(cid)
        if kids:
            return any(applicable(k.id) for k in kids)
        return by_id[cid].excluded_reason is None

    missing = [t.clause for t in traces
               if t.clause.kind == "indicator" and t.clause.depth > 1
               and applicable(t.clause.id) and not covered(t.clause.id)]
    if missing:
        raise CoverageError(
            f"售后服务手册没有覆盖 {len(missing)} 个适用条款",
            [Problem(f"条款 {c.label} 没有任何手册章节覆盖", hint="在手册模板中为其增加带 {clauses=…} 标记的章节")
             for c in missing])
