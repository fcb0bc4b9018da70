"""The mark on numbers that rest on provisional points, and the caveat that explains it.

GB/T 27922-2011 publishes only some of its points; the rest are this tool's provisional weights
(`Clause.provisional`). Every output that shows such a number marks it with "*" and carries the
caveat (`Catalogue.weights_note`) on the same page, sheet or chart. These two functions decide both,
for the site, the portal, the indicator chart, the trace matrix and the scorecard outside the DOCX.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the catalogue's module would load pydantic into md2docx
    from generator.standard.catalogue import Catalogue, Clause


MARK = "*"


def star(provisional: bool) -> str:
    """The mark after a number: "*" when it rests on provisional points, else nothing. A clause's
    points rest on themselves (`clause.provisional`); a score on all the points it sums (`rests_on`)."""
    return MARK if provisional else ""


def rests_on(clauses: Iterable[Clause]) -> bool:
    """Whether a number made of these clauses' points (a score, a total) rests on provisional ones."""
    return any(clause.provisional for clause in clauses)


def caveat(catalogue: Catalogue) -> str:
    """The caveat on provisional points, in the one wording every output uses; empty when the
    catalogue has none (then no number is starred, and there is nothing to explain)."""
    return catalogue.weights_note if rests_on(catalogue.clauses.values()) else ""
