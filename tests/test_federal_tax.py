"""Hand-computed federal returns. The arithmetic is in the comments; the figures are the
reference's (/work/shared/reference/us-federal-rules.md) and the worked examples in
research/worked_examples.md (section letters cited)."""

from __future__ import annotations

import pytest

from planner.federal_tax import (
    TaxInput,
    TaxResult,
    bracket_tax,
    compute_tax,
    explain_tax,
    marginal_rate,
    taxable_social_security,
)
from planner.rules import rules_for_year

CENT = 0.005


def tax(year: int, status: str, ages: tuple[int, ...], **income: float) -> TaxResult:
    return compute_tax(TaxInput(status, ages, **income), rules_for_year(year))


# --- Ordinary brackets -----------------------------------------------------------------------

# 2026 single: tax on taxable income exactly at each bracket floor.
SINGLE_2026_EDGES = [
    (12_400, 1_240.00),  # 10% x 12,400
    (50_400, 5_800.00),  # 1,240 + 12% x 38,000 = 1,240 + 4,560
    (105_700, 17_966.00),  # 5,800 + 22% x 55,300 = 5,800 + 12,166
    (201_775, 41_024.00),  # 17,966 + 24% x 96,075 = 17,966 + 23,058
    (256_225, 58_448.00),  # 41,024 + 32% x 54,450 = 41,024 + 17,424
    (640_600, 192_979.25),  # 58,448 + 35% x 384,375 = 58,448 + 134,531.25
    (700_000, 214_957.25),  # 192,979.25 + 37% x 59,400 = 192,979.25 + 21,978 (C3.4 check)
]
# 2025 MFJ.
MFJ_2025_EDGES = [
    (23_850, 2_385.00),  # 10% x 23,850
    (96_950, 11_157.00),  # 2,385 + 12% x 73,100 = 2,385 + 8,772
    (200_000, 33_828.00),  # 11,157 + 22% x 103,050 = 11,157 + 22,671 (C3.1 ordinary part)
    (206_700, 35_302.00),  # 11,157 + 22% x 109,750 = 11,157 + 24,145
    (394_600, 80_398.00),  # 35,302 + 24% x 187,900 = 35,302 + 45,096
    (501_050, 114_462.00),  # 80,398 + 32% x 106,450 = 80,398 + 34,064
    (751_600, 202_154.50),  # 114,462 + 35% x 250,550 = 114,462 + 87,692.50
]
NEXT_RATE = {12_400: 0.12, 50_400: 0.22, 105_700: 0.24, 201_775: 0.32, 256_225: 0.35,
             640_600: 0.37, 700_000: 0.37}


@pytest.mark.parametrize(("taxable", "expected"), SINGLE_2026_EDGES)
def test_single_2026_bracket_edges(taxable: float, expected: float) -> None:
    # Age 50: deduction is the plain 16,100, so ordinary income = taxable income + 16,100.
    r = tax(2026, "single", (50,), ordinary=taxable + 16_100)
    assert r.deduction == 16_100
    assert r.taxable_income == taxable
    assert r.income_tax == pytest.approx(expected, abs=CENT)
    assert r.total_tax == pytest.approx(expected, abs=CENT)
    # The next 100 dollars are taxed at the next bracket's rate ("over" the floor).
    above = tax(2026, "single", (50,), ordinary=taxable + 16_200)
    assert above.income_tax - r.income_tax == pytest.approx(100 * NEXT_RATE[taxable], abs=1e-6)


@pytest.mark.parametrize(("taxable", "expected"), MFJ_2025_EDGES)
def test_mfj_2025_bracket_edges(taxable: float, expected: float) -> None:
    r = tax(2025, "mfj", (50, 50), ordinary=taxable + 31_500)
    assert r.taxable_income == taxable
    assert r.income_tax == pytest.approx(expected, abs=CENT)
    st = rules_for_year(2025).mfj
    assert bracket_tax(taxable, st.bracket_floors, st.bracket_rates) == pytest.approx(
        expected, abs=CENT)


def test_income_below_the_deduction_is_untaxed() -> None:
    r = tax(2026, "single", (50,), ordinary=10_000)
    assert (r.taxable_income, r.total_tax) == (0.0, 0.0)


# --- Standard deduction, 65+ addition, senior deduction --------------------------------------

