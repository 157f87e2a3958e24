"""The ACA premium tax credit (IRC §36B) against figures worked by hand from the sources.

Poverty lines (48 contiguous states and DC; the guideline of the year before the coverage year):
2024 coverage: 88 FR 3424, $14,580 + $5,140 per additional person; 2025: 89 FR 2961, $15,060 +
$5,380; 2026: 90 FR 5917, $15,650 + $5,500. Applicable percentages: 2024-2025 the ARPA/IRA table
(Rev. Proc. 2023-29 §2.01, Rev. Proc. 2024-35): <150% 0%, 150-200% 0-2%, 200-250% 2-4%,
250-300% 4-6%, 300-400% 6-8.5%, 400% and higher 8.5%; 2026 Rev. Proc. 2025-25 §3.01: <133% 2.10%,
133-150% 3.14-4.19%, 150-200% 4.19-6.60%, 200-250% 6.60-8.44%, 250-300% 8.44-9.96%, 300-400%
9.96%, nothing over 400%. Treas. Reg. §1.36B-3(g)(1): linear in a band, rounded to 0.01%.
"""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.aca import (
    AcaResult,
    aca_magi_breakpoints,
    aca_net_premium,
    poverty_line,
    premium_tax_credit,
)
from planner.rules import law_section

YEARS = (2024, 2025, 2026, 2030)


