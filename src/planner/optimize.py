"""`planner optimize`: year-by-year withdrawals and Roth conversions chosen by linear
programming, then replayed through the engine so that every reported number is the engine's.

1. A base projection of the scenario as written gives the facts no plan changes (Social
   Security, other income, filing status, spending) to `planner.optimizer.data`.
2. `planner.optimizer.model` writes the whole plan as one mixed-integer program (HiGHS, through
   highspy); `planner.optimizer.search` sets its switches by a local search over LPs solved warm.
3. The gain share of taxable withdrawals, fixed in the model, is recomputed from the solution
   (reinvested surplus) and from the engine's replay (lots, step-ups), and the model re-solved.
4. The schedule (`planner.schedule`) is replayed with `planner.engine.project(scenario,
   schedule=...)`. For max-spending, the spending it sustains is the largest `spending_annual`
   whose replay has no shortfall and leaves the estate floor (bisection on the replay).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from planner.optimizer import shares as share_rules
from planner.optimizer.compare import seed_scenarios
from planner.optimizer.data import PlanData, plan_data
from planner.optimizer.explain import Note, notes
from planner.optimizer.extract import schedule_of
from planner.optimizer.model import K, Model, build
from planner.optimizer.search import Found, Searcher
from planner.optimizer.seeds import regime_of
from planner.schedule import Schedule

OBJECTIVES = ("max-spending", "max-estate")
SEARCH_SOLVES = 200  # LP solves of the main search (each a few milliseconds, warm)
REFINE_SOLVES = 40  # LP solves of each search again after the gain shares change
TIME_LIMIT = 20.0  # seconds: a safety net only; the solve counts bound the work
IRMAA_MARGIN = 1.0  # dollars the plan keeps its MAGI under each IRMAA threshold
SHARE_TOLERANCE = 50.0  # dollars of mis-stated gain that are worth another solve
SPENDING_TOLERANCE = 1.0  # dollars a year: precision of the sustainable-spending bisection
BASELINE_TOLERANCE = 100.0  # dollars a year: precision of the scenario-as-written comparison
CUSHION = 1.0  # dollars per plan year the max-spending plan leaves above the estate floor, for
# the engine's rounding to cents


class Infeasible(Exception):
    """No plan meets the scenario: `key` is the scenario key whose demand cannot be met."""

    def __init__(self, key: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass(frozen=True, slots=True)
class Result:
    """The optimised schedule and the engine's replay of it, with the scenario as written for
    comparison. Values: sustainable spending (today's $) or after-tax estate (nominal $)."""

    objective: str
    schedule: Schedule
    projection: object
    baseline: object
    value: float
    baseline_value: float
    planned_value: float
    notes: tuple[Note, ...]
    solves: int
    seconds: float


def replay_scenario(scenario):
    """The scenario a schedule is replayed on: its own conversion policy, if any, is dropped
    (the schedule's conversions replace it)."""
    policy = getattr(scenario.strategy, "roth_conversion", None)
    if policy is None or policy == "none":
        return scenario
    return scenario.model_copy(update={
        "strategy": scenario.strategy.model_copy(update={"roth_conversion": None})})


def with_spending(scenario, annual: float):
    """The scenario with `[spending] annual` replaced."""
    return scenario.model_copy(update={
        "spending": scenario.spending.model_copy(update={"annual": annual})})


def estate_floor(scenario, last_year: int) -> float:
    """The estate floor in dollars of the last plan year (grown with inflation like spending)."""
    floor = getattr(scenario.spending, "estate_floor", 0.0)
    return floor * (1.0 + scenario.assumptions.inflation) ** (last_year - scenario.plan.start_year)


def _meets(projection, floor: float) -> bool:
    s = projection.summary
    return s.first_shortfall_year is None and s.after_tax_estate >= floor - 0.005


def sustainable_spending(run, floor: float, guess: float, tolerance: float = SPENDING_TOLERANCE,
                         step: float = 0.02) -> tuple[float, object]:
    """The largest spending S (today's $) for which `run(S)` (a projection) has no shortfall and
    leaves `floor`, with its projection: bracketed from `guess` (steps of `step`, doubling), then
    bisection to `tolerance`."""
    def meets(s: float):
        p = run(s)
        return _meets(p, floor), p

    lo, hi = max(guess, 1.0), None
    good, lo_run = meets(lo)
    if good:
        grow = step
        for _ in range(40):
            trial = lo * (1.0 + grow)
            good, p = meets(trial)
            if not good:
                hi = trial
                break
            lo, lo_run, grow = trial, p, grow * 2.0
        if hi is None:
            return lo, lo_run
    else:
        hi = lo
        while True:
            trial = hi * (1.0 - step)
            if trial < tolerance:
                good, p = meets(0.0)
                if not good:
                    return 0.0, p
                lo, lo_run = 0.0, p
                break
            good, p = meets(trial)
            if good:
                lo, lo_run = trial, p
                break
            hi, step = trial, min(0.5, step * 2.0)
    while hi - lo > tolerance:
        mid = (lo + hi) / 2.0
        good, p = meets(mid)
        if good:
            lo, lo_run = mid, p
        else:
            hi = mid
    return lo, lo_run


def _set_gains(model: Model, searcher: Searcher, old, new) -> None:
    for t, (o, n) in enumerate(zip(old, new, strict=True)):
        row = model.rows["gains", t]
        for a, acc in enumerate(model.data.accounts):
            if acc.kind == "taxable" and abs(o[a] - n[a]) > 1e-12:
                searcher.set_coefficient(row, model.index["withdraw", a, t], -max(0.0, n[a]))


def _diagnose(objective: str, data: PlanData, scenario, floor: float, gains, trad) -> Infeasible:
    """Why no plan exists: the spending cannot be funded, or the estate floor not reached."""

    if objective == "max-estate":
        model = build(data, "max-spending", 0.0, gains, trad, IRMAA_MARGIN)
        searcher = Searcher(model)
        found = searcher.search(searcher.budget(SEARCH_SOLVES // 2, TIME_LIMIT))
        most = found.solution.x[model.index["spending",]] * K if found else 0.0
        return Infeasible(("spending", "annual"),
                          f"{scenario.spending.annual:,.0f} a year cannot be funded in every year:"
                          f" this household can sustain at most about {most:,.0f} a year "
                          "(today's $)")
    model = build(data, "max-estate", 0.0, gains, trad, IRMAA_MARGIN, spending_annual=0.0)
    searcher = Searcher(model)
    found = searcher.search(searcher.budget(SEARCH_SOLVES // 2, TIME_LIMIT))
    most = found.solution.objective * K if found else 0.0
    index = floor / max(getattr(scenario.spending, "estate_floor", 0.0), 1e-9)
    return Infeasible(("spending", "estate_floor"),
                      "cannot be reached: even with no spending the after-tax estate is at most "
                      f"about {most / index if index else most:,.0f} (today's $)")


def optimize(scenario, objective: str, solves: int = SEARCH_SOLVES,
             time_limit: float = TIME_LIMIT) -> Result:
    """Choose each year's withdrawals and conversions for `objective` and replay them."""
    from concurrent.futures import ThreadPoolExecutor

    from planner import engine

    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}")
    started = time.perf_counter()
    baseline = engine.project(scenario)
    target = replay_scenario(scenario)
    data = plan_data(target)
    floor = estate_floor(scenario, data.years[-1].year) if objective == "max-spending" else 0.0
    gains, trad = share_rules.initial(data)
    cushion = CUSHION * len(data.years) if objective == "max-spending" else 0.0
    model = build(data, objective, floor + cushion, gains, trad, IRMAA_MARGIN)
    searcher = Searcher(model)
    board = searcher.boards[0]
    # The engine runs (pure Python) go on in a thread while HiGHS solves (which frees the GIL).
    with ThreadPoolExecutor(max_workers=1) as background:
        compared = background.submit(_scenario_value, engine, scenario, objective, floor,
                                     baseline)

        def later(best):
            """Project the built-in seed strategies (for max-spending at the best spending so
            far, nearer the optimum than the scenario's) in the background."""
            scenarios = seed_scenarios(scenario)
            if objective == "max-spending" and best is not None:
                spend = best.solution.x[model.index["spending",]] * K
                scenarios = [with_spending(s, spend) for s in [scenario, *scenarios]]
            paths = [background.submit(engine.project, s) for s in scenarios]
            return lambda: [regime_of(board, p.result().years) for p in paths]

        found = searcher.search(searcher.budget(solves, time_limit),
                                [regime_of(board, baseline.years)], later)
        if found is None:
            raise _diagnose(objective, data, scenario, floor, gains, trad)
        for _ in range(2):
            new = share_rules.simulated(model, found.solution.x, gains)
            if share_rules.change(model, found.solution.x, gains, new) < SHARE_TOLERANCE:
                break
            _set_gains(model, searcher, gains, new)
            gains = new
            again = searcher.refine(found, searcher.budget(REFINE_SOLVES, time_limit))
            if again is None:
                break
            found = again

        best = _replay(engine, target, model, found, objective, floor)
        correction = share_rules.from_replay(model, found.solution.x, gains, best[3].years)
        if share_rules.change(model, found.solution.x, gains, correction) >= SHARE_TOLERANCE:
            _set_gains(model, searcher, gains, correction)
            again = searcher.refine(found, searcher.budget(REFINE_SOLVES, time_limit))
            if again is not None:
                second = _replay(engine, target, model, again, objective, floor)
                if second[2] > best[2]:
                    best, found = second, again
        baseline_value = compared.result()
    schedule, projection, value, _ = best
    if objective == "max-spending":
        planned = found.solution.x[model.index["spending",]] * K
    else:
        planned = _planned_estate(model, found.solution.x)
    return Result(objective, schedule, projection, baseline, value, baseline_value, planned,
                  notes(model, found.solution.x, found.regime), searcher.solves,
                  time.perf_counter() - started)


def _scenario_value(engine, scenario, objective: str, floor: float, baseline) -> float:
    """The objective reached by the scenario as written: its after-tax estate, or the spending
    its own strategy sustains (to `BASELINE_TOLERANCE`)."""
    if objective == "max-estate":
        return baseline.summary.after_tax_estate
    value, _ = sustainable_spending(lambda s: engine.project(with_spending(scenario, s)), floor,
                                    scenario.spending.annual, tolerance=BASELINE_TOLERANCE,
                                    step=0.02)
    return value


def _planned_estate(model: Model, x) -> float:
    """The solver's after-tax estate (nominal $) at the end of the plan."""
    data = model.data
    last = len(data.years)
    return K * sum(x[model.index["balance", a, last]]
                   * ((1.0 - data.heir_tax_rate) if acc.kind == "traditional" else 1.0)
                   for a, acc in enumerate(data.accounts))


def _replay(engine, scenario, model: Model, found: Found, objective: str,
            floor: float) -> tuple[Schedule, object, float, object]:
    """(schedule, engine projection, objective value, projection at the planned spending) of a
    solution; for max-spending the schedule's spending is the most its replay sustains."""
    x = found.solution.x
    if objective == "max-estate":
        schedule = schedule_of(model, x, None)
        projection = engine.project(scenario, schedule=schedule)
        return schedule, projection, projection.summary.after_tax_estate, projection
    planned = x[model.index["spending",]] * K
    plain = schedule_of(model, x, planned)
    runs: dict[float, object] = {}

    def run(spending: float):
        spending = round(spending, 2)
        if spending not in runs:
            runs[spending] = engine.project(scenario, schedule=Schedule(spending, plain.years))
        return runs[spending]

    value, projection = sustainable_spending(run, floor, planned,
                                             step=SPENDING_TOLERANCE / max(planned, 1.0))
    value = round(value, 2)
    return Schedule(value, plain.years), projection, value, run(planned)
