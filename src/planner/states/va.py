"""Virginia individual income tax (Form 760), Va. Code 58.1-320 to 58.1-339.8.

Virginia AGI is federal AGI less the Social Security included in it (58.1-322.02) and less the
age deduction (58.1-322.03(5): $12,000 per filer 65 or older, in full if born before 1939,
otherwise reduced by adjusted federal AGI over $50,000 single / $75,000 joint); taxable income
subtracts the standard deduction and the exemptions ($930 per filer, $800 more at 65 or older);
graduated rates; the spouse tax adjustment on joint returns; the credit for low-income
individuals (58.1-339.8, not with the aged exemption or the age deduction); no tax below the
filing threshold (58.1-321). Pensions, IRA distributions and capital gains are taxed. For the
spouse tax adjustment each spouse's Virginia AGI is their own income plus half the household
investment income (jointly owned) less half the age deduction (Social Security is subtracted
from both sides). Left out: itemized deductions, military and government pensions, the
disability subtraction, the earned income credit (it needs the federal EITC), other credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, bracket_tax


def age_deduction(inp: StateTaxInput, r: Mapping[str, Any]) -> float:
    """Form 760 age deduction worksheet, for the whole return."""
    eligible = [a for a in inp.ages if a >= r["age"]]
    full = sum(inp.year - a < r["full_if_born_before"] for a in eligible)
    tested = len(eligible) - full
    threshold = r["mfj"] if inp.filing_status == "mfj" else r["single"]
    excess = max(0.0, inp.federal_agi - inp.taxable_social_security - threshold)
    return r["amount"] * full + max(0.0, r["amount"] * tested - excess)


def spouse_adjustment(
    inp: StateTaxInput,
    rules: Mapping[str, Any],
    taxable: float,
    age_ded: float,
    first_share: float = 0.5,
) -> float:
    """Form 760 line 17: spouse tax adjustment worksheet. `first_share` is the first filer's
    share of the household investment income (the rest is the spouse's)."""
    b = rules["brackets"]
    ex = rules["exemptions"]
    total = inp.interest + inp.dividends + inp.capital_gains + inp.other_income
    shares = (total * first_share, total * (1.0 - first_share))
    ad = rules["age_deduction"]
    age_share = age_ded / max(1, sum(a >= ad["age"] for a in inp.ages))
    separate = []
    for i, age in enumerate(inp.ages):
        own = inp.wages[i] + inp.retirement_distributions[i] + inp.pensions[i] + shares[i]
        if age >= ad["age"]:
            own -= age_share
        exemptions = ex["personal"] + (ex["aged"] if age >= ex["aged_age"] else 0.0)
        separate.append(max(0.0, own - exemptions))
    smaller = min(separate)
    if smaller <= 0:
        return 0.0

    def t(x: float) -> float:
        return bracket_tax(x, b["floors"], b["rates"])

    half = taxable / 2
    combined = min(t(smaller), t(half)) + max(t(max(0.0, taxable - smaller)), t(half))
    return min(rules["spouse_tax_adjustment"]["cap"], max(0.0, t(taxable) - combined))


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """Virginia income tax after the spouse tax adjustment."""
    mfj = inp.filing_status == "mfj"
    age_ded = age_deduction(inp, rules["age_deduction"])
    agi = inp.federal_agi - inp.taxable_social_security - age_ded
    ex = rules["exemptions"]
    exemptions = ex["personal"] * len(inp.ages) + ex["aged"] * sum(
        a >= ex["aged_age"] for a in inp.ages
    )
    sd = rules["standard_deduction"]
    taxable = max(0.0, agi - (sd["mfj"] if mfj else sd["single"]) - exemptions)
    b = rules["brackets"]
    amount = bracket_tax(taxable, b["floors"], b["rates"])
    if mfj:
        amount -= spouse_adjustment(inp, rules, taxable, age_ded)
    lic = rules["low_income_credit"]
    aged = any(a >= ex["aged_age"] for a in inp.ages)  # 58.1-339.8(D): not with these
    if not aged and agi <= (lic["poverty_two"] if mfj else lic["poverty_one"]):
        amount -= lic["per_exemption"] * len(inp.ages)  # 58.1-339.8(B)
    if agi < rules["filing_threshold"]["mfj" if mfj else "single"]:
        amount = 0.0  # 58.1-321(A)(2): below the filing threshold no tax is due
    return StateTaxResult(state="VA", agi=agi, taxable_income=taxable, tax=max(0.0, amount))
