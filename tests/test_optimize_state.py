"""The optimiser with state income tax and Marketplace premiums (planner.optimizer.costs), on
generated households: the schedule, replayed by the engine, is at least as good as every
built-in strategy and conversion policy, as in tests/test_optimize_generated.py; and the model's
own figure for the plan is close to the engine's (the pieces are approximations)."""

from __future__ import annotations

import multiprocessing
import re

import pytest

from planner.scenario import parse_scenario
from tests.test_optimize_generated import against_builtins, household

STATES = ("CA", "NY", "NC", "PA", "IL", "GA", "NJ", "MA", "VA", "MN", "OR", "AZ")
CASES = 16


def household_with_state(seed: int) -> str:
    """A generated household (tests.test_optimize_generated) in a state; every other one
    younger, retired before 65 with Marketplace coverage."""
    text = household(1000 + seed)
    state = STATES[seed % len(STATES)]
    text = text.replace('filing_status = "', f'state = "{state}"\nfiling_status = "', 1)
    if seed % 2:
        # 20 years younger, but at least 56 (so that IRA money is not all early withdrawals)
        text = re.sub(r"birth_year = (\d+)",
                      lambda m: f"birth_year = {min(int(m[1]) + 20, 2026 - 56)}", text)
        text = re.sub(r"longevity = (\d+)", lambda m: f"longevity = {max(int(m[1]), 85)}", text)
        text = re.sub(r"claim_age = \d+", "claim_age = 67", text)
        text += "\n[health]\naca_benchmark_premium = 9500\n"
    return text


def check(seed: int) -> list[str]:
    scenario = parse_scenario(household_with_state(seed), f"state-{seed}")
    return against_builtins(scenario, "max-estate" if seed % 4 < 2 else "max-spending")


@pytest.fixture(scope="module")
def outcomes() -> dict[int, list[str]]:
    with multiprocessing.get_context("fork").Pool(2) as pool:
        return dict(zip(range(CASES), pool.map(check, range(CASES), chunksize=1), strict=True))


@pytest.mark.parametrize("seed", range(CASES))
def test_optimised_schedule_beats_every_builtin_with_state_tax(outcomes, seed):
    assert outcomes[seed] == []


def test_generated_households_have_state_tax_and_coverage():
    texts = [household_with_state(seed) for seed in range(CASES)]
    assert all("state = " in t for t in texts)
    with_coverage = [parse_scenario(t) for t in texts if "[health]" in t]
    assert len(with_coverage) == CASES // 2
    assert all(any(2026 - p.birth_year < 65 for p in s.people) for s in with_coverage)
