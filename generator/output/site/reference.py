"""The published site's guide to GB/T 27922 for any reader, not one company: a page per second-level
indicator, the chapters outside the indicators, and the certification process with its person-days and fees.

Built from the same data as the documents (content/standard/, content/industries/), so the guide, a
company's files and `aftersales score` never disagree; every number comes from the engine that
prices a company's application (`assess.fees`). Each clause's page links to where the example
companies cover it. The pages live under standard/ of the top-level mkdocs.yml's site.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from generator.assess.eligibility import conditions as eligibility_conditions
from generator.assess.numbers import exact
from generator.assess.timeline import surveillance_windows
from generator.assess.fees import STAGES, audits, band_for, bands, stage_costs
from generator.output.site.layout import clause_anchor, guide_page, rel
from generator.output.site.selfcheck import DATA, data_script, exact_text
from generator.output.site.templates import render_page
from generator.errors import CatalogueError, Problem
from generator.paths import PAGES
from generator.standard.bundled import Data, Evidence, load_data
from generator.standard.catalogue import EVIDENCE_LABELS, Catalogue
from generator.standard.industry import load_packs
from generator.standard.scheme import load_scheme, load_tariffs
from generator.standard.wording import say, yuan
from generator.text.literal import Markdown, date

INDEX, PROCESS, SELFCHECK, FAQ = "standard/index.md", "standard/process.md", "standard/selfcheck.md", "standard/faq.md"
EXAMPLES = "standard/examples.md"
TARIFF_DATA = "javascripts/tariff-data.js"  # the fee calculator's tariff (content/site/javascripts/fees.js reads it)


def standard_page(clause_id: str) -> str:
    """The reference page of a clause: its second-level indicator's page, or the index."""
    return "standard/" + guide_page(clause_id).removeprefix("guide/")


@dataclass(frozen=True)
class Example:
    """An example company on the published site: its name, where its site lives, how it meets each clause."""
    name: str
    prefix: str  # its pages' folder in the docs, e.g. companies/hualan-appliances/
    traces: dict  # clause id -> Trace
    profile: object  # its Profile, for the side-by-side page
    assessment: object  # its Assessment

    @classmethod
    def of(cls, bundle) -> "Example":
        """A built company as the published site shows it, under companies/<its slug>/."""
        return cls(bundle.profile.company.short_name, f"companies/{bundle.slug}/",
                   {t.clause.id: t for t in bundle.traces}, bundle.profile, bundle.assessment)


def reference_nav(catalogue: Catalogue) -> list[dict]:
    """The guide's entries for the navigation: the index, every indicator's page, the process."""
    return [{"标准概览": INDEX}, *({c.label: standard_page(c.id)} for c in catalogue.indicators(3)),
            {"认证流程与费用": PROCESS}, {"即时自评": SELFCHECK}, {"常见问题": FAQ},
            {"示例企业对照": EXAMPLES}]


def reference_pages(catalogue: Catalogue, examples: list[Example]) -> dict[str, str]:
    """Every page of the guide by its path in the docs folder, with the self-check's rules as a script."""
    pages = {INDEX: _page("standard_index.md.j2", INDEX, catalogue)}
    for indicator in catalogue.indicators(3):
        page = standard_page(indicator.id)
        children = catalogue.children(indicator.id)
        pages[page] = _page("standard_indicator.md.j2", page, catalogue, indicator=indicator,
                            clauses=children or [indicator], heading=bool(children), examples=examples,
                            forms={c.id: [f for f in catalogue.forms if f.clause == c.id] for c in children or [indicator]},
                            materials={c.id: [m for m in catalogue.materials if c.id in m.clauses]
                                       for c in children or [indicator]},
                            packs=list(load_packs().values()))
    pages[PROCESS] = _page("standard_process.md.j2", PROCESS, catalogue, **_process(catalogue))
    pages[SELFCHECK] = _page("standard_selfcheck.md.j2", SELFCHECK, catalogue)
    pages[EXAMPLES] = _page("standard_examples.md.j2", EXAMPLES, catalogue, examples=examples)
    pages[FAQ] = _page("standard_faq.md.j2", FAQ, catalogue, questions=faq(catalogue),
                       pages={"index": (INDEX, "标准概览"), "process": (PROCESS, "认证流程与费用"),
                              "selfcheck": (SELFCHECK, "即时自评")})
    pages[DATA] = data_script(catalogue)
    pages[TARIFF_DATA] = tariff_script()
    return pages


