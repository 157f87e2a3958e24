"""Hand-checked state income tax: Utah, Iowa, Arkansas, Kansas, Mississippi, New Mexico,
Nebraska, Idaho, West Virginia (part E).

Each figure is worked from the state's form instructions; the arithmetic is in the comments.
"""

from __future__ import annotations

import pytest

from planner.state_tax import compute_state_tax, state_rules
from tests.state_inputs import state_input

STATES_E = ("UT", "IA", "AR", "KS", "MS", "NM", "NE", "ID", "WV")


_inp = state_input


# -------------------------------------------------------------------------------------- Utah


def test_utah_2024_single_social_security_credit():
    # AGI 30,000 + 10,000 + 8,000 taxable SS = 48,000 = Utah taxable income; x 4.55% = 2,184.
    # Taxpayer credit: 6% x (14,600 + 1,950) = 993 less 1.3% x (48,000 - 17,652) = 394.524
    # -> 598.476; 2,184 - 598.476 = 1,585.524. Born 1954: no retirement credit. SS credit:
    # 8,000 x 4.55% = 364 less 2.5% x (48,000 - 45,000) = 75 -> 289. Tax 1,296.524.
    r = compute_state_tax(_inp("UT", 2024, (70,), pensions=(30_000,), ira=(10_000,),
                               ss=(20_000,), taxable_ss=8_000))
    assert r.taxable_income == pytest.approx(48_000)
    assert r.tax == pytest.approx(1_296.524, abs=0.005)


def test_utah_2025_couple_born_before_1953():
    # AGI 80,000 + 12,000 = 92,000; x 4.5% = 4,140. Taxpayer credit 6% x (31,500 + 2 x 1,600)
    # = 2,082 less 1.3% x (92,000 - 36,426) = 722.462 -> 1,359.538; left 2,780.462.
    # Retirement credit (born 1950, 1952): 900 - 2.5% x (92,000 - 32,000) < 0 -> 0.
    # SS credit: 12,000 x 4.5% = 540 - 2.5% x (92,000 - 90,000) = 50 -> 490 (the larger).
    # Tax 2,780.462 - 490 = 2,290.462.
    r = compute_state_tax(_inp("UT", 2025, (75, 73), ira=(80_000, 0), ss=(30_000, 0),
                               taxable_ss=12_000))
    assert r.tax == pytest.approx(2_290.462, abs=0.005)


# -------------------------------------------------------------------------------------- Iowa


def test_iowa_2024_retirement_exclusion_at_55():
    # AGI 50,000 + 20,000 + 5,000 = 75,000; federal taxable income 75,000 - 14,600 = 60,400;
    # the IRA of a 60-year-old is excluded: Iowa taxable 40,400. Tax 4.4% x 6,210 = 273.24
    # + 4.82% x 24,840 = 1,197.288 + 5.7% x 9,350 = 532.95 = 2,003.478; less the $40 credit
    # = 1,963.478 (net income 55,000: no low-income relief).
    r = compute_state_tax(_inp("IA", 2024, (60,), wages=(50_000,), ira=(20_000,),
                               interest=5_000))
    assert r.taxable_income == pytest.approx(40_400)
    assert r.tax == pytest.approx(1_963.478, abs=0.005)


def test_iowa_2025_couple_ss_and_senior_deduction():
    # AGI 30,000 + 25,000 + 30,000 + 20,000 + 20,000 SS = 125,000. Federal deduction 31,500 +
    # 1,600 (one 65+) + senior 6,000 (AGI under 150,000) = 39,100: federal taxable 85,900.
    # Iowa subtracts SS 20,000 and the pension/IRA of both (67, 64 >= 55) 55,000: 10,900 x 3.8%
    # = 414.20 (alternate tax (50,000 - 32,000) x 4.3% = 774 is more). Credits 2 x 40 + 20 = 100:
    # tax 314.20.
    r = compute_state_tax(_inp("IA", 2025, (67, 64), pensions=(30_000, 0), ira=(0, 25_000),
                               ss=(30_000, 0), taxable_ss=20_000, dividends=30_000,
                               gains=20_000))
    assert r.taxable_income == pytest.approx(10_900)
    assert r.tax == pytest.approx(314.20, abs=0.005)


