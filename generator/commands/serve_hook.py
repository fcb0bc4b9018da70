"""MkDocs hook for `aftersales serve`: before every build, regenerate the pages from the profile.

MkDocs watches the profile file; when it changes, this hook rebuilds the company's pages. A profile
with mistakes shows them on the home page instead of stopping the preview. Before the server starts,
it is made to answer this computer's browser only (`preview.guard`).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from generator.build import make_bundle
from generator.errors import AftersalesError
from generator.commands.preview import guard
from generator.output.site.project import write_pages
from generator.output.site.pages import site_pages
from generator.output.site.templates import render


def on_pre_build(config):
    docs = Path(config["docs_dir"])
    profile = config["extra"]["aftersales_profile"]
    try:
        pages = site_pages(make_bundle(profile, paginate=False))
    except AftersalesError as exc:
        pages = {"index.md": render("profile_errors.md.j2", message=exc.message,
                                    problems=[problem.render() for problem in exc.problems])}
    shutil.rmtree(docs, ignore_errors=True)
    write_pages(pages, docs)


def on_serve(server, config, builder):
    return guard(server)
