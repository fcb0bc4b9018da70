"""Score a profile by the standard's own method (GB/T 27922-2011 ch. 6). Pure: no I/O.

Every rule and its source is in content/standard/scoring.yaml. What each scored clause earns, and
why, is `credit.score_line`. Then 评分 = 实际得分 / 涉及项总分值 × 满分 (scoring.yaml `method.total`),
±1 per special deduction and bonus, and the level, decided on the exact score.
The gap plan (`gaps.py`) works from the lines computed here."""
from __future__ import annotations

import typing
from dataclasses import dataclass, field
from fractions import Fraction

from generator.assess.credit import ScoreLine, score_line
from generator.assess.dates import add_months
from generator.assess.facts import Facts
from generator.assess.numbers import exact, shown, up_to_hundredth
from generator.profile.model import Profile
from generator.standard.catalogue import Catalogue, Clause
from generator.standard.wording import Reason, said, say

@dataclass(frozen=True)
class Group:
    """A second-level indicator (5.1, 5.2, 5.3) or third-level one, summed over its scored clauses."""

    clause: Clause
    maximum: float
    applicable: float
    earned: float
    lines: tuple[ScoreLine, ...] = ()

    @property
    def clause_ids(self) -> list[str]:
        return [l.clause.id for l in self.lines]


class Bare(typing.NamedTuple):
    """The score and level if the disputed special bonus is not counted."""

    score: float
    level: str


@dataclass(frozen=True)
class Assessment:
    lines: list[ScoreLine]
    applicable_total: float
    earned_total: float
    normalised: float
    deductions: int
    bonus: float
    bonus_reason: Reason  # how many special bonuses are claimed and counted
    score: float  # for display, to 0.01 (`shown`: never across a threshold the exact score misses)
    level: str
    level_reason: Reason  # why this level
    next_level: tuple[str, float] | None  # (name, points still needed)
    groups: list[Group] = field(default_factory=list)  # first-level indicators 5.1, 5.2, 5.3
    indicators: list[Group] = field(default_factory=list)  # second-level indicators 5.1.1 … 5.3.2
    score_exact: Fraction = Fraction(0)  # what the level is decided on
    without_bonus: Bare | None = None  # the score and level if the disputed bonus is not counted
    bare_exact: Fraction | None = None  # that score, exactly
    losses: list[tuple[Reason, Fraction]] = field(default_factory=list)  # from the total to the score, exactly
    must_fix: int = 0  # special deductions to correct before any level (5 or more fail whatever the score)
    score_level: str = ""  # the level the score alone gives, whatever the special deductions
    scale: Fraction = Fraction(0)  # points of the final score one item point is worth (满分 / 涉及项总分值)
    adjust_scale: Fraction = Fraction(1)  # points of the final score one special deduction or bonus point is worth
    total: Fraction = Fraction(0)  # 满分 (scoring.yaml method.total): no score is above it

    @property
    def losses_shown(self) -> list[tuple[str, float]]:
        """Each loss for display (to 0.01, half up); they may differ from the total − the score by 0.01."""
        return [(say(label), shown(value)) for label, value in self.losses]

    bonus_note = said("bonus_reason")

    level_note = said("level_reason")

    def line(self, clause_id: str) -> ScoreLine:
        return next(line for line in self.lines if line.clause.id == clause_id)

    @property
    def gaps(self) -> list[ScoreLine]:
        """Clauses that lose points, most points first."""
        return sorted((l for l in self.lines if l.lost_exact > 0), key=lambda l: (-l.lost_exact, l.clause.id))

    @property
    def excluded(self) -> list[ScoreLine]:
        return [l for l in self.lines if l.excluded]

    @property
    def must_fix_reason(self) -> Reason | None:
        """What five or more special deductions mean for this company; None otherwise."""
        if not self.must_fix:
            return None
        after = (Reason("score.must_fix.then_level", {"level": self.score_level}) if self.score_level != self.fail_name
                 else Reason("score.must_fix.still_below", {"level": self.lowest_level}))
        return Reason("score.must_fix", {"count": self.must_fix, "fail_at": self.fail_at, "after": after})

    @property
    def must_fix_note(self) -> str:
        """`must_fix_reason` in a sentence; "" where there is none."""
        reason = self.must_fix_reason
        return say(reason) if reason else ""

    fail_name: str = "不通过"
    lowest_level: str = "达标"
    fail_at: int = 5


