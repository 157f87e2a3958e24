"""`planner simulate`: many market paths through the vectorised engine, and what they add up to.

A simulation draws each year's stock, bond, cash and inflation rates per path (`returns`), runs
every path through the full tax engine (`vector_engine.run_paths`) and summarises: the share of
paths funded every year, percentiles of end wealth, after-tax estate and lifetime tax, and
year-by-year percentile bands. The historical model also runs every historical start year as
it happened and names the worst one. The same scenario, model, paths and seed give the same
numbers (numpy's PCG64 generator seeded with `seed`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from planner.returns import LognormalParams, Market, bootstrap, history, lognormal, sequences
from planner.scenario import Scenario
from planner.vector_engine import PathResults, check_supported, projected_years, run_paths

PERCENTILES = (5, 25, 50, 75, 95)
MODELS = ("lognormal", "historical")
BAND_COLUMNS = ("end_total", "end_total_real", "spending_real", "federal_tax")


@dataclass(frozen=True, slots=True)
class Sequence:
    """One historical start year run as it happened."""

    start_year: int
    first_shortfall_year: int | None
    end_total: float
    end_total_real: float
    after_tax_estate: float
    lifetime_federal_tax: float


@dataclass(frozen=True, slots=True)
class YearBand:
    """One projected year across paths: share funded so far, and percentiles (PERCENTILES)."""

    year: int
    funded: float
    percentiles: dict[str, tuple[float, ...]]


@dataclass(frozen=True, slots=True)
class SimulationResult:
    model: str
    paths: int
    seed: int
    block_years: int | None
    probability_funded: float
    summary: dict[str, tuple[float, ...]]  # name -> values at PERCENTILES
    bands: tuple[YearBand, ...]
    sequences: tuple[Sequence, ...]
    worst: Sequence | None


def _percentiles(values: np.ndarray) -> tuple[float, ...]:
    """PERCENTILES of `values` (linear interpolation), to the cent."""
    return tuple(round(float(v), 2) for v in np.percentile(values, PERCENTILES))


def _summary(r: PathResults) -> tuple[float, dict[str, tuple[float, ...]]]:
    last_index = r.price_index[-1]
    funded = float(np.mean(r.first_shortfall_year == 0))
    return funded, {
        "end_total": _percentiles(r.end_total),
        "end_total_real": _percentiles(r.end_total / last_index),
        "after_tax_estate": _percentiles(r.after_tax_estate),
        "after_tax_estate_real": _percentiles(r.after_tax_estate / last_index),
        "lifetime_federal_tax": _percentiles(r.lifetime_federal_tax),
        "lifetime_irmaa": _percentiles(r.lifetime_irmaa),
    }


def _bands(r: PathResults) -> tuple[YearBand, ...]:
    """Per year: the share of paths with no shortfall through that year, and percentile bands of
    end wealth (nominal and in start-year dollars), real spending and federal tax."""
    short = np.cumsum(r.columns["shortfall"] > 0.0, axis=0) > 0
    series = {
        "end_total": r.columns["end_total"],
        "end_total_real": r.columns["end_total"] / r.price_index,
        "spending_real": r.columns["spending"] / r.price_index,
        "federal_tax": r.columns["federal_tax"],
    }
    table = {name: np.percentile(values, PERCENTILES, axis=1) for name, values in series.items()}
    return tuple(
        YearBand(year, round(float(1.0 - short[k].mean()), 6),
                 {name: tuple(round(float(v), 2) for v in table[name][:, k]) for name in series})
        for k, year in enumerate(r.years)
    )


def _sequences(scenario: Scenario, market: Market) -> tuple[Sequence, ...]:
    r = run_paths(scenario, market)
    real = r.end_total / r.price_index[-1]
    return tuple(
        Sequence(start, int(r.first_shortfall_year[i]) or None, round(float(r.end_total[i]), 2),
                 round(float(real[i]), 2), round(float(r.after_tax_estate[i]), 2),
                 round(float(r.lifetime_federal_tax[i]), 2))
        for i, start in enumerate(market.start_years)
    )


def worst_sequence(runs: tuple[Sequence, ...]) -> Sequence | None:
    """The start year that ran out earliest; if none ran out, the lowest real end wealth."""
    if not runs:
        return None
    return min(runs, key=lambda s: (s.first_shortfall_year or 10**6, s.end_total_real))


def market_for(scenario: Scenario, model: str, paths: int, rng: np.random.Generator,
               block_years: int) -> Market:
    """The market paths of `model` for the scenario's projected years."""
    years = len(projected_years(scenario))
    if model == "historical":
        return bootstrap(history(), years, paths, rng, block_years)
    return lognormal(LognormalParams.of(scenario.assumptions), years, paths, rng)


def simulate(scenario: Scenario, paths: int = 10_000, seed: int = 0, model: str = "lognormal",
             block_years: int = 5, progress: Callable[[int, int], None] | None = None,
             filename: str | None = None) -> SimulationResult:
    """Run the simulation. Raises `PlannerError` for a scenario the vectorised engine cannot
    model (naming the key)."""
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}")
    check_supported(scenario, filename)
    rng = np.random.Generator(np.random.PCG64(seed))
    market = market_for(scenario, model, paths, rng, block_years)
    result = run_paths(scenario, market, progress)
    funded, summary = _summary(result)
    runs: tuple[Sequence, ...] = ()
    if model == "historical":
        runs = _sequences(scenario, sequences(history(), len(result.years)))
    return SimulationResult(
        model=model, paths=paths, seed=seed,
        block_years=block_years if model == "historical" else None,
        probability_funded=round(funded, 6), summary=summary, bands=_bands(result),
        sequences=runs, worst=worst_sequence(runs),
    )