# ---------------------------------------------------------------------------------- Arkansas


def test_arkansas_2024_single_retirement_exclusion():
    # Gross income 20,000 + 10,000 + 5,000 = 35,000 (SS exempt); retirement exclusion 6,000
    # (66: pension and IRA): AGI 29,000 (over the low-income table's 17,000). Net taxable
    # 29,000 - 2,410 = 26,590. Table row 26,500-26,599, midpoint 26,549.5: 3.9% x 26,549.5 =
    # 1,035.4305 - 409.86 = 625.57 -> 626. Credits: personal 2 x 29 = 58; qualified individual
    # 60 - 5 x ceil(790 / 100) = 20. Tax 626 - 78 = 548.
    r = compute_state_tax(_inp("AR", 2024, (66,), pensions=(20_000,), ira=(10_000,),
                               ss=(20_000,), taxable_ss=12_000, interest=5_000))
    assert r.agi == pytest.approx(29_000)
    assert r.taxable_income == pytest.approx(26_590)
    assert r.tax == pytest.approx(548.0)


def test_arkansas_2025_couple_files_separately():
    # A (70): IRA 3,000 (excluded); interest 40,000 and half the 10,000 gain (5,000) split
    # equally. Jointly: AGI 48,000 - 3,000 = 45,000, taxable 40,060; row midpoint 40,049.5 x 3.9%
    # - 419.96 = 1,141.97 -> 1,142; no qualified credit (120 - 10 x 136 < 0).
    # Separately: each column 22,500 (A 3,000 + 20,000 + 2,500 - 3,000; B 20,000 + 2,500),
    # taxable 20,030: row midpoint 20,049.5 x 3.4% - 287.97 = 393.71 -> 394 each, 788, and a
    # $60 qualified credit each: 788 - 120 = 668 < 1,142, so separately. Personal credits:
    # A 2 x 29, B (68, no retirement income) 3 x 29: 145. Tax 788 - 145 - 120 = 523.
    r = compute_state_tax(_inp("AR", 2025, (70, 68), ira=(3_000, 0), interest=40_000,
                               gains=10_000))
    assert r.taxable_income == pytest.approx(40_060)
    assert r.tax == pytest.approx(523.0)


# ------------------------------------------------------------------------------------ Kansas


def test_kansas_2024_social_security_exempt():
    # AGI 30,000 + 20,000 + 18,000 SS + 2,000 = 70,000; Kansas AGI 52,000; standard deduction
    # 3,605 + 850 (65+) and exemption 9,160: taxable 38,385. 5.2% x 23,000 = 1,196 + 5.58% x
    # 15,385 = 858.483: 2,054.483.
    r = compute_state_tax(_inp("KS", 2024, (70,), pensions=(30_000,), ira=(20_000,),
                               ss=(30_000,), taxable_ss=18_000, interest=2_000))
    assert r.taxable_income == pytest.approx(38_385)
    assert r.tax == pytest.approx(2_054.483, abs=0.005)


def test_kansas_food_sales_tax_credit_2024_only():
    # Pension 25,000 = AGI (<= 30,615, filer 55+). Taxable 25,000 - 4,455 - 9,160 = 11,385;
    # 5.2% = 592.02. 2024: less $125 food sales tax credit = 467.02; 2025: repealed, 592.02.
    kw = dict(pensions=(25_000.0,))
    assert compute_state_tax(_inp("KS", 2024, (66,), **kw)).tax == pytest.approx(467.02)
    assert compute_state_tax(_inp("KS", 2025, (66,), **kw)).tax == pytest.approx(592.02)


# ------------------------------------------------------------------------------- Mississippi


