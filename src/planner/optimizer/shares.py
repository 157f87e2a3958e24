"""The taxable share of a withdrawal, held fixed per year and account in the model.

With average-cost basis a withdrawal takes basis and gain in proportion, so the basis ratio of an
account changes only by growth (the balance grows, the basis does not) and by reinvested surplus
(a purchase at cost). `initial` follows growth alone; `simulated` adds the model's own reinvested
surplus; `from_replay` takes the gain share the engine realised (lots, step-ups and harvesting
included) for the years it drew on taxable accounts.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.optimizer.data import PlanData
from planner.optimizer.model import K, Model

Shares = list[list[float]]


def initial(data: PlanData) -> tuple[Shares, Shares]:
    """(gain share of taxable withdrawals, taxable share of traditional distributions)."""
    gains: Shares = []
    trad: Shares = []
    ratio = [acc.basis / acc.balance if acc.balance > 0.0 else 1.0 for acc in data.accounts]
    for _ in data.years:
        gains.append([max(0.0, 1.0 - r) if acc.kind == "taxable" else 0.0
                      for acc, r in zip(data.accounts, ratio, strict=True)])
        trad.append([min(1.0, max(0.0, 1.0 - r)) if acc.kind == "traditional" else 0.0
                     for acc, r in zip(data.accounts, ratio, strict=True)])
        ratio = [r / (1.0 + acc.growth) if acc.growth > -1.0 else r
                 for acc, r in zip(data.accounts, ratio, strict=True)]
    return gains, trad


def simulated(model: Model, x: Sequence[float], gains: Shares) -> Shares:
    """Gain shares along the model's solution x, with its reinvested surplus bought at cost."""
    data = model.data
    out = [list(row) for row in gains]
    for a, acc in enumerate(data.accounts):
        if acc.kind != "taxable":
            continue
        basis = acc.basis / K
        for t in range(len(data.years)):
            balance = x[model.index["balance", a, t]]
            taken = x[model.index["withdraw", a, t]]
            if balance > 1e-9:
                out[t][a] = min(1.0, max(0.0, 1.0 - basis / balance))
                basis *= max(0.0, 1.0 - taken / balance)
            if a == data.reinvest_index:
                basis += x[model.index["surplus", t]]
    return out


def from_replay(model: Model, x: Sequence[float], gains: Shares, rows) -> Shares:
    """The engine's realised gain share in the years where the model and the replay both drew on
    taxable accounts (one share for all of that year's taxable accounts)."""
    data = model.data
    out = [list(row) for row in gains]
    taxable = [a for a, acc in enumerate(data.accounts) if acc.kind == "taxable"]
    for t, row in enumerate(rows[:len(data.years)]):
        planned = sum(x[model.index["withdraw", a, t]] for a in taxable)
        if row.withdraw_taxable > 1.0 and planned * K > 1.0:
            share = min(1.0, max(0.0, row.realized_gains / row.withdraw_taxable))
            for a in taxable:
                out[t][a] = share
    return out


def change(model: Model, x: Sequence[float], old: Shares, new: Shares) -> float:
    """Dollars of gain the model would see differently with `new` shares at x."""
    total = 0.0
    for t, (o, n) in enumerate(zip(old, new, strict=True)):
        for a, acc in enumerate(model.data.accounts):
            if acc.kind == "taxable":
                total += abs(n[a] - o[a]) * x[model.index["withdraw", a, t]] * K
    return total
