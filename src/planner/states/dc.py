"""District of Columbia individual income tax (Form D-40), D.C. Code title 47 chapter 18.

- DC AGI: federal AGI less the Social Security included in it (§47-1803.02(a)(2)(N)). Pensions
  and IRA distributions are taxable (the $3,000 exclusion for DC and federal government
  pensions is out of scope).
- Taxable income: DC AGI less the standard deduction (§47-1801.04(44): the federal one for 2024,
  DC's own amounts from 2025) with the federal additional amount for each filer 65 or older.
- Tax: one rate schedule for every filing status (§47-1806.03). A married couple may file
  separately on the same return (each spouse taxed on their own income, the joint deduction
  allotted between them as best for the couple); the lower of that and the joint tax is taken.
  Interest, dividends and gains are household totals here and are split equally between
  spouses, as for jointly owned accounts. Capital gains are ordinary income.

Not modelled: itemized deductions, dependents, the EITC and low income credit, the refundable
property tax credit (Schedule H), government pension exclusion and other credits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def split_deduction_tax(incomes: Sequence[float], deduction: float, floors: Any, rates: Any
                        ) -> tuple[float, float]:
    """(combined taxable income, combined tax) of two spouses filing separately, with the joint
    deduction split between them to minimise the total (the optimum lies at a bracket floor of
    one spouse or an end)."""
    a, b = incomes
    candidates = {0.0, deduction}
    for f in floors:
        candidates.update((a - f, deduction - (b - f)))
    best = (0.0, float("inf"))
    for x in candidates:
        x = min(max(x, 0.0), deduction)
        ta, tb = max(0.0, a - x), max(0.0, b - (deduction - x))
        total = bracket_tax(ta, floors, rates) + bracket_tax(tb, floors, rates)
        if total < best[1] - 1e-9:
            best = (ta + tb, total)
    return best


def tax_with_shares(inp: StateTaxInput, rules: Mapping[str, Any], shares: Sequence[float],
                    deduction: float | None = None) -> StateTaxResult:
    """DC tax with the household's investment income split by `shares` (sums to 1), and the
    standard deduction unless `deduction` is given."""
    status = inp.filing_status
    ss = inp.taxable_social_security if rules["social_security"]["excluded"] else 0.0
    agi = inp.federal_agi - ss
    sd = rules["standard_deduction"]
    aged = sd["aged_married"] if status == "mfj" else sd["aged_single"]
    if deduction is None:
        deduction = sd[status] + aged * sum(a >= sd["aged_age"] for a in inp.ages)
    taxable = max(0.0, agi - deduction)
    br = rules["brackets"]
    floors, rates = br[status], br["rates"]
    total = bracket_tax(taxable, floors, rates)
    if status == "mfj" and rules["separate_on_same_return"]["allowed"]:
        investment = inp.interest + inp.dividends + inp.capital_gains + inp.other_income
        own = [inp.wages[i] + inp.retirement_distributions[i] + inp.pensions[i]
               + investment * shares[i] for i in range(2)]
        if ss == 0.0:  # Social Security not excluded: each spouse's own taxable share
            gross = sum(inp.social_security) or 1.0
            own = [o + inp.taxable_social_security * s / gross
                   for o, s in zip(own, inp.social_security, strict=True)]
        sep_taxable, sep_total = split_deduction_tax(own, deduction, br["single"], rates)
        if sep_total < total:
            taxable, total = sep_taxable, sep_total
    return StateTaxResult(state="DC", agi=agi, taxable_income=taxable, tax=max(0.0, total))


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Form D-40 for residents without dependents, standard deduction."""
    n = len(inp.ages)
    return tax_with_shares(inp, rules, [1.0 / n] * n)