def test_mississippi_2024_retirement_income_exempt():
    # Wages 40,000 + interest 5,000 = MS AGI 45,000 (IRA at 62 and pension exempt). Deduction
    # 2,300 + exemption 6,000: taxable 36,700; 4.7% x (36,700 - 10,000) = 1,254.90.
    r = compute_state_tax(_inp("MS", 2024, (62,), wages=(40_000,), ira=(30_000,),
                               pensions=(10_000,), interest=5_000))
    assert r.taxable_income == pytest.approx(36_700)
    assert r.tax == pytest.approx(1_254.90, abs=0.005)


def test_mississippi_2025_early_distribution_and_columns():
    # Spouse A 58 (born July, not 59 1/2): IRA 20,000 taxable + wages 5,000 + half the interest
    # 4,000 = 29,000. Spouse B 66: pension and SS exempt, interest 4,000. Allowance 4,600 +
    # 12,000 + 1,500 (B 65+) = 18,100, all to A: 10,900, tax 4.4% x 900 = 39.60; B's 4,000 is
    # in its own $10,000 zero bracket. (Putting any of it on B makes B's column negative and
    # the columns are then combined: 4.4% x 4,900 = 215.60, worse.)
    r = compute_state_tax(_inp("MS", 2025, (58, 66), months=(7, 1), ira=(20_000, 0),
                               wages=(5_000, 0), pensions=(0, 30_000), ss=(0, 20_000),
                               taxable_ss=10_000, interest=8_000))
    assert r.tax == pytest.approx(39.60, abs=0.005)


# -------------------------------------------------------------------------------- New Mexico


def test_new_mexico_2024_low_income_and_medical():
    # AGI 20,000 + 5,000 + 10,000 SS = 35,000. Deductions: 14,600 + 1,950 and the medical care
    # deduction 15% (AGI over 15,000, not over 35,000) x 12 x 174.70 = 314.46. Exemptions: SS
    # 10,000; 65+ exemption none (AGI over 28,500); low/middle income 2,500 - 15% x 15,000 =
    # 250. Taxable 35,000 - 16,550 - 314.46 - 10,000 - 250 = 7,885.54. Tax 1.7% x 5,500 = 93.50
    # + 3.2% x 2,385.54 = 76.33728: 169.83728.
    r = compute_state_tax(_inp("NM", 2024, (67,), pensions=(20_000,), ira=(5_000,),
                               ss=(20_000,), taxable_ss=10_000))
    assert r.taxable_income == pytest.approx(7_885.54)
    assert r.tax == pytest.approx(169.83728, abs=0.005)


def test_new_mexico_2025_capital_gain_deduction():
    # AGI 40,000 + 10,000 + 20,000 = 70,000. Deductions 31,500 + 2 x 1,600 = 34,700 and the
    # capital gain deduction min(10,000, 2,500) = 2,500; SS exempt (AGI <= 150,000) 20,000; no
    # 65+ exemption (over 51,000), no low/middle (over 55,000). Taxable 12,800: 1.5% x 8,000 =
    # 120 + 3.2% x 4,800 = 153.60: 273.60.
    r = compute_state_tax(_inp("NM", 2025, (70, 68), ira=(40_000, 0), gains=10_000,
                               ss=(25_000, 0), taxable_ss=20_000))
    assert r.taxable_income == pytest.approx(12_800)
    assert r.tax == pytest.approx(273.60, abs=0.005)


# ---------------------------------------------------------------------------------- Nebraska


def test_nebraska_2024_retiree():
    # AGI 30,000 + 20,000 + 15,000 SS + 5,000 = 70,000; Nebraska AGI 55,000 (SS exempt);
    # deduction min(8,350, 14,600) + 1,950 = 10,300: taxable 44,700. Tax 2.46% x 3,900 = 95.94
    # + 3.51% x 19,470 = 683.397 + 5.01% x 14,300 = 716.43 + 5.84% x 7,030 = 410.552 =
    # 1,906.319; less the $166 credit = 1,740.319 (federal tax, 6,812, is more).
    r = compute_state_tax(_inp("NE", 2024, (67,), pensions=(30_000,), ira=(20_000,),
                               ss=(25_000,), taxable_ss=15_000, interest=5_000))
    assert r.taxable_income == pytest.approx(44_700)
    assert r.tax == pytest.approx(1_740.319, abs=0.005)


