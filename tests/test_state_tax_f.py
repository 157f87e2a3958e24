"""Hand-checked state income tax: HI, ME, MT, RI, DE, ND, DC, VT (part F).

Each figure is worked from the state's form instructions; the arithmetic is in the comments.
"""

from __future__ import annotations

import pytest

from planner.state_tax import compute_state_tax, state_rules
from tests.state_inputs import state_input

_inp = state_input


# ------------------------------------------------------------------------------------ Hawaii


def test_hawaii_2025_pension_and_social_security_excluded() -> None:
    # Federal AGI 30,000 pension + 20,000 IRA + 10,000 taxable SS + 5,000 interest = 65,000.
    # HI AGI = 65,000 - 10,000 SS - 30,000 employer pension = 25,000 (the IRA stays taxable).
    # Deductions: standard 4,400 + exemptions 2 x 1,144 (one more at 65+) = 6,688; TI 18,312.
    # Tax (2025 single): 9,600 x 1.4% = 134.40; 4,800 x 3.2% = 153.60;
    # (18,312 - 14,400) x 5.5% = 215.16; total 503.16.
    r = compute_state_tax(_inp("HI", 2025, (70,), pensions=(30_000,), ira=(20_000,),
                               ss=(24_000,), taxable_ss=10_000, interest=5_000))
    assert r.agi == pytest.approx(25_000)
    assert r.taxable_income == pytest.approx(18_312)
    assert r.tax == pytest.approx(503.16, abs=0.005)


def test_hawaii_2024_alternative_tax_on_capital_gains() -> None:
    # Joint, 66 and 64: IRA 60,000 + 40,000, gain 100,000: AGI 200,000. Deductions 8,800 +
    # 3 x 1,144 = 12,232; TI 187,768. Schedule: 6,427.20 to 96,000 + 91,768 x 8.25% = 7,570.86,
    # total 13,998.06. Alternative: ordinary part = max(187,768 - 100,000, min(187,768, 48,000))
    # = 87,768 -> 4,531.20 + 15,768 x 7.9% = 5,776.87; plus 7.25% x 100,000 = 7,250:
    # 13,026.87, the smaller.
    r = compute_state_tax(_inp("HI", 2024, (66, 64), ira=(60_000, 40_000), gains=100_000))
    assert r.taxable_income == pytest.approx(187_768)
    assert r.tax == pytest.approx(13_026.872, abs=0.005)


# ------------------------------------------------------------------------------------- Maine


def test_maine_2025_pension_deduction_reduced_by_social_security() -> None:
    # AGI 20,000 + 30,000 + 10,000 + 2,000 = 62,000. Pension deduction: eligible 50,000 (70, so
    # the IRA counts), cap 48,216 - 24,000 SS received = 24,216. ME AGI = 62,000 - 10,000 -
    # 24,216 = 27,784. Standard deduction 15,000 + 2,000 (65+) = 17,000; exemption 5,150.
    # TI 5,634 x 5.8% = 326.772.
    r = compute_state_tax(_inp("ME", 2025, (70,), pensions=(20_000,), ira=(30_000,),
                               ss=(24_000,), taxable_ss=10_000, interest=2_000))
    assert r.agi == pytest.approx(27_784)
    assert r.tax == pytest.approx(326.772, abs=0.005)


def test_maine_2026_ira_before_59_half_not_eligible() -> None:
    # Joint 68 and 58: pension 10,000 (first), IRA 80,000 (second, under 59½: not eligible),
    # taxable SS 20,000: AGI 110,000. Deduction: first min(10,000, 49,824 - 30,000) = 10,000.
    # ME AGI = 110,000 - 20,000 - 10,000 = 80,000. SD 31,400 + 1,650 = 33,050; exemptions
    # 2 x 5,300 = 10,600. TI 36,350 x 5.8% = 2,108.30.
    r = compute_state_tax(_inp("ME", 2026, (68, 58), pensions=(10_000, 0), ira=(0, 80_000),
                               ss=(30_000, 0), taxable_ss=20_000))
    assert r.agi == pytest.approx(80_000)
    assert r.tax == pytest.approx(2_108.30, abs=0.005)


# ----------------------------------------------------------------------------------- Montana


def test_montana_2024_from_federal_taxable_income_with_gain() -> None:
    # FTI 60,000 (SS and pensions taxed as federally) - 5,500 (65+) = 54,500. Gain 10,000:
    # ordinary 44,500 -> 20,500 x 4.7% = 963.50 + 24,000 x 5.9% = 1,416.00; the gain lies
    # above the 20,500 bracket: 10,000 x 4.1% = 410. Total 2,789.50.
    r = compute_state_tax(_inp("MT", 2024, (70,), ira=(40_000,), ss=(20_000,),
                               taxable_ss=17_000, gains=10_000, fti=60_000))
    assert r.taxable_income == pytest.approx(54_500)
    assert r.tax == pytest.approx(2_789.50, abs=0.005)


