"""The fixed facts of each plan year that the optimisation model needs: the engine's own timeline
(`planner.timeline`: who is alive, filing status, spending, Social Security, other income, QCD
eligibility, Medicare months) and the accounts.

Mirrors the engine's order of events (shared/docs/scenario.md): ownership passes to the survivor
in the year after a death, RMD divisors come from the owner of the year (joint life table when
the spouse is more than 10 years younger), QCDs are allotted per IRA owner from age 70½, IRMAA
uses the MAGI of two years earlier (`_irmaa_source`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.optimizer.costs import YearCosts, year_costs
from planner.rmd import required_minimum_distribution
from planner.rules import YearRules, law_tables, rules_for_year
from planner.schedule import new_roth_name

DEFAULT_STOCKS = 0.6


@dataclass(frozen=True, slots=True)
class AccountData:
    """One account of the model; `virtual` ones are opened by the engine during a replay."""

    name: str
    kind: str
    owner: str | None
    balance: float
    basis: float
    growth: float
    dividend_yield: float
    interest_yield: float
    virtual: bool = False


@dataclass(frozen=True, slots=True)
class IrmaaSource:
    """Where a premium year's IRMAA MAGI comes from: a known figure, or a plan year's MAGI."""

    enrolled_months: int
    fixed_magi: float | None
    plan_index: int | None
    status: str
    lookback_year: int


@dataclass(frozen=True, slots=True)
class YearData:
    year: int
    status: str
    ages: tuple[int, ...]
    seniors: int
    spend_factor: float
    spending: float
    social_security: float
    other_total: float
    other_taxable: float
    rules: YearRules
    owners: tuple[str | None, ...]
    rmd_divisor: tuple[float, ...]
    qcd_wanted: float
    qcd_accounts: tuple[int, ...]
    qcd_limit: float
    roth_target: tuple[int | None, ...]
    irmaa: IrmaaSource
    costs: YearCosts | None = None  # state tax and Marketplace premiums (optimizer.costs)
    # The early-withdrawal tax rate by account (IRC §72(t)): per dollar of taxable traditional
    # money, per dollar of Roth money beyond contributions and seasoned conversions; empty: none.
    penalty: tuple[float, ...] = ()
    payroll_tax: float = 0.0  # on the year's wages (planner.contributions), a fixed cost


@dataclass(frozen=True, slots=True)
class PlanData:
    accounts: tuple[AccountData, ...]
    years: tuple[YearData, ...]
    reinvest_index: int
    heir_tax_rate: float
    inflation: float
    start_year: int


def _accounts(scenario) -> list[AccountData]:
    a = scenario.assumptions
    out: list[AccountData] = []
    for acc in scenario.accounts:
        balance = acc.balance if acc.balance is not None else sum(x.value for x in acc.lots or ())
        if acc.basis is not None:
            basis = acc.basis
        elif acc.lots is not None:
            basis = sum(x.basis for x in acc.lots)
        else:
            basis = balance if acc.kind in ("taxable", "cash") else 0.0
        stocks = 0.0 if acc.kind == "cash" else (
            acc.stocks if acc.stocks is not None else DEFAULT_STOCKS)
        rate = stocks * a.stock_return + (1.0 - stocks) * a.bond_return
        if acc.kind == "taxable":
            rate -= acc.dividend_yield + acc.interest_yield
        if acc.kind == "cash":
            rate = a.cash_return
        out.append(AccountData(acc.name, acc.kind, acc.owner, float(balance), float(basis), rate,
                               acc.dividend_yield, acc.interest_yield))
    names = [x.name for x in out]
    if not any(x.kind == "taxable" for x in out):
        rate = DEFAULT_STOCKS * a.stock_return + (1.0 - DEFAULT_STOCKS) * a.bond_return
        out.append(AccountData("taxable", "taxable", None, 0.0, 0.0, rate, 0.0, 0.0, True))
    roth_owners = {x.owner for x in out if x.kind == "roth"}
    for x in list(out):
        if x.kind == "traditional" and x.owner not in roth_owners:
            name = new_roth_name(x.owner, names + [y.name for y in out])
            stocks = next(acc.stocks for acc in scenario.accounts if acc.name == x.name)
            stocks = DEFAULT_STOCKS if stocks is None else stocks
            rate = stocks * a.stock_return + (1.0 - stocks) * a.bond_return
            out.append(AccountData(name, "roth", x.owner, 0.0, 0.0, rate, 0.0, 0.0, True))
            roth_owners.add(x.owner)
    return out


def _irmaa_source(scenario, facts, index: int, years: list[YearData]) -> IrmaaSource:
    """The engine's look-back rule: MAGI of `year - 2`; before the plan, the history figure; with
    no figure for it, the earliest known year if not older, else the year's own MAGI."""
    year = facts.year
    months = sum(facts.medicare_months)
    start = scenario.plan.start_year
    history = {int(y): m for y, m in scenario.history.magi.items()}
    status = scenario.plan.filing_status
    if months == 0:
        return IrmaaSource(0, None, None, status, year - 2)
    lookback = year - 2
    known = set(history) | set(range(start, year))
    if lookback not in known:
        first = min(known) if known else None
        if first is None or first < lookback:
            return IrmaaSource(months, None, index, facts.status, year)
        lookback = first
    if lookback in history:
        return IrmaaSource(months, history[lookback], None, status, lookback)
    j = lookback - start
    return IrmaaSource(months, None, j, years[j].status, lookback)


