"""Hand-checked state income tax: MN, SC, AL, LA, KY, OR, OK, CT (part D).

Each figure is worked from the state's form instructions; the arithmetic is in the comments.
"""

from __future__ import annotations

import pytest

from planner.state_tax import compute_state_tax, state_rules
from tests.state_inputs import state_input

_inp = state_input


# -------------------------------------------------------------------------------- Minnesota


def test_minnesota_2024_single_social_security_fully_subtracted():
    # Pension 30,000 + IRA 20,000 + taxable SS 20,400 (85% of 24,000) = AGI 70,400, under the
    # 82,190 threshold: all 20,400 subtracted. Standard deduction 14,575 + 1,950 (65+) = 16,525.
    # M1R: 9,600 - nontaxable SS 3,600 = 6,000, less 50% x (70,400 - 14,500) -> 0.
    # Taxable 70,400 - 16,525 - 20,400 = 33,475. Tax 31,690 x 5.35% = 1,695.415
    # + 1,785 x 6.8% = 121.38 -> 1,816.795. AMT: 50,000 - 69,530 exemption -> none.
    r = compute_state_tax(
        _inp("MN", 2024, (70,), pensions=(30_000,), ira=(20_000,), ss=(24_000,),
             taxable_ss=20_400)
    )
    assert r.taxable_income == pytest.approx(33_475)
    assert r.tax == pytest.approx(1_816.795, abs=0.005)


def test_minnesota_2025_joint_simplified_subtraction_and_marriage_credit():
    # AGI 40,000 + 50,000 + 25,500 taxable SS = 115,500: 7,180 over 108,320 -> 2 steps of
    # 4,000 -> simplified 80% x 25,500 = 20,400; alternative 5,840 - 20% x (105,000 - 88,630)
    # = 2,566; subtraction 20,400. Standard 29,900 + 1,550 (one 65+) = 31,450.
    # Taxable 115,500 - 31,450 - 20,400 = 63,650. Joint tax 47,620 x 5.35% = 2,547.67
    # + 16,030 x 6.8% = 1,090.04 -> 3,637.71.
    # Marriage credit: incomes 40,000 + 25,500 = 65,500 and 50,000; lesser 50,000 >= 31,000,
    # taxable >= 48,000. Single tax on 50,000 - 14,950 = 35,050: 1,742.495 + 2,480 x 6.8%
    # = 1,911.135; on 63,650 - 35,050 = 28,600: 1,530.10. Credit 3,637.71 - 3,441.235
    # = 196.475; tax 3,441.235.
    r = compute_state_tax(
        _inp("MN", 2025, (66, 64), pensions=(40_000, 0), wages=(0, 50_000),
             ss=(30_000, 0), taxable_ss=25_500)
    )
    assert r.taxable_income == pytest.approx(63_650)
    assert r.tax == pytest.approx(3_441.235, abs=0.005)


def test_minnesota_indexing_2027():
    # 2026 single bands x 1.025, nearest $10: 33,310 -> 34,142.75 -> 34,140; standard
    # deduction 15,300 x 1.025 = 15,682.5, rounded down to $50 -> 15,650, joint twice that.
    r = state_rules("MN", 2027, 0.025)
    assert r["brackets"]["single"][1] == 34_140
    assert r["standard_deduction"]["single"] == 15_650
    assert r["standard_deduction"]["mfj"] == 31_300
    assert r["elderly_subtraction"]["single"] == 9_600


# --------------------------------------------------------------------------- South Carolina


def test_south_carolina_2024_single_retiree():
    # AGI 20,000 + 8,000 + 5,000 taxable SS + 2,000 + 10,000 gain = 45,000. Federal taxable
    # income 45,000 - (14,600 + 1,950) = 28,450. Subtractions: SS 5,000; retirement (65+)
    # min(28,000, 10,000) = 10,000; 65 and older 15,000 - 10,000 = 5,000; 44% x 10,000 = 4,400:
    # 24,400. SC taxable 4,050; tax 3% x (4,050 - 3,460) = 17.70.
    r = compute_state_tax(
        _inp("SC", 2024, (70,), pensions=(20_000,), ira=(8_000,), ss=(20_000,),
             taxable_ss=5_000, interest=2_000, gains=10_000)
    )
    assert r.taxable_income == pytest.approx(4_050)
    assert r.tax == pytest.approx(17.70, abs=0.005)


