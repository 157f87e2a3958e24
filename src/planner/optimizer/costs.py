"""State income tax and Marketplace premiums in the optimisation model, as functions of the
year's income other than Social Security (the model's `other_income`, x).

For each plan year the engine's own formulas are sampled on a grid of x: the state tax
(`planner.state_tax`, with every dollar above the year's fixed income taken as IRA money of the
filers in equal shares, and the federal AGI and taxable income of `planner.federal_tax`) and the
premiums net of the credit (`planner.aca`, household income x plus the year's Social Security,
IRC §36B(d)(2)(B)). The model takes

- state tax >= the lower convex envelope of the samples (one LP piece per envelope segment): exact
  where the tax is convex in x (brackets, exclusions used up), below it where an exemption or
  credit phases out (the engine replay reports the true tax);
- net premium >= the lesser of two options, picked by a switch as for the other "lesser of"
  amounts: the convex envelope of the premium below the 400% cliff (with a steep wall above the
  cliff in years that have one), or the full premium.

Approximations, all of which the engine replay corrects in what the user sees: gains and
dividends are taxed by the state as IRA money would be (states that treat gains differently,
or exempt IRA money but not gains, are off by that difference), and the samples are taken with
no capital gain in the federal return.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from planner.federal_tax import TaxInput, compute_tax
from planner.state_tax import StateTaxInput, compute_state_tax

if TYPE_CHECKING:
    from planner.rules import YearRules
    from planner.timeline import YearFacts

K = 1000.0
GRID = (0.0, 5e3, 1e4, 2e4, 3e4, 4e4, 5e4, 6e4, 8e4, 1e5, 1.25e5, 1.5e5, 2e5, 2.5e5, 3e5,
        4e5, 5e5, 7.5e5, 1e6, 1.5e6, 2e6, 3e6, 5e6)
WALL = 10.0  # dollars of modelled premium per dollar of income beyond the cliff
CLIFF_MARGIN = 2000.0  # the model keeps planned income this far below the cliff (dollars)


class Line(NamedTuple):
    """cost >= slope * x + const, with x and cost in thousands of dollars."""

    slope: float
    const: float


class YearCosts(NamedTuple):
    """The year's state tax and net premium pieces (empty when there is none)."""

    state: tuple[Line, ...]
    aca_below: tuple[Line, ...]  # the premium below the cliff (with its wall), convex
    aca_full: float  # the full premium, k$ (0: no Marketplace coverage)


def envelope(points: Sequence[tuple[float, float]]) -> tuple[Line, ...]:
    """The lower convex envelope of (x, y) points, as lines (x ascending)."""
    hull: list[tuple[float, float]] = []
    for p in sorted(points):
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = hull[-2], hull[-1]
            if (y2 - y1) * (p[0] - x1) >= (p[1] - y1) * (x2 - x1):
                hull.pop()
            else:
                break
        hull.append(p)
    lines = []
    for (x1, y1), (x2, y2) in zip(hull, hull[1:], strict=False):
        slope = (y2 - y1) / (x2 - x1)
        lines.append(Line(slope, y1 - slope * x1))
    return tuple(lines) if lines else (Line(0.0, hull[0][1]),)


def year_costs(facts: YearFacts, rules: YearRules, other_taxable: float, state: str | None,
               aca, inflation: float, birth_months: Sequence[int],
               upper: float) -> YearCosts | None:
    """The year's cost pieces, or None when the year has no state tax and no Marketplace
    coverage. `aca`: the engine's `_AcaYear` for the year (or None); `upper`: the model's bound
    on x, in dollars."""
    if state is None and aca is None:
        return None
    grid = sorted({other_taxable + g for g in GRID if other_taxable + g <= upper}
                  | {other_taxable, upper})
    federal = {x: _federal(facts, rules, x) for x in grid}
    state_lines: tuple[Line, ...] = ()
    if state is not None:
        tax = _state_tax(facts, state, other_taxable, inflation, birth_months)
        state_lines = envelope([(x / K, tax(x, federal[x]) / K) for x in grid])
    below: tuple[Line, ...] = ()
    full = 0.0
    if aca is not None:
        full = sum(premium * months / 12.0 for months, _, premium in aca.groups)
        cliff = _cliff(aca, facts, rules, grid, federal)
        points = [(x / K, aca.net_premium(federal[x], facts.social_security) / K)
                  for x in grid if cliff is None or x <= cliff]
        below = envelope(points)
        if cliff is not None:
            below += (Line(WALL, -WALL * (cliff - CLIFF_MARGIN) / K),)
        full /= K
    return YearCosts(state_lines, below, full)


def _federal(facts: YearFacts, rules: YearRules, x: float):
    """The federal return with `x` of ordinary income besides Social Security."""
    return compute_tax(TaxInput(facts.status, facts.ages, x, 0.0, 0.0, 0.0, 0.0,
                                facts.social_security), rules)


def _state_tax(facts: YearFacts, state: str, fixed: float, inflation: float,
               birth_months: Sequence[int]) -> Callable[[float, object], float]:
    """The state tax with every dollar of x above the fixed income as IRA money, split
    equally between the filers."""
    n = len(facts.alive)
    other = max(0.0, fixed - sum(facts.wages_by_person) - sum(facts.pensions_by_person))

    def tax(x: float, federal) -> float:
        ira = max(0.0, x - fixed) / n
        return compute_state_tax(StateTaxInput(
            state, facts.year, facts.status, facts.ages, tuple(birth_months),
            facts.wages_by_person, (ira,) * n, facts.pensions_by_person,
            facts.social_security_by_person, federal.taxable_social_security, 0.0, 0.0, 0.0,
            other, federal.agi, federal.taxable_income), inflation).tax

    return tax


def _cliff(aca, facts: YearFacts, rules: YearRules, grid: Sequence[float],
           federal) -> float | None:
    """The income at which the whole credit is lost (the 400% cliff), if the year has one:
    the last grid point with a credit before one without, refined by bisection."""
    def credit(x: float) -> bool:
        fed = federal.get(x)
        return aca.net_premium(fed, facts.social_security) < full - 0.005

    full = sum(premium * months / 12.0 for months, _, premium in aca.groups)
    federal = dict(federal)
    with_credit = [x for x in grid if credit(x)]
    if not with_credit:
        return None
    lo = with_credit[-1]
    above = [x for x in grid if x > lo]
    if not above:
        return None
    hi = above[0]
    jump = aca.net_premium(federal[hi], facts.social_security) - aca.net_premium(
        federal[lo], facts.social_security)
    if jump < 0.05 * full:  # the credit fades out (no cliff): the envelope covers it
        return None
    for _ in range(40):
        mid = (lo + hi) / 2.0
        federal[mid] = _federal(facts, rules, mid)
        if credit(mid):
            lo = mid
        else:
            hi = mid
    return lo

