"""The vectorised twin of `engine.project` for `planner simulate`: every path of a simulation at
once, one numpy array element per path.

It runs the engine's year (shared/docs/scenario.md, "Order of events") for the conventional
withdrawal order without Roth conversions or tax lots (`unsupported_key` names anything else),
with the same operations in the same order, so that with the scenario's own constant rates on
every path it reproduces `planner project` to the cent (tests/test_simulate_twin.py). Each path
has its own stock, bond, cash and inflation rates per year (`returns.Market`); inflation indexes
spending, incomes, Social Security and the tax law of years after the last published one.

The withdrawal of each year is solved per path with the engine's own steps (secant steps from 0
while below the root, then regula falsi with the Illinois rule inside the bracket): every path
iterates until its surplus is within 1e-9 of zero or its bracket is narrower than 1e-9, then is
settled to the cent as the engine settles it. A path still unconverged after `MAX_ITERATIONS`
raises `SolveError`; nothing is left to a fixed iteration count. The year's facts that do not
depend on the markets (who is alive, filing status, Medicare months, QCD eligibility) come from
the engine's own `timeline`.

Market-responsive spending rules, off by default ([strategy] in the scenario; `guardrails` are
applied the same way by the scalar engine, `bonds_first_after_fall` only here):
- `guardrails` (Guyton-Klinger): each year after the first, the withdrawal rate (the year's
  spending before the survivor reduction, over the portfolio at the start of the year) is
  compared with the first year's; above `upper` times it, spending is cut by `cut` (never below
  `floor` of the planned spending); below `lower` times it, raised by `increase`. The change
  persists in later years (a multiplier on the inflation-indexed spending).
- `bonds_first_after_fall`: each account's stock and bond holdings are tracked within the year.
  Every account is rebalanced to its `stocks` share at the start of each year (as the engine's
  fixed mix implies); in a year after a year in which stocks lost money, withdrawals (RMDs and
  QCDs included) come out of an account's bonds before its stocks, so the account holds more
  stocks than its share for the rest of that year and grows at that mix. Accounts are still
  drawn in the conventional order (cash first), so the year's taxes are unchanged by the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
from pydantic import BaseModel

from planner.early_withdrawal import early_rate
from planner.errors import PlannerError
from planner.estate import after_tax_estate
from planner.rmd import required_minimum_distribution
from planner.rules import law_section, law_tables
from planner.scenario import Scenario
from planner.timeline import YearFacts, rmd_start_years, timeline
from planner.vector_money import ceil_cents, cents
from planner.vector_rules import path_rules, take_rules, varies
from planner.vector_tax import TaxArrays, vector_tax

MAX_ITERATIONS = 200
CONVENTIONAL = ("cash", "taxable", "traditional", "roth")
KINDS = CONVENTIONAL

# The scenario keys the twin understands, per model; any other key must keep its default.
_SUPPORTED: dict[str, set[str]] = {
    "Scenario": {"plan", "people", "accounts", "income", "spending", "assumptions", "strategy",
                 "history"},
    "Plan": {"start_year", "end_year", "filing_status"},
    "Person": {"name", "birth_year", "birth_month", "longevity"},
    "Account": {"name", "kind", "owner", "balance", "basis", "stocks", "dividend_yield",
                "interest_yield"},
    "Income": {"kind", "name", "owner", "pia", "claim_age", "annual", "start_year", "end_year",
               "inflation_adjusted", "taxable"},
    "Spending": {"annual", "survivor_fraction"},
    "Assumptions": {"inflation", "stock_return", "bond_return", "cash_return", "heir_tax_rate",
                    "stock_volatility", "bond_volatility", "inflation_volatility",
                    "stock_bond_correlation", "stock_inflation_correlation",
                    "bond_inflation_correlation"},
    "Strategy": {"qcd_annual", "guardrails", "bonds_first_after_fall"},
    "Guardrails": {"upper", "lower", "cut", "increase", "floor"},
    "History": {"magi"},
}
# Values the twin does not model, by key.
_UNSUPPORTED_VALUES: dict[tuple[str, str], frozenset[Any]] = {
    ("Account", "kind"): frozenset({"hsa"}),
}
# Keys whose only supported value is this one.
_REQUIRED: dict[tuple[str, str], Any] = {
    ("Strategy", "withdrawal_order"): "conventional",
    ("Strategy", "roth_conversion"): None,
}

COLUMNS = (
    "spending", "income_social_security", "income_other", "rmd", "withdraw_cash",
    "withdraw_taxable", "withdraw_traditional", "withdraw_roth", "roth_conversion", "qcd",
    "realized_gains", "taxable_social_security", "agi", "magi", "taxable_income", "federal_tax",
    "niit", "irmaa", "investment_return", "end_cash", "end_taxable", "end_traditional", "end_roth",
    "end_total", "shortfall", "start_total",
)
SUMMARY_COLUMNS = ("spending", "federal_tax", "irmaa", "end_total", "shortfall")


class SolveError(RuntimeError):
    """A path did not converge: a bug, as the surplus is increasing and piecewise linear."""


@dataclass(frozen=True, slots=True)
class PathResults:
    """Every path's projection: `columns[name]` has shape (years, paths)."""

    years: tuple[int, ...]
    columns: Mapping[str, np.ndarray]
    price_index: np.ndarray  # (years, paths): what a start-year dollar costs that year
    lifetime_federal_tax: np.ndarray
    lifetime_irmaa: np.ndarray
    end_total: np.ndarray
    after_tax_estate: np.ndarray
    first_shortfall_year: np.ndarray  # 0 when the plan is funded every year


