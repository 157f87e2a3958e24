"""State income tax: one household's tax for one state and year, from the state's rules data.

The interface the engine uses. Each state's formula lives in `planner/states/<xx>.py`
(`tax(inp, rules) -> StateTaxResult`), its figures in `planner/law/states/<xx>/<year>.toml`,
and how those figures are projected past the last published year in
`planner/law/states/<xx>/indexing.toml` (format: see `planner.states`).

Local income taxes (New York City, Yonkers, Pennsylvania municipal earned-income taxes, ...) are
out of scope.
"""

from __future__ import annotations

import copy
import importlib
import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner.package_data import package_file
from planner.states import REGISTRY

FIRST_YEAR = 2024
"""The first tax year with rules data."""

SUPPORTED_STATES: tuple[str, ...] = tuple(sorted(REGISTRY))
"""Postal codes with a state tax module (including the states without a wage income tax)."""

NO_INCOME_TAX: tuple[str, ...] = ("AK", "FL", "NV", "NH", "SD", "TN", "TX", "WA", "WY")
"""States without a tax on wages. NH taxed interest and dividends through 2024; WA taxes
long-term capital gains (an excise). Both are modelled; the other seven owe nothing."""


@dataclass(frozen=True, slots=True)
class StateTaxInput:
    """What a state return needs, in nominal dollars of `year`.

    Per-filer tuples are aligned with `ages` (one entry per living filer: one for single, two for
    mfj). Amounts are the federal taxable amounts unless named otherwise."""

    state: str  # two-letter postal code, upper case ("CA", "DC")
    year: int
    filing_status: str  # "single" | "mfj"
    ages: tuple[int, ...]  # on 31 December
    birth_months: tuple[int, ...]  # 1..12 (59½ and similar tests)
    wages: tuple[float, ...]  # per filer, after pre-tax 401(k)/HSA deferrals (W-2 box 1)
    retirement_distributions: tuple[float, ...]  # per filer: taxable IRA/401(k) withdrawals,
    # RMDs and Roth conversions (Form 1040 line 4b)
    pensions: tuple[float, ...]  # per filer: taxable pensions and annuities (line 5b)
    social_security: tuple[float, ...]  # per filer: gross benefits (line 6a)
    taxable_social_security: float  # the federal taxable amount, household (line 6b)
    interest: float  # taxable interest
    dividends: float  # qualified dividends (also the ordinary dividends: all are qualified)
    capital_gains: float  # net capital gain or (limited) loss in federal AGI (line 7)
    other_income: float  # other taxable ordinary income
    federal_agi: float
    federal_taxable_income: float


@dataclass(frozen=True, slots=True)
class StateTaxResult:
    """A state's income tax for the year (after nonrefundable credits, never negative)."""

    state: str
    agi: float  # the state's starting income (state AGI or its equivalent)
    taxable_income: float
    tax: float


def federal_return(inp: StateTaxInput):
    """The federal return (`planner.federal_tax.TaxResult`) rebuilt from the state input's lines,
    for states that deduct the federal tax or cap theirs at it (AL, MO, NE, OR). Years past the
    last published federal rules are projected at the default 2.5% inflation (StateTaxInput
    carries no inflation): a small difference in the size of the deduction."""
    from planner.federal_tax import TaxInput, compute_tax
    from planner.rules import rules_for_year

    return compute_tax(TaxInput(
        filing_status=inp.filing_status,
        ages=inp.ages,
        ordinary=sum(inp.wages) + sum(inp.retirement_distributions) + sum(inp.pensions)
        + inp.other_income,
        interest=inp.interest,
        qualified_dividends=inp.dividends,
        ltcg=inp.capital_gains,
        social_security=sum(inp.social_security),
    ), rules_for_year(inp.year))


def reached_59_half(age: int, birth_month: int) -> bool:
    """Whether a filer aged `age` on 31 December has reached age 59½ by then.

    Age 59 at year end counts when the birthday falls in January-June (59½ is reached by
    31 December). The planner does not date withdrawals within the year: a filer who reaches 59½
    during the year is treated as 59½ for the whole year's distributions."""
    return age >= 60 or (age == 59 and birth_month <= 6)


def bracket_tax(amount: float, floors: Any, rates: Any) -> float:
    """Tax on `amount` under a marginal schedule whose bands start at `floors` (first is 0)."""
    tax = 0.0
    for i in range(len(floors) - 1, -1, -1):
        if amount > floors[i]:
            tax = (amount - floors[i]) * rates[i]
            for j in range(i):
                tax += (floors[j + 1] - floors[j]) * rates[j]
            return tax
    return tax


