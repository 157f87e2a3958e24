"""Invariants of every projected year, over generated households and the bundled scenarios.

The checks read the CSV and JSON the user sees, as exact decimals: the contract promises money
conserved to the cent on the rounded values.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings

from planner.engine import project
from planner.report import to_csv, to_json
from planner.scenario import Scenario, load_scenario, parse_scenario
from tests.conftest import SCENARIOS
from tests.strategies_hyp import scenario_dicts

CENT = Decimal("0.01")
KINDS = ("cash", "taxable", "traditional", "roth", "hsa")
NIIT_THRESHOLD = {"single": Decimal(200_000), "mfj": Decimal(250_000)}
NONNEGATIVE = (
    "spending", "income_social_security", "income_other", "rmd", "withdraw_cash",
    "withdraw_taxable", "withdraw_traditional", "withdraw_roth", "roth_conversion", "qcd",
    "taxable_social_security", "taxable_income", "federal_tax", "niit", "irmaa", "end_cash",
    "end_taxable", "end_traditional", "end_roth", "end_total", "shortfall",
)


def opening_total(scenario: Scenario) -> Decimal:
    """The scenario's balances, in cents (an account given by lots holds their sum)."""
    total = Decimal(0)
    for acc in scenario.accounts:
        if acc.balance is not None:
            total += Decimal(str(acc.balance)).quantize(CENT)
        else:
            total += sum((Decimal(str(lot.value)) for lot in acc.lots or ()), Decimal(0))
    return total


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def check_conservation(rows: list[dict[str, Any]], start: Decimal) -> None:
    """start + investment_return + SS + other + employer contributions = spending + federal tax
    + state tax + payroll tax + irmaa + net ACA premium + annuity premium + qcd + end
    - shortfall."""

    def d(row: dict[str, Any], key: str) -> Decimal:
        return Decimal(str(row[key]))

    for row in rows:
        if "start_total" in row:
            assert d(row, "start_total") == start, row["year"]
        left = start + d(row, "investment_return") + d(row, "income_social_security") + d(
            row, "income_other") + d(row, "employer_contributions")
        right = (d(row, "spending") + d(row, "federal_tax") + d(row, "state_tax")
                 + d(row, "payroll_tax")
                 + d(row, "irmaa") + d(row, "aca_net_premium") + d(row, "annuity_premium")
                 + d(row, "qcd")
                 + d(row, "end_total") - d(row, "shortfall"))
        assert left == right, (row["year"], left, right)
        assert d(row, "end_total") == sum(d(row, f"end_{k}") for k in KINDS), row["year"]
        start = d(row, "end_total")


def check_years(scenario: Scenario, rows: list[dict[str, str]]) -> None:
    """Every year's invariants on the CSV rows (strings, as written)."""
    people = scenario.people
    death = {p.name: p.birth_year + p.longevity for p in people}
    start = scenario.plan.start_year
    expected_years = [y for y in range(start, scenario.last_year() + 1)
                      if any(y <= death[p.name] for p in people)]
    assert [int(r["year"]) for r in rows] == expected_years
    a = scenario.assumptions
    for row in rows:
        year = int(row["year"])
        v = {k: Decimal(row[k]) for k in NONNEGATIVE}
        for key, value in v.items():
            assert value >= 0, (year, key, value)
        # RMDs are met, by withdrawals or by QCDs.
        assert v["withdraw_traditional"] + v["qcd"] >= v["rmd"] - CENT, year
        assert v["federal_tax"] >= v["niit"] >= 0, year
        # NIIT: 3.8% of at most the MAGI over $200,000 / $250,000 (IRC §1411(b), not indexed).
        threshold = NIIT_THRESHOLD[row["filing_status"]]
        magi = Decimal(row["magi"])
        assert v["niit"] <= Decimal("0.038") * max(Decimal(0), magi - threshold) + CENT, year
        # At most 85% of benefits are taxable (IRC §86(a)(2)).
        assert v["taxable_social_security"] <= Decimal("0.85") * v["income_social_security"] + CENT
        assert v["taxable_income"] <= max(Decimal(row["agi"]), Decimal(0)), year
        # A shortfall only when every account has been emptied.
        if v["shortfall"] > 0:
            assert v["end_total"] == 0, year
        alive = [p for p in people if year <= death[p.name]]
        for p in people:
            shown = row[f"age_{p.name}"]
            assert shown == (str(year - p.birth_year) if p in alive else ""), (year, p.name)
        assert row["filing_status"] == ("mfj" if len(alive) == 2 else "single"), year
        ages = [year - p.birth_year for p in alive]
        if max(ages) < 65:
            assert v["irmaa"] == 0, year
        if max(ages) < 70:  # RMDs start at 70½ at the earliest, QCDs too
            assert v["rmd"] == 0 and v["qcd"] == 0, year
        # Spending: today's dollars grown with inflation, times survivor_fraction once widowed.
        share = scenario.spending.survivor_fraction if len(people) == 2 == len(alive) + 1 else 1
        want = scenario.spending.annual * (1 + a.inflation) ** (year - start) * share
        assert abs(float(v["spending"]) - want) <= 0.0100001 + 1e-12 * want, year