def tariff_script() -> str:
    """The default tariff as a script that sets `window.AFTERSALES_TARIFF`, for the fee calculator:
    exact numbers as text, each stage with what it is called and the fees charged with its days."""
    tariff = next(t for t in load_tariffs() if t.default)
    optional = lambda value: None if value is None else exact_text(value)  # noqa: E731 - a missing day
    data = {
        "cited": tariff.cited, "retrieved": date(tariff.retrieved),
        "fees": {key: exact_text(getattr(tariff.fees, key)) for key in ("application", "registration", "annual", "day_rate")},
        "multi_site": {"days_per_outlet": exact_text(tariff.multi_site.days_per_outlet),
                       "factors": {key: exact_text(getattr(tariff.multi_site.factors, key))
                                   for key in ("initial", "surveillance", "recert")}},
        "rows": [{"max": row.max, "uncertain": row.uncertain,
                  **{key: optional(getattr(row, key)) for key in ("initial", "surveillance", "recert")}}
                 for row in tariff.person_days],
        "stages": [{"key": key, "name": say(name), "charges": [{"name": say(fee), "key": fee_key} for fee, fee_key in charges]}
                   for key, _, name, charges in STAGES],
    }
    return ("// written by generator/output/site/reference.py from content/standard/tariffs.yaml: do not edit\n"
            f"window.AFTERSALES_TARIFF = {json.dumps(data, ensure_ascii=True, sort_keys=True)};\n")


class Question(Data):
    question: str
    answer: str
    source: str
    evidence: Evidence
    see: str  # a clause id, or index / process / selfcheck


class Questions(Data):
    faq: list[Question]


def faq(catalogue: Catalogue) -> list[Question]:
    """content/pages/faq.yaml, each answer's {placeholders} filled from the standard's data: the numbers
    the FAQ states have one source."""
    path = PAGES / "faq.yaml"
    questions = load_data(path, Questions, what="常见问题数据文件").faq
    s, scheme = catalogue.scoring, load_scheme()
    managers = catalogue.with_fact("managers")
    values = {"levels": "；".join(f"{level.min:g} 分及以上为{level.name}" for level in reversed(s.levels)),
              "fail_at": s.special_deduction.fail_at, "deduction": f"{s.special_deduction.points_each:g}",
              "bonus_max": s.special_bonus.max_count, "manager_ratio": f"{s.managers.ratio * 100:g}",
              "manager_minimum": s.managers.minimum, "manager_points": f"{managers.points:g}",
              "running_months": scheme.minimum_running_months, "certificate_years": scheme.certificate_years}
    out = []
    for i, q in enumerate(questions):
        try:
            answer = q.answer.format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            raise CatalogueError(f"常见问题数据文件 {path.name} 有误", [Problem(
                f"第 {i + 1} 问的答案中有未知的占位符或花括号：{exc}（可用：{'、'.join(values)}）", str(path))]) from None
        if q.see not in ("index", "process", "selfcheck") and q.see not in catalogue.clauses:
            raise CatalogueError(f"常见问题数据文件 {path.name} 有误",
                                 [Problem(f"第 {i + 1} 问的 see 应为条款号或 index / process / selfcheck：{q.see}", str(path))])
        out.append(q.model_copy(update={"answer": answer}))
    return out


def _page(template: str, page: str, catalogue: Catalogue, **data) -> str:
    """A guide page from `template`, with the site's own helpers (`render_page`) and the guide's links:
    to a clause's reference page, and to an example's page for a clause."""
    def to(target: str) -> Markdown:
        return Markdown(rel(page, target))

    return render_page(template, page, catalogue, **data,
                       to_ref=lambda clause_id: to(f"{standard_page(clause_id)}#{clause_anchor(clause_id)}"),
                       to_page=lambda clause_id: to(standard_page(clause_id)),
                       example_link=lambda example, clause_id: to(
                           f"{example.prefix}{guide_page(clause_id)}#{clause_anchor(clause_id)}"),
                       evidence=lambda level: EVIDENCE_LABELS[level])


def _process(catalogue: Catalogue) -> dict:
    """The certification process's data: conditions, steps, surveillance, materials, person-days and fees."""
    scheme, tariffs = load_scheme(), load_tariffs()
    tariff = next(t for t in tariffs if t.default)
    conditions = [(say(item), say(ground)) for item, ground in eligibility_conditions(catalogue, scheme)]
    top = bands(tariff)[-1]
    rows = []
    for band in bands(tariff):
        stages = audits(tariff, band.high, 0)
        costs = {stage: stage_costs(audit, tariff, band_for(band.high, tariff), top)[0]
                 for stage, audit in stages.items()}
        rows.append({"range": band.range, "uncertain": bool(band.row.uncertain),
                     **{stage: (cost.days_text, cost.amount_text) for stage, cost in costs.items()}})
    fees = {key: yuan(exact(getattr(tariff.fees, key))) for key in ("application", "registration", "annual", "day_rate")}
    return {"scheme": scheme, "tariff": tariff, "fees": fees, "windows": surveillance_windows(scheme), "others": [t for t in tariffs if not t.default],
            "conditions": conditions, "rows": rows}
