"""The year invariants of tests/test_properties.py for every withdrawal order, conversion policy
and loss harvesting, on generated households (tests/strategies_hyp.py plus strategy draws)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.compare import compare, parse_variants
from planner.engine import project
from planner.report import to_csv, to_json
from planner.scenario import load_scenario, parse_scenario
from planner.strategies import ORDERS
from tests.conftest import SCENARIOS
from tests.strategies_hyp import scenario_dicts
from tests.test_properties import check_conservation, check_years, csv_rows, opening_total

RATES = (0.10, 0.12, 0.22, 0.24, 0.32, 0.35)


@st.composite
def conversion(draw: st.DrawFn, start: int, last: int) -> Any:
    kind = draw(st.sampled_from(("none", "bracket", "irmaa", "both", "amounts")))
    if kind == "none":
        return "none"
    policy: dict[str, Any] = {}
    if kind in ("bracket", "both"):
        policy["up_to_bracket"] = draw(st.sampled_from(RATES))
    if kind in ("irmaa", "both"):
        policy["up_to_irmaa_tier"] = draw(st.integers(0, 4))
    if kind == "amounts":
        years = draw(st.lists(st.integers(start, last), min_size=1, max_size=4, unique=True))
        policy["amounts"] = {str(y): draw(st.integers(0, 400_000).map(float)) for y in years}
    if draw(st.booleans()):
        policy["until_age"] = draw(st.integers(55, 95))
    if draw(st.booleans()):
        policy["stop_at_rmd"] = True
    return policy


@st.composite
def strategy_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """A generated household with a drawn [strategy]."""
    doc = draw(scenario_dicts())
    plan = doc["plan"]
    start = plan["start_year"]
    last = plan.get("end_year", max(p["birth_year"] + p["longevity"] for p in doc["people"]))
    strategy = doc.setdefault("strategy", {})
    strategy["withdrawal_order"] = draw(st.sampled_from(ORDERS))
    if draw(st.booleans()):
        strategy["fill_bracket"] = draw(st.sampled_from(RATES))
    strategy["roth_conversion"] = draw(conversion(start, last))
    strategy["harvest_losses"] = draw(st.booleans())
    return doc


def run_both(scenario) -> tuple[str, str]:
    result = project(scenario)
    return to_csv(result), to_json(result, "generated.toml")


@settings(max_examples=220, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(strategy_dicts())
def test_every_strategy_keeps_the_invariants(doc: dict[str, Any]) -> None:
    text = tomli_w.dumps(doc)
    scenario = parse_scenario(text, "generated.toml")
    csv_text, json_text = run_both(scenario)
    rows = csv_rows(csv_text)
    check_years(scenario, rows)
    start = opening_total(scenario)
    check_conservation(rows, start)
    check_conservation(json.loads(json_text)["years"], start)
    for row in rows:
        year = row["year"]
        conv = Decimal(row["roth_conversion"])
        assert Decimal(row["conversion_tax_withheld"]) >= 0, year
        assert Decimal(row["harvested_losses"]) >= 0, year
        if scenario.strategy.roth_conversion is None:
            assert conv == 0, year
        if not scenario.strategy.harvest_losses:
            assert Decimal(row["harvested_losses"]) == 0, year
    # Deterministic: a second parse and run give the same bytes.
    assert run_both(parse_scenario(text, "generated.toml")) == (csv_text, json_text)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_compare_runs_on_every_bundled_scenario(path: Path) -> None:
    scenario = load_scenario(path)
    outcomes = compare(scenario, parse_variants(None, scenario))
    assert sum(o.best for o in outcomes) == 1
    best = next(o for o in outcomes if o.best)
    funded = [o for o in outcomes if o.first_shortfall_year is None] or outcomes
    assert all(best.after_tax_estate >= o.after_tax_estate for o in funded)
    assert {o.variant.withdrawal_order for o in outcomes} == set(ORDERS)
    for o in outcomes:
        years = sum(n for _, n in o.years_in_bracket)
        assert years == len(project(scenario).years)