def test_montana_2026_gain_in_lower_bracket() -> None:
    # Joint 66 and 60: FTI 80,000 - 5,810 (one filer 65+, 2026 estimate) = 74,190; gain 30,000,
    # ordinary 44,190 x 4.7% = 2,076.93; room under 95,000: the whole gain at 3% = 900.
    r = compute_state_tax(_inp("MT", 2026, (66, 60), ira=(50_000, 40_000), gains=30_000,
                               fti=80_000))
    assert r.taxable_income == pytest.approx(74_190)
    assert r.tax == pytest.approx(2_976.93, abs=0.005)


# ------------------------------------------------------------------------------ Rhode Island


def test_rhode_island_2024_modifications_at_full_retirement_age() -> None:
    # 68 (born 1956, past full retirement age), AGI 30,000 + 10,000 + 15,000 = 55,000 < 104,200.
    # Pension modification min(30,000, 20,000) = 20,000 (the IRA does not count); Social
    # Security modification 15,000. RI AGI 20,000 - 10,550 - 4,950 = 4,500 x 3.75% = 168.75.
    r = compute_state_tax(_inp("RI", 2024, (68,), pensions=(30_000,), ira=(10_000,),
                               ss=(20_000,), taxable_ss=15_000))
    assert r.agi == pytest.approx(20_000)
    assert r.tax == pytest.approx(168.75, abs=0.005)


@pytest.mark.parametrize(("month", "expected"), [(10, 1_800.0), (2, 675.0)])
def test_rhode_island_2025_full_retirement_age_by_birth_month(month: int,
                                                               expected: float) -> None:
    # Joint, 66 and 64 at the end of 2025: full retirement age (66 and 10 months) needs a birth
    # on or before 1 March 1959. AGI 30,000 pension + 50,000 IRA = 80,000 < 133,750.
    # Born October 1959: no modification; 80,000 - 21,800 - 2 x 5,100 = 48,000 x 3.75% = 1,800.
    # Born February 1959: pension modification 30,000 (cap 50,000 from 2025); 18,000 -> 675.
    r = compute_state_tax(_inp("RI", 2025, (66, 64), months=(month, 6),
                               pensions=(30_000, 0), ira=(0, 50_000)))
    assert r.tax == pytest.approx(expected, abs=0.005)


# ---------------------------------------------------------------------------------- Delaware


def test_delaware_2024_pension_exclusion_60_and_over() -> None:
    # 65: AGI 20,000 + 10,000 + 5,000 interest = 35,000 (SS not taxable federally). Exclusion
    # min(35,000, 12,500) = 12,500 (pension, IRA and interest all count at 60+). DE AGI 22,500;
    # SD 3,250 + 2,500 (65+) = 5,750; TI 16,750. Tax 66 + 195 + 6,750 x 4.8% = 324 -> 585;
    # credits 110 + 110 (60+) = 220: 365.
    r = compute_state_tax(_inp("DE", 2024, (65,), pensions=(20_000,), ira=(10_000,),
                               ss=(20_000,), interest=5_000))
    assert r.agi == pytest.approx(22_500)
    assert r.tax == pytest.approx(365.0, abs=0.005)


def test_delaware_2025_combined_separate_returns() -> None:
    # 70 (pension 40,000) and 55 (wages 50,000). Joint: 90,000 - 12,500 = 77,500 - 9,000 =
    # 68,500 -> 66 + 195 + 480 + 260 + 1,942.50 + 8,500 x 6.6% = 561: 3,504.50 - 330 = 3,174.50.
    # Separate: 27,500 - 5,750 = 21,750 -> 741 + 1,750 x 5.2% = 91: 832 - 220 = 612;
    # 50,000 - 3,250 = 46,750 -> 1,001 + 21,750 x 5.55% = 1,207.125: 2,208.125 - 110 =
    # 2,098.125. Total 2,710.125, the lower.
    r = compute_state_tax(_inp("DE", 2025, (70, 55), pensions=(40_000, 0), wages=(0, 50_000)))
    assert r.tax == pytest.approx(2_710.125, abs=0.005)


# ------------------------------------------------------------------------------ North Dakota


def test_north_dakota_2024_social_security_and_gain_exclusion() -> None:
    # FTI 100,000 - taxable SS 15,000 - 40% x 10,000 gain - 40% x 5,000 dividends = 79,000.
    # Tax (1.95% over 47,150): 31,850 x 1.95% = 621.075.
    r = compute_state_tax(_inp("ND", 2024, (70,), ira=(80_000,), ss=(20_000,),
                               taxable_ss=15_000, gains=10_000, dividends=5_000, fti=100_000))
    assert r.taxable_income == pytest.approx(79_000)
    assert r.tax == pytest.approx(621.075, abs=0.005)


