"""What every Office Open XML package the tool writes (DOCX, XLSX) shares: text escaped as XML
character data, and a zip whose bytes depend only on its parts."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

# The documents' fonts (Latin, East Asian): body text and headings. templates/docx/reference.docx
# is made with them (tools/make_reference_docx.py), and charts and shapes name them too.
BODY_LATIN, BODY_CJK = "Times New Roman", "宋体"
HEAD_LATIN, HEAD_CJK = "Arial", "黑体"
CODE_LATIN = "Consolas"  # code (Latin only: Chinese in code keeps the body font)

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def esc_text(text: str) -> str:
    """Text as XML character data, written as lxml writes it (a quotation mark as it is): a body
    written as text goes into the package without being parsed (generator/output/docx/package.py)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def esc(text: str) -> str:
    """Text as XML character data (and attribute values): escaped, characters XML cannot hold dropped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def stamp_core(core: bytes, stamp: dt.datetime) -> bytes:
    """docProps/core.xml with its created and modified dates set to `stamp` (writers put the clock there)."""
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*", lambda m: m.group(1) + when, core)


def repack(data: bytes, stamp: dt.datetime, fix=None) -> bytes:
    """A package written by another library, made reproducible: core dates and zip entries fixed;
    `fix(parts)` may change parts on the way."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = stamp_core(parts["docProps/core.xml"], stamp)
    if fix is not None:
        fix(parts)
    return zip_parts(parts, stamp)


def zip_parts(parts: dict[str, bytes], stamp: dt.datetime) -> bytes:
    """A zip (DOCX, XLSX) in which the same parts give the same bytes: one fixed entry time, a fixed order."""
    out = io.BytesIO()
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    first = [n for n in parts if n == "[Content_Types].xml"]  # must come first for some readers
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in first + sorted(n for n in parts if n not in first):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, parts[name])
    return out.getvalue()
