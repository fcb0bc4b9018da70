"""Exact scores and how they are shown: the standard decides levels on the exact value, a person reads
it to 0.01. Pure."""
from __future__ import annotations

import math
from fractions import Fraction


def exact(value: float | int | Fraction) -> Fraction:
    """A number as the exact value written: 0.1 from YAML is 1/10, not the float nearest it."""
    return value if isinstance(value, Fraction) else Fraction(str(value))


def shown(value: Fraction, thresholds=()) -> float:
    """A score for display, to 0.01: rounded half up (94.845 is 94.85, as by hand), but cut where
    rounding would reach a threshold the exact value misses (79.996 is 79.99 beside 达标, never 80.00)."""
    rounded = Fraction(math.floor(value * 100 + Fraction(1, 2)), 100)
    if any(value < exact(t) <= rounded for t in thresholds):
        rounded = Fraction(math.floor(value * 100), 100)
    return float(rounded)


def up_to_hundredth(value: Fraction) -> float:
    """Points still needed, to 0.01 rounded up: never "0" or a shortfall while short."""
    return math.ceil(value * 100) / 100

