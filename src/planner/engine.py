"""The year-by-year projection: the one place where a year's events happen, in the contract's order.

1. Balances start at the previous year's end. In the first year after the first death, the
   decedent's taxable accounts get a basis step-up (all of theirs, half of joint ones: estate.py)
   and the survivor becomes the owner of every account.
2. RMDs are computed from the start-of-year balances and taken first; QCDs, which count toward
   them, come out of the same accounts.
3. Incomes arrive; taxable dividends and interest are paid out; cash interest is credited.
4. Losses are harvested (`harvest_losses`); a schedule's withdrawals and conversions for the year
   are made (`project(..., schedule=)`). Withdrawals, in the strategy's order, cover spending +
   federal tax + IRMAA, solved so that the after-tax money meets the need to the cent (`_solve`);
   the year's Roth conversion is solved with them, since its tax is part of the need.
5. The Roth conversion moves money from traditional to Roth accounts.
6. Surplus is reinvested in taxable (a new tax lot), then every account grows at its return.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, NamedTuple

from planner.conversions import FPL_MARGIN, ConversionTarget, may_convert, target_for_year
from planner.early_withdrawal import early_rate
from planner.estate import after_tax_estate, step_up_at_death
from planner.federal_tax import TaxResult, bracket_rate, tax_of_return
from planner.irmaa import irmaa_tier, monthly_surcharge
from planner.lots import TaxLot, bought, harvest, scenario_lots
from planner.money import cents
from planner.rmd import distribution_period, uniform_divisor
from planner.rules import YearRules, law_section, law_tables, rules_for_year
from planner.strategies import Tranche, allocate, traditional_sequence, withdrawal_sequence
from planner.timeline import YearFacts, rmd_start_years, timeline

if TYPE_CHECKING:
    from planner.contributions import Plan
    from planner.scenario import Scenario
    from planner.schedule import Schedule


class Holding:
    """One account's state inside the loop (mutable; never leaves the engine).

    A taxable account with `lots` keeps its balance and basis equal to their sums (`sync`).
    The engine's classes have slots and plain `__init__`s rather than being dataclasses, which
    cost milliseconds each to create when every command imports this module."""

    __slots__ = ("name", "kind", "owner", "balance", "basis", "stocks", "dividend_yield",
                 "interest_yield", "lots", "rate", "plan_type", "penalty", "conversions",
                 "conversion_years", "inherited")

    def __init__(self, name: str, kind: str, owner: str | None, balance: float, basis: float,
                 stocks: float, dividend_yield: float, interest_yield: float,
                 lots: list[TaxLot] | None = None, rate: float = 0.0, plan_type: str = "ira",
                 penalty: float = 0.0, conversions: list[list[float]] | None = None,
                 conversion_years: int = 5, inherited: bool = False) -> None:
        self.name = name
        self.kind = kind
        self.owner = owner
        self.balance = balance
        self.basis = basis
        self.stocks = stocks
        self.dividend_yield = dividend_yield
        self.interest_yield = interest_yield
        self.lots = lots
        self.rate = rate  # yearly growth, less what taxable accounts pay out
        self.plan_type = plan_type  # traditional and roth: "401k" or "ira"
        # The year's early-withdrawal tax per dollar of income (traditional), per dollar (HSA),
        # or the §72(t) rate when the owner is under 59½ (Roth: withdrawals drawn in layers).
        self.penalty = penalty
        # Roth: conversions made in the plan, oldest first: [year, dollars left, taxable share].
        self.conversions: list[list[float]] = [] if conversions is None else conversions
        self.conversion_years = conversion_years  # the §408A(d)(3)(F) period
        self.inherited = inherited  # passed to the survivor at the first death

    def set_rate(self, stock_return: float, bond_return: float) -> Holding:
        if self.kind != "cash":
            self.rate = self.stocks * stock_return + (1.0 - self.stocks) * bond_return
            if self.kind == "taxable":
                self.rate -= self.dividend_yield + self.interest_yield
        return self

    def taxable_share(self) -> float:
        """Share of a withdrawal that is income: ordinary (traditional) or gain (taxable)."""
        if self.kind not in ("traditional", "taxable") or self.balance <= 0.0:
            return 0.0
        return 1.0 - self.basis / self.balance

    def roth_layers(self, year: int) -> list[tuple[float, float, float]]:
        """A Roth account's money in the order of IRC §408A(d)(4)(B): (dollars, income per
        dollar, additional tax per dollar) for regular contributions, each conversion (taxed
        under §408A(d)(3)(F) within `conversion_years` of 1 January of its year), earnings."""
        converted = sum(x for _, x, _ in self.conversions)
        out = [(max(0.0, self.basis - converted), 0.0, 0.0)]
        for since, left, taxable in self.conversions:
            recent = year - since < self.conversion_years
            out.append((left, 0.0, self.penalty * taxable if recent else 0.0))
        out.append((max(0.0, self.balance - self.basis), 1.0, self.penalty))
        return out

    def take(self, amount: float) -> float:
        """Withdraw `amount` (cents); returns the taxable part and reduces basis pro rata (a
        Roth account's basis: contributions first, then conversions oldest first)."""
        kind, balance = self.kind, self.balance
        share = 0.0
        if kind == "traditional" or kind == "taxable":
            if balance > 0.0:  # `taxable_share`, and the basis taken pro rata
                basis = self.basis
                share = 1.0 - basis / balance
                left = basis - basis * amount / balance
                # `_cents(x) if x else x` is `round(x, 2)` (a zero keeps its sign), faster.
                self.basis = 0.0 if amount >= balance else (_cents(left) if left else left)
        elif kind == "roth":
            self._take_roth_basis(amount)
        left = balance - amount
        self.balance = _cents(left) if left else left
        return amount * share

    def _take_roth_basis(self, amount: float) -> None:
        """IRC §408A(d)(4)(B): a withdrawal comes from contributions, then conversions."""
        if self.basis <= 0.0:
            return
        converted = sum(x for _, x, _ in self.conversions)
        used = min(amount, max(0.0, self.basis - converted))
        left = amount - used
        for layer in self.conversions:
            part = min(left, layer[1])
            layer[1] = _cents(layer[1] - part)
            used += part
            left -= part
        self.conversions = [layer for layer in self.conversions if layer[1] > 0.0]
        self.basis = max(0.0, _cents(self.basis - used))

    def sync(self) -> None:
        """Balance and basis from the lots (emptied lots are dropped)."""
        if self.lots is not None:
            self.lots = [lot for lot in self.lots if lot.value > 0.0]
            self.balance = round(sum(lot.value for lot in self.lots), 2)
            self.basis = round(sum(lot.basis for lot in self.lots), 2)


class LotSale(NamedTuple):
    """A sale of (part of) a tax lot: for `--explain`."""

    account: str
    proceeds: float
    basis: float
    gain: float
    long_term: bool
    harvested: bool = False


class YearResult(NamedTuple):
    """One projected year: the contract's columns plus what `--explain` needs (immutable; a
    NamedTuple because a frozen dataclass of this many fields costs more to build than the rest
    of the row)."""

    year: int
    ages: tuple[int | None, ...]
    filing_status: str
    spending: float
    income_social_security: float
    income_other: float
    rmd: float
    withdraw_cash: float
    withdraw_taxable: float
    withdraw_traditional: float
    withdraw_roth: float
    roth_conversion: float
    qcd: float
    realized_gains: float
    taxable_social_security: float
    agi: float
    magi: float
    taxable_income: float
    federal_tax: float
    niit: float
    irmaa: float
    investment_return: float
    end_cash: float
    end_taxable: float
    end_traditional: float
    end_roth: float
    end_total: float
    shortfall: float
    start_total: float
    ordinary_bracket: float
    irmaa_tier: int
    irmaa_lookback_year: int
    loss_carryforward: float
    reinvested: float
    rmd_divisors: tuple[tuple[str, float], ...] = ()
    conversion_tax_withheld: float = 0.0
    harvested_losses: float = 0.0
    stepped_up_basis: float = 0.0
    fill_cap: float = 0.0
    conversion_limit: str = ""
    withdrawals: tuple[tuple[str, float], ...] = ()
    conversions: tuple[tuple[str, str, float], ...] = ()
    lot_sales: tuple[LotSale, ...] = ()
    rmds: tuple[tuple[str, float, float, float], ...] = ()  # account, 31 Dec balance, divisor, RMD
    qcds: tuple[tuple[str, float], ...] = ()
    ordinary_taxable_income: float = 0.0
    state: str = ""  # state of residence ("" for none)
    state_tax: float = 0.0
    aca_net_premium: float = 0.0
    annuity_premium: float = 0.0  # paid from a traditional account for an annuity
    withdraw_hsa: float = 0.0  # all HSA withdrawals, medical ones included
    hsa_medical: float = 0.0  # HSA money spent on medical expenses (tax-free)
    end_hsa: float = 0.0
    contributions: float = 0.0  # out of wages into retirement accounts and HSAs
    employer_contributions: float = 0.0
    payroll_tax: float = 0.0
    early_withdrawal_penalty: float = 0.0  # part of federal_tax


class Summary(NamedTuple):
    lifetime_federal_tax: float
    lifetime_irmaa: float
    end_total: float
    after_tax_estate: float
    first_shortfall_year: int | None
    lifetime_state_tax: float = 0.0
    lifetime_aca_net_premium: float = 0.0
    lifetime_payroll_tax: float = 0.0
    lifetime_early_withdrawal_penalty: float = 0.0


class Projection(NamedTuple):
    people: tuple[str, ...]
    years: tuple[YearResult, ...]
    summary: Summary


_cents = cents  # round(x + 0.0, 2), faster (planner.money)
_balance = attrgetter("balance")
_cap = itemgetter(0)  # Tranche.cap
# _make(cls, fields): a NamedTuple from a tuple of all its fields, in order (its generated
# __new__ costs more than the rest of a row).
_make = tuple.__new__


def _solve(g, cap: float, g_lo: float | None = None) -> float:
    """Smallest W in [0, cap] with g(W) >= 0, for g increasing and piecewise linear (`g_lo`:
    g(0), when the caller has it already).

    Secant steps from W = 0 (first as if the withdrawal bore no tax), extrapolating while they stay
    below the root; once a point at or above it is found, regula falsi with the Illinois rule
    inside the bracket. On a piecewise-linear g a secant lands exactly on the root as soon as two
    points share its segment, so this ends after a few evaluations; the loops only bound it.
    """
    if g_lo is None:
        g_lo = g(0.0)
    if g_lo >= 0.0:
        return 0.0
    lo = prev_x = 0.0
    prev_g = g_lo
    x = min(cap, -g_lo)
    for _ in range(60):  # below the root: extrapolate
        gx = g(x)
        if abs(gx) < 1e-9:
            return x
        if gx > 0.0:
            hi, g_hi = x, gx
            break
        if x >= cap:
            return cap
        lo, g_lo = x, gx
        step = x - gx * (x - prev_x) / (gx - prev_g) if gx > prev_g else cap
        prev_x, prev_g = x, gx
        x = min(cap, step if step > x else cap)
    else:
        hi, g_hi = cap, g(cap)
        if g_hi < 0.0:
            return cap
    side = 0
    x = lo - g_lo * (hi - lo) / (g_hi - g_lo)
    for _ in range(200):  # inside the bracket [lo, hi]
        if hi - lo < 1e-9:
            return hi
        gx = g(x)
        if abs(gx) < 1e-9:
            return x
        if gx < 0.0:
            lo, g_lo = x, gx
            if side == -1:
                g_hi *= 0.5
            side = -1
        else:
            hi, g_hi = x, gx
            if side == 1:
                g_lo *= 0.5
            side = 1
        x = lo - g_lo * (hi - lo) / (g_hi - g_lo)
    return hi


class _Income(NamedTuple):
    """A year's income that does not depend on its withdrawals or conversion, and the tax of
    the year as a function of them."""

    status: str
    ages: tuple[int, ...]
    ordinary: float
    interest: float
    dividends: float
    long_term: float  # harvested long-term losses less the loss carried in
    short_term: float  # harvested short-term losses
    social_security: float
    rules: YearRules
    state: _StateYear | None = None
    aca: _AcaYear | None = None
    penalty: float = 0.0  # early-withdrawal tax on the year's scheduled withdrawals

    def tax(self, walk: Sequence[Tranche], w: float, converted: float = 0.0,
            converted_by: Sequence[float] | None = None) -> _Tax:
        """Taxes and premiums when `w` is drawn along `walk` (cap, ordinary, long-term,
        short-term per dollar) and `converted` dollars of ordinary income are converted
        (`converted_by`: that income by filer, needed for state tax only)."""
        (status, ages, ordinary, interest, dividends, long_term, short_term, social_security,
         rules, state, aca, penalty) = self  # every field, at once
        if converted:
            ordinary = ordinary + converted
        by = None
        if state is not None:
            by = list(state.retirement)
            if converted_by is not None:
                for i, x in enumerate(converted_by):
                    by[i] += x
        lt = st = other = 0.0
        for cap, per_ordinary, per_long, per_short, sources, per_penalty in walk:
            if w <= 0.0:
                break
            part = cap if w > cap else w
            w -= part
            if per_ordinary:
                ordinary += part * per_ordinary
                if by is None:
                    pass
                elif sources[0][0].kind == "hsa":
                    other += part * per_ordinary
                else:
                    _attribute(by, sources, part * per_ordinary, state.filer)
            if per_long:
                lt += part * per_long
            if per_short:
                st += part * per_short
            if per_penalty:
                penalty += part * per_penalty
        tax = tax_of_return(status, ages, ordinary, interest, dividends, lt + long_term,
                            st + short_term, social_security, 0.0, rules)
        state_tax = state.tax(tax, by, self, other) if state is not None else 0.0
        premium = aca.net_premium(tax, social_security) if aca is not None else 0.0
        return _make(_Tax, (tax, lt + st, state_tax, premium,
                               tax.total_tax + state_tax + premium + penalty, penalty))


class _Tax(NamedTuple):
    """A year's taxes and premiums for one withdrawal and conversion."""

    federal: TaxResult
    gains: float  # realised by the withdrawal
    state: float  # state income tax
    aca: float  # Marketplace premium net of the premium tax credit
    cost: float  # all four: what the year must fund besides spending and IRMAA
    penalty: float = 0.0  # early-withdrawal taxes (part of the federal tax)


class _StateYear(NamedTuple):
    """What a year's state return needs beyond the federal one: the state, the filers (living
    people, in order), and the incomes that do not depend on the withdrawal."""

    code: str
    year: int
    filer: dict[str, int]  # owner name -> index among the filers
    birth_months: tuple[int, ...]
    wages: tuple[float, ...]
    pensions: tuple[float, ...]
    social_security: tuple[float, ...]
    retirement: tuple[float, ...]  # RMDs and scheduled moves: taxable, by filer
    other_income: float
    inflation: float

    def tax(self, federal: TaxResult, retirement: Sequence[float], income: _Income,
            other: float = 0.0) -> float:
        """State income tax (planner.state_tax) for the year's federal return (`other`: HSA
        withdrawals not spent on medical care, other income on the federal return)."""
        from planner.state_tax import StateTaxInput, compute_state_tax

        return compute_state_tax(StateTaxInput(
            self.code, self.year, income.status, income.ages, self.birth_months, self.wages,
            tuple(retirement), self.pensions, self.social_security,
            federal.taxable_social_security, income.interest, income.dividends,
            federal.capital_gain_in_agi, self.other_income + other, federal.agi,
            federal.taxable_income,
        ), self.inflation).tax


class _AcaYear(NamedTuple):
    """A year's Marketplace coverage: (months, benchmark, premium) groups, annual amounts for
    the people covered in those months, and the tax household's size."""

    groups: tuple[tuple[int, float, float], ...]
    household_size: int
    year: int
    inflation: float

    def net_premium(self, federal: TaxResult, social_security: float) -> float:
        """Premiums less the premium tax credit (IRC §36B), month group by month group; the
        household income is AGI plus the Social Security left untaxed (§36B(d)(2)(B))."""
        from planner.aca import aca_net_premium

        magi = federal.agi + social_security - federal.taxable_social_security
        total = 0.0
        for months, benchmark, premium in self.groups:
            total += aca_net_premium(magi, self.household_size, benchmark, premium, self.year,
                                     self.inflation) * months / 12.0
        return total


def _attribute(by: list[float], sources, ordinary: float, filer: dict[str, int]) -> None:
    """Add a tranche's ordinary income to its owners' shares (pro rata to each traditional
    source's pre-tax dollars when a tranche draws on several accounts)."""
    if len(sources) == 1:
        by[filer.get(sources[0][0].owner, 0)] += ordinary
        return
    weights = [(h, dollars * h.taxable_share()) for h, _, dollars in sources
               if h.kind == "traditional"]
    total = sum(x for _, x in weights)
    for h, x in weights:
        if total > 0.0:
            by[filer.get(h.owner, 0)] += ordinary * x / total


class _Plan:
    """A year's Roth conversion (`parts`, gross; `ordinary`: the income it adds) and the
    withdrawal sequence on what is left, built when first needed (a year whose income covers
    its needs never draws)."""

    __slots__ = ("converted", "parts", "ordinary", "ordinary_by", "order", "holdings", "year",
                 "fill_cap", "available", "built", "total", "memo")

    def __init__(self, converted: float, parts: list[tuple[Holding, float]], ordinary: float,
                 ordinary_by: tuple[float, ...] | None, order: str, holdings: list[Holding],
                 year: int, fill_cap: float, available: dict[Holding, float] | None) -> None:
        self.converted = converted
        self.parts = parts
        self.ordinary = ordinary
        self.ordinary_by = ordinary_by
        self.order = order
        self.holdings = holdings
        self.year = year
        self.fill_cap = fill_cap
        self.available = available
        self.built: list[Tranche] | None = None
        self.total = 0.0
        self.memo: dict[float, _Tax] = {}

    @property
    def sequence(self) -> list[Tranche]:
        if self.built is None:
            self.built = withdrawal_sequence(self.order, self.holdings, self.year,
                                             self.fill_cap, self.available)
            self.total = sum(map(_cap, self.built))
        return self.built

    @property
    def cap(self) -> float:
        """Everything the sequence can give."""
        if self.built is None:
            self.built = self.sequence
        return self.total

    def tax(self, income: _Income, w: float) -> _Tax:
        """`income.tax` along this plan, remembered: the solve and the settling to the cent
        often ask for the same withdrawal twice."""
        found = self.memo.get(w)
        if found is None:
            walk = (self.built or self.sequence) if w > 0.0 else ()
            found = self.memo[w] = income.tax(walk, w, self.ordinary, self.ordinary_by)
        return found


def _plan(order: str, holdings: list[Holding], year: int, fill_cap: float,
          sources: list[Holding], converted: float, final: bool = False,
          filer: dict[str, int] | None = None) -> _Plan:
    """Convert `converted` dollars from `sources` in order, and draw the withdrawal on the rest
    (`filer`: owner -> filer index, when the conversion's income is needed by filer)."""
    parts: list[tuple[Holding, float]] = []
    available: dict[Holding, float] | None = None
    ordinary = 0.0
    by = [0.0] * len(filer) if filer is not None else None
    if converted > 0.0:
        available = {}
        left = converted
        for h in sources:
            part = min(left, h.balance)
            if final:
                part = _cents(part)
            if part <= 0.0:
                break
            parts.append((h, part))
            available[h] = _cents(h.balance - part) if final else h.balance - part
            income = part * h.taxable_share()
            ordinary += income
            if by is not None:
                by[filer.get(h.owner, 0)] += income
            left -= part
    return _Plan(converted, parts, ordinary, tuple(by) if by is not None else None, order,
                 holdings, year, fill_cap, available)


def project(scenario: Scenario, schedule: Schedule | None = None) -> Projection:
    """Project every year of the plan. Pure: the same scenario gives the same result.

    With a `schedule` (planner.schedule), each year's listed withdrawals and conversions are
    made first, at step 4, and the strategy covers whatever need is left (a surplus is
    reinvested); its `spending_annual` replaces `[spending] annual`."""
    if schedule is not None and schedule.spending_annual is not None:
        scenario = scenario.model_copy(update={"spending": scenario.spending.model_copy(
            update={"annual": schedule.spending_annual})})
    tables = law_tables()
    plan = scenario.plan
    a = scenario.assumptions
    strategy = scenario.strategy
    order = strategy.withdrawal_order
    # A schedule's conversions replace the scenario's own conversion policy.
    policy = strategy.roth_conversion if schedule is None else None
    start = plan.start_year
    people = scenario.people
    birth = {p.name: p.birth_year for p in people}
    rmd_from = rmd_start_years(scenario, tables)
    # The joint life table needs a spouse more than 10 years younger (Reg. §1.401(a)(9)-9(d)).
    joint_table_possible = len(people) == 2 and abs(people[0].birth_year
                                                    - people[1].birth_year) > 10
    holdings = [_holding(acc, start).set_rate(a.stock_return, a.bond_return)
                for acc in scenario.accounts]
    traditional = [h for h in holdings if h.kind == "traditional"]
    magi_by_year: dict[int, tuple[float, str]] = {
        int(y): (m, plan.filing_status) for y, m in scenario.history.magi.items()
    }
    carryforward = 0.0
    stepped_up = False
    guard = scenario.strategy.guardrails
    multiplier, initial_rate = 1.0, None
    rows: list[YearResult] = []
    states = _residence(plan)
    birth_month = {p.name: p.birth_month for p in people}
    health = scenario.health
    plans = _contribution_plans(scenario)
    separation = separation_years(scenario)
    # After this year no one is under 65 (HSA) or 59½: every early-withdrawal rate is 0.
    early = law_section(start, "early_withdrawal", a.inflation)
    early_until = max(p.birth_year for p in people) + max(
        early["hsa_age"], -(-early["age_months"] // 12))
    medical = scenario.spending.medical

    inflation, cash_return = a.inflation, a.cash_return
    harvesting, bracket_fill = strategy.harvest_losses, order == "bracket-fill"
    annual, survivor_fraction = scenario.spending.annual, scenario.spending.survivor_fraction
    # `_aca_year` gives None for every year without Marketplace premiums.
    aca_possible = not (health.aca_benchmark_premium <= 0.0 and not health.aca_premium)
    wage_income = any(inc.kind == "wages" for inc in scenario.income)
    taxed_by_state = plan.state is not None or bool(plan.moves)
    # Accounts counted and listed by kind (more are opened by conversions and reinvestment).
    counted = listed = -1

    for facts in timeline(scenario, tables):
        # Every field at once (a NamedTuple's fields cost more one by one).
        (year, alive, ages, all_ages, status, widowed, survivor, index, spending, ss_total,
         other_total, taxable_other, qcd_wanted, qcd_eligible, medicare_months, _, state_wages,
         _, annuity_premiums, _) = facts
        rules = rules_for_year(year, inflation)
        stepped = 0.0
        if widowed:
            if not stepped_up:
                decedent = next(p.name for p in people if p.name != survivor)
                stepped = step_up_at_death(holdings, decedent, year)
                stepped_up = True
            for h in holdings:
                if h.owner is not None and h.owner != survivor:
                    h.owner = survivor  # spousal rollover / inheritance by the survivor
                    h.inherited = True
        if year <= early_until:
            _set_penalties(holdings, year, birth, birth_month, separation,
                           law_section(year, "early_withdrawal", inflation))
        start_total = sum(map(_balance, holdings))
        annuity_premium = 0.0
        for account, premium in annuity_premiums:
            # An annuity bought inside the IRA: the premium leaves the account untaxed; the
            # payments (in the year's other income) are taxed as they come.
            h = next(h for h in holdings if h.name == account)
            paid = _cents(min(premium, h.balance))
            h.take(paid)
            annuity_premium += paid
        if guard is not None:
            # Guyton-Klinger guardrails: the withdrawal rate against the first year's moves a
            # lasting multiplier on the inflation-indexed spending (vector_engine.py mirrors it).
            planned = annual * index
            rate = planned * multiplier / start_total if start_total > 0.0 else math.inf
            if initial_rate is None:
                initial_rate = rate
            elif rate > guard.upper * initial_rate:
                multiplier = min(multiplier, max(multiplier * (1.0 - guard.cut), guard.floor))
            elif rate < guard.lower * initial_rate:
                multiplier = multiplier * (1.0 + guard.increase)
            spending = _cents(planned * multiplier * (survivor_fraction if widowed else 1.0))

        # 2. RMDs, and QCDs that count toward them.
        rmd_total = qcd_total = ordinary = rmd_cash = 0.0
        divisors: list[tuple[str, float]] = []
        rmds: list[tuple[str, float, float, float]] = []
        qcds: list[tuple[str, float]] = []
        owner_income: dict[str, float] = {}  # taxable retirement money by owner (state tax)
        if traditional:
            # Without a QCD, each account's RMD is simply taken from it (`_rmds`).
            rmd_total, qcd_total, ordinary, rmd_cash = (
                _rmds_and_qcds if qcd_wanted and qcd_eligible else _rmds)(
                traditional, facts, rules, rmd_from, birth, tables, joint_table_possible,
                divisors, rmds, qcds, owner_income)
        withdrawn = {"cash": 0.0, "taxable": 0.0, "traditional": rmd_cash, "roth": 0.0,
                     "hsa": 0.0}

        # 3. Incomes, dividends and interest.
        for amount in taxable_other:
            ordinary += amount
        interest = dividends = cash_interest = 0.0
        if len(holdings) != listed:  # accounts opened last year
            listed = len(holdings)
            payers = [h for h in holdings if h.kind in ("taxable", "cash")]
        for h in payers:
            kind = h.kind
            if kind == "taxable":
                # A yield of 0 pays 0.0, which leaves the sums as they are.
                if h.dividend_yield:
                    dividends += _cents(h.balance * h.dividend_yield)
                if h.interest_yield:
                    interest += _cents(h.balance * h.interest_yield)
            elif h.balance:  # cash; an empty account earns 0.0 and stays 0.0
                credit = _cents(h.balance * cash_return)
                h.balance = _cents(h.balance + credit)
                cash_interest += credit
            else:
                h.balance = 0.0
        inflow = ss_total + other_total + rmd_cash + dividends + interest
        contributed = employer_paid = payroll = hsa_medical = 0.0
        if plans or (wage_income and any(state_wages)):
            contributed, employer_paid, payroll, excluded, state_wages = _work_year(
                plans, facts, holdings, birth, birth_month, tables.medicare_age, inflation)
            ordinary -= excluded
            inflow -= contributed + payroll
        if medical > 0.0:
            hsa_medical = _pay_medical(holdings, _cents(
                medical * index * (survivor_fraction if widowed else 1.0)))
            inflow += hsa_medical
            withdrawn["hsa"] += hsa_medical

        # 4. Harvested losses, then withdrawals (and the conversion): solve W so that
        #    inflow + W - tax(W, C) - irmaa = spending.
        sales: list[LotSale] = []
        taken: dict[str, float] = {}
        converted: list[tuple[str, str, float]] = []
        harvested_lt = harvested_st = 0.0
        if harvesting:
            harvested_lt, harvested_st = _harvest(holdings, year, sales)
        fixed_lt, fixed_st = harvested_lt, harvested_st
        scheduled = schedule.years.get(year) if schedule is not None else None
        fixed_penalty = hsa_income = 0.0
        if scheduled is not None:
            cash, extra, lt, st, fixed_penalty, hsa_income = _scheduled(
                scheduled, holdings, order, year, a, sales, withdrawn, taken, converted,
                owner_income)
            inflow += cash
            ordinary += extra
            fixed_lt += lt
            fixed_st += st
        state_code = states(year) if taxed_by_state else None
        filer = {name: i for i, name in enumerate(alive)} if state_code else None
        state_year = None
        if state_code is not None:
            state_year = _StateYear(
                state_code, year, filer, tuple([birth_month[n] for n in alive]),
                state_wages, facts.pensions_by_person, facts.social_security_by_person,
                tuple([owner_income.get(n, 0.0) for n in alive]),
                max(0.0, sum(taxable_other) - sum(facts.wages_by_person)
                    - sum(facts.pensions_by_person)) + hsa_income,
                inflation)
        income = _make(_Income, (
            status, ages, ordinary, interest + cash_interest, dividends, fixed_lt - carryforward,
            fixed_st, ss_total, rules, state_year,
            _aca_year(health, facts, people, inflation) if aca_possible else None, fixed_penalty))
        fill_cap = 0.0
        if bracket_fill:
            fill_cap = _fill_cap(income, traditional_sequence(holdings, year),
                                 rules.status(status), strategy.fill_bracket)
        target = None
        sources: list[Holding] = []
        stopped = ""
        if policy is not None:
            own_magi_sets = (year, year + 1, year + 2) if not magi_by_year else (year + 2,)
            target = target_for_year(policy, year, status, inflation, own_magi_sets)
            if target is not None:
                sources = [h for h in traditional
                           if h.balance > 0.0 and h.owner is not None
                           and may_convert(policy, year - birth[h.owner],
                                           year >= rmd_from[h.owner])]
                if not sources:
                    stopped = _stopped(policy, holdings, year, birth, rmd_from)
        # `_plan(..., 0.0, ...)`: nothing converted.
        plain = _Plan(0.0, [], 0.0, (0.0,) * len(filer) if filer is not None else None, order,
                      holdings, year, fill_cap, None)
        # With a conversion to solve, `_Year` does it; without, the withdrawal alone.
        money = _Year(income, inflow, spending, order, holdings, year, fill_cap, sources, target,
                      plain, filer) if sources else None

        if medicare_months:
            irmaa_total, tier, lookback = _irmaa(facts, magi_by_year, rules)
        else:  # no one on Medicare: no surcharge (as `_irmaa` gives)
            irmaa_total, tier, lookback = 0.0, 0, year - 2
        if irmaa_total is None:  # first year with no history: its own MAGI sets IRMAA
            irmaa_guess, seen = 0.0, set()
            while True:
                p, w, _ = _year_solve(money, plain, income, inflow, spending, irmaa_guess)
                magi = p.tax(income, w)[0].magi
                magi_by_year[year - 2] = (magi, status)
                irmaa_total, tier, lookback = _irmaa(facts, magi_by_year, rules)
                del magi_by_year[year - 2]
                if irmaa_total == irmaa_guess or irmaa_total in seen:
                    irmaa_total = max(irmaa_total, irmaa_guess)
                    break
                seen.add(irmaa_total)
                irmaa_guess = irmaa_total
            lookback = year

        chosen, w, limit = _year_solve(money, plain, income, inflow, spending, irmaa_total)
        if chosen.converted > 0.0:
            chosen = _plan(order, holdings, year, fill_cap, sources, chosen.converted, True,
                           filer)
        if w > 0.0:
            w = min(chosen.cap, math.ceil(w * 100.0 - 1e-6) / 100.0)
        while True:
            tax, gains, state_tax, premium, _, penalty = chosen.tax(income, w)
            federal_tax = _cents(tax.total_tax + penalty) if penalty else _cents(tax.total_tax)
            state_tax = _cents(state_tax) if state_tax else 0.0
            premium = _cents(premium) if premium else 0.0
            left = _cents(inflow + w - federal_tax - state_tax - premium - spending - irmaa_total)
            if left >= 0.0 or w >= chosen.cap:
                break
            more = min(chosen.cap, _cents(w + max(0.01, -left)))
            if more <= w:  # beyond float precision (amounts near 1e16): cannot add a cent
                break
            w = more
        withheld = money.withheld(chosen, w, irmaa_total) if chosen.converted > 0.0 else 0.0
        if w > 0.0:
            _draw(allocate(chosen.sequence, w), year, sales, withdrawn, taken)
        shortfall = _cents(-left) if left < 0.0 else 0.0
        reinvested = left if left > 0.0 else 0.0  # in cents already
        # The return's lines, at once (a NamedTuple's fields cost more one by one).
        (tax_agi, tax_magi, taxable_ss, _, carryforward, _, _, _, _, tax_taxable_income,
         preferential, _, _, _, _, _, niit, _) = tax

        # 5. The Roth conversion.
        for h, part in chosen.parts:
            _convert_to_roth(holdings, h, part, a, converted, year)
        conversion = _cents(sum(part for _, _, part in converted)) if converted else 0.0

        # 6. Reinvest the surplus, then grow.
        if reinvested > 0.0:
            for target_h in holdings:  # the first taxable account, else a new one
                if target_h.kind == "taxable":
                    break
            else:
                target_h = Holding("taxable", "taxable", None, 0.0, 0.0, 0.6, 0.0, 0.0)
                holdings.append(target_h.set_rate(a.stock_return, a.bond_return))
            if target_h.lots is not None:
                target_h.lots.append(TaxLot(reinvested, reinvested, bought(year)))
                target_h.sync()
            else:
                target_h.balance = _cents(target_h.balance + reinvested)
                target_h.basis = _cents(target_h.basis + reinvested)
        if len(holdings) != counted:
            # A kind's total over one account is that balance, in cents already.
            counted = len(holdings)
            kinds = [h.kind for h in holdings]
            several_cash, several_taxable, several_traditional, several_roth, several_hsa = (
                kinds.count(kind) > 1 for kind in ("cash", "taxable", "traditional", "roth", "hsa"))
        # Each account grows, and the year-end totals by kind add up in scenario order.
        growth = end_cash = end_taxable = end_traditional = end_roth = end_hsa = 0.0
        for h in holdings:
            kind = h.kind
            if kind == "cash":
                end_cash += h.balance
                continue
            if h.lots is None:
                if h.balance:
                    gain = _cents(h.balance * h.rate)
                    h.balance = _cents(h.balance + gain)
                else:  # an empty account gains 0.0 and stays 0.0
                    gain = h.balance = 0.0
            else:
                gain = 0.0
                for lot in h.lots:
                    step = _cents(lot.value * h.rate)
                    lot.value = _cents(lot.value + step)
                    gain += step
                gain = _cents(gain)
                h.sync()
            growth += gain
            if kind == "taxable":
                end_taxable += h.balance
            elif kind == "traditional":
                end_traditional += h.balance
            elif kind == "roth":
                end_roth += h.balance
            else:
                end_hsa += h.balance

        magi_by_year[year] = (tax_magi, status)
        st = rules.mfj if status == "mfj" else rules.single
        ordinary_taxable = tax_taxable_income - preferential
        agi, taxable_income = _cents(tax_agi), _cents(tax_taxable_income)
        harvested = harvested_lt + harvested_st
        fixed_gains = fixed_lt + fixed_st
        cash_out, taxable_out, traditional_out, roth_out, hsa_out = withdrawn.values()
        # Every field of YearResult, in order (the contract's columns first). `_cents(x) if x
        # else 0.0` is `_cents(x)`, without the call for the many zeros; amounts already in cents
        # need none (`x or 0.0` is `_cents(x)` for them: a zero is 0.0, as `_cents` makes it).
        rows.append(_make(YearResult, (
            year, all_ages, status, spending, ss_total, other_total,
            _cents(rmd_total) if len(rmds) > 1 else rmd_total,
            _cents(cash_out) if cash_out else 0.0,
            _cents(taxable_out) if taxable_out else 0.0,
            _cents(traditional_out) if traditional_out else 0.0,
            _cents(roth_out) if roth_out else 0.0,
            conversion,
            _cents(qcd_total) if qcd_total else 0.0,
            _cents(gains + fixed_gains if fixed_gains else gains) if gains or fixed_gains
            else 0.0,
            _cents(taxable_ss) if taxable_ss else 0.0,
            agi, agi if tax_magi == tax_agi else _cents(tax_magi), taxable_income, federal_tax,
            _cents(niit) if niit else 0.0, irmaa_total,
            _cents(dividends + interest + cash_interest + growth),
            _cents(end_cash) if several_cash else end_cash or 0.0,
            _cents(end_taxable) if several_taxable else end_taxable or 0.0,
            _cents(end_traditional) if several_traditional else end_traditional or 0.0,
            _cents(end_roth) if several_roth else end_roth or 0.0,
            _cents(end_cash + end_taxable + end_traditional + end_roth + end_hsa), shortfall,
            # extras
            _cents(start_total),
            bracket_rate(ordinary_taxable, st.bracket_floors, st.bracket_rates),
            tier, lookback, _cents(carryforward) if carryforward else 0.0, reinvested,
            tuple(divisors), withheld, _cents(-harvested) if harvested else 0.0, stepped,
            fill_cap, limit or stopped,
            tuple([(name, _cents(x)) for name, x in taken.items()]) if taken else (),
            tuple(converted), tuple(sales), tuple(rmds), tuple(qcds),
            taxable_income if not preferential else (
                _cents(ordinary_taxable) if ordinary_taxable else 0.0),
            state_code or "", state_tax, premium,
            _cents(annuity_premium) if annuity_premium else 0.0,
            _cents(hsa_out) if hsa_out else 0.0, hsa_medical or 0.0,
            _cents(end_hsa) if several_hsa else end_hsa or 0.0, contributed or 0.0,
            employer_paid or 0.0,
            payroll, _cents(penalty) if penalty else 0.0,
        )))

    return Projection(tuple(p.name for p in people), tuple(rows),
                      _summary(rows, scenario.assumptions.heir_tax_rate))


def _draw(items, year: int, sales: list[LotSale], withdrawn: dict[str, float],
          taken: dict[str, float],
          owner_income: dict[str, float] | None = None) -> tuple[float, float, float]:
    """Take each (account, lot, dollars) of `items`; returns the (ordinary income, long-term,
    short-term gain) they realise (and adds the ordinary income to `owner_income` by owner)."""
    ordinary = lt = st = 0.0
    for h, lot, part in items:
        if lot is None:
            income = h.take(part)
            if h.kind == "traditional":
                ordinary += income
                if owner_income is not None:
                    owner_income[h.owner] = owner_income.get(h.owner, 0.0) + income
            elif h.kind == "taxable":
                lt += income
        else:
            long_term = lot.long_term(year)
            basis = lot.basis
            gain = lot.sell(part)
            sales.append(LotSale(h.name, part, _cents(basis - lot.basis), _cents(gain),
                                 long_term))
            h.sync()
            if long_term:
                lt += gain
            else:
                st += gain
        withdrawn[h.kind] += part
        taken[h.name] = taken.get(h.name, 0.0) + part
    return ordinary, lt, st


def _convert_to_roth(holdings: list[Holding], h: Holding, amount: float, a,
                     converted: list[tuple[str, str, float]], year: int) -> float:
    """Move `amount` from traditional account `h` to its owner's Roth; returns the income. The
    Roth account remembers the conversion (its year and taxable share) for the five-year rule."""
    income = h.take(amount)
    roth = _roth_for(holdings, h, a.stock_return, a.bond_return)
    roth.balance = _cents(roth.balance + amount)
    roth.basis = _cents(roth.basis + amount)
    # The taxable part of a conversion is withdrawn first (IRC §408A(d)(4)(B)(ii)).
    taxable = _cents(min(amount, income))
    roth.conversions += [[year, x, share] for x, share in ((taxable, 1.0),
                                                          (_cents(amount - taxable), 0.0)) if x]
    converted.append((h.name, roth.name, amount))
    return income


def _scheduled(plan, holdings: list[Holding], order: str, year: int, a, sales: list[LotSale],
               withdrawn: dict[str, float], taken: dict[str, float],
               converted: list[tuple[str, str, float]],
               owner_income: dict[str, float]
               ) -> tuple[float, float, float, float, float, float]:
    """A schedule's moves for the year, made before the solve: each withdrawal (capped at the
    account's balance; a taxable account's lots in the strategy's order) and each conversion
    (capped at the traditional balance). Returns (cash raised, ordinary income, long-term and
    short-term gains, early-withdrawal tax, HSA income: other income to the state)."""
    by_name = {h.name: h for h in holdings}
    cash = ordinary = lt = st = penalty = hsa_income = 0.0
    for name, amount in plan.withdrawals.items():
        h = by_name.get(name)
        part = _cents(min(amount, h.balance)) if h is not None else 0.0
        if part <= 0.0:
            continue
        sequence = withdrawal_sequence(order, [h], year)
        if h.penalty > 0.0 or h.kind == "hsa":
            extra, more = _along(sequence, part, h.kind != "traditional")
            ordinary += extra
            penalty += more
            if h.kind == "hsa":
                hsa_income += extra
            elif extra:  # Roth earnings: an IRA distribution on the state return
                owner_income[h.owner] = owner_income.get(h.owner, 0.0) + extra
        items = allocate(sequence, part)
        o, long_term, short_term = _draw(items, year, sales, withdrawn, taken, owner_income)
        cash += part
        ordinary += o
        lt += long_term
        st += short_term
    for name, amount in plan.conversions.items():
        h = by_name.get(name)
        if h is None or h.kind != "traditional" or h.owner is None:
            continue
        part = _cents(min(amount, h.balance))
        if part > 0.0:
            income = _convert_to_roth(holdings, h, part, a, converted, year)
            ordinary += income
            owner_income[h.owner] = owner_income.get(h.owner, 0.0) + income
    return _cents(cash), ordinary, lt, st, penalty, hsa_income


def _along(sequence: Sequence[Tranche], w: float, income: bool) -> tuple[float, float]:
    """(ordinary income if `income`, early-withdrawal tax) of drawing `w` along `sequence`: for
    Roth and HSA withdrawals, whose income `Holding.take` does not report."""
    ordinary = penalty = 0.0
    for t in sequence:
        part = min(w, t.cap)
        if part <= 0.0:
            break
        ordinary += part * t.ordinary if income else 0.0
        penalty += part * t.penalty
        w -= part
    return ordinary, penalty


def _holding(acc, start: int) -> Holding:
    lots = scenario_lots(acc.lots, start) if acc.lots is not None else None
    h = Holding(
        acc.name, acc.kind, acc.owner,
        _cents(acc.balance if acc.balance is not None else sum(x.value for x in acc.lots or ())),
        _cents(_initial_basis(acc)),
        0.0 if acc.kind == "cash" else (acc.stocks if acc.stocks is not None else 0.6),
        acc.dividend_yield, acc.interest_yield, lots, plan_type=acc.plan_type or "ira",
    )
    h.sync()
    return h


def _initial_basis(acc) -> float:
    if acc.lots is not None and acc.basis is None:
        return sum(lot.basis for lot in acc.lots)
    if acc.basis is not None:
        return acc.basis
    if acc.kind == "taxable":
        return acc.balance or 0.0
    if acc.kind == "cash":
        return acc.balance or 0.0
    return 0.0


def _harvest(holdings: list[Holding], year: int, sales: list[LotSale]) -> tuple[float, float]:
    """Realise every taxable loss (strategy `harvest_losses`); returns (long-term, short-term)."""
    long_term = short_term = 0.0
    for h in holdings:
        if h.kind != "taxable" or h.balance <= 0.0:
            continue
        if h.lots is not None:
            before = [(lot.value, lot.basis, lot.long_term(year)) for lot in h.lots]
            lt, st = harvest(h.lots, year)
            for (value, basis, is_lt), lot in zip(before, h.lots, strict=True):
                if lot.basis != basis:
                    sales.append(LotSale(h.name, value, basis, _cents(value - basis), is_lt, True))
            h.sync()
        elif h.basis - h.balance >= 0.005:  # an account without lots: one long-term lot
            lt, st = _cents(h.balance - h.basis), 0.0
            sales.append(LotSale(h.name, h.balance, h.basis, lt, True, True))
            h.basis = h.balance
        else:
            continue
        long_term += lt
        short_term += st
    return _cents(long_term), _cents(short_term)


def _fill_cap(income: _Income, traditional: list[Tranche], st, rate: float) -> float:
    """Traditional dollars that bring ordinary taxable income to the top of the `rate` bracket
    (before any other withdrawal or conversion of the year), rounded down to the cent."""
    top = st.bracket_floors[st.bracket_rates.index(rate) + 1]
    total = sum(t.cap for t in traditional)

    def over(x: float) -> float:
        tax = income.tax(traditional, x)[0]
        return tax.taxable_income - tax.preferential_income - top

    return max(0.0, math.floor(_solve(over, total) * 100.0 + 1e-6) / 100.0)


def _withdrawal(p: _Plan, income: _Income, inflow: float, spending: float,
                irmaa: float) -> float:
    """The withdrawal W, before cents, that funds the year along plan `p` (no conversion to
    solve): the root of `_Year.surplus`. A year whose income covers it draws nothing, and its
    withdrawal sequence is not built."""

    def surplus(w: float) -> float:  # _Year.surplus
        return inflow + w - p.tax(income, w).cost - spending - irmaa

    at_zero = surplus(0.0)
    if at_zero >= 0.0:
        return 0.0
    return _solve(surplus, p.cap, at_zero)


def _year_solve(money: _Year | None, plain: _Plan, income: _Income, inflow: float,
                spending: float, irmaa: float) -> tuple[_Plan, float, str]:
    """`money.solve(irmaa)`; a year with no conversion to solve (`money` None) needs only the
    withdrawal along `plain`, and no `_Year`."""
    if money is not None:
        return money.solve(irmaa)
    return plain, _withdrawal(plain, income, inflow, spending, irmaa), ""


class _Year:
    """One year's money: inflow + W - tax(W, C) - IRMAA = spending, for a withdrawal W drawn in
    the strategy's order and a Roth conversion C."""

    __slots__ = ("income", "inflow", "spending", "order", "holdings", "year", "fill_cap",
                 "sources", "target", "plain", "filer")

    def __init__(self, income: _Income, inflow: float, spending: float, order: str,
                 holdings: list[Holding], year: int, fill_cap: float, sources: list[Holding],
                 target: ConversionTarget | None, plain: _Plan,
                 filer: dict[str, int] | None = None) -> None:
        self.income = income
        self.inflow = inflow
        self.spending = spending
        self.order = order
        self.holdings = holdings
        self.year = year
        self.fill_cap = fill_cap
        self.sources = sources
        self.target = target
        self.plain = plain  # the plan without a conversion
        self.filer = filer  # owner -> filer index, when state tax needs it

    def surplus(self, w: float, irmaa: float, p: _Plan) -> float:
        return self.inflow + w - p.tax(self.income, w).cost - self.spending - irmaa

    def solve(self, irmaa: float) -> tuple[_Plan, float, str]:
        """The plan (with its conversion) and the withdrawal W, before cents; and which limit
        stopped the conversion."""
        p = self.plain
        if not self.sources:
            return p, _withdrawal(p, self.income, self.inflow, self.spending, irmaa), ""
        return self._convert(irmaa)

    def _convert(self, irmaa: float) -> tuple[_Plan, float, str]:
        """The largest conversion within the policy's limits that leaves the year funded.

        Each limit is increasing in C (more conversion, more income, more tax, more withdrawal),
        so the first C at which one is reached is the root of the largest of them, found by
        `_solve`; each evaluation solves W exactly for that C."""
        target = self.target
        available = sum(h.balance for h in self.sources)
        upper = available if target.amount is None else min(target.amount, available)
        solved: dict[float, tuple[_Plan, float]] = {}

        def at(c: float) -> tuple[_Plan, float]:
            if c not in solved:
                p = _plan(self.order, self.holdings, self.year, self.fill_cap, self.sources, c,
                          filer=self.filer)
                solved[c] = (p, _solve(lambda x: self.surplus(x, irmaa, p), p.cap))
            return solved[c]

        def limits(c: float) -> dict[str, float]:
            p, w = at(c)
            tax = p.tax(self.income, w)[0]
            out = {"funding": -self.surplus(p.cap, irmaa, p)}
            if target.bracket_top is not None:
                out["bracket"] = tax.taxable_income - tax.preferential_income - target.bracket_top
            if target.magi_limit is not None:
                out["irmaa"] = tax.magi - target.magi_limit
            aca = self.income.aca
            if target.fpl_ratio is not None and aca is not None:
                from planner.aca import poverty_line

                household_income = tax.agi + self.income.social_security \
                    - tax.taxable_social_security
                out["aca"] = household_income - (target.fpl_ratio * poverty_line(
                    aca.household_size, self.year, aca.inflation) - FPL_MARGIN)
            return out

        if max(limits(upper).values()) <= 0.0:
            c = upper
            reason = "amount" if target.amount is not None and upper == target.amount \
                else "balance"
        else:
            root = _solve(lambda c: max(limits(c).values()), upper)
            c = math.floor(root * 100.0 + 1e-6) / 100.0
            at_root = limits(root)
            reason = max(at_root, key=lambda k: at_root[k])
            if reason == "funding":  # a dollar to spare, so that cents cannot make it short
                c = max(0.0, c - 1.0)
        p, w = at(c)
        return p, w, reason

    def withheld(self, chosen: _Plan, w: float, irmaa: float) -> float:
        """The part of the conversion's tax paid with traditional or Roth money: the extra drawn
        from those accounts compared with the same year without the conversion."""
        plain = self.plain
        w0 = _solve(lambda x: self.surplus(x, irmaa, plain), plain.cap)
        w0 = min(plain.cap, math.ceil(w0 * 100.0 - 1e-6) / 100.0)

        def retirement(p: _Plan, amount: float) -> float:
            return sum(part for h, _, part in allocate(p.sequence, amount)
                       if h.kind in ("traditional", "roth"))

        return max(0.0, _cents(retirement(chosen, w) - retirement(plain, w0)))


def _roth_for(holdings: list[Holding], source: Holding, stock_return: float,
              bond_return: float) -> Holding:
    """The owner's first Roth IRA (`plan_type` "ira": conversions go to an IRA), opened (named as
    schedule.new_roth_name) if they have none."""
    for h in holdings:
        if h.kind == "roth" and h.owner == source.owner and h.plan_type == "ira":
            return h
    from planner.schedule import new_roth_name

    roth = Holding(new_roth_name(source.owner, [h.name for h in holdings]), "roth", source.owner,
                   0.0, 0.0, source.stocks, 0.0, 0.0)
    holdings.append(roth.set_rate(stock_return, bond_return))
    return roth


def _irmaa(facts: YearFacts, magi_by_year, rules):
    """(total surcharge, tier, look-back year) for the living Medicare enrollees of the year.

    Returns (None, 0, year - 2) when the look-back MAGI is not known yet (the first year).
    """
    lookback = facts.year - 2
    if not facts.medicare_months:
        return 0.0, 0, lookback
    found = magi_by_year.get(lookback)
    if found is None:
        first = min(magi_by_year) if magi_by_year else None
        if first is None or first < lookback:
            return None, 0, lookback
        lookback = first
        found = magi_by_year[lookback]
    magi, status = found
    tier = irmaa_tier(magi, (rules.mfj if status == "mfj" else rules.single).irmaa_thresholds)
    if tier == 0:
        return 0.0, 0, lookback
    monthly = monthly_surcharge(tier, rules)
    total = 0.0
    for months in facts.medicare_months:
        total += round(monthly * months, 2)  # one enrollee's year (irmaa.annual_surcharge)
    return _cents(total), tier, lookback


def _divisor(facts: YearFacts, owner: str, birth: dict[str, int], tables,
             joint_table_possible: bool) -> float:
    """The owner's distribution period for the year (rmd.distribution_period): the joint
    table's only when it can apply, a spouse more than 10 years younger."""
    age = facts.year - birth[owner]
    if joint_table_possible:
        return distribution_period(age, tables, _spouse_age(facts, owner, birth))
    return uniform_divisor(age, tables)


def _rmds(traditional: list[Holding], facts: YearFacts, rules: YearRules,
          rmd_from: dict[str, int], birth: dict[str, int], tables, joint_table_possible: bool,
          divisors: list[tuple[str, float]], rmds: list[tuple[str, float, float, float]],
          qcds: list[tuple[str, float]], owner_income: dict[str, float]
          ) -> tuple[float, float, float, float]:
    """`_rmds_and_qcds` of a year without QCDs, in one pass: each account's RMD is taken from it
    as soon as it is known (no QCD of another account can count toward it)."""
    year = facts.year
    rmd_total = ordinary = rmd_cash = 0.0
    for h in traditional:
        owner, prior = h.owner, h.balance
        if owner is None or year < rmd_from[owner] or prior <= 0.0:
            continue
        divisor = _divisor(facts, owner, birth, tables, joint_table_possible)
        # As rmd.rmd_at_age: the balance over the distribution period, in cents.
        amount = _cents(prior / divisor)
        if amount > 0.0:
            divisors.append((h.name, divisor))
            rmds.append((h.name, prior, divisor, amount))
            rmd_total += amount
            due = min(amount, prior) or 0.0  # both in cents: `_cents` of either is itself
            income_part = h.take(due)
            ordinary += income_part
            owner_income[owner] = owner_income.get(owner, 0.0) + income_part
            rmd_cash += due
    return rmd_total, 0.0, ordinary, rmd_cash


def _rmds_and_qcds(traditional: list[Holding], facts: YearFacts, rules: YearRules,
                   rmd_from: dict[str, int], birth: dict[str, int], tables,
                   joint_table_possible: bool, divisors: list[tuple[str, float]],
                   rmds: list[tuple[str, float, float, float]], qcds: list[tuple[str, float]],
                   owner_income: dict[str, float]) -> tuple[float, float, float, float]:
    """The year's RMDs and QCDs, which count toward them (IRC §408(d)(8)); returns (RMDs, QCDs,
    ordinary income, cash taken) and adds to the lists and to `owner_income` by owner."""
    year, qcd_wanted = facts.year, facts.qcd_wanted
    rmd_total = qcd_total = ordinary = rmd_cash = 0.0
    qcd_left = {name: rules.qcd_limit for name in facts.qcd_eligible}
    pending: list[tuple[Holding, float, float]] = []
    for h in traditional:
        owner = h.owner
        if owner is None:
            continue
        qcd = amount = 0.0
        if owner in qcd_left and qcd_wanted > qcd_total:
            # A QCD comes out of the pre-tax part first (IRC §408(d)(8)(D)).
            qcd = _cents(max(0.0, min(qcd_wanted - qcd_total, qcd_left[owner],
                                      h.balance - h.basis)))
        prior = h.balance
        if year >= rmd_from[owner] and not prior <= 0.0:
            # As rmd.rmd_at_age: the balance over the distribution period, in cents.
            divisor = _divisor(facts, owner, birth, tables, joint_table_possible)
            amount = _cents(prior / divisor)
        if qcd > 0.0:
            qcds.append((h.name, qcd))
            qcd_left[owner] -= qcd
            h.balance = _cents(h.balance - qcd)
            qcd_total += qcd
        if amount > 0.0:
            divisors.append((h.name, divisor))
            rmds.append((h.name, prior, divisor, amount))
            rmd_total += amount
        pending.append((h, amount, qcd))
    # An owner's IRA RMDs may be met from any of their IRAs (Treas. Reg. §1.408-8(e)),
    # so a QCD beyond one account's RMD counts toward the owner's other accounts.
    spare: dict[str, float] = {}
    if qcds:
        for h, amount, qcd in pending:
            spare[h.owner] = spare.get(h.owner, 0.0) + max(0.0, qcd - amount)
    for h, amount, qcd in pending:
        if amount <= 0.0:
            continue
        if qcds:
            due = max(0.0, amount - qcd)
            use = min(due, spare[h.owner])
            spare[h.owner] -= use
            due = _cents(min(due - use, h.balance))
        else:  # the RMD and the balance are in cents: `_cents` of either is itself
            due = min(amount, h.balance) or 0.0
        income_part = h.take(due)
        ordinary += income_part
        owner_income[h.owner] = owner_income.get(h.owner, 0.0) + income_part
        rmd_cash += due
    return rmd_total, qcd_total, ordinary, rmd_cash


def _contribution_plans(scenario: Scenario) -> list[Plan]:
    """`[[contributions]]` resolved against their accounts."""
    if not scenario.contributions:
        return []
    from planner.contributions import Plan

    accounts = {acc.name: acc for acc in scenario.accounts}
    out = []
    for c in scenario.contributions:
        acc = accounts[c.account]
        out.append(Plan(c.account, acc.kind, "hsa" if acc.kind == "hsa" else (
            acc.plan_type or "ira"), acc.owner, c.annual, c.employer, c.start_year, c.end_year,
            c.coverage == "family"))
    return out


def separation_years(scenario: Scenario) -> dict[str, int]:
    """When each person left their employer: `separation_year`, else the last year of their
    wages in the plan (wages running to the owner's death: no separation)."""
    out: dict[str, int] = {}
    for p in scenario.people:
        if p.separation_year is not None:
            out[p.name] = p.separation_year
            continue
        ends = [inc.end_year for inc in scenario.income
                if inc.kind == "wages" and (inc.owner or scenario.people[0].name) == p.name]
        if ends and all(e is not None for e in ends):
            out[p.name] = max(ends)
    return out


def _set_penalties(holdings: list[Holding], year: int, birth: dict[str, int],
                   birth_month: dict[str, int], separation: dict[str, int], law) -> None:
    """Each account's early-withdrawal tax rate for the year (`Holding.penalty`,
    planner.early_withdrawal). A retirement account inherited from the spouse pays none: the
    survivor keeps it as a beneficiary until 59½ (IRC §72(t)(2)(A)(ii)); an HSA becomes the
    survivor's own (§223(f)(8)(A))."""
    for h in holdings:
        if h.owner is None or h.kind in ("cash", "taxable"):
            continue
        if h.inherited and h.kind != "hsa":
            h.penalty = 0.0
            continue
        h.penalty = early_rate(h.kind, h.plan_type, year, birth[h.owner], birth_month[h.owner],
                               separation.get(h.owner), law)
        h.conversion_years = law["roth_conversion_years"]


def _work_year(plans: list[Plan], facts: YearFacts, holdings: list[Holding],
               birth: dict[str, int], birth_month: dict[str, int], medicare_age: int,
               inflation: float) -> tuple[float, float, float, float, tuple[float, ...]]:
    """A working year: contributions into their accounts, and the payroll tax. Returns (employee
    contributions, employer contributions, payroll tax, income left out of AGI, state wages by
    living person)."""
    from planner.contributions import deposits, hsa_months, payroll_tax

    year = facts.year
    names = facts.alive
    wages = dict(zip(names, facts.wages_by_person, strict=True))
    law = {name: law_section(year, name, inflation) for name in (
        "elective_deferral", "ira_contribution", "ira_catch_up", "hsa_contribution")}
    made = deposits(plans, year, facts.index, {n: year - birth[n] for n in names}, wages,
                    facts.status == "mfj",
                    {n: hsa_months(year, birth[n], birth_month[n], medicare_age) for n in names},
                    law)
    by_name = {h.name: h for h in holdings}
    state_wages = list(facts.wages_by_person)
    fica = list(facts.wages_by_person)
    employee = employer = excluded = 0.0
    for d in made:
        h = by_name[d.account]
        h.balance = _cents(h.balance + d.employee + d.employer)
        if h.kind == "roth":
            h.basis = _cents(h.basis + d.employee)
        employee += d.employee
        employer += d.employer
        excluded += d.excluded_wages + d.deduction
        at = names.index(d.owner)
        state_wages[at] -= d.excluded_wages
        fica[at] -= d.fica_exempt
    payroll = _cents(payroll_tax(fica, facts.status == "mfj",
                                 law_section(year, "payroll_tax", inflation)))
    return _cents(employee), _cents(employer), payroll, excluded, tuple(state_wages)


def _pay_medical(holdings: list[Holding], need: float) -> float:
    """Pay the year's medical expenses from HSAs, in scenario order, tax-free (IRC §223(f)(1));
    returns what the HSAs paid (the rest is ordinary spending)."""
    paid = 0.0
    for h in holdings:
        if h.kind != "hsa" or h.balance <= 0.0 or paid >= need:
            continue
        part = _cents(min(need - paid, h.balance))
        h.balance = _cents(h.balance - part)
        paid += part
    return _cents(paid)


def _residence(plan) -> Callable[[int], str | None]:
    """The state of residence by year: `[plan] state`, changed by each move from its year."""
    moves = sorted((m.year, m.state) for m in plan.moves)

    def state(year: int) -> str | None:
        code = plan.state
        for since, moved_to in moves:
            if year >= since:
                code = moved_to
        return code

    return state


def _aca_year(health, facts: YearFacts, people, inflation: float) -> _AcaYear | None:
    """The year's Marketplace coverage: each living person before Medicare (the month they turn
    65, as timeline.py enrols them) is covered, at `[health]` premiums grown with inflation."""
    if health.aca_benchmark_premium <= 0.0 and not health.aca_premium:
        return None
    benchmark = health.aca_benchmark_premium * facts.index
    premium = (health.aca_premium if health.aca_premium is not None
               else health.aca_benchmark_premium) * facts.index
    covered = [0] * 12  # people covered, month by month
    for p in people:
        if p.name not in facts.alive:
            continue
        medicare_year = p.birth_year + 65
        months = 12 if facts.year < medicare_year else (
            p.birth_month - 1 if facts.year == medicare_year else 0)
        for m in range(months):
            covered[m] += 1
    counts: dict[int, int] = {}
    for n in covered:
        if n:
            counts[n] = counts.get(n, 0) + 1
    if not counts:
        return None
    groups = tuple((months, n * benchmark, n * premium) for n, months in sorted(counts.items()))
    return _AcaYear(groups, len(facts.alive), facts.year, inflation)


def _spouse_age(facts: YearFacts, owner: str, birth: dict[str, int]) -> int | None:
    """The owner's spouse's age in the year, if alive: the spouse is taken to be the sole
    beneficiary of the owner's accounts (for the joint life table, Reg. §1.401(a)(9)-9(d))."""
    if len(facts.alive) != 2:
        return None
    spouse = facts.alive[1] if facts.alive[0] == owner else facts.alive[0]
    return facts.year - birth[spouse]


def _stopped(policy, holdings: list[Holding], year: int, birth: dict[str, int],
             rmd_from: dict[str, int]) -> str:
    """Why no account may convert this year although the policy converts: `until_age` or
    `stop_at_rmd` (empty when there is simply no traditional money)."""
    owners = {h.owner for h in holdings if h.kind == "traditional" and h.balance > 0.0
              and h.owner is not None}
    if not owners:
        return ""
    if policy.until_age is not None and all(year - birth[o] >= policy.until_age for o in owners):
        return "until_age"
    return "stop_at_rmd"


def _summary(rows: list[YearResult], heir_tax_rate: float) -> Summary:
    if not rows:
        return Summary(0.0, 0.0, 0.0, 0.0, None)
    last = rows[-1]
    estate = after_tax_estate(last.end_cash, last.end_taxable, last.end_traditional,
                              last.end_roth, heir_tax_rate, last.end_hsa)
    # Each summed column, year by year, in one pass over the rows: `sum` adds them in order.
    federal, irmaa, state, aca, payroll, penalty, shortfall = zip(*map(_summed, rows),
                                                                  strict=True)
    first_shortfall = None
    if max(shortfall) > 0.0:  # shortfalls are never negative
        first_shortfall = next(r.year for r, short in zip(rows, shortfall, strict=True)
                               if short > 0.0)
    return Summary(
        lifetime_federal_tax=_cents(sum(federal)),
        lifetime_irmaa=_cents(sum(irmaa)),
        end_total=last.end_total,
        after_tax_estate=_cents(estate),
        first_shortfall_year=first_shortfall,
        lifetime_state_tax=_cents(sum(state)),
        lifetime_aca_net_premium=_cents(sum(aca)),
        lifetime_payroll_tax=_cents(sum(payroll)),
        lifetime_early_withdrawal_penalty=_cents(sum(penalty)),
    )


# The fields `_summary` sums (and the shortfall), by position: C speed, where a NamedTuple's
# attribute is a descriptor.
_summed = itemgetter(*[YearResult._fields.index(name) for name in (
    "federal_tax", "irmaa", "state_tax", "aca_net_premium", "payroll_tax",
    "early_withdrawal_penalty", "shortfall")])
