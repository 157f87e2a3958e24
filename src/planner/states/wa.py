"""Washington capital gains excise tax (RCW 82.87; DOR capital gains tax return).

Long-term capital gains less the standard deduction (one per return, shared by spouses,
RCW 82.87.060(1), indexed under RCW 82.87.150) taxed at 7% (RCW 82.87.040(1)), plus 2.9% on
taxable gains above $1,000,000 from 2025 (RCW 82.87.040(2), ESSB 5813, not indexed). Gains in
retirement accounts are exempt (RCW 82.87.050), and real estate is exempt; the planner's
`capital_gains` are taken as all long-term gains on taxable securities. Not modelled: the
charitable deduction (RCW 82.87.080), the qualified family-owned small business deduction and
the credit for other states' taxes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """(long-term gains - standard deduction) under the excise's marginal rates."""
    r = rules["capital_gains"]
    gains = max(0.0, inp.capital_gains)
    taxable = max(0.0, gains - r["standard_deduction"])
    return StateTaxResult(state=inp.state, agi=gains, taxable_income=taxable,
                          tax=bracket_tax(taxable, r["thresholds"], r["rates"]))
