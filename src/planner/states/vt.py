"""Vermont personal income tax (Form IN-111), 32 V.S.A. chapter 151.

- Vermont AGI: federal AGI less the Social Security exemption (§5830e; Schedule IN-112): all of
  taxable Social Security below the federal AGI start, the share (end - AGI) / $10,000 (rounded
  to two decimals) of it up to the end, none above; and less the flat capital gains exclusion
  (§5811(21)(B)(ii); Schedule IN-153): up to $5,000 of net capital gain, at most 40% of federal
  taxable income (the 40% exclusion is for business assets, not the securities the planner
  holds). Pensions and IRA distributions are taxable (the military/CSRS exemptions are out of
  scope).
- Taxable income: Vermont AGI less the standard deduction (with the additional amount for each
  filer 65 or older) and the personal exemptions (§5811(21)(C)).
- Tax: the rate schedule (§5822), but at least 3% of federal AGI when it exceeds $150,000.

Not modelled: itemized-deduction items Vermont allows (medical expenses), dependents, the
credit for the elderly (a share of the federal Schedule R credit), the EITC and other credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def social_security_exemption(inp: StateTaxInput, r: Mapping[str, Any]) -> float:
    """Schedule IN-112 (Social Security): the exempt part of taxable benefits."""
    start, end = r[f"{inp.filing_status}_start"], r[f"{inp.filing_status}_end"]
    agi = inp.federal_agi
    if agi < start:
        return inp.taxable_social_security
    if agi >= end:
        return 0.0
    share = min(1.0, round((end - agi) / r["divisor"], 2))
    return inp.taxable_social_security * share


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Form IN-111 for residents without dependents, standard deduction."""
    status = inp.filing_status
    cg = rules["capital_gains"]
    gain_exclusion = min(max(0.0, inp.capital_gains), cg["flat_cap"],
                         cg["taxable_income_share"] * max(0.0, inp.federal_taxable_income))
    agi = (inp.federal_agi - social_security_exemption(inp, rules["social_security"])
           - gain_exclusion)
    sd = rules["standard_deduction"]
    deduction = sd[status] + sd["aged"] * sum(a >= sd["aged_age"] for a in inp.ages)
    deduction += rules["exemption"]["amount"] * len(inp.ages)
    taxable = max(0.0, agi - deduction)
    br = rules["brackets"]
    before = bracket_tax(taxable, br[status], br["rates"])
    mt = rules["minimum_tax"]
    if inp.federal_agi > mt["agi_over"]:
        before = max(before, mt["rate"] * inp.federal_agi)
    return StateTaxResult(state="VT", agi=agi, taxable_income=taxable, tax=max(0.0, before))
