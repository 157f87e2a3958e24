"""Hand-checked state income tax cases, worked from the forms' instructions (see each comment)."""

from __future__ import annotations

import pytest

from planner.state_tax import (
    NO_INCOME_TAX,
    SUPPORTED_STATES,
    StateTaxInput,
    compute_state_tax,
    state_rules,
)


def make(state: str, year: int = 2024, *, mfj: bool = False, ages=(70,), months=None,
         wages=None, ira=None, pensions=None, ss=None, taxable_ss: float = 0.0,
         interest: float = 0.0, dividends: float = 0.0, gains: float = 0.0) -> StateTaxInput:
    n = len(ages)
    zeros = (0.0,) * n
    wages, ira, pensions, ss = (x or zeros for x in (wages, ira, pensions, ss))
    agi = sum(wages) + sum(ira) + sum(pensions) + taxable_ss + interest + dividends + gains
    return StateTaxInput(
        state=state, year=year, filing_status="mfj" if mfj else "single", ages=tuple(ages),
        birth_months=tuple(months or (1,) * n), wages=tuple(wages),
        retirement_distributions=tuple(ira), pensions=tuple(pensions), social_security=tuple(ss),
        taxable_social_security=taxable_ss, interest=interest, dividends=dividends,
        capital_gains=gains, other_income=0.0, federal_agi=agi, federal_taxable_income=0.0,
    )


# ------------------------------------------------------------------------------ California


def test_ca_retiree_social_security_exempt_and_senior_credit() -> None:
    # Single, 70: IRA 60,000, SS 30,000 (federal taxable 25,500), interest 2,000.
    # Federal AGI 87,500; CA AGI = 87,500 - 25,500 (Schedule CA line 6) = 62,000.
    # Taxable = 62,000 - 5,540 = 56,460. Schedule X 2024:
    # 10,756 x 1% = 107.56; 14,743 x 2% = 294.86; 14,746 x 4% = 589.84; 15,621 x 6% = 937.26;
    # (56,460 - 55,866) = 594 x 8% = 47.52 -> 1,977.04. Personal 149 + senior 149 -> 1,679.04.
    r = compute_state_tax(make("CA", ira=(60_000.0,), ss=(30_000.0,), taxable_ss=25_500.0,
                               interest=2_000.0))
    assert r.agi == pytest.approx(62_000.0)
    assert r.taxable_income == pytest.approx(56_460.0)
    assert r.tax == pytest.approx(1_679.04, abs=0.005)


def test_ca_high_income_joint_credit_phaseout_and_mental_health_tax() -> None:
    # MFJ, 66/66: IRA 700,000 + 300,000, gains 200,000, interest 50,000 -> AGI 1,250,000.
    # Taxable = 1,250,000 - 11,080 = 1,238,920. Schedule Y 2024:
    # 215.12 + 589.72 + 1,179.68 + 1,874.52 + 2,358.40 + 580,106 x 9.3% = 53,949.858
    # + 144,256 x 10.3% = 14,858.368 + (1,238,920 - 865,574) x 11.3% = 42,188.098 -> 117,213.764.
    # Credits: (1,250,000 - 489,719) / 2,500 -> 305 steps x $6 = 1,830 > 149: all four are 0.
    # MHST: (1,238,920 - 1,000,000) x 1% = 2,389.20. Total 119,602.964.
    r = compute_state_tax(make("CA", mfj=True, ages=(66, 66), ira=(700_000.0, 300_000.0),
                               gains=200_000.0, interest=50_000.0))
    assert r.tax == pytest.approx(119_602.964, abs=0.005)


def test_ca_credit_phaseout_partial() -> None:
    # Single, 67, IRA 250,000: AGI 250,000 - 244,857 = 5,143 -> 3 steps of 2,500 (fraction
    # counts) -> each credit 149 - 18 = 131; two credits (personal + senior) = 262.
    # Taxable = 250,000 - 5,540 = 244,460: 1,977.04 - 47.52 (see above) + (70,606 - 55,866)
    # x 8% = 1,179.20 + (244,460 - 70,606) x 9.3% = 16,168.422 -> tax before credits
    # 107.56 + 294.86 + 589.84 + 937.26 + 1,179.20 + 16,168.422 = 19,277.142; less 262.
    r = compute_state_tax(make("CA", ages=(67,), ira=(250_000.0,)))
    assert r.tax == pytest.approx(19_015.142, abs=0.005)


# ------------------------------------------------------------------------------- New York


def test_ny_retiree_pension_exclusion_and_social_security() -> None:
    # Single, 67: IRA 30,000, pension 15,000, SS 24,000 (taxable 20,400), interest 3,000.
    # Federal AGI 68,400; NY AGI = 68,400 - 20,400 (line 27) - min(20,000, 45,000) (line 29)
    # = 28,000; taxable = 28,000 - 8,000 = 20,000. Schedule: 8,500 x 4% = 340;
    # 3,200 x 4.5% = 144; 2,200 x 5.25% = 115.50; 6,100 x 5.5% = 335.50 -> 935.
    # Household credit: federal AGI over 28,000 -> none.
    r = compute_state_tax(make("NY", ages=(67,), ira=(30_000.0,), pensions=(15_000.0,),
                               ss=(24_000.0,), taxable_ss=20_400.0, interest=3_000.0))
    assert r.agi == pytest.approx(28_000.0)
    assert r.tax == pytest.approx(935.0, abs=0.005)


