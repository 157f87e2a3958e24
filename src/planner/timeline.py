"""What each year of the plan brings whatever the balances: who is alive, the filing status,
spending, Social Security and other incomes, QCD eligibility and Medicare enrollment.

These depend only on the scenario, so they are worked out once, before the year loop.
Social Security rules (own, spouse's and widow(er)'s benefits, the earnings test): see
docs/MODELING.md (Social Security).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from planner.money import cents as _cents
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
    from planner.scenario import Income, Person, Scenario


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


_new = tuple.__new__


def _cents_each(amounts: list[float]) -> tuple[float, ...]:
    """`_cents` of each amount (a zero, the commonest amount, needs no call: it gives 0.0)."""
    if len(amounts) == 2:
        a, b = amounts
        return (_cents(a) if a else 0.0, _cents(b) if b else 0.0)
    return tuple([_cents(x) if x else 0.0 for x in amounts])


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
    spouse_death = {p.name: death.get(spouse.get(p.name, "")) for p in people}
    others = [_other(inc, start, last, death, spouse) for inc in scenario.income
              if inc.kind != "social_security"]
    # 70½ by 31 December: the first year in which a person's age in months reaches it.
    qcd_from = {p.name: p.birth_year + (tables.qcd_age_months + p.birth_month - 12 + 11) // 12
                for p in people}
    medicare_from = {p.name: p.birth_year + tables.medicare_age for p in people}
    annual, fraction = scenario.spending.annual, scenario.spending.survivor_fraction
    qcd_annual = scenario.strategy.qcd_annual
    out: list[YearFacts] = []
    wage_income = any(o.kind == "wages" for o in others)
    # With one other income every sum below is that income alone, in cents already.
    several = len(others) > 1
    for years, h in _households(people, death, start, last):
        names, births, all_births, count = h.names, h.births, h.all_births, len(h.names)
        status, survivor = h.status, h.survivor
        widowed = survivor is not None
        share = fraction if widowed else 1.0
        zeros = (0.0,) * count
        earned = dict.fromkeys(names, 0.0)  # wages by owner, for the earnings test
        who = [(name, claims[name], born, spouse_death[name])
               for name, born in zip(names, births, strict=True)]
        qcd_years = [(qcd_from[name], name) for name in names]
        qcd_all = max([first for first, _ in qcd_years])  # from then on, every living person
        medicare_years = [(medicare_from[p.name], 13 - p.birth_month) for p in h.alive]
        # After the last enrolment year every living person has twelve months.
        medicare_all = max([first for first, _ in medicare_years])
        everyone = None not in all_births  # then every person's age is a living one's
        for year in years:
            index = (1.0 + inflation) ** (year - start)
            other_total = 0.0
            taxable: list[float] = []
            wages = pensions = zeros
            premiums: list[tuple[str, float]] = []
            if others:
                wages, pensions = [0.0] * count, [0.0] * count
                if wage_income:
                    earned = dict.fromkeys(names, 0.0)
                for o in others:
                    amount, to = _other_income(o, year, index)
                    (kind, owner, _, _, _, paid_taxable, _, premium, first_year, account, _, _, _,
                     _, _) = o
                    other_total += amount
                    if paid_taxable:
                        taxable.append(amount)
                    at = names.index(to) if to in names else 0
                    if kind == "wages":
                        wages[at] += amount
                        if owner in earned:
                            earned[owner] += amount
                    elif kind in ("pension", "annuity") and paid_taxable:
                        pensions[at] += amount
                    if premium is not None and year == first_year and owner in names:
                        premiums.append((account or "", premium))
                if several:
                    wages, pensions = _cents_each(wages), _cents_each(pensions)
                    other_total = _cents(other_total) if other_total else 0.0
                else:
                    wages, pensions = tuple(wages), tuple(pensions)
            benefits: list[float] = []
            paid_cents: list[float] = []  # `_cents_each(benefits)`
            withheld = 0.0
            receiving = 0
            for name, claim, born, spouse_died in who:
                paid, held, months = _benefits(claim, born, year, index, earned[name],
                                               credited[name], spouse_died, inflation, tables)
                if months != (0, 0):
                    credited[name] = (credited[name][0] + months[0],
                                      credited[name][1] + months[1])
                benefits.append(paid)
                if paid:
                    receiving += 1
                    one = _cents(paid)
                    paid_cents.append(one)
                else:
                    paid_cents.append(0.0)
                withheld += held
            # The household's benefits: with one person paid, the sum is theirs to the bit.
            paid_total = _cents(sum(benefits)) if receiving > 1 else one if receiving else 0.0
            ages = (year - births[0], year - births[1]) if count == 2 else tuple([
                year - born for born in births])
            # A plain tuple of the class, in field order: its generated __new__ costs more.
            out.append(_new(YearFacts, (
                year,
                names,
                ages,
                ages if everyone else tuple([
                    None if born is None else year - born for born in all_births]),
                status,
                widowed,
                survivor,
                index,
                _cents(annual * index * share),
                paid_total,
                other_total,
                tuple(taxable),
                _cents(qcd_annual * index) if qcd_annual else 0.0,
                names if year >= qcd_all else tuple([
                    name for first, name in qcd_years if year >= first]),
                (12,) * count if year > medicare_all else tuple([
                    12 if year > first else months for first, months in medicare_years
                    if year >= first]),
                tuple(paid_cents),
                wages,
                pensions,
                tuple(premiums),
                _cents(withheld) if withheld else 0.0,
            )))
    return out


class _Household(NamedTuple):
    """The people alive over a run of years, and what the year loop needs of them."""

    alive: tuple[Person, ...]
    names: tuple[str, ...]
    births: tuple[int, ...]  # birth years of the living, as `names`
    status: str  # filing status: "mfj" while both of a couple live
    survivor: str | None  # the widow(er), once one of a couple has died
    all_births: tuple[int | None, ...]  # of every person, None once dead


def _households(people: Sequence[Person], death: dict[str, int], start: int,
                last: int) -> list[tuple[range, _Household]]:
    """The years from `start` to `last` in runs with the same people alive (a run ends with a
    death), up to the last death. A person is alive all of their death year."""
    out: list[tuple[range, _Household]] = []
    year = start
    while year <= last:
        alive = tuple([p for p in people if year <= death[p.name]])
        if not alive:
            break
        end = min(last, *(death[p.name] for p in alive))
        widowed = len(people) == 2 and len(alive) == 1
        out.append((range(year, end + 1), _Household(
            alive, tuple([p.name for p in alive]), tuple([p.birth_year for p in alive]),
            "mfj" if len(alive) == 2 else "single", alive[0].name if widowed else None,
            tuple([p.birth_year if year <= death[p.name] else None for p in people]))))
        year = end + 1
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
    own: float  # the own benefit with no month withheld: PIA times the claim factor
    spousal: float  # the spouse's part with no month withheld: its PIA times the spousal factor
    fra_year: int  # the first year with no month before FRA
    events: frozenset[int]  # years in which a benefit or FRA starts after January


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
    person = {p.name: p for p in scenario.people}
    start = {name: _month(*claim_start(person[name].birth_year, person[name].birth_month,
                                       inc.claim_age or 0.0))
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
        fra = full_retirement_age_months(p.birth_year, tables)
        own_age = (own_from - born[me]) if own_from is not None else 0
        spousal_age = (spousal_from - born[me]) if spousal_from else 0
        starts = (own_from, spousal_from, survivor_from, born[me] + fra)
        out[me] = _Claim(
            born[me], fra, pia, own_from, own_age, spousal_pia, spousal_from, spousal_age,
            survivor, survivor_from,
            pia * claim_factor(p.birth_year, own_age, tables),
            spousal_pia * spousal_factor(p.birth_year, min(spousal_age, fra), tables),
            -(-(born[me] + fra) // 12),
            frozenset(m // 12 for m in starts if m is not None and m % 12))
    return out


def _benefits(c: _Claim, birth_year: int, year: int, index: float, wages: float,
              credited: tuple[int, int], spouse_death: int | None, inflation: float,
              tables: LawTables) -> tuple[float, float, tuple[int, int]]:
    """A person's benefits for `year`, nominal: (paid, withheld by the earnings test, months
    withheld this year (all, with a spouse's part)); `credited` are the months withheld in
    earlier years.

    Most years are steady: every month pays the same, so the year is twelve times one month
    (`_steady_year`), with the very bytes `_benefits_by_month` would give. The other years
    (a benefit or full retirement age starting within the year, or wages before FRA for the
    earnings test) go month by month, a run of equal months at a time (`_benefits_by_runs`)."""
    if not _steady_year(c, year, wages):
        return _benefits_by_runs(c, birth_year, year, index, wages, credited, spouse_death,
                                 inflation, tables)
    # A whole year before FRA keeps the reductions as claimed: the months withheld by the
    # earnings test count only from the FRA month on (as in `_benefits_by_month`).
    if credited == (0, 0) or year < c.fra_year:  # `_month_values` with no month credited
        m = year * 12  # January
        own = c.own if c.own_from is not None and m >= c.own_from else 0.0
        spousal = c.spousal if (c.spousal_from is not None and m >= c.spousal_from
                                and spouse_death is not None and year <= spouse_death) else 0.0
        survivor = c.survivor if c.survivor_from is not None and m >= c.survivor_from else 0.0
    else:
        own, spousal, survivor = _month_values(c, birth_year, _month(year, 1), credited, year,
                                               spouse_death, tables)
    value = (survivor if survivor > own else own) + spousal  # max(own, survivor) + spousal
    return (value * index * 12 if value else 0.0), 0.0, (0, 0)


def _steady_year(c: _Claim, year: int, wages: float) -> bool:
    """Whether every month of `year` pays the same: no own, spouse's or widow(er)'s benefit
    starts after January (20 CFR 404.310-.311, 404.330-.336), nor full retirement age
    (`c.events`), and the earnings test has no wages to count before FRA (20 CFR 404.415).
    A spouse's death ends the spouse's part by whole years here, so it needs no month loop."""
    return year not in c.events and not (wages > 0 and year < c.fra_year)


def _benefits_by_month(c: _Claim, birth_year: int, year: int, index: float, wages: float,
                       credited: tuple[int, int], spouse_death: int | None, inflation: float,
                       tables: LawTables) -> tuple[float, float, tuple[int, int]]:
    """`_benefits` worked out month by month: the reference for every year.

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


def _benefits_by_runs(c: _Claim, birth_year: int, year: int, index: float, wages: float,
                      credited: tuple[int, int], spouse_death: int | None, inflation: float,
                      tables: LawTables) -> tuple[float, float, tuple[int, int]]:
    """`_benefits_by_month` with each run of equal months (`_runs`) taken at once: the same
    values, counted and added in the same order, so the very same floats."""
    first = _month(year, 1)
    if wages <= 0 and credited == (0, 0):
        # No earnings test and no month withheld: the months before FRA and after it are
        # valued alike, so the year is one span of runs (the same months, in the same order);
        # `- 0.0` as `total - withheld` below (a float even when no month pays: `sum` gives 0).
        return _total(_runs(c, birth_year, first, first + 12, credited, year, spouse_death,
                            tables), index) - 0.0, 0.0, (0, 0)
    before = min(12, max(0, c.born + c.fra - first))  # months of the year before FRA
    early = _runs(c, birth_year, first, first + before, (0, 0), year, spouse_death, tables)
    held = None
    if wages > 0 and any(own or spousal for (own, spousal, _), _ in early):
        law = law_section(year, "ss_earnings_test", inflation)
        excess = earnings_test_excess(wages, before, before < 12, law)
        held = withhold(excess, [(own * index, spousal * index)
                                 for (own, spousal, _), n in early for _ in range(n)])
    months = (held.months, held.spousal_months) if held else (0, 0)
    later = (credited[0] + months[0], credited[1] + months[1])
    total = _total(early + _runs(c, birth_year, first + before, first + 12, later, year,
                                 spouse_death, tables), index)
    withheld = held.amount if held else 0.0
    return total - withheld, withheld, months


def _total(runs: list[tuple[tuple[float, float, float], int]], index: float) -> float:
    """The nominal benefits of runs of months (`_runs`): each month pays the larger of the own
    and the widow(er)'s benefit plus the spouse's part; equal values are counted together and
    added in the order they first appear (as `_benefits_by_month` adds them)."""
    months: dict[float, int] = {}
    for (own, spousal, survivor), n in runs:
        value = max(own, survivor) + spousal
        months[value] = months.get(value, 0) + n
    return sum(value * index * n for value, n in months.items() if value)


def _months(c: _Claim, birth_year: int, start: int, end: int, credited: tuple[int, int],
            year: int, spouse_death: int | None,
            tables: LawTables) -> list[tuple[float, float, float]]:
    """`_month_values` of months `start` to `end` (exclusive), one per month."""
    out: list[tuple[float, float, float]] = []
    for values, n in _runs(c, birth_year, start, end, credited, year, spouse_death, tables):
        out += [values] * n
    return out


def _runs(c: _Claim, birth_year: int, start: int, end: int, credited: tuple[int, int],
          year: int, spouse_death: int | None,
          tables: LawTables) -> list[tuple[tuple[float, float, float], int]]:
    """(`_month_values`, months) of each run of months from `start` to `end` (exclusive)
    between the claim dates, which are the only months where the values change."""
    starts = (c.own_from, c.spousal_from, c.survivor_from)
    edges = sorted({start, end, *(m for m in starts if m is not None and start < m < end)})
    return [(_month_values(c, birth_year, a, credited, year, spouse_death, tables), b - a)
            for a, b in zip(edges, edges[1:], strict=False)]


def _month_values(c: _Claim, birth_year: int, m: int, credited: tuple[int, int], year: int,
                  spouse_death: int | None, tables: LawTables) -> tuple[float, float, float]:
    """Month `m`'s (own, spouse's part, widow(er)'s) benefits in today's dollars, the reductions
    recomputed for `credited` months withheld (own, spouse's part)."""
    own = spousal = survivor = 0.0
    if c.own_from is not None and m >= c.own_from:
        if credited[0] and c.own_age < c.fra:
            own = c.pia * claim_factor(birth_year, min(c.own_age + credited[0], c.fra), tables)
        else:
            own = c.own
    if c.spousal_from is not None and m >= c.spousal_from and spouse_death is not None \
            and year <= spouse_death:
        if credited[1]:
            age = min(c.spousal_age + credited[1], c.fra)
            spousal = c.spousal_pia * spousal_factor(birth_year, age, tables)
        else:
            spousal = c.spousal
    if c.survivor_from is not None and m >= c.survivor_from:
        survivor = c.survivor
    return own, spousal, survivor


class _Other(NamedTuple):
    """A non-Social-Security income: its fields the year loop reads (copied once: a scenario
    model's attributes cost more to read) and the years it is paid, worked out (`_other`)."""

    kind: str
    owner: str | None
    annual: float
    inflation_adjusted: bool
    cola: float
    taxable: bool
    survivor_fraction: float
    premium: float | None
    start_year: int | None
    from_account: str | None
    first: int  # its first year
    end: int  # its last year paid to the owner (or to the household, without an owner)
    owner_death: int  # joint-and-survivor: the survivor is paid from the year after
    survivor: str | None  # the surviving spouse, for a joint-and-survivor pension
    survivor_end: int  # the last year paid to the survivor


def _other(inc: Income, start: int, last: int, death: dict[str, int],
           spouse: dict[str, str]) -> _Other:
    """`inc`'s years: from its `start_year` (default: the plan's) to its `end_year` (default:
    the owner's death, or the plan's end); a joint-and-survivor pension (`survivor_fraction`)
    then pays the surviving spouse from the year after the owner's death to the survivor's
    death (or its `end_year`)."""
    first = inc.start_year if inc.start_year is not None else start
    owner_death = death[inc.owner] if inc.owner else last
    end = inc.end_year if inc.end_year is not None else owner_death
    survivor, survivor_end = None, end
    if inc.survivor_fraction > 0:
        survivor = spouse[inc.owner]
        survivor_end = min(inc.end_year if inc.end_year is not None else last, death[survivor])
    return _Other(inc.kind, inc.owner, inc.annual, inc.inflation_adjusted, inc.cola, inc.taxable,
                  inc.survivor_fraction, inc.premium, inc.start_year, inc.from_account, first,
                  end, owner_death, survivor, survivor_end)


def _other_income(o: _Other, year: int, index: float) -> tuple[float, str | None]:
    """A non-Social-Security income's amount in `year` and who receives it: `annual`, in
    today's dollars if `inflation_adjusted` (`index`: the year's price level), or raised by
    `cola` a year from its first year; a survivor is paid `survivor_fraction` of it."""
    (_, owner, annual, adjusted, cola, _, fraction, _, _, _, first, end, owner_death, survivor,
     survivor_end) = o  # every field, at once
    if survivor is not None and year > owner_death:
        to, end, share = survivor, survivor_end, fraction
    else:
        to, share = owner, 1.0
    if not first <= year <= end:
        return 0.0, None
    amount = annual * (index if adjusted else 1.0)
    if cola:
        amount *= (1.0 + cola) ** (year - first)
    if share != 1.0:
        amount *= share
    return _cents(amount), to
