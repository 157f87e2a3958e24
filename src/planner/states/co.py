"""Colorado individual income tax (Form DR 0104, Schedule DR 0104AD), C.R.S. 39-22-104.

Colorado taxable income is federal taxable income plus, when federal AGI is $300,000 or more,
the federal deduction over a fixed exemption (39-22-104(3)(p.5), (p.7)), less each filer's Social
Security subtraction (all taxable benefits at 65 or older; up to $20,000 at 55-64, all of it
from 2025 under an AGI limit) and pension and annuity subtraction (pensions and IRA
distributions up to $24,000 at 65 or older, $20,000 at 55-64, less that filer's Social Security
subtraction) (39-22-104(4)(f)); a flat rate. Taxable Social Security is split between spouses in
proportion to their benefits. The federal deduction added back is federal AGI less federal
taxable income (the planner itemizes nowhere and at that AGI the senior deduction is phased
out). Capital gains are taxed as in federal taxable income. Left out: the state income tax
addback for itemizers, the Colorado capital gain subtraction for qualifying Colorado assets,
military retirement, the overtime addback, AMT, TABOR refunds and credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult


def subtractions(inp: StateTaxInput, r: Mapping[str, Any]) -> float:
    """DR 0104AD lines 4 and 5: Social Security and pension subtractions of every filer."""
    mfj = inp.filing_status == "mfj"
    gross = sum(inp.social_security)
    full_limit = r["ss_full_agi_mfj"] if mfj else r["ss_full_agi_single"]
    total = 0.0
    for i, age in enumerate(inp.ages):
        if age < r["younger_age"]:
            continue
        ss = inp.taxable_social_security * inp.social_security[i] / gross if gross > 0 else 0.0
        if age >= r["older_age"]:
            ss_sub, cap = ss, r["older_cap"]
        else:
            cap = r["younger_cap"]
            ss_sub = ss if inp.federal_agi <= full_limit else min(ss, cap)
        pension = max(0.0, inp.pensions[i] + inp.retirement_distributions[i])
        total += ss_sub + min(pension, max(0.0, cap - ss_sub))
    return total


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Colorado income tax: flat rate on federal taxable income plus additions less subtractions."""
    add = rules["deduction_addback"]
    addback = 0.0
    if inp.federal_agi >= add["agi_threshold"]:
        exemption = add["mfj"] if inp.filing_status == "mfj" else add["single"]
        addback = max(0.0, inp.federal_agi - inp.federal_taxable_income - exemption)
    subtracted = subtractions(inp, rules["pension_subtraction"])
    taxable = max(0.0, inp.federal_taxable_income + addback - subtracted)
    agi = inp.federal_agi + addback - subtracted
    return StateTaxResult(
        state="CO", agi=agi, taxable_income=taxable, tax=taxable * rules["rate"]["flat"]
    )