@pytest.mark.parametrize(("year", "status", "ages", "standard", "additional", "senior"), [
    (2024, "single", (65,), 14_600, 1_950, 0),  # C2: 16,550; no senior deduction in 2024
    (2024, "single", (64,), 14_600, 0, 0),
    (2024, "mfj", (70, 68), 29_200, 3_100, 0),  # C2: 29,200 + 2 x 1,550 = 32,300
    (2024, "mfj", (66, 60), 29_200, 1_550, 0),
    (2025, "single", (65,), 15_750, 2_000, 6_000),  # C2: 17,750, plus 6,000 under 75,000 MAGI
    (2025, "mfj", (67, 63), 31_500, 1_600, 6_000),  # C2: 33,100, one senior deduction
    (2025, "mfj", (67, 66), 31_500, 3_200, 12_000),  # C2: 34,700, two senior deductions
    (2026, "single", (80,), 16_100, 2_050, 6_000),  # C2: 18,150
    (2026, "mfj", (65, 65), 32_200, 3_300, 12_000),  # C2: 35,500
    (2026, "mfj", (64, 64), 32_200, 0, 0),
])
def test_deduction_parts(year: int, status: str, ages: tuple[int, ...], standard: float,
                         additional: float, senior: float) -> None:
    r = tax(year, status, ages, ordinary=60_000)
    assert (r.standard_deduction, r.additional_65, r.senior_deduction) == (
        standard, additional, senior)
    assert r.deduction == standard + additional + senior
    assert r.taxable_income == 60_000 - r.deduction


@pytest.mark.parametrize(("status", "ages", "magi", "senior"), [
    ("single", (65,), 75_000, 6_000),  # at the threshold: full
    ("single", (65,), 100_000, 4_500),  # C1.2: 6,000 - 6% x 25,000 = 6,000 - 1,500
    ("single", (65,), 175_000, 0),  # C1.3: 6,000 - 6% x 100,000 = 0
    ("single", (70,), 300_000, 0),  # never negative
    ("mfj", (66, 66), 150_000, 12_000),  # both full
    ("mfj", (66, 66), 160_000, 10_800),  # C1.4: 2 x (6,000 - 600)
    ("mfj", (66, 60), 160_000, 5_400),  # C1.5: one spouse 65+
    ("mfj", (66, 66), 180_000, 8_400),  # C1.1 (Schedule 1-A walk-through): 2 x (6,000 - 1,800)
    ("mfj", (66, 66), 250_000, 0),  # 6,000 - 6% x 100,000 = 0
])
def test_senior_deduction_2025(status: str, ages: tuple[int, ...], magi: float,
                               senior: float) -> None:
    r = tax(2025, status, ages, ordinary=magi)
    assert r.agi == magi
    assert r.senior_deduction == pytest.approx(senior, abs=CENT)


def test_senior_deduction_gone_after_2028() -> None:
    assert tax(2029, "single", (70,), ordinary=50_000).senior_deduction == 0
    assert tax(2028, "single", (70,), ordinary=50_000).senior_deduction == 6_000


def test_senior_deduction_full_return_2025() -> None:
    # Single, 65, pension 100,000: AGI 100,000; deduction 15,750 + 2,000 + 4,500 = 22,250;
    # taxable 77,750; tax 1,192.50 + 12% x 36,550 (4,386) + 22% x 29,275 (6,440.50) = 12,019.
    r = tax(2025, "single", (65,), ordinary=100_000)
    assert r.deduction == 22_250
    assert r.taxable_income == 77_750
    assert r.total_tax == pytest.approx(12_019.00, abs=CENT)


def test_senior_phaseout_uses_agi_with_taxable_social_security() -> None:
    # 2025 single, 66: SS 30,000, pension 90,000. Provisional 15,000 + 90,000 = 105,000;
    # 4,500 + 85% x 71,000 = 64,850 > cap 85% x 30,000 = 25,500 -> 25,500. AGI 115,500.
    # Senior: 6,000 - 6% x 40,500 = 6,000 - 2,430 = 3,570. Deduction 15,750 + 2,000 + 3,570
    # = 21,320; taxable 94,180; tax 1,192.50 + 4,386 + 22% x 45,705 (10,055.10) = 15,633.60.
    r = tax(2025, "single", (66,), ordinary=90_000, social_security=30_000)
    assert r.taxable_social_security == pytest.approx(25_500, abs=CENT)
    assert r.agi == pytest.approx(115_500, abs=CENT)
    assert r.senior_deduction == pytest.approx(3_570, abs=CENT)
    assert r.total_tax == pytest.approx(15_633.60, abs=CENT)


