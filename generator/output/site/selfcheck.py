"""The published guide's instant self-check: the scoring rules as data for the page's script, and a
reader's answers as a profile the Python engine scores the same way.

The script (content/site/javascripts/selfcheck.js) computes the score, the level and the least-effort
path to the next level in the browser, offline, from `rules()`: the clauses, points and rules of
content/standard/, written out by the site's hook. It does what `assess.score` and `assess.gaps` do,
with exact fractions. `answers_profile()` turns the same answers into a profile (the bundled
example's, its facts made neutral so the answers alone decide), which `aftersales score` scores:
a test requires both to agree on generated answer sets, and the page offers the answers as YAML for
the profile's `readiness` section.
"""
from __future__ import annotations

import copy
import json
from fractions import Fraction

from generator.assess.numbers import exact
from generator.standard.catalogue import Catalogue
from generator.standard.wording import Reason, say

SCRIPT = "javascripts/selfcheck.js"
DATA = "javascripts/selfcheck-data.js"
PAGE = "standard/selfcheck.md"


def _q(value) -> str:
    """An exact number as text the script reads without rounding: "1/2", "95", "3"."""
    f = exact(value)
    return f"{f.numerator}/{f.denominator}" if f.denominator != 1 else str(f.numerator)


def rules(catalogue: Catalogue) -> dict:
    """What the self-check computes from: every scored clause and every rule it uses."""
    s = catalogue.scoring
    return {
        "standard": catalogue.info.id,
        "total": _q(s.method.total),
        "credit": {status: _q(getattr(s.qualitative.credit, status)) for status in ("implemented", "partial", "missing")},
        "adjust_after_normalisation": s.normalisation.adjust_after_normalisation,
        "deduction": {"points": _q(s.special_deduction.points_each), "fail_at": s.special_deduction.fail_at,
                      "effort": s.plan.deduction_effort,
                      "key": say(Reason("gaps.deduction.key", {"number": 0}))},
        "bonus": {"points": _q(s.special_bonus.points), "max": s.special_bonus.max_count,
                  "counted": s.special_bonus.counted, "disputed": s.special_bonus.disputed or ""},
        "levels": [{"name": level.name, "min": _q(level.min)} for level in s.levels],
        "fail_name": s.fail_name,
        "year_rule": s.year_at_dabiao.star_requires_year_at_dabiao,
        "clauses": [{"id": c.id, "title": c.title, "points": _q(c.points), "provisional": c.provisional,
                     "sampled": c.sampled, "excludable": c.excludable, "effort": c.effort or 1,
                     "action": c.action or ""} for c in catalogue.leaves()],
        "groups": [{"id": g.id, "title": g.title} for g in catalogue.indicators(2)],
    }


def data_script(catalogue: Catalogue) -> str:
    """The rules as a script that sets `window.AFTERSALES_SELFCHECK` (a file, so it works offline and from file://)."""
    return ("// 由 generator/output/site/selfcheck.py 从 content/standard/ 生成，请勿手改\n"
            f"window.AFTERSALES_SELFCHECK = {json.dumps(rules(catalogue), ensure_ascii=True, sort_keys=True)};\n")


def answers_profile(base: dict, answers: dict, catalogue: Catalogue) -> dict:
    """Profile data for `answers` (as the page keeps them: {"clauses": {id: {"status", "checked",
    "nonconforming"}}, "deductions": n, "bonuses": n}) on the `base` profile's data, whose facts are
    made neutral: enough certified managers, every technician qualified, sold nationwide, so the
    self-assessment alone decides each clause, as on the page. A clause answered "na" is excluded
    the profile's way: every service it names (arrangements) not provided."""
    data = copy.deepcopy(base)
    staff = data["staff"]
    staff["qualified_technicians"] = staff["technicians"]
    staff["service_management_staff"] = max(1, min(staff["service_management_staff"],
                                                   10 * len(staff["certified_managers"])))
    data["company"]["sales_regions"] = ["全国"]  # the outlets then explain 5.1.1.2; the answer decides it
    arrangements = data["arrangements"]
    assessed = {}
    for clause in catalogue.leaves():
        answer = answers["clauses"][clause.id]
        names = clause.arrangements
        for name in names:
            if answer["status"] == "na":
                arrangements[name] = {"provided": False, "excluded_reason": "本企业不提供此项服务"}
            elif not arrangements[name]["provided"]:
                arrangements[name] = {"provided": True, "description": "按服务规范提供"}
        if answer["status"] == "na":
            continue
        entry = {"status": answer["status"]}
        if clause.sampled and answer.get("checked"):
            entry["samples"] = {"checked": answer["checked"], "nonconforming": answer.get("nonconforming", 0)}
        assessed[clause.id] = entry
    readiness = data.setdefault("readiness", {})
    readiness["self_assessment"] = assessed
    readiness["exclusions"] = {}
    readiness["special_deductions"] = [{"kind": "体系运行", "finding": f"自查发现的第 {i + 1} 项问题"}
                                       for i in range(answers.get("deductions", 0))]
    readiness["bonuses"] = [{"strength": f"领先做法 {i + 1}", "evidence": "说明材料"}
                            for i in range(answers.get("bonuses", 0))]
    return data


def as_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"
