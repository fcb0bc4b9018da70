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
import re

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
                     "action": c.action or "", "arrangements": list(c.arrangements)} for c in catalogue.leaves()],
        "groups": [{"id": g.id, "title": g.title} for g in catalogue.indicators(2)],
    }


def _blocks(text: str, indent: str) -> list[list[str]]:
    """YAML text cut into its keys at `indent`: [key, the key's lines with the comments just above them]."""
    blocks: list[list[str]] = []
    pending: list[str] = []
    for line in text.splitlines(keepends=True):
        key = re.match(rf"^{indent}([a-z_]+):", line)
        if key:
            blocks.append([key.group(1), "".join(pending) + line])
            pending = []
        elif line.startswith(indent + "#") or not blocks:
            pending.append(line)
        else:
            blocks[-1][1] += "".join(pending) + line
            pending = []
    if pending:
        blocks[-1][1] += "".join(pending)
    return blocks


def starter(catalogue: Catalogue) -> dict:
    """`aftersales init`'s starter profile, cut so that the page can put the reader's answers in it:
    its top-level keys in order, the parts of `readiness` the answers do not replace (materials …),
    and the services of `arrangements` (a clause answered 不适用 is excluded the profile's way)."""
    from ruamel.yaml import YAML

    from generator.profile.starter import starter_text

    text = starter_text()
    blocks = _blocks(text, "")
    readiness = next(body for key, body in blocks if key == "readiness")
    kept = [body for key, body in _blocks(readiness.split("\n", 1)[1], "  ")
            if key not in ("self_assessment", "exclusions", "special_deductions", "bonuses")]
    data = YAML(typ="safe").load(text)
    return {"blocks": blocks, "readiness_kept": "".join(kept),
            "arrangements": {name: {k: v for k, v in service.items() if v is not None}
                             for name, service in data["arrangements"].items()}}


def data_script(catalogue: Catalogue) -> str:
    """The rules as a script that sets `window.AFTERSALES_SELFCHECK` (a file, so it works offline and from file://)."""
    return ("// written by generator/output/site/selfcheck.py from content/standard/: do not edit\n"
            f"window.AFTERSALES_SELFCHECK = {json.dumps(rules(catalogue), ensure_ascii=True, sort_keys=True)};\n"
            f"window.AFTERSALES_STARTER = {json.dumps(starter(catalogue), ensure_ascii=True, sort_keys=True)};\n")
