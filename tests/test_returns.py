"""Market paths: the lognormal generator hits its means, volatilities and correlations on a
large sample; zero volatility is exactly the scenario's rates; the shipped history is the
published table; bootstrap blocks and historical sequences are runs of real consecutive years."""

from __future__ import annotations

import numpy as np
import pytest

from planner.errors import PlannerError
from planner.returns import LognormalParams, bootstrap, history, lognormal, sequences

PARAMS = LognormalParams(stock_mean=0.07, bond_mean=0.04, cash_mean=0.03, inflation_mean=0.025,
                         stock_volatility=0.16, bond_volatility=0.06, inflation_volatility=0.012,
                         stock_bond=0.2, stock_inflation=-0.1, bond_inflation=-0.3)


def _sample(p: LognormalParams, seed: int = 11) -> dict[str, np.ndarray]:
    m = lognormal(p, 4, 100_000, np.random.Generator(np.random.PCG64(seed)))
    return {"stock": m.stock.ravel(), "bond": m.bond.ravel(), "inflation": m.inflation.ravel(),
            "cash": m.cash.ravel()}


def test_lognormal_means_volatilities_and_correlations() -> None:
    s = _sample(PARAMS)  # 400,000 draws: standard errors about 0.00025 (mean), 0.0016 (corr)
    assert s["stock"].mean() == pytest.approx(0.07, abs=0.0015)
    assert s["bond"].mean() == pytest.approx(0.04, abs=0.0006)
    assert s["inflation"].mean() == pytest.approx(0.025, abs=0.0001)
    assert s["stock"].std() == pytest.approx(0.16, rel=0.01)
    assert s["bond"].std() == pytest.approx(0.06, rel=0.01)
    assert s["inflation"].std() == pytest.approx(0.012, rel=0.01)
    corr = np.corrcoef([s["stock"], s["bond"], s["inflation"]])
    assert corr[0, 1] == pytest.approx(0.2, abs=0.01)
    assert corr[0, 2] == pytest.approx(-0.1, abs=0.01)
    assert corr[1, 2] == pytest.approx(-0.3, abs=0.01)
    # Cash keeps a constant real rate: its surprise is inflation's.
    assert np.allclose(s["cash"] - s["inflation"], 0.03 - 0.025)
    # Lognormal: no return below -100%, and stocks are skewed to the right.
    assert s["stock"].min() > -1.0
    assert np.median(s["stock"]) < s["stock"].mean()


def test_zero_volatility_is_exactly_the_assumptions() -> None:
    p = LognormalParams(0.07, 0.04, 0.03, 0.025, 0.0, 0.0, 0.0, 0.2, -0.1, -0.3)
    m = lognormal(p, 30, 50, np.random.default_rng(3))
    assert np.all(m.stock == 0.07) and np.all(m.bond == 0.04)
    assert np.all(m.cash == 0.03) and np.all(m.inflation == 0.025)


def test_same_seed_same_paths_and_another_seed_others() -> None:
    a = lognormal(PARAMS, 10, 20, np.random.Generator(np.random.PCG64(5)))
    b = lognormal(PARAMS, 10, 20, np.random.Generator(np.random.PCG64(5)))
    c = lognormal(PARAMS, 10, 20, np.random.Generator(np.random.PCG64(6)))
    assert np.array_equal(a.stock, b.stock) and np.array_equal(a.inflation, b.inflation)
    assert not np.array_equal(a.stock, c.stock)


def test_inconsistent_correlations_are_refused() -> None:
    bad = LognormalParams(0.07, 0.04, 0.03, 0.025, 0.16, 0.06, 0.012, 0.9, 0.9, -0.9)
    with pytest.raises(PlannerError, match="inconsistent"):
        lognormal(bad, 2, 2, np.random.default_rng(0))


def test_perfect_correlation_is_allowed() -> None:
    p = LognormalParams(0.07, 0.04, 0.03, 0.025, 0.16, 0.06, 0.012, 1.0, 0.0, 0.0)
    m = lognormal(p, 1, 20_000, np.random.default_rng(0))
    assert np.corrcoef(m.stock[0], m.bond[0])[0, 1] > 0.99


def test_history_is_the_published_table() -> None:
    h = history()
    assert h.years[0] == 1928 and h.years[-1] == 2024 and len(h.years) == 97
    assert np.array_equal(h.years, np.arange(1928, 2025))
    assert "Damodaran" in h.source
    row = {int(y): (s, b, c, i) for y, s, b, c, i in
           zip(h.years, h.stocks, h.bonds, h.bills, h.inflation, strict=True)}
    assert row[1931][0] == -0.438375 and row[2008][0] == -0.365523  # S&P 500
    assert row[2008][1] == 0.201013 and row[2022][1] == -0.178282  # 10-year Treasury
    assert row[1928][2] == 0.0308 and row[1981][2] == 0.1404  # 3-month bills
    assert round(row[1974][3], 3) == 0.123 and round(row[1980][3], 3) == 0.125  # CPI-U Dec-Dec
    # Long-run averages as commonly quoted for 1928-2024: stocks about 11.8%, bonds 4.8%.
    assert h.stocks.mean() == pytest.approx(0.118, abs=0.002)
    assert h.bonds.mean() == pytest.approx(0.048, abs=0.002)


def test_bootstrap_strings_together_blocks_of_consecutive_years() -> None:
    h = history()
    m = bootstrap(h, 23, 50, np.random.default_rng(9), block=5)
    assert m.stock.shape == (23, 50)
    position = {v: i for i, v in enumerate(h.stocks)}
    for path in range(50):
        rows = [position[v] for v in m.stock[:, path]]
        for k in range(23):
            if k % 5:
                assert rows[k] == (rows[k - 1] + 1) % len(h.years)
            # the four series come from the same historical year
            assert m.inflation[k, path] == h.inflation[rows[k]]
            assert m.cash[k, path] == h.bills[rows[k]]


def test_sequences_are_every_start_year_that_fits() -> None:
    h = history()
    m = sequences(h, 35)
    assert m.start_years == tuple(range(1928, 1991))
    first = m.start_years.index(1966)
    assert np.array_equal(m.stock[:, first], h.stocks[1966 - 1928:1966 - 1928 + 35])
    longer = sequences(h, 120)
    assert len(longer.start_years) == 97 and longer.stock.shape == (120, 97)
