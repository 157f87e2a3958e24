"""Engine behaviours checked against numbers worked out by hand from the rules' sources.

Each test builds a tiny scenario, projects it, and compares the output (as the user reads it,
in JSON) with arithmetic written out in the comments. 2026 figures: Rev. Proc. 2025-32 (brackets,
standard deduction), IRC §151(d)(5)(C) (senior deduction), CMS 2026 premiums fact sheet (IRMAA).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from planner.engine import project
from planner.report import to_json
from planner.scenario import parse_scenario
from tests.conftest import CliResult


def run(doc: dict[str, Any]) -> tuple[dict[int, dict[str, Any]], dict[str, Any]]:
    """Project a scenario document; the JSON rows by year, and the summary."""
    scenario = parse_scenario(tomli_w.dumps(doc), "test.toml")
    out = json.loads(to_json(project(scenario), "test.toml"))
    return {row["year"]: row for row in out["years"]}, out["summary"]


def household(people: list[dict[str, Any]], start: int, end: int, *, accounts=(), income=(),
              spending: float = 0.0, survivor_fraction: float = 0.7, inflation: float = 0.0,
              bond_return: float = 0.0, magi: dict[int, float] | None = None,
              qcd: float = 0.0) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "plan": {"start_year": start, "end_year": end,
                 "filing_status": "mfj" if len(people) == 2 else "single"},
        "people": people,
        "spending": {"annual": spending, "survivor_fraction": survivor_fraction},
        "assumptions": {"inflation": inflation, "stock_return": 0.0, "bond_return": bond_return,
                        "cash_return": 0.0},
        "strategy": {"qcd_annual": qcd},
    }
    if accounts:
        doc["accounts"] = list(accounts)
    if income:
        doc["income"] = list(income)
    if magi is not None:
        doc["history"] = {"magi": {str(y): m for y, m in magi.items()}}
    return doc


def person(name: str, born: int, month: int = 1, longevity: int = 100) -> dict[str, Any]:
    return {"name": name, "birth_year": born, "birth_month": month, "longevity": longevity}


def ira(owner: str, balance: float) -> dict[str, Any]:
    return {"name": f"{owner}-ira", "kind": "traditional", "owner": owner, "balance": balance,
            "stocks": 0.0}


def cash(balance: float) -> dict[str, Any]:
    return {"name": "cash", "kind": "cash", "balance": balance}


def social_security(owner: str, pia: float, claim_age: float) -> dict[str, Any]:
    return {"kind": "social_security", "owner": owner, "pia": pia, "claim_age": claim_age}


# --- Spending is met exactly -------------------------------------------------------------------

def test_spending_met_exactly_from_a_traditional_ira() -> None:
    # Pat, single, 66 in 2026, only an IRA; spends $40,000. No IRMAA (MAGI history is low).
    # Deduction 2026: 16,100 standard + 2,050 (65+, single) + 6,000 senior (AGI < 75,000) = 24,150.
    # With W withdrawn, taxable income W - 24,150 falls in the 12% band (12,400 to 50,400):
    #   tax = 1,240 + 12% (W - 24,150 - 12,400) = 0.12 W - 3,146
    #   W - tax = 40,000  ->  0.88 W = 36,854  ->  W = 41,879.545...
    # so W is 41,879.54 or .55, and tax = 0.12 W - 3,146 = 1,879.54 or .55 (to the cent).
    rows, _ = run(household([person("pat", 1960)], 2026, 2026, accounts=[ira("pat", 500_000)],
                            spending=40_000, magi={2024: 50_000, 2025: 50_000}))
    r = rows[2026]
    w = r["withdraw_traditional"]
    assert 41_879.54 <= w <= 41_879.55
    assert r["rmd"] == 0 and r["irmaa"] == 0 and r["niit"] == 0
    assert r["agi"] == w and r["taxable_income"] == pytest.approx(w - 24_150, abs=0.005)
    assert r["federal_tax"] == pytest.approx(round(0.12 * w - 3_146, 2), abs=0.005)
    surplus = round(w - r["federal_tax"] - r["spending"], 2)
    assert 0 <= surplus < 0.02
    assert r["shortfall"] == 0


def test_spending_met_from_taxable_with_untaxed_gains() -> None:
    # $200,000 brokerage account with $100,000 basis: half of each dollar withdrawn is gain.
    # Spending 30,000 -> gain 15,000 < the 24,150 deduction: no tax, so exactly 30,000 comes out.
    brokerage = {"name": "brokerage", "kind": "taxable", "balance": 200_000, "basis": 100_000}
    rows, _ = run(household([person("pat", 1960)], 2026, 2026, accounts=[brokerage],
                            spending=30_000, magi={2024: 0, 2025: 0}))
    r = rows[2026]
    assert (r["withdraw_taxable"], r["realized_gains"], r["federal_tax"]) == (30_000, 15_000, 0)
    assert r["end_taxable"] == 170_000  # bond_return 0: no growth


# --- RMDs ----------------------------------------------------------------------------------------

def test_first_rmd_at_73_for_born_1951() -> None:
    # Born 1951: applicable age 73 (SECURE 2.0), reached in 2024. Uniform Lifetime Table:
    # 73 -> 26.5, 74 -> 25.5. 2024: 265,000 / 26.5 = 10,000.00.
    # The rest grows at 4%: (265,000 - 10,000) x 1.04 = 265,200 on 31 Dec 2024,
    # so 2025: 265,200 / 25.5 = 10,400.00.
    rows, _ = run(household([person("lee", 1951)], 2024, 2025, accounts=[ira("lee", 265_000)],
                            bond_return=0.04, magi={2022: 0, 2023: 0}))
    assert rows[2024]["rmd"] == 10_000.00
    assert rows[2024]["withdraw_traditional"] == 10_000.00
    assert rows[2024]["end_traditional"] == 265_200.00
    assert rows[2025]["rmd"] == 10_400.00


def test_first_rmd_at_73_for_born_1959() -> None:
    # Born 1959: 73 in 2032 (and none at 72 in 2031). 100,000 x 1.06 = 106,000 -> / 26.5 = 4,000.
    rows, _ = run(household([person("kim", 1959, 12)], 2031, 2032,
                            accounts=[ira("kim", 100_000)], bond_return=0.06))
    assert rows[2031]["rmd"] == 0 and rows[2031]["withdraw_traditional"] == 0
    assert rows[2032]["rmd"] == 4_000.00


def test_first_rmd_at_75_for_born_1960() -> None:
    # Born 1960: applicable age 75, reached in 2035; none at 73 or 74.
    # 200,000 x 1.05 = 210,000 (2033) x 1.05 = 220,500 (2034); 2035: 220,500 / 24.6 = 8,963.41.
    rows, _ = run(household([person("pat", 1960)], 2033, 2035, accounts=[ira("pat", 200_000)],
                            bond_return=0.05))
    assert rows[2033]["rmd"] == rows[2034]["rmd"] == 0
    assert rows[2034]["end_traditional"] == 220_500.00
    assert rows[2035]["rmd"] == 8_963.41
    assert rows[2035]["withdraw_traditional"] >= 8_963.41


def test_qcd_counts_toward_the_rmd() -> None:
    # 80 in 2026 (Uniform Lifetime divisor 20.2): 404,000 / 20.2 = 20,000.00. A 5,000 QCD
    # leaves 15,000 to take. Nothing else is needed: spending 0.
    rows, _ = run(household([person("ann", 1946)], 2026, 2026, accounts=[ira("ann", 404_000)],
                            qcd=5_000, magi={2024: 0, 2025: 0}))
    r = rows[2026]
    assert (r["rmd"], r["qcd"], r["withdraw_traditional"]) == (20_000, 5_000, 15_000)
    assert r["agi"] == 15_000  # the QCD is not income
    assert r["end_traditional"] == 384_000


def test_qcd_counts_toward_the_owners_total_rmd() -> None:
    # Two IRAs of 404,000 each: each RMD is 404,000 / 20.2 = 20,000, 40,000 in all. An owner may
    # take the total from any of their IRAs (Treas. Reg. §1.408-8(e); Pub 590-B), and QCDs count
    # toward it (IRC §408(d)(8); Notice 2007-7 Q&A-42). A 30,000 QCD leaves 10,000 to take.
    second = {**ira("ann", 404_000), "name": "ann-ira-2"}
    rows, _ = run(household([person("ann", 1946)], 2026, 2026,
                            accounts=[ira("ann", 404_000), second], qcd=30_000,
                            magi={2024: 0, 2025: 0}))
    r = rows[2026]
    assert (r["rmd"], r["qcd"]) == (40_000, 30_000)
    assert r["withdraw_traditional"] == 10_000


# --- Social Security ----------------------------------------------------------------------------

@pytest.mark.parametrize(("claim_age", "factor", "first_year"), [
    # Born January 1964, full retirement age 67 (42 U.S.C. §416(l)).
    # 62: 60 months early: 36 x 5/9% + 24 x 5/12% = 20% + 10% = 30% less -> 70%.
    (62, 0.70, 2026),
    (67, 1.00, 2031),
    # 70: 36 months late x 2/3% = 24% more -> 124%.
    (70, 1.24, 2034),
])
def test_social_security_claim_ages(claim_age: int, factor: float, first_year: int) -> None:
    # PIA $2,000 in 2026 dollars; benefits grow with 2.5% inflation (COLA) from 2026.
    rows, _ = run(household([person("jo", 1964)], 2026, 2035,
                            income=[social_security("jo", 2_000, claim_age)], inflation=0.025))
    for year, row in rows.items():
        expected = 0.0 if year < first_year else 2_000 * factor * 12 * 1.025 ** (year - 2026)
        assert row["income_social_security"] == pytest.approx(expected, abs=0.011), year
    # e.g. claimed at 62: 16,800.00 in 2026 and 16,800 x 1.025 = 17,220.00 in 2027.
    if claim_age == 62:
        assert (rows[2026]["income_social_security"], rows[2027]["income_social_security"]) == (
            16_800.00, 17_220.00)


def test_social_security_first_year_is_partial() -> None:
    # Born July 1964, claiming at 62: benefits from July 2026, 6 months x 2,000 x 70% = 8,400.
    rows, _ = run(household([person("jo", 1964, 7)], 2026, 2027,
                            income=[social_security("jo", 2_000, 62)]))
    assert rows[2026]["income_social_security"] == 8_400.00
    assert rows[2027]["income_social_security"] == 16_800.00


# --- A death in a couple -------------------------------------------------------------------------

def couple(alex_longevity: int, sam_longevity: int) -> dict[str, Any]:
    # Alex born 1950, Sam 1952: both full retirement age 66, both claimed at 66, long ago.
    # Alex's PIA 3,000, Sam's 1,000. Cash covers the rest; no tax: provisional income is half the
    # benefits (24,000 at most), below the 32,000 / 25,000 base amounts (IRC §86).
    return household(
        [person("alex", 1950, longevity=alex_longevity), person("sam", 1952,
                                                                 longevity=sam_longevity)],
        2028, 2032, accounts=[cash(1_000_000)],
        income=[social_security("alex", 3_000, 66), social_security("sam", 1_000, 66)],
        spending=60_000, survivor_fraction=0.6, inflation=0.02, magi={2026: 0, 2027: 0})


def test_survivor_files_single_from_the_year_after_the_death() -> None:
    # Alex reaches 80 in 2030 and is alive through that year.
    rows, _ = run(couple(80, 95))
    assert [rows[y]["filing_status"] for y in range(2028, 2033)] == ["mfj"] * 3 + ["single"] * 2
    assert [rows[y]["age_alex"] for y in range(2028, 2033)] == [78, 79, 80, None, None]
    assert [rows[y]["age_sam"] for y in range(2028, 2033)] == [76, 77, 78, 79, 80]
    # Spending: 60,000 x 1.02^n, and x 0.6 once widowed:
    #   2030: 60,000 x 1.0404 = 62,424.00; 2031: 60,000 x 1.061208 x 0.6 = 38,203.49 (38,203.488)
    #   2032: 60,000 x 1.08243216 x 0.6 = 38,967.56 (38,967.558)
    assert rows[2030]["spending"] == 62_424.00
    assert rows[2031]["spending"] == 38_203.49
    assert rows[2032]["spending"] == 38_967.56


def test_survivor_keeps_the_larger_benefit() -> None:
    # Both alive: Alex 3,000, Sam 1,000 of own plus the spousal excess 50% x 3,000 - 1,000 = 500
    # (42 U.S.C. §402(b), (k)(3)(A); no reduction at full retirement age): 4,500 x 12 = 54,000,
    # and in 2030 x 1.02^2 = 56,181.60.
    # Alex dies first: Sam's own 12,000 is replaced by Alex's 36,000; x 1.02^3 = 38,203.49.
    rows, _ = run(couple(80, 95))
    assert rows[2028]["income_social_security"] == 54_000.00
    assert rows[2030]["income_social_security"] == 56_181.60
    assert rows[2031]["income_social_security"] == 38_203.49
    # Sam dies first (78 in 2030): Alex keeps his own, larger, benefit: 36,000 x 1.061208.
    rows, _ = run(couple(95, 78))
    assert rows[2031]["income_social_security"] == 38_203.49
    assert rows[2031]["age_sam"] is None and rows[2031]["filing_status"] == "single"
    # Cash pays what Social Security does not, untaxed: 2031: 38,203.49 - 38,203.49 = 0.
    assert rows[2031]["withdraw_cash"] == 0 and rows[2031]["federal_tax"] == 0


# --- IRMAA ---------------------------------------------------------------------------------------

# 2026 monthly surcharges (Part B + Part D) by tier: CMS, 2026 Medicare premiums fact sheet.
TIER_MONTHLY = [0.0, 81.20 + 14.50, 202.90 + 37.50, 324.60 + 60.40, 446.30 + 83.30, 487.00 + 91.00]
SINGLE_THRESHOLDS = [109_000, 137_000, 171_000, 205_000, 500_000]


def irmaa_single(magi_2024: float, magi_2025: float = 0.0, born: tuple[int, int] = (1958, 1)
                 ) -> dict[int, dict[str, Any]]:
    rows, _ = run(household([person("pat", *born)], 2026, 2027, accounts=[cash(2_000_000)],
                            spending=50_000, magi={2024: magi_2024, 2025: magi_2025}))
    return rows


@pytest.mark.parametrize(("magi", "tier"), [
    (109_000, 0),  # tiers are "over" the threshold
    (109_001, 1),  # one dollar over: tier 1
    (137_001, 2),
    (205_000, 3),
    (205_001, 4),
    (499_999, 4),
    (500_000, 5),  # the top tier is "at or above"
])
def test_irmaa_tier_from_magi_two_years_earlier(magi: float, tier: int) -> None:
    rows = irmaa_single(magi)
    # A full year on Medicare (68): 12 x the monthly surcharge, e.g. tier 1: 12 x 95.70 = 1,148.40.
    assert rows[2026]["irmaa"] == pytest.approx(12 * TIER_MONTHLY[tier], abs=0.005)
    # 2027 uses 2025's MAGI (0): no surcharge.
    assert rows[2027]["irmaa"] == 0
    # The surcharge is paid on top of spending, from cash (cash withdrawals are not income).
    assert rows[2026]["withdraw_cash"] == pytest.approx(50_000 + rows[2026]["irmaa"], abs=0.005)


def test_irmaa_uses_the_second_prior_year_not_the_first() -> None:
    rows = irmaa_single(0, 200_000)
    # 2027 premiums: 2025 MAGI 200,000 is over 171,000, not over 205,000: tier 3, 12 x 385.00.
    assert (rows[2026]["irmaa"], rows[2027]["irmaa"]) == (0, 4_620.00)


def test_irmaa_first_medicare_year_is_prorated() -> None:
    # Born June 1961: 65 in June 2026, on Medicare June-December: 7 x 95.70 = 669.90.
    rows = irmaa_single(109_001, born=(1961, 6))
    assert rows[2026]["irmaa"] == 669.90


def test_irmaa_couple_each_pays() -> None:
    # Joint threshold 218,000 (2026). One dollar over: tier 1 for each spouse: 2 x 1,148.40.
    def irmaa(magi: float) -> float:
        rows, _ = run(household([person("a", 1956), person("b", 1957)], 2026, 2026,
                                accounts=[cash(500_000)], spending=50_000,
                                magi={2024: magi, 2025: 0}))
        return rows[2026]["irmaa"]

    assert irmaa(218_000) == 0
    assert irmaa(218_001) == 2_296.80


def test_irmaa_from_projected_magi() -> None:
    # 2028 premiums use the 2026 return the planner projected. With no inflation, 2028's tiers
    # equal 2026's (indexing multiplies by 1.0).
    rows, _ = run(household([person("pat", 1958)], 2026, 2028,
                            accounts=[ira("pat", 3_000_000)], spending=150_000,
                            magi={2024: 0, 2025: 0}))
    magi_2026 = rows[2026]["magi"]
    assert magi_2026 > SINGLE_THRESHOLDS[0]
    tier = sum(1 for i, t in enumerate(SINGLE_THRESHOLDS)
               if magi_2026 > t or (i == len(SINGLE_THRESHOLDS) - 1 and magi_2026 >= t))
    assert rows[2028]["irmaa"] == pytest.approx(12 * TIER_MONTHLY[tier], abs=0.005)
    assert rows[2026]["irmaa"] == rows[2027]["irmaa"] == 0


# --- Shortfall ------------------------------------------------------------------------------------

SHORT = household([person("pat", 1960)], 2026, 2028, accounts=[cash(50_000)], spending=40_000,
                  magi={2024: 0, 2025: 0})


def test_shortfall_when_money_runs_out() -> None:
    # 50,000 of cash, 40,000 a year, no returns, no inflation:
    # 2026: 40,000 out, 10,000 left. 2027: 10,000 out, 30,000 short. 2028: 40,000 short.
    rows, summary = run(SHORT)
    assert [rows[y]["withdraw_cash"] for y in (2026, 2027, 2028)] == [40_000, 10_000, 0]
    assert [rows[y]["shortfall"] for y in (2026, 2027, 2028)] == [0, 30_000, 40_000]
    assert [rows[y]["end_total"] for y in (2026, 2027, 2028)] == [10_000, 0, 0]
    assert summary["first_shortfall_year"] == 2027


def test_fail_on_shortfall_exit_code(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    path = tmp_path / "short.toml"
    path.write_text(tomli_w.dumps(SHORT), encoding="utf-8")
    plain = run_cli("project", path, "-f", "csv")
    assert plain.code == 0 and plain.err == ""
    failing = run_cli("project", path, "-f", "csv", "--fail-on-shortfall")
    assert failing.code == 1
    assert failing.out == plain.out  # the projection is still written
    assert failing.err == "shortfall: first in 2027\n"
    funded = tmp_path / "funded.toml"
    funded.write_text(tomli_w.dumps({**SHORT, "accounts": [cash(500_000)]}), encoding="utf-8")
    assert run_cli("project", funded, "-f", "csv", "--fail-on-shortfall").code == 0


def test_guardrails_cut_spending_when_the_withdrawal_rate_rises() -> None:
    # Cash only, no interest, no inflation, no tax: year 1 draws 10,000 of 100,000, a 10% rate.
    # Year 2 starts with 90,000: 10,000 / 90,000 = 11.1% > 1.1 x 10% -> cut 10%: 9,000.
    # Year 3 starts with 81,000: 9,000 / 81,000 = 11.1% > 11% again -> cut to 8,100.
    from planner import parse_scenario, project

    text = """
[plan]
start_year = 2026
end_year = 2028
filing_status = "single"
[[people]]
name = "di"
birth_year = 1960
longevity = 95
[[accounts]]
name = "cash"
kind = "cash"
balance = 100000
[spending]
annual = 10000
[assumptions]
inflation = 0.0
stock_return = 0.05
bond_return = 0.03
cash_return = 0.0
[strategy.guardrails]
upper = 1.1
lower = 0.9
cut = 0.1
"""
    years = project(parse_scenario(text)).years
    assert [y.spending for y in years] == [10_000.0, 9_000.0, 8_100.0]
    assert [y.end_total for y in years] == [90_000.0, 81_000.0, 72_900.0]
