"""What one built company shows: the record a build writes into its manifest, and the portal and the
command line read back. Its own small module: `generator.prepare` makes it, the batch reads it back
from a manifest, and neither needs the other's imports for it."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Summary:
    """What the portal and the command line show of one built company."""

    slug: str
    legal_name: str
    enterprise_type: str
    score: float
    level: str
    target_level: str
    missing: int
    material_counts: dict[str, int]  # status label -> how many materials, in the order shown (readable as it is)
    warnings: list[str]
    findings: list[str]
    blanks: list[str]
    files: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # the warnings, located in the profile (file:line:column [key])
    pdfs: list[str] = field(default_factory=list)  # the PDF files written beside the DOCX (`build --pdf`)
    layout_note: str = ""  # why the contents carry no page numbers, when LibreOffice failed
