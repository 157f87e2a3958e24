"""Ohio individual income tax (IT 1040 and its Schedule of Credits), R.C. Chapter 5747.

Ohio AGI is federal AGI less the Social Security included in it; personal exemptions depend on
Ohio MAGI (here equal to Ohio AGI: no business income deduction); the tax table has a zero
bracket and base amounts per step; then the nonrefundable credits in the order of the Schedule
of Credits: retirement income, senior citizen, exemption, and the joint filing credit on what is
left. Left out: lump-sum retirement and lump-sum distribution credits, business income,
dependents, and municipal and school district income taxes (SD 100).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult


def _table_tax(income: float, t: Mapping[str, Any]) -> float:
    """R.C. 5747.02(A)(3): zero through `exempt_through`, else base plus rate over the step."""
    if income <= t["exempt_through"]:
        return 0.0
    tax = 0.0
    over = t["over"]
    for i in range(len(over) - 1, -1, -1):
        if income > over[i]:
            return t["base"][i] + t["rate"][i] * (income - over[i])
    return tax


def _step(x: float, over: list[float], amount: list[float]) -> float:
    """The amount for the highest step that `x` is more than (zero below the first)."""
    result = 0.0
    for i in range(len(over) - 1, -1, -1):
        if x > over[i]:
            return float(amount[i])
    return result


def _exemption_each(magi: float, e: Mapping[str, Any]) -> float:
    """R.C. 5747.025(A): the amount per exemption by Ohio MAGI."""
    none_from = e.get("none_from")
    if none_from is not None and magi >= none_from:
        return 0.0
    for limit, amount in zip(e["magi_through"], e["amount"], strict=False):
        if magi <= limit:
            return float(amount)
    return float(e["amount"][-1])


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Ohio income tax after nonrefundable credits."""
    agi = inp.federal_agi - inp.taxable_social_security
    n = len(inp.ages)
    exemptions = n * _exemption_each(agi, rules["exemption"])
    base = max(0.0, agi - exemptions)  # line 5, Ohio income tax base
    before = _table_tax(base, rules["tax"])

    credits = 0.0
    rc = rules["retirement_credit"]
    retirement_income = sum(inp.pensions) + sum(inp.retirement_distributions)
    if base < rc["income_below"]:
        credits += _step(retirement_income, rc["over"], rc["amount"])
    sc = rules["senior_credit"]
    if max(inp.ages) >= sc["age"] and base < sc["income_below"]:
        credits += sc["amount"]
    ec = rules["exemption_credit"]
    if base <= ec["income_through"]:
        credits += ec["amount"] * n
    left = max(0.0, before - credits)

    jc = rules["joint_filing_credit"]
    none_from = jc.get("none_from")
    if (
        inp.filing_status == "mfj"
        and n == 2
        and (none_from is None or agi < none_from)
        and min(
            inp.wages[0] + inp.pensions[0] + inp.retirement_distributions[0],
            inp.wages[1] + inp.pensions[1] + inp.retirement_distributions[1],
        )
        >= jc["min_income_each"]
    ):
        pct = jc["percent"][-1]
        for limit, p in zip(jc["income_through"], jc["percent"], strict=False):
            if base <= limit:
                pct = p
                break
        left -= min(jc["cap"], left * pct)
    return StateTaxResult(state="OH", agi=agi, taxable_income=base, tax=max(0.0, left))
