"""The built-in strategies an optimised plan is measured against: every withdrawal order the
scenario file accepts, each with no conversion and with the conversion policies it accepts
(fill a bracket, stay under an IRMAA tier)."""

from __future__ import annotations

import typing

CONVERSIONS = ({"up_to_bracket": 0.12}, {"up_to_bracket": 0.22}, {"up_to_bracket": 0.24},
               {"up_to_irmaa_tier": 0}, {"up_to_irmaa_tier": 1},
               {"up_to_bracket": 0.22, "up_to_irmaa_tier": 0})
FILL_BRACKETS = (0.12, 0.22)


def _label(order: str, fill: float | None, conversion) -> str:
    text = order if fill is None else f"{order} {fill:.0%}"
    if conversion is None:
        return text
    return text + " + convert " + ", ".join(f"{k}={v}" for k, v in conversion.items())


def _variant(scenario, base: dict, **fields):
    """The scenario with its strategy replaced by `base` plus `fields`; None where the scenario
    model refuses that combination."""
    from pydantic import ValidationError

    from planner.scenario import Strategy

    try:
        strategy = Strategy.model_validate(
            dict(base, **{k: v for k, v in fields.items() if v is not None}))
    except ValidationError:
        return None
    return scenario.model_copy(update={"strategy": strategy})


def strategies(scenario) -> list[tuple[str, object]]:
    """(label, scenario) for each built-in strategy and conversion policy the scenario model
    accepts; the scenario's QCDs and other strategy keys are kept."""
    from planner.scenario import Strategy

    base = scenario.strategy.model_dump(exclude={"withdrawal_order", "roth_conversion",
                                                 "fill_bracket"})
    orders = typing.get_args(Strategy.model_fields["withdrawal_order"].annotation)
    out = []
    for order in orders:
        fills = FILL_BRACKETS if order == "bracket-fill" else (None,)
        for fill in fills:
            for conversion in (None, *CONVERSIONS):
                variant = _variant(scenario, base, withdrawal_order=order, fill_bracket=fill,
                                   roth_conversion=conversion)
                if variant is not None:
                    out.append((_label(order, fill, conversion), variant))
    return out


SEEDS = (("traditional-first", {"up_to_irmaa_tier": 0}),
         ("traditional-first", {"up_to_irmaa_tier": 1}),
         ("conventional", {"up_to_bracket": 0.22}),
         # no conversions: low-income years, below the Marketplace credit's cliff
         ("traditional-first", None))


def seed_scenarios(scenario) -> list[object]:
    """A few built-in strategies whose projected paths make good starting points."""
    base = scenario.strategy.model_dump(exclude={"withdrawal_order", "roth_conversion"})
    variants = (_variant(scenario, base, withdrawal_order=order, roth_conversion=conversion)
                for order, conversion in SEEDS)
    return [v for v in variants if v is not None]
