"""Hawaii individual income tax (Form N-11), HRS chapter 235.

- Hawaii AGI: federal AGI less Social Security (HRS §235-7(a)(2), N-11 line 14) and less
  pensions from employer-funded plans (§235-7(a)(3), line 13). The planner's pensions are taken
  as employer-funded private pensions, fully excluded; IRA and 401(k) distributions (including
  Roth conversions) are treated as participant-funded and stay taxable.
- Taxable income: Hawaii AGI less the standard deduction (§235-2.4) and $1,144 per exemption,
  with an extra exemption for each filer 65 or older (§235-54).
- Tax: the rate schedule (§235-51; the tax table under $100,000 rounds to bands and is not
  used), or the alternative tax on capital gains (§235-51(f)) when smaller: the net capital gain
  is taxed at 7.25%, the rest of taxable income at the schedule rates.

Not modelled: itemized deductions, the disability exemption, dependents, the refundable food/
excise and renters' credits, government and military pension specifics. Post-2026 bracket and
standard deduction steps (Act 46, 2024; Act 24, 2026) are `[[scheduled]]` data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def alternative_tax(taxable: float, gain: float, floors: Any, rates: Any, alt_rate: float
                    ) -> float:
    """N-11 Tax on Capital Gains Worksheet: the schedule tax on the larger of (taxable income
    less the gain) and (taxable income up to the first bracket taxed above `alt_rate`), plus
    `alt_rate` on the rest."""
    cap = next((f for f, r in zip(floors, rates, strict=True) if r > alt_rate), taxable)
    ordinary = max(taxable - gain, min(taxable, cap))
    return bracket_tax(ordinary, floors, rates) + alt_rate * (taxable - ordinary)


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Form N-11 for residents without dependents, standard deduction."""
    status = inp.filing_status
    sub = rules["subtractions"]
    subtract = 0.0
    if sub["social_security"]:
        subtract += inp.taxable_social_security
    if sub["employer_pensions"]:
        subtract += sum(max(0.0, p) for p in inp.pensions)
    agi = inp.federal_agi - subtract
    ex = rules["exemptions"]
    n_exempt = len(inp.ages) + sum(a >= ex["aged_age"] for a in inp.ages)
    deductions = rules["standard_deduction"][status] + n_exempt * ex["per_person"]
    taxable = max(0.0, agi - deductions)
    return StateTaxResult(state="HI", agi=agi, taxable_income=taxable,
                          tax=tax_on_taxable(taxable, inp.capital_gains, status, rules))


def tax_on_taxable(taxable: float, gain: float, status: str, rules: Mapping[str, Any]) -> float:
    """The schedule tax, or the alternative tax on a net capital gain when smaller."""
    br = rules["brackets"]
    floors, rates = br[status], br["rates"]
    regular = bracket_tax(taxable, floors, rates)
    if gain > 0:
        alt = alternative_tax(taxable, gain, floors, rates, rules["alternative_tax"]["rate"])
        regular = min(regular, alt)
    return max(0.0, regular)
