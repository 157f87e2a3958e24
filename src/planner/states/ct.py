"""Connecticut income tax (Form CT-1040, Schedule 1), Conn. Gen. Stat. chapter 229.

Connecticut AGI is federal AGI less the Social Security adjustment (12-701(a)(20)(B)(x): all
taxable benefits below an AGI threshold, else at most 25% of benefits taxed) and the pension and
annuity subtraction (12-701(a)(20)(B)(xxi)-(xxii): pensions, and IRA distributions at the
phased-in share, times a percentage that falls from 100% to nothing by federal AGI; no age
test). Taxable income subtracts the personal exemption (phased out, 12-702). Tax by the rate
schedule plus the 2% bracket phase-out and the recaptures (12-700(a)(10)), less the personal
tax credit percentage (12-703). Capital gains are ordinary income. Left out: the property tax
credit (the planner has no property tax), the Connecticut AMT, government and military
pensions, teachers' retirement, U.S. government interest, and the refundable credits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def _band(value: float, floors: Any, rates: Any, above: bool = False) -> float:
    """The rate of the last band whose floor `value` reaches (exceeds, if `above`)."""
    out = rates[0]
    for floor, rate in zip(floors, rates, strict=True):
        if value > floor or (not above and value >= floor):
            out = rate
    return float(out)


def _steps(agi: float, table: Mapping[str, Any], key: str) -> float:
    """$amount for each step or part of a step of AGI over the start, up to the maximum."""
    excess = max(0.0, agi - table[f"start_{key}"])
    n = math.ceil(excess / table[f"step_{key}"] - 1e-9)
    return min(table[f"max_{key}"], n * table[f"amount_{key}"])


def social_security_adjustment(inp: StateTaxInput, rules: Mapping[str, Any], key: str) -> float:
    """Schedule 1 line 41: the Social Security benefit adjustment."""
    s = rules["social_security"]
    taxable = inp.taxable_social_security
    if inp.federal_agi < s[f"threshold_{key}"]:
        return taxable
    gross = sum(inp.social_security)
    combined = inp.federal_agi - taxable + 0.5 * gross
    excess = max(0.0, combined - s[f"base_{key}"])
    return max(0.0, taxable - s["rate"] * min(gross, excess))


def pension_subtraction(inp: StateTaxInput, rules: Mapping[str, Any], key: str) -> float:
    """Schedule 1 lines 48a-48b: pensions plus the phased-in IRA share, times the AGI rate."""
    p = rules["pension_subtraction"]
    income = sum(inp.pensions) + p["ira_fraction"] * sum(inp.retirement_distributions)
    return max(0.0, income) * _band(inp.federal_agi, p[f"agi_{key}"], p["rates"])


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Connecticut income tax after the personal tax credit."""
    key = "mfj" if inp.filing_status == "mfj" else "single"
    agi = (
        inp.federal_agi
        - social_security_adjustment(inp, rules, key)
        - pension_subtraction(inp, rules, key)
    )
    e = rules["exemption"]
    steps = math.ceil(max(0.0, agi - e[f"start_{key}"]) / e["step"] - 1e-9)
    exemption = max(0.0, e[key] - steps * e["amount"])
    taxable = max(0.0, agi - exemption)
    b = rules["brackets"]
    total = bracket_tax(taxable, b[key], b["rates"])
    for table in ("phase_out_add_back", "recapture_low", "recapture_middle", "recapture_high"):
        total += _steps(agi, rules[table], key)
    pc = rules["personal_credit"]
    credit = _band(agi, pc[f"agi_{key}"], pc[f"rate_{key}"], above=True) * total
    return StateTaxResult(state="CT", agi=agi, taxable_income=taxable, tax=max(0.0, total - credit))