def test_ny_joint_recapture_worksheet_phase_in() -> None:
    # MFJ 63/61: IRA 100,000 + 60,000, interest 10,000, dividends 20,000 -> federal AGI 190,000;
    # exclusions 20,000 each -> NY AGI 150,000; taxable 150,000 - 16,050 = 133,950.
    # Worksheet (joint, taxable <= 161,550): line 3 = 133,950 x 5.5% = 7,367.25;
    # line 4 = 686 + 290.25 + 225.75 + 106,050 x 5.5% (5,832.75) = 7,034.75; line 5 = 332.50;
    # line 7 = (150,000 - 107,650) / 50,000 = 0.8470; line 8 = 281.6275; tax = 7,316.3775.
    r = compute_state_tax(make("NY", mfj=True, ages=(63, 61), ira=(100_000.0, 60_000.0),
                               interest=10_000.0, dividends=20_000.0))
    assert r.taxable_income == pytest.approx(133_950.0)
    assert r.tax == pytest.approx(7_316.3775, abs=0.005)


def test_ny_single_second_worksheet() -> None:
    # Single, 70: IRA 250,000, interest 10,000 -> NY AGI 240,000, taxable 232,000.
    # Worksheet 2 (taxable over 215,400): line 3 = 232,000 x 6.85% = 15,892;
    # line 4 = 4,270.75 + 134,750 x 6% (8,085) + 16,600 x 6.85% (1,137.10) = 13,492.85;
    # line 5 = 2,399.15; line 6 = 568; line 7 = 1,831.15; line 9 = 24,600 / 50,000 = 0.492;
    # line 10 = 900.9258; tax = 13,492.85 + 568 + 900.9258 = 14,961.7758.
    r = compute_state_tax(make("NY", ira=(250_000.0,), interest=10_000.0))
    assert r.tax == pytest.approx(14_961.7758, abs=0.005)


def test_ny_household_credit_low_income() -> None:
    # Single, 62: interest 15,000 -> NY AGI 15,000, taxable 7,000 -> 7,000 x 4% = 280;
    # household credit for federal AGI 7,001-20,000 is $45 -> 235.
    r = compute_state_tax(make("NY", ages=(62,), interest=15_000.0))
    assert r.tax == pytest.approx(235.0)


# ---------------------------------------------------------------------------- Pennsylvania


def test_pa_retiree_classes_and_early_distribution() -> None:
    # MFJ 66/58: IRA 50,000 and pension 20,000 of the 66-year-old are not taxable (after 59½);
    # the 58-year-old's IRA 10,000 is taxable compensation; SS 30,000 exempt; interest 5,000;
    # dividends 3,000; a net capital loss of 3,000 counts as zero (no offset between classes).
    # Taxable 10,000 + 5,000 + 3,000 = 18,000 x 3.07% = 552.60. SP: 18,000 > 13,000 by
    # 5,000 = 20 steps of $250 -> 0% forgiveness.
    r = compute_state_tax(make("PA", mfj=True, ages=(66, 58), ira=(50_000.0, 10_000.0),
                               pensions=(20_000.0, 0.0), ss=(30_000.0, 0.0), taxable_ss=10_000.0,
                               interest=5_000.0, dividends=3_000.0, gains=-3_000.0))
    assert r.taxable_income == pytest.approx(18_000.0)
    assert r.tax == pytest.approx(552.60, abs=0.005)


def test_pa_tax_forgiveness_partial() -> None:
    # MFJ 70/70, interest 13,600: tax 13,600 x 3.07% = 417.52. Eligibility income is
    # 600 over 13,000 -> 3 steps of $250 (fraction counts) -> 70% forgiven -> 125.256.
    r = compute_state_tax(make("PA", mfj=True, ages=(70, 70), interest=13_600.0))
    assert r.tax == pytest.approx(125.256, abs=0.0005)


# -------------------------------------------------------------------------------- Illinois


def test_il_retirement_income_subtracted_and_senior_exemption() -> None:
    # Single 68: IRA 40,000, SS (taxable 17,000), interest 6,000, gains 4,000 -> AGI 67,000.
    # Base income = 67,000 - 17,000 - 40,000 (line 5) = 10,000; exemptions 2,775 + 1,000
    # (65+) = 3,775; net 6,225 x 4.95% = 308.1375.
    r = compute_state_tax(make("IL", ages=(68,), ira=(40_000.0,), ss=(20_000.0,),
                               taxable_ss=17_000.0, interest=6_000.0, gains=4_000.0))
    assert r.agi == pytest.approx(10_000.0)
    assert r.tax == pytest.approx(308.1375, abs=0.00005)


