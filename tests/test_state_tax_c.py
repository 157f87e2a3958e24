"""Hand-checked state income tax: NJ, AZ, IN, MA, VA, CO, MD, MO, WI (part C).

Each figure is worked from the state's form instructions; the arithmetic is in the comments.
"""

from __future__ import annotations

import pytest

from planner.state_tax import StateTaxInput, compute_state_tax, state_rules
from tests.state_inputs import state_input

_inp = state_input


# ------------------------------------------------------------------------------- New Jersey


def _nj_single_retiree(year: int) -> StateTaxInput:
    return _inp(
        "NJ",
        year,
        (70,),
        pensions=(60_000,),
        ira=(30_000,),
        interest=5_000,
        ss=(30_000,),
        taxable_ss=25_500,
    )


def test_new_jersey_2024_pension_and_other_retirement_exclusion():
    # Line 27 total income 60,000 + 30,000 + 5,000 = 95,000 (Social Security not income).
    # At most 100,000: 100% and the single cap 75,000. Line 28a: min(90,000, 75,000) = 75,000.
    # Line 28b (no wages): min(95,000, 75,000) = 75,000, nothing unclaimed: exclusion 75,000.
    # NJ gross income 20,000 > 10,000; exemptions 1,000 + 1,000 (65+) = 2,000; taxable 18,000.
    # Tax 1.4% x 18,000 = 252.00.
    r = compute_state_tax(_nj_single_retiree(2024))
    assert r.agi == pytest.approx(20_000)
    assert r.tax == pytest.approx(252.00)


def test_new_jersey_2025_joint_partial_exclusion_with_wages():
    # Total income 50,000 + 40,000 + 10,000 wages + 12,000 dividends = 112,000: joint 50%.
    # Only the 66-year-old's IRA counts: 50% x 50,000 = 25,000. Wages 10,000 > 3,000: no
    # line 28b. NJ gross income 87,000; exemptions 2 x 1,000 + 1,000 = 3,000; taxable 84,000.
    # Joint schedule: 280 + 525 + 490 + 350 + 5.525% x 4,000 (221) = 1,866.00.
    inp = _inp("NJ", 2025, (66, 60), ira=(50_000, 40_000), wages=(0, 10_000), dividends=12_000)
    r = compute_state_tax(inp)
    assert r.agi == pytest.approx(87_000)
    assert r.tax == pytest.approx(1_866.00)


def test_new_jersey_2030_not_indexed():
    assert state_rules("NJ", 2030)["brackets"] == state_rules("NJ", 2026)["brackets"]
    assert compute_state_tax(_nj_single_retiree(2030)).tax == pytest.approx(252.00)


# ---------------------------------------------------------------------------------- Arizona


def test_arizona_2024_retiree_ss_gain_subtraction():
    # Federal AGI 40,000 + 10,000 + 20,400 taxable SS + 8,000 gain + 2,000 = 80,400.
    # Less SS 20,400 and 25% x 8,000 = 2,000: 58,000; less the 65+ exemption 2,100: 55,900.
    # Standard deduction 14,600: taxable 41,300 x 2.5% = 1,032.50.
    inp = _inp(
        "AZ",
        2024,
        (70,),
        ira=(40_000,),
        pensions=(10_000,),
        taxable_ss=20_400,
        gains=8_000,
        interest=2_000,
    )
    assert compute_state_tax(inp).tax == pytest.approx(1_032.50)


def test_arizona_2025_senior_deduction_subtracted():
    # Federal AGI 60,000 + 30,000 + 30,000 + 10,000 = 130,000 < 150,000: senior deduction
    # 6,000 each = 12,000. AZ AGI 130,000 - 30,000 - 12,000 - 2 x 2,100 = 83,800.
    # Standard deduction 31,500: taxable 52,300 x 2.5% = 1,307.50.
    inp = _inp("AZ", 2025, (67, 66), ira=(60_000, 30_000), taxable_ss=30_000, interest=10_000)
    r = compute_state_tax(inp)
    assert r.agi == pytest.approx(83_800)
    assert r.tax == pytest.approx(1_307.50)
    # 2030: no senior deduction (2025-2028 only); standard deduction 16,100 x 1.025^4 =
    # 17,771.6, down to 17,750, joint 35,500. AZ AGI 130,000 - 30,000 - 4,200 = 95,800;
    # taxable 60,300 x 2.5% = 1,507.50.
    later = compute_state_tax(
        _inp("AZ", 2030, (67, 66), ira=(60_000, 30_000), taxable_ss=30_000, interest=10_000)
    )
    assert state_rules("AZ", 2030)["standard_deduction"]["mfj"] == 35_500
    assert later.tax == pytest.approx(1_507.50)