def plan_data(scenario) -> PlanData:
    """Per-year facts of the plan, from the engine's own timeline (`planner.timeline`)."""
    from planner.timeline import timeline

    tables = law_tables()
    a = scenario.assumptions
    start = scenario.plan.start_year
    accounts = _accounts(scenario)
    person = {p.name: p for p in scenario.people}
    roths = [i for i, x in enumerate(accounts) if x.kind == "roth"]
    years: list[YearData] = []
    from planner.engine import separation_years

    separation = separation_years(scenario)
    facts_by_year = timeline(scenario, tables)
    for t, facts in enumerate(facts_by_year):
        year = facts.year
        survivor = facts.survivor if facts.widowed else None
        owners = tuple(survivor if (survivor and x.owner is not None) else x.owner
                       for x in accounts)
        factor = facts.index * (scenario.spending.survivor_fraction if facts.widowed else 1.0)
        divisors = []
        for x, owner in zip(accounts, owners, strict=True):
            d = 0.0
            if x.kind == "traditional" and owner is not None:
                p = person[owner]
                spouse = [person[n] for n in facts.alive if n != owner]
                spouse_age = year - spouse[0].birth_year if len(facts.alive) == 2 else None
                d = required_minimum_distribution(1e6, p.birth_year, p.birth_month, year,
                                                  tables, spouse_age).divisor
            divisors.append(d)
        rules = rules_for_year(year, a.inflation)
        qcd_accounts = tuple(i for i, (x, owner) in enumerate(zip(accounts, owners, strict=True))
                             if x.kind == "traditional" and owner in facts.qcd_eligible)
        targets = tuple(
            next((r for r in roths if owners[r] == owner), None)
            if x.kind == "traditional" else None
            for x, owner in zip(accounts, owners, strict=True))
        penalty = _penalties(scenario, accounts, owners, year, facts.widowed, separation)
        years.append(YearData(
            year=year, status=facts.status, ages=facts.ages,
            seniors=sum(1 for g in facts.ages if g >= 65),
            spend_factor=factor,
            spending=facts.spending, social_security=facts.social_security,
            other_total=facts.other_income, other_taxable=sum(facts.taxable_other),
            rules=rules, owners=owners, rmd_divisor=tuple(divisors),
            qcd_wanted=facts.qcd_wanted if qcd_accounts else 0.0, qcd_accounts=qcd_accounts,
            qcd_limit=rules.qcd_limit,
            roth_target=targets, irmaa=_irmaa_source(scenario, facts, t, years),
            penalty=penalty, payroll_tax=_payroll(facts, year, a.inflation),
        ))
    reinvest = next(i for i, x in enumerate(accounts) if x.kind == "taxable")
    data = PlanData(tuple(accounts), tuple(years), reinvest, a.heir_tax_rate, a.inflation, start)
    return _with_costs(scenario, data, facts_by_year)


def _payroll(facts, year: int, inflation: float) -> float:
    """The payroll tax on the year's wages, as the engine charges it (no contributions: the
    optimiser refuses them)."""
    if not any(facts.wages_by_person):
        return 0.0
    from planner.contributions import payroll_tax
    from planner.rules import law_section

    return round(payroll_tax(facts.wages_by_person, facts.status == "mfj",
                             law_section(year, "payroll_tax", inflation)), 2)


def _penalties(scenario, accounts, owners, year: int, inherited: bool,
               separation: dict[str, int]) -> tuple[float, ...]:
    """The engine's early-withdrawal rate (planner.early_withdrawal) of each traditional and Roth
    account this year, or () when none applies. Accounts that passed to the survivor pay none
    (as in the engine)."""
    from planner.early_withdrawal import early_rate
    from planner.rules import law_section

    person = {p.name: p for p in scenario.people}
    plan_type = {acc.name: acc.plan_type or "ira" for acc in scenario.accounts}
    law = law_section(year, "early_withdrawal", scenario.assumptions.inflation)
    rates = []
    for x, owner in zip(accounts, owners, strict=True):
        rate = 0.0
        if x.kind in ("traditional", "roth") and owner is not None \
                and not (inherited and x.owner != owner):
            p = person[owner]
            rate = early_rate(x.kind, plan_type.get(x.name, "ira"), year, p.birth_year,
                              p.birth_month, separation.get(owner), law)
        rates.append(rate)
    return tuple(rates) if any(rates) else ()


def _with_costs(scenario, data: PlanData, facts_by_year) -> PlanData:
    """Each year's state tax and Marketplace premium pieces (`planner.optimizer.costs`)."""
    from planner.engine import _aca_year, _residence
    from planner.optimizer.model import income_bounds

    health = scenario.health
    if scenario.plan.state is None and health.aca_benchmark_premium <= 0.0 \
            and not health.aca_premium:
        return data
    residence = _residence(scenario.plan)
    months = {p.name: p.birth_month for p in scenario.people}
    inflation = scenario.assumptions.inflation
    bounds = income_bounds(data)
    years = []
    for y, facts, upper in zip(data.years, facts_by_year, bounds,
                               strict=True):
        costs = year_costs(facts, y.rules, y.other_taxable, residence(y.year),
                           _aca_year(health, facts, scenario.people, inflation), inflation,
                           [months[n] for n in facts.alive], upper * 1000.0)
        years.append(replace(y, costs=costs))
    return replace(data, years=tuple(years))