def run_both(scenario: Scenario) -> tuple[str, str]:
    result = project(scenario)
    return to_csv(result), to_json(result, "generated.toml")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_dicts())
def test_generated_scenarios(doc: dict[str, Any]) -> None:
    text = tomli_w.dumps(doc)
    scenario = parse_scenario(text, "generated.toml")
    csv_text, json_text = run_both(scenario)
    rows = csv_rows(csv_text)
    check_years(scenario, rows)
    start = opening_total(scenario)
    check_conservation(rows, start)
    doc_out = json.loads(json_text)
    check_conservation(doc_out["years"], start)
    assert [str(r["year"]) for r in doc_out["years"]] == [r["year"] for r in rows]
    # Deterministic: a second parse and run give the same bytes.
    again = run_both(parse_scenario(text, "generated.toml"))
    assert again == (csv_text, json_text)
    summary = doc_out["summary"]
    shortfalls = [int(r["year"]) for r in rows if Decimal(r["shortfall"]) > 0]
    assert summary["first_shortfall_year"] == (shortfalls[0] if shortfalls else None)
    assert Decimal(str(summary["lifetime_federal_tax"])) == sum(
        (Decimal(r["federal_tax"]) for r in rows), Decimal(0))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_bundled_scenarios(path: Path) -> None:
    scenario = load_scenario(path)
    csv_text, json_text = run_both(scenario)
    rows = csv_rows(csv_text)
    check_years(scenario, rows)
    check_conservation(rows, opening_total(scenario))
    check_conservation(json.loads(json_text)["years"], opening_total(scenario))
    assert all(Decimal(r["shortfall"]) == 0 for r in rows), "bundled plans are funded"


def test_bundled_scenarios_cover_the_cases() -> None:
    names = {p.name for p in SCENARIOS}
    assert {"couple-65-63.toml", "single-66-ira.toml", "early-retiree-55.toml",
            "high-balance-irmaa-niit.toml", "widow-78.toml"} <= names
    rows = {p.name: csv_rows(run_both(load_scenario(p))[0]) for p in SCENARIOS}
    high = rows["high-balance-irmaa-niit.toml"]
    assert any(Decimal(r["irmaa"]) > 0 for r in high) and any(Decimal(r["niit"]) > 0 for r in high)
    widow = rows["widow-78.toml"]
    assert all(Decimal(r["qcd"]) > 0 and Decimal(r["rmd"]) > 0 for r in widow)
    early = rows["early-retiree-55.toml"]
    bridge = [r for r in early if Decimal(r["income_social_security"]) == 0]
    assert bridge and all(Decimal(r["withdraw_traditional"]) == 0 for r in bridge)
