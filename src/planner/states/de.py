"""Delaware personal income tax (Form PIT-RES), 30 Del. C. chapter 11.

- Delaware AGI: federal AGI less taxable Social Security (§1106(b)(4)) and each filer's pension
  exclusion (§1106(b)(3)): under 60, up to $2,000 of pensions; 60 or older, up to $12,500 of
  pensions plus eligible retirement income (IRA/401(k) distributions including Roth
  conversions, interest, dividends, capital gains). Also the small exclusion for filers 60 or
  older with little earned income and AGI (§1106(b)).
- Taxable income: Delaware AGI less the standard deduction with $2,500 more for each filer 65 or
  older (§1108). Tax: one schedule for every status (§1102); nonrefundable personal credits of
  $110 per filer and $110 more for each filer 60 or older (§1110).
- A married couple may file combined separate returns on one form (filing status 4): each
  spouse reports their own income with their own deduction and credits. Both ways are computed
  and the lower total is taken, as the instructions advise. Interest, dividends and gains are
  household totals here and are split equally between spouses, as for jointly owned accounts.

Not modelled: itemized deductions, dependents, military and government pensions, the EITC and
other credits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def _people(inp: StateTaxInput, shares: Sequence[float], r: Mapping[str, Any]
            ) -> list[tuple[float, float]]:
    """Each filer's (income before exclusions, pension exclusion), Social Security left out."""
    investment = inp.interest + inp.dividends + inp.capital_gains + inp.other_income
    out = []
    for i, age in enumerate(inp.ages):
        own_investment = investment * shares[i]
        income = (inp.wages[i] + inp.retirement_distributions[i] + inp.pensions[i]
                  + own_investment)
        pe = r["pension_exclusion"]
        if age >= pe["older_age"]:
            eligible = (inp.pensions[i] + inp.retirement_distributions[i] + own_investment
                        - inp.other_income * shares[i])
            exclusion = min(pe["older_cap"], max(0.0, eligible))
        else:
            exclusion = min(pe["younger_cap"], max(0.0, inp.pensions[i]))
        out.append((income, exclusion))
    return out


def _elderly(inp: StateTaxInput, status: str, ages: Sequence[int], earned: float, agi: float,
             r: Mapping[str, Any]) -> float:
    """§1106(b): the exclusion for filers 60 or older with low earned income and AGI (on a
    joint return only when both spouses qualify by age)."""
    ex = r["elderly_exclusion"]
    if not all(a >= ex["age"] for a in ages):
        return 0.0
    if earned >= ex[f"{status}_earned_limit"] or agi > ex[f"{status}_agi_limit"]:
        return 0.0
    return ex["amount"] * len(ages)


def _return_tax(status: str, ages: Sequence[int], agi: float, r: Mapping[str, Any]
                ) -> tuple[float, float]:
    """(taxable income, tax after the personal credits) of one return."""
    sd = r["standard_deduction"]
    deduction = sd[status] + sd["aged"] * sum(a >= sd["aged_age"] for a in ages)
    taxable = max(0.0, agi - deduction)
    br = r["brackets"]
    before = bracket_tax(taxable, br[status], br["rates"])
    cr = r["credits"]
    credits = cr["personal"] * len(ages) + cr["aged"] * sum(a >= cr["aged_age"] for a in ages)
    return taxable, max(0.0, before - credits)


def tax_with_shares(inp: StateTaxInput, rules: Mapping[str, Any], shares: Sequence[float]
                    ) -> StateTaxResult:
    """Delaware tax with the household's investment income split by `shares` (sums to 1)."""
    people = _people(inp, shares, rules)
    pre = [income - exclusion for income, exclusion in people]
    status = inp.filing_status
    joint_pre = sum(pre)
    agi = max(0.0, joint_pre - _elderly(inp, status, inp.ages, sum(inp.wages), joint_pre, rules))
    taxable, total = _return_tax(status, inp.ages, agi, rules)
    if status == "mfj":
        sep_taxable, sep_total = 0.0, 0.0
        for i, age in enumerate(inp.ages):
            own = max(0.0, pre[i] - _elderly(inp, "single", (age,), inp.wages[i], pre[i], rules))
            t, x = _return_tax("single", (age,), own, rules)
            sep_taxable += t
            sep_total += x
        if sep_total < total:
            taxable, total = sep_taxable, sep_total
    return StateTaxResult(state="DE", agi=agi, taxable_income=taxable, tax=total)


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Form PIT-RES for residents without dependents, standard deduction."""
    n = len(inp.ages)
    return tax_with_shares(inp, rules, [1.0 / n] * n)