def test_south_carolina_2026_joint_sciad():
    # AGI 40,000 + 12,000 + 5,000 + 10,000 taxable SS + 1,000 = 68,000 < 80,000: full SCIAD
    # 30,000; start 38,000. Subtractions: SS 10,000; spouse 66: retirement 10,000 and
    # 65-or-older 15,000 - 10,000 = 5,000; spouse 60: retirement min(5,000, 3,000) = 3,000:
    # 28,000. Taxable 10,000 x 1.99% = 199. Two wage earner credit: lesser wages 0. EITC:
    # 664 - 7.65% x (68,000 - 18,140) < 0.
    r = compute_state_tax(
        _inp("SC", 2026, (66, 60), wages=(0, 40_000), pensions=(12_000, 0), ira=(0, 5_000),
             ss=(24_000, 0), taxable_ss=10_000, interest=1_000)
    )
    assert r.taxable_income == pytest.approx(10_000)
    assert r.tax == pytest.approx(199.0, abs=0.005)


def test_south_carolina_indexing_2027():
    # H.4216's $30,000 band and the SCIAD are fixed; the federal EITC maximum is indexed:
    # 664 x 1.025 = 680.6 -> 681.
    r = state_rules("SC", 2027, 0.025)
    assert r["brackets"]["single"] == [0, 30_000]
    assert r["sciad"]["mfj"] == 30_000
    assert r["eitc"]["federal_max"] == 681


# -------------------------------------------------------------------------------- Louisiana


def test_louisiana_2024_single_exemptions_at_first_rate():
    # AGI 4,000 pension + 10,000 IRA + 3,000 taxable SS + 5,000 interest = 22,000. Schedule E:
    # SS 3,000 and 06E min(4,000 + 10,000, 6,000) = 6,000 -> Louisiana AGI 13,000.
    # Schedule tax 12,500 x 1.85% = 231.25 + 500 x 3.5% = 17.50 -> 248.75; exemptions
    # (4,500 + 1,000 aged) x 1.85% = 101.75; tax 147.00.
    r = compute_state_tax(
        _inp("LA", 2024, (70,), pensions=(4_000,), ira=(10_000,), ss=(20_000,),
             taxable_ss=3_000, interest=5_000)
    )
    assert r.agi == pytest.approx(13_000)
    assert r.tax == pytest.approx(147.00, abs=0.005)


def test_louisiana_2025_joint_flat_rate():
    # AGI 20,000 + 15,000 + 20,000 taxable SS + 10,000 dividends = 65,000. 06E: spouse 67
    # min(15,000, 12,000) = 12,000; spouse 63 none. Louisiana AGI 65,000 - 20,000 - 12,000
    # = 33,000; less standard deduction 25,000 = 8,000 x 3% = 240.
    r = compute_state_tax(
        _inp("LA", 2025, (67, 63), pensions=(0, 20_000), ira=(15_000, 0),
             ss=(25_000, 15_000), taxable_ss=20_000, dividends=10_000)
    )
    assert r.taxable_income == pytest.approx(8_000)
    assert r.tax == pytest.approx(240.0, abs=0.005)


def test_louisiana_indexing_2027():
    # CPI-U indexing, nearest $1: 12,838 x 1.025 = 13,158.95 -> 13,159 (joint twice that);
    # 12,324 x 1.025 = 12,632.1 -> 12,632.
    r = state_rules("LA", 2027, 0.025)
    assert r["standard_deduction"]["single"] == 13_159
    assert r["standard_deduction"]["mfj"] == 26_318
    assert r["retirement_exemption"]["cap"] == 12_632


# --------------------------------------------------------------------------------- Oklahoma


