"""The year-by-year projection: the one place where a year's events happen, in the contract's order.

1. Balances start at the previous year's end.
2. RMDs are computed from the start-of-year balances and taken first; QCDs, which count toward
   them, come out of the same accounts.
3. Incomes arrive; taxable dividends and interest are paid out; cash interest is credited.
4. Withdrawals, in the strategy's order, cover spending + federal tax + IRMAA, solved so that the
   after-tax money meets the need to the cent (`_solve`).
5. (Roth conversions: see the strategies.)
6. Surplus is reinvested in taxable, then every account grows at its return.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from planner.federal_tax import TaxInput, TaxResult, bracket_rate, compute_tax
from planner.irmaa import annual_surcharge
from planner.rmd import required_minimum_distribution
from planner.rules import law_tables, rules_for_year
from planner.scenario import Scenario
from planner.social_security import claim_factor, claim_start, months_paid
from planner.strategies import withdrawal_sequence


@dataclass(slots=True)
class Holding:
    """One account's state inside the loop (mutable; never leaves the engine)."""

    name: str
    kind: str
    owner: str | None
    balance: float
    basis: float
    stocks: float
    dividend_yield: float
    interest_yield: float

    def taxable_share(self) -> float:
        """Share of a withdrawal that is income: ordinary (traditional) or gain (taxable)."""
        if self.kind not in ("traditional", "taxable") or self.balance <= 0.0:
            return 0.0
        return 1.0 - self.basis / self.balance

    def take(self, amount: float) -> float:
        """Withdraw `amount` (cents); returns the taxable part and reduces basis pro rata."""
        share = self.taxable_share()
        if self.kind in ("traditional", "taxable") and self.balance > 0.0:
            self.basis = round(self.basis - self.basis * amount / self.balance, 2)
            if amount >= self.balance:
                self.basis = 0.0
        self.balance = round(self.balance - amount, 2)
        return amount * share


