"""Indiana adjusted gross income tax (Form IT-40), IC 6-3-1-3.5 and IC 6-3-2-1.

The module is `in_` because `in` is a Python keyword. Indiana AGI is federal AGI less the Social
Security included in it (IC 6-3-1-3.5(a)(6)(C), Schedule 2) less the exemptions of Schedule 5:
$1,000 per filer, $1,000 more per filer 65 or older, and $500 more per filer 65 or older when
federal AGI is under $40,000; a flat rate. Pensions, IRA distributions, interest, dividends and
capital gains are taxed as in federal AGI (Indiana has no general retirement exclusion).
Left out: county income tax (Schedule CT-40, a local tax collected on the return), the civil
service annuity, military retirement and disability deductions, the renter's and homeowner's
property tax deductions, and credits (the unified tax credit for the elderly is refundable).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Indiana state adjusted gross income tax: flat rate on AGI less SS and exemptions."""
    ex = rules["exemptions"]
    aged = sum(a >= ex["aged_age"] for a in inp.ages)
    exemptions = len(inp.ages) * ex["personal"] + aged * ex["aged"]
    if inp.federal_agi < ex["low_income_agi_below"]:
        exemptions += aged * ex["aged_low_income"]
    agi = inp.federal_agi - inp.taxable_social_security
    taxable = max(0.0, agi - exemptions)
    return StateTaxResult(
        state="IN", agi=agi, taxable_income=taxable, tax=taxable * rules["rate"]["flat"]
    )
