"""North Dakota individual income tax (Form ND-1), N.D.C.C. chapter 57-38.

- ND taxable income: federal taxable income (so the federal standard deduction with its
  additions for age and the 2025-2028 senior deduction, as the federal return takes them) less
  taxable Social Security (§57-38-01.2) and the 40% exclusion of the net long-term capital gain
  and of qualified dividends (§57-38-01.33; Schedule ND-1SA). Pensions and IRA distributions are
  taxable; there is no retirement exclusion (military retirement aside).
- Tax: the rate schedule, 0% / 1.95% / 2.5% (§57-38-30.3), less the nonrefundable marriage
  penalty credit for two-earner joint returns (the worksheet: joint tax less the tax at single
  rates on each spouse's share, capped).

Not modelled: itemized deductions (the federal return is assumed to take the standard
deduction), a negative federal taxable income (entered as zero), military and government
pensions, dependents and other credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def marriage_penalty_credit(inp: StateTaxInput, taxable: float, joint_tax: float,
                            rules: Mapping[str, Any]) -> float:
    """ND-1 marriage penalty credit worksheet (joint returns)."""
    mp = rules["marriage_penalty_credit"]
    if inp.filing_status != "mfj" or taxable <= mp["taxable_income_threshold"]:
        return 0.0
    qualified = min(inp.wages[i] + inp.pensions[i] + inp.retirement_distributions[i]
                    for i in range(len(inp.ages)))
    if qualified <= mp["qualified_income_threshold"]:
        return 0.0
    br = rules["brackets"]
    share1 = max(0.0, qualified - mp["base"])
    share2 = max(0.0, taxable - share1)
    single = (bracket_tax(share1, br["single"], br["rates"])
              + bracket_tax(share2, br["single"], br["rates"]))
    return min(float(mp["maximum"]), max(0.0, joint_tax - single))


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Form ND-1 for residents without dependents."""
    sub = rules["subtractions"]
    subtract = (inp.taxable_social_security if sub["social_security"] else 0.0)
    subtract += sub["capital_gain_fraction"] * max(0.0, inp.capital_gains)
    subtract += sub["qualified_dividend_fraction"] * max(0.0, inp.dividends)
    taxable = max(0.0, inp.federal_taxable_income - subtract)
    br = rules["brackets"]
    before = bracket_tax(taxable, br[inp.filing_status], br["rates"])
    credit = marriage_penalty_credit(inp, taxable, before, rules)
    return StateTaxResult(state="ND", agi=inp.federal_agi, taxable_income=taxable,
                          tax=max(0.0, before - credit))