def test_il_no_exemption_above_income_limit() -> None:
    # MFJ 60/62, wages 300,000 each: AGI 600,000 > 500,000 -> no exemption; 600,000 x 4.95%.
    r = compute_state_tax(make("IL", mfj=True, ages=(60, 62), wages=(300_000.0, 300_000.0)))
    assert r.tax == pytest.approx(29_700.0)


# ------------------------------------------------------------------ states without wage tax


def test_nh_interest_and_dividends_2024_then_repealed() -> None:
    # MFJ 66/66, interest 10,000 + dividends 5,000 = 15,000; exemptions 2 x 2,400 + 2 x 1,200
    # = 7,200; 7,800 x 3% = 234 in 2024; repealed from 2025.
    kw = dict(mfj=True, ages=(66, 66), interest=10_000.0, dividends=5_000.0, ira=(90_000.0, 0.0))
    assert compute_state_tax(make("NH", 2024, **kw)).tax == pytest.approx(234.0)
    assert compute_state_tax(make("NH", 2025, **kw)).tax == 0.0


def test_wa_capital_gains_excise_tiers() -> None:
    # 2024: (500,000 - 270,000) x 7% = 16,100. 2025: gains 1,500,000 - 278,000 = 1,222,000:
    # 1,000,000 x 7% + 222,000 x 9.9% = 70,000 + 21,978 = 91,978. IRA withdrawals: untaxed.
    assert compute_state_tax(make("WA", 2024, gains=500_000.0, ira=(80_000.0,))).tax == (
        pytest.approx(16_100.0))
    assert compute_state_tax(make("WA", 2025, gains=1_500_000.0)).tax == pytest.approx(91_978.0)


@pytest.mark.parametrize("state", ["AK", "FL", "NV", "SD", "TN", "TX", "WY"])
def test_no_income_tax_states(state: str) -> None:
    r = compute_state_tax(make(state, 2026, wages=(200_000.0,), ages=(60,), interest=50_000.0))
    assert r.tax == 0.0
    assert "source" in state_rules(state, 2024, 0.025)["no_income_tax"]
    assert state in NO_INCOME_TAX and state in SUPPORTED_STATES


# ------------------------------------------------------------------ projection and errors


def test_projection_2030_indexed_and_fixed_figures() -> None:
    # CA standard deduction (indexed, nearest $1): 5,835 x 1.025^4 = 6,440.75 -> 6,441; joint
    # twice that. IL exemption (nearest $25): 2,925 x 1.025^4 = 3,228.65 -> 3,225.
    # Fixed: NY standard deduction 8,000; CA mental health threshold 1,000,000.
    ca = state_rules("CA", 2030, 0.025)
    assert ca["standard_deduction"]["single"] == 6_441
    assert ca["standard_deduction"]["mfj"] == 2 * 6_441
    assert ca["brackets"]["mfj"] == [2 * b for b in ca["brackets"]["single"]]
    assert ca["mental_health"]["threshold"] == 1_000_000
    assert state_rules("IL", 2030, 0.025)["exemption"]["personal"] == 3_225
    assert state_rules("NY", 2030, 0.025)["standard_deduction"]["single"] == 8_000
    # A different inflation gives a different projection (and is cached separately).
    assert state_rules("CA", 2030, 0.0)["standard_deduction"]["single"] == 5_835


def test_scheduled_law_changes() -> None:
    # NY: 2027 rate cut (L. 2025 ch. 59 Part A); CA: Prop. 55 top rates end after 2030.
    assert state_rules("NY", 2027, 0.025)["brackets"]["rates"][0] == 0.038
    assert state_rules("NY", 2026, 0.025)["brackets"]["rates"][0] == 0.039
    assert state_rules("CA", 2030, 0.025)["brackets"]["rates"][-1] == 0.123
    assert state_rules("CA", 2031, 0.025)["brackets"]["rates"][-1] == 0.093


def test_unknown_state_and_early_year_raise() -> None:
    with pytest.raises(ValueError, match="no state income tax rules for 'ZZ'"):
        state_rules("ZZ", 2024, 0.025)
    with pytest.raises(ValueError, match="before 2024"):
        state_rules("CA", 2023, 0.025)
    with pytest.raises(ValueError, match="no state income tax rules"):
        compute_state_tax(make("ZZ"))


PART_A = ("AK", "FL", "NV", "SD", "TN", "TX", "WY", "NH", "WA", "CA", "NY", "PA", "IL")


def test_every_table_cites_a_source() -> None:
    for state in PART_A:
        for year in (2024, 2025, 2026):
            rules = state_rules(state, year, 0.025)
            tables = {k: v for k, v in rules.items() if isinstance(v, dict)}
            assert tables, (state, year)
            for name, table in tables.items():
                assert table.get("source"), (state, year, name)
