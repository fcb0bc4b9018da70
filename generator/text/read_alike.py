"""Whether the DOCX (markdown-it-py, CommonMark) and the site (Python-Markdown, as mkdocs runs it)
read a text alike: the same structure and text, the same links, no HTML of the user's. The escaping
of a user's Markdown (user_markdown) is checked with these, and so are a user's links (user_text).
"""
from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt

from generator.text.clausetags import parser
from generator.text.html_safety import ALLOWED_SCHEMES, safe_links
from generator.text.html_text import SITE_EXTENSIONS, HtmlReader, page_links

_SHOWN = "<&{}\\"  # characters whose every occurrence the site must show (none may become markup or vanish)


@functools.lru_cache(maxsize=1)
def commonmark():
    """CommonMark as the DOCX reads it, except that `<…>` and `&…;` are text (the user's meaning)."""
    return MarkdownIt("commonmark", {"html": False}).enable("table").disable(["autolink", "entity"])


def shown_alike(made: str) -> bool:
    """Whether both renderers make the same code blocks and spans of `made` and show the same count of
    each character that marks structure (Python-Markdown making no HTML of its own)."""
    import markdown  # Python-Markdown, here: slow to import, and only a user's own Markdown needs it

    tokens = parser().parse(made)
    reader = HtmlReader()
    reader.feed(markdown.markdown(made, extensions=list(SITE_EXTENSIONS)))
    reader.close()
    code = sum(part.type in ("code_inline", "code_block", "fence")
               for token in tokens for part in [token, *(token.children or [])])
    shown = "".join(_visible(tokens))
    return (reader.only_markdown and reader.code == code
            and all(reader.text.count(ch) == shown.count(ch) for ch in _SHOWN + "`~*-#>"))



def docx_reads_alike(text: str, escaped: str) -> bool:
    """Whether markdown-it reads `escaped` as the user's `text`: the same blocks, inline markup and text."""
    return _shape(commonmark().parse(text)) == _shape(parser().parse(escaped))


def _shape(tokens) -> list:
    shape: list = []
    for token in tokens:
        if token.type == "inline":
            shape.append(_shape(token.children or []))
        elif token.type in ("text", "text_special"):
            if shape and isinstance(shape[-1], str):
                shape[-1] += token.content
            else:
                shape.append(token.content)
        else:
            if token.type in ("hardbreak", "softbreak") and shape and isinstance(shape[-1], str):
                shape[-1] = shape[-1].rstrip(" ")  # spaces before a line break show nowhere
            content = token.content if "code" in token.type or token.type == "fence" else ""
            if token.type == "fence" and content and not content.endswith("\n"):
                content += "\n"  # a fence left open at the end of the text, which _fenced closes
            shape.append((token.type, token.tag, token.nesting, content))
    return shape


def site_reads_alike(text: str, escaped: str) -> bool:
    """Whether Python-Markdown, as the site runs it, makes only Markdown's own HTML of `escaped`, shows
    every `<`, `&`, `{` and `}` the user's text shows, and leaves the safety hook nothing to remove."""
    import markdown

    page = markdown.markdown(escaped, extensions=list(SITE_EXTENSIONS))
    reader = HtmlReader()
    reader.feed(page)
    reader.close()
    shown = "".join(_visible(commonmark().parse(text)))
    return (reader.only_markdown and safe_links(page) == page
            and all(reader.text.count(ch) == shown.count(ch) for ch in _SHOWN))


def links_read_alike(markdown_text: str) -> bool:
    """Whether the site and the DOCX read the same links in `markdown_text` (a user's text as made by
    `user_markdown`): the same number, in order, each with the same shown text and the same address
    (compared decoded, as markdown-it shows an address: the DOCX writes its encoded form, percent-encoded
    and in punycode, a browser encodes the site's). Where CommonMark and Python-Markdown split a link
    differently (a quote, a space, a parenthesis or angle brackets in the address, a title), one would
    hide text or point elsewhere.
    Every link must also still have an allowed scheme: an address in angle brackets, once its "<" is
    escaped, is read by both as a relative address (which is not what the user typed)."""
    import markdown

    docx_links: list[tuple[str, str]] = []
    for block in parser(every_link=True).parse(markdown_text):
        shown = None
        for token in block.children or []:
            if token.type == "link_open":
                docx_links.append((str(token.attrs.get("href", "")), ""))
                shown = ""
            elif token.type == "link_close" and shown is not None:
                docx_links[-1], shown = (docx_links[-1][0], shown), None
            elif shown is not None and token.type in ("text", "text_special", "code_inline"):
                shown += token.content
            elif shown is not None and token.type == "softbreak":
                shown += "\n"
    site_links = page_links(markdown.markdown(markdown_text, extensions=list(SITE_EXTENSIONS)))

    decoded = parser(every_link=True).normalizeLinkText  # percent-encoding and punycode undone

    def same(links):
        return [(decoded(href), " ".join(text.split())) for href, text in links]
    schemes = [re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", href) for href, _ in docx_links]
    return (all(s and s.group(1).lower() in ALLOWED_SCHEMES for s in schemes)  # still the address typed
            and same(docx_links) == same(site_links))



def _visible(tokens):
    for token in tokens:
        if token.type == "inline":
            yield from _visible(token.children or [])
        elif token.type in ("text", "text_special", "code_inline", "code_block", "fence"):
            yield token.content