def test_result_is_frozen() -> None:
    r = premium_tax_credit(40_000, 1, 10_000, 10_000, 2026)
    assert isinstance(r, AcaResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.credit = 0.0  # type: ignore[misc]


@pytest.mark.parametrize(("year", "size", "expected"), [
    (2024, 1, 14_580), (2024, 2, 19_720),   # 14,580 + 5,140
    (2025, 1, 15_060), (2025, 4, 31_200),   # 15,060 + 3 x 5,380
    (2026, 1, 15_650), (2026, 2, 21_150),   # 15,650 + 5,500
])
def test_poverty_line_is_the_prior_year_guideline(year: int, size: int, expected: float) -> None:
    assert poverty_line(size, year) == expected


def test_household_of_two_at_250_percent_2026() -> None:
    # FPL 21,150; 250% = 52,875, the start of the 250-300% band: 8.44%.
    # Contribution 0.0844 x 52,875 = 4,462.65; credit 20,000 - 4,462.65 = 15,537.35;
    # net 18,000 - 15,537.35 = 2,462.65.
    r = premium_tax_credit(52_875, 2, 20_000, 18_000, 2026)
    assert r.fpl == 21_150
    assert r.fpl_ratio == pytest.approx(2.5)
    assert r.applicable_percentage == pytest.approx(0.0844)
    assert r.expected_contribution == pytest.approx(4_462.65)
    assert r.credit == pytest.approx(15_537.35)
    assert r.net_premium == pytest.approx(2_462.65)
    assert r.eligible


def test_linear_within_the_band_2026() -> None:
    # 275% of 21,150 = 58,162.50, halfway through 250-300%: 8.44 + (9.96 - 8.44) / 2 = 9.20%.
    # Contribution 0.092 x 58,162.50 = 5,350.95; credit 20,000 - 5,350.95 = 14,649.05.
    r = premium_tax_credit(58_162.5, 2, 20_000, 20_000, 2026)
    assert r.applicable_percentage == pytest.approx(0.092)
    assert r.credit == pytest.approx(14_649.05)


def test_percentage_rounded_to_a_hundredth_of_a_percent() -> None:
    # Single, 2026, MAGI 40,000: ratio 40,000 / 15,650 = 2.5559105; share of the 250-300% band
    # 0.0559105 / 0.5 = 0.1118211; 8.44 + 1.52 x 0.1118211 = 8.6099681% -> 8.61%.
    # Contribution 0.0861 x 40,000 = 3,444.00; credit 10,000 - 3,444 = 6,556.00.
    r = premium_tax_credit(40_000, 1, 10_000, 10_000, 2026)
    assert r.applicable_percentage == pytest.approx(0.0861, abs=1e-12)
    assert r.credit == pytest.approx(6_556.00)
    raw = premium_tax_credit(40_000, 1, 10_000, 10_000, 2026, rounded=False)
    assert raw.applicable_percentage == pytest.approx(0.086099681, abs=1e-9)
    assert raw.credit == pytest.approx(10_000 - 0.086099681 * 40_000, abs=1e-4)  # 6,556.0128


def test_single_at_401_percent_2025_has_a_credit() -> None:
    # ARPA/IRA: no 400% limit. 4.01 x 15,060 = 60,390.60, over 400%: 8.5%.
    # Contribution 0.085 x 60,390.60 = 5,133.201; credit 12,000 - 5,133.201 = 6,866.799.
    r = premium_tax_credit(60_390.6, 1, 12_000, 12_000, 2025)
    assert r.eligible
    assert r.applicable_percentage == pytest.approx(0.085)
    assert r.credit == pytest.approx(6_866.799)
    assert r.net_premium == pytest.approx(5_133.201)


def test_single_at_401_percent_2026_falls_off_the_cliff() -> None:
    # 4.01 x 15,650 = 62,756.50 > 400%: not an applicable taxpayer (§36B(c)(1)(A)).
    r = premium_tax_credit(62_756.5, 1, 12_000, 12_000, 2026)
    assert not r.eligible
    assert r.credit == 0.0
    assert r.net_premium == 12_000


def test_exactly_400_percent_2026_is_eligible() -> None:
    # "Not more than 400%": 4 x 15,650 = 62,600 at 9.96%: 0.0996 x 62,600 = 6,234.96;
    # credit 12,000 - 6,234.96 = 5,765.04. One dollar more: no credit.
    at = premium_tax_credit(62_600, 1, 12_000, 12_000, 2026)
    assert at.eligible
    assert at.credit == pytest.approx(5_765.04)
    assert premium_tax_credit(62_601, 1, 12_000, 12_000, 2026).credit == 0.0


def test_below_100_percent_no_credit() -> None:
    # 15,000 < 15,650 (single, 2026): Medicaid or the coverage gap, out of scope: no credit.
    r = premium_tax_credit(15_000, 1, 10_000, 10_000, 2026)
    assert not r.eligible
    assert r.credit == 0.0 and r.net_premium == 10_000
    # At exactly 100%: 2.10% of 15,650 = 328.65; credit 10,000 - 328.65 = 9,671.35.
    at = premium_tax_credit(15_650, 1, 10_000, 10_000, 2026)
    assert at.eligible
    assert at.credit == pytest.approx(9_671.35)


def test_credit_capped_at_the_premium_paid() -> None:
    # 2024, household of 2: FPL 19,720; 150% = 29,580 is the start of 150-200%: 0%.
    # Benchmark 15,000 - 0 = 15,000, but the bronze plan costs 9,000: credit 9,000, net 0.
    r = premium_tax_credit(29_580, 2, 15_000, 9_000, 2024)
    assert r.applicable_percentage == 0.0
    assert r.credit == 9_000
    assert r.net_premium == 0.0


def test_the_133_percent_step_2026() -> None:
    # 1.33 x 21,150 = 28,129.50 is in "at least 133%": 3.14%; one dollar less is under 133%: 2.10%.
    at = premium_tax_credit(28_129.5, 2, 20_000, 20_000, 2026)
    below = premium_tax_credit(28_128.5, 2, 20_000, 20_000, 2026)
    assert at.applicable_percentage == pytest.approx(0.0314)
    assert below.applicable_percentage == pytest.approx(0.0210)
    # 0.0314 x 28,129.5 = 883.2663 against 0.0210 x 28,128.5 = 590.6985: the credit drops 292.57.
    assert below.credit - at.credit == pytest.approx(883.2663 - 590.6985)


def test_projected_year_indexes_the_poverty_line_and_holds_the_percentages() -> None:
    # 2030 at 2.5%: factor 1.025^4 = 1.1038129. 15,650 x f = 17,274.67 -> 17,270;
    # 5,500 x f = 6,070.97 -> 6,070 (nearest $10). Household of 2: 23,340.
    assert poverty_line(1, 2030) == 17_270
    assert poverty_line(2, 2030) == 23_340
    # 300% = 70,020, the held 2026 flat band: 9.96%. 0.0996 x 70,020 = 6,973.992;
    # credit 20,000 - 6,973.992 = 13,026.008. The cliff stays: 400% = 93,360.
    r = premium_tax_credit(70_020, 2, 20_000, 20_000, 2030)
    assert r.applicable_percentage == pytest.approx(0.0996)
    assert r.credit == pytest.approx(13_026.008)
    assert premium_tax_credit(93_360, 2, 20_000, 20_000, 2030).eligible
    assert not premium_tax_credit(93_361, 2, 20_000, 20_000, 2030).eligible
    table = law_section(2030, "aca_applicable_percentage")
    assert table["initial"] == law_section(2026, "aca_applicable_percentage")["initial"]
    # A higher assumed inflation gives a higher poverty line: 15,650 x 1.04^4 = 18,308.29 -> 18,310.
    assert poverty_line(1, 2030, 0.04) == 18_310


def test_breakpoints() -> None:
    # 2026, household of 2: 21,150 x (1, 1.33, 1.5, 2, 2.5, 3, 4).
    assert aca_magi_breakpoints(2, 2026) == pytest.approx(
        (21_150, 28_129.5, 31_725, 42_300, 52_875, 63_450, 84_600))
    # 2025 single: 15,060 x (1, 1.5, 2, 2.5, 3, 4); 400% is where the percentage stops rising.
    assert aca_magi_breakpoints(1, 2025) == pytest.approx(
        (15_060, 22_590, 30_120, 37_650, 45_180, 60_240))


def test_bad_inputs() -> None:
    with pytest.raises(ValueError):
        premium_tax_credit(50_000, 0, 10_000, 10_000, 2026)
    with pytest.raises(ValueError):
        premium_tax_credit(50_000, 1, -1, 10_000, 2026)


def test_tables_are_well_formed() -> None:
    for year in (2024, 2025, 2026):
        t = law_section(year, "aca_applicable_percentage")
        assert t["lower"][0] == t["eligibility_floor"] == 1.0
        assert t["lower"][1:] == t["upper"][:-1]  # bands tile the range
        assert t["upper"][-1] == 4.0
        assert all(a <= b for a, b in zip(t["initial"], t["final"], strict=True))
        # Non-decreasing across band edges, which makes the credit non-increasing in MAGI.
        assert all(f <= i for f, i in zip(t["final"], t["initial"][1:], strict=False))
    assert not law_section(2025, "aca_applicable_percentage")["cliff"]
    assert law_section(2026, "aca_applicable_percentage")["cliff"]


# --- Properties -------------------------------------------------------------------------------

money = st.floats(min_value=0, max_value=60_000, allow_nan=False)
magis = st.floats(min_value=0, max_value=400_000, allow_nan=False)
sizes = st.integers(min_value=1, max_value=8)


@settings(max_examples=300, deadline=None)
@given(magis, sizes, money, money, st.sampled_from(YEARS), st.booleans())
def test_net_premium_between_zero_and_premium(
    magi: float, size: int, benchmark: float, premium: float, year: int, rounded: bool
) -> None:
    r = premium_tax_credit(magi, size, benchmark, premium, year, rounded=rounded)
    assert 0.0 <= r.credit <= premium
    assert 0.0 <= r.net_premium <= premium
    assert r.net_premium == pytest.approx(premium - r.credit)
    assert aca_net_premium(magi, size, benchmark, premium, year, rounded=rounded) == r.net_premium


@settings(max_examples=300, deadline=None)
@given(magis, magis, sizes, money, money, st.sampled_from(YEARS), st.booleans())
def test_credit_non_increasing_above_the_floor(
    a: float, b: float, size: int, benchmark: float, premium: float, year: int, rounded: bool
) -> None:
    lo, hi = min(a, b), max(a, b)
    floor = poverty_line(size, year)
    if lo < floor:  # the one place the credit rises with income: reaching 100%
        lo = floor
        hi = max(hi, lo)
    c_lo = premium_tax_credit(lo, size, benchmark, premium, year, rounded=rounded).credit
    c_hi = premium_tax_credit(hi, size, benchmark, premium, year, rounded=rounded).credit
    assert c_hi <= c_lo + 1e-9


@settings(max_examples=300, deadline=None)
@given(magis, st.floats(min_value=0, max_value=200, allow_nan=False), sizes, money, money,
       st.sampled_from((2024, 2025)))
def test_net_premium_continuous_without_cliff(
    magi: float, step: float, size: int, benchmark: float, premium: float, year: int
) -> None:
    # Above the floor the contribution's slope in MAGI is pct + ratio x dpct/dratio, at most
    # 0.085 + 4 x 0.025 = 0.185 (300-400%) or 0.06 + 3 x 0.04 = 0.18 (250-300%): < 0.25.
    m = max(magi, poverty_line(size, year))
    smooth = (aca_net_premium(m, size, benchmark, premium, year, rounded=False),
              aca_net_premium(m + step, size, benchmark, premium, year, rounded=False))
    assert abs(smooth[1] - smooth[0]) <= 0.25 * step + 1e-6
    # With the 0.01% rounding each side moves by at most 0.00005 x MAGI.
    stepped = (aca_net_premium(m, size, benchmark, premium, year),
               aca_net_premium(m + step, size, benchmark, premium, year))
    assert abs(stepped[1] - stepped[0]) <= 0.25 * step + 0.0001 * (m + step) + 1e-6


def test_the_2026_cliff_is_a_discontinuity() -> None:
    # The continuity above fails where the cliff applies: 1 cent over 400% loses the credit.
    edge = aca_magi_breakpoints(1, 2026)[-1]
    jump = (aca_net_premium(edge + 0.01, 1, 12_000, 12_000, 2026)
            - aca_net_premium(edge, 1, 12_000, 12_000, 2026))
    assert jump == pytest.approx(5_765.04)
    assert not math.isclose(jump, 0.0)
