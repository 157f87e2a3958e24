"""Spouse's and widow(er)'s benefits, the earnings test, joint-and-survivor pensions, COLAs and
annuities bought from an IRA, as `timeline` reports them (docs/MODELING.md (Social Security)).

Inflation is 0 in these households, so benefits in today's dollars are the nominal ones and the
earnings test's exempt amounts after 2026 stay at the 2026 figures ($24,480 / $65,160).
"""

from __future__ import annotations

from typing import Any

import pytest
import tomli_w

from planner.errors import PlannerError
from planner.rules import law_tables
from planner.scenario import Scenario, parse_scenario
from planner.timeline import YearFacts, timeline

T = law_tables()


def person(name: str, born: int, longevity: int = 95, month: int = 1) -> dict[str, Any]:
    return {"name": name, "birth_year": born, "birth_month": month, "longevity": longevity}


def ss(owner: str, pia: float, claim_age: float, **extra: Any) -> dict[str, Any]:
    return {"kind": "social_security", "owner": owner, "pia": pia, "claim_age": claim_age,
            **extra}


def scenario(people: list[dict[str, Any]], income: list[dict[str, Any]], start: int = 2024,
             accounts: list[dict[str, Any]] | None = None) -> Scenario:
    doc = {
        "plan": {"start_year": start, "filing_status": "mfj" if len(people) == 2 else "single"},
        "people": people,
        "accounts": accounts or [{"name": "cash", "kind": "cash", "balance": 100_000}],
        "income": income,
        "spending": {"annual": 10_000},
        "assumptions": {"inflation": 0.0, "stock_return": 0.05, "bond_return": 0.03,
                        "cash_return": 0.02},
    }
    return parse_scenario(tomli_w.dumps(doc))


def years(s: Scenario) -> dict[int, YearFacts]:
    return {f.year: f for f in timeline(s, T)}


def benefit(facts: YearFacts, name: str) -> float:
    return facts.social_security_by_person[facts.alive.index(name)]


# --- Spouse's benefits ------------------------------------------------------------------------

def test_spousal_benefit_at_full_retirement_age() -> None:
    # Both born January 1962 (FRA 67), both claim at 67 (January 2029). Sam: own 1,000 plus the
    # excess 50% x 3,000 - 1,000 = 500, unreduced: 1,500 a month, 18,000 a year.
    f = years(scenario([person("alex", 1962), person("sam", 1962)],
                       [ss("alex", 3_000, 67), ss("sam", 1_000, 67)]))
    assert benefit(f[2028], "sam") == 0
    assert f[2029].social_security_by_person == (36_000, 18_000)
    assert f[2029].social_security == 54_000


def test_spousal_benefit_claimed_early_by_both() -> None:
    # Both claim at 62 (January 2024), 60 months before FRA 67. Alex: 3,000 x 70% = 2,100.
    # Sam: own 1,000 x 70% = 700; spouse's part 500 x (1 - 36 x 25/36% - 24 x 5/12%) = 500 x 65%
    # = 325: 1,025 a month, 12,300 a year.
    f = years(scenario([person("alex", 1962), person("sam", 1962)],
                       [ss("alex", 3_000, 62), ss("sam", 1_000, 62)]))
    assert f[2024].social_security_by_person == (25_200, 12_300)


def test_spousal_part_starts_when_the_worker_files() -> None:
    # Sam (born 1962) claims at 62 in January 2024; Alex (born 1960) files at 66 in January 2026:
    # 12 months early, 3,000 x (1 - 12 x 5/9%) = 2,800. Sam's spouse's part starts then, at 64:
    # 36 months early, 500 x 75% = 375; with her own 700: 1,075 a month, 12,900 a year.
    f = years(scenario([person("alex", 1960), person("sam", 1962)],
                       [ss("alex", 3_000, 66), ss("sam", 1_000, 62)]))
    assert benefit(f[2025], "sam") == 8_400  # own only: 700 x 12
    assert f[2026].social_security_by_person == (33_600, 12_900)


