"""Louisiana individual income tax (Form IT-540, Schedule E), La. R.S. 47:290 et seq.

Louisiana AGI is federal AGI less exempt income on Schedule E: the taxable Social Security
(code 07E, R.S. 47:293(9)(a)(vi)) and each filer's annual retirement income exemption (code 06E,
R.S. 47:44.1(A)) for a filer 65 or older, capped per person; retirement income is pension and
annuity income including IRA distributions (LAC 61:I.1311(B)). Through 2024: graduated rates on
Louisiana AGI, with the personal exemption-standard deduction and the $1,000 exemption for each
filer 65 or older applied at the first-bracket rate (R.S. 47:294, 47:79). From 2025 (Act 2024 3rd
Ex. Sess. No. 11): the standard deduction, a flat 3%, no exemptions. Capital gains are ordinary
income. Left out: exempt public and military pensions (02E-05E, pensions are private here), U.S.
government interest (01E), itemized deductions, dependents and credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def retirement_exemption(inp: StateTaxInput, rules: Mapping[str, Any]) -> float:
    """Schedule E code 06E: each filer 65 or older exempts pensions and IRA income up to a cap."""
    r = rules["retirement_exemption"]
    return sum(
        min(max(0.0, p + d), r["cap"])
        for p, d, a in zip(inp.pensions, inp.retirement_distributions, inp.ages, strict=True)
        if a >= r["age"]
    )


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Louisiana income tax: schedule tax on AGI less the standard deduction, less exemptions
    at the first-bracket rate."""
    key = "mfj" if inp.filing_status == "mfj" else "single"
    agi = inp.federal_agi - inp.taxable_social_security - retirement_exemption(inp, rules)
    taxable = max(0.0, agi - rules["standard_deduction"][key])
    b = rules["brackets"]
    ex = rules["exemptions"]
    exemptions = ex[key] + ex["aged"] * sum(a >= ex["aged_age"] for a in inp.ages)
    before = bracket_tax(taxable, b[key], b["rates"])
    return StateTaxResult(
        state="LA",
        agi=agi,
        taxable_income=taxable,
        tax=max(0.0, before - exemptions * b["rates"][0]),
    )
