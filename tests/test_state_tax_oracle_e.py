"""UT, IA, AR, KS, MS, NM, NE, ID, WV state income tax against recorded PolicyEngine-US answers
(part E).

Same method as tests/test_state_tax_oracle.py: the households are regenerated (a stale recording
fails); every household agrees within $1 on the tax after nonrefundable credits, or falls in a
named class of known difference and agrees within $1 once our computation is redone under
PolicyEngine's convention (classes explained in tests/oracle/NOTES.md).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from planner.state_tax import (
    StateTaxInput,
    StateTaxResult,
    bracket_tax,
    compute_state_tax,
    reached_59_half,
    state_rules,
)
from planner.states import ar, ms, nm, wv
from planner.states import id as id_
from tests.test_state_tax_oracle import TOLERANCE, Known, assert_agrees, plain

STATES = ("UT", "IA", "AR", "KS", "MS", "NM", "NE", "ID", "WV")


# -------------------------------------------------------------------------------------- Idaho


def _id_income_tax(inp: StateTaxInput, taxable: float) -> float:
    br = state_rules("ID", inp.year, 0.025)["brackets"]
    floors = br["mfj"] if inp.filing_status == "mfj" else br["single"]
    return bracket_tax(taxable, floors, br["rates"])


def _id_pe_premiums(inp: StateTaxInput, pe: dict[str, Any]) -> StateTaxResult:
    """Our Idaho tax with PolicyEngine's Idaho AGI (its premium subtraction) in place of ours;
    the $10 building fund tax is ours."""
    ours = compute_state_tax(inp)
    building_fund = ours.tax - _id_income_tax(inp, ours.taxable_income)
    deduction = id_.federal_deduction(inp, state_rules("ID", inp.year, 0.025)["federal_deduction"])
    taxable = max(0.0, pe["id_agi"] - deduction)
    return StateTaxResult("ID", pe["id_agi"], taxable,
                          _id_income_tax(inp, taxable) + building_fund)


# Medicare Part B income-related monthly adjustment thresholds (42 U.S.C. 1395r(i); CMS fact
# sheets for 2024-2026): the lowest MAGI above which the premium carries a surcharge.
_IRMAA_FLOOR = {2024: (103_000, 206_000), 2025: (106_000, 212_000), 2026: (109_000, 218_000)}


def _id_irmaa(inp: StateTaxInput, pe: dict[str, Any]) -> bool:
    """A filer 65 or older with federal AGI above the first Medicare IRMAA threshold: PolicyEngine
    subtracts (Idaho Code 63-3022P) the Part B premium with its income-related surcharge, which it
    takes from the current year's MAGI; we subtract the standard premium only (the surcharge
    depends on MAGI two years back, which the state input does not carry)."""
    single, joint = _IRMAA_FLOOR[inp.year]
    floor = joint if inp.filing_status == "mfj" else single
    return (max(inp.ages) >= 65 and inp.federal_agi > floor
            and pe["id_agi"] < compute_state_tax(inp).agi - TOLERANCE)


def _id_savings_program(inp: StateTaxInput, pe: dict[str, Any]) -> bool:
    """A filer 65 or older with modest income: PolicyEngine has the Medicare Savings Program pay
    the Part B premium (it applies the program's income test, not its asset test), so it
    subtracts no premium for that filer; we assume every filer 65 or older pays the standard
    premium."""
    return max(inp.ages) >= 65 and pe["id_agi"] > compute_state_tax(inp).agi + TOLERANCE


# ----------------------------------------------------------------------------------- Arkansas


def _ar_first_filer(inp: StateTaxInput) -> StateTaxResult:
    """Arkansas married filers may file separately on the same return, each spouse's income in
    their own column (AR1000F filing status 4), whichever costs less: which spouse holds the
    investment income changes that choice and its tax."""
    return ar.tax_with_shares(inp, state_rules("AR", inp.year, 0.025), [1.0, 0.0])


# ------------------------------------------------------------------------------------- Kansas


def _ks_eitc(inp: StateTaxInput, pe: dict[str, Any]) -> bool:
    """A filer with wages (under 65) and low income: PolicyEngine applies the Kansas earned
    income credit (17% of the federal EITC) against the tax before refundable credits; the
    credit is refundable (K.S.A. 79-32,205) and the planner does not model it."""
    return any(w > 0 for w in inp.wages) and pe["ks_non_refundable_credits"] > 0


def _ks_eitc_redo(inp: StateTaxInput, pe: dict[str, Any]) -> StateTaxResult:
    """Our Kansas tax less PolicyEngine's credits (the EITC part of them on top of ours)."""
    ours = compute_state_tax(inp)
    rules = state_rules("KS", inp.year, 0.025)
    key = "mfj" if inp.filing_status == "mfj" else "single"
    before = bracket_tax(ours.taxable_income, rules["brackets"][key], rules["brackets"]["rates"])
    return dataclasses.replace(ours, tax=max(0.0, before - pe["ks_non_refundable_credits"]))


# -------------------------------------------------------------------------------- Mississippi


def _ms_pe_convention(inp: StateTaxInput) -> StateTaxResult:
    """PolicyEngine's Mississippi convention: investment income in the first filer's column, and
    every IRA distribution exempt (moved here to the exempt pensions)."""
    pensions = tuple(p + d for p, d in zip(inp.pensions, inp.retirement_distributions,
                                           strict=True))
    moved = dataclasses.replace(inp, pensions=pensions,
                                retirement_distributions=tuple(0.0 for _ in inp.ages))
    shares = [1.0] + [0.0] * (len(inp.ages) - 1)
    return ms.tax_with_shares(moved, state_rules("MS", inp.year, 0.025), shares)


def _ms_early_distribution(inp: StateTaxInput) -> bool:
    """An IRA distribution of a filer under 59 1/2: taxable in Mississippi (distributions are
    exempt only once the plan's retirement requirements are met; early distributions do not
    qualify, Form 80-100 instructions, line 46); PolicyEngine exempts every IRA distribution."""
    return any(
        d > 0 and not reached_59_half(a, m)
        for d, a, m in zip(inp.retirement_distributions, inp.ages, inp.birth_months, strict=True)
    )


def _ms_first_filer(inp: StateTaxInput) -> bool:
    """Joint return with investment income: the recording gives it all to the first filer, whose
    column it enters; we split it equally between the spouses' columns (jointly owned), which
    changes the use of each column's $10,000 zero bracket."""
    return inp.filing_status == "mfj" and (inp.interest + inp.dividends + inp.capital_gains) != 0


# --------------------------------------------------------------------------------- New Mexico


def _nm_deductions(inp: StateTaxInput) -> float:
    """Our PIT-1 deductions (PolicyEngine's nm_deductions): the federal standard deduction, the
    2024 medical care expense deduction and the capital gain deduction."""
    ours = compute_state_tax(inp)
    exemptions_and_deductions = ours.agi - ours.taxable_income
    rules = state_rules("NM", inp.year, 0.025)
    key = "mfj" if inp.filing_status == "mfj" else "single"
    agi = inp.federal_agi
    ss = inp.taxable_social_security if agi <= rules["social_security_exemption"][key] else 0.0
    ex = rules["aged_exemption"]
    aged = sum(1 for a in inp.ages if a >= ex["age"]) * nm._aged_exemption(agi, ex[key])
    lm = rules["low_middle_income_exemption"]
    low = 0.0
    if agi <= lm["agi_limit"][key]:
        low = len(inp.ages) * (lm["amount"] - lm["reduction_rate"][key] * max(
            0.0, agi - lm["threshold"][key]))
    return exemptions_and_deductions - ss - aged - low


def _nm_medicare(inp: StateTaxInput, pe: dict[str, Any]) -> bool:
    """2024, a filer 65 or older, and PolicyEngine's medical care expense deduction differs from
    ours: it takes the Part B premium with the income-related surcharge of the current year's
    MAGI, or none when its Medicare Savings Program pays the premium (income test only); we
    assume the standard premium (as for Idaho)."""
    return (inp.year == 2024 and max(inp.ages) >= 65
            and abs(pe["nm_deductions"] - _nm_deductions(inp)) > TOLERANCE)


def _nm_pe_deductions(inp: StateTaxInput, pe: dict[str, Any]) -> StateTaxResult:
    ours = compute_state_tax(inp)
    taxable = max(0.0, ours.taxable_income + _nm_deductions(inp) - pe["nm_deductions"])
    rules = state_rules("NM", inp.year, 0.025)
    key = "mfj" if inp.filing_status == "mfj" else "single"
    br = rules["brackets"]
    return StateTaxResult("NM", ours.agi, taxable, bracket_tax(taxable, br[key], br["rates"]))


# ------------------------------------------------------------------------------ West Virginia


def _investment_first_filer(inp: StateTaxInput) -> bool:
    """Joint return with investment income: the recording gives it all to the first filer; we
    split it equally between the spouses (jointly owned). It matters where a spouse's own income
    counts: West Virginia's $8,000 senior citizen deduction is limited to it, and Arkansas
    couples may file separately on the same return."""
    return inp.filing_status == "mfj" and (inp.interest + inp.dividends + inp.capital_gains) != 0


def _wv_first_filer(inp: StateTaxInput) -> StateTaxResult:
    return wv.tax_with_shares(inp, state_rules("WV", inp.year, 0.025), [1.0, 0.0])


KNOWN: dict[str, Known] = {
    "AR": [("investment income of the first filer", plain(_investment_first_filer),
            plain(_ar_first_filer))],
    "ID": [
        ("Medicare income-related surcharge in PolicyEngine's premium subtraction", _id_irmaa,
         _id_pe_premiums),
        ("Medicare Savings Program pays the premium in PolicyEngine", _id_savings_program,
         _id_pe_premiums),
    ],
    "KS": [("Kansas earned income credit applied before refundable credits in PolicyEngine",
            _ks_eitc, _ks_eitc_redo)],
    "MS": [
        ("IRA distribution before 59½ exempt in PolicyEngine", plain(_ms_early_distribution),
         plain(_ms_pe_convention)),
        ("investment income of the first filer", plain(_ms_first_filer),
         plain(_ms_pe_convention)),
    ],
    "NM": [("Medicare premium in the 2024 medical care expense deduction (PolicyEngine)",
            _nm_medicare, _nm_pe_deductions)],
    "WV": [("investment income of the first filer", plain(_investment_first_filer),
            plain(_wv_first_filer))],
}


@pytest.mark.parametrize("state", STATES)
def test_state_tax_matches_policyengine_e(state: str) -> None:
    assert_agrees(state, KNOWN)