def unsupported_path(scenario: Scenario) -> tuple[str | int, ...] | None:
    """The key path (array entries from 0) of the first key the twin cannot model, or None."""

    def walk(model: BaseModel, path: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
        name = type(model).__name__
        for key, info in type(model).model_fields.items():
            value = getattr(model, key)
            where = (*path, key)
            if value in _UNSUPPORTED_VALUES.get((name, key), ()):
                return where
            if (name, key) in _REQUIRED:
                if value != _REQUIRED[(name, key)]:
                    return where
            elif key not in _SUPPORTED.get(name, set()) and value != info.get_default(
                    call_default_factory=True):
                return where
            if isinstance(value, BaseModel):
                found = walk(value, where)
            elif isinstance(value, list):
                found = next((f for i, item in enumerate(value) if isinstance(item, BaseModel)
                              for f in [walk(item, (*where, i))] if f), None)
            else:
                found = None
            if found:
                return found
        return None

    return walk(scenario, ())


def unsupported_key(scenario: Scenario) -> str | None:
    """The first key the twin cannot model, as the scenario errors name it
    (`strategy.withdrawal_order`, `accounts[2].kind`: entries counted from 1), or None."""
    path = unsupported_path(scenario)
    if path is None:
        return None
    return "".join(f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if i else p)
                   for i, p in enumerate(path))


def check_supported(scenario: Scenario, filename: str | None = None,
                    text: str | None = None) -> None:
    """Raise `PlannerError` naming the first key the twin cannot model (and its line, given
    the scenario's `text`)."""
    path = unsupported_path(scenario)
    if path is None:
        return
    line = None
    if text is not None:
        from planner.toml_lines import key_lines, line_of

        line = line_of(key_lines(text), path)
    raise PlannerError("not supported by `planner simulate` (it models the conventional "
                       "order without Roth conversions, tax lots, state tax, Marketplace "
                       "premiums, contributions or HSAs); use `planner project`",
                       filename, line, unsupported_key(scenario))


@dataclass(slots=True)
class _Account:
    """One account on every path (mutable; never leaves this module)."""

    kind: str
    owner: str | None
    balance: np.ndarray
    basis: np.ndarray
    stocks: float
    dividend_yield: float
    interest_yield: float
    mix: np.ndarray | None  # the stock share per path, tracked for `bonds_first_after_fall`
    inherited: bool = False  # passed to the survivor at the first death (no early tax)

    def taxable_share(self) -> np.ndarray:
        """`Holding.taxable_share` per path."""
        if self.kind not in ("traditional", "taxable"):
            return np.zeros_like(self.balance)
        positive = self.balance > 0.0
        safe = np.where(positive, self.balance, 1.0)
        return np.where(positive, 1.0 - self.basis / safe, 0.0)

    def reduce(self, amount: np.ndarray, balance: np.ndarray,
               bonds_first: np.ndarray | None) -> None:
        """Set the balance after `amount` left; with `bonds_first`, out of the bonds first."""
        if self.mix is not None and bonds_first is not None:
            stock_value = self.mix * self.balance
            from_stocks = np.maximum(0.0, amount - (self.balance - stock_value))
            left = np.where(balance > 0.0, balance, 1.0)
            mix = np.where(balance > 0.0, np.clip((stock_value - from_stocks) / left, 0.0, 1.0),
                           self.stocks)
            self.mix = np.where(bonds_first, mix, self.mix)
        self.balance = balance

    def take(self, amount: np.ndarray, bonds_first: np.ndarray | None = None) -> np.ndarray:
        """`Holding.take` per path (an amount of 0 changes nothing); returns the taxable part."""
        share = self.taxable_share()
        if self.kind == "roth":  # contributions come out first (IRC §408A(d)(4)(B))
            self.basis = np.maximum(0.0, cents(self.basis - np.minimum(amount, self.basis)))
        if self.kind in ("traditional", "taxable"):
            positive = self.balance > 0.0
            safe = np.where(positive, self.balance, 1.0)
            basis = np.where(positive, cents(self.basis - self.basis * amount / safe), self.basis)
            self.basis = np.where(positive & (amount >= self.balance), 0.0, basis)
        self.reduce(amount, cents(self.balance - amount), bonds_first)
        return amount * share