# ----------------------------------------------------------------------------- rules data


def _state_dir(state: str) -> Any:
    return package_file("law", "states", state.lower())


def _check_state(state: str) -> None:
    if state not in REGISTRY:
        supported = ", ".join(SUPPORTED_STATES)
        raise ValueError(f"no state income tax rules for {state!r}; supported: {supported}")


@cache
def published(state: str) -> dict[int, dict[str, Any]]:
    """The state's published year files, by tax year."""
    _check_state(state)
    years: dict[int, dict[str, Any]] = {}
    for entry in _state_dir(state).iterdir():
        stem = entry.name.removesuffix(".toml")
        if entry.name.endswith(".toml") and stem.isdigit():
            years[int(stem)] = tomllib.loads(entry.read_text(encoding="utf-8"))
    if not years:
        raise ValueError(f"no rules files for state {state!r}")
    return years


@cache
def indexing(state: str) -> tuple[dict[str, Any], ...]:
    """The state's `indexing.toml` figures (how each is projected past the last published year)."""
    _check_state(state)
    text = (_state_dir(state) / "indexing.toml").read_text(encoding="utf-8")
    return tuple(tomllib.loads(text).get("figures", ()))


def _round(value: float, step: float, rounding: str) -> float:
    if rounding == "down":
        return math.floor(value / step + 1e-9) * step
    if rounding == "nearest":  # a half rounds up, as the statutes do
        return math.floor(value / step + 0.5) * step
    raise ValueError(f"unknown rounding {rounding!r}")


def _walk(data: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    *parents, leaf = path.split(".")
    node = data
    for key in parents:
        node = node[key]
    if leaf not in node:
        raise KeyError(path)
    return node, leaf


def _project(state: str, base: dict[str, Any], base_year: int, year: int, inflation: float):
    """Figures of `year` from those of `base_year`, per the state's indexing.toml, then any
    `[[scheduled]]` change of the base file that takes effect by `year`."""
    out = copy.deepcopy(base)
    factor = (1.0 + inflation) ** (year - base_year)
    figures = indexing(state)
    for fig in figures:
        if fig["method"] in ("fixed", "multiple"):
            continue
        if fig["method"] != "inflation":
            raise ValueError(f"{state} indexing: unknown method {fig['method']!r}")
        node, leaf = _walk(out, fig["path"])
        step, rounding = float(fig["step"]), fig["rounding"]
        value = node[leaf]
        if isinstance(value, list):
            node[leaf] = [_round(v * factor, step, rounding) if v else v for v in value]
        else:
            node[leaf] = _round(value * factor, step, rounding)
    for fig in figures:
        if fig["method"] == "multiple":
            src_node, src_leaf = _walk(out, fig["of"])
            node, leaf = _walk(out, fig["path"])
            value = src_node[src_leaf]
            k = fig["factor"]
            node[leaf] = [v * k for v in value] if isinstance(value, list) else value * k
    for change in sorted(base.get("scheduled", ()), key=lambda c: c["from_year"]):
        if change["from_year"] <= year:
            node, leaf = _walk(out, change["path"])
            node[leaf] = copy.deepcopy(change["value"])
    out["year"] = year
    out["projected_from"] = base_year
    return out


@cache
def state_rules(state: str, year: int, inflation: float = 0.025) -> dict[str, Any]:
    """The state's rules for `year` as a dict (do not mutate: it is cached and shared).

    Published years are returned as published; later years are projected from the last
    published year by the state's indexing.toml at the scenario's `inflation`."""
    _check_state(state)
    if year < FIRST_YEAR:
        raise ValueError(f"no state tax rules before {FIRST_YEAR} (asked for {year})")
    years = published(state)
    if year in years:
        return years[year]
    last = max(years)
    if year < last:
        raise ValueError(f"{state}: no rules file for {year}")
    return _project(state, years[last], last, year, inflation)


TaxFunction = Callable[[StateTaxInput, Mapping[str, Any]], StateTaxResult]


@cache
def _tax_function(state: str) -> TaxFunction:
    _check_state(state)
    module = importlib.import_module(f"planner.states.{REGISTRY[state]}")
    return module.tax


def compute_state_tax(inp: StateTaxInput, inflation: float = 0.025) -> StateTaxResult:
    """The state income tax of `inp` (after nonrefundable credits), from the state's module."""
    return _tax_function(inp.state)(inp, state_rules(inp.state, inp.year, inflation))
