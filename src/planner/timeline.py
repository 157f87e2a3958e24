"""What each year of the plan brings whatever the balances: who is alive, the filing status,
spending, Social Security and other incomes, QCD eligibility and Medicare enrollment.

These depend only on the scenario, so they are worked out once, before the year loop.
Social Security rules (own, spouse's and widow(er)'s benefits, the earnings test): see
docs/MODELING.md (Social Security).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from planner.rmd import first_rmd_year
from planner.rules import LawTables, law_section
from planner.social_security import (
    claim_factor,
    claim_start,
    earnings_test_excess,
    full_retirement_age_months,
    spousal_factor,
    survivor_full_retirement_age_months,
    survivor_share,
    widow_base,
    withhold,
)

if TYPE_CHECKING:
    from planner.scenario import Scenario


class YearFacts(NamedTuple):
    """One year's facts. Money is nominal, in cents."""

    year: int
    alive: tuple[str, ...]
    ages: tuple[int, ...]  # of the living, on 31 December
    all_ages: tuple[int | None, ...]  # of every person, None once dead
    status: str
    widowed: bool
    survivor: str | None
    index: float  # price level relative to the start year
    spending: float
    social_security: float
    other_income: float
    taxable_other: tuple[float, ...]  # each taxable non-Social-Security income
    qcd_wanted: float
    qcd_eligible: tuple[str, ...]  # 70½ by 31 December (IRC §408(d)(8)(B)(i))
    medicare_months: tuple[int, ...]  # months enrolled, per living enrollee
    social_security_by_person: tuple[float, ...]  # paid to each living person, as `ages`
    wages_by_person: tuple[float, ...]  # wages by owner (no owner: the first living person)
    pensions_by_person: tuple[float, ...]  # taxable pension + annuity income by recipient
    annuity_premiums: tuple[tuple[str, float], ...]  # (from_account, premium) paid this year
    ss_withheld: float  # benefits withheld by the earnings test (not in `social_security`)


def _cents(x: float) -> float:
    return round(x + 0.0, 2)


def rmd_start_years(scenario: Scenario, tables: LawTables) -> dict[str, int]:
    """Each person's first RMD year."""
    return {p.name: first_rmd_year(p.birth_year, p.birth_month, tables) for p in scenario.people}


def timeline(scenario: Scenario, tables: LawTables) -> list[YearFacts]:
    """The facts of every year from the start to the plan's end (or the last death)."""
    people = scenario.people
    start, last = scenario.plan.start_year, scenario.last_year()
    inflation = scenario.assumptions.inflation
    death = {p.name: p.birth_year + p.longevity for p in people}
    spouse = {p.name: q.name for p in people for q in people if q.name != p.name}
    claims = _claims(scenario, death, tables)
    credited = {name: (0, 0) for name in claims}  # months withheld (all, with a spouse's part)
    others = [inc for inc in scenario.income if inc.kind != "social_security"]
    # 70½ by 31 December: the first year in which a person's age in months reaches it.
    qcd_from = {p.name: p.birth_year + (tables.qcd_age_months + p.birth_month - 12 + 11) // 12
                for p in people}
    medicare_from = {p.name: p.birth_year + tables.medicare_age for p in people}
    annual, fraction = scenario.spending.annual, scenario.spending.survivor_fraction
    qcd_annual = scenario.strategy.qcd_annual
    out: list[YearFacts] = []
    for year in range(start, last + 1):
        alive = [p for p in people if year <= death[p.name]]
        if not alive:
            break
        names = [p.name for p in alive]
        index = (1.0 + inflation) ** (year - start)
        widowed = len(people) == 2 and len(alive) == 1
        other_total = 0.0
        taxable: list[float] = []
        wages = [0.0] * len(alive)
        pensions = [0.0] * len(alive)
        premiums: list[tuple[str, float]] = []
        earned = dict.fromkeys(names, 0.0)  # wages by owner, for the earnings test
        for inc in others:
            amount, to = _other_income(inc, year, start, index, death, last, spouse)
            other_total += amount
            if inc.taxable:
                taxable.append(amount)
            at = names.index(to) if to in names else 0
            if inc.kind == "wages":
                wages[at] += amount
                if inc.owner in earned:
                    earned[inc.owner] += amount
            elif inc.kind in ("pension", "annuity") and inc.taxable:
                pensions[at] += amount
            if inc.premium is not None and year == inc.start_year and inc.owner in names:
                premiums.append((inc.from_account or "", inc.premium))
        benefits: list[float] = []
        withheld = 0.0
        for p in alive:
            paid, held, months = _benefits(claims[p.name], p.birth_year, year, index,
                                           earned[p.name],
                                           credited[p.name], death.get(spouse.get(p.name, "")),
                                           inflation, tables)
            credited[p.name] = (credited[p.name][0] + months[0], credited[p.name][1] + months[1])
            benefits.append(paid)
            withheld += held
        medicare = [12 if year > medicare_from[p.name] else 13 - p.birth_month
                    for p in alive if year >= medicare_from[p.name]]
        out.append(YearFacts(
            year,
            tuple(names),
            tuple([year - p.birth_year for p in alive]),
            tuple([year - p.birth_year if year <= death[p.name] else None for p in people]),
            "mfj" if len(alive) == 2 else "single",
            widowed,
            alive[0].name if widowed else None,
            index,
            _cents(annual * index * (fraction if widowed else 1.0)),
            _cents(sum(benefits)),
            _cents(other_total),
            tuple(taxable),
            _cents(qcd_annual * index),
            tuple([p.name for p in alive if year >= qcd_from[p.name]]),
            tuple(medicare),
            tuple(_cents(b) for b in benefits),
            tuple(_cents(w) for w in wages),
            tuple(_cents(x) for x in pensions),
            tuple(premiums),
            _cents(withheld),
        ))
    return out


