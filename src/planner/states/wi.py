"""Wisconsin individual income tax (Form 1, Schedule SB), Wis. Stat. Chapter 71.

Wisconsin AGI is federal AGI less the Social Security included in it (71.05(6)(b)4), 30% of the
net long-term capital gain (71.05(6)(b)9) and the $5,000 retirement income subtraction per filer
65 or older under the federal AGI limit (71.05(6)(b)26). Taxable income subtracts the sliding
standard deduction (71.05(22)) and the exemptions ($700 per filer, $250 more at 65 or older);
graduated rates; the married couple credit (wages). From 2025 a filer 67 or older may instead
elect the retirement income exclusion (71.05(6)(b)54m, 2025 Act 15: up to $24,000 of pensions
and IRA distributions each, $48,000 pooled when both spouses qualify), which forfeits every
credit; the lower tax is taken, the standard deduction recomputed on the lower income and the
$5,000 subtraction not doubled on the same dollars (Schedule SB lines 16-17). Left out:
itemized deduction, property tax, homestead and earned income credits (property tax and rent
are not planner inputs), military and government pensions, the minimum tax.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def standard_deduction(agi: float, mfj: bool, sd: Mapping[str, Any]) -> float:
    """The sliding-scale standard deduction (Form 1 instructions, standard deduction table)."""
    key = "mfj" if mfj else "single"
    over = max(0.0, agi - sd[f"{key}_start"])
    return max(0.0, sd[f"{key}_max"] - sd[f"{key}_rate"] * over)


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Wisconsin income tax: the lower of the standard computation and the exclusion election."""
    mfj = inp.filing_status == "mfj"
    key = "mfj" if mfj else "single"
    retirement = [
        max(0.0, p + d) for p, d in zip(inp.pensions, inp.retirement_distributions, strict=True)
    ]
    rs = rules["retirement_subtraction"]
    line17 = [0.0] * len(inp.ages)
    if inp.federal_agi < rs[f"agi_under_{key}"]:
        line17 = [
            min(rs["amount"], r) if a >= rs["age"] else 0.0
            for r, a in zip(retirement, inp.ages, strict=True)
        ]
    gains = max(0.0, inp.capital_gains) * rules["capital_gains"]["excluded_fraction"]
    agi = inp.federal_agi - inp.taxable_social_security - gains - sum(line17)
    ex = rules["exemptions"]
    exemptions = ex["personal"] * len(inp.ages) + ex["aged"] * sum(
        a >= ex["aged_age"] for a in inp.ages
    )
    sd = rules["standard_deduction"]
    taxable = max(0.0, agi - standard_deduction(agi, mfj, sd) - exemptions)
    b = rules["brackets"]
    before = bracket_tax(taxable, b[key], b["rates"])
    mc = rules["married_couple_credit"]
    credit = min(mc["cap"], mc["rate"] * max(0.0, min(inp.wages))) if mfj else 0.0
    amount = max(0.0, before - credit)

    rx = rules["retirement_exclusion"]
    eligible = [a >= rx["age"] for a in inp.ages]
    if rx["single"] > 0 and any(eligible):
        # Schedule SB line 16, and the line 17 subtraction given back where it would count the
        # same dollars twice.
        if mfj and all(eligible):
            line16 = min(rx["mfj_both"], sum(retirement))
            offset = max(0.0, sum(line17) - max(0.0, sum(retirement) - line16))
        else:
            each = [
                min(rx["single"], r) if e else 0.0
                for r, e in zip(retirement, eligible, strict=True)
            ]
            line16 = sum(each)
            offset = sum(
                s - min(s, r - x) for s, r, x in zip(line17, retirement, each, strict=True)
            )
        agi_x = max(0.0, agi - line16 + offset)
        taxable_x = max(0.0, agi_x - standard_deduction(agi_x, mfj, sd) - exemptions)
        elected = bracket_tax(taxable_x, b[key], b["rates"])
        if line16 > 0 and elected < amount:
            return StateTaxResult(state="WI", agi=agi_x, taxable_income=taxable_x, tax=elected)
    return StateTaxResult(state="WI", agi=agi, taxable_income=taxable, tax=amount)
