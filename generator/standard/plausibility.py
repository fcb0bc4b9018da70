"""Thresholds for numbers a certification body would question (content/standard/plausibility.yaml),
each with its source and evidence level; `aftersales check` applies them (assess/lint.py)."""
from __future__ import annotations

import functools
from pathlib import Path

from pydantic import Field

from generator.paths import STANDARD
from generator.standard.bundled import Data, Evidence, load_data


class ManagersRule(Data):
    ratio: float = Field(gt=0, le=1)
    minimum: int = Field(ge=0)
    low_factor: float = Field(gt=0, lt=1)
    high_factor: float = Field(gt=1)
    evidence_level: Evidence
    source: str = Field(min_length=1)
    rule_name: str = Field(min_length=1)


class OutletRule(Data):
    employees_per_outlet: float = Field(ge=0)
    aftersales_staff_per_own_outlet: float = Field(ge=0)
    evidence_level: Evidence
    source: str = Field(min_length=1)
    example: str = Field(min_length=1)


class Plausibility(Data):
    managers_per_employee: ManagersRule
    staff_per_outlet: OutletRule


@functools.lru_cache(maxsize=4)
def load_plausibility(folder: Path = STANDARD) -> Plausibility:
    return load_data(folder / "plausibility.yaml", Plausibility)
