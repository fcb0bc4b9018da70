"""The gap plan: what to fix, worth how many points, and the least-effort path to a level. Pure.

Each clause that loses points is an action that recovers them (the catalogue's `action`, with its
evidence and an effort estimate in person-days); each special deduction is an action that recovers
its point. A path to a level is the set of actions with the least total effort whose points reach
the level's threshold (and that leaves fewer special deductions than the fail count): a small
knapsack, solved exactly by dynamic programming over hundredths of a point.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from generator.assess.facts import Facts
from generator.assess.numbers import exact, shown, up_to_hundredth
from generator.assess.score import Assessment, level_for
from generator.profile.model import Profile
from generator.standard.catalogue import Catalogue
from generator.standard.wording import Reason, said, say


@dataclass(frozen=True)
class Action:
    key: str  # clause id, or "特别扣分 1" …
    title: str
    action: str
    evidence: list[str]
    raw_points: float  # points of the item recovered
    points: float  # points of the final score recovered (after normalisation)
    effort: float  # person-days, estimate
    owner: str
    due: dt.date
    deduction: bool = False
    gain: Fraction = field(default=Fraction(0), compare=False)  # `points`, exact: what the plan adds up


@dataclass(frozen=True)
class Route:
    level: str
    needed: float  # points of the final score still needed
    actions: list[Action]
    reachable: bool
    why: Reason  # what the path comes to (wording.yaml gaps.route.*)
    reason: str = "short"  # short: points needed; deductions: special deductions to correct; bonus: reached only with the disputed bonus

    note = said("why")

    @property
    def lead_reason(self) -> Reason | None:
        """What a path's text starts with: the points still needed, or why none are (None for a level
        reached only with the disputed bonus: its note says it all)."""
        if self.reason == "bonus" or not self.actions:
            return None
        return (Reason("gaps.route.lead.short", {"needed": self.needed}) if self.needed > 0
                else Reason("gaps.route.lead.deductions"))

    @property
    def lead(self) -> str:
        reason = self.lead_reason
        return say(reason) if reason else ""

    @property
    def points(self) -> float:
        return round(sum(a.points for a in self.actions), 2)

    @property
    def effort(self) -> float:
        return sum(a.effort for a in self.actions)


def actions(profile: Profile, catalogue: Catalogue, facts: Facts, assessment: Assessment) -> list[Action]:
    """Every action that recovers points, most points first."""
    rules = catalogue.scoring
    out = []
    for line in assessment.gaps:
        owner, due = facts.owner_and_due(profile.readiness.self_assessment.get(line.clause.id))
        gain = line.lost_exact * assessment.scale
        out.append(Action(
            key=line.clause.id, title=line.clause.title, action=line.clause.action or "",
            evidence=list(line.clause.evidence), raw_points=line.lost,
            points=shown(gain), effort=line.clause.effort or 1,
            owner=owner, due=due, gain=gain))
    for i, finding in enumerate(profile.readiness.special_deductions, 1):
        out.append(Action(
            key=say(Reason("gaps.deduction.key", {"number": i})),
            title=say(Reason("gaps.deduction.title", {"kind": finding.kind})),
            action=say(Reason("gaps.deduction.action", {"finding": finding.finding.rstrip("。")})),
            evidence=[say(Reason("gaps.deduction.evidence.record")), say(Reason("gaps.deduction.evidence.corrective"))],
            raw_points=rules.special_deduction.points_each,
            points=shown(exact(rules.special_deduction.points_each) * assessment.adjust_scale),
            effort=rules.plan.deduction_effort, owner=facts.default_owner, due=facts.default_due, deduction=True,
            gain=exact(rules.special_deduction.points_each) * assessment.adjust_scale))
    return sorted(out, key=lambda a: (-a.points, a.effort, a.key))


def path_to(level: str, catalogue: Catalogue, assessment: Assessment, todo: list[Action]) -> Route:
    """The least-effort set of actions that brings the score to `level`. Where the score reaches it only
    with the disputed special bonus, the path is the one that reaches it without the bonus."""
    rules = catalogue.scoring
    thresholds = [l.min for l in rules.levels]
    threshold = exact(next(l.min for l in rules.levels if l.name == level))
    short = threshold - assessment.score_exact  # exact
    must_fix = assessment.must_fix
    if short <= 0 and must_fix == 0:
        bare = assessment.bare_exact  # the score without the disputed bonus
        if bare is None or bare >= threshold:
            return Route(level, 0.0, [], True, Reason("gaps.route.reached"))
        plan = _cheapest(threshold - bare, must_fix, todo)  # reached only with the bonus: secure it without
        lead = Reason("gaps.route.bonus", {"level": level, "bonus": assessment.bonus,
                                           "bare_score": assessment.without_bonus.score,
                                           "bare_level": assessment.without_bonus.level})
        if plan is None:
            return Route(level, 0.0, [], True, Reason("gaps.route.bonus.unreachable", {"lead": lead, "level": level}),
                         reason="bonus")
        after = min(assessment.total, bare + sum((a.gain for a in plan), Fraction(0)))
        why = Reason("gaps.route.bonus.plan", {"lead": lead, "level": level, "needed": up_to_hundredth(threshold - bare),
                                               "count": len(plan), "effort": sum(a.effort for a in plan),
                                               "after": shown(after, thresholds)})
        return Route(level, 0.0, plan, True, why, reason="bonus")
    needed = max(up_to_hundredth(short), 0.0)  # for display: rounded up, never "0" while short
    plan = _cheapest(short, must_fix, todo)
    if plan is None:
        most = shown(sum((a.gain for a in todo), Fraction(0)))
        return Route(level, needed, sorted(todo, key=lambda a: -a.points), False,
                     Reason("gaps.route.unreachable", {"most": most, "level": level, "threshold": float(threshold)}))
    left = assessment.deductions - sum(1 for a in plan if a.deduction)
    gained = sum((a.gain for a in plan), Fraction(0))
    after = min(assessment.total, assessment.score_exact + gained)
    reached, _ = level_for(after, left, catalogue)
    without = None
    if assessment.bare_exact is not None:  # the bonus is disputed: say where the path stands without it
        bare_after = min(assessment.total, assessment.bare_exact + gained)
        bare_level, _ = level_for(bare_after, left, catalogue)
        if bare_level != reached:
            without = Reason("gaps.route.plan.without_bonus", {"bonus": assessment.bonus,
                                                               "after": shown(bare_after, thresholds),
                                                               "level": bare_level})
    why = Reason("gaps.route.plan", {"count": len(plan), "effort": sum(a.effort for a in plan),
                                     "after": shown(after, thresholds), "level": reached, "without_bonus": without})
    return Route(level, needed, plan, True, why, reason="short" if short > 0 else "deductions")


def _cheapest(short: Fraction, must_fix: int, todo: list[Action]) -> list[Action] | None:
    """The least-effort actions (then fewest) that recover `short` points and correct at least
    `must_fix` special deductions; None if no set does."""
    deductions = [a for a in todo if a.deduction]
    clauses = [a for a in todo if not a.deduction]
    best: tuple[float, int, list[Action]] | None = None
    # special deductions are interchangeable: try each count of them, fill the rest with clauses
    for k in range(must_fix, len(deductions) + 1):
        fixed = deductions[:k]
        chosen = _least_effort(clauses, short - sum((a.gain for a in fixed), Fraction(0)))
        if chosen is None:
            continue
        plan = fixed + chosen
        cost = (sum(a.effort for a in plan), len(plan))
        if best is None or cost < best[:2]:
            best = (*cost, plan)
    return None if best is None else sorted(best[2], key=lambda a: (-a.points, a.key))


def _least_effort(items: list[Action], needed: Fraction) -> list[Action] | None:
    """Least total effort (then fewest items) whose exact points sum to at least `needed`. Solved
    over hundredths of a point; a choice the rounding let through short of `needed` is tried again
    one hundredth higher, so what is returned always reaches it exactly."""
    if needed <= 0:
        return []
    if sum((a.gain for a in items), Fraction(0)) < needed:
        return None
    target = math.ceil(needed * 100)
    while True:
        chosen = _knapsack(items, target)
        if chosen is None:
            return None
        if sum((items[i].gain for i in chosen), Fraction(0)) >= needed:
            return [items[i] for i in chosen]
        target += 1


def _knapsack(items: list[Action], target: int) -> list[int] | None:
    """Indices of the least-effort items whose points, rounded to hundredths, reach `target` hundredths."""
    gains = [round(a.gain * 100) for a in items]
    if sum(gains) < target:
        return None
    inf = float("inf")
    # cost[x]: least (effort, count) reaching at least x hundredths (x capped at target)
    cost: list[tuple[float, int]] = [(0.0, 0)] + [(inf, 0)] * target
    choice: list[list[int]] = [[] for _ in range(target + 1)]
    for i, (item, gain) in enumerate(zip(items, gains)):
        if gain <= 0:
            continue
        for x in range(target, -1, -1):  # downwards, so each item is used at most once
            if cost[x][0] == inf:
                continue
            y = min(target, x + gain)
            candidate = (cost[x][0] + item.effort, cost[x][1] + 1)
            if candidate < cost[y]:
                cost[y] = candidate
                choice[y] = choice[x] + [i]
    return choice[target] if cost[target][0] != inf else None


def plan(profile: Profile, catalogue: Catalogue, assessment: Assessment,
         facts: Facts) -> tuple[list[Action], list[Route]]:
    """All actions, and the paths to the next level and to the profile's target level; `facts` are the
    profile's (`facts.facts_of`)."""
    todo = actions(profile, catalogue, facts, assessment)
    names = []
    if assessment.next_level:
        names.append(assessment.next_level[0])
    target = profile.certification.target_level
    if target not in names:
        names.append(target)
    return todo, [path_to(name, catalogue, assessment, todo) for name in names]