def test_oklahoma_2024_single_retirement_subtraction():
    # AGI 15,000 + 5,000 + 4,000 taxable SS + 1,000 = 25,000. Subtract SS 4,000 and
    # retirement benefits min(20,000, 10,000) = 10,000: Oklahoma AGI 11,000. Federal AGI over
    # 15,000: no extra 65+ exemption. Taxable 11,000 - 6,350 - 1,000 = 3,650.
    # Tax 1,000 x 0.25% = 2.50 + 1,500 x 0.75% = 11.25 + 1,150 x 1.75% = 20.125 -> 33.875.
    r = compute_state_tax(
        _inp("OK", 2024, (68,), pensions=(15_000,), ira=(5_000,), ss=(20_000,),
             taxable_ss=4_000, interest=1_000)
    )
    assert r.taxable_income == pytest.approx(3_650)
    assert r.tax == pytest.approx(33.875, abs=0.005)


def test_oklahoma_2026_joint_new_schedule():
    # AGI 8,000 + 30,000 + 20,000 + 12,000 taxable SS = 70,000. Retirement subtraction
    # 8,000 + min(30,000, 10,000) = 18,000; Oklahoma AGI 70,000 - 12,000 - 18,000 = 40,000.
    # Taxable 40,000 - 12,700 - 2 x 1,000 = 25,300. H.B. 2764 joint schedule: 0% to 7,500;
    # 2.5% x 2,300 = 57.50; 3.5% x 4,600 = 161.00; 4.5% x 10,900 = 490.50 -> 709.00.
    r = compute_state_tax(
        _inp("OK", 2026, (66, 62), pensions=(8_000, 0), ira=(0, 30_000), wages=(0, 20_000),
             ss=(18_000, 0), taxable_ss=12_000)
    )
    assert r.taxable_income == pytest.approx(25_300)
    assert r.tax == pytest.approx(709.0, abs=0.005)


def test_oklahoma_indexing_2027():
    # Nothing is indexed: the 2026 figures carry forward.
    r = state_rules("OK", 2027, 0.025)
    assert r["brackets"]["mfj"] == [0, 7_500, 9_800, 14_400]
    assert r["standard_deduction"]["single"] == 6_350
    assert r["retirement_subtraction"]["cap"] == 10_000


# ------------------------------------------------------------------------------ Connecticut


def test_connecticut_2025_single_quarter_of_benefits_taxed():
    # Federal AGI 40,000 + 30,000 + 25,500 taxable SS + 4,500 = 100,000 >= 75,000: SS
    # adjustment 25,500 - 25% x min(30,000, 100,000 - 25,500 + 15,000 - 25,000 = 64,500)
    # = 25,500 - 7,500 = 18,000. Pension subtraction: AGI 100,000 -> 0%. CT AGI 82,000;
    # exemption fully phased out. Tax 200 + 1,800 + 32,000 x 5.5% = 3,760; 2% phase-out
    # add-back ceil(25,500 / 5,000) = 6 x 25 = 150; no personal credit over 64,500: 3,910.
    r = compute_state_tax(
        _inp("CT", 2025, (72,), pensions=(40_000,), ira=(30_000,), ss=(30_000,),
             taxable_ss=25_500, interest=4_500)
    )
    assert r.agi == pytest.approx(82_000)
    assert r.tax == pytest.approx(3_910.0, abs=0.005)


def test_connecticut_2026_joint_pension_phase_down():
    # Federal AGI 50,000 + 30,000 + 20,000 taxable SS + 12,000 = 112,000. SS adjustment
    # 20,000 - 25% x min(40,000, 112,000 - 20,000 + 20,000 - 32,000 = 80,000) = 10,000.
    # Pension subtraction: AGI in 110,000-114,999 -> 55% of (50,000 + 100% x 30,000 IRA)
    # = 44,000. CT AGI 112,000 - 10,000 - 44,000 = 58,000; exemption 24,000 - 10 x 1,000
    # = 14,000; taxable 44,000. Tax 20,000 x 2% + 24,000 x 4.5% = 1,480; personal credit
    # (AGI over 52,000) 10% = 148: 1,332.
    r = compute_state_tax(
        _inp("CT", 2026, (68, 66), pensions=(40_000, 10_000), ira=(20_000, 10_000),
             ss=(25_000, 15_000), taxable_ss=20_000, dividends=12_000)
    )
    assert r.taxable_income == pytest.approx(44_000)
    assert r.tax == pytest.approx(1_332.0, abs=0.005)


