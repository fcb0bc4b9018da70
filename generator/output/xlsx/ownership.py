"""Whose a workbook is: the tool's own, untouched, or the user's.

A workbook the user names (`score --xlsx FILE`) is sealed (`seal`), so that the tool replaces it only
while it is untouched (`ownership`). The rule: any change a user would call an edit makes the
workbook the user's, and when in doubt it is the user's. Values, cell formatting (number formats,
fonts, fills, borders, alignment), frozen panes, filters, conditional formats, validation,
protection, print settings, images, charts and other added parts, the document's title and other
properties are compared exactly (each as every program writes it); column widths and row heights,
which a save without edits may round, within about a character and a point. The view (active
sheet and cell, selection, scrolling, zoom) and what a save rewrites by itself (dates, last author,
application) are not compared. A symbolic link is never the tool's.
"""
from __future__ import annotations

import io
import json
import os
import re
import zipfile

from generator.output.xlsx.fingerprint import DIGEST_PROPERTY, fingerprint, load_quietly

DIGEST_VERSION = "v2"  # what fingerprint covers; a workbook sealed by another version is not confirmed
WIDTH_TOLERANCE = 1.0  # characters: Excel rounds a width to whole pixels, LibreOffice to 1/100 mm
HEIGHT_TOLERANCE = 1.0  # points: Excel rounds a height to whole pixels (0.75 pt)
OURS, EDITED, UNCONFIRMED, FOREIGN = "ours", "edited", "unconfirmed", "foreign"
_MAX_UNPACKED = 64 << 20  # bytes: ours are tens of KB; a larger workbook is read no further


def seal(data: bytes) -> str:
    """The seal of the workbook `data` (the value of its DIGEST_PROPERTY), as it reads back."""
    digest, measures = fingerprint(data)
    return f"{DIGEST_VERSION}:{digest}:{json.dumps(measures, separators=(',', ':'))}"


def ownership(path) -> str:
    """Whose the workbook at `path` is: OURS (written by this tool, sealed, and its content still
    as written: it may be replaced), EDITED (written by this tool, edited since), UNCONFIRMED
    (written by this tool, but whether it was edited cannot be told: written by a version that
    sealed no digest or a digest of another kind, or it cannot be read) or FOREIGN (not written by
    this tool, or a symbolic link: replacing it would replace the link, whatever it points at)."""
    if os.path.islink(path):
        return FOREIGN
    try:
        with open(path, "rb") as stream:
            data = stream.read(_MAX_UNPACKED + 1)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            core = package.read("docProps/core.xml")
            size = sum(info.file_size for info in package.infolist())
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, EOFError):
        return FOREIGN
    if re.search(rb"<dc:creator\b[^>]*>aftersales</dc:creator>", core) is None:
        return FOREIGN
    if size > _MAX_UNPACKED or len(data) > _MAX_UNPACKED:
        return UNCONFIRMED
    try:
        sealed = [p.value for p in load_quietly(io.BytesIO(data)).custom_doc_props
                  if p.name == DIGEST_PROPERTY and isinstance(p.value, str)]
        version, digest, measures = (sealed[0] if len(sealed) == 1 else "").split(":", 2)
        if version != DIGEST_VERSION:
            return UNCONFIRMED
        expected = json.loads(measures)
        found_digest, found = fingerprint(data)
    except Exception:  # noqa: BLE001 - whatever fails to read, the workbook is not confirmed ours
        return UNCONFIRMED
    return OURS if digest == found_digest and _measures_agree(expected, found) else EDITED


def _measures_agree(expected: list, found: list) -> bool:
    """Whether the widths and heights `found` are those `expected`, give or take a save's rounding."""
    if len(expected) != len(found):
        return False
    for (width, height, widths, heights), (width2, height2, widths2, heights2) in zip(expected, found):
        if abs(width - width2) > WIDTH_TOLERANCE or abs(height - height2) > HEIGHT_TOLERANCE:
            return False
        for n in range(max(len(widths), len(widths2))):
            one = widths[n] if n < len(widths) and widths[n] is not None else width
            other = widths2[n] if n < len(widths2) and widths2[n] is not None else width2
            if abs(one - other) > WIDTH_TOLERANCE:
                return False
        if heights.keys() != heights2.keys() or any(abs(heights[n] - heights2[n]) > HEIGHT_TOLERANCE for n in heights):
            return False
    return True
