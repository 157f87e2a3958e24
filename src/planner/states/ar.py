"""Arkansas individual income tax (Form AR1000F), Ark. Code Ann. Title 26 Chapter 51.

Arkansas gross income leaves out Social Security (26-51-404) and counts half of a net
long-term capital gain (26-51-815; a loss as limited federally). Each filer excludes up to
$6,000 of retirement income: pensions, and IRA distributions from 59 1/2 (26-51-307). Net
taxable income subtracts the standard deduction (26-51-430). The tax is the Regular Income Tax
Table (rows of $100 below $100,001, taxed at the row's midpoint and rounded) of the rate
schedule: for 2024-2025 the rate of the income's row on all income less the published
reduction (DFA Indexed Tax Brackets); from 2026 marginal rates up to the high-income threshold
and, above it, 2% of the first $4,700 and the top rate on the rest, less a bracket adjustment
(26-51-201(a)(4), Act 1 of 2026, 1st Extraordinary Session). Low-income tax tables
(26-51-301) cap the tax of single and joint filers by AGI. Married couples may instead file
separately on the same return (status 4), each spouse's income in their own column with their
own standard deduction (and a net capital loss limited to $1,500 each), when that costs less
(and neither column is negative); the household investment income is split equally between
the columns (jointly owned). Credits: personal credit $29 per filer, and $29 more at 65 plus
$29 more for a filer 65 or older without the retirement exclusion (26-51-501); the additional
credit for qualified individuals, $60 per return ($120 joint) less $5 ($10) per $100 of net
taxable income over the limit (26-51-514). Left out: itemized deductions, dependants, military
and disability retirement, the $10 million cap on the gain exclusion's base, other credits.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, reached_59_half


def _at(x: float, floors: Sequence[float], amounts: Sequence[float], right: bool) -> float:
    """The amount of the row `x` falls in: rows start at `floors`; with `right`, a row covers
    "over its floor, not over the next" (an amount at a floor belongs to the row below)."""
    i = (bisect_left(floors, x) if right else bisect_right(floors, x)) - 1
    return float(amounts[max(i, 0)])


def schedule_tax(x: float, br: Mapping[str, Any]) -> float:
    """The rate schedule on net taxable income `x`, before the table's rounding."""
    if br["method"] == "card":  # DFA Indexed Tax Brackets: rate x income - reduction
        rate = _at(x, br["floors"], br["rates"], right=False)
        return rate * x - _at(x, br["reduction_floors"], br["reductions"], right=False)
    hi = br["high_income"]
    if x <= hi["threshold"]:
        return _marginal(x, br["floors"], br["rates"])
    adjustment = _at(x, hi["adjustment_floors"], hi["adjustments"], right=True)
    return _marginal(x, hi["rate_floors"], hi["rates"]) - adjustment


def _marginal(x: float, floors: Sequence[float], rates: Sequence[float]) -> float:
    tax = 0.0
    for i, (lo, r) in enumerate(zip(floors, rates, strict=True)):
        top = floors[i + 1] if i + 1 < len(floors) else math.inf
        tax += r * min(max(x - lo, 0.0), top - lo)
    return tax


def regular_tax(x: float, rules: Mapping[str, Any]) -> float:
    """The Regular Income Tax Table: below the threshold, the schedule at the midpoint of the
    $100 row (whole-dollar rows, shifted by $1 from $75,000), rounded to whole dollars."""
    tt = rules["tax_table"]
    br = rules["brackets"]
    if x >= tt["threshold"]:
        return max(0.0, schedule_tax(x, br))
    offset = tt["offset"] if x >= tt["offset_from"] else 0.0
    width = tt["band_width"]
    start = math.floor((x - offset) / width) * width + offset
    mid = (start + start + width - 1) / 2
    return max(0.0, math.floor(schedule_tax(mid, br) + 0.5))


def _low_income_tax(agi: float, table: Mapping[str, Any]) -> float:
    """26-51-301 low-income tax table by AGI ("over ... not over ..."); none above the limit."""
    if agi > table["limit"]:
        return math.inf
    return _at(max(agi, 0.0), table["agi_over"], table["tax"], right=True)


def _qualified_credit(income: float, c: Mapping[str, Any], multiplier: int) -> float:
    steps = math.ceil(max(0.0, income - c["start"]) / c["step"])
    return max(0.0, multiplier * (c["amount"] - steps * c["reduction"]))


def tax_with_shares(
    inp: StateTaxInput, rules: Mapping[str, Any], shares: Sequence[float]
) -> StateTaxResult:
    """Arkansas tax with the household interest, dividends and gains divided by `shares`."""
    mfj = inp.filing_status == "mfj"
    key = "mfj" if mfj else "single"
    n = len(inp.ages)
    cg = rules["capital_gains"]
    ex = rules["retirement_exclusion"]
    other = inp.interest + inp.dividends + inp.other_income
    gross, exempt, eligible, losses = [], [], [], []
    for i in range(n):
        gain = shares[i] * inp.capital_gains
        taxable_gain = gain * (1.0 - cg["exempt_share"]) if gain > 0 else max(gain, -cg[
            "loss_limit"])
        gross.append(inp.wages[i] + inp.retirement_distributions[i] + inp.pensions[i]
                     + shares[i] * other + taxable_gain)
        # filing separately, each spouse's net capital loss is limited to half the limit
        losses.append(max(0.0, -taxable_gain - cg["separate_loss_limit"]))
        ira = inp.retirement_distributions[i] if reached_59_half(
            inp.ages[i], inp.birth_months[i]) else 0.0
        eligible.append(inp.pensions[i] + ira)
        exempt.append(min(ex["cap"], eligible[-1]))
    columns = [g - e for g, e in zip(gross, exempt, strict=True)]
    agi = max(0.0, sum(columns))
    sd = rules["standard_deduction"]
    taxable = max(0.0, agi - sd[key])

    regular = regular_tax(taxable, rules)
    low = _low_income_tax(agi, rules["low_income_table"][key])
    joint_tax = min(regular, low)
    qc = rules["qualified_credit"]
    mult = 2 if mfj else 1
    joint_credit = _qualified_credit(agi if regular > low else taxable, qc, mult)
    before, additional = joint_tax, joint_credit
    if mfj and all(c >= 0 for c in columns):
        own = [max(0.0, c + lost - sd["separate"]) for c, lost in zip(columns, losses,
                                                                        strict=True)]
        sep_tax = sum(regular_tax(t, rules) for t in own)
        sep_credit = sum(_qualified_credit(t, qc, 1) for t in own)
        if sep_tax - sep_credit < joint_tax - joint_credit:
            before, additional = sep_tax, sep_credit

    pc = rules["personal_credit"]
    count = 0
    for i in range(n):
        aged = inp.ages[i] >= pc["age"]
        count += 1 + aged + (aged and eligible[i] <= 0)
    tax = max(0.0, before - count * pc["amount"] - additional)
    return StateTaxResult(state="AR", agi=agi, taxable_income=taxable, tax=tax)


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Arkansas income tax after the personal and qualified-individual credits."""
    n = len(inp.ages)
    return tax_with_shares(inp, rules, [1.0 / n] * n)
