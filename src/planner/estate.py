"""What the household leaves: the basis step-up at a death and the after-tax estate.

At a death, property the decedent owned takes its value as its basis (IRC §1014(a)). For a
married couple's joint account the planner steps up half (the decedent's half of a joint tenancy
with right of survivorship, IRC §2040(b), §1014(b)(9)); in community-property states both halves
are stepped up (§1014(b)(6)), which the planner does not model. Retirement accounts pass to the
survivor (spousal rollover) with no step-up: they are income in respect of a decedent (§691).

At the end of the plan, cash and taxable accounts pass with a stepped-up basis (no tax to the
heirs), Roth accounts tax-free, and traditional balances are reduced by the heirs' income-tax rate
(`assumptions.heir_tax_rate`). Estate tax is not modelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from planner.lots import step_up

if TYPE_CHECKING:
    from planner.engine import Holding


def step_up_at_death(holdings: Sequence[Holding], decedent: str, year: int) -> float:
    """Step up the basis of the decedent's taxable accounts (all of it) and of joint ones (half),
    at the values of 31 December of the year of death; returns the total change in basis."""
    change = 0.0
    for h in holdings:
        if h.kind != "taxable" or h.owner not in (decedent, None):
            continue
        share = 1.0 if h.owner == decedent else 0.5
        if h.lots is not None:
            change += sum(step_up(lot, share, year) for lot in h.lots)
            h.sync()
        else:
            before = h.basis
            h.basis = round(h.basis + share * (h.balance - h.basis), 2)
            change += h.basis - before
    return round(change, 2)


def after_tax_estate(cash: float, taxable: float, traditional: float, roth: float,
                     heir_tax_rate: float, hsa: float = 0.0) -> float:
    """End balances as the heirs receive them: traditional and HSA money less the heirs' tax
    (an HSA left to anyone but a spouse is income to the heir at its value, IRC §223(f)(8)(B))."""
    total = cash + taxable + roth + traditional * (1.0 - heir_tax_rate)
    return total + hsa * (1.0 - heir_tax_rate) if hsa else total
