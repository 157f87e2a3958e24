"""The schedule a model solution stands for: nominal withdrawals beyond the engine's own RMDs,
and Roth conversions, by year and account."""

from __future__ import annotations

from collections.abc import Sequence

from planner.optimizer.model import K, Model
from planner.schedule import Schedule, make_schedule

MIN_AMOUNT = 1.0  # dollars: smaller planned moves are solver noise and are left out


def schedule_of(model: Model, x: Sequence[float], spending_annual: float | None) -> Schedule:
    """Withdrawals (traditional: what the plan takes beyond the year's RMD net of QCDs, which the
    engine takes first) and conversions, rounded to cents."""
    data = model.data
    years = {}
    for t, y in enumerate(data.years):
        withdrawals: dict[str, float] = {}
        conversions: dict[str, float] = {}
        for a, acc in enumerate(data.accounts):
            amount = x[model.index["withdraw", a, t]] * K
            if y.rmd_divisor[a] > 0.0:
                qcd = x[model.index["qcd", a, t]] * K if ("qcd", a, t) in model.index else 0.0
                rmd = x[model.index["balance", a, t]] * K / y.rmd_divisor[a]
                amount -= max(0.0, rmd - qcd)
            if amount >= MIN_AMOUNT:
                withdrawals[acc.name] = round(amount, 2)
            if ("convert", a, t) in model.index:
                converted = x[model.index["convert", a, t]] * K
                if converted >= MIN_AMOUNT:
                    conversions[acc.name] = round(converted, 2)
        if withdrawals or conversions:
            years[y.year] = (withdrawals, conversions)
    return make_schedule(spending_annual, years)