def test_connecticut_indexing_2027():
    # Nothing is indexed; the IRA share stays 100%.
    r = state_rules("CT", 2027, 0.025)
    assert r["exemption"]["single"] == 15_000
    assert r["pension_subtraction"]["ira_fraction"] == 1.0
    assert r["brackets"]["mfj"][1] == 20_000


# --------------------------------------------------------------------------------- Kentucky


def test_kentucky_2024_single_pension_exclusion():
    # Federal AGI 20,000 + 20,000 + 20,400 taxable SS + 5,000 = 65,400. Kentucky AGI 65,400
    # - 20,400 - min(40,000, 31,110) = 13,890; taxable 13,890 - 3,160 = 10,730 x 4% = 429.20;
    # less the $40 credit for 65+: 389.20. Family size credit: MGI 65,400 > 133% of 15,060.
    r = compute_state_tax(
        _inp("KY", 2024, (70,), pensions=(20_000,), ira=(20_000,), ss=(24_000,),
             taxable_ss=20_400, interest=5_000)
    )
    assert r.agi == pytest.approx(13_890)
    assert r.tax == pytest.approx(389.20, abs=0.005)


def test_kentucky_2026_joint_combined_separate_is_lower():
    # Interest 4,000 split 2,000 / 2,000. Kentucky AGI: 30,000 + 10,000 + 2,000 - 31,110
    # = 10,890 and 2,000 wages + 2,000 = 4,000. Joint: (14,890 - 3,360) x 3.5% = 403.55 - 40
    # = 363.55. Separate on a combined return: (10,890 - 3,360) x 3.5% = 263.55 and
    # (4,000 - 3,360) x 3.5% = 22.40; credit 40 (first spouse, 67): 245.95 (the lower).
    r = compute_state_tax(
        _inp("KY", 2026, (67, 60), pensions=(30_000, 0), ira=(10_000, 0), wages=(0, 2_000),
             ss=(25_000, 0), interest=4_000)
    )
    assert r.tax == pytest.approx(245.95, abs=0.005)


def test_kentucky_indexing_2027():
    # Standard deduction 3,360 x 1.025 = 3,444 -> nearest $10: 3,440; the rate stays 3.5%.
    r = state_rules("KY", 2027, 0.025)
    assert r["standard_deduction"]["amount"] == 3_440
    assert r["rate"]["flat"] == 0.035
    assert r["pension_exclusion"]["cap"] == 31_110


# ---------------------------------------------------------------------------------- Alabama


def test_alabama_2024_single_defined_benefit_and_federal_deduction():
    # Federal: SS 24,000 with other income 38,000: provisional 50,000 -> taxable SS
    # min(20,400, 85% x 16,000 + 4,500) = 18,100; AGI 56,100; taxable 56,100 - 16,550
    # = 39,550; tax 1,160 + 12% x 27,950 = 4,514. Alabama AGI: 56,100 - SS 18,100 - pension
    # 20,000 (defined benefit, exempt) - IRA 6,000 (65+ exclusion) = 12,000. Taxable 12,000
    # - 3,000 standard - 1,500 exemption - 4,514 federal tax = 2,986. Tax 500 x 2% = 10
    # + 2,486 x 4% = 99.44 -> 109.44.
    r = compute_state_tax(
        _inp("AL", 2024, (70,), pensions=(20_000,), ira=(15_000,), ss=(24_000,),
             taxable_ss=18_100, interest=3_000)
    )
    assert r.agi == pytest.approx(12_000)
    assert r.taxable_income == pytest.approx(2_986)
    assert r.tax == pytest.approx(109.44, abs=0.005)


