"""Hand-checked state income tax: Ohio, Georgia, North Carolina, Michigan (part B).

Each figure is worked from the state's form instructions; the arithmetic is in the comments.
"""

from __future__ import annotations

import pytest

from planner.state_tax import StateTaxInput, compute_state_tax
from tests.state_inputs import state_input

_inp = state_input


# ------------------------------------------------------------------------------------- Ohio


def test_ohio_2024_single_retiree():
    # Federal AGI 30,000 + 10,000 + 2,000 + 10,000 taxable SS = 52,000; Ohio AGI = 42,000
    # (SS deducted). MAGI 42,000 > 40,000: exemption 2,150; base 39,850.
    # Tax: 360.69 + 2.75% x (39,850 - 26,050 = 13,800) = 360.69 + 379.50 = 740.19.
    # Credits: retirement income 40,000 > 8,000 -> 200; senior (70) -> 50; base > 30,000 so no
    # exemption credit. 740.19 - 250 = 490.19.
    r = compute_state_tax(
        _inp("OH", 2024, (70,), pensions=(30_000,), ira=(10_000,), ss=(24_000,),
             taxable_ss=10_000, interest=2_000)
    )
    assert r.agi == pytest.approx(42_000)
    assert r.taxable_income == pytest.approx(39_850)
    assert r.tax == pytest.approx(490.19, abs=0.005)


def test_ohio_2025_joint_filing_credit():
    # AGI 20,000 + 30,000 + 5,000 + 8,000 + 1,000 = 64,000; Ohio AGI 56,000; exemptions
    # 2 x 2,150 = 4,300; base 51,700. Tax 2025: 342.00 + 2.75% x 25,650 = 1,047.375.
    # Credits: retirement income 25,000 -> 200; senior (66) -> 50: left 797.375.
    # Joint filing: both spouses have >= $500 of qualifying income (pension+IRA; wages);
    # base 51,700 is in 50,001-75,000 -> 10%: 79.7375. Tax 797.375 - 79.7375 = 717.6375.
    r = compute_state_tax(
        _inp("OH", 2025, (66, 63), pensions=(20_000, 0), wages=(0, 30_000), ira=(5_000, 0),
             ss=(20_000, 0), taxable_ss=8_000, interest=1_000)
    )
    assert r.taxable_income == pytest.approx(51_700)
    assert r.tax == pytest.approx(717.6375, abs=0.005)


def test_ohio_2026_flat_and_2030_not_indexed():
    # AGI 60,000 + 20,000 = 80,000; Ohio AGI 60,000; exemption 2,150; base 57,850.
    # 2026: 332.00 + 2.75% x (57,850 - 26,050 = 31,800) = 332 + 874.50 = 1,206.50;
    # less retirement credit 200 and senior credit 50 = 956.50. Ohio indexes nothing, so 2030
    # at 3% inflation is the same.
    for year in (2026, 2030):
        r = compute_state_tax(
            _inp("OH", year, (67,), ira=(60_000,), ss=(30_000,), taxable_ss=20_000),
            inflation=0.03,
        )
        assert r.tax == pytest.approx(956.50, abs=0.005)


def test_ohio_zero_bracket():
    # Wages 28,000; exemption 2,400 (MAGI <= 40,000); base 25,600 <= 26,050: no tax.
    r = compute_state_tax(_inp("OH", 2026, (60,), wages=(28_000,)))
    assert r.taxable_income == pytest.approx(25_600)
    assert r.tax == 0.0


# ------------------------------------------------------------------------------------ Georgia


def test_georgia_2024_retiree_exclusion_and_ss():
    # AGI 40,000 + 50,000 + 5,000 + 15,000 taxable SS = 110,000. Age 66: exclusion
    # min(40,000 + 50,000 + 5,000, 65,000) = 65,000. Georgia AGI 110,000 - 15,000 - 65,000
    # = 30,000. Deduction 12,000 (no addition for 65+ from 2024); taxable 18,000; 5.39% = 970.20.
    r = compute_state_tax(
        _inp("GA", 2024, (66,), pensions=(40_000,), ira=(50_000,), ss=(25_000,),
             taxable_ss=15_000, interest=5_000)
    )
    assert r.agi == pytest.approx(30_000)
    assert r.tax == pytest.approx(970.20, abs=0.005)


def test_georgia_2025_couple_62_64_earned_income_cap():
    # AGI 8,000 + 50,000 + 20,000 + 10,000 + 4,000 + 6,000 - 2,000 = 96,000. Investment income
    # 8,000 split 4,000 each. Filer 63: 20,000 pension + min(8,000, 5,000) wages + 4,000 =
    # 29,000 (cap 35,000). Filer 60: under 62, none. Georgia AGI 67,000; deduction 24,000;
    # taxable 43,000; 5.19% = 2,231.70.
    r = compute_state_tax(
        _inp("GA", 2025, (63, 60), wages=(8_000, 50_000), pensions=(20_000, 0),
             ira=(0, 10_000), interest=4_000, dividends=6_000, gains=-2_000)
    )
    assert r.agi == pytest.approx(67_000)
    assert r.tax == pytest.approx(2_231.70, abs=0.005)


