"""North Carolina individual income tax (Form D-400), N.C.G.S. Article 4 of Chapter 105.

North Carolina taxable income is federal AGI less the Social Security included in it
(105-153.5(b)(8)) and less the standard deduction; a flat rate. IRA distributions and pensions
are taxable. Left out: the Bailey settlement exclusion for government retirement benefits vested
before August 1989, military retirement, itemized deductions, the child deduction and credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """North Carolina income tax: flat rate on AGI less Social Security and standard deduction."""
    agi = inp.federal_agi - inp.taxable_social_security
    sd = rules["standard_deduction"]
    taxable = max(0.0, agi - (sd["mfj"] if inp.filing_status == "mfj" else sd["single"]))
    return StateTaxResult(
        state="NC", agi=agi, taxable_income=taxable, tax=taxable * rules["rate"]["flat"]
    )