# ---------------------------------------------------------------------------------- Indiana


def _in_single(year: int) -> StateTaxInput:
    return _inp(
        "IN", year, (70,), pensions=(30_000,), ira=(10_000,), taxable_ss=12_000, interest=3_000
    )


def test_indiana_2024_social_security_deducted():
    # Federal AGI 55,000; Indiana AGI 55,000 - 12,000 = 43,000. Exemptions 1,000 + 1,000 (65+);
    # AGI not under 40,000 so no extra 500. 41,000 x 3.05% = 1,250.50.
    assert compute_state_tax(_in_single(2024)).tax == pytest.approx(1_250.50)


def test_indiana_2026_low_income_aged_exemption():
    # Federal AGI 20,000 + 10,000 + 5,000 = 35,000 < 40,000: exemptions 2 x 1,000 + 2 x 1,000
    # + 2 x 500 = 5,000. Indiana AGI 30,000 - 5,000 = 25,000 x 2.95% = 737.50.
    inp = _inp("IN", 2026, (68, 66), ira=(20_000, 10_000), taxable_ss=5_000)
    assert compute_state_tax(inp).tax == pytest.approx(737.50)


def test_indiana_2030_rate_scheduled():
    # 2.9% from 2027 (IC 6-3-2-1): 41,000 x 2.9% = 1,189.00.
    assert compute_state_tax(_in_single(2030)).tax == pytest.approx(1_189.00)


# ---------------------------------------------------------------------------- Massachusetts


def test_massachusetts_2024_retiree_parts_a_b_c():
    # Part B 40,000 + 10,000 + 2,000 interest = 52,000 less exemptions 4,400 + 700 = 46,900;
    # Part A dividends 3,000; Part C gain 5,000; Social Security exempt.
    # (46,900 + 3,000 + 5,000) x 5% = 2,745.00.
    inp = _inp(
        "MA",
        2024,
        (70,),
        pensions=(40_000,),
        ira=(10_000,),
        interest=2_000,
        dividends=3_000,
        gains=5_000,
        ss=(20_000,),
        taxable_ss=17_000,
    )
    assert compute_state_tax(inp).tax == pytest.approx(2_745.00)


def test_massachusetts_2025_fica_deduction_and_loss_against_dividends():
    # Part B 30,000 + 20,000 = 50,000 less FICA 7.65% x 20,000 = 1,530 less exemptions
    # 8,800 + 700 = 9,500: 38,970. Part A 1,500 dividends less the 3,000 loss (up to 2,000 and
    # the dividends): 0. 38,970 x 5% = 1,948.50.
    inp = _inp(
        "MA", 2025, (66, 64), ira=(30_000, 0), wages=(0, 20_000), dividends=1_500, gains=-3_000
    )
    assert compute_state_tax(inp).tax == pytest.approx(1_948.50)


def test_massachusetts_limited_income_credit_and_2030_surtax_threshold():
    # MA AGI 10,000: over 8,000 but at most 1.75 x 8,000 = 14,000. Tax (10,000 - 5,100) x 5% =
    # 245, limited to 10% x (10,000 - 8,000) = 200.00.
    assert compute_state_tax(_inp("MA", 2024, (70,), ira=(10_000,))).tax == pytest.approx(200.0)
    # 1,107,800 x 1.025^4 = 1,222,801.5, nearest 50: 1,222,800.
    assert state_rules("MA", 2030)["surtax"]["threshold"] == 1_222_800


# ---------------------------------------------------------------------------------- Virginia


