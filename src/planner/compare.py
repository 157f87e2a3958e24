"""`planner compare`: the same household under several withdrawal orders and conversion policies.

A variant is written `ORDER` or `ORDER+CONVERSION`, where CONVERSION is `none`, `scenario` (the
file's own policy), `bracket-R` (up to the top of the R bracket, e.g. `bracket-0.22`) or `irmaa-T`
(below IRMAA tier T's threshold, e.g. `irmaa-0`); `+CONVERSION` alone keeps the file's order.

The best variant is the one with the largest after-tax estate among those that fund every year
(if none does, among all), ties (within a cent) broken by the lower lifetime federal tax.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.conversions import describe
from planner.engine import Projection, project
from planner.errors import PlannerError
from planner.rules import rules_for_year
from planner.scenario import RothConversion, Scenario
from planner.strategies import ORDERS


@dataclass(frozen=True, slots=True)
class Variant:
    withdrawal_order: str
    roth_conversion: RothConversion | None

    @property
    def label(self) -> str:
        return f"{self.withdrawal_order}+{_conversion_label(self.roth_conversion)}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One variant's lifetime figures; `years_in_bracket` maps each ordinary rate to the number
    of years whose marginal ordinary rate it was."""

    variant: Variant
    lifetime_federal_tax: float
    lifetime_irmaa: float
    after_tax_estate: float
    first_shortfall_year: int | None
    years_in_bracket: tuple[tuple[float, int], ...]
    best: bool = False


def _conversion_label(policy: RothConversion | None) -> str:
    if policy is None:
        return "none"
    if policy.amounts is None and not policy.until_age and not policy.stop_at_rmd:
        if policy.up_to_irmaa_tier is None:
            return f"bracket-{policy.up_to_bracket:g}"
        if policy.up_to_bracket is None:
            return f"irmaa-{policy.up_to_irmaa_tier}"
    return "scenario: " + describe(policy)


def _conversion(text: str, scenario: Scenario, rates: tuple[float, ...],
                tiers: int) -> RothConversion | None:
    bad = PlannerError(
        f"unknown conversion {text!r}: use none, scenario, bracket-RATE (one of "
        f"{', '.join(f'{r:g}' for r in rates)}) or irmaa-TIER (0 to {tiers - 1})",
        key="--strategies")
    if text == "none":
        return None
    if text == "scenario":
        return scenario.strategy.roth_conversion
    kind, _, value = text.partition("-")
    try:
        if kind == "bracket" and float(value) in rates:
            return RothConversion(up_to_bracket=float(value))
        if kind == "irmaa" and 0 <= int(value) < tiers:
            return RothConversion(up_to_irmaa_tier=int(value))
    except ValueError:
        raise bad from None
    raise bad


def parse_variants(text: str | None, scenario: Scenario) -> list[Variant]:
    """The variants of `--strategies` (or the default set), without duplicates, in order.

    Default: every withdrawal order with the file's conversion policy, then the file's order
    with no conversions, conversions up to the tops of the second, third and fourth brackets
    (12%, 22%, 24% today) and below the first IRMAA threshold."""
    law = rules_for_year(scenario.plan.start_year, scenario.assumptions.inflation).single
    rates, tiers = law.bracket_rates[:-1], len(law.irmaa_thresholds)
    st = scenario.strategy
    if text is None:
        items = [f"{order}+scenario" for order in ORDERS]
        defaults = ["none", *(f"bracket-{r:g}" for r in rates[1:4]), "irmaa-0"]
        items += [f"{st.withdrawal_order}+{c}" for c in defaults]
    else:
        items = [item.strip() for item in text.split(",") if item.strip()]
        if not items:
            raise PlannerError("give at least one strategy", key="--strategies")
    out: list[Variant] = []
    for item in items:
        order, _, conversion = item.partition("+")
        order = order or st.withdrawal_order
        if order not in ORDERS:
            raise PlannerError(f"unknown withdrawal order {order!r}: use one of "
                               f"{', '.join(ORDERS)}", key="--strategies")
        policy = (st.roth_conversion if not conversion
                  else _conversion(conversion, scenario, rates, tiers))
        variant = Variant(order, policy)
        if variant not in out:
            out.append(variant)
    return out


def with_variant(scenario: Scenario, variant: Variant) -> Scenario:
    """The scenario with the variant's withdrawal order and conversion policy."""
    strategy = scenario.strategy.model_copy(update={
        "withdrawal_order": variant.withdrawal_order,
        "roth_conversion": variant.roth_conversion})
    return scenario.model_copy(update={"strategy": strategy})


def outcome(variant: Variant, projection: Projection, rates: tuple[float, ...]) -> Outcome:
    s = projection.summary
    counts = {rate: 0 for rate in rates}
    for r in projection.years:
        counts[r.ordinary_bracket] = counts.get(r.ordinary_bracket, 0) + 1
    return Outcome(variant, s.lifetime_federal_tax, s.lifetime_irmaa, s.after_tax_estate,
                   s.first_shortfall_year, tuple(sorted(counts.items())))


def compare(scenario: Scenario, variants: list[Variant]) -> list[Outcome]:
    """Project every variant; the best is marked (see the module docstring)."""
    rates = rules_for_year(scenario.plan.start_year, scenario.assumptions.inflation) \
        .single.bracket_rates
    outcomes = [outcome(v, project(with_variant(scenario, v)), rates) for v in variants]
    funded = [o for o in outcomes if o.first_shortfall_year is None] or outcomes
    top = max(o.after_tax_estate for o in funded)
    best = min((o for o in funded if top - o.after_tax_estate < 0.005),
               key=lambda o: o.lifetime_federal_tax)
    return [Outcome(o.variant, o.lifetime_federal_tax, o.lifetime_irmaa, o.after_tax_estate,
                    o.first_shortfall_year, o.years_in_bracket, o is best) for o in outcomes]


def rows(outcomes: list[Outcome]) -> list[dict[str, object]]:
    """One flat row per variant (for CSV and JSON)."""
    out = []
    for o in outcomes:
        row: dict[str, object] = {
            "strategy": o.variant.label,
            "withdrawal_order": o.variant.withdrawal_order,
            "roth_conversion": _conversion_label(o.variant.roth_conversion),
            "lifetime_federal_tax": o.lifetime_federal_tax,
            "lifetime_irmaa": o.lifetime_irmaa,
            "after_tax_estate": o.after_tax_estate,
            "first_shortfall_year": o.first_shortfall_year,
        }
        for rate, years in o.years_in_bracket:
            row[f"years_at_{rate * 100:g}pct"] = years
        row["best"] = o.best
        out.append(row)
    return out
