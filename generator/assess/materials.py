"""The state of each application material for one company (pure).

A material's status is one of content/standard/statuses.yaml, decided by its id; its label is shown
only where text is shown (the documents, the site, the manifest's summary)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from generator.assess.facts import Facts
from generator.profile.model import Profile
from generator.standard.catalogue import Catalogue, Material
from generator.standard.statuses import MaterialStatus, StatusId, material_statuses
from generator.standard.wording import Reason, say

TO_PREPARE: tuple[StatusId, ...] = ("missing", "expired", "optional")  # given an owner and a due date


@dataclass(frozen=True)
class Generated:
    """Where this tool writes a material: the document, its file (None when the caller named no files)
    and the section(s) in it (None: the whole document)."""

    document: str  # document key
    file: str | None
    section: str | None


@dataclass(frozen=True)
class MaterialLine:
    material: Material
    status: MaterialStatus
    why: Reason | None  # why the status is what it is (None for a generated one: `generated` says where)
    generated: Generated | None = None  # when produced by this tool
    owner: str = ""
    due: dt.date | None = None

    @property
    def note(self) -> str:
        return say(self.why) if self.why else ""

    @property
    def document(self) -> str | None:
        """Key of the generated document, when produced by this tool."""
        return self.generated.document if self.generated else None


def material_lines(profile: Profile, catalogue: Catalogue, facts: Facts,
                   filenames: dict[str, str] | None = None) -> list[MaterialLine]:
    """Each material's status; `filenames` maps document keys to the DOCX that holds a generated one."""
    declared = profile.readiness.materials
    out = []
    for line in _lines(profile, catalogue, facts, filenames or {}):
        entry = declared.get(line.material.id)
        if line.status.id in TO_PREPARE:
            owner, due = facts.owner_and_due(entry)
            line = replace(line, owner=owner, due=due)
        else:
            line = replace(line, owner=(entry.owner if entry and entry.owner else "—"))
        out.append(line)
    return out


def _lines(profile: Profile, catalogue: Catalogue, facts: Facts, filenames: dict[str, str]) -> list[MaterialLine]:
    status = material_statuses()
    declared = profile.readiness.materials
    planned = profile.certification.planned_application
    repair = catalogue.with_fact("repair")  # materials that apply with repair service (applies: repair)
    out = []
    for m in catalogue.materials:
        entry = declared.get(m.id)
        if m.applies == "certificates" and not profile.company.certificates:
            out.append(MaterialLine(m, status["not_applicable"], Reason("materials.no_certificates")))
        elif m.applies == "repair" and facts.excluded_reason(repair) is not None:
            out.append(MaterialLine(m, status["not_applicable"], Reason("materials.repair_excluded")))
        elif m.produced_by:
            where = Generated(m.produced_by, filenames.get(m.produced_by), m.section)
            out.append(MaterialLine(m, status["generated"], None, where))
        elif entry is None:
            out.append(MaterialLine(m, status["optional" if m.applies == "optional" else "missing"],
                                    Reason("materials.not_stated")))
        elif entry.expires is not None and entry.expires < planned:
            out.append(MaterialLine(m, status["expired"], Reason("materials.expired", {"expires": entry.expires})))
        else:
            out.append(MaterialLine(m, status[entry.status],
                                    Reason("materials.as_noted", {"note": entry.note}) if entry.note else None))
    return out


def counts_by_id(lines: list[MaterialLine]) -> dict[StatusId, int]:
    """How many materials have each status, by status id, in the order counts are shown."""
    return {sid: sum(1 for line in lines if line.status.id == sid) for sid in material_statuses()}


def counts(lines: list[MaterialLine]) -> dict[str, int]:
    """How many materials have each status, by the status's label: the summary the documents, the
    site and the manifest show (a label changed in the data changes the content's hash, so a build
    skipped as unchanged always holds the current labels)."""
    labels = material_statuses()
    return {labels[sid].label: n for sid, n in counts_by_id(lines).items()}


# The labels in the order counts are shown: a manifest stores its keys sorted (batch.py reorders them).
COUNT_ORDER = tuple(s.label for s in material_statuses().values())