# --- Taxable Social Security (Pub 915, Worksheet 1) -------------------------------------------

def test_pub_915_example_1_george_white() -> None:
    """IRS Pub 915 (2025), Worksheet 1, Example 1 (also Pub 17 (2015)): worked_examples A1.

    Single; benefits 5,980; pension 18,600; wages 9,400; taxable interest 990. Line 8
    (provisional income) 31,980; line 10: 6,980; line 12: 0; line 19: 2,990.
    """
    r = tax(2025, "single", (66,), ordinary=18_600 + 9_400, interest=990,
            social_security=5_980)
    assert r.taxable_social_security == pytest.approx(2_990.00, abs=CENT)
    assert r.agi == pytest.approx(28_990 + 2_990, abs=CENT)
    lines = dict(explain_tax(TaxInput("single", (66,), 28_000, 990, social_security=5_980),
                             rules_for_year(2025)))
    assert lines["line 8: provisional income"] == pytest.approx(31_980, abs=CENT)
    assert lines["line 10: line 8 minus line 9, not below 0"] == pytest.approx(6_980, abs=CENT)


@pytest.mark.parametrize(("status", "benefits", "other", "exempt", "expected"), [
    # Single: base 25,000, adjusted base 34,000.
    ("single", 20_000, 14_000, 0, 0.0),  # provisional 24,000 <= 25,000
    ("single", 10_000, 20_000, 0, 0.0),  # A3.6: provisional exactly 25,000
    ("single", 20_000, 20_000, 0, 2_500.0),  # 30,000: half of 5,000
    ("single", 20_000, 24_000, 0, 4_500.0),  # A3.5: 34,000 exactly: half of 9,000
    ("single", 4_000, 32_000, 0, 2_000.0),  # 34,000: half of 9,000 = 4,500, but half of SS 2,000
    ("single", 20_000, 30_000, 0, 9_600.0),  # A3.3: 40,000: 4,500 + 85% x 6,000 = 9,600
    ("single", 12_000, 100_000, 0, 10_200.0),  # A3.4: 85% cap: 85% x 12,000
    # MFJ: base 32,000, adjusted base 44,000.
    ("mfj", 30_000, 16_000, 0, 0.0),  # 31,000 < 32,000
    ("mfj", 30_000, 25_000, 2_000, 5_000.0),  # A3.1: 42,000 (tax-exempt interest counts)
    ("mfj", 30_000, 40_000, 0, 15_350.0),  # A3.2: 6,000 + 85% x 11,000 = 15,350
    ("mfj", 40_000, 150_000, 0, 34_000.0),  # 85% cap: 85% x 40,000
])
def test_taxable_social_security(status: str, benefits: float, other: float, exempt: float,
                                 expected: float) -> None:
    r = tax(2026, status, (70,) if status == "single" else (70, 70), ordinary=other,
            social_security=benefits, tax_exempt_interest=exempt)
    assert r.taxable_social_security == pytest.approx(expected, abs=CENT)
    assert r.agi == pytest.approx(other + expected, abs=CENT)  # tax-exempt interest not in AGI
    assert r.magi == pytest.approx(other + expected + exempt, abs=CENT)
    rules = rules_for_year(2024)
    direct = taxable_social_security(benefits, other + exempt, rules.status(status),
                                     rules.ss_rate_1, rules.ss_rate_2)
    assert direct == pytest.approx(expected, abs=CENT)


# --- Capital gains and qualified dividends ---------------------------------------------------

def test_gains_straddle_15_percent_band_mfj_2025() -> None:
    # C3.1: taxable 250,000 of which 50,000 long-term gain; ordinary part 200,000 -> 33,828;
    # the gain sits between 200,000 and 250,000, all inside the 15% band (96,700-600,050):
    # 7,500. Income tax 41,328. NIIT: AGI 281,500 - 250,000 = 31,500 < NII 50,000 -> 1,197.
    r = tax(2025, "mfj", (50, 50), ordinary=231_500, ltcg=50_000)
    assert r.taxable_income == 250_000
    assert r.preferential_income == 50_000
    assert r.ordinary_tax == pytest.approx(33_828.00, abs=CENT)
    assert r.preferential_tax == pytest.approx(7_500.00, abs=CENT)
    assert r.income_tax == pytest.approx(41_328.00, abs=CENT)
    assert r.niit == pytest.approx(1_197.00, abs=CENT)
    assert r.total_tax == pytest.approx(42_525.00, abs=CENT)


