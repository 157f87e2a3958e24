"""Missouri individual income tax (Form MO-1040, Form MO-A), RSMo Chapter 143.

Missouri AGI is federal AGI less, from 2025, the net capital gain (143.121, H.B. 594). Taxable
income subtracts the federal standard deduction (basic plus the 65-or-older amounts, 143.141),
the federal income tax deduction (143.171: a percentage of federal income tax falling from 35%
to none as Missouri AGI rises, capped), the Social Security deduction (143.124: all taxable
benefits of a filer 62 or older from 2024) and the private pension deduction ($6,000 per filer,
reduced by income over $25,000 / $32,000). As on MO-1040's two columns, taxable income is
divided between spouses by their shares of Missouri AGI (household investment income split
equally) and each share is taxed on the rate chart. Federal income tax is computed with the
planner's federal module at the default inflation for projected years. Left out: public and
military pensions, itemized deductions, the health insurance premium subtraction, credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax, federal_return


def federal_income_tax(inp: StateTaxInput) -> tuple[float, float]:
    """Federal income tax (Form 1040 line 22, no credits modelled) and the federal standard
    deduction (basic plus the 65-or-older amounts), from the planner's federal module."""
    fed = federal_return(inp)
    return fed.income_tax, fed.standard_deduction + fed.additional_65


def tax(
    inp: StateTaxInput,
    rules: Mapping[str, Any],
    first_share: float = 0.5,
    federal: tuple[float, float] | None = None,
    split: tuple[float, float] | None = None,
) -> StateTaxResult:
    """Missouri income tax. `first_share` is the first filer's share of investment income;
    `federal` overrides (federal income tax, federal standard deduction); `split` overrides the
    spouses' Missouri AGI used to divide taxable income."""
    mfj = inp.filing_status == "mfj"
    gains_sub = rules["capital_gains_subtraction"]["rate"] * max(0.0, inp.capital_gains)
    agi = inp.federal_agi - gains_sub
    federal_tax, standard = federal or federal_income_tax(inp)

    ft = rules["federal_tax_deduction"]
    pct = 0.0
    for floor, rate in zip(ft["agi_floors"], ft["rates"], strict=True):
        if agi > floor or floor == 0:
            pct = rate
    fed_deduction = min(pct * max(0.0, federal_tax), ft["mfj_cap" if mfj else "single_cap"])

    gross = sum(inp.social_security)
    ss_share = [
        inp.taxable_social_security * s / gross if gross > 0 else 0.0 for s in inp.social_security
    ]
    ss_deduction = sum(
        s for s, a in zip(ss_share, inp.ages, strict=True) if a >= rules["social_security"]["age"]
    )
    pp = rules["private_pension"]
    pensions = sum(
        min(pp["cap"], max(0.0, p + d))
        for p, d in zip(inp.pensions, inp.retirement_distributions, strict=True)
    )
    excess = max(0.0, agi - inp.taxable_social_security - pp["mfj" if mfj else "single"])
    pension_deduction = max(0.0, pensions - excess)

    taxable = max(0.0, agi - standard - fed_deduction - ss_deduction - pension_deduction)
    b = rules["brackets"]
    if not mfj:
        amount = bracket_tax(taxable, b["floors"], b["rates"])
    else:
        investment = inp.interest + inp.dividends + inp.capital_gains - gains_sub
        investment += inp.other_income
        own = [
            max(
                0.0,
                inp.wages[i]
                + inp.retirement_distributions[i]
                + inp.pensions[i]
                + ss_share[i]
                + investment * (first_share if i == 0 else 1.0 - first_share),
            )
            for i in range(2)
        ]
        if split is not None:
            own = list(split)
        total = sum(own)
        shares = [o / total for o in own] if total > 0 else [1.0, 0.0]
        amount = sum(bracket_tax(taxable * s, b["floors"], b["rates"]) for s in shares)
    return StateTaxResult(state="MO", agi=agi, taxable_income=taxable, tax=amount)
