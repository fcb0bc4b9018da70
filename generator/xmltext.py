"""Text as XML character data, in one place for every OOXML part the tool writes."""
from __future__ import annotations

import re

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def esc(text: str) -> str:
    """Text as XML character data (and attribute values): escaped, characters XML cannot hold dropped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text