def _solve(g: Callable[[np.ndarray, np.ndarray], np.ndarray], cap: np.ndarray,
           idx: np.ndarray) -> np.ndarray:
    """Per path of `idx`, the engine's `_solve`: the smallest W in [0, cap] with g(W) >= 0.

    `g(x, paths)` is the surplus of those paths at withdrawals x. Secant steps from 0 while they
    stay below the root, then regula falsi (Illinois) inside the bracket, path by path, until
    every path is within 1e-9; raises `SolveError` if a path is not after `MAX_ITERATIONS`.
    """
    out = np.empty(idx.size)
    cap = cap[idx]
    g0 = g(np.zeros(idx.size), idx)
    out[g0 >= 0.0] = 0.0
    pos = np.flatnonzero(g0 < 0.0)
    lo, g_lo = np.zeros(pos.size), g0[pos]
    prev_x, prev_g = lo.copy(), g_lo.copy()
    x = np.minimum(cap[pos], -g_lo)
    bracket: list[tuple[np.ndarray, ...]] = []  # (pos, lo, g_lo, hi, g_hi) found by phase 1
    for _ in range(60):  # below the root: extrapolate
        if not pos.size:
            break
        gx = g(x, idx[pos])
        hit = np.abs(gx) < 1e-9
        above = ~hit & (gx > 0.0)
        at_cap = ~hit & ~above & (x >= cap[pos])
        out[pos[hit]] = x[hit]
        out[pos[at_cap]] = cap[pos][at_cap]
        bracket.append((pos[above], lo[above], g_lo[above], x[above], gx[above]))
        keep = ~(hit | above | at_cap)
        with np.errstate(divide="ignore", invalid="ignore"):
            secant = x - gx * (x - prev_x) / (gx - prev_g)
        step = np.where(gx > prev_g, secant, cap[pos])
        nxt = np.minimum(cap[pos], np.where(step > x, step, cap[pos]))
        pos, lo, g_lo = pos[keep], x[keep], gx[keep]
        prev_x, prev_g, x = x[keep], gx[keep], nxt[keep]
    if pos.size:  # 60 secant steps without passing the root: bracket with the cap
        g_cap = g(cap[pos], idx[pos])
        short = g_cap < 0.0
        out[pos[short]] = cap[pos][short]
        ok = ~short
        bracket.append((pos[ok], lo[ok], g_lo[ok], cap[pos][ok], g_cap[ok]))
    pos, lo, g_lo, hi, g_hi = (np.concatenate(parts) for parts in zip(*bracket, strict=True)) \
        if bracket else (np.zeros(0, dtype=np.intp),) + (np.zeros(0),) * 4
    order = np.argsort(pos, kind="stable")
    pos, lo, g_lo, hi, g_hi = pos[order], lo[order], g_lo[order], hi[order], g_hi[order]
    side = np.zeros(pos.size, dtype=np.int8)
    x = lo - g_lo * (hi - lo) / (g_hi - g_lo)
    for _ in range(MAX_ITERATIONS):  # inside the bracket [lo, hi]
        if not pos.size:
            return out
        narrow = hi - lo < 1e-9
        out[pos[narrow]] = hi[narrow]
        live = ~narrow
        pos, lo, g_lo, hi, g_hi, side, x = (v[live] for v in (pos, lo, g_lo, hi, g_hi, side, x))
        if not pos.size:
            return out
        gx = g(x, idx[pos])
        hit = np.abs(gx) < 1e-9
        out[pos[hit]] = x[hit]
        neg = gx < 0.0
        lo = np.where(neg, x, lo)
        g_lo = np.where(neg, gx, np.where(side == 1, g_lo * 0.5, g_lo))
        hi = np.where(neg, hi, x)
        g_hi = np.where(neg, np.where(side == -1, g_hi * 0.5, g_hi), gx)
        side = np.where(neg, -1, 1).astype(np.int8)
        keep = ~hit
        pos, lo, g_lo, hi, g_hi, side = (v[keep] for v in (pos, lo, g_lo, hi, g_hi, side))
        x = lo - g_lo * (hi - lo) / (g_hi - g_lo)
    raise SolveError(f"{pos.size} path(s) did not converge in {MAX_ITERATIONS} iterations")


def _initial_basis(acc) -> float:
    """As the engine's `_initial_basis` for an account without lots."""
    if acc.basis is not None:
        return acc.basis
    if acc.kind in ("taxable", "cash"):
        return acc.balance or 0.0
    return 0.0


