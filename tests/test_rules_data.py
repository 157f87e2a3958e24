"""The law files against the sourced reference, and the indexing of later years.

Every expected figure below is copied from /work/shared/reference/us-federal-rules.md (sections
named in each comment), not from `planner/law/*.toml`.
"""

from __future__ import annotations

import math
import tomllib
from importlib import resources

import pytest

from planner.rules import RulesError, law_tables, rules_for_year

RATES = (0.10, 0.12, 0.22, 0.24, 0.32, 0.35, 0.37)

# Reference §1.2: the rate applies to taxable income over the figure.
BRACKETS = {
    (2024, "single"): (0, 11_600, 47_150, 100_525, 191_950, 243_725, 609_350),
    (2025, "single"): (0, 11_925, 48_475, 103_350, 197_300, 250_525, 626_350),
    (2026, "single"): (0, 12_400, 50_400, 105_700, 201_775, 256_225, 640_600),
    (2024, "mfj"): (0, 23_200, 94_300, 201_050, 383_900, 487_450, 731_200),
    (2025, "mfj"): (0, 23_850, 96_950, 206_700, 394_600, 501_050, 751_600),
    (2026, "mfj"): (0, 24_800, 100_800, 211_400, 403_550, 512_450, 768_700),
}
# Reference §1.3 (2025: the OBBBA column) and §1.4.
STANDARD = {(2024, "single"): 14_600, (2025, "single"): 15_750, (2026, "single"): 16_100,
            (2024, "mfj"): 29_200, (2025, "mfj"): 31_500, (2026, "mfj"): 32_200}
ADDITIONAL_65 = {(2024, "single"): 1_950, (2025, "single"): 2_000, (2026, "single"): 2_050,
                 (2024, "mfj"): 1_550, (2025, "mfj"): 1_600, (2026, "mfj"): 1_650}
# Reference §2.1: top of the 0% band, top of the 15% band.
GAINS = {(2024, "single"): (47_025, 518_900), (2025, "single"): (48_350, 533_400),
         (2026, "single"): (49_450, 545_500), (2024, "mfj"): (94_050, 583_750),
         (2025, "mfj"): (96_700, 600_050), (2026, "mfj"): (98_900, 613_700)}
# Reference §5.3 (Part B tiers, standard premium, surcharges) and §5.4 (Part D).
IRMAA = {
    (2024, "single"): (103_000, 129_000, 161_000, 193_000, 500_000),
    (2025, "single"): (106_000, 133_000, 167_000, 200_000, 500_000),
    (2026, "single"): (109_000, 137_000, 171_000, 205_000, 500_000),
    (2024, "mfj"): (206_000, 258_000, 322_000, 386_000, 750_000),
    (2025, "mfj"): (212_000, 266_000, 334_000, 400_000, 750_000),
    (2026, "mfj"): (218_000, 274_000, 342_000, 410_000, 750_000),
}
PART_B_STANDARD = {2024: 174.70, 2025: 185.00, 2026: 202.90}
PART_B = {2024: (0.0, 69.90, 174.70, 279.50, 384.30, 419.30),
          2025: (0.0, 74.00, 185.00, 295.90, 406.90, 443.90),
          2026: (0.0, 81.20, 202.90, 324.60, 446.30, 487.00)}
PART_D = {2024: (0.0, 12.90, 33.30, 53.80, 74.20, 81.00),
          2025: (0.0, 13.70, 35.30, 57.00, 78.60, 85.80),
          2026: (0.0, 14.50, 37.50, 60.40, 83.30, 91.00)}
QCD = {2024: 105_000, 2025: 108_000, 2026: 111_000}  # reference §6
SENIOR = {2024: 0, 2025: 6_000, 2026: 6_000}  # reference §1.5: tax years 2025-2028 only

# Reference §4.3, ages 72, 73, ... 120 (120 and older).
UNIFORM = (
    27.4, 26.5, 25.5, 24.6, 23.7, 22.9, 22.0, 21.1, 20.2, 19.4,
    18.5, 17.7, 16.8, 16.0, 15.2, 14.4, 13.7, 12.9, 12.2, 11.5,
    10.8, 10.1, 9.5, 8.9, 8.4, 7.8, 7.3, 6.8, 6.4, 6.0,
    5.6, 5.2, 4.9, 4.6, 4.3, 4.1, 3.9, 3.7, 3.5, 3.4,
    3.3, 3.1, 3.0, 2.9, 2.8, 2.7, 2.5, 2.3, 2.0,
)