def test_spouse_without_work_record_claims_with_pia_zero() -> None:
    # Sam has no record (PIA 0) and claims at 65 in January 2027, 24 months before FRA 67:
    # 1,500 x (1 - 24 x 25/36%) = 1,500 x 83.33% = 1,250 a month, 15,000 a year. Alex: 3,000 x 70%.
    f = years(scenario([person("alex", 1962), person("sam", 1962)],
                       [ss("alex", 3_000, 62), ss("sam", 0, 65)]))
    assert benefit(f[2026], "sam") == 0
    assert benefit(f[2027], "sam") == pytest.approx(15_000)


def test_no_spousal_part_when_own_pia_is_half_or_more() -> None:
    f = years(scenario([person("alex", 1962), person("sam", 1962)],
                       [ss("alex", 3_000, 67), ss("sam", 1_500, 67)]))
    assert f[2029].social_security_by_person == (36_000, 18_000)


# --- Widow(er)'s benefits ---------------------------------------------------------------------

def test_survivor_when_the_deceased_claimed_early_rib_lim() -> None:
    # Alex (born 1960, FRA 67) claimed at 62 (2022): 3,000 x 70% = 2,100; dies in 2030 at 70.
    # Sam (born 1960, own 1,000 x 70% = 700 plus the spouse's part 500 x 65% = 325), is 71 in 2031,
    # past her survivor FRA (66+8): 100% of PIA limited to max(2,100, 82.5% x 3,000 = 2,475):
    # 2,475 a month, 29,700 a year (the former rule paid 2,100).
    f = years(scenario([person("alex", 1960, longevity=70), person("sam", 1960)],
                       [ss("alex", 3_000, 62), ss("sam", 1_000, 62)]))
    assert f[2030].social_security_by_person == (25_200, 12_300)
    assert f[2031].alive == ("sam",)
    assert f[2031].social_security_by_person == (29_700,)


def test_survivor_when_the_deceased_claimed_at_70() -> None:
    # Alex (born 1957, FRA 66+6) claims at 70 in January 2027: 42 months x 2/3% = 28%: 3,840.
    # Sam (born 1957) claimed at 67: 6 months x 2/3%: 1,040; spouse's part from Alex's filing, Sam
    # past FRA: 500 unreduced: 1,540 a month. Alex dies in 2032; in 2033 Sam, 76, gets 3,840.
    f = years(scenario([person("alex", 1957, longevity=75), person("sam", 1957)],
                       [ss("alex", 3_000, 70), ss("sam", 1_000, 67)]))
    assert benefit(f[2026], "sam") == pytest.approx(12_480)  # 1,040 x 12
    assert f[2030].social_security_by_person == pytest.approx((46_080, 18_480))
    assert f[2033].social_security_by_person == pytest.approx((46_080,))


def test_survivor_when_the_deceased_died_before_claiming_after_fra() -> None:
    # Alex (born January 1957, FRA 66+6 = 798 months) planned to claim at 70 but dies in 2025; in
    # December 2025 he is 68y11m = 827 months: 29 months of credits x 2/3% = 19.333%: 3,580.
    # Sam, 69 in 2026, past survivor FRA: 3,580 x 12 = 42,960.
    f = years(scenario([person("alex", 1957, longevity=68), person("sam", 1957)],
                       [ss("alex", 3_000, 70), ss("sam", 1_000, 67)]))
    assert f[2026].social_security_by_person == pytest.approx((42_960,))