def _incomes(scenario: Scenario, facts: YearFacts, index: np.ndarray, size: int):
    """The year's Social Security, other income and its taxable items, per path (as
    `timeline.timeline` with each path's price index)."""
    death = {p.name: p.birth_year + p.longevity for p in scenario.people}
    year, start, last = facts.year, scenario.plan.start_year, scenario.last_year()
    # Benefits follow the price level (COLA): the timeline's, scaled to each path's.
    total = facts.social_security * (index / facts.index)
    other_total = np.zeros(size)
    taxable = []
    for inc in scenario.income:
        if inc.kind == "social_security":
            continue
        first = inc.start_year if inc.start_year is not None else start
        end = inc.end_year if inc.end_year is not None else (
            death[inc.owner] if inc.owner else last)
        amount = cents(inc.annual * (index if inc.inflation_adjusted else 1.0)) \
            if first <= year <= end else np.zeros(size)
        other_total = other_total + amount
        if inc.taxable:
            taxable.append(amount)
    return cents(total), cents(other_total), taxable


def _walk(order: list[_Account], year: int, birth: dict[str, tuple[int, int]],
          law: Mapping[str, Any]) -> list[tuple[Any, Any, Any, Any]]:
    """The withdrawal's tranches as the engine's strategies build them for the conventional
    order: (dollars, income, gain and early-withdrawal tax per dollar; None for none). A Roth
    account before 59½ gives its contributions first, then earnings (income and the tax)."""
    out: list[tuple[Any, Any, Any, Any]] = []
    for h in order:
        rate = early_rate(h.kind, "ira", year, *birth[h.owner], None, law) \
            if h.owner is not None and not h.inherited else 0.0
        if h.kind == "traditional":
            share = h.taxable_share()
            out.append((h.balance, share, None, share * rate if rate else None))
        elif h.kind == "taxable":
            out.append((h.balance, None, h.taxable_share(), None))
        elif h.kind == "roth" and rate:
            free = np.minimum(h.basis, h.balance)
            out.append((free, None, None, None))
            out.append((np.maximum(0.0, h.balance - free), 1.0, None, rate))
        else:
            out.append((h.balance, None, None, None))
    return out


def _payroll(scenario: Scenario, facts: YearFacts, index: np.ndarray, size: int,
             inflation: float) -> np.ndarray:
    """The year's payroll tax per path, as the engine (planner.contributions.payroll_tax), on
    each living person's wages (no owner: the first living person's)."""
    start, last = scenario.plan.start_year, scenario.last_year()
    death = {p.name: p.birth_year + p.longevity for p in scenario.people}
    wages = {name: np.zeros(size) for name in facts.alive}
    for inc in scenario.income:
        if inc.kind != "wages":
            continue
        first = inc.start_year if inc.start_year is not None else start
        end = inc.end_year if inc.end_year is not None else (
            death[inc.owner] if inc.owner else last)
        if first <= facts.year <= end:
            to = inc.owner if inc.owner in wages else facts.alive[0]
            wages[to] = wages[to] + cents(inc.annual * (index if inc.inflation_adjusted else 1.0))
    law = law_section(facts.year, "payroll_tax", inflation)
    base = float(law["wage_base"])
    total = sum(wages.values())
    social = _half_up(sum(np.minimum(w, base) for w in wages.values())
                      * law["social_security_rate"])
    threshold = law["additional_medicare_mfj"] if facts.status == "mfj" \
        else law["additional_medicare_single"]
    extra = _half_up(np.maximum(0.0, total - threshold) * law["additional_medicare_rate"])
    return cents(social + _half_up(total * law["medicare_rate"]) + extra)


def _half_up(x: np.ndarray) -> np.ndarray:
    """As `planner.contributions._half_up`, per path."""
    return np.floor(x * 100.0 + 0.5 + 1e-7) / 100.0


def _spouse_age(facts: YearFacts, owner: str) -> int | None:
    """As the engine's `_spouse_age`: the living spouse's age, taken to be the sole beneficiary
    (the joint life table when more than 10 years younger, Reg. §1.401(a)(9)-9(d))."""
    if len(facts.alive) != 2:
        return None
    spouse = facts.alive[1] if facts.alive[0] == owner else facts.alive[0]
    return facts.ages[facts.alive.index(spouse)]


def _pick(value: Any, idx: np.ndarray | None) -> Any:
    if idx is None or not isinstance(value, np.ndarray) or value.ndim == 0:
        return value
    return value[idx]