YEARS = (2024, 2025, 2026)
STATUSES = ("single", "mfj")


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("status", STATUSES)
def test_published_figures_by_status(year: int, status: str) -> None:
    st = rules_for_year(year).status(status)
    assert st.bracket_floors == BRACKETS[year, status]
    assert st.bracket_rates == RATES
    assert st.standard_deduction == STANDARD[year, status]
    assert st.additional_65 == ADDITIONAL_65[year, status]
    assert (st.cg_zero_top, st.cg_fifteen_top) == GAINS[year, status]
    assert st.irmaa_thresholds == IRMAA[year, status]
    # Statutory, not indexed: reference §1.5, §2.2, §3.1.
    single = status == "single"
    assert st.senior_phaseout_start == (75_000 if single else 150_000)
    assert st.niit_threshold == (200_000 if single else 250_000)
    assert (st.ss_base, st.ss_adjusted_base) == ((25_000, 34_000) if single else (32_000, 44_000))


@pytest.mark.parametrize("year", YEARS)
def test_published_figures_common(year: int) -> None:
    r = rules_for_year(year)
    assert r.year == year and r.projected_from is None
    assert r.senior_amount == SENIOR[year]
    assert r.senior_phaseout_rate == 0.06
    assert r.cg_rates == (0.0, 0.15, 0.20)
    assert r.capital_loss_limit == 3_000
    assert r.niit_rate == 0.038
    assert (r.ss_rate_1, r.ss_rate_2) == (0.50, 0.85)
    assert r.part_b_standard == PART_B_STANDARD[year]
    assert r.part_b_surcharge == PART_B[year]
    assert r.part_d_surcharge == PART_D[year]
    assert r.qcd_limit == QCD[year]


def test_fixed_tables() -> None:
    t = law_tables()
    assert t.uniform_first_age == 72
    assert t.uniform_divisors == UNIFORM
    # Reference §4.1: applicable age by date of birth.
    assert t.rmd_cohorts == ((1900, 1, 70.5), (1949, 7, 72.0), (1951, 1, 73.0), (1960, 1, 75.0))
    # Reference §7.1.
    assert t.fra_by_birth_year == (
        (1937, 65, 0), (1938, 65, 2), (1939, 65, 4), (1940, 65, 6), (1941, 65, 8),
        (1942, 65, 10), (1943, 66, 0), (1955, 66, 2), (1956, 66, 4), (1957, 66, 6),
        (1958, 66, 8), (1959, 66, 10), (1960, 67, 0),
    )
    # Reference §7.2: 5/9 of 1%, 5/12 of 1%, 2/3 of 1% a month; 62 to 70.
    assert (t.earliest_claim_age, t.latest_credit_age, t.reduction_first_months) == (62, 70, 36)
    assert t.reduction_rate_first == pytest.approx(5 / 900, abs=1e-15)
    assert t.reduction_rate_after == pytest.approx(5 / 1200, abs=1e-15)
    assert t.delayed_credit_rate == pytest.approx(2 / 300, abs=1e-15)
    assert t.medicare_age == 65
    assert t.qcd_age_months == 70 * 12 + 6


def test_joint_table_shape() -> None:
    """Reg. §1.401(a)(9)-9(d) rows for owners 70..120, spouses 20..owner-11, sorted sensibly."""
    t = law_tables()
    assert t.joint_first_owner_age == 70 and t.joint_first_spouse_age == 20
    assert len(t.joint_divisors) == 51
    for i, row in enumerate(t.joint_divisors):
        owner = 70 + i
        assert len(row) == owner - 11 - 20 + 1
        assert all(a >= b for a, b in zip(row, row[1:], strict=False)), owner
        # A spouse more than 10 years younger always gives at least the Uniform period.
        assert min(row) >= UNIFORM[min(owner, 120) - 72 if owner >= 72 else 0]
    for upper, lower in zip(t.joint_divisors, t.joint_divisors[1:], strict=False):
        assert all(a >= b for a, b in zip(upper, lower, strict=False))


def _law_files() -> list[str]:
    return sorted(p.name for p in resources.files("planner.law").iterdir()
                  if p.name.endswith(".toml"))


def test_law_files_present() -> None:
    assert {"2024.toml", "2025.toml", "2026.toml", "indexing.toml", "tables.toml",
            "joint_life.toml"} <= set(
        _law_files())


@pytest.mark.parametrize("name", _law_files())
def test_every_section_has_a_source(name: str) -> None:
    raw = tomllib.loads(resources.files("planner.law").joinpath(name).read_text("utf-8"))
    sections = {k: v for k, v in raw.items() if isinstance(v, dict)}
    assert sections
    for key, section in sections.items():
        source = section.get("source")
        assert isinstance(source, str) and len(source.strip()) > 10, f"{name} [{key}]"