def test_nebraska_2025_limited_to_federal_tax():
    # Dividends 40,000, SS 20,000 (taxable 17,000: Pub. 915, 85% cap): AGI 57,000; Nebraska AGI
    # 40,000 - (8,600 + 2,000) = 29,400 taxable: 99.138 + 705.159 + 264.528 = 1,068.825 - 171
    # = 897.825. Federal: deduction 15,750 + 2,000 + 6,000 senior = 23,750, taxable 33,250, all
    # qualified dividends in the 0% band: federal tax 0, so Nebraska's is 0 (Federal Tax
    # Liability Worksheet; adjustments are only subtractions).
    r = compute_state_tax(_inp("NE", 2025, (70,), dividends=40_000, ss=(20_000,),
                               taxable_ss=17_000))
    assert r.taxable_income == pytest.approx(29_400)
    assert r.tax == 0.0


# ------------------------------------------------------------------------------------- Idaho


def test_idaho_2024_medicare_premium_and_building_fund():
    # AGI 40,000 + 10,000 + 12,000 SS = 62,000; Idaho AGI 62,000 - 12,000 - 12 x 174.70 =
    # 47,903.60; deduction 14,600 + 1,950: taxable 31,353.60. 5.695% x (31,353.60 - 4,673) =
    # 1,519.4602; + $10 building fund tax = 1,529.4602.
    r = compute_state_tax(_inp("ID", 2024, (66,), pensions=(40_000,), ira=(10_000,),
                               ss=(20_000,), taxable_ss=12_000))
    assert r.agi == pytest.approx(47_903.60)
    assert r.tax == pytest.approx(1_529.4602, abs=0.005)


def test_idaho_2025_senior_deduction_phase_out():
    # AGI 100,000 + 50,000 + 20,000 = 170,000; Idaho AGI 170,000 - 20,000 - 12 x 185 = 147,780.
    # Deduction 31,500 + 1,600 + senior (one 65+) 6,000 - 6% x 20,000 = 4,800: 37,900.
    # Taxable 109,880; 5.3% x (109,880 - 9,622) = 5,313.674 + 10 = 5,323.674.
    r = compute_state_tax(_inp("ID", 2025, (70, 60), ira=(100_000, 0), wages=(0, 50_000),
                               ss=(30_000, 0), taxable_ss=20_000))
    assert r.taxable_income == pytest.approx(109_880)
    assert r.tax == pytest.approx(5_323.674, abs=0.005)


# ----------------------------------------------------------------------------- West Virginia


def test_west_virginia_2024_single():
    # AGI 20,000 + 10,000 + 10,000 SS + 3,000 = 43,000 (<= 50,000: SS subtracted in full).
    # Senior deduction min(8,000, 43,000) - 10,000 < 0 -> 0. WV AGI 33,000, less 2,000: 31,000.
    # 2.36% x 10,000 = 236 + 3.15% x 15,000 = 472.50 + 3.54% x 6,000 = 212.40 = 920.90.
    r = compute_state_tax(_inp("WV", 2024, (70,), pensions=(20_000,), ira=(10_000,),
                               ss=(24_000,), taxable_ss=10_000, interest=3_000))
    assert r.taxable_income == pytest.approx(31_000)
    assert r.tax == pytest.approx(920.90, abs=0.005)