def _irmaa(enrolled: tuple[int, ...], magi: np.ndarray | float, status: str, rules,
           idx: np.ndarray | None, size: int) -> np.ndarray:
    """Total Part B + D surcharge of the paths `idx` for look-back MAGI `magi` (42 U.S.C.
    §1395r(i)): each enrollee's monthly surcharge for the tier, times months, to the cent."""
    total = np.zeros(size)
    if not enrolled:
        return total
    thresholds = rules.status(status).irmaa_thresholds
    magi = np.broadcast_to(np.asarray(magi), (size,))  # already one per path of `idx`
    tier = np.zeros(size, dtype=np.intp)
    last = len(thresholds) - 1
    for i, threshold in enumerate(thresholds):
        threshold = _pick(threshold, idx)
        hit = (magi > threshold) | ((magi >= threshold) if i == last else False)
        tier = np.where(hit, i + 1, tier)
    monthly = [_pick(b, idx) + _pick(d, idx)
               for b, d in zip(rules.part_b_surcharge, rules.part_d_surcharge, strict=True)]
    table = np.stack([np.broadcast_to(m, (size,)) for m in monthly])
    per_month = np.take_along_axis(table, tier[None, :], axis=0)[0]
    for months in enrolled:
        total = total + cents(per_month * months)
    return cents(total)


def _lookback(year: int, known: Mapping[int, Any]) -> int | None:
    """The MAGI year that sets `year`'s IRMAA, or None when it is not known yet."""
    lookback = year - 2
    if lookback in known:
        return lookback
    first = min(known) if known else None
    if first is None or first < lookback:
        return None
    return first


def projected_years(scenario: Scenario) -> list[int]:
    """The years `run_paths` projects (and so the rows a `Market` for it needs)."""
    return [facts.year for facts in timeline(scenario, law_tables())]