# --- the whole assessment --------------------------------------------------------------------
def assess(profile: Profile, catalogue: Catalogue, facts: Facts) -> Assessment:
    """The whole assessment; `facts` are the profile's (`facts.facts_of`)."""
    rules = catalogue.scoring
    lines = [score_line(profile, catalogue, facts, clause) for clause in catalogue.leaves()]

    applicable = sum(exact(l.applicable_points) for l in lines)
    earned = sum(l.earned_exact for l in lines)
    total = exact(rules.method.total)  # 满分
    normalised = earned / applicable * total if applicable else Fraction(0)
    deductions = len(profile.readiness.special_deductions)
    claimed = len(profile.readiness.bonuses)
    counted = min(claimed, rules.special_bonus.max_count) if rules.special_bonus.counted else 0
    bonus = counted * exact(rules.special_bonus.points)
    if not claimed:
        bonus_reason = Reason("score.bonus.none")
    elif not rules.special_bonus.counted:
        bonus_reason = Reason("score.bonus.not_counted", {"claimed": claimed})
    else:
        over = (Reason("score.bonus.over_max", {"max": rules.special_bonus.max_count})
                if claimed > counted else None)
        bonus_reason = Reason("score.bonus.counted", {"claimed": claimed, "counted": counted, "over": over})

    def final(adjust: Fraction) -> Fraction:
        if rules.normalisation.adjust_after_normalisation:
            value = normalised + adjust
        else:
            value = (earned + adjust) / applicable * total if applicable else Fraction(0)
        return max(Fraction(0), min(total, value))  # exact: the level is decided on this

    penalty = deductions * exact(rules.special_deduction.points_each)
    score = final(bonus - penalty)
    thresholds = [l.min for l in rules.levels]
    level, note = level_for(score, deductions, catalogue)
    cap = _year_rule_cap(profile, catalogue, level)
    if cap:
        level, note = rules.levels[-1].name, cap
    scale = total / applicable if applicable else Fraction(0)
    adjust_scale = Fraction(1) if rules.normalisation.adjust_after_normalisation else scale
    bare = final(-penalty) if bonus else None  # the bonus is disputed: the score if the body does not count it
    without_bonus = None
    if bare is not None:
        bare_level = level_for(bare, deductions, catalogue)[0]
        if _year_rule_cap(profile, catalogue, bare_level):
            bare_level = rules.levels[-1].name
        without_bonus = Bare(shown(bare, thresholds), bare_level)
    groups = [_group(c, lines) for c in catalogue.indicators(2)]
    return Assessment(
        lines=lines, applicable_total=float(applicable), earned_total=shown(earned, thresholds),
        normalised=shown(normalised, thresholds), deductions=deductions, bonus=float(bonus), bonus_reason=bonus_reason,
        score=shown(score, thresholds), level=level, level_reason=note, next_level=_next_level(score, catalogue),
        groups=groups, indicators=[_group(c, lines) for c in catalogue.indicators(3)], score_exact=score,
        without_bonus=without_bonus, bare_exact=bare,
        losses=_losses(groups, scale, penalty * adjust_scale, bonus * adjust_scale, score, total), total=total,
        must_fix=max(0, deductions - rules.special_deduction.fail_at + 1),
        score_level=level_for(score, 0, catalogue)[0], scale=scale, adjust_scale=adjust_scale,
        fail_name=rules.fail_name, lowest_level=rules.levels[-1].name, fail_at=rules.special_deduction.fail_at,
    )


def _losses(groups: list[Group], scale: Fraction, penalty: Fraction, bonus: Fraction,
            score: Fraction, total: Fraction) -> list[tuple[Reason, Fraction]]:
    """Every point between the total (100) and the final score, exactly: what each first-level indicator lost
    (after normalisation: 删减 loses nothing), the special deductions, the bonus (negative), and
    where the score is held to 0..total, the cut. They add up to total − score."""
    out = [(Reason("score.loss.indicator", {"clause": g.clause.id, "title": g.clause.title}), sum((l.lost_exact for l in g.lines), Fraction(0)) * scale)
           for g in groups]
    if penalty:
        out.append((Reason("score.loss.deductions"), penalty))
    if bonus:
        out.append((Reason("score.loss.bonus"), -bonus))
    rest = total - score - sum(v for _, v in out)
    if rest:
        out.append((Reason("score.loss.held", {"total": total}), rest))
    return out


def level_for(score: Fraction | float, deductions: int, catalogue: Catalogue) -> tuple[str, Reason]:
    """The level a final score gives, with the reason, before certification-scheme caps. The score is
    compared exactly (a float is taken as the decimal it shows) and said as `shown` says it."""
    rules = catalogue.scoring
    score, thresholds = exact(score), [level.min for level in rules.levels]
    if deductions >= rules.special_deduction.fail_at:
        return rules.fail_name, Reason("score.level.failed_by_deductions",
                                       {"deductions": deductions, "fail_at": rules.special_deduction.fail_at})
    for level in rules.levels:
        if score >= exact(level.min):
            return level.name, Reason("score.level.reached", {"score": shown(score, thresholds), "min": level.min})
    return rules.fail_name, Reason("score.level.below", {"score": shown(score, thresholds),
                                                         "min": rules.levels[-1].min})


def _year_rule_cap(profile: Profile, catalogue: Catalogue, level: str) -> Reason | None:
    """Why the level is capped at 达标 under the one-year rule, or None."""
    rules = catalogue.scoring
    star_levels = [l.name for l in rules.levels[:-1]]
    if not rules.year_at_dabiao.star_requires_year_at_dabiao or level not in star_levels:
        return None
    since = profile.certification.dabiao_certified_on
    planned = profile.certification.planned_application
    if since is not None and add_months(since, 12) <= planned:
        return None
    why = (Reason("score.level.year_rule.no_certificate") if since is None
           else Reason("score.level.year_rule.too_recent", {"since": since}))
    return Reason("score.level.year_rule", {"level": level, "why": why})


def _next_level(score: Fraction, catalogue: Catalogue) -> tuple[str, float] | None:
    """The next level up and the points still needed, rounded up to 0.01 (never "0" while short)."""
    higher = [l for l in reversed(catalogue.scoring.levels) if exact(l.min) > score]
    if not higher:
        return None
    return higher[0].name, up_to_hundredth(exact(higher[0].min) - score)


def _group(clause: Clause, lines: list[ScoreLine]) -> Group:
    mine = [l for l in lines if l.clause.id == clause.id or l.clause.id.startswith(clause.id + ".")]
    return Group(clause, sum(l.points for l in mine), sum(l.applicable_points for l in mine),
                 round(float(sum(l.earned_exact for l in mine)), 2), tuple(mine))
