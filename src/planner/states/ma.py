"""Massachusetts personal income tax (Form 1, Schedules B, D and NTS-L-NR/PY), M.G.L. c. 62.

Part B income (wages, pensions, IRA distributions, interest, other income) less the Social
Security and Medicare tax on wages (at most $2,000 per filer) and the exemptions ($4,400 single,
$8,800 joint, $700 per filer 65 or older); exemptions left over reduce Part A dividends, then
Part C (Schedule D), the net long-term capital gain; a net loss offsets up to $2,000 of
dividends. All parts at 5%,
plus the 4% surtax on taxable income over the indexed threshold. Social Security is exempt
(c. 62 s. 2(a)(2)(A)); private pensions and IRA distributions are taxed. No tax at or below the
no-tax-status threshold; the limited income credit above it. Interest is all Part B (5%; the
planner has no Massachusetts bank split). Left out: short-term gains (8.5%) and collectibles
(12%), public pensions (exempt), the rent, medical and dependent deductions, and credits (the
senior circuit breaker credit is refundable).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Massachusetts income tax after the limited income credit."""
    mfj = inp.filing_status == "mfj"
    part_b = max(
        0.0,
        sum(inp.wages)
        + sum(inp.pensions)
        + sum(inp.retirement_distributions)
        + inp.interest
        + inp.other_income,
    )
    dividends = max(0.0, inp.dividends)
    loss = max(0.0, -inp.capital_gains)
    part_a = dividends - min(loss, min(dividends, rules["capital_loss"]["dividend_offset_cap"]))
    part_c = max(0.0, inp.capital_gains)
    agi = part_a + part_b + part_c

    f = rules["fica_deduction"]
    fica = sum(min(f["cap"], f["rate"] * max(0.0, w)) for w in inp.wages)
    ex = rules["exemptions"]
    exemptions = (ex["mfj"] if mfj else ex["single"]) + ex["aged"] * sum(
        a >= ex["aged_age"] for a in inp.ages
    )
    b_before = max(0.0, part_b - fica)
    taxable_b = max(0.0, b_before - exemptions)
    excess = max(0.0, exemptions - b_before)  # Schedule B line 34, then Schedule D
    taxable_a = max(0.0, part_a - excess)
    taxable_c = max(0.0, part_c - max(0.0, excess - part_a))
    taxable = taxable_a + taxable_b + taxable_c
    s = rules["surtax"]
    amount = taxable * rules["rate"]["flat"] + s["rate"] * max(0.0, taxable - s["threshold"])

    threshold = rules["no_tax_status"]["mfj" if mfj else "single"]
    lic = rules["limited_income_credit"]
    if agi <= threshold:
        amount = 0.0
    elif agi <= lic["income_multiple"] * threshold:
        amount = min(amount, lic["rate"] * (agi - threshold))
    return StateTaxResult(state="MA", agi=agi, taxable_income=taxable, tax=amount)
