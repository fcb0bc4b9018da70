"""What every Office Open XML package the tool writes (DOCX, XLSX) shares: text escaped as XML
character data, and a zip whose bytes depend only on its parts."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def esc(text: str) -> str:
    """Text as XML character data (and attribute values): escaped, characters XML cannot hold dropped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


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