def test_qualified_dividends_straddle_0_15_mfj_2025() -> None:
    # C3.2: taxable 120,000 with 30,000 qualified dividends; ordinary part 90,000 ->
    # 2,385 + 12% x 66,150 = 10,323; 0% on 96,700 - 90,000 = 6,700; 15% on 23,300 = 3,495.
    r = tax(2025, "mfj", (50, 50), ordinary=121_500, qualified_dividends=30_000)
    assert r.taxable_income == 120_000
    assert r.ordinary_tax == pytest.approx(10_323.00, abs=CENT)
    assert r.preferential_tax == pytest.approx(3_495.00, abs=CENT)
    assert r.income_tax == pytest.approx(13_818.00, abs=CENT)
    assert r.niit == 0.0


def test_gains_straddle_0_15_single_2026() -> None:
    # C3.3: taxable 60,000 with 15,000 gain; ordinary 45,000 -> 1,240 + 12% x 32,600 = 5,152;
    # 0% on 49,450 - 45,000 = 4,450; 15% on 10,550 = 1,582.50; total 6,734.50.
    r = tax(2026, "single", (50,), ordinary=61_100, ltcg=15_000)
    assert r.income_tax == pytest.approx(6_734.50, abs=CENT)


def test_gains_straddle_15_20_single_2026() -> None:
    # C3.4: taxable 700,000 with 200,000 gain; ordinary 500,000 -> 58,448 + 35% x 243,775
    # = 143,769.25; 15% on 545,500 - 500,000 = 45,500 -> 6,825; 20% on 154,500 -> 30,900.
    # Income tax 181,494.25. NIIT: AGI 716,100 - 200,000 > NII 200,000 -> 3.8% x 200,000.
    r = tax(2026, "single", (50,), ordinary=516_100, ltcg=200_000)
    assert r.ordinary_tax == pytest.approx(143_769.25, abs=CENT)
    assert r.preferential_tax == pytest.approx(6_825 + 30_900, abs=CENT)
    assert r.income_tax == pytest.approx(181_494.25, abs=CENT)
    assert r.niit == pytest.approx(7_600.00, abs=CENT)
    assert r.total_tax == pytest.approx(189_094.25, abs=CENT)


def test_gains_all_at_zero_percent() -> None:
    # 2026 single: pension 30,000, gain 20,000: taxable 33,900; ordinary part 13,900 ->
    # 1,240 + 12% x 1,500 = 1,420; the gain tops out at 33,900 <= 49,450: all at 0%.
    r = tax(2026, "single", (50,), ordinary=30_000, ltcg=20_000)
    assert r.preferential_tax == 0.0
    assert r.income_tax == pytest.approx(1_420.00, abs=CENT)


def test_gains_all_at_twenty_percent() -> None:
    # 2026 single: ordinary part 600,000 > 545,500, so a 10,000 gain is all at 20% = 2,000.
    r = tax(2026, "single", (50,), ordinary=616_100, ltcg=10_000)
    assert r.preferential_tax == pytest.approx(2_000.00, abs=CENT)


def test_short_term_gains_are_ordinary() -> None:
    # 2026 single: pension 26,100 + short-term gain 30,000: taxable 40,000, all ordinary:
    # 1,240 + 12% x 27,600 = 4,552. The same gain long-term: ordinary part 10,000 -> 1,000, and
    # 30,000 of gain at 0% (40,000 <= 49,450).
    short = tax(2026, "single", (50,), ordinary=26_100, stcg=30_000)
    assert short.preferential_income == 0.0
    assert short.income_tax == pytest.approx(4_552.00, abs=CENT)
    long = tax(2026, "single", (50,), ordinary=26_100, ltcg=30_000)
    assert long.income_tax == pytest.approx(1_000.00, abs=CENT)


def test_capital_loss_limited_with_carryforward() -> None:
    # 2026 single: pension 50,000, net long-term loss 10,000: 3,000 deductible, 7,000 carried.
    # AGI 47,000; taxable 30,900; tax 1,240 + 12% x 18,500 = 3,460.
    r = tax(2026, "single", (50,), ordinary=50_000, ltcg=-10_000)
    assert r.capital_gain_in_agi == -3_000
    assert r.loss_carryforward == 7_000
    assert r.agi == 47_000
    assert r.income_tax == pytest.approx(3_460.00, abs=CENT)