def test_survivor_when_the_deceased_died_before_fra_and_survivor_claims_early() -> None:
    # Alex (born 1962) dies in 2025 at 63 without claiming: 100% of PIA, no RIB-LIM.
    # Sam (born 1962, survivor FRA 67) starts it in January 2026 at 64 (survivor_claim_age 60
    # is already past): 36 of 84 months early: 1 - 28.5% x 36/84 = 87.7857%: 2,633.57 a month.
    f = years(scenario([person("alex", 1962, longevity=63), person("sam", 1962)],
                       [ss("alex", 3_000, 70), ss("sam", 1_000, 62, survivor_claim_age=60)]))
    assert f[2026].social_security_by_person == pytest.approx((3_000 * (1 - 0.285 * 36 / 84)
                                                               * 12,))
    # Default: the widow(er)'s benefit waits for survivor FRA (January 2029); until then her own
    # 700 (claimed at 62), then 3,000 unreduced.
    f = years(scenario([person("alex", 1962, longevity=63), person("sam", 1962)],
                       [ss("alex", 3_000, 70), ss("sam", 1_000, 62)]))
    assert f[2028].social_security_by_person == (8_400,)
    assert f[2029].social_security_by_person == (36_000,)


@pytest.mark.parametrize(("claim_age", "year", "annual"), [
    (60, 2026, 3_000 * 0.715 * 12),  # at 60: 71.5%: 2,145 a month, 25,740 a year
    (62, 2028, 3_000 * (1 - 0.285 * 60 / 84) * 12),  # at 62: 79.643%: 2,389.29, 28,671.43 a year
])
def test_survivor_reduction_at_60_and_62(claim_age: int, year: int, annual: float) -> None:
    # Alex (born 1960) dies in 2025 at 65, before claiming: 100% of PIA 3,000. Sam (born January
    # 1966, survivor FRA 67 = 84 months after 60) has no work record of her own.
    f = years(scenario([person("alex", 1960, longevity=65), person("sam", 1966)],
                       [ss("alex", 3_000, 67), ss("sam", 0, 70, survivor_claim_age=claim_age)]))
    assert f[year - 1].social_security == 0  # 2025: Alex had not claimed; 2027: Sam is 61
    assert f[year].social_security == pytest.approx(annual, abs=0.005)


# --- Earnings test ----------------------------------------------------------------------------

def worker(wages: float, born_month: int = 1, start_year: int | None = None,
           end_year: int | None = None) -> Scenario:
    """Pat, born 1962 (FRA 67), claims at 62: 1,000 x 70% = 700 a month; works for `wages`."""
    job: dict[str, Any] = {"kind": "wages", "owner": "pat", "annual": wages}
    for key, value in (("start_year", start_year), ("end_year", end_year)):
        if value is not None:
            job[key] = value
    return scenario([person("pat", 1962, month=born_month)], [ss("pat", 1_000, 62), job])


def test_earnings_below_the_exempt_amount() -> None:
    f = years(worker(20_000))  # 2024: below 22,320
    assert (f[2024].social_security, f[2024].ss_withheld) == (8_400, 0)
    assert f[2024].wages_by_person == (20_000,)


def test_earnings_above_the_exempt_amount() -> None:
    # 2024: (32,320 - 22,320) / 2 = 5,000 withheld of 8,400: 3,400 paid (8 months touched).
    f = years(worker(32_320))
    assert (f[2024].social_security, f[2024].ss_withheld) == (3_400, 5_000)


def test_earnings_in_the_year_of_fra() -> None:
    # Born August 1962: FRA (67) in August 2029, 7 months before it; claimed August 2024 (62).
    # Wages in 2029 only (inflation 0: 2026 figures): 120,000 x 7/12 = 70,000 counted;
    # (70,000 - 65,160) / 3 = 1,613.33 withheld from January-March (700, 700, 213.33): 3 months.
    # From August the reduction is for 60 - 3 = 57 months: 1 - 36 x 5/9% - 21 x 5/12% = 71.25%,
    # 712.50 a month. Paid: 7 x 700 - 1,613.33 + 5 x 712.50 = 4,900 - 1,613.33 + 3,562.50.
    f = years(worker(120_000, born_month=8, start_year=2029))
    assert f[2028].social_security == 8_400
    assert f[2029].ss_withheld == pytest.approx(1_613.33)
    assert f[2029].social_security == pytest.approx(6_849.17)
    assert f[2030].social_security == pytest.approx(8_550)  # 712.50 x 12


