"""Only web, mail and phone links on the site: an MkDocs hook, and the function behind it.

Text from the company profile reaches the site's pages; the profile's side refuses links it does not
allow, and this hook makes sure, whatever the input did, that no page links to or loads anything
but http, https, mailto and tel (relative links and #fragments stay): any `href`, `src`, `xlink:href`,
`action`, `formaction` (and the older URL attributes `data`, `poster`, `background`, `codebase`, `cite`)
whose URL has another scheme (`javascript:`, `data:`, `vbscript:`, `file:` …) is removed.

How, so that no disagreement with a browser about the HTML can hide a link: the attribute is looked
for everywhere in the text, not only in what a parser agrees is a tag (also in comments, in script and
style text, inside other attributes' values), with the HTML tokenizer's own rules for one attribute:
its name follows white space, "/" or a closing quote and is ASCII case-insensitive; white space may
surround "="; the value is double-quoted, single-quoted or runs to white space or ">". The value is read
as a browser reads a URL: character references decoded, control characters and spaces removed (a browser
removes tabs and newlines anywhere and the rest at the ends; removing more only finds more), scheme
case-folded. Removing an attribute may join text into a new one, so the search repeats until nothing is
found; every removal shortens the text, so it ends. Text with nothing to remove is returned unchanged.

Standard library only: `generator/output/site/project.py` copies this file next to each generated mkdocs.yml, so the
project in an output folder builds with plain MkDocs.
"""
from __future__ import annotations

import html
import re

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = ("href", "src", "xlink:href", "action", "formaction",
                  "data", "poster", "background", "codebase", "cite")

_SPACE = "\\t\\n\\f\\r "  # the HTML tokenizer's white space (a CR is read as a newline)
_ATTRIBUTE = re.compile(
    rf"""(?<![^{_SPACE}/"'])(?:{"|".join(map(re.escape, URL_ATTRIBUTES))})[{_SPACE}]*=[{_SPACE}]*"""
    rf"""(?:"(?P<dq>[^"]*)(?:"|\Z)|'(?P<sq>[^']*)(?:'|\Z)|(?P<uq>[^{_SPACE}>]*))""",
    re.IGNORECASE)
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def allowed_url(value: str) -> bool:
    """Whether an attribute's value, as written in HTML, is a relative URL or has an allowed scheme."""
    url = _IGNORED.sub("", html.unescape(value))
    scheme = _SCHEME.match(url)
    return scheme is None or scheme[1].lower() in ALLOWED_SCHEMES


def safe_links(text: str) -> str:
    """`text` (HTML) without any URL attribute whose scheme is not allowed."""
    start = 0
    while found := _ATTRIBUTE.search(text, start):
        value = next(v for v in found.group("dq", "sq", "uq") if v is not None)
        if allowed_url(value):
            start = found.start() + 1  # every position is a candidate: matches may overlap
        else:
            text = text[:found.start()] + text[found.end():]
            start = 0  # a removal can change what any earlier attribute's value runs to
    return text


def on_page_content(content, page, config, files):  # noqa: ARG001 - MkDocs' hook signature
    return safe_links(content)