# --- Projected years -------------------------------------------------------------------------

def _down(value: float, factor: float, step: float) -> tuple[float, float]:
    """Bounds of a figure indexed by `factor` and rounded down to `step`."""
    exact = value * factor
    return exact - step, exact


def _check_down(got: float, value: float, factor: float, step: float) -> None:
    low, high = _down(value, factor, step)
    assert got % step == 0, (got, step)
    assert low < got <= high + 1e-6, (got, low, high)


@pytest.mark.parametrize("year", [2027, 2030, 2041])
@pytest.mark.parametrize("inflation", [0.025, 0.037])
def test_indexed_figures_round_as_the_statutes_say(year: int, inflation: float) -> None:
    r = rules_for_year(year, inflation)
    assert r.projected_from == 2026 and r.year == year
    f = (1 + inflation) ** (year - 2026)
    s, m = r.single, r.mfj
    # Brackets: increase down to $25 single, $50 joint (IRC §1(f)(7), §1(j)(3)(B)(ii)); the
    # joint 10%-35% thresholds, based on twice the single ones, stay twice the single.
    for got, base in zip(s.bracket_floors, BRACKETS[2026, "single"], strict=True):
        _check_down(got, base, f, 25)
    for got, base in zip(m.bracket_floors, BRACKETS[2026, "mfj"], strict=True):
        _check_down(got, base, f, 50)
    assert m.bracket_floors[:6] == tuple(2 * x for x in s.bracket_floors[:6])
    assert s.bracket_rates == RATES == m.bracket_rates
    # Standard deduction: down to $50; joint = 200% of single (IRC §63(c)(2)(A)).
    _check_down(s.standard_deduction, 16_100, f, 50)
    assert m.standard_deduction == 2 * s.standard_deduction
    _check_down(s.additional_65, 2_050, f, 50)
    _check_down(m.additional_65, 1_650, f, 50)
    # Capital gain bands: increase down to $50 (IRC §1(j)(5)(C)); the single 0% band is half
    # the joint one (§1(j)(5)(B)).
    _check_down(m.cg_zero_top, 98_900, f, 50)
    assert s.cg_zero_top == m.cg_zero_top / 2
    _check_down(s.cg_fifteen_top, 545_500, f, 50)
    _check_down(m.cg_fifteen_top, 613_700, f, 50)
    # QCD limit: down to $1,000 (IRC §408(d)(8)(G)).
    _check_down(r.qcd_limit, 111_000, f, 1_000)
    # IRMAA tiers 1-4: nearest $1,000; the top tier fixed through 2027; joint tiers twice the
    # single ones, the top one 150% (42 U.S.C. §1395r(i)(3)(C)(ii), (i)(5)).
    for got, base in zip(s.irmaa_thresholds[:4], IRMAA[2026, "single"][:4], strict=True):
        assert got % 1_000 == 0 and abs(got - base * f) <= 500 + 1e-6
    assert m.irmaa_thresholds[:4] == tuple(2 * x for x in s.irmaa_thresholds[:4])
    top_f = (1 + inflation) ** max(0, year - 2027)
    top = s.irmaa_thresholds[4]
    assert top % 1_000 == 0 and abs(top - 500_000 * top_f) <= 500 + 1e-6
    assert m.irmaa_thresholds[4] == 1.5 * top
    # Not indexed: Social Security thresholds, NIIT thresholds, $3,000, senior deduction terms.
    assert (s.ss_base, s.ss_adjusted_base, m.ss_base, m.ss_adjusted_base) == (
        25_000, 34_000, 32_000, 44_000)
    assert (s.niit_threshold, m.niit_threshold, r.niit_rate) == (200_000, 250_000, 0.038)
    assert r.capital_loss_limit == 3_000
    assert (s.senior_phaseout_start, m.senior_phaseout_start) == (75_000, 150_000)
    assert r.senior_phaseout_rate == 0.06
    assert r.senior_amount == (6_000 if year <= 2028 else 0)
    # Medicare premiums: an assumption, scaled with inflation to the cent.
    assert r.part_b_standard == pytest.approx(202.90 * f, abs=0.005)
    for got, base in zip(r.part_b_surcharge, PART_B[2026], strict=True):
        assert got == pytest.approx(base * f, abs=0.005)


