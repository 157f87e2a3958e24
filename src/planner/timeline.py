"""What each year of the plan brings whatever the balances: who is alive, the filing status,
spending, Social Security and other incomes, QCD eligibility and Medicare enrollment.

These depend only on the scenario, so they are worked out once, before the year loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from planner.rmd import first_rmd_year
from planner.rules import LawTables
from planner.social_security import claim_factor, claim_start, months_paid

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
    own, survivor_base = _benefit_bases(scenario, death, tables)
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
        index = (1.0 + inflation) ** (year - start)
        widowed = len(people) == 2 and len(alive) == 1
        benefits = []
        for p in alive:
            amount = 0.0
            if p.name in own:
                base, first = own[p.name]
                amount = base * index * months_paid(year, first)
            for other, base in survivor_base.get(p.name, ()):
                if death[other] < year and year - p.birth_year >= 60:
                    amount = max(amount, base * index * 12)
            benefits.append(amount)
        other_total = 0.0
        taxable: list[float] = []
        for inc in others:
            amount = _other_income(inc, year, start, index, death, last)
            other_total += amount
            if inc.taxable:
                taxable.append(amount)
        medicare = [12 if year > medicare_from[p.name] else 13 - p.birth_month
                    for p in alive if year >= medicare_from[p.name]]
        out.append(YearFacts(
            year,
            tuple([p.name for p in alive]),
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
        ))
    return out


def _benefit_bases(scenario: Scenario, death: dict[str, int], tables: LawTables):
    """Per person: (PIA x own claiming factor, first benefit month); and for each spouse who may
    leave a survivor benefit, PIA x the deceased's factor (a year's benefit is that, times the
    price index, times the months paid).

    A survivor gets the larger of their own benefit and the deceased spouse's from the year after
    the death, from age 60 (simplified survivor rule; see docs/MODELING.md). A spouse who died
    before claiming is treated as if they had claimed at the age of death (62 to 70)."""
    starts = {}
    for inc in scenario.income:
        if inc.kind == "social_security":
            p = scenario.person(inc.owner)
            starts[inc.owner] = (inc.pia, claim_start(p.birth_year, p.birth_month, inc.claim_age))
    own = {}
    for name, (pia, start) in starts.items():
        p = scenario.person(name)
        claim_months = (start[0] - p.birth_year) * 12 + (start[1] - p.birth_month)
        own[name] = (pia * claim_factor(p.birth_year, claim_months, tables), start)
    survivor: dict[str, list[tuple[str, float]]] = {}
    for person in scenario.people:
        for other in scenario.people:
            if other.name == person.name or other.name not in starts:
                continue
            pia, start = starts[other.name]
            died = death[other.name]
            if (start[0], start[1]) > (died, 12):
                age_months = min(max((died - other.birth_year) * 12, 62 * 12), 70 * 12)
                start = ((other.birth_year * 12 + other.birth_month - 1 + age_months) // 12,
                         (other.birth_month - 1 + age_months) % 12 + 1)
            claim_months = (start[0] - other.birth_year) * 12 + (start[1] - other.birth_month)
            survivor.setdefault(person.name, []).append(
                (other.name, pia * claim_factor(other.birth_year, claim_months, tables)))
    return own, survivor


def _other_income(inc, year: int, start: int, index: float, death: dict[str, int],
                  last: int) -> float:
    first = inc.start_year if inc.start_year is not None else start
    end = inc.end_year if inc.end_year is not None else (death[inc.owner] if inc.owner else last)
    if not first <= year <= end:
        return 0.0
    return _cents(inc.annual * (index if inc.inflation_adjusted else 1.0))
