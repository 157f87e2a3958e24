"""Michigan individual income tax (MI-1040, Schedule 1, Form 4884), MCL 206.30 and 206.51.

Taxable income is federal AGI less the Social Security included in it, less the retirement and
pension benefits subtraction or the Michigan standard deduction (whichever is larger, by the
birth year of the older spouse), less the senior interest/dividend/gain deduction (born before
1946), less personal exemptions; a flat rate. Retirement benefits are pensions plus IRA
distributions of a filer who reaches 59 1/2 during the year. Left out: public pensions'
unlimited subtraction for those born before 1946 (all pensions are treated as private), the
Social Security-exempt government retiree limits, military and railroad retirement, special
exemptions, surviving-spouse elections and all credits (homestead property tax, home heating).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, reached_59_half


def _limit(table: Mapping[str, Any], mfj: bool) -> float:
    return float(table["mfj" if mfj else "single"])


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Michigan income tax: flat rate on AGI less the Schedule 1 subtractions and exemptions."""
    mfj = inp.filing_status == "mfj"
    n = len(inp.ages)
    agi = inp.federal_agi
    exemptions = n * rules["exemption"]["amount"]
    benefits = sum(inp.pensions) + sum(
        d
        for d, a, m in zip(inp.retirement_distributions, inp.ages, inp.birth_months, strict=True)
        if reached_59_half(a, m)
    )
    older = max(inp.ages)
    born = inp.year - older

    t1 = rules["tier1"]
    senior = 0.0
    if born < t1["born_before"]:
        subtraction = min(benefits, _limit(t1, mfj))
        idg = rules["interest_dividends_gains"]
        room = max(0.0, _limit(idg, mfj) - subtraction)
        senior = min(room, max(0.0, inp.interest + inp.dividends + inp.capital_gains))
    else:
        ex = rules["expanded"]
        last = ex.get("last_birth_year")
        expanded = 0.0
        if born >= ex["first_birth_year"] and (last is None or born <= last):
            expanded = min(benefits, _limit(ex, mfj))
        standard = 0.0
        t2 = rules["tier2_standard"]
        t3 = rules["tier3_standard"]
        if t2["first_birth_year"] <= born <= t2["last_birth_year"] and older >= t2["age"]:
            standard = _limit(t2, mfj)
        elif born >= t3["first_birth_year"] and older >= t3["age"]:
            offset = exemptions
            if inp.year not in t3["social_security_offset_suspended"]:
                offset += inp.taxable_social_security
            standard = max(0.0, _limit(t3, mfj) - offset)
        subtraction = max(expanded, standard)

    taxable = max(0.0, agi - inp.taxable_social_security - subtraction - senior - exemptions)
    return StateTaxResult(
        state="MI", agi=agi, taxable_income=taxable, tax=taxable * rules["rate"]["flat"]
    )
