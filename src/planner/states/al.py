"""Alabama individual income tax (Form 40, Schedule RS), Ala. Code Title 40 Chapter 18.

Alabama AGI is gross income without Social Security (exempt: 40-18-19(a)), without payments from
defined benefit plans (Ala. Admin. Code r. 810-3-19-.04; the planner's pensions are taken to be
defined benefit pensions) and less each filer's exclusion of up to $6,000 of other retirement
income (IRA and defined contribution distributions) at 65 or older (40-18-19(a)(13)). Taxable
income subtracts the standard deduction (sliding with Alabama AGI, 40-18-15(b)), the personal
exemption (40-18-19(b)) and the federal income tax (40-18-15(a)(2): Form 1040 tax after
nonrefundable credits plus the net investment income tax, computed with `planner.federal_tax`,
the capital gain taken as long-term; past the last published federal year at 2.5% inflation).
The standard deduction gives way to the one itemized deduction the planner's input shows, the
employee's Social Security and Medicare taxes on wages (40-18-15(a)(3)), when that is larger.
Graduated rates (40-18-5). Capital gains are ordinary income. Left out: other itemized
deductions, dependents, government pensions (exempt; pensions are private here), the capital gain
exclusions and credits. County and city occupational taxes are not part of the state tax.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax, federal_return


def federal_income_tax(inp: StateTaxInput) -> float:
    """Form 1040 line 22 plus the NIIT (no federal credits arise for the planner's retirees)."""
    return federal_return(inp).total_tax


def alabama_agi(inp: StateTaxInput, rules: Mapping[str, Any]) -> float:
    """Form 40 line 10: gross income less the exempt pensions and the 65+ exclusion."""
    r = rules["retirement"]
    agi = inp.federal_agi - inp.taxable_social_security
    for p, d, age in zip(inp.pensions, inp.retirement_distributions, inp.ages, strict=True):
        taxable_retirement = d + (0.0 if r["defined_benefit_exempt"] else p)
        if r["defined_benefit_exempt"]:
            agi -= p
        if age >= r["age"]:
            agi -= min(max(0.0, taxable_retirement), r["cap"])
    return agi


def payroll_tax_deduction(inp: StateTaxInput, rules: Mapping[str, Any], key: str) -> float:
    """40-18-15(a)(3): the employee's Social Security and Medicare taxes on the wages."""
    p = rules["payroll_tax_deduction"]
    wages = [max(0.0, w) for w in inp.wages]
    total = sum(p["social_security_rate"] * min(w, p["wage_base"]) for w in wages)
    total += p["medicare_rate"] * sum(wages)
    return total + p["additional_rate"] * max(0.0, sum(wages) - p[f"additional_threshold_{key}"])


def tax(
    inp: StateTaxInput, rules: Mapping[str, Any], federal_tax: float | None = None
) -> StateTaxResult:
    """Alabama income tax. `federal_tax` overrides the computed federal deduction (tests)."""
    key = "mfj" if inp.filing_status == "mfj" else "single"
    agi = alabama_agi(inp, rules)
    sd = rules["standard_deduction"]
    steps = max(0.0, agi - sd["threshold"]) // sd["step"]
    standard = max(sd[f"min_{key}"], sd[f"max_{key}"] - steps * sd[f"reduction_{key}"])
    deduction = max(standard, payroll_tax_deduction(inp, rules, key))
    if federal_tax is None:
        federal_tax = federal_income_tax(inp) if rules["federal_tax_deduction"]["applies"] else 0.0
    taxable = max(0.0, agi - deduction - rules["personal_exemption"][key] - federal_tax)
    b = rules["brackets"]
    return StateTaxResult(
        state="AL", agi=agi, taxable_income=taxable, tax=bracket_tax(taxable, b[key], b["rates"])
    )