def test_virginia_2024_age_deduction_phased_out():
    # Federal AGI 50,000 + 10,000 + 20,000 + 5,000 = 85,000; adjusted federal AGI (less taxable
    # SS) 65,000 exceeds 50,000 by 15,000 > 12,000: no age deduction. VAGI 65,000; taxable
    # 65,000 - 8,500 - 930 - 800 = 54,770. Tax 60 + 60 + 600 + 5.75% x 37,770 = 2,891.775.
    inp = _inp(
        "VA", 2024, (70,), ira=(50_000,), pensions=(10_000,), taxable_ss=20_000, interest=5_000
    )
    assert compute_state_tax(inp).tax == pytest.approx(2_891.775)


def test_virginia_2025_couple_full_age_deduction_and_spouse_adjustment():
    # Born 1937 (88): full 12,000; the 70-year-old: adjusted federal AGI 79,000 - 25,000 =
    # 54,000 < 75,000: full 12,000. VAGI 79,000 - 25,000 - 24,000 = 30,000; taxable 30,000 -
    # 17,500 - 2 x 930 - 2 x 800 = 9,040; tax 60 + 60 + 5% x 4,040 = 322.
    # Spouse adjustment: separate incomes 20,000 + 2,000 - 12,000 - 1,730 = 8,270 and
    # 30,000 + 2,000 - 12,000 - 1,730 = 18,270. min(t(8,270) 283.50, t(4,520) 105.60) +
    # max(t(770) 15.40, t(4,520) 105.60) = 211.20; adjustment 322 - 211.20 = 110.80; 211.20.
    inp = _inp("VA", 2025, (88, 70), ira=(20_000, 30_000), taxable_ss=25_000, interest=4_000)
    r = compute_state_tax(inp)
    assert r.agi == pytest.approx(30_000)
    assert r.tax == pytest.approx(211.20)


def test_virginia_low_income_credit_and_2030():
    # 2025, 60, VAGI 15,000 (at least the 11,950 filing threshold, at most the 15,650 poverty
    # guideline): tax on 15,000 - 8,750 - 930 = 5,320 is 136, less the 300 credit: 0.
    assert compute_state_tax(_inp("VA", 2025, (60,), ira=(15_000,))).tax == 0.0
    # 2030: the statute's $3,000 standard deduction (after 2026); poverty guideline
    # 15,960 x 1.025^4 = 17,617.
    rules = state_rules("VA", 2030)
    assert rules["standard_deduction"]["single"] == 3_000
    assert state_rules("VA", 2026)["standard_deduction"]["single"] == 8_750
    assert rules["low_income_credit"]["poverty_one"] == 17_620


# ---------------------------------------------------------------------------------- Colorado


def test_colorado_2024_social_security_and_pension_subtraction():
    # Federal taxable income 50,000 - 14,600 - 1,950 = 33,450. 65+: all 18,000 of taxable SS,
    # then pensions up to 24,000 - 18,000 = 6,000. Taxable 9,450 x 4.25% = 401.625.
    inp = _inp(
        "CO",
        2024,
        (70,),
        pensions=(20_000,),
        ira=(10_000,),
        ss=(21_000,),
        taxable_ss=18_000,
        interest=2_000,
        fti=33_450,
    )
    assert compute_state_tax(inp).tax == pytest.approx(401.625)


def test_colorado_55_to_64_social_security_2024_vs_2025():
    # 63, taxable SS 25,000, IRA 20,000, AGI 45,000. 2024: SS subtraction capped at 20,000,
    # nothing left for the IRA: 30,400 - 20,000 = 10,400 x 4.25% = 442.00. 2025: AGI at most
    # 75,000, all 25,000 subtracted: 29,250 - 25,000 = 4,250 x 4.4% = 187.00.
    a = _inp("CO", 2024, (63,), ira=(20_000,), ss=(30_000,), taxable_ss=25_000, fti=30_400)
    b = _inp("CO", 2025, (63,), ira=(20_000,), ss=(30_000,), taxable_ss=25_000, fti=29_250)
    assert compute_state_tax(a).tax == pytest.approx(442.00)
    assert compute_state_tax(b).tax == pytest.approx(187.00)