def test_withheld_months_are_credited_at_fra() -> None:
    # 100,000 of wages in 2024-2026: every month withheld (38,840, 38,300 and 37,760 to withhold,
    # more than 8,400): 36 months. At FRA (January 2029) the reduction is recomputed as if
    # claimed 36 months later, at 65: 24 months early, 1,000 x (1 - 24 x 5/9%) = 866.67 a month.
    f = years(worker(100_000, end_year=2026))
    assert [f[y].social_security for y in (2024, 2025, 2026)] == [0, 0, 0]
    assert [f[y].ss_withheld for y in (2024, 2025, 2026)] == [8_400, 8_400, 8_400]
    assert f[2028].social_security == 8_400  # no wages: 700 x 12, the old reduction
    assert f[2029].social_security == pytest.approx(10_400)  # 866.67 x 12


def test_no_earnings_test_after_fra_or_for_another_persons_wages() -> None:
    # Born 1955 (FRA 66+2), claimed at 67: 10 months of credits, 1,066.67 a month, untested.
    f = years(scenario([person("pat", 1955)], [ss("pat", 1_000, 67),
                                               {"kind": "wages", "owner": "pat",
                                                "annual": 200_000}]))
    assert f[2024].ss_withheld == 0 and f[2024].social_security == 12_800
    s = scenario([person("alex", 1962), person("sam", 1962)],
                 [ss("alex", 1_000, 62), ss("sam", 1_000, 62),
                  {"kind": "wages", "owner": "sam", "annual": 200_000},
                  {"kind": "wages", "annual": 5_000}])
    f = years(s)
    # Sam's wages withhold all of Sam's benefits; Alex's are paid in full. Wages without an owner
    # count to the first person.
    assert f[2024].social_security_by_person == (8_400, 0)
    assert f[2024].wages_by_person == (5_000, 200_000)


# --- Pensions and annuities -------------------------------------------------------------------

def couple_with(income: list[dict[str, Any]], alex_longevity: int = 66,
                accounts: list[dict[str, Any]] | None = None) -> dict[int, YearFacts]:
    return years(scenario([person("alex", 1960, longevity=alex_longevity),
                           person("sam", 1962, longevity=70)], income, accounts=accounts))


def test_joint_and_survivor_pension() -> None:
    # Alex dies in 2026: 24,000 to Alex through 2026, then 50% (12,000) to Sam until her death
    # (2032, at 70), nothing after.
    f = couple_with([{"kind": "pension", "owner": "alex", "annual": 24_000,
                      "survivor_fraction": 0.5}])
    assert f[2026].pensions_by_person == (24_000, 0)
    assert f[2027].pensions_by_person == (12_000,)
    assert f[2027].other_income == 12_000 and f[2027].taxable_other == (12_000,)
    assert f[2032].other_income == 12_000
    assert 2033 not in f
    # Without a survivor share the pension ends with Alex.
    f = couple_with([{"kind": "pension", "owner": "alex", "annual": 24_000}])
    assert f[2027].other_income == 0


def test_pension_cola() -> None:
    # 10,000 from 2025, +2% a year: 2025 10,000; 2027 10,000 x 1.02^2 = 10,404.
    f = couple_with([{"kind": "pension", "owner": "sam", "annual": 10_000, "start_year": 2025,
                      "cola": 0.02}], alex_longevity=90)
    assert f[2024].other_income == 0
    assert f[2025].other_income == 10_000
    assert f[2027].other_income == 10_404
    assert f[2027].pensions_by_person == (0, 10_404)


def test_annuity_bought_from_an_ira() -> None:
    ira = [{"name": "ira", "kind": "traditional", "owner": "alex", "balance": 500_000}]
    f = couple_with([{"kind": "annuity", "owner": "alex", "annual": 7_000, "start_year": 2025,
                      "premium": 100_000, "from_account": "ira", "survivor_fraction": 1.0}],
                    accounts=ira)
    assert f[2024].annuity_premiums == () and f[2024].other_income == 0
    assert f[2025].annuity_premiums == (("ira", 100_000),)
    assert f[2025].pensions_by_person == (7_000, 0)
    assert f[2026].annuity_premiums == ()
    assert f[2027].pensions_by_person == (7_000,)  # joint life: in full to Sam


