"""Illinois individual income tax, Form IL-1040 (resident).

- Base income: federal AGI less Social Security and retirement income included in it (35 ILCS
  5/203(a)(2)(F); IL-1040 line 5): taxable Social Security, IRA distributions (Roth conversions
  included), and pensions and annuities from qualified plans, at any age. Pensions are taken as
  from qualified employer plans (nonqualified deferred compensation is taxable in IL).
- Exemption allowance (35 ILCS 5/204): the personal amount per filer plus $1,000 per filer aged
  65 or over; none when federal AGI exceeds $250,000 ($500,000 joint) (§204(g)).
- Tax: net income x 4.95% (§201(b)(5.4)).

Not modelled: dependents, the blind exemption, credits (property tax, K-12 education, EITC and
others), and other additions and subtractions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """IL-1040 lines 1-12 for a resident without dependents."""
    retirement = sum(max(0.0, x) for x in inp.retirement_distributions) + sum(
        max(0.0, x) for x in inp.pensions
    )
    base = inp.federal_agi - inp.taxable_social_security - retirement
    ex = rules["exemption"]
    if inp.federal_agi > ex["income_limit"][inp.filing_status]:
        allowance = 0.0
    else:
        allowance = ex["personal"] * len(inp.ages) + ex["senior"] * sum(
            age >= ex["senior_age"] for age in inp.ages
        )
    net = max(0.0, base - allowance)
    return StateTaxResult(state=inp.state, agi=base, taxable_income=net,
                          tax=net * rules["rate"]["rate"])