@pytest.mark.parametrize(("ltcg", "stcg", "in_agi", "carry", "preferential"), [
    (-2_000, -2_500, -3_000, 1_500, 0),  # both losses: 4,500 net, 3,000 allowed
    (-2_000, -500, -2_500, 0, 0),  # under the limit: all deductible
    (10_000, -4_000, 6_000, 0, 6_000),  # net capital gain = 10,000 - 4,000
    (-4_000, 10_000, 6_000, 0, 0),  # net gain is short-term: ordinary
    (8_000, 3_000, 11_000, 0, 8_000),  # only the long-term part is preferential
])
def test_capital_netting(ltcg: float, stcg: float, in_agi: float, carry: float,
                         preferential: float) -> None:
    r = tax(2026, "single", (50,), ordinary=80_000, ltcg=ltcg, stcg=stcg)
    assert r.capital_gain_in_agi == in_agi
    assert r.loss_carryforward == carry
    assert r.preferential_income == preferential


# --- Net investment income tax (IRC §1411) --------------------------------------------------

@pytest.mark.parametrize(("status", "income", "nii", "niit"), [
    ("single", dict(ordinary=150_000, interest=40_000), 40_000, 0.0),  # AGI 190,000 < 200,000
    ("single", dict(ordinary=180_000, interest=40_000), 40_000, 760.0),  # 3.8% x 20,000 excess
    ("single", dict(ordinary=300_000, interest=10_000), 10_000, 380.0),  # limited by NII
    ("single", dict(ordinary=250_000, interest=5_000), 5_000, 190.0),  # IRA raises MAGI only
    ("single", dict(ordinary=400_000), 0, 0.0),  # IRA distributions are not NII
    ("mfj", dict(ordinary=240_000, qualified_dividends=20_000), 20_000, 380.0),  # 10,000 over
    ("mfj", dict(ordinary=230_000, qualified_dividends=20_000), 20_000, 0.0),  # at 250,000
    # A capital loss reduces NII: 5,000 interest - 3,000 allowed loss = 2,000 -> 76.
    ("single", dict(ordinary=250_000, interest=5_000, ltcg=-10_000), 2_000, 76.0),
])
def test_niit(status: str, income: dict[str, float], nii: float, niit: float) -> None:
    r = tax(2026, status, (50,) if status == "single" else (50, 50), **income)
    assert r.net_investment_income == nii
    assert r.niit == pytest.approx(niit, abs=CENT)
    assert r.total_tax == pytest.approx(r.income_tax + r.niit, abs=1e-9)


def test_niit_magi_excludes_tax_exempt_interest() -> None:
    # IRC §1411(d): MAGI = AGI + excluded foreign income. AGI 195,000 stays under 200,000 even
    # with 50,000 of municipal interest (which does count for IRMAA's MAGI).
    r = tax(2026, "single", (50,), ordinary=190_000, interest=5_000, tax_exempt_interest=50_000)
    assert r.agi == 195_000 and r.magi == 245_000
    assert r.niit == 0.0


# --- Marginal rate and the worksheet ---------------------------------------------------------

def test_marginal_rate_in_the_social_security_torpedo() -> None:
    # 2026 single, 50: SS 24,000, pension 40,000: provisional 52,000, taxable SS 4,500 + 85% x
    # 18,000 = 19,800 (< cap 20,400). Taxable 59,800 - 16,100 = 43,700 (12%). The next 100
    # dollars add 85 of taxable SS: 185 x 12% = 22.2%.
    inp = TaxInput("single", (50,), ordinary=40_000, social_security=24_000)
    rules = rules_for_year(2026)
    assert compute_tax(inp, rules).taxable_social_security == pytest.approx(19_800, abs=CENT)
    assert marginal_rate(inp, rules) == pytest.approx(0.222, abs=1e-9)


def test_explain_matches_result() -> None:
    inp = TaxInput("mfj", (67, 66), ordinary=90_000, interest=3_000, qualified_dividends=8_000,
                   ltcg=12_000, social_security=45_000)
    rules = rules_for_year(2026)
    r = compute_tax(inp, rules)
    lines = dict(explain_tax(inp, rules))
    assert lines["line 19: taxable Social Security"] == r.taxable_social_security
    assert lines["AGI"] == r.agi
    assert lines["Total federal tax"] == r.total_tax
    stack = [v for k, v in lines.items() if k.strip().endswith(")") and "% on " in k]
    assert sum(stack) == pytest.approx(r.ordinary_tax, abs=1e-6)
