"""HTML in the Markdown and out of it: the character reference that writes a character as text in
both renderers, and readers of the HTML Python-Markdown makes of a page (its links; its text, and
whether it holds only the tags Markdown itself makes).
"""
from __future__ import annotations

from html.parser import HTMLParser

SITE_EXTENSIONS = ("tables", "attr_list", "md_in_html", "toc", "fenced_code", "sane_lists")  # as in site.mkdocs_config (a test compares)
_SITE_TAGS = {  # what Python-Markdown makes of Markdown, with the attributes it gives them
    "p": (), "em": (), "strong": (), "code": (), "pre": (), "ul": (), "ol": ("start",), "li": (),
    "blockquote": (), "a": ("href", "title"), "table": (), "thead": (), "tbody": (), "tr": (),
    "th": ("style",), "td": ("style",), "br": (), "hr": ()}


def reference(ch: str) -> str:
    """`ch` as an HTML character reference: text to both renderers, never syntax."""
    return {"<": "&lt;", "&": "&amp;"}.get(ch, f"&#{ord(ch)};")


def page_links(page: str) -> list[tuple[str, str]]:
    """The links of an HTML page: (href, shown text) of each, in order."""
    reader = _Links()
    reader.feed(page)
    reader.close()
    return reader.links


class _Links(HTMLParser):

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append((dict(attrs).get("href") or "", ""))
            self.inside = True

    def handle_endtag(self, tag):
        if tag == "a":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.links[-1] = (self.links[-1][0], self.links[-1][1] + data)



class HtmlReader(HTMLParser):
    """The text of a page, whether it holds only the tags Markdown makes, and how many `<code>`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.only_markdown, self.code = "", True, 0

    def handle_starttag(self, tag, attrs):
        self.code += tag == "code"
        allowed = _SITE_TAGS.get(tag)
        if allowed is None or any(name not in allowed for name, _ in attrs):
            self.only_markdown = False

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text += data

    def handle_comment(self, data):
        self.only_markdown = False

    handle_decl = handle_pi = unknown_decl = handle_comment