class _Claim(NamedTuple):
    """One person's Social Security entitlements, fixed by the scenario. Months are counted
    from year 0 (`year * 12 + month - 1`); amounts are monthly, in today's dollars."""

    born: int  # month of birth
    fra: int  # full retirement age, months
    pia: float
    own_from: int | None  # first month of the own benefit (None: no claim)
    own_age: int  # age in months at the claim
    spousal_pia: float  # the unreduced excess: 50% of the spouse's PIA over the own PIA
    spousal_from: int | None  # later of the own claim and the spouse's claim
    spousal_age: int
    survivor: float  # the widow(er)'s benefit once it starts
    survivor_from: int | None


def _month(year: int, month: int) -> int:
    return year * 12 + month - 1


def _claims(scenario: Scenario, death: dict[str, int], tables: LawTables) -> dict[str, _Claim]:
    """Each person's own, spouse's and widow(er)'s benefits (42 U.S.C. §402(a), (b)/(c), (e)/(f)).

    Deemed filing (§402(r), for people born after 1 January 1954): claiming the own benefit is
    claiming the spouse's benefit too, so the spouse's part starts at the later of the person's
    claim and the other spouse's claim (the worker must have filed, §402(b)(1)). The widow(er)'s
    benefit starts in January after the death year, or later at `survivor_claim_age` (default:
    the survivor's full retirement age)."""
    entries = {inc.owner: inc for inc in scenario.income if inc.kind == "social_security"}
    born = {p.name: _month(p.birth_year, p.birth_month) for p in scenario.people}
    start = {name: _month(*claim_start(scenario.person(name).birth_year,
                                       scenario.person(name).birth_month, inc.claim_age or 0.0))
             for name, inc in entries.items()}
    out: dict[str, _Claim] = {}
    for p in scenario.people:
        me, inc = p.name, entries.get(p.name)
        other = next((q for q in scenario.people if q.name != me), None)
        pia = (inc.pia or 0.0) if inc is not None else 0.0
        own_from = start.get(me)
        spousal_pia, spousal_from, survivor, survivor_from = 0.0, None, 0.0, None
        if other is not None and other.name in entries:
            o = entries[other.name]
            if own_from is not None:
                spousal_pia = max(0.0, tables.spousal_share * (o.pia or 0.0) - pia)
                spousal_from = max(own_from, start[other.name]) if spousal_pia > 0 else None
            died = _month(death[other.name], 12)
            claimed = start[other.name] - born[other.name] if start[other.name] <= died else None
            base = widow_base(other.birth_year, claimed, died - born[other.name], tables)
            if inc is not None and inc.survivor_claim_age is not None:
                wanted = born[me] + round(inc.survivor_claim_age * 12)
            else:
                wanted = born[me] + survivor_full_retirement_age_months(p.birth_year, tables)
            survivor_from = max(_month(death[other.name] + 1, 1), wanted)
            survivor = (o.pia or 0.0) * survivor_share(base, p.birth_year,
                                                       survivor_from - born[me], tables)
        out[me] = _Claim(
            born[me], full_retirement_age_months(p.birth_year, tables), pia, own_from,
            (own_from - born[me]) if own_from is not None else 0,
            spousal_pia, spousal_from, (spousal_from - born[me]) if spousal_from else 0,
            survivor, survivor_from)
    return out