def test_colorado_2026_addback_and_2030():
    # AGI 400,000 (>= 300,000): add back the deduction 16,100 + 2,050 = 18,150 less 1,000 =
    # 17,150. Pension subtraction 24,000. 381,850 + 17,150 - 24,000 = 375,000 x 4.4% = 16,500.
    inp = _inp("CO", 2026, (66,), ira=(400_000,), fti=381_850)
    assert compute_state_tax(inp).tax == pytest.approx(16_500.00)
    assert state_rules("CO", 2030)["pension_subtraction"]["older_cap"] == 24_000


# ---------------------------------------------------------------------------------- Maryland


def test_maryland_2024_pension_exclusion_less_social_security():
    # Federal AGI 60,000 + 30,000 + 17,000 + 3,000 = 110,000. Exclusion min(60,000, 39,500 -
    # 20,000 benefits) = 19,500. MD AGI 110,000 - 17,000 - 19,500 = 73,500. Deduction 15%
    # capped at 2,700; exemption 1,600 (federal AGI over 100,000) + 1,000 (65+). Taxable 68,200:
    # 20 + 30 + 40 + 4.75% x 65,200 = 3,187.00. No senior credit (federal AGI >= 100,000).
    inp = _inp(
        "MD",
        2024,
        (70,),
        pensions=(60_000,),
        ira=(30_000,),
        ss=(20_000,),
        taxable_ss=17_000,
        interest=3_000,
    )
    r = compute_state_tax(inp)
    assert r.agi == pytest.approx(73_500)
    assert r.tax == pytest.approx(3_187.00)


def test_maryland_2025_couple_two_income_and_senior_credit():
    # Federal AGI 30,000 + 5,000 + 30,000 + 4,000 = 69,000. Exclusions min(20,000, 41,200 -
    # 30,000) = 11,200 and min(10,000, 41,200 - 15,000) = 10,000. Two-income: incomes 15,800
    # and 2,000 (2,000 interest each): 1,200. MD AGI 69,000 - 30,000 - 21,200 - 1,200 = 16,600;
    # taxable 16,600 - 6,700 - 2 x 3,200 - 2 x 1,000 = 1,500: tax 35, less the 1,750 senior
    # credit: 0.
    inp = _inp(
        "MD",
        2025,
        (67, 66),
        pensions=(20_000, 10_000),
        ira=(5_000, 0),
        ss=(30_000, 15_000),
        taxable_ss=30_000,
        interest=4_000,
    )
    r = compute_state_tax(inp)
    assert r.agi == pytest.approx(16_600)
    assert r.tax == 0.0


def test_maryland_2025_capital_gains_surtax_and_2030():
    # MD AGI 400,000; taxable 400,000 - 3,350 - 1,000 (no personal exemption over 150,000) =
    # 395,650: 90 + 4,607.50 + 1,250 + 1,312.50 + 5,500 + 5.75% x 145,650 (8,374.875) =
    # 21,134.875; surtax 2% x 300,000 = 6,000: 27,134.875.
    inp = _inp("MD", 2025, (66,), ira=(100_000,), gains=300_000)
    assert compute_state_tax(inp).tax == pytest.approx(27_134.875)
    # 2030: cap 40,600 x 1.025^4 = 44,815 -> 44,800; deduction 3,400 x 1.025^4 -> 3,750.
    rules = state_rules("MD", 2030)
    assert rules["pension_exclusion"]["cap"] == 44_800
    assert rules["standard_deduction"]["single_max"] == 3_750


# ---------------------------------------------------------------------------------- Missouri


