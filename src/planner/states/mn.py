"""Minnesota individual income tax (Form M1, Schedules M1M, M1R, M1MA, M1MT, M1NIIT), Minn.
Stat. chapter 290.

Minnesota taxable income is federal AGI less the Minnesota standard deduction (with the
65-or-older additions, reduced at high AGI: 290.0123, 290.0121), less the Social Security
subtraction (290.0132 subd. 26: all taxable benefits up to an AGI threshold, above it the larger
of the simplified and the alternative subtraction) and the age 65 or older subtraction
(290.0132 subd. 4, Schedule M1R). Pensions, IRA distributions and capital gains are taxed as
ordinary income (the public pension subtraction is left out: pensions are private here).
Graduated rates (290.06 subd. 2c), plus the alternative minimum tax (290.091) and the 1% tax on
net investment income over $1 million (290.033), less the marriage credit (290.0677, Schedule
M1MA, by its Part 2 formula, which the instructions' table for smaller incomes tabulates in
bands). Each spouse's taxable Social Security for the marriage credit is the household amount
split in proportion to gross benefits. Left out: itemized deductions, dependents, U.S.
government interest, military and public pensions, and the other credits (the K-12, child and
working family credits and the renter's credit are refundable).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def standard_deduction(inp: StateTaxInput, rules: Mapping[str, Any], key: str) -> float:
    """290.0123: base plus the 65-or-older amounts, less the high-income reduction."""
    sd = rules["standard_deduction"]
    full = sd[key] + sd[f"aged_{key}"] * sum(a >= 65 for a in inp.ages)
    r = rules["standard_deduction_reduction"]
    agi = inp.federal_agi
    cap = r["max_fraction"] * full
    if agi > r["full"]:
        reduction = cap
    else:
        main = r["low_rate"] * min(max(0.0, agi - r["low"]), r["high"] - r["low"])
        main += r["high_rate"] * max(0.0, agi - r["high"])
        reduction = min(cap, main)
    return max(0.0, full - reduction)


def social_security_subtraction(inp: StateTaxInput, rules: Mapping[str, Any], key: str) -> float:
    """290.0132 subd. 26 (Schedule M1M line 12 worksheets)."""
    s = rules["social_security"]
    taxable = inp.taxable_social_security
    agi = inp.federal_agi
    excess = agi - s[f"threshold_{key}"]
    if excess <= 0:
        return taxable
    steps = math.ceil(excess / s["step"])
    simplified = max(0.0, taxable * (1.0 - min(1.0, s["step_rate"] * steps)))
    provisional = max(0.0, agi - taxable + 0.5 * sum(inp.social_security))
    net = max(0.0, provisional - s[f"income_{key}"])
    alternative = min(taxable, max(0.0, s[f"alternative_{key}"] - s["income_rate"] * net))
    return max(simplified, alternative)


def elderly_subtraction(inp: StateTaxInput, rules: Mapping[str, Any], key: str) -> float:
    """290.0132 subd. 4 (Schedule M1R) for filers 65 or older."""
    e = rules["elderly_subtraction"]
    eligible = sum(a >= e["age"] for a in inp.ages)
    if not eligible:
        return 0.0
    nontaxable_ss = sum(inp.social_security) - inp.taxable_social_security
    amount = max(0.0, e[key] - nontaxable_ss)
    offset = e["agi_offset_both"] if key == "mfj" and eligible == 2 else e["agi_offset"]
    return max(0.0, amount - e["agi_rate"] * max(0.0, inp.federal_agi - offset))


def marriage_credit(
    rules: Mapping[str, Any], taxable: float, basic: float, incomes: Sequence[float]
) -> float:
    """290.0677 (Schedule M1MA Part 2): the joint tax less the single-schedule tax on the lesser
    spouse's income (less half the joint standard deduction) and on the rest."""
    m = rules["marriage_credit"]
    lesser = min(incomes)
    if lesser < m["min_individual_income"] or taxable < m["min_taxable_income"]:
        return 0.0
    b = rules["brackets"]
    first = max(0.0, lesser - m["standard_deduction_fraction"] * rules["standard_deduction"]["mfj"])
    second = max(0.0, taxable - first)
    single = bracket_tax(first, b["single"], b["rates"]) + bracket_tax(
        second, b["single"], b["rates"]
    )
    return min(m["maximum"], max(0.0, basic - single))


def spouse_incomes(inp: StateTaxInput, include_ira: bool = True) -> list[float]:
    """Schedule M1MA lines 1-5 per spouse: wages, taxable pensions and IRA distributions, and
    the taxable Social Security split in proportion to each spouse's benefits."""
    gross = sum(inp.social_security)
    out = []
    for i in range(len(inp.ages)):
        share = inp.social_security[i] / gross if gross > 0 else (1.0 if i == 0 else 0.0)
        ira = inp.retirement_distributions[i] if include_ira else 0.0
        out.append(inp.wages[i] + inp.pensions[i] + ira + share * inp.taxable_social_security)
    return out


def tax(inp: StateTaxInput, rules: Mapping[str, Any], include_ira: bool = True) -> StateTaxResult:
    """Minnesota income tax after the marriage credit. `include_ira=False` leaves IRA
    distributions out of the marriage credit's incomes (PolicyEngine's reading, for tests)."""
    key = "mfj" if inp.filing_status == "mfj" else "single"
    agi = inp.federal_agi
    ss_sub = social_security_subtraction(inp, rules, key)
    taxable = max(
        0.0,
        agi
        - standard_deduction(inp, rules, key)
        - ss_sub
        - elderly_subtraction(inp, rules, key),
    )
    b = rules["brackets"]
    basic = bracket_tax(taxable, b[key], b["rates"])

    a = rules["amt"]
    amti = agi - ss_sub
    exemption = max(0.0, a[f"exemption_{key}"]
                    - a["phaseout_rate"] * max(0.0, amti - a[f"phaseout_{key}"]))
    amt = max(0.0, a["rate"] * max(0.0, amti - exemption) - basic)

    n = rules["niit"]
    nii = max(0.0, inp.interest + inp.dividends + inp.capital_gains)
    niit = n["rate"] * max(0.0, nii - n["threshold"])

    credit = 0.0
    if key == "mfj":
        credit = marriage_credit(rules, taxable, basic, spouse_incomes(inp, include_ira))
    total = max(0.0, basic - credit) + amt + niit
    return StateTaxResult(state="MN", agi=agi, taxable_income=taxable, tax=total)
