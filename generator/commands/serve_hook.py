"""MkDocs hook for `aftersales serve`: before every build, regenerate the pages from the profile.

MkDocs watches the profile file; when it changes, this hook rebuilds the company's pages. A profile
with mistakes shows them on the home page instead of stopping the preview. Before the server starts,
it is made to answer this computer's browser only (`preview.guard`).

A save is shown quickly: the pages are made from the prepared company (`prepare`, not the DOCX
bundle), the builds share their unchanged work (`site.shared.SharedWork`, which this hook also is),
and a download (the DOCX files, the trace matrix) is made when the browser asks for it, from the
company the pages show (`preview.with_downloads`, `preview.SHOWN`), so it is never older than the page linking to it.
"""
from __future__ import annotations

from pathlib import Path

from generator.commands.preview import SHOWN, guard
from generator.errors import AftersalesError
from generator.output.site.pages import nav, site_pages
from generator.output.site.project import site_name, write_pages
from generator.output.site.shared import SharedWork
from generator.output.site.templates import render
from generator.prepare import prepare

_shared = SharedWork()  # MkDocs loads this hook again for each rebuild: what lasts is kept elsewhere
on_files = _shared.on_files
on_page_markdown, on_page_context = _shared.on_page_markdown, _shared.on_page_context
_made: dict = {}  # this build's company and pages, from on_config to on_pre_build


def on_config(config):
    """The company read again: the site's title and menu follow a renamed company or a changed manual."""
    config = _shared.on_config(config)
    _made.clear()
    try:
        _made["prepared"] = prepared = prepare(config["extra"]["aftersales_profile"])
        _made["pages"] = site_pages(prepared, downloads=False)
    except AftersalesError as exc:
        _made["error"] = exc
        if SHOWN.title is not None:  # the title and menu of the company last shown, whose pages say what is wrong
            config["site_name"], config["nav"] = SHOWN.title, SHOWN.menu
        return config
    config["site_name"] = SHOWN.title = site_name(prepared.profile.company.short_name)
    config["nav"] = SHOWN.menu = nav(prepared)
    return config


def on_pre_build(config):
    prepared, pages = _made.get("prepared"), _made.get("pages")
    if prepared is None:
        exc = _made["error"]
        home, elsewhere = (render("profile_errors.md.j2", message=exc.message, elsewhere=other,
                                  problems=[p.render() for p in exc.problems]) for other in (False, True))
        # every page the browser may be showing says so (it reloads after the rebuild), not "404"
        pages = {rel: home if rel == "index.md" else elsewhere for rel in {"index.md", *SHOWN.pages}}
    _replace_pages(Path(config["docs_dir"]), pages)
    SHOWN.show(prepared, None if prepared is None else [rel for rel in pages if rel.endswith(".md")])


def _replace_pages(docs: Path, pages: dict[str, str | bytes]) -> None:
    """The docs folder (the preview's own, in its temporary project) holding `pages` and nothing else;
    a page as it already is is not written again."""
    wanted = {docs / rel for rel in pages}
    for path in sorted(docs.rglob("*"), reverse=True) if docs.is_dir() else ():
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif path not in wanted:
            path.unlink()
    changed = {}
    for rel, content in pages.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        try:
            if (docs / rel).read_bytes() == data:
                continue
        except OSError:
            pass
        changed[rel] = content
    write_pages(changed, docs)


def on_serve(server, config, builder):
    return guard(server, SHOWN.download)