def _benefits(c: _Claim, birth_year: int, year: int, index: float, wages: float,
              credited: tuple[int, int], spouse_death: int | None, inflation: float,
              tables: LawTables) -> tuple[float, float, tuple[int, int]]:
    """A person's benefits for `year`, nominal: (paid, withheld by the earnings test, months
    withheld this year (all, with a spouse's part)); `credited` are the months withheld in
    earlier years.

    Each month pays the larger of the own and the widow(er)'s benefit, plus the spouse's part
    while the other spouse lives. Before FRA the earnings test withholds from the own benefit and
    the spouse's part (20 CFR 404.415); from the FRA month on, both reductions are recomputed
    as if claimed later by the months withheld (adjustment of the reduction factor,
    42 U.S.C. §402(q)(7); 20 CFR 404.412)."""
    first = _month(year, 1)
    before = min(12, max(0, c.born + c.fra - first))  # months of the year before FRA
    early = _months(c, birth_year, first, first + before, (0, 0), year, spouse_death, tables)
    held = None
    if wages > 0 and any(own or spousal for own, spousal, _ in early):
        law = law_section(year, "ss_earnings_test", inflation)
        excess = earnings_test_excess(wages, before, before < 12, law)
        held = withhold(excess, [(own * index, spousal * index) for own, spousal, _ in early])
    months = (held.months, held.spousal_months) if held else (0, 0)
    later = (credited[0] + months[0], credited[1] + months[1])
    values = early + _months(c, birth_year, first + before, first + 12, later, year,
                             spouse_death, tables)
    runs: dict[float, int] = {}
    for own, spousal, survivor in values:
        value = max(own, survivor) + spousal
        runs[value] = runs.get(value, 0) + 1
    total = sum(value * index * n for value, n in runs.items() if value)
    withheld = held.amount if held else 0.0
    return total - withheld, withheld, months


def _months(c: _Claim, birth_year: int, start: int, end: int, credited: tuple[int, int],
            year: int, spouse_death: int | None,
            tables: LawTables) -> list[tuple[float, float, float]]:
    """`_month_values` of months `start` to `end` (exclusive), worked out once per run of
    months between the claim dates, which are the only months where they change."""
    starts = (c.own_from, c.spousal_from, c.survivor_from)
    edges = sorted({start, end, *(m for m in starts if m is not None and start < m < end)})
    out: list[tuple[float, float, float]] = []
    for a, b in zip(edges, edges[1:], strict=False):
        out += [_month_values(c, birth_year, a, credited, year, spouse_death, tables)] * (b - a)
    return out


def _month_values(c: _Claim, birth_year: int, m: int, credited: tuple[int, int], year: int,
                  spouse_death: int | None, tables: LawTables) -> tuple[float, float, float]:
    """Month `m`'s (own, spouse's part, widow(er)'s) benefits in today's dollars, the reductions
    recomputed for `credited` months withheld (own, spouse's part)."""
    own = spousal = survivor = 0.0
    if c.own_from is not None and m >= c.own_from:
        age = min(c.own_age + credited[0], c.fra) if c.own_age < c.fra else c.own_age
        own = c.pia * claim_factor(birth_year, age, tables)
    if c.spousal_from is not None and m >= c.spousal_from and spouse_death is not None \
            and year <= spouse_death:
        age = min(c.spousal_age + credited[1], c.fra)
        spousal = c.spousal_pia * spousal_factor(birth_year, age, tables)
    if c.survivor_from is not None and m >= c.survivor_from:
        survivor = c.survivor
    return own, spousal, survivor


def _other_income(inc, year: int, start: int, index: float, death: dict[str, int], last: int,
                  spouse: dict[str, str]) -> tuple[float, str | None]:
    """A non-Social-Security income's amount in `year` and who receives it.

    A joint-and-survivor pension (`survivor_fraction`) pays that share of its amount to the
    surviving spouse from the year after the owner's death to the survivor's death (or its
    `end_year`); `cola` raises it by a fixed rate a year from its first year."""
    first = inc.start_year if inc.start_year is not None else start
    owner_death = death[inc.owner] if inc.owner else last
    share, to = 1.0, inc.owner
    if inc.survivor_fraction > 0 and year > owner_death:
        to = spouse[inc.owner]
        end = min(inc.end_year if inc.end_year is not None else last, death[to])
        share = inc.survivor_fraction
    else:
        end = inc.end_year if inc.end_year is not None else owner_death
    if not first <= year <= end:
        return 0.0, None
    amount = inc.annual * (index if inc.inflation_adjusted else 1.0)
    if inc.cola:
        amount *= (1.0 + inc.cola) ** (year - first)
    if share != 1.0:
        amount *= share
    return _cents(amount), to
