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


def strategies(scenario) -> list[tuple[str, object]]:
    """(label, scenario) for each built-in strategy and conversion policy the scenario model
    accepts; the scenario's QCDs and other strategy keys are kept."""
    from pydantic import ValidationError

    from planner.scenario import Strategy

    base = scenario.strategy.model_dump(exclude={"withdrawal_order", "roth_conversion",
                                                 "fill_bracket"})
    orders = typing.get_args(Strategy.model_fields["withdrawal_order"].annotation)
    out = []
    for order in orders:
        fills = FILL_BRACKETS if order == "bracket-fill" else (None,)
        for fill in fills:
            for conversion in (None, *CONVERSIONS):
                fields = dict(base, withdrawal_order=order)
                if fill is not None:
                    fields["fill_bracket"] = fill
                if conversion is not None:
                    fields["roth_conversion"] = conversion
                try:
                    strategy = Strategy.model_validate(fields)
                except ValidationError:
                    continue
                out.append((_label(order, fill, conversion),
                            scenario.model_copy(update={"strategy": strategy})))
    return out


SEEDS = (("traditional-first", {"up_to_irmaa_tier": 0}),
         ("traditional-first", {"up_to_irmaa_tier": 1}),
         ("conventional", {"up_to_bracket": 0.22}))


def seed_scenarios(scenario) -> list[object]:
    """A few built-in strategies whose projected paths make good starting points."""
    from pydantic import ValidationError

    from planner.scenario import Strategy

    base = scenario.strategy.model_dump(exclude={"withdrawal_order", "roth_conversion"})
    out = []
    for order, conversion in SEEDS:
        fields = dict(base, withdrawal_order=order)
        if conversion is not None:
            fields["roth_conversion"] = conversion
        try:
            strategy = Strategy.model_validate(fields)
        except ValidationError:
            continue
        out.append(scenario.model_copy(update={"strategy": strategy}))
    return out