def test_missouri_2024_social_security_and_federal_tax_deduction():
    # Federal: provisional 35,000 + 12,000 = 47,000: taxable SS 4,500 + 0.85 x 13,000 = 15,550;
    # AGI 50,550; taxable 50,550 - 14,600 - 1,950 = 34,000; tax 1,160 + 12% x 22,400 = 3,848.
    # Missouri AGI 50,550 (over 50,000): 15% x 3,848 = 577.20. SS deduction 15,550 (62+).
    # Private pension 6,000 less (50,550 - 15,550 - 25,000 = 10,000): 0.
    # Taxable 50,550 - 16,550 - 577.20 - 15,550 = 17,872.80. Chart: 25.46 + 31.825 + 38.19 +
    # 44.555 + 50.92 + 57.285 = 248.235, + 4.8% x 8,961.80 = 430.1664: 678.4014.
    inp = _inp(
        "MO",
        2024,
        (70,),
        pensions=(20_000,),
        ira=(10_000,),
        ss=(24_000,),
        taxable_ss=15_550,
        interest=5_000,
    )
    assert compute_state_tax(inp).tax == pytest.approx(678.4014)


def test_missouri_2025_couple_pension_deduction_and_split():
    # Federal AGI 40,000; taxable 40,000 - 31,500 - 1,600 - 6,000 (senior) = 900: tax 90.
    # Missouri AGI 40,000: 25% x 90 = 22.50. Pensions min(6,000, 25,000) + min(6,000, 13,000)
    # = 12,000 less (40,000 - 32,000) = 4,000. Taxable 40,000 - 33,100 - 22.50 - 4,000 =
    # 2,877.50, split 26,000 : 14,000 (interest halved): 1,870.375 and 1,007.125.
    # 2% x (1,870.375 - 1,313) = 11.1475; the other share is in the 0% band.
    inp = _inp("MO", 2025, (66, 64), pensions=(25_000, 0), ira=(0, 13_000), interest=2_000)
    assert compute_state_tax(inp).tax == pytest.approx(11.1475)


def test_missouri_2025_capital_gain_subtraction_and_2030():
    # Missouri AGI 80,000 - 50,000 gain = 30,000. Federal taxable 80,000 - 15,750 - 2,000 -
    # 5,700 (senior, 6,000 - 6% x 5,000) = 56,550: 10% x 6,550 + 15% x (50,000 - 41,800) =
    # 655 + 1,230 = 1,885; 25% of it: 471.25. Pension 6,000 less 5,000: 1,000.
    # Taxable 30,000 - 17,750 - 471.25 - 1,000 = 10,778.75: 256.035 + 4.7% x 1,587.75 =
    # 330.65925.
    inp = _inp("MO", 2025, (70,), ira=(30_000,), gains=50_000)
    assert compute_state_tax(inp).tax == pytest.approx(330.65925)
    # 9,436 x 1.025^4 = 10,415.6 -> 10,416.
    assert state_rules("MO", 2030)["brackets"]["floors"][-1] == 10_416


# --------------------------------------------------------------------------------- Wisconsin


def test_wisconsin_2024_sliding_deduction_and_capital_gain_exclusion():
    # WI AGI 68,000 - 15,000 SS - 30% x 10,000 = 50,000. Deduction 13,230 - 12% x 30,930 =
    # 9,518.40; exemptions 700 + 250. Taxable 39,531.60: 501.20 + 630.08 + 5.3% x 10,891.60
    # (577.2548) = 1,708.5348.
    inp = _inp("WI", 2024, (70,), ira=(40_000,), taxable_ss=15_000, interest=3_000, gains=10_000)
    assert compute_state_tax(inp).tax == pytest.approx(1_708.5348)


def test_wisconsin_2025_retirement_income_exclusion_elected():
    # Standard: WI AGI 100,000; deduction 25,110 - 0.19778 x 71,790 = 10,911.3738; taxable
    # 87,188.6262: 685.30 + 2,099.68 + 5.3% x 19,888.6262 = 3,839.0772.
    # Exclusion (only the 68-year-old): 24,000. AGI 76,000; deduction 25,110 - 0.19778 x
    # 47,790 = 15,658.0938; taxable 58,441.9062: 685.30 + 4.4% x 38,861.9062 = 2,395.2239.
    inp = _inp("WI", 2025, (68, 65), ira=(60_000, 40_000), taxable_ss=30_000)
    assert compute_state_tax(inp).tax == pytest.approx(2_395.2239)
    # 2030: 15,110 x 1.025^4 = 16,678.6 -> 16,680 (nearest $10).
    assert state_rules("WI", 2030)["brackets"]["single"][1] == 16_680
