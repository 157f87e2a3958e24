"""Oklahoma individual income tax (Form 511, Schedule 511-A), 68 O.S. 2355 and 2358.

Oklahoma AGI is federal AGI less the taxable Social Security (Schedule 511-A, 68 O.S. 2358) and
less each filer's retirement benefits subtraction (pensions and IRA or
employer-plan distributions, capped per person, no age test: 68 O.S. 2358(A)(13)(d)). Taxable
income subtracts the standard deduction and the $1,000 exemptions (one more per filer 65 or older
when federal AGI is under a limit); graduated rates (H.B. 2764 (2025) schedule from 2026).
Capital gains are ordinary income (the Oklahoma-property capital gain deduction is left out).
Left out: government and military retirement, U.S. government interest, itemized deductions,
dependents, the trigger-dependent rate cuts after 2026 and all credits (the sales tax relief
and property tax credits are refundable).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def retirement_subtraction(inp: StateTaxInput, rules: Mapping[str, Any]) -> float:
    """Schedule 511-A line 7: each filer's pensions and IRA distributions up to the cap."""
    cap = rules["retirement_subtraction"]["cap"]
    return sum(
        min(max(0.0, p + d), cap)
        for p, d in zip(inp.pensions, inp.retirement_distributions, strict=True)
    )


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Oklahoma income tax: graduated rates on AGI less deductions and exemptions."""
    key = "mfj" if inp.filing_status == "mfj" else "single"
    agi = inp.federal_agi - inp.taxable_social_security - retirement_subtraction(inp, rules)
    ex = rules["exemptions"]
    count = len(inp.ages)
    if inp.federal_agi <= ex[f"aged_agi_limit_{key}"]:
        count += sum(a >= ex["aged_age"] for a in inp.ages)
    taxable = max(0.0, agi - rules["standard_deduction"][key] - count * ex["amount"])
    b = rules["brackets"]
    return StateTaxResult(
        state="OK", agi=agi, taxable_income=taxable, tax=bracket_tax(taxable, b[key], b["rates"])
    )
