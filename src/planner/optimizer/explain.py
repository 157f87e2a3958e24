"""Which limits the optimised plan runs into, year by year: brackets filled to their tops, the
0% gains band, IRMAA thresholds, RMDs taken as they are, the 85% Social Security cap, and the
estate floor. Figures quoted are the law's (bracket tops, thresholds), not the solver's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.optimizer.model import K, Model

EPS = 1e-6  # k$: a limit within a thousandth of a dollar binds


@dataclass(frozen=True, slots=True)
class Note:
    year: int
    kind: str
    text: str


def _brackets(model: Model, x: Sequence[float], t: int) -> list[Note]:
    y = model.data.years[t]
    st = y.rules.status(y.status)
    rates = st.bracket_rates
    filled = [x[model.index["bracket", t, k]] for k in range(len(rates))]
    top = max((k for k, v in enumerate(filled) if v > EPS), default=None)
    notes = []
    if top is not None and top + 1 < len(rates):
        width = (st.bracket_floors[top + 1] - st.bracket_floors[top]) / K
        if filled[top] >= width - EPS:
            notes.append(Note(y.year, "bracket",
                              f"ordinary taxable income fills the {rates[top]:.0%} bracket to "
                              f"its top (${st.bracket_floors[top + 1]:,.0f})"))
    if ("layer", t, 0) in model.index and x[model.index["qdg", t]] > EPS:
        ti = x[model.index["taxable_income", t]]
        if abs(ti - st.cg_zero_top / K) <= EPS:
            notes.append(Note(y.year, "gains", "taxable income at the top of the 0% gains band "
                                               f"(${st.cg_zero_top:,.0f})"))
    return notes


def _rmds(model: Model, x: Sequence[float], t: int) -> list[Note]:
    y = model.data.years[t]
    notes = []
    for a, acc in enumerate(model.data.accounts):
        if y.rmd_divisor[a] <= 0.0 or x[model.index["balance", a, t]] <= EPS:
            continue
        taken = x[model.index["withdraw", a, t]]
        if ("qcd", a, t) in model.index:
            taken += x[model.index["qcd", a, t]]
        if taken <= x[model.index["balance", a, t]] / y.rmd_divisor[a] + EPS:
            notes.append(Note(y.year, "rmd", f"{acc.name}: only the RMD is taken "
                                             f"(divisor {y.rmd_divisor[a]:g})"))
    return notes


def notes(model: Model, x: Sequence[float], regime) -> tuple[Note, ...]:
    """The binding limits of solution x (with the search's `regime`), in year order."""
    data = model.data
    out: list[Note] = []
    for t, _ in enumerate(data.years):
        out += _brackets(model, x, t)
        out += _rmds(model, x, t)
    switched = [c for c in model.choices if c.switches]
    for choice, k in zip(switched, regime.options, strict=True):
        capped = k == len(choice.options) - 1 and not choice.options[k][0].terms
        if choice.name[0] == "ss" and capped:
            y = data.years[choice.name[1]]
            out.append(Note(y.year, "social_security",
                            f"Social Security taxable at the {y.rules.ss_rate_2:.0%} cap"))
    for tiers, level in zip(model.tiers, regime.levels, strict=True):
        if level >= len(tiers.switches):
            continue
        magi = sum(c * x[i] for i, c in tiers.magi)
        if magi >= tiers.edges[level] - EPS:
            y = data.years[tiers.year]
            src = data.years[tiers.lookback]
            threshold = y.rules.status(y.irmaa.status).irmaa_thresholds[level]
            out.append(Note(src.year, "irmaa",
                            f"MAGI held under the IRMAA threshold of ${threshold:,.0f} (tier "
                            f"{level + 1} of {y.year} premiums)"))
    if "estate_floor" in {n[0] for n in model.rows if isinstance(n, tuple)}:
        row = model.rows["estate_floor",]
        prog = model.program
        value = sum(c * x[i] for i, c in zip(prog.rows[row], prog.coefs[row], strict=True))
        if value <= prog.row_lb[row] + EPS:
            out.append(Note(data.years[-1].year, "estate",
                            "after-tax estate at the floor ([spending] estate_floor)"))
    order = {"bracket": 0, "gains": 1, "social_security": 2, "irmaa": 3, "rmd": 4, "estate": 5}
    return tuple(sorted(out, key=lambda n: (n.year, order[n.kind])))
