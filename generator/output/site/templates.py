"""The site's pages rendered from the Jinja templates in content/pages/.

They run in the documents' environment (`render.documents.environment`): sandboxed, StrictUndefined,
every printed value through `literal()`, so profile text is never Markdown, HTML or template syntax.
Python hands them data; every sentence is in a template. A page's links are relative to it: the
helpers below are made for the page being rendered.
"""
from __future__ import annotations

from generator.paths import PAGES
from generator.render.documents import environment
from generator.render.provisional import caveat, star
from generator.standard.catalogue import Catalogue
from generator.text.literal import Markdown
from generator.output.site.layout import Layout, clause_anchor, guide_page, rel


def render(template: str, **data) -> str:
    """The Markdown of `template` given `data`: a page that links nowhere (see `render_page`)."""
    return environment(PAGES).get_template(template).render(data)


def render_page(template: str, page: str, catalogue: Catalogue, where: Layout | None = None, **data) -> str:
    """The Markdown of site page `page` (relative to the docs folder) from `template`, given `data`.
    Every page sees the `catalogue`, may star provisional points and show the caveat; `where` places
    document sections."""
    def to(target: str) -> Markdown:
        return Markdown(rel(page, target))

    def to_section(place) -> Markdown:
        return to(where.section(place.document, place.index))

    helpers = {
        "to": to,
        "to_guide": lambda clause_id: to(guide_page(clause_id)),
        "to_clause": lambda clause_id: to(f"{guide_page(clause_id)}#{clause_anchor(clause_id)}"),
        "to_section": to_section,
        "anchor": lambda clause_id: Markdown(clause_anchor(clause_id)),
        "catalogue": catalogue,
        "star": star,
        "caveat": caveat(catalogue),
    }
    return render(template, **helpers, **data)