def test_north_dakota_2025_marriage_penalty_credit() -> None:
    # Joint, wages 90,000 and pension 60,000, FTI 120,000. Tax 39,025 x 1.95% = 760.9875.
    # Credit: TI > 81,036 and the lower qualified income 60,000 > 47,550: shares 60,000 -
    # 15,750 = 44,250 (no tax at single rates) and 75,750 -> 27,275 x 1.95% = 531.8625;
    # credit min(312, 229.125) = 229.125; tax 531.8625.
    r = compute_state_tax(_inp("ND", 2025, (60, 58), wages=(90_000, 0), pensions=(0, 60_000),
                               fti=120_000))
    assert r.tax == pytest.approx(531.8625, abs=0.005)


# ---------------------------------------------------------------------- District of Columbia


def test_dc_2024_social_security_excluded() -> None:
    # AGI 30,000 + 20,000 + 10,000 = 60,000; DC AGI 50,000; SD 14,600 + 1,950 = 16,550;
    # TI 33,450 -> 400 + 23,450 x 6% = 1,407: 1,807.
    r = compute_state_tax(_inp("DC", 2024, (70,), pensions=(30_000,), ira=(20_000,),
                               ss=(25_000,), taxable_ss=10_000))
    assert r.agi == pytest.approx(50_000)
    assert r.tax == pytest.approx(1_807.0, abs=0.005)


def test_dc_2025_separate_on_same_return() -> None:
    # 67 (pension 80,000) and 66 (IRA 20,000). Deduction 30,000 + 2 x 1,600 = 33,200.
    # Joint: 66,800 -> 400 + 1,800 + 1,300 + 6,800 x 8.5% = 578: 4,078.
    # Separate, whole deduction to the first spouse: 46,800 -> 2,200 + 442 = 2,642; second
    # 20,000 -> 1,000. Total 3,642, the lower.
    r = compute_state_tax(_inp("DC", 2025, (67, 66), pensions=(80_000, 0), ira=(0, 20_000)))
    assert r.tax == pytest.approx(3_642.0, abs=0.005)


# ----------------------------------------------------------------------------------- Vermont


def test_vermont_2024_social_security_fully_exempt() -> None:
    # AGI 20,000 + 10,000 + 15,000 = 45,000 < 50,000: taxable SS fully exempt; VT AGI 30,000.
    # SD 7,400 + 1,200 (65+) + exemption 5,100 = 13,700; TI 16,300 x 3.35% = 546.05.
    r = compute_state_tax(_inp("VT", 2024, (70,), pensions=(20_000,), ira=(10_000,),
                               ss=(20_000,), taxable_ss=15_000))
    assert r.agi == pytest.approx(30_000)
    assert r.tax == pytest.approx(546.05, abs=0.005)


def test_vermont_2025_social_security_partly_exempt() -> None:
    # Joint AGI 45,000 + 30,000 = 75,000 in the 70,000-80,000 band: exempt share
    # (80,000 - 75,000) / 10,000 = 0.50 -> 15,000. VT AGI 60,000; deductions 15,300 +
    # 2 x 1,250 + 2 x 5,300 = 28,400; TI 31,600 x 3.35% = 1,058.60.
    r = compute_state_tax(_inp("VT", 2025, (70, 68), pensions=(45_000, 0),
                               ss=(20_000, 20_000), taxable_ss=30_000))
    assert r.agi == pytest.approx(60_000)
    assert r.tax == pytest.approx(1_058.60, abs=0.005)


# ------------------------------------------------------------------------- projection past 2026


def test_projection_2030_indexed_fixed_and_scheduled() -> None:
    # Maine bracket: 27,400 x 1.025^4 = 30,244.5, rounded down to $50: 30,200.
    assert state_rules("ME", 2030, 0.025)["brackets"]["single"][1] == 30_200
    # Vermont exemption: 5,400 x 1.025^4 = 5,960.6, rounded down to $50: 5,950.
    assert state_rules("VT", 2030, 0.025)["exemption"]["amount"] == 5_950
    # Rhode Island exemption: 5,250 x 1.025^4 = 5,795.0 -> 5,800; surtax 3% from 2029.
    ri = state_rules("RI", 2030, 0.025)
    assert ri["exemption"]["amount"] == 5_800
    assert ri["high_earner"]["rate"] == pytest.approx(0.03)
    # Delaware is not indexed; Hawaii's standard deduction steps to 10,000 in 2030 (Act 46).
    assert state_rules("DE", 2030, 0.025)["standard_deduction"]["single"] == 3_250
    assert state_rules("HI", 2030, 0.025)["standard_deduction"]["single"] == 10_000
    # Montana: 5.4% top rate from 2027 (H.B. 337); 65+ subtraction 5,810 x 1.025^4 -> 6,410.
    mt = state_rules("MT", 2030, 0.025)
    assert mt["brackets"]["rates"] == [0.047, 0.054]
    assert mt["old_age_subtraction"]["amount"] == 6_410
