"""Federal tax against an oracle nobody here wrote: PSL Tax-Calculator 6.8.0 (`taxcalc`).

1,000 generated households per tax year (2024, 2025, 2026): single and joint, ages on both
sides of 65, Social Security, pensions and IRA distributions, interest, qualified dividends,
gains and losses, incomes up to $2M. AGI, taxable Social Security and total federal tax
(income tax + AMT + NIIT) must agree within $1 on every household.

Known differences where the oracle is switched off rather than the law bent (README, "Checked
against Tax-Calculator"): the Schedule R credit for the elderly, which the planner does not
model, is disabled in the oracle (`CR_SchR_hc = 1`).
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("NOTAXCALCJIT", "1")  # pure-Python taxcalc: no 30 s numba compile

from planner.federal_tax import TaxInput, compute_tax  # noqa: E402
from planner.rules import rules_for_year  # noqa: E402
from tests.oracle.generate import Household, generate_households  # noqa: E402

HOUSEHOLDS_PER_YEAR = 1000
TOLERANCE = 1.0


def _ours(h: Household):
    ages = (h.age_head, h.age_spouse) if h.mfj else (h.age_head,)
    inp = TaxInput("mfj" if h.mfj else "single", ages, ordinary=h.ordinary, interest=h.interest,
                   qualified_dividends=h.qualified_dividends, ltcg=h.ltcg,
                   social_security=h.social_security)
    return compute_tax(inp, rules_for_year(h.year))


@pytest.fixture(scope="module")
def oracle_runs():
    from tests.oracle.taxcalc_oracle import run_taxcalc

    runs = {}
    for year in (2024, 2025, 2026):
        households = generate_households(year, HOUSEHOLDS_PER_YEAR, seed=20261123 + year)
        runs[year] = (households, run_taxcalc(households))
    return runs


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_agrees_with_taxcalc(oracle_runs, year):
    households, results = oracle_runs[year]
    mismatches = []
    for h, theirs in zip(households, results, strict=True):
        ours = _ours(h)
        for name, a, b in (
            ("agi", ours.agi, theirs.agi),
            ("taxable_social_security", ours.taxable_social_security,
             theirs.taxable_social_security),
            ("niit", ours.niit, theirs.niit),
            ("total_tax", ours.total_tax, theirs.total_tax),
        ):
            if abs(a - b) > TOLERANCE:
                mismatches.append((name, round(a, 2), round(b, 2), h))
    assert len(households) == HOUSEHOLDS_PER_YEAR
    assert not mismatches, f"{len(mismatches)} mismatches, first: {mismatches[:3]}"


def test_sample_covers_the_cases(oracle_runs):
    """The generated sample really exercises what the comparison claims to cover."""
    households = [h for hs, _ in oracle_runs.values() for h in hs]
    results = [r for _, rs in oracle_runs.values() for r in rs]
    assert sum(h.mfj for h in households) > 1000
    assert sum(not h.mfj for h in households) > 1000
    assert sum(h.age_head >= 65 for h in households) > 500
    assert sum(h.age_head < 65 for h in households) > 500
    assert sum(h.ltcg < -3000 for h in households) > 50
    assert sum(0 < r.taxable_social_security < 0.85 * h.social_security
               for h, r in zip(households, results, strict=True)) > 100
    assert sum(r.niit > 0 for r in results) > 100
    assert sum(r.amt > 0 for r in results) > 10
    assert sum(r.senior_deduction > 0 for r in results) > 300
    assert max(h.ordinary + h.ltcg for h in households) > 1_000_000
