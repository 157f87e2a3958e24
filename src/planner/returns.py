"""Market paths for `planner simulate`: each year's stock, bond, cash and inflation rates per path.

Models:
- `lognormal`: each year independent. Stocks and bonds: 1 + return is lognormal with mean
  1 + the scenario's `stock_return` / `bond_return` (the expected, arithmetic-mean return) and
  standard deviation `stock_volatility` / `bond_volatility`. Inflation is normal around
  `assumptions.inflation` with `inflation_volatility`. The three correlations are those of the
  returns themselves (the normal draws are adjusted for the lognormal transform). Cash earns
  `cash_return` plus the year's inflation surprise (a constant real rate, as Treasury bills).
  With every volatility zero, every path is exactly the scenario's constant assumptions.
- `historical`: circular block bootstrap of the annual US data 1928-2024 shipped in
  `data/historical_returns.csv` (stocks: S&P 500; bonds: 10-year Treasury; cash: 3-month
  Treasury bills; inflation: CPI-U), whole years kept together so the four series keep their
  joint behaviour; and `sequences`, every historical start year run as it happened.

Randomness comes only from the `numpy.random.Generator` passed in (PCG64 with the user's seed).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from planner.errors import PlannerError
from planner.package_data import read_package_text

DATA_FILE = "historical_returns.csv"


@dataclass(frozen=True, slots=True)
class Market:
    """Rates for each simulated year and path, arrays of shape (years, paths)."""

    stock: np.ndarray
    bond: np.ndarray
    cash: np.ndarray
    inflation: np.ndarray
    start_years: tuple[int, ...] = ()  # historical sequences: the first data year of each path

    @property
    def paths(self) -> int:
        return self.stock.shape[1]


@dataclass(frozen=True, slots=True)
class History:
    """The shipped annual data, one element per calendar year."""

    years: np.ndarray
    stocks: np.ndarray
    bonds: np.ndarray
    bills: np.ndarray
    inflation: np.ndarray
    source: str


@dataclass(frozen=True, slots=True)
class LognormalParams:
    """Means, volatilities and return correlations of the lognormal model."""

    stock_mean: float
    bond_mean: float
    cash_mean: float
    inflation_mean: float
    stock_volatility: float
    bond_volatility: float
    inflation_volatility: float
    stock_bond: float
    stock_inflation: float
    bond_inflation: float

    @classmethod
    def of(cls, assumptions) -> LognormalParams:
        a = assumptions
        return cls(a.stock_return, a.bond_return, a.cash_return, a.inflation,
                   a.stock_volatility, a.bond_volatility, a.inflation_volatility,
                   a.stock_bond_correlation, a.stock_inflation_correlation,
                   a.bond_inflation_correlation)


@cache
def history() -> History:
    """The annual US returns shipped with the package (see the file's header for the source)."""
    text = read_package_text("data", DATA_FILE)
    lines = text.splitlines()
    source = next(line[len("# Source: "):] for line in lines if line.startswith("# Source: "))
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    col = {key: np.array([float(r[key]) for r in rows]) for key in rows[0]}
    return History(col["year"].astype(int), col["stocks"], col["bonds"], col["bills"],
                   col["inflation"], source)


def _log_sd(volatility: float, mean: float) -> float:
    """Standard deviation of log(1 + R) for a lognormal 1 + R with this mean and volatility."""
    return math.sqrt(math.log1p((volatility / (1.0 + mean)) ** 2))


def normal_correlations(p: LognormalParams) -> np.ndarray:
    """Correlations of the normal draws (stock, bond, inflation) that give the asked return
    correlations once stocks and bonds go through exp(); raises if no such distribution."""
    s = _log_sd(p.stock_volatility, p.stock_mean)
    b = _log_sd(p.bond_volatility, p.bond_mean)

    def lognormal_pair(rho: float) -> float:
        if s == 0.0 or b == 0.0:
            return rho
        return math.log1p(rho * math.sqrt(math.expm1(s * s) * math.expm1(b * b))) / (s * b)

    def lognormal_normal(rho: float, sd: float) -> float:
        return rho if sd == 0.0 else rho * math.sqrt(math.expm1(sd * sd)) / sd

    sb = lognormal_pair(p.stock_bond)
    si = lognormal_normal(p.stock_inflation, s)
    bi = lognormal_normal(p.bond_inflation, b)
    corr = np.clip(np.array([[1.0, sb, si], [sb, 1.0, bi], [si, bi, 1.0]]), -1.0, 1.0)
    if np.linalg.eigvalsh(corr).min() < -1e-10:
        raise PlannerError("the three correlations are inconsistent (no joint distribution has "
                           "them); move them closer to 0", key="assumptions.stock_bond_correlation")
    return corr


def _factor(corr: np.ndarray) -> np.ndarray:
    """A matrix L with L @ L.T == corr (Cholesky, or from the eigenvalues when singular)."""
    try:
        return np.linalg.cholesky(corr)
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(corr)
        return vectors * np.sqrt(np.maximum(values, 0.0))


def lognormal(p: LognormalParams, years: int, paths: int, rng: np.random.Generator) -> Market:
    """Independent yearly draws of the lognormal model (see the module docstring)."""
    z = rng.standard_normal((years, paths, 3)) @ _factor(normal_correlations(p)).T
    s = _log_sd(p.stock_volatility, p.stock_mean)
    b = _log_sd(p.bond_volatility, p.bond_mean)
    # m + (1 + m)(exp(sZ - s²/2) - 1): exactly m when the volatility is zero.
    stock = p.stock_mean + (1.0 + p.stock_mean) * np.expm1(s * z[..., 0] - 0.5 * s * s)
    bond = p.bond_mean + (1.0 + p.bond_mean) * np.expm1(b * z[..., 1] - 0.5 * b * b)
    inflation = p.inflation_mean + p.inflation_volatility * z[..., 2]
    cash = p.cash_mean + (inflation - p.inflation_mean)
    return Market(stock, bond, cash, inflation)


def _from_rows(h: History, rows: np.ndarray, start_years: tuple[int, ...] = ()) -> Market:
    return Market(h.stocks[rows], h.bonds[rows], h.bills[rows], h.inflation[rows], start_years)


def bootstrap(h: History, years: int, paths: int, rng: np.random.Generator,
              block: int) -> Market:
    """Circular block bootstrap: each path strings together runs of `block` consecutive historical
    years, each run starting at a uniformly drawn year (wrapping from 2024 back to 1928)."""
    n = len(h.years)
    blocks = -(-years // block)
    starts = rng.integers(0, n, size=(paths, blocks))
    rows = (starts[:, :, None] + np.arange(block)) % n
    return _from_rows(h, rows.reshape(paths, blocks * block)[:, :years].T)


def sequences(h: History, years: int) -> Market:
    """Every historical start year, its years in their historical order. Only start years whose
    whole sequence lies in the data; if the plan is longer than the data, every start year,
    wrapping around."""
    n = len(h.years)
    count = n - years + 1 if years <= n else n
    rows = (np.arange(count)[None, :] + np.arange(years)[:, None]) % n
    return _from_rows(h, rows, tuple(int(y) for y in h.years[:count]))
