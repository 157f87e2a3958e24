"""Starting regimes read off engine projections (e.g. of the built-in strategies): the options
and IRMAA tiers that a projected path would make consistent, from its AGI, MAGI, taxable
Social Security, taxable income and balances."""

from __future__ import annotations

from planner.optimizer.model import K, Model
from planner.optimizer.search import Regime, Switchboard


def point(model: Model, rows) -> list[float]:
    """A point of the model with the quantities the switches look at filled in from `rows`
    (balances of a kind shared among its accounts in proportion to their opening balances)."""
    data = model.data
    x = [0.0] * len(model.program.lb)
    kinds: dict[str, float] = {}
    for acc in data.accounts:
        kinds[acc.kind] = kinds.get(acc.kind, 0.0) + acc.balance
    for a, acc in enumerate(data.accounts):
        x[model.index["balance", a, 0]] = acc.balance / K
    for t, row in enumerate(rows[:len(data.years)]):
        if t > 0:
            prev = rows[t - 1]
            start = {"cash": prev.end_cash, "taxable": prev.end_taxable,
                     "traditional": prev.end_traditional, "roth": prev.end_roth}
            for a, acc in enumerate(data.accounts):
                total = kinds[acc.kind]
                share = acc.balance / total if total > 0.0 else 0.0
                x[model.index["balance", a, t]] = start[acc.kind] * share / K
        ordinary = getattr(row, "ordinary_taxable_income", None)
        preferential = row.realized_gains if ordinary is None else row.taxable_income - ordinary
        values = {"agi": row.magi, "taxable_ss": row.taxable_social_security,
                  "other_income": row.agi - row.taxable_social_security,
                  "taxable_income": row.taxable_income, "qdg": max(0.0, preferential)}
        for name, value in values.items():
            if (name, t) in model.index:
                x[model.index[name, t]] = value / K
    return x


def regime_of(board: Switchboard, rows) -> Regime:
    """The consistent regime at the point of a projection."""
    return board.consistent(None, point(board.model, rows))