def test_georgia_2026_and_2030_exclusion_rises():
    # AGI 90,000 + 20,000 = 110,000. 2026: exclusion 65,000; Georgia AGI 25,000; deduction
    # 15,000; taxable 10,000; 4.99% = 499.00.
    # 2030: the 65+ exclusion is 70,000 from 2027 (H.B. 463), nothing indexed: Georgia AGI
    # 20,000; taxable 5,000; 4.99% = 249.50.
    def hh(year: int) -> StateTaxInput:
        return _inp("GA", year, (70,), pensions=(90_000,), ss=(30_000,), taxable_ss=20_000)

    assert compute_state_tax(hh(2026)).tax == pytest.approx(499.00, abs=0.005)
    assert compute_state_tax(hh(2030), inflation=0.03).tax == pytest.approx(249.50, abs=0.005)


# ----------------------------------------------------------------------------- North Carolina


def test_north_carolina_2024_retiree():
    # AGI 40,000 + 10,000 + 17,000 taxable SS = 67,000; less SS and 12,750: 37,250; 4.5%
    # = 1,676.25 (IRA and pension fully taxable).
    r = compute_state_tax(
        _inp("NC", 2024, (68,), ira=(40_000,), pensions=(10_000,), ss=(30_000,),
             taxable_ss=17_000)
    )
    assert r.taxable_income == pytest.approx(37_250)
    assert r.tax == pytest.approx(1_676.25, abs=0.005)


def test_north_carolina_2026_and_2030():
    # AGI 40,000 + 30,000 + 30,000 taxable SS = 100,000; less SS and 25,500: 44,500; 3.99%
    # = 1,775.55. The standard deduction is not indexed and the rate stays 3.99%: same in 2030.
    for year in (2026, 2030):
        r = compute_state_tax(
            _inp("NC", year, (70, 68), ira=(40_000, 0), pensions=(0, 30_000),
                 ss=(30_000, 20_000), taxable_ss=30_000),
            inflation=0.03,
        )
        assert r.tax == pytest.approx(1_775.55, abs=0.005)


# ----------------------------------------------------------------------------------- Michigan


def test_michigan_2024_tier1_with_interest_deduction():
    # Born 1944 (80 in 2024): tier 1. AGI 10,000 + 10,000 + 5,000 + 20,000 = 45,000.
    # Pension subtraction 10,000 (limit 64,040). Interest/dividend deduction: limit 14,274
    # less 10,000 = 4,274 (<= 15,000). Taxable 45,000 - 20,000 - 10,000 - 4,274 - 5,600
    # = 5,126; 4.25% = 217.855.
    r = compute_state_tax(
        _inp("MI", 2024, (80,), pensions=(10_000,), interest=10_000, dividends=5_000,
             ss=(30_000,), taxable_ss=20_000)
    )
    assert r.taxable_income == pytest.approx(5_126)
    assert r.tax == pytest.approx(217.855, abs=0.005)


def test_michigan_2024_phase_in_and_59_half():
    # Older spouse 66 -> born 1958: 2024 phase-in (born 1946-1962), limit 64,040 joint; under
    # 67, no standard deduction. Spouse 58 is under 59 1/2: her IRA 15,000 does not qualify.
    # Benefits 30,000 + 20,000 = 50,000. AGI 30,000 + 35,000 + 10,000 = 75,000.
    # Taxable 75,000 - 10,000 - 50,000 - 2 x 5,600 = 3,800; 4.25% = 161.50.
    r = compute_state_tax(
        _inp("MI", 2024, (66, 58), pensions=(30_000, 0), ira=(20_000, 15_000),
             ss=(25_000, 0), taxable_ss=10_000)
    )
    assert r.taxable_income == pytest.approx(3_800)
    assert r.tax == pytest.approx(161.50, abs=0.005)


def test_michigan_2025_tier3_vs_phase_in():
    # Born 1957 (68 in 2025): tier 3 standard deduction 20,000 - 5,800 - 12,000 taxable SS
    # = 2,200; phase-in subtraction min(60,000, 49,423) = 49,423: the larger is taken.
    # AGI 72,000; taxable 72,000 - 12,000 - 49,423 - 5,800 = 4,777; 4.25% = 203.0225.
    r = compute_state_tax(
        _inp("MI", 2025, (68,), ira=(60_000,), ss=(25_000,), taxable_ss=12_000)
    )
    assert r.taxable_income == pytest.approx(4_777)
    assert r.tax == pytest.approx(203.0225, abs=0.005)


def test_michigan_2026_standard_deduction_against_interest():
    # Born 1958 (68 in 2026): tier 3 standard deduction 20,000 - 5,900 = 14,100 (taxable SS
    # offset suspended 2026-2028, and none here); no retirement benefits. Taxable 30,000
    # - 14,100 - 5,900 = 10,000; 4.25% = 425.00.
    r = compute_state_tax(_inp("MI", 2026, (68,), interest=30_000))
    assert r.tax == pytest.approx(425.00, abs=0.005)


def test_michigan_2030_projected_full_subtraction():
    # 2030 at 3% a year from 2026: factor 1.03^4 = 1.12550881. Limit 67,610 x 1.12550881 =
    # 76,095.6 -> 76,096; exemption 5,900 x 1.12550881 = 6,640.5 -> 6,600 (nearest $100).
    # Born 1960 (70): tier 3 standard 20,000 - 6,600 = 13,400 < 76,096 subtraction.
    # Taxable 100,000 - 76,096 - 6,600 = 17,304; 4.25% = 735.42.
    r = compute_state_tax(_inp("MI", 2030, (70,), ira=(100_000,)), inflation=0.03)
    assert r.taxable_income == pytest.approx(17_304)
    assert r.tax == pytest.approx(735.42, abs=0.005)