def run_paths(scenario: Scenario, market, progress: Callable[[int, int], None] | None = None,
              detail: bool = False) -> PathResults:
    """Project every path of `market` (a `returns.Market` with one row per projected year).

    `detail`: keep every contract column (else only those the simulation summary needs).
    `progress(done, total)` is called after each year.
    """
    tables = law_tables()
    plan, a, strategy = scenario.plan, scenario.assumptions, scenario.strategy
    people = scenario.people
    facts_by_year = timeline(scenario, tables)
    rmd_from = rmd_start_years(scenario, tables)
    birth = {p.name: (p.birth_year, p.birth_month) for p in people}
    start = plan.start_year
    n, size = len(facts_by_year), market.paths
    if market.stock.shape != (n, size):
        raise ValueError(f"market has {market.stock.shape[0]} years, the plan {n}")
    inflation = a.inflation
    guard = strategy.guardrails
    bonds_first_rule = strategy.bonds_first_after_fall

    # Each path's price level relative to the scenario's: 1.0 exactly when its inflation is.
    deviation = np.ones((n + 1, size))
    for k in range(n):
        deviation[k + 1] = deviation[k] * ((1.0 + market.inflation[k]) / (1.0 + inflation))

    def law(year: int, k: int):
        base_year = path_rules(year, inflation, None).projected_from
        if base_year is None:
            return path_rules(year, inflation, None)
        dev = deviation[k] / (deviation[base_year - start] if base_year > start else 1.0)
        return path_rules(year, inflation, None if np.all(dev == 1.0) else dev)

    accounts = [
        _Account(acc.kind, acc.owner,
                 np.full(size, float(cents(acc.balance))),
                 np.full(size, float(cents(_initial_basis(acc)))),
                 0.0 if acc.kind == "cash" else (acc.stocks if acc.stocks is not None else 0.6),
                 acc.dividend_yield, acc.interest_yield, None)
        for acc in scenario.accounts
    ]
    if not any(h.kind == "taxable" for h in accounts):
        # The engine opens this account the first time a surplus is reinvested; empty, it
        # changes nothing before then.
        accounts.append(_Account("taxable", None, np.zeros(size), np.zeros(size), 0.6, 0.0, 0.0,
                                 None))
    if bonds_first_rule:
        for h in accounts:
            if h.kind != "cash":
                h.mix = np.full(size, h.stocks)
    order = sorted(accounts, key=lambda h: CONVENTIONAL.index(h.kind))
    target = next(h for h in accounts if h.kind == "taxable")
    magi_by_year: dict[int, tuple[np.ndarray | float, str]] = {
        int(y): (m, plan.filing_status) for y, m in scenario.history.magi.items()
    }
    carryforward = np.zeros(size)
    stepped_up = False
    multiplier = np.ones(size)
    initial_rate: np.ndarray | None = None
    names = COLUMNS if detail else SUMMARY_COLUMNS
    columns = {name: np.zeros((n, size)) for name in names}
    price_index = np.empty((n, size))
    first_short = np.zeros(size, dtype=np.int64)
    lifetime_tax = np.zeros(size)
    lifetime_irmaa = np.zeros(size)
    everyone = np.arange(size)

    for k, facts in enumerate(facts_by_year):
        year, status = facts.year, facts.status
        rules = law(year, k)
        law_varies = varies(rules)
        index = facts.index * deviation[k]
        price_index[k] = index
        if facts.widowed and not stepped_up:
            # Basis step-up of the decedent's taxable accounts, half of joint ones (estate.py).
            decedent = next(p.name for p in people if p.name != facts.survivor)
            for h in accounts:
                if h.kind == "taxable" and h.owner in (decedent, None):
                    share = 1.0 if h.owner == decedent else 0.5
                    h.basis = cents(h.basis + share * (h.balance - h.basis))
            stepped_up = True
        if facts.widowed:
            for h in accounts:
                if h.owner is not None and h.owner != facts.survivor:
                    h.owner = facts.survivor
                    h.inherited = True
        fell = (market.stock[k - 1] < 0.0) if k > 0 else np.zeros(size, dtype=bool)
        bonds_first = fell if bonds_first_rule else None
        if bonds_first_rule:
            for h in accounts:
                if h.mix is not None:
                    h.mix = np.full(size, h.stocks)  # rebalanced at the start of every year
        start_total = np.zeros(size)
        for h in accounts:
            start_total = start_total + h.balance
        planned = scenario.spending.annual * index
        if guard is not None:
            safe_total = np.where(start_total > 0.0, start_total, 1.0)
            rate = np.where(start_total > 0.0, planned * multiplier / safe_total, np.inf)
            if initial_rate is None:
                initial_rate = rate
            else:
                cut = np.maximum(multiplier * (1.0 - guard.cut), guard.floor)
                multiplier = np.where(
                    rate > guard.upper * initial_rate, np.minimum(multiplier, cut),
                    np.where(rate < guard.lower * initial_rate,
                             multiplier * (1.0 + guard.increase), multiplier))
            planned = planned * multiplier
        spending = cents(planned * (scenario.spending.survivor_fraction if facts.widowed
                                    else 1.0))

        # 2. RMDs, and QCDs that count toward them (QCDs out of the pre-tax part first).
        qcd_left = {name: rules.qcd_limit for name in facts.qcd_eligible}
        qcd_wanted = cents(strategy.qcd_annual * index)
        rmd_total = np.zeros(size)
        qcd_total = np.zeros(size)
        ordinary = np.zeros(size)
        rmd_cash = np.zeros(size)
        pending: list[tuple[Any, np.ndarray, np.ndarray]] = []
        for h in accounts:
            if h.kind != "traditional" or h.owner is None:
                continue
            qcd = np.zeros(size)
            if h.owner in qcd_left:
                amount = cents(np.maximum(0.0, np.minimum(
                    np.minimum(qcd_wanted - qcd_total, qcd_left[h.owner]), h.balance - h.basis)))
                qcd = np.where(qcd_wanted > qcd_total, amount, 0.0)
            rmd = np.zeros(size)
            if year >= rmd_from[h.owner]:
                by, bm = birth[h.owner]
                divisor = required_minimum_distribution(1.0, by, bm, year, tables,
                                                        _spouse_age(facts, h.owner)).divisor
                rmd = np.where(h.balance > 0.0, cents(h.balance / divisor), 0.0)
            if h.owner in qcd_left:
                qcd_left[h.owner] = qcd_left[h.owner] - qcd
                h.reduce(qcd, cents(h.balance - qcd), bonds_first)
                qcd_total = qcd_total + qcd
            rmd_total = rmd_total + rmd
            pending.append((h, rmd, qcd))
        # A QCD beyond one IRA's RMD counts toward the owner's other IRAs (Reg. §1.408-8(e)).
        spare: dict[str, np.ndarray] = {}
        for h, rmd, qcd in pending:
            spare[h.owner] = spare.get(h.owner, 0.0) + np.maximum(0.0, qcd - rmd)
        for h, rmd, qcd in pending:
            due = np.maximum(0.0, rmd - qcd)
            use = np.minimum(due, spare[h.owner])
            spare[h.owner] = spare[h.owner] - use
            due = np.where(rmd > 0.0, cents(np.minimum(due - use, h.balance)), 0.0)
            ordinary = ordinary + h.take(due, bonds_first)
            rmd_cash = rmd_cash + due
        withdrawn = {"cash": np.zeros(size), "taxable": np.zeros(size),
                     "traditional": rmd_cash, "roth": np.zeros(size)}

        # 3. Incomes, dividends and interest.
        ss_total, other_total, taxable_other = _incomes(scenario, facts, index, size)
        for amount in taxable_other:
            ordinary = ordinary + amount
        interest = np.zeros(size)
        dividends = np.zeros(size)
        cash_interest = np.zeros(size)
        for h in accounts:
            if h.kind == "taxable":
                dividends = dividends + cents(h.balance * h.dividend_yield)
                interest = interest + cents(h.balance * h.interest_yield)
            elif h.kind == "cash":
                credit = cents(h.balance * market.cash[k])
                h.balance = cents(h.balance + credit)
                cash_interest = cash_interest + credit
        inflow = ss_total + other_total + rmd_cash + dividends + interest
        if any(facts.wages_by_person):
            inflow = inflow - _payroll(scenario, facts, index, size, a.inflation)
        seniors = sum(1 for age in facts.ages if age >= 65)

        # 4. Withdrawals: solve W so that inflow + W - tax(W) - irmaa = spending.
        walk = _walk(order, year, birth, law_section(year, "early_withdrawal", a.inflation))
        cap = np.zeros(size)
        for balance, _, _, _ in walk:
            cap = cap + balance
        fixed_interest = interest + cash_interest
        loss_in = 0.0 - carryforward

        def tax_for(w: np.ndarray, idx: np.ndarray | None, _ordinary=ordinary, _walk=walk,
                    _fixed=fixed_interest, _divs=dividends, _ss=ss_total, _loss=loss_in,
                    _rules=rules, _varies=law_varies, _status=status,
                    _seniors=seniors) -> tuple[TaxArrays, np.ndarray, np.ndarray]:
            ordinary_w = _pick(_ordinary, idx)
            gains = np.zeros(w.size)
            penalty = np.zeros(w.size)
            for balance, income, gain, extra in _walk:
                balance = _pick(balance, idx)
                part = np.where(w > balance, balance, w)
                w = w - part
                if income is not None:
                    ordinary_w = ordinary_w + part * _pick(income, idx)
                if gain is not None:
                    gains = gains + part * _pick(gain, idx)
                if extra is not None:
                    penalty = penalty + part * _pick(extra, idx)
            law_year = take_rules(_rules, idx) if _varies else _rules
            tax = vector_tax(law_year, law_year.status(_status), _seniors, ordinary_w,
                             _pick(_fixed, idx), _pick(_divs, idx), gains + _pick(_loss, idx),
                             _pick(_ss, idx))
            return tax, gains, penalty

        def surplus(w: np.ndarray, idx: np.ndarray, irmaa_amount: np.ndarray,
                    _inflow=inflow, _spending=spending, _tax_for=tax_for) -> np.ndarray:
            tax, _, penalty = _tax_for(w, idx)
            return (_inflow[idx] + w - tax.total_tax - penalty - _spending[idx]
                    - irmaa_amount[idx])

        enrolled = facts.medicare_months
        lookback = _lookback(year, magi_by_year)
        if not enrolled:
            irmaa_total = np.zeros(size)
        elif lookback is not None:
            magi_lb, status_lb = magi_by_year[lookback]
            irmaa_total = _irmaa(enrolled, magi_lb, status_lb, rules, None, size)
        else:
            irmaa_total = _first_year_irmaa(tax_for, surplus, cap, enrolled, status, rules, size)
        w = _solve(lambda x, idx, i=irmaa_total: surplus(x, idx, i), cap, everyone)

        # Settle to the cent as the engine does: up to the cent, then a cent at a time.
        w = np.minimum(cap, ceil_cents(w))
        left = np.empty(size)
        federal_tax = np.empty(size)
        gains = np.empty(size)
        kept = ("agi", "magi", "taxable_social_security", "loss_carryforward",
                "taxable_income", "niit")
        final = {f: np.empty(size) for f in kept}
        active = everyone
        for _ in range(MAX_ITERATIONS):
            tax, g, penalty = tax_for(w[active], active)
            fed = cents(tax.total_tax + penalty)
            lf = cents(inflow[active] + w[active] - fed - spending[active] - irmaa_total[active])
            done = (lf >= 0.0) | (w[active] >= cap[active])
            settled = active[done]
            left[settled], federal_tax[settled], gains[settled] = lf[done], fed[done], g[done]
            for f in kept:
                final[f][settled] = getattr(tax, f)[done]
            pending = active[~done]
            w[pending] = np.minimum(cap[pending], cents(w[pending] + np.maximum(0.01, -lf[~done])))
            active = pending
            if not active.size:
                break
        else:
            raise SolveError(f"{active.size} path(s) not settled in {MAX_ITERATIONS} steps")
        remaining = w
        for h in order:
            part = cents(np.minimum(remaining, h.balance))
            h.take(part, bonds_first)
            withdrawn[h.kind] = withdrawn[h.kind] + part
            remaining = cents(remaining - part)
        shortfall = np.where(left < 0.0, cents(-left), 0.0)
        reinvested = np.where(left > 0.0, left, 0.0)
        carryforward = final["loss_carryforward"]

        # 6. Reinvest the surplus, then grow.
        more = reinvested > 0.0
        if more.any():
            if target.mix is not None:
                total = target.balance + reinvested
                stock_value = target.mix * target.balance + reinvested * target.stocks
                target.mix = np.where(total > 0.0, stock_value / np.where(total > 0.0, total, 1.0),
                                      target.stocks)
            target.balance = np.where(more, cents(target.balance + reinvested), target.balance)
            target.basis = np.where(more, cents(target.basis + reinvested), target.basis)
        growth = np.zeros(size)
        stock_rate, bond_rate = market.stock[k], market.bond[k]
        for h in accounts:
            if h.kind == "cash":
                continue
            mix = h.mix if h.mix is not None else h.stocks
            rate = mix * stock_rate + (1.0 - mix) * bond_rate
            if h.kind == "taxable":
                rate = rate - (h.dividend_yield + h.interest_yield)
            gain = cents(h.balance * rate)
            h.balance = cents(h.balance + gain)
            growth = growth + gain

        magi_by_year[year] = (final["magi"], status)
        ends = _ends(accounts, size)
        end_total = cents(ends["cash"] + ends["taxable"] + ends["traditional"] + ends["roth"])
        lifetime_tax = lifetime_tax + federal_tax
        lifetime_irmaa = lifetime_irmaa + irmaa_total
        first_short = np.where((first_short == 0) & (shortfall > 0.0), year, first_short)
        row = {
            "spending": spending, "federal_tax": federal_tax, "irmaa": irmaa_total,
            "end_total": end_total, "shortfall": shortfall,
        }
        if detail:
            row.update({
                "income_social_security": ss_total, "income_other": other_total,
                "rmd": cents(rmd_total), "withdraw_cash": cents(withdrawn["cash"]),
                "withdraw_taxable": cents(withdrawn["taxable"]),
                "withdraw_traditional": cents(withdrawn["traditional"]),
                "withdraw_roth": cents(withdrawn["roth"]), "qcd": cents(qcd_total),
                "realized_gains": cents(gains),
                "taxable_social_security": cents(final["taxable_social_security"]),
                "agi": cents(final["agi"]), "magi": cents(final["magi"]),
                "taxable_income": cents(final["taxable_income"]), "niit": cents(final["niit"]),
                "investment_return": cents(dividends + interest + cash_interest + growth),
                "end_cash": cents(ends["cash"]), "end_taxable": cents(ends["taxable"]),
                "end_traditional": cents(ends["traditional"]), "end_roth": cents(ends["roth"]),
                "start_total": cents(start_total),
            })
        for name in names:
            if name in row:
                columns[name][k] = row[name]
        if progress is not None:
            progress(k + 1, n)

    end = {kind: cents(total) for kind, total in _ends(accounts, size).items()}
    estate = cents(after_tax_estate(end["cash"], end["taxable"], end["traditional"], end["roth"],
                                    a.heir_tax_rate))
    return PathResults(
        years=tuple(f.year for f in facts_by_year),
        columns=MappingProxyType(columns),
        price_index=price_index,
        lifetime_federal_tax=cents(lifetime_tax),
        lifetime_irmaa=cents(lifetime_irmaa),
        end_total=columns["end_total"][-1] if n else np.zeros(size),
        after_tax_estate=estate,
        first_shortfall_year=first_short,
    )


