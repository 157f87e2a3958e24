"""Montana individual income tax (Form 2), MCA Title 15 Chapter 30 as restructured by S.B. 399
(2023) from tax year 2024.

- Montana taxable income: federal taxable income (so the federal standard deduction, the
  additional amount for age and the 2025-2028 federal senior deduction are taken as the federal
  return takes them) less the subtraction for each filer 65 or older (MCA 15-30-2120). Social
  Security, pensions and IRA distributions are taxed as federally; there is no retirement
  exclusion since 2024.
- Tax (MCA 15-30-2103): ordinary income at 4.7% / the top rate; net long-term capital gain at
  3.0% within the first bracket (stacked after ordinary income) and 4.1% above. Qualified
  dividends are ordinary income.

Not modelled: itemized deductions (the federal return is assumed to take the standard deduction),
military retirement, dependents, the refundable elderly homeowner/renter credit and other
credits. H.B. 337 (2025) brackets and rate for 2027 are `[[scheduled]]` data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Form 2 for residents without dependents."""
    old = rules["old_age_subtraction"]
    n65 = sum(a >= old["age"] for a in inp.ages)
    taxable = max(0.0, inp.federal_taxable_income - n65 * old["amount"])
    br = rules["brackets"]
    floors, rates = br[inp.filing_status], br["rates"]
    gain = min(max(0.0, inp.capital_gains), taxable)
    ordinary = taxable - gain
    cg = rules["capital_gains"]
    low = min(gain, max(0.0, floors[1] - ordinary))
    before = (bracket_tax(ordinary, floors, rates) + low * cg["low_rate"]
              + (gain - low) * cg["high_rate"])
    return StateTaxResult(state="MT", agi=inp.federal_agi, taxable_income=taxable,
                          tax=max(0.0, before))