def test_alabama_2025_joint_payroll_tax_deduction():
    # Federal AGI 120,000 + 10,000 + 2,000 = 132,000 (under 65: no exclusion). Standard
    # deduction at the 5,000 floor; employee FICA 6.2% x 120,000 + 1.45% x 120,000 = 9,180 is
    # larger. Federal tax 2025: 132,000 - 31,500 = 100,500; 2,385 + 12% x 73,100 + 22% x 3,550
    # = 11,938. Alabama taxable 132,000 - 9,180 - 3,000 - 11,938 = 107,882.
    # Tax 20 + 200 + 5% x 101,882 = 5,314.10.
    r = compute_state_tax(
        _inp("AL", 2025, (55, 58), wages=(120_000, 0), ira=(0, 10_000), interest=2_000)
    )
    assert r.taxable_income == pytest.approx(107_882)
    assert r.tax == pytest.approx(5_314.10, abs=0.005)


def test_alabama_indexing_2027():
    # Statutory dollar figures stay; the Social Security wage base follows wages (here the
    # scenario's inflation): 184,500 x 1.025 = 189,112.5 -> nearest $300: 189,000.
    r = state_rules("AL", 2027, 0.025)
    assert r["standard_deduction"]["max_mfj"] == 8_500
    assert r["retirement"]["cap"] == 6_000
    assert r["payroll_tax_deduction"]["wage_base"] == 189_000


# ----------------------------------------------------------------------------------- Oregon


def test_oregon_2024_single_federal_tax_subtraction():
    # Federal: other income 32,000, SS 24,000: provisional 44,000 -> taxable SS
    # min(20,400, 85% x 10,000 + 4,500) = 13,000; AGI 45,000; taxable 45,000 - 16,550
    # = 28,450; tax 1,160 + 12% x 16,850 = 3,182 (under the 8,250 cap). Oregon income 45,000
    # - 13,000 - 3,182 = 28,818; deduction 2,745 + 1,200 = 3,945; taxable 24,873.
    # Tax 204.25 + 435.375 + 14,123 x 8.75% = 1,235.7625 -> 1,875.3875; exemption credit 249;
    # retirement income credit: base 7,500 less 24,000 of benefits -> 0. Tax 1,626.3875.
    r = compute_state_tax(
        _inp("OR", 2024, (70,), pensions=(20_000,), ira=(10_000,), ss=(24_000,),
             taxable_ss=13_000, interest=2_000)
    )
    assert r.taxable_income == pytest.approx(24_873)
    assert r.tax == pytest.approx(1_626.3875, abs=0.005)


def test_oregon_2025_joint_retirement_income_credit():
    # Federal AGI 30,000 IRA + 3,000 = 33,000; federal deduction 31,500 + 1,600 + 6,000 senior
    # > AGI: no federal tax. Oregon taxable 33,000 - (5,670 + 1,000) = 26,330. Tax 418
    # + 13,400 x 6.75% = 904.50 + 4,130 x 8.75% = 361.375 -> 1,683.875. Credits: exemptions
    # 2 x 256 = 512; retirement income (spouse 66): base 15,000 - 0 benefits - (33,000 - 30,000)
    # = 12,000; 9% x min(30,000, 12,000) = 1,080. Tax 91.875.
    r = compute_state_tax(_inp("OR", 2025, (66, 64), ira=(30_000, 0), interest=3_000))
    assert r.taxable_income == pytest.approx(26_330)
    assert r.tax == pytest.approx(91.875, abs=0.005)


def test_oregon_indexing_2027():
    # Standard deduction 2,895 x 1.025 = 2,967.4 -> down to $5: 2,965; exemption credit
    # 261 x 1.025 = 267.5 -> 267; the 9.9% band start stays 125,000.
    r = state_rules("OR", 2027, 0.025)
    assert r["standard_deduction"]["single"] == 2_965
    assert r["exemption_credit"]["amount"] == 267
    assert r["brackets"]["top_single"] == 125_000
