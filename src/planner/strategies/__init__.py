"""Withdrawal strategies: the order in which accounts are drawn on to cover a year's need."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.engine import Holding

CONVENTIONAL = ("cash", "taxable", "traditional", "roth")


def withdrawal_sequence(order: str, holdings: Sequence[Holding]) -> list[Holding]:
    """Accounts in the order they are drawn on. `conventional`: cash, taxable, traditional, Roth;
    within a kind, in the order the scenario lists them."""
    if order != "conventional":
        raise ValueError(f"unknown withdrawal order {order!r}")
    rank = {kind: i for i, kind in enumerate(CONVENTIONAL)}
    return sorted((h for h in holdings if h.balance > 0.0), key=lambda h: rank[h.kind])