def test_indexed_2027_by_hand() -> None:
    """2027 at 2.5%: each figure worked out from the 2026 table and the statute's rounding."""
    r = rules_for_year(2027, 0.025)
    # 12,400 x 1.025 = 12,710 -> 12,700; 50,400 x 1.025 = 51,660 -> 51,650;
    # 640,600 x 1.025 = 656,615 -> 656,600; joint 37%: 768,700 + 19,217.5 -> 787,900.
    assert r.single.bracket_floors[1:3] == (12_700, 51_650)
    assert r.single.bracket_floors[6] == 656_600
    assert r.mfj.bracket_floors[1:3] == (25_400, 103_300)
    assert r.mfj.bracket_floors[6] == 787_900
    # 16,100 x 1.025 = 16,502.50 -> 16,500 (joint 33,000); 65+: 2,050 -> 2,101.25 -> 2,100;
    # 1,650 -> 1,691.25 -> 1,650.
    assert (r.single.standard_deduction, r.mfj.standard_deduction) == (16_500, 33_000)
    assert (r.single.additional_65, r.mfj.additional_65) == (2_100, 1_650)
    # Joint 0%: 98,900 + 2,472.5 -> +2,450 = 101,350, single half: 50,675;
    # single 15%: 545,500 + 13,637.5 -> 559,100; joint 15%: 613,700 + 15,342.5 -> 629,000.
    assert (r.mfj.cg_zero_top, r.mfj.cg_fifteen_top) == (101_350, 629_000)
    assert (r.single.cg_zero_top, r.single.cg_fifteen_top) == (50_675, 559_100)
    # QCD: 111,000 x 1.025 = 113,775 -> 113,000.
    assert r.qcd_limit == 113_000
    # IRMAA: 109,000 x 1.025 = 111,725 -> 112,000; 205,000 x 1.025 = 210,125 -> 210,000;
    # top tier still 500,000 / 750,000 in 2027.
    assert r.single.irmaa_thresholds == (112_000, 140_000, 175_000, 210_000, 500_000)
    assert r.mfj.irmaa_thresholds == (224_000, 280_000, 350_000, 420_000, 750_000)


def test_joint_37_percent_bracket_rounds_to_50() -> None:
    # 2027 at 4%: joint 768,700 + 30,748 -> +30,700 (a $25 step would give +30,725) = 799,400;
    # single 640,600 + 25,624 -> +25,600 = 666,200.
    r = rules_for_year(2027, 0.04)
    assert r.mfj.bracket_floors[6] == 799_400
    assert r.single.bracket_floors[6] == 666_200


def test_top_irmaa_tier_indexed_from_2028() -> None:
    # 2028 at 3.12%: the top tier has one year of indexing: 500,000 x 1.0312 = 515,600 -> 516,000;
    # joint: 150% of that, 774,000.
    r = rules_for_year(2028, 0.0312)
    assert r.single.irmaa_thresholds[4] == 516_000
    assert r.mfj.irmaa_thresholds[4] == 774_000


def test_senior_deduction_years() -> None:
    assert rules_for_year(2024).senior_amount == 0
    for year in (2025, 2026, 2027, 2028):
        assert rules_for_year(year).senior_amount == 6_000
    for year in (2029, 2030, 2045):
        assert rules_for_year(year).senior_amount == 0


@pytest.mark.parametrize("year", [2023, 2000, 1990])
def test_years_before_2024_are_refused(year: int) -> None:
    with pytest.raises(RulesError, match=str(year)):
        rules_for_year(year)


def test_zero_inflation_keeps_2026_figures() -> None:
    r2030 = rules_for_year(2030, 0.0)
    r2026 = rules_for_year(2026)
    assert r2030.projected_from == 2026
    assert r2030.senior_amount == 0  # the senior deduction ends after 2028
    assert r2030.single.standard_deduction == 16_100
    assert r2030.mfj.bracket_floors == BRACKETS[2026, "mfj"]
    assert r2030.part_b_surcharge == PART_B[2026]
    same = r2030._replace(year=2026, projected_from=None, senior_amount=6_000.0)
    assert same == r2026


def test_projection_does_not_alter_published_years() -> None:
    rules_for_year(2035, 0.09)
    assert rules_for_year(2026).single.irmaa_thresholds == IRMAA[2026, "single"]
    assert rules_for_year(2026).mfj.bracket_floors == BRACKETS[2026, "mfj"]


def test_higher_inflation_never_lowers_a_figure() -> None:
    low, high = rules_for_year(2040, 0.02), rules_for_year(2040, 0.04)
    for status in STATUSES:
        a, b = low.status(status), high.status(status)
        assert all(x <= y for x, y in zip(a.bracket_floors, b.bracket_floors, strict=True))
        assert a.standard_deduction <= b.standard_deduction
        assert all(x <= y for x, y in zip(a.irmaa_thresholds, b.irmaa_thresholds, strict=True))
    assert math.isfinite(high.qcd_limit) and low.qcd_limit <= high.qcd_limit
