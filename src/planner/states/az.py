"""Arizona individual income tax (Form 140), A.R.S. Title 43 Chapter 10.

Arizona AGI is federal AGI less the Social Security included in it (43-1022(4)), less 25% of the
net long-term capital gain (43-1022(22); the planner's capital gain is taken as long-term from
assets bought after 2011), less, for 2025-2028, the federal senior deduction ($6,000 per filer 65
or older, phased out at 6% of federal AGI over $75,000 / $150,000), less $2,100 per filer 65 or
older (43-1023); taxable income subtracts the standard deduction (the federal basic amount,
43-1041); a flat rate; the family income tax credit (43-1073). Pensions and IRA distributions
are taxed (the $2,500 public pension subtraction is out of scope). Left out: itemized deductions,
the charitable standard deduction increase, dependents and other credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult


def senior_subtraction(inp: StateTaxInput, r: Mapping[str, Any]) -> float:
    """The federal senior deduction Arizona subtracts: per filer 65+, amount less the phase-out."""
    threshold = r["mfj"] if inp.filing_status == "mfj" else r["single"]
    each = max(0.0, r["amount"] - r["phaseout_rate"] * max(0.0, inp.federal_agi - threshold))
    return each * sum(a >= r["age"] for a in inp.ages)


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Arizona income tax after the family income tax credit."""
    mfj = inp.filing_status == "mfj"
    gains = max(0.0, inp.capital_gains) * rules["capital_gains_subtraction"]["rate"]
    seniors = senior_subtraction(inp, rules["senior_subtraction"])
    before_exemptions = inp.federal_agi - inp.taxable_social_security - gains - seniors
    ex = rules["aged_exemption"]
    agi = before_exemptions - ex["amount"] * sum(a >= ex["age"] for a in inp.ages)
    sd = rules["standard_deduction"]
    taxable = max(0.0, agi - (sd["mfj"] if mfj else sd["single"]))
    before = taxable * rules["rate"]["flat"]
    ftc = rules["family_tax_credit"]
    credit = 0.0
    if before_exemptions <= (ftc["mfj"] if mfj else ftc["single"]):
        credit = ftc["per_person"] * len(inp.ages)
    return StateTaxResult(
        state="AZ", agi=agi, taxable_income=taxable, tax=max(0.0, before - credit)
    )