# --- Validation: each error names the key -----------------------------------------------------

BAD = [
    ({"kind": "pension", "owner": "alex", "annual": 1, "survivor_fraction": 0.5}, False,
     "income[2].survivor_fraction", "spouse"),
    ({"kind": "pension", "annual": 1, "survivor_fraction": 0.5}, False,
     "income[2].survivor_fraction", "spouse"),
    ({"kind": "wages", "owner": "alex", "annual": 1, "cola": 0.02}, False, "income[2].cola",
     "only for pension and annuity"),
    ({"kind": "pension", "annual": 1, "cola": 0.02, "inflation_adjusted": True}, False,
     "income[2].cola", "not both"),
    ({"kind": "pension", "owner": "alex", "annual": 1, "premium": 5, "from_account": "ira"},
     False, "income[2].premium", "only for annuity"),
    ({"kind": "annuity", "owner": "alex", "annual": 1, "premium": 5, "start_year": 2025}, False,
     "income[2].from_account", "required together with premium"),
    ({"kind": "annuity", "owner": "alex", "annual": 1, "from_account": "ira",
      "start_year": 2025}, False, "income[2].premium", "required together with from_account"),
    ({"kind": "annuity", "owner": "alex", "annual": 1, "premium": 5, "from_account": "ira"},
     False, "income[2].start_year", "required"),
    ({"kind": "annuity", "owner": "alex", "annual": 1, "premium": 5, "from_account": "ira",
      "start_year": 2025, "taxable": False}, False, "income[2].taxable", "must be true"),
    ({"kind": "annuity", "owner": "alex", "annual": 1, "premium": 5, "from_account": "roth",
      "start_year": 2025}, False, "income[2].from_account", "must be traditional"),
    ({"kind": "annuity", "owner": "alex", "annual": 1, "premium": 5, "from_account": "nope",
      "start_year": 2025}, False, "income[2].from_account", "not among [[accounts]]"),
    ({"kind": "annuity", "owner": "sam", "annual": 1, "premium": 5, "from_account": "ira",
      "start_year": 2025}, True, "income[2].from_account", "not by the annuity's owner"),
    ({"kind": "pension", "annual": 1, "survivor_claim_age": 60}, False,
     "income[2].survivor_claim_age", "only for social_security"),
]


@pytest.mark.parametrize(("bad", "couple", "key", "message"), BAD)
def test_income_errors_name_the_key(bad: dict[str, Any], couple: bool, key: str,
                                    message: str) -> None:
    people = [person("alex", 1960)] + ([person("sam", 1962)] if couple else [])
    accounts = [{"name": "ira", "kind": "traditional", "owner": "alex", "balance": 1_000},
                {"name": "roth", "kind": "roth", "owner": "alex", "balance": 1_000}]
    with pytest.raises(PlannerError) as err:
        scenario(people, [ss("alex", 1_000, 67), bad], accounts=accounts)
    assert err.value.key == key
    assert message in err.value.message


@pytest.mark.parametrize(("key", "value"), [("survivor_fraction", 0.5), ("cola", 0.01),
                                            ("premium", 5.0)])
def test_pension_keys_are_refused_on_social_security(key: str, value: float) -> None:
    with pytest.raises(PlannerError) as err:
        scenario([person("alex", 1960)], [ss("alex", 1_000, 67, **{key: value})])
    assert err.value.key == f"income[1].{key}"
    assert "not used for social_security" in err.value.message


def test_survivor_claim_age_range() -> None:
    with pytest.raises(PlannerError) as err:
        scenario([person("alex", 1960)], [ss("alex", 1_000, 67, survivor_claim_age=59)])
    assert err.value.key == "income[1].survivor_claim_age"