@dataclass(frozen=True, slots=True)
class YearResult:
    """One projected year: the contract's columns plus what `--explain` needs."""

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
    rmd_divisors: tuple[tuple[str, float], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Summary:
    lifetime_federal_tax: float
    lifetime_irmaa: float
    end_total: float
    after_tax_estate: float
    first_shortfall_year: int | None


@dataclass(frozen=True, slots=True)
class Projection:
    people: tuple[str, ...]
    years: tuple[YearResult, ...]
    summary: Summary


def _cents(x: float) -> float:
    return round(x + 0.0, 2)


def _solve(g, cap: float) -> float:
    """Smallest withdrawal W in [0, cap] with g(W) >= 0, g increasing and piecewise linear.

    Secant steps kept inside a shrinking bracket (regula falsi with the Illinois rule): on a
    piecewise-linear g the secant lands exactly on the root once both points share its segment.
    """
    g_lo = g(0.0)
    if g_lo >= 0.0:
        return 0.0
    g_hi = g(cap)
    if g_hi < 0.0:
        return cap
    lo, hi = 0.0, cap
    x = min(cap, -g_lo)  # a first guess: no tax on the withdrawal itself
    prev_x, prev_g = lo, g_lo
    side = 0
    for _ in range(200):
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
        if hi - lo < 1e-9:
            return hi
        candidate = x - gx * (x - prev_x) / (gx - prev_g) if gx != prev_g else lo
        prev_x, prev_g = x, gx
        if not lo < candidate < hi:
            candidate = lo - g_lo * (hi - lo) / (g_hi - g_lo)
        x = candidate
    return hi


def project(scenario: Scenario) -> Projection:
    """Project every year of the plan. Pure: the same scenario gives the same result."""
    tables = law_tables()
    plan = scenario.plan
    a = scenario.assumptions
    start, last = plan.start_year, scenario.last_year()
    people = scenario.people
    death = {p.name: p.birth_year + p.longevity for p in people}
    holdings = [
        Holding(
            acc.name, acc.kind, acc.owner,
            _cents(acc.balance if acc.balance is not None else sum(x.value for x in acc.lots or ())),
            _cents(_initial_basis(acc)),
            0.0 if acc.kind == "cash" else (acc.stocks if acc.stocks is not None else 0.6),
            acc.dividend_yield, acc.interest_yield,
        )
        for acc in scenario.accounts
    ]
    benefits = {
        inc.owner: (inc.pia, claim_start(scenario.person(inc.owner).birth_year,
                                         scenario.person(inc.owner).birth_month, inc.claim_age))
        for inc in scenario.income if inc.kind == "social_security"
    }
    magi_by_year: dict[int, tuple[float, str]] = {
        int(y): (m, plan.filing_status) for y, m in scenario.history.magi.items()
    }
    carryforward = 0.0
    rows: list[YearResult] = []

    for year in range(start, last + 1):
        alive = [p for p in people if year <= death[p.name]]
        if not alive:
            break
        rules = rules_for_year(year, a.inflation)
        index = (1.0 + a.inflation) ** (year - start)
        status = "mfj" if len(alive) == 2 else "single"
        widowed = len(people) == 2 and len(alive) == 1
        survivor = alive[0].name if widowed else None
        for h in holdings:
            if h.owner is not None and widowed and h.owner != survivor:
                h.owner = survivor  # spousal rollover / inheritance by the survivor
        start_total = sum(h.balance for h in holdings)
        spending = _cents(scenario.spending.annual * index
                          * (scenario.spending.survivor_fraction if widowed else 1.0))

        # 2. RMDs, and QCDs that count toward them.
        qcd_left = {p.name: rules.qcd_limit for p in alive if _qcd_eligible(p, year, tables)}
        qcd_wanted = _cents(scenario.strategy.qcd_annual * index)
        rmd_total = qcd_total = 0.0
        ordinary = 0.0
        rmd_cash = 0.0
        divisors: list[tuple[str, float]] = []
        for h in holdings:
            if h.kind != "traditional" or h.owner is None:
                continue
            owner = scenario.person(h.owner)
            rmd = required_minimum_distribution(h.balance, owner.birth_year, owner.birth_month,
                                                year, tables)
            qcd = 0.0
            if h.owner in qcd_left and qcd_wanted > qcd_total:
                qcd = _cents(min(qcd_wanted - qcd_total, qcd_left[h.owner], h.balance))
                qcd_left[h.owner] -= qcd
                h.take(qcd)
                qcd_total += qcd
            if rmd.amount > 0.0:
                divisors.append((h.name, rmd.divisor))
                rmd_total += rmd.amount
                due = _cents(min(max(0.0, rmd.amount - qcd), h.balance))
                ordinary += h.take(due)
                rmd_cash += due
        withdrawn = {"cash": 0.0, "taxable": 0.0, "traditional": rmd_cash, "roth": 0.0}

        # 3. Incomes, dividends and interest.
        ss_total = _cents(sum(_social_security(scenario, benefits, p.name, year, index, death,
                                               tables) for p in alive))
        other_total = 0.0
        for inc in scenario.income:
            if inc.kind == "social_security":
                continue
            amount = _other_income(inc, year, start, index, death, last)
            other_total += amount
            if inc.taxable:
                ordinary += amount
        other_total = _cents(other_total)
        interest = dividends = cash_interest = 0.0
        for h in holdings:
            if h.kind == "taxable":
                dividends += _cents(h.balance * h.dividend_yield)
                interest += _cents(h.balance * h.interest_yield)
            elif h.kind == "cash":
                credit = _cents(h.balance * a.cash_return)
                h.balance = _cents(h.balance + credit)
                cash_interest += credit
        inflow = ss_total + other_total + rmd_cash + dividends + interest
        ages = tuple(year - p.birth_year for p in alive)

        # 4. Withdrawals: solve W so that inflow + W - tax(W) - irmaa = spending.
        sequence = withdrawal_sequence(scenario.strategy.withdrawal_order, holdings)
        shares = [(h.balance, h.taxable_share(), h.kind) for h in sequence]
        cap = sum(b for b, _, _ in shares)
        fixed_interest = interest + cash_interest

        def tax_for(w: float, _shares=shares, _ordinary=ordinary, _fixed=fixed_interest,
                    _divs=dividends, _ss=ss_total, _rules=rules, _status=status,
                    _ages=ages) -> tuple[TaxResult, float]:
            ordinary_w, gains = _ordinary, 0.0
            for balance, share, kind in _shares:
                if w <= 0.0:
                    break
                part = balance if w > balance else w
                w -= part
                if kind == "traditional":
                    ordinary_w += part * share
                elif kind == "taxable":
                    gains += part * share
            tax = compute_tax(TaxInput(_status, _ages, ordinary_w, _fixed, _divs,
                                       gains - carryforward, 0.0, _ss), _rules)
            return tax, gains

        def surplus(w: float, irmaa_amount: float) -> float:
            return inflow + w - tax_for(w)[0].total_tax - spending - irmaa_amount

        irmaa_total, tier, lookback = _irmaa(alive, year, magi_by_year, rules, tables)
        if irmaa_total is None:  # first year with no history: its own MAGI sets IRMAA
            irmaa_guess, seen = 0.0, set()
            while True:
                w = _solve(lambda x, i=irmaa_guess: surplus(x, i), cap)
                magi = tax_for(w)[0].magi
                magi_by_year[year - 2] = (magi, status)
                irmaa_total, tier, lookback = _irmaa(alive, year, magi_by_year, rules, tables)
                del magi_by_year[year - 2]
                if irmaa_total == irmaa_guess or irmaa_total in seen:
                    irmaa_total = max(irmaa_total, irmaa_guess)
                    break
                seen.add(irmaa_total)
                irmaa_guess = irmaa_total
            lookback = year

        w = _solve(lambda x: surplus(x, irmaa_total), cap)
        w = min(cap, math.ceil(w * 100.0 - 1e-6) / 100.0)
        while True:
            tax, gains = tax_for(w)
            federal_tax = _cents(tax.total_tax)
            left = _cents(inflow + w - federal_tax - spending - irmaa_total)
            if left >= 0.0 or w >= cap:
                break
            w = min(cap, _cents(w + max(0.01, -left)))
        remaining = w
        for h in sequence:
            if remaining <= 0.0:
                break
            part = _cents(min(remaining, h.balance))
            h.take(part)
            withdrawn[h.kind] += part
            remaining = _cents(remaining - part)
        shortfall = _cents(-left) if left < 0.0 else 0.0
        reinvested = left if left > 0.0 else 0.0
        carryforward = tax.loss_carryforward

        # 6. Reinvest the surplus, then grow.
        if reinvested > 0.0:
            target = next((h for h in holdings if h.kind == "taxable"), None)
            if target is None:
                target = Holding("taxable", "taxable", None, 0.0, 0.0, 0.6, 0.0, 0.0)
                holdings.append(target)
            target.balance = _cents(target.balance + reinvested)
            target.basis = _cents(target.basis + reinvested)
        growth = 0.0
        for h in holdings:
            if h.kind == "cash":
                continue
            rate = h.stocks * a.stock_return + (1.0 - h.stocks) * a.bond_return
            if h.kind == "taxable":
                rate -= h.dividend_yield + h.interest_yield
            gain = _cents(h.balance * rate)
            h.balance = _cents(h.balance + gain)
            growth += gain

        magi_by_year[year] = (tax.magi, status)
        ends = {k: 0.0 for k in ("cash", "taxable", "traditional", "roth")}
        for h in holdings:
            ends[h.kind] += h.balance
        st = rules.status(status)
        rows.append(YearResult(
            year=year,
            ages=tuple(year - p.birth_year if year <= death[p.name] else None for p in people),
            filing_status=status,
            spending=spending,
            income_social_security=ss_total,
            income_other=other_total,
            rmd=_cents(rmd_total),
            withdraw_cash=_cents(withdrawn["cash"]),
            withdraw_taxable=_cents(withdrawn["taxable"]),
            withdraw_traditional=_cents(withdrawn["traditional"]),
            withdraw_roth=_cents(withdrawn["roth"]),
            roth_conversion=0.0,
            qcd=_cents(qcd_total),
            realized_gains=_cents(gains),
            taxable_social_security=_cents(tax.taxable_social_security),
            agi=_cents(tax.agi),
            magi=_cents(tax.magi),
            taxable_income=_cents(tax.taxable_income),
            federal_tax=federal_tax,
            niit=_cents(tax.niit),
            irmaa=irmaa_total,
            investment_return=_cents(dividends + interest + cash_interest + growth),
            end_cash=_cents(ends["cash"]),
            end_taxable=_cents(ends["taxable"]),
            end_traditional=_cents(ends["traditional"]),
            end_roth=_cents(ends["roth"]),
            end_total=_cents(sum(ends.values())),
            shortfall=shortfall,
            start_total=_cents(start_total),
            ordinary_bracket=bracket_rate(tax.taxable_income - tax.preferential_income,
                                          st.bracket_floors, st.bracket_rates),
            irmaa_tier=tier,
            irmaa_lookback_year=lookback,
            loss_carryforward=_cents(carryforward),
            reinvested=_cents(reinvested),
            rmd_divisors=tuple(divisors),
        ))

    return Projection(tuple(p.name for p in people), tuple(rows),
                      _summary(rows, scenario.assumptions.heir_tax_rate))


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


def _qcd_eligible(person, year: int, tables) -> bool:
    """70½ by the end of `year` (IRC §408(d)(8)(B)(i))."""
    months_at_year_end = (year - person.birth_year) * 12 + (12 - person.birth_month)
    return months_at_year_end >= tables.qcd_age_months


def _benefit(pia: float, start: tuple[int, int], birth_year: int, birth_month: int, year: int,
             index: float, tables) -> float:
    claim_months = (start[0] - birth_year) * 12 + (start[1] - birth_month)
    factor = claim_factor(birth_year, claim_months, tables)
    return pia * factor * index * months_paid(year, start)


def _social_security(scenario: Scenario, benefits, name: str, year: int, index: float,
                     death: dict[str, int], tables) -> float:
    """One living person's benefit for `year`: their own, or as a survivor the larger of their own
    and the deceased spouse's (simplified survivor rule; see docs/MODELING.md)."""
    person = scenario.person(name)
    own = 0.0
    if name in benefits:
        pia, start = benefits[name]
        own = _benefit(pia, start, person.birth_year, person.birth_month, year, index, tables)
    for other in scenario.people:
        if other.name == name or death[other.name] >= year or other.name not in benefits:
            continue
        if year - person.birth_year < 60:
            continue
        pia, start = benefits[other.name]
        died = death[other.name]
        if (start[0], start[1]) > (died, 12):
            # Died before claiming: the benefit as if claimed at the age of death (62 to 70).
            age_months = min(max((died - other.birth_year) * 12, 62 * 12), 70 * 12)
            start = ((other.birth_year * 12 + other.birth_month - 1 + age_months) // 12,
                     (other.birth_month - 1 + age_months) % 12 + 1)
        claim_months = (start[0] - other.birth_year) * 12 + (start[1] - other.birth_month)
        survivor = pia * claim_factor(other.birth_year, claim_months, tables) * index * 12
        own = max(own, survivor)
    return own


def _other_income(inc, year: int, start: int, index: float, death: dict[str, int],
                  last: int) -> float:
    first = inc.start_year if inc.start_year is not None else start
    end = inc.end_year if inc.end_year is not None else (death[inc.owner] if inc.owner else last)
    if not first <= year <= end:
        return 0.0
    return _cents(inc.annual * (index if inc.inflation_adjusted else 1.0))


def _irmaa(alive, year: int, magi_by_year, rules, tables):
    """(total surcharge, tier, look-back year) for the living Medicare enrollees of `year`.

    Returns (None, 0, year - 2) when the look-back MAGI is not known yet (the first year).
    """
    enrolled = []
    for p in alive:
        age = year - p.birth_year
        if age > tables.medicare_age:
            enrolled.append(12)
        elif age == tables.medicare_age:
            enrolled.append(13 - p.birth_month)
    lookback = year - 2
    if not enrolled:
        return 0.0, 0, lookback
    if lookback not in magi_by_year:
        first = min(magi_by_year) if magi_by_year else None
        if first is None or first < lookback:
            return None, 0, lookback
        lookback = first
    magi, status = magi_by_year[lookback]
    total, tier = 0.0, 0
    for months in enrolled:
        amount, tier = annual_surcharge(magi, status, months, rules)
        total += amount
    return _cents(total), tier, lookback


def _summary(rows: list[YearResult], heir_tax_rate: float) -> Summary:
    if not rows:
        return Summary(0.0, 0.0, 0.0, 0.0, None)
    last = rows[-1]
    estate = last.end_cash + last.end_taxable + last.end_roth + last.end_traditional * (
        1.0 - heir_tax_rate)
    shortfalls = [r.year for r in rows if r.shortfall > 0.0]
    return Summary(
        lifetime_federal_tax=_cents(sum(r.federal_tax for r in rows)),
        lifetime_irmaa=_cents(sum(r.irmaa for r in rows)),
        end_total=last.end_total,
        after_tax_estate=_cents(estate),
        first_shortfall_year=shortfalls[0] if shortfalls else None,
    )
