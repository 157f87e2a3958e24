"""The multi-year withdrawal and conversion model as a mixed-integer linear program.

Money is in thousands of dollars (better scaled for HiGHS). For each year and account: balance,
withdrawal (traditional: the whole distribution, RMD included), Roth conversion and QCD; for each
year: reinvested surplus and the federal return as piecewise-linear pieces:

- ordinary brackets: one segment per bracket (IRC §1(j)), filled cheapest first;
- qualified dividends and long-term gains stacked on top (IRC §1(h)): the 15% layer is
  15% x min(QDG, (TI - Z)+) and the extra 5% is 5% x min(QDG, (TI - F)+), Z and F the tops of
  the 0% and 15% bands, QDG the dividends and gains, TI taxable income;
- taxable Social Security (IRC §86, Pub 915 Worksheet 1): the least of 50%/85% of provisional
  income over the base amounts, 50% of benefits plus 85% over the adjusted base, and 85% of
  benefits;
- the 2025-2028 senior deduction lost to its 6% phase-out (IRC §151(d)(5)(C)): the lesser of
  6% x (AGI - start)+ per person and the deduction; NIIT (IRC §1411): 3.8% of the lesser of net
  investment income and (MAGI - threshold)+;
- IRMAA (20 CFR 418.2115): the look-back year's MAGI split into one segment per tier; a tier's
  segment is open only when its switch is on, and each switch adds that tier's surcharge; a safety
  margin keeps planned MAGI that much below each threshold.

Each "lesser of" is a `Choice`: the amount is at least the option picked by binary switches, each
option being convex (a max of affine pieces). With the switches fixed the model is an LP, exact
on the picked options and conservative elsewhere; `planner.optimizer.search` moves the switches.

Approximations (the engine replay makes reported numbers exact anyway): a taxable withdrawal
realises a fixed gain share per year and account (exact for average-cost basis unless surplus
is reinvested in that account; iterated), losses count as no gain, and the cap of the
capital-gain worksheet at the regular tax (line 25) is left out (it only lowers tax).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from planner.irmaa import irmaa_tier
from planner.optimizer.data import PlanData, YearData
from planner.optimizer.lp import INF, Program
from planner.rules import law_section

K = 1000.0
Terms = list[tuple[int, float]]


@dataclass(frozen=True, slots=True)
class Piece:
    """An affine amount sum(terms) + const, and a bound on it over the model."""

    terms: tuple[tuple[int, float], ...]
    const: float
    upper: float

    def value(self, x: Sequence[float]) -> float:
        return sum(c * x[i] for i, c in self.terms) + self.const


@dataclass(frozen=True, slots=True)
class Choice:
    """target >= min over options of max(0, pieces of the option), with one switch per option
    (none when there is only one option)."""

    name: tuple
    target: int
    options: tuple[tuple[Piece, ...], ...]
    switches: tuple[int, ...]

    def values(self, x: Sequence[float]) -> list[float]:
        return [max([0.0] + [p.value(x) for p in opt]) for opt in self.options]


@dataclass(frozen=True, slots=True)
class Tiers:
    """IRMAA of premium year `year`: switches open the tiers of the look-back MAGI in order."""

    year: int
    lookback: int
    magi: tuple[tuple[int, float], ...]
    edges: tuple[float, ...]
    switches: tuple[int, ...]


@dataclass(slots=True)
class Model:
    program: Program
    data: PlanData
    objective: str
    index: dict[tuple, int] = field(default_factory=dict)
    rows: dict[tuple, int] = field(default_factory=dict)
    choices: list[Choice] = field(default_factory=list)
    tiers: list[Tiers] = field(default_factory=list)
    agi_ub: list[float] = field(default_factory=list)
    extra_margins: dict[int, float] = field(default_factory=dict)

    def var(self, name: tuple, lb: float = 0.0, ub: float = INF, cost: float = 0.0,
            binary: bool = False) -> int:
        i = self.program.var(name, lb, ub, cost, binary)
        self.index[name] = i
        return i

    def row(self, name: tuple, terms, lb: float = -INF, ub: float = INF) -> int:
        r = self.program.row(name, terms, lb, ub)
        self.rows[name] = r
        return r

    def choice(self, name: tuple, target: int, options: Sequence[Sequence[Piece]]) -> None:
        """target >= min over options of max(0, pieces); options with no piece mean 0."""
        options = [tuple(opt) for opt in options]
        if len(options) == 1:
            for p, piece in enumerate(options[0]):
                self.row((*name, 0, p), [(target, 1.0)] + [(i, -c) for i, c in piece.terms],
                         lb=piece.const)
            self.choices.append(Choice(name, target, tuple(options), ()))
            return
        zs = [self.var((*name, "switch", k), 0.0, 1.0, binary=True) for k in range(len(options))]
        self.row((*name, "one-of"), [(z, 1.0) for z in zs], lb=1.0, ub=1.0)
        for k, opt in enumerate(options):
            for p, piece in enumerate(opt):
                if not piece.terms:
                    self.row((*name, k, p), [(target, 1.0), (zs[k], -piece.const)], lb=0.0)
                    continue
                big = max(0.0, piece.upper)
                self.row((*name, k, p),
                         [(target, 1.0), (zs[k], -big)] + [(i, -c) for i, c in piece.terms],
                         lb=piece.const - big)
        self.choices.append(Choice(name, target, tuple(options), tuple(zs)))


def _scaled(terms: Terms, factor: float) -> tuple[tuple[int, float], ...]:
    return tuple((i, c * factor) for i, c in terms)


def income_bounds(data: PlanData) -> list[float]:
    """A bound on each year's income other than Social Security (k$): all wealth at the best
    return could be distributed in one year."""
    gmax = max([0.0] + [a.growth + a.dividend_yield + a.interest_yield for a in data.accounts])
    wealth = sum(a.balance for a in data.accounts) / K
    out = []
    for y in data.years:
        out.append(y.other_taxable / K + wealth * (1.0 + gmax))
        wealth = (wealth + (y.social_security + y.other_total) / K) * (1.0 + gmax)
    return out


def build(data: PlanData, objective: str, estate_floor: float,
          gain_share: Sequence[Sequence[float]], trad_share: Sequence[Sequence[float]],
          irmaa_margin: float = 100.0, spending_annual: float | None = None,
          extra_margins: Mapping[int, float] | None = None) -> Model:
    """The model for `objective` ("max-spending" or "max-estate"), to be maximised.

    `gain_share[t][a]`: realised gain per dollar withdrawn from taxable account a in year t;
    `trad_share[t][a]`: taxable share of a traditional distribution; `estate_floor`: nominal
    after-tax estate the max-spending plan must leave; `spending_annual` (today's $) replaces
    the scenario's spending for max-estate; `extra_margins` adds dollars to the IRMAA margin
    of the MAGI of some plan years (by index).
    """
    m = Model(Program(), data, objective)
    m.extra_margins = dict(extra_margins or {})
    accounts = data.accounts
    n_years = len(data.years)
    bounds = income_bounds(data)
    spend = m.var(("spending",), cost=1.0) if objective == "max-spending" else None
    for a, acc in enumerate(accounts):
        m.var(("balance", a, 0), acc.balance / K, acc.balance / K)
    for t, y in enumerate(data.years):
        _year(m, t, y, bounds[t], spend, gain_share[t], trad_share[t], irmaa_margin,
              spending_annual)
    weights = [(1.0 - data.heir_tax_rate) if acc.kind == "traditional" else 1.0
               for acc in accounts]
    estate = [(m.index["balance", a, n_years], weights[a]) for a in range(len(accounts))]
    if spend is not None:
        eps = 1e-6 / (1.0 + data.inflation) ** n_years
        for i, wgt in estate:
            m.program.cost[i] += eps * wgt
        m.row(("estate_floor",), estate, lb=estate_floor / K)
    else:
        for i, wgt in estate:
            m.program.cost[i] += wgt
    return m


def _year(m: Model, t: int, y: YearData, other_ub: float, spend: int | None,
          gain_share: Sequence[float], trad_share: Sequence[float], margin: float,
          spending_annual: float | None) -> None:
    """Variables and rows of plan year t."""
    accounts = m.data.accounts
    bal = [m.index["balance", a, t] for a in range(len(accounts))]
    w = [m.var(("withdraw", a, t)) for a in range(len(accounts))]
    conv = {a: m.var(("convert", a, t)) for a, acc in enumerate(accounts)
            if acc.kind == "traditional" and y.roth_target[a] is not None}
    surplus = m.var(("surplus", t))
    _balances(m, t, y, bal, w, conv, surplus, other_ub)
    agi, qdg, interest = _income(m, t, y, bal, w, conv, other_ub, gain_share, trad_share)
    tax = _tax(m, t, y, agi, qdg, interest, other_ub)
    for a, rate in enumerate(y.penalty):
        if rate and accounts[a].kind == "traditional":  # on the taxable part (IRC §72(t))
            tax.append((w[a], rate * trad_share[a]))
        elif rate:
            tax += _early_roth(m, t, a, rate)
    if y.costs is not None:
        tax += _state_and_premiums(m, t, y, other_ub)

    # Cash flow: money in = spending + tax + IRMAA + reinvested surplus.
    irmaa_cost, fixed = _irmaa(m, t, margin)
    flow: Terms = [(i, 1.0) for i in w]
    for a, acc in enumerate(accounts):
        if acc.kind == "taxable":
            flow.append((bal[a], acc.dividend_yield + acc.interest_yield))
    flow += [(i, -c) for i, c in tax + irmaa_cost] + [(surplus, -1.0)]
    rhs = (fixed + y.payroll_tax - y.social_security - y.other_total) / K
    if spend is not None:
        flow.append((spend, -y.spend_factor))
    elif spending_annual is not None:
        rhs += spending_annual * y.spend_factor / K
    else:
        rhs += y.spending / K
    m.row(("cash_flow", t), flow, rhs, rhs)


def _balances(m: Model, t: int, y: YearData, bal: list[int], w: list[int],
              conv: dict[int, int], surplus: int, other_ub: float) -> None:
    """Next year's balances: RMDs and QCDs (step 2), withdrawals (4), conversions (5), the
    reinvested surplus and growth (6)."""
    data = m.data
    qcd = _qcds(m, t, y, bal, other_ub)
    inflow: dict[int, list[int]] = {}
    for a in conv:
        inflow.setdefault(y.roth_target[a], []).append(conv[a])
    for a, acc in enumerate(data.accounts):
        g = 1.0 + acc.growth
        terms: Terms = [(m.var(("balance", a, t + 1)), 1.0), (bal[a], -g)]
        if acc.kind == "cash":
            terms.append((w[a], 1.0))
        else:
            terms += [(w[a], g)] + [(i, g) for i in (conv.get(a), qcd.get(a)) if i is not None]
            terms += [(i, -g) for i in inflow.get(a, ())]
            if a == data.reinvest_index:
                terms.append((surplus, -g))
        m.row(("balance", a, t), terms, 0.0, 0.0)
        if inflow.get(a) or a == data.reinvest_index:
            m.row(("available", a, t), [(bal[a], 1.0), (w[a], -1.0)], lb=0.0)
        if y.rmd_divisor[a] > 0.0:
            terms = [(w[a], 1.0), (bal[a], -1.0 / y.rmd_divisor[a])]
            if a in qcd:
                terms.append((qcd[a], 1.0))
            m.row(("rmd", a, t), terms, lb=0.0)


def _income(m: Model, t: int, y: YearData, bal: list[int], w: list[int], conv: dict[int, int],
            other_ub: float, gain_share: Sequence[float], trad_share: Sequence[float]
            ) -> tuple[int, int, Terms]:
    """(AGI, qualified dividends and gains, interest terms): realised gains, dividends,
    interest, traditional distributions and conversions, taxable Social Security."""
    accounts = m.data.accounts
    gains = m.var(("gains", t), 0.0, other_ub)
    m.row(("gains", t), [(gains, 1.0)] + [(w[a], -max(0.0, gain_share[a]))
                                         for a, acc in enumerate(accounts)
                                         if acc.kind == "taxable"], 0.0, 0.0)
    qdg = m.var(("qdg", t), 0.0, other_ub)
    m.row(("qdg", t), [(qdg, 1.0), (gains, -1.0)] + [
        (bal[a], -acc.dividend_yield) for a, acc in enumerate(accounts)
        if acc.kind == "taxable"], 0.0, 0.0)
    interest: Terms = []
    for a, acc in enumerate(accounts):
        if acc.kind == "taxable" and acc.interest_yield:
            interest.append((bal[a], acc.interest_yield))
        elif acc.kind == "cash":
            interest.append((bal[a], acc.growth))
    other = m.var(("other_income", t), 0.0, other_ub)
    terms = [(other, 1.0), (qdg, -1.0)] + [(i, -c) for i, c in interest]
    for a, acc in enumerate(accounts):
        if acc.kind == "traditional":
            terms.append((w[a], -trad_share[a]))
            if a in conv:
                terms.append((conv[a], -trad_share[a]))
    m.row(("other_income", t), terms, y.other_taxable / K, y.other_taxable / K)

    ss = y.social_security / K
    m.agi_ub.append(other_ub + y.rules.ss_rate_2 * ss)
    agi = m.var(("agi", t))
    agi_terms: Terms = [(agi, 1.0), (other, -1.0)]
    if ss > 0.0:
        taxable_ss = m.var(("taxable_ss", t))
        agi_terms.append((taxable_ss, -1.0))
        _social_security(m, t, y, other, other_ub, taxable_ss)
    m.row(("agi", t), agi_terms, 0.0, 0.0)
    return agi, qdg, interest


def _tax(m: Model, t: int, y: YearData, agi: int, qdg: int, interest: Terms,
         other_ub: float) -> Terms:
    """The year's federal tax as terms: deductions (with the senior deduction's phase-out),
    ordinary brackets on (TI - QDG)+, the 15% and 20% layers, and NIIT."""
    rules = y.rules
    st = rules.status(y.status)
    agi_ub = m.agi_ub[t]
    deduction = (st.standard_deduction + y.seniors * st.additional_65) / K
    ti = m.var(("taxable_income", t))
    ti_terms: Terms = [(ti, 1.0), (agi, -1.0)]
    if rules.senior_amount > 0.0 and y.seniors:
        amount = y.seniors * rules.senior_amount / K
        deduction += amount
        start = st.senior_phaseout_start / K
        rate = rules.senior_phaseout_rate * y.seniors
        if agi_ub > start:
            lost = m.var(("senior_lost", t))
            ti_terms.append((lost, -1.0))
            options = [[Piece(((agi, rate),), -rate * start, rate * (agi_ub - start))]]
            if rate * (agi_ub - start) > amount:
                options.append([Piece((), amount, amount)])
            m.choice(("senior", t), lost, options)
    m.row(("taxable_income", t), ti_terms, lb=-deduction)

    floors = [f / K for f in st.bracket_floors]
    tax: Terms = []
    segs = []
    for k, rate in enumerate(st.bracket_rates):
        width = floors[k + 1] - floors[k] if k + 1 < len(floors) else INF
        segs.append(m.var(("bracket", t, k), 0.0, width))
        tax.append((segs[-1], rate))
    m.row(("ordinary", t), [(s, 1.0) for s in segs] + [(ti, -1.0), (qdg, 1.0)], lb=0.0)
    r0, r15, r20 = rules.cg_rates
    if r0:
        tax.append((qdg, r0))
    for k, (top, rate) in enumerate(((st.cg_zero_top / K, r15 - r0),
                                     (st.cg_fifteen_top / K, r20 - r15))):
        if agi_ub <= top:
            continue
        layer = m.var(("layer", t, k))
        tax.append((layer, 1.0))
        m.choice(("layer", t, k), layer, [[Piece(((ti, rate),), -rate * top,
                                                 rate * (agi_ub - top))],
                                          [Piece(((qdg, rate),), 0.0, rate * other_ub)]])
    threshold = st.niit_threshold / K
    if agi_ub > threshold:
        niit = m.var(("niit", t))
        tax.append((niit, 1.0))
        rate = rules.niit_rate
        m.choice(("niit", t), niit, [
            [Piece(((agi, rate),), -rate * threshold, rate * (agi_ub - threshold))],
            [Piece(((qdg, rate),) + _scaled(interest, rate), 0.0, rate * other_ub)]])
    return tax


def _early_roth(m: Model, t: int, a: int, rate: float) -> Terms:
    """The early-withdrawal tax on Roth account a in year t (owner under 59½): withdrawals come
    out of contributions and conversions at least five years old first (IRC §408A(d)(4)(B),
    (d)(3)(F)); the tax falls on the rest. E_t >= (withdrawals so far) - (opening basis +
    conversions into a made five or more years before), E_t >= E_(t-1); the tax is
    rate x (E_t - E_(t-1)), and E_t - E_(t-1) is also income of the year: exact for earnings
    (income and the tax), too high for recent conversions (the tax only), so the model stays
    on the cautious side of the engine."""
    data = m.data
    seasoning = int(law_section(data.years[t].year, "early_withdrawal",
                                data.inflation)["roth_conversion_years"])
    excess = m.var(("roth_early", a, t))
    terms: Terms = [(excess, 1.0)]
    terms += [(m.index["withdraw", a, s], -1.0) for s in range(t + 1)]
    for s in range(t - seasoning + 1):
        terms += [(m.index["convert", b, s], 1.0)
                  for b, target in enumerate(data.years[s].roth_target)
                  if target == a and ("convert", b, s) in m.index]
    m.row(("roth_early", a, t), terms, lb=-data.accounts[a].basis / K)
    before = m.index.get(("roth_early", a, t - 1))
    if before is None:
        _extend_row(m, ("other_income", t), [(excess, -1.0)])
        return [(excess, rate)]
    m.row(("roth_early_order", a, t), [(excess, 1.0), (before, -1.0)], lb=0.0)
    _extend_row(m, ("other_income", t), [(excess, -1.0), (before, 1.0)])
    return [(excess, rate), (before, -rate)]


def _extend_row(m: Model, name: tuple, terms: Terms) -> None:
    """Add terms to a row already in the program (before it is loaded into a solver)."""
    r = m.rows[name]
    program = m.program
    merged = dict(zip(program.rows[r], program.coefs[r], strict=True))
    for i, c in terms:
        merged[i] = merged.get(i, 0.0) + c
    program.rows[r] = tuple(merged)
    program.coefs[r] = tuple(merged.values())


def _state_and_premiums(m: Model, t: int, y: YearData, other_ub: float) -> Terms:
    """The year's state income tax and Marketplace premiums net of the credit, as functions of
    the income other than Social Security (`planner.optimizer.costs`): the tax at least its
    convex envelope; the premium at least the lesser of its envelope below the cliff and the
    full premium (a switch)."""
    other = m.index["other_income", t]
    costs = y.costs
    out: Terms = []

    def pieces(lines) -> list[Piece]:
        return [Piece(((other, line.slope),), line.const,
                      max(line.const, line.slope * other_ub + line.const)) for line in lines]

    if costs.state:
        state = m.var(("state_tax", t))
        m.choice(("state", t), state, [pieces(costs.state)])
        out.append((state, 1.0))
    if costs.aca_full > 0.0:
        premium = m.var(("aca_premium", t), 0.0, costs.aca_full)
        m.choice(("aca", t), premium, [pieces(costs.aca_below),
                                       [Piece((), costs.aca_full, costs.aca_full)]])
        out.append((premium, 1.0))
    return out


def _qcds(m: Model, t: int, y: YearData, bal: list[int], other_ub: float) -> dict[int, int]:
    """QCDs as the engine gives them (IRC §408(d)(8)): from the eligible owners' traditional
    accounts in order, each the lesser of what is still wanted and its balance, up to the
    per-owner limit."""
    wanted = y.qcd_wanted / K
    if wanted <= 0.0:
        return {}
    qcd: dict[int, int] = {}
    owners: dict[str, list[int]] = {}
    for a in y.qcd_accounts:
        q = m.var(("qcd", a, t), 0.0, min(wanted, y.qcd_limit / K))
        rest = Piece(tuple((p, -1.0) for p in qcd.values()), wanted, wanted)
        m.choice(("qcd", a, t), q, [[rest], [Piece(((bal[a], 1.0),), 0.0, other_ub)]])
        qcd[a] = q
        owners.setdefault(y.owners[a], []).append(q)
    m.row(("qcd_total", t), [(q, 1.0) for q in qcd.values()], ub=wanted)
    for owner, qs in owners.items():
        m.row(("qcd_limit", t, owner), [(q, 1.0) for q in qs], ub=y.qcd_limit / K)
    return qcd


def _social_security(m: Model, t: int, y: YearData, other: int, other_ub: float,
                     taxable_ss: int) -> None:
    """Taxable benefits: the least of h(PI) = r1 (PI - base)+ + (r2 - r1)(PI - adjusted)+,
    r1 SS + r2 (PI - adjusted)+ (when benefits are under the band) and r2 SS; PI = r1 SS + other."""
    rules = y.rules
    st = rules.status(y.status)
    ss = y.social_security / K
    base, adjusted = st.ss_base / K, st.ss_adjusted_base / K
    r1, r2 = rules.ss_rate_1, rules.ss_rate_2

    def line(slope: float, const: float) -> Piece:
        return Piece(((other, slope),), const, slope * other_ub + const)

    convex = [line(r1, r1 * (r1 * ss - base)),
              line(r2, r2 * r1 * ss - r1 * base - (r2 - r1) * adjusted)]
    options = [convex]
    if ss < adjusted - base:
        options.append([Piece((), r1 * ss, r1 * ss), line(r2, r1 * ss + r2 * (r1 * ss - adjusted))])
    if max(p.upper for p in convex) > r2 * ss:
        options.append([Piece((), r2 * ss, r2 * ss)])
    m.choice(("ss", t), taxable_ss, options)


def _irmaa(m: Model, t: int, margin: float) -> tuple[Terms, float]:
    """IRMAA of premium year t: (terms of its cost in k$, fixed cost in $). Fixed when the
    look-back MAGI is known (history); else the look-back year's MAGI is split into a base
    segment and one segment per reachable tier, open only when the tier's switch is on."""
    y = m.data.years[t]
    src = y.irmaa
    if src.enrolled_months == 0:
        return [], 0.0
    rules = y.rules
    monthly = [b + d for b, d in zip(rules.part_b_surcharge, rules.part_d_surcharge,
                                     strict=True)]
    thresholds = rules.status(src.status).irmaa_thresholds
    if src.fixed_magi is not None:
        tier = irmaa_tier(src.fixed_magi, thresholds)
        return [], round(monthly[tier] * src.enrolled_months, 2)
    j = src.plan_index
    agi = m.index["agi", j]
    agi_ub = m.agi_ub[j]
    margin += m.extra_margins.get(j, 0.0)
    edges = tuple((thr - margin) / K for thr in thresholds)
    reachable = [k for k, edge in enumerate(edges) if edge < agi_ub]
    if not reachable:
        return [], 0.0
    parts: Terms = [(m.var(("irmaa_base", t), 0.0, edges[0]), 1.0)]
    cost: Terms = []
    switches = []
    for k in reachable:
        on = m.var(("irmaa_tier", t, k + 1), 0.0, 1.0, binary=True)
        top = min(edges[k + 1] if k + 1 < len(edges) else agi_ub, agi_ub)
        seg = m.var(("irmaa_segment", t, k + 1))
        m.row(("irmaa_width", t, k + 1), [(seg, 1.0), (on, -(top - edges[k]))], ub=0.0)
        parts.append((seg, 1.0))
        cost.append((on, (monthly[k + 1] - monthly[k]) * src.enrolled_months / K))
        if switches:
            m.row(("irmaa_order", t, k + 1), [(on, 1.0), (switches[-1], -1.0)], ub=0.0)
        switches.append(on)
    m.row(("irmaa_magi", t), parts + [(agi, -1.0)], 0.0, 0.0)
    m.tiers.append(Tiers(t, j, ((agi, 1.0),), edges, tuple(switches)))
    return cost, 0.0