def test_west_virginia_2025_senior_deduction_per_spouse():
    # AGI 30,000 + 5,000 + 6,000 SS (all B's) + 2,000 = 43,000. SS subtracted 6,000. Senior:
    # A (68) own income 30,000 + 1,000 interest -> 8,000; B (66) 5,000 + 6,000 + 1,000 = 12,000
    # -> 8,000 - 6,000 (B's SS subtraction) = 2,000. WV AGI 43,000 - 6,000 - 10,000 = 27,000;
    # less 2 x 2,000: 23,000. 2.22% x 10,000 = 222 + 2.96% x 13,000 = 384.80 = 606.80.
    r = compute_state_tax(_inp("WV", 2025, (68, 66), ira=(30_000, 0), pensions=(0, 5_000),
                               ss=(0, 20_000), taxable_ss=6_000, interest=2_000))
    assert r.agi == pytest.approx(27_000)
    assert r.tax == pytest.approx(606.80, abs=0.005)


# ------------------------------------------------------------------- projection and sources


def test_projection_2030():
    # 2.5% a year for four years: factor 1.025^4 = 1.10381289.
    ne = state_rules("NE", 2030, 0.025)
    assert ne["brackets"]["single"][1] == 4_560  # 4,130 x f = 4,558.75 -> nearest $10
    assert ne["exemption_credit"]["amount"] == 194  # 176 x f = 194.27
    assert ne["brackets"]["rates"][-1] == 0.0399  # L.B. 754 from 2027
    ut = state_rules("UT", 2030, 0.025)
    assert ut["taxpayer_credit"]["single"] == 20_560  # 18,626 x f = 20,559.62
    assert ut["taxpayer_credit"]["mfj"] == 41_120
    assert ut["social_security_credit"]["single"] == 54_000  # fixed
    idaho = state_rules("ID", 2030, 0.025)
    assert idaho["brackets"]["single"][1] == 5_431  # 4,920 x f = 5,430.76
    assert idaho["brackets"]["mfj"][1] == 10_862
    assert 2030 not in idaho["federal_deduction"]["senior"]["years"]  # ends after 2028
    assert state_rules("IA", 2030, 0.025)["federal_deduction"]["standard"]["single"] == 17_750
    assert state_rules("MS", 2030, 0.025)["brackets"]["rates"] == [0.0, 0.03]
    assert state_rules("MS", 2027, 0.025)["brackets"]["rates"] == [0.0, 0.0375]
    assert state_rules("KS", 2030, 0.025)["exemption"]["single"] == 9_160
    assert state_rules("WV", 2030, 0.025)["low_income_family_credit"]["first_person"] == 17_620
    assert state_rules("NM", 2030, 0.025)["brackets"]["single"][-1] == 210_000
    ar = state_rules("AR", 2030, 0.025)
    assert ar["standard_deduction"]["single"] == 2_780  # 2,520 x f = 2,781.6, down to $10
    assert ar["brackets"]["floors"][-1] == 29_100  # 26,400 x f = 29,140.7, nearest $100
    assert ar["brackets"]["high_income"]["threshold"] == 104_500  # 94,700 x f = 104,531
    assert ar["retirement_exclusion"]["cap"] == 6_000


def test_projected_tax_uses_projected_figures():
    # Nebraska 2030 at 0% inflation: 2026 figures with the 2027 rates. Single 70, pension 60,000:
    # taxable 60,000 - (8,850 + 2,050) = 49,100. 2.46% x 4,130 = 101.598 + 3.51% x 20,630 =
    # 724.113 + 3.99% x 24,340 = 971.166 = 1,796.877; less 176 = 1,620.877.
    r = compute_state_tax(_inp("NE", 2030, (70,), pensions=(60_000,)), inflation=0.0)
    assert r.tax == pytest.approx(1_620.877, abs=0.005)


@pytest.mark.parametrize("state", STATES_E)
def test_every_table_cites_a_source(state: str) -> None:
    for year in (2024, 2025, 2026):
        rules = state_rules(state, year, 0.025)
        tables = {k: v for k, v in rules.items() if isinstance(v, dict)}
        assert tables, (state, year)
        for name, table in tables.items():
            assert table.get("source"), (state, year, name)
        for change in rules.get("scheduled", ()):
            assert change.get("source"), (state, year, change)
