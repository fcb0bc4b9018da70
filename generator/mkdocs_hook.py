"""MkDocs hook for the project's own published site (top-level mkdocs.yml).

Builds every example in company_profiles/ in memory and adds its pages under companies/<slug>/,
using the same `site_pages()` as a company's own site, plus a portal page listing them, and the guide
to the standard for any reader under standard/ (`reference_pages()`), which links to the examples.
"""
from __future__ import annotations

from mkdocs.structure.files import File

from generator.build import make_bundle
from generator.prepare import summary_of
from generator.paths import ROOT
from generator.output.site.shared import quiet_jieba
from generator.output.site.pages import CSS, SHIM, SHIM_PATH, nav, portal_page, project_nav, site_pages
from generator.output.site.reference import Example, reference_nav, reference_pages
from generator.standard.catalogue import load_catalogue

_bundles: list = []


def on_config(config):
    quiet_jieba()
    catalogue = load_catalogue()
    _bundles[:] = [make_bundle(path, catalogue) for path in sorted((ROOT / "company_profiles").glob("*.yaml"))]
    config["nav"] = project_nav([(bundle.profile.company.short_name, nav(bundle, prefix=f"companies/{bundle.slug}/"))
                                 for bundle in _bundles], reference_nav(catalogue))
    return config


def on_files(files, config):
    for bundle in _bundles:
        for rel, content in site_pages(bundle, standard="../../standard/").items():
            files.append(File.generated(config, f"companies/{bundle.slug}/{rel}", content=content))
    for rel, content in reference_pages(load_catalogue(), [Example.of(bundle) for bundle in _bundles]).items():
        files.append(File.generated(config, rel, content=content))
    portal = portal_page([(summary_of(bundle), f"{bundle.slug}/index.html") for bundle in _bundles],
                         load_catalogue())  # the catalogue every example was built with
    files.append(File.generated(config, "companies/index.md", content=portal))
    files.append(File.generated(config, "stylesheets/extra.css", content=CSS))
    files.append(File.generated(config, SHIM_PATH, content=SHIM))
    return files