def _ends(accounts: list[_Account], size: int) -> dict[str, np.ndarray]:
    ends = {kind: np.zeros(size) for kind in KINDS}
    for h in accounts:
        ends[h.kind] = ends[h.kind] + h.balance
    return ends


def _first_year_irmaa(tax_for, surplus, cap: np.ndarray, enrolled: tuple[int, ...],
                      status: str, rules, size: int) -> np.ndarray:
    """IRMAA of a first year with no MAGI history: set by the year's own MAGI, found per path by
    the engine's fixed point (guess, solve, recompute; stop on a repeat, keep the larger)."""
    guess = np.zeros(size)
    result = np.empty(size)
    seen: list[np.ndarray] = []
    active = np.arange(size)
    for _ in range(MAX_ITERATIONS):
        w = _solve(lambda x, idx, g=guess: surplus(x, idx, g), cap, active)
        magi = tax_for(w, active)[0].magi
        total = _irmaa(enrolled, magi, status, rules, active, active.size)
        current = guess[active]
        repeat = total == current
        for earlier in seen:
            repeat |= total == earlier[active]
        result[active[repeat]] = np.maximum(total[repeat], current[repeat])
        record = np.full(size, np.nan)
        record[active] = total
        seen.append(record)
        guess = guess.copy()
        guess[active] = total
        active = active[~repeat]
        if not active.size:
            return result
    raise SolveError(f"first-year IRMAA did not settle on {active.size} path(s)")
