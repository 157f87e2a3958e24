"""Mississippi individual income tax (Form 80-105, instructions 80-100), Miss. Code 27-7-5 ff.

Social Security and qualified retirement income are exempt (27-7-15(4), Form 80-105;
35 Miss. Admin. Code Part 3, 3-02-07-100): pensions, and IRA distributions of a filer who
has reached 59 1/2 (early distributions do not qualify). Taxable income subtracts the standard
deduction and the exemptions (27-7-17, 27-7-21: personal exemption plus $1,500 for each filer
65 or older); 0% on the first $10,000 and a flat rate above (27-7-5). On a joint return each
spouse's income is taxed in its own column, and the deduction and exemptions may be divided
between the spouses in any proportion (27-7-17(2), 27-7-21): the division that minimises the
tax is used. Interest, dividends and gains are household totals and are split equally between
the spouses' columns (jointly owned). Capital gains are taxable. Left out: itemized
deductions, dependants and credits. Rate cuts after 2030, subject to revenue triggers (H.B. 1,
2025), are not modelled; the 2027-2030 cuts are `[[scheduled]]` changes in the 2026 file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax, reached_59_half


def columns(inp: StateTaxInput, shares: Sequence[float]) -> list[float]:
    """Each filer's Mississippi AGI: wages, early IRA distributions and their share of the
    household investment income (pensions, retirement distributions after 59 1/2 and Social
    Security are exempt)."""
    investment = inp.interest + inp.dividends + inp.capital_gains + inp.other_income
    return [
        inp.wages[i]
        + (0.0 if reached_59_half(inp.ages[i], inp.birth_months[i])
           else inp.retirement_distributions[i])
        + shares[i] * investment
        for i in range(len(inp.ages))
    ]


def split_tax(agis: Sequence[float], allowance: float, floors: Any, rates: Any) -> float:
    """The least total tax over divisions of `allowance` between two columns (27-7-17(2)).

    The tax of each column is convex and piecewise linear in its share, so the minimum lies at
    an end or where a column crosses a bracket floor. A negative column is combined with the
    other (Form 80-100 line 17 instructions)."""
    a, b = agis
    candidates = {0.0, allowance}
    for f in floors:
        candidates.update((a - f, allowance - (b - f)))
    best = float("inf")
    for d in candidates:
        d = min(max(d, 0.0), allowance)
        ta, tb = a - d, b - (allowance - d)
        if ta < 0 or tb < 0:
            t = bracket_tax(max(0.0, ta + tb), floors, rates)
        else:
            t = bracket_tax(ta, floors, rates) + bracket_tax(tb, floors, rates)
        best = min(best, t)
    return best


def tax_with_shares(
    inp: StateTaxInput, rules: Mapping[str, Any], shares: Sequence[float]
) -> StateTaxResult:
    """Mississippi tax with the household investment income divided by `shares`."""
    key = "mfj" if inp.filing_status == "mfj" else "single"
    agis = columns(inp, shares)
    ex = rules["exemption"]
    allowance = (
        rules["standard_deduction"][key]
        + ex[key]
        + ex["aged"] * sum(1 for a in inp.ages if a >= ex["aged_age"])
    )
    br = rules["brackets"]
    agi = sum(agis)
    taxable = max(0.0, agi - allowance)
    if len(agis) == 2:
        t = split_tax(agis, allowance, br["floors"], br["rates"])
    else:
        t = bracket_tax(taxable, br["floors"], br["rates"])
    return StateTaxResult(state="MS", agi=agi, taxable_income=taxable, tax=t)


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Mississippi income tax, joint returns taxed column by column."""
    n = len(inp.ages)
    return tax_with_shares(inp, rules, [1.0 / n] * n)
