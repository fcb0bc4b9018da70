"""The published guide's instant self-check: the scoring rules as data for the page's script, and a
reader's answers as a profile the Python engine scores the same way.

The script (content/site/javascripts/selfcheck.js) computes the score, the level and the least-effort
path to the next level in the browser, offline, from `rules()`: the clauses, points and rules of
content/standard/, written out by the site's hook. It does what `assess.score` and `assess.gaps` do,
with exact fractions; tests/test_selfcheck.py turns generated answers into profiles, scores them
with the Python engine and requires the page's script to agree on every one. The page offers the
answers as YAML for a profile's `readiness` section.
"""
from __future__ import annotations

import json

from generator.assess.numbers import exact
from generator.standard.catalogue import Catalogue
from generator.standard.wording import Reason, say

SCRIPT = "javascripts/selfcheck.js"
DATA = "javascripts/selfcheck-data.js"
PAGE = "standard/selfcheck.md"


def exact_text(value) -> str:
    """An exact number as text the script reads without rounding: "1/2", "95", "3"."""
    f = exact(value)
    return f"{f.numerator}/{f.denominator}" if f.denominator != 1 else str(f.numerator)


def rules(catalogue: Catalogue) -> dict:
    """What the self-check computes from: every scored clause and every rule it uses."""
    s = catalogue.scoring
    return {
        "standard": catalogue.info.id,
        "total": exact_text(s.method.total),
        "credit": {status: exact_text(getattr(s.qualitative.credit, status)) for status in ("implemented", "partial", "missing")},
        "adjust_after_normalisation": s.normalisation.adjust_after_normalisation,
        "deduction": {"points": exact_text(s.special_deduction.points_each), "fail_at": s.special_deduction.fail_at,
                      "effort": s.plan.deduction_effort,
                      "key": say(Reason("gaps.deduction.key", {"number": 0}))},
        "bonus": {"points": exact_text(s.special_bonus.points), "max": s.special_bonus.max_count,
                  "counted": s.special_bonus.counted, "disputed": s.special_bonus.disputed or ""},
        "levels": [{"name": level.name, "min": exact_text(level.min)} for level in s.levels],
        "fail_name": s.fail_name,
        "year_rule": s.year_at_dabiao.star_requires_year_at_dabiao,
        "clauses": [{"id": c.id, "title": c.title, "points": exact_text(c.points), "provisional": c.provisional,
                     "sampled": c.sampled, "excludable": c.excludable, "effort": c.effort or 1,
                     "action": c.action or ""} for c in catalogue.leaves()],
        "groups": [{"id": g.id, "title": g.title} for g in catalogue.indicators(2)],
    }


def data_script(catalogue: Catalogue) -> str:
    """The rules as a script that sets `window.AFTERSALES_SELFCHECK` (a file, so it works offline and from file://)."""
    return ("// written by generator/output/site/selfcheck.py from content/standard/: do not edit\n"
            f"window.AFTERSALES_SELFCHECK = {json.dumps(rules(catalogue), ensure_ascii=True, sort_keys=True)};\n")
