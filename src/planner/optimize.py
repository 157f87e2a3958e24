"""`planner optimize`: year-by-year withdrawals and Roth conversions chosen by linear
programming, then replayed through the engine so that every reported number is the engine's.

1. `planner.optimizer.data` reads each year's facts from the engine's own timeline (who is
   alive, filing status, spending, Social Security, other income, QCDs, Medicare months).
2. `planner.optimizer.model` writes the whole plan as one mixed-integer program;
   `planner.optimizer.search` sets its switches by a local search over LPs that HiGHS (highspy)
   re-solves warm, starting among others from the regimes of engine projections of the
   scenario and of a few built-in strategies (projected in a thread while HiGHS solves).
3. The gain share of taxable withdrawals, fixed in the model, is recomputed from the solution
   (reinvested surplus) and from the engine's replay (lots, step-ups), and the model re-solved.
4. The schedule (`planner.schedule`) is replayed with `planner.engine.project(scenario,
   schedule=...)`. If the replay's MAGI crossed an IRMAA threshold the plan meant to stay under,
   that year is planned with a wider margin and the better replay kept. For max-spending, the
   spending a schedule sustains is the largest `spending_annual` whose replay has no shortfall
   and leaves the estate floor (regula falsi on the replay).
"""

from __future__ import annotations

import math
import threading
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
SPENDING_TOLERANCE = 1.0  # dollars a year: precision of the sustainable-spending search
BASELINE_TOLERANCE = 250.0  # dollars a year: precision of the scenario-as-written comparison
REPAIRS = 2  # times a plan is re-solved after its replay crossed an IRMAA threshold
REPAIR_SOLVES = 60  # LP solves of each such re-solve
REPAIR_BUFFER = 50.0  # dollars kept below the threshold beyond the replay's excess
CUSHION = 1.0  # dollars per plan year the max-spending plan leaves above the estate floor, for
# the engine's rounding to cents


class Infeasible(Exception):
    """No plan meets the scenario: `key` is the scenario key whose demand cannot be met."""

    def __init__(self, key: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


class NotModelled(Exception):
    """The scenario uses something the optimiser's model does not have yet (`key`)."""

    def __init__(self, key: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.key = key  # array entries counted from 0, as scenario key paths are
        self.message = message


def not_modelled(scenario) -> NotModelled | None:
    """What the engine has and the linear model does not yet: annuities bought from an IRA,
    HSAs and contributions. A schedule optimised without them could lose to the built-in
    strategies, so the optimiser refuses such a scenario (exit 2, naming the key)."""
    for i, inc in enumerate(scenario.income):
        if inc.premium is not None:
            return NotModelled(("income", i, "premium"), "annuities bought from an "
                               "IRA are not in the optimiser's model yet; use `planner project`")
    for i, acc in enumerate(scenario.accounts):
        if acc.kind == "hsa":
            return NotModelled(("accounts", i, "kind"), "HSAs are not in the optimiser's model "
                               "yet; use `planner project` or `planner compare`")
    if scenario.contributions:
        return NotModelled(("contributions",), "contributions are not in the optimiser's model "
                           "yet; use `planner project` or `planner compare`")
    return None


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
    projections: int = 0  # engine projections made (replays, yardsticks, starting points)
    iterations: int = 0  # simplex iterations of the LP solves


class _Counted:
    """The engine, with its projections counted (they run in two threads)."""

    def __init__(self, engine) -> None:
        self._project = engine.project
        self._lock = threading.Lock()
        self.runs = 0

    def project(self, scenario, **kwargs):
        with self._lock:
            self.runs += 1
        return self._project(scenario, **kwargs)


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


def _clearance(projection, floor: float) -> float:
    """Dollars by which a projection clears its spending and the estate floor (negative when it
    does not): the after-tax estate above the floor less every year's shortfall. It falls
    steadily as spending rises, so it tells how far the most sustainable spending is."""
    return (projection.summary.after_tax_estate - floor
            - sum(row.shortfall for row in projection.years))


def _between(lo: tuple[float, float], hi: tuple[float, float], tolerance: float) -> float:
    """The next spending to try in the bracket (lo meets, hi does not; each with its
    clearance): where the clearance crosses zero if the two say so, else the middle; kept a
    little inside the bracket so that it always narrows."""
    (a, ca), (b, cb) = lo, hi
    x = a + ca * (b - a) / (ca - cb) if ca >= 0.0 > cb else (a + b) / 2.0
    return min(max(x, a + 0.4 * tolerance), b - 0.4 * tolerance)


def sustainable_spending(run, floor: float, guess: float, tolerance: float = SPENDING_TOLERANCE,
                         step: float = 0.02, known=None) -> tuple[float, object]:
    """The largest spending S (today's $) for which `run(S)` (a projection) has no shortfall and
    leaves `floor`, with its projection: bracketed from `guess` (steps of `step`, doubling; or a
    spending of `known` above it that fails), then narrowed to `tolerance` by regula falsi on
    `_clearance` (Illinois rule). `known`: projections already made, by spending."""
    known = dict(known or {})

    def meets(s: float):
        if s not in known:
            known[s] = run(s)
        return _meets(known[s], floor), known[s]

    lo, hi = max(guess, 1.0), None
    good, lo_run = meets(lo)
    if good:
        lo, lo_run, hi = _from_known(known, floor, lo, lo_run)
        grow = step
        for _ in range(40 if hi is None else 0):
            trial = lo * (1.0 + grow)
            good, p = meets(trial)
            if not good:
                hi = (trial, _clearance(p, floor))
                break
            lo, lo_run, grow = trial, p, grow * 2.0
        if hi is None:
            return lo, lo_run
    else:
        hi = (lo, _clearance(lo_run, floor))
        while True:
            trial = hi[0] * (1.0 - step)
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
            hi, step = (trial, _clearance(p, floor)), min(0.5, step * 2.0)
    return _narrowed(meets, (lo, _clearance(lo_run, floor)), lo_run, hi, floor, tolerance)


def _from_known(known, floor: float, lo: float, lo_run) -> tuple[float, object, tuple | None]:
    """The bracket that projections already made (`known`, by spending) give above `lo`, a
    spending that meets: the highest that meets below the lowest that fails (with its
    clearance; None when none fails)."""
    fails = [s for s, p in known.items() if s > lo and not _meets(p, floor)]
    top = min(fails, default=math.inf)
    for s, p in known.items():
        if lo < s < top and _meets(p, floor):
            lo, lo_run = s, p
    return lo, lo_run, (top, _clearance(known[top], floor)) if fails else None


def _narrowed(meets, lo: tuple[float, float], lo_run, hi: tuple[float, float], floor: float,
              tolerance: float) -> tuple[float, object]:
    """Narrow the bracket [lo, hi] of spending (with clearances) to `tolerance`; the spending
    that meets, with its projection. Illinois: an end kept twice has its clearance halved."""
    moved = None  # the end the last trial replaced
    while hi[0] - lo[0] > tolerance:
        x = _between(lo, hi, tolerance)
        good, p = meets(x)
        point = (x, _clearance(p, floor))
        if good:
            lo, lo_run = point, p
            if moved == "lo":
                hi = (hi[0], hi[1] / 2.0)
            moved = "lo"
        else:
            hi = point
            if moved == "hi":
                lo = (lo[0], lo[1] / 2.0)
            moved = "hi"
    return lo[0], lo_run


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


@dataclass(frozen=True, slots=True)
class _Plan:
    """A solution with its model and its replay by the engine."""

    model: Model
    found: Found
    schedule: Schedule
    projection: object  # the replay reported (max-spending: at the spending it sustains)
    value: float
    at_planned: object  # the replay at the solver's own spending


class _Run:
    """One optimisation: the scenario's facts, and the steps from model to replayed plan."""

    def __init__(self, scenario, objective: str, time_limit: float, engine):
        self.scenario = scenario
        self.objective = objective
        self.time_limit = time_limit
        self.engine = engine
        self.target = replay_scenario(scenario)
        self.data = plan_data(self.target)
        last = self.data.years[-1].year
        self.floor = estate_floor(scenario, last) if objective == "max-spending" else 0.0
        self.cushion = CUSHION * len(self.data.years) if objective == "max-spending" else 0.0
        self.gains, self.trad = share_rules.initial(self.data)
        self.solves = 0
        self.iterations = 0

    def model(self, margins: dict[int, float] | None = None) -> tuple[Model, Searcher]:
        model = build(self.data, self.objective, self.floor + self.cushion, self.gains,
                      self.trad, IRMAA_MARGIN, extra_margins=margins)
        return model, Searcher(model)

    def search(self, searcher: Searcher, solves: int, seeds, later=None) -> Found | None:
        before = searcher.solves, searcher.iterations
        found = searcher.search(searcher.budget(solves, self.time_limit), seeds, later)
        self._count(searcher, before)
        return found

    def refine(self, searcher: Searcher, found: Found) -> Found | None:
        before = searcher.solves, searcher.iterations
        again = searcher.refine(found, searcher.budget(REFINE_SOLVES, self.time_limit))
        self._count(searcher, before)
        return again

    def _count(self, searcher: Searcher, before: tuple[int, int]) -> None:
        self.solves += searcher.solves - before[0]
        self.iterations += searcher.iterations - before[1]

    def settle_shares(self, model: Model, searcher: Searcher, found: Found) -> Found:
        """Re-solve while the model's own reinvested surplus changes its gain shares."""
        for _ in range(2):
            new = share_rules.simulated(model, found.solution.x, self.gains)
            if share_rules.change(model, found.solution.x, self.gains, new) < SHARE_TOLERANCE:
                break
            _set_gains(model, searcher, self.gains, new)
            self.gains = new
            again = self.refine(searcher, found)
            if again is None:
                break
            found = again
        return found

    def replay(self, model: Model, found: Found) -> _Plan:
        schedule, projection, value, planned = _replay(self.engine, self.target, model, found,
                                                       self.objective, self.floor)
        return _Plan(model, found, schedule, projection, value, planned)

    def corrected(self, plan: _Plan, searcher: Searcher) -> _Plan:
        """The plan re-solved with the gain shares the engine realised, if that is better."""
        x = plan.found.solution.x
        correction = share_rules.from_replay(plan.model, x, self.gains, plan.at_planned.years)
        if share_rules.change(plan.model, x, self.gains, correction) < SHARE_TOLERANCE:
            return plan
        _set_gains(plan.model, searcher, self.gains, correction)
        self.gains = correction
        again = self.refine(searcher, plan.found)
        if again is None:
            return plan
        second = self.replay(plan.model, again)
        return second if second.value > plan.value else plan

    def repaired(self, plan: _Plan) -> _Plan:
        """If the replay's MAGI crossed an IRMAA threshold the plan stayed under (the model's
        figures are not the engine's to the dollar), plan again with that year's MAGI kept
        further below, from the same regime; the better replay wins."""
        margins: dict[int, float] = {}
        best = plan
        for _ in range(REPAIRS):
            over = _overshoots(best)
            if not over:
                break
            for j, excess in over.items():
                margins[j] = margins.get(j, 0.0) + excess
            model, searcher = self.model(margins)
            seeds = [best.found.regime] if len(model.tiers) == len(best.model.tiers) else []
            found = self.search(searcher, REPAIR_SOLVES, seeds)
            if found is None:
                break
            found = self.settle_shares(model, searcher, found)
            candidate = self.replay(model, found)
            if candidate.value <= best.value:
                break
            best = candidate
        return best


def _overshoots(plan: _Plan) -> dict[int, float]:
    """Plan years (by index) whose replayed MAGI put a premium year into a higher IRMAA tier
    than planned: how far above the planned MAGI they went, plus a buffer."""
    rows = plan.at_planned.years
    x = plan.found.solution.x
    out: dict[int, float] = {}
    for tiers, level in zip(plan.model.tiers, plan.found.regime.levels, strict=True):
        if tiers.year < len(rows) and rows[tiers.year].irmaa_tier > level:
            j = tiers.lookback
            planned = sum(c * x[i] for i, c in tiers.magi) * K
            excess = max(0.0, rows[j].magi - planned) + REPAIR_BUFFER
            out[j] = max(out.get(j, 0.0), excess)
    return out


def optimize(scenario, objective: str, solves: int = SEARCH_SOLVES,
             time_limit: float = TIME_LIMIT) -> Result:
    """Choose each year's withdrawals and conversions for `objective` and replay them."""
    from concurrent.futures import ThreadPoolExecutor

    from planner import engine as engine_module

    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}")
    missing = not_modelled(scenario)
    if missing is not None:
        raise missing
    started = time.perf_counter()
    engine = _Counted(engine_module)
    baseline = engine.project(scenario)
    # The engine runs (pure Python) go on in a thread while HiGHS solves (which frees the GIL):
    # first the seed strategies the search waits for, then the scenario's own value.
    with ThreadPoolExecutor(max_workers=1) as background:
        run = _Run(scenario, objective, time_limit, engine)
        model, searcher = run.model()
        board = searcher.boards[0]
        compared: list = []

        def compare(known=()):
            compared.append(background.submit(_scenario_value, engine, scenario, objective,
                                              run.floor, baseline, known))

        def later(best):
            """Project the built-in seed strategies (for max-spending at the best spending so
            far, nearer the optimum than the scenario's) in the background."""
            scenarios = seed_scenarios(scenario)
            known = []
            if objective == "max-spending" and best is not None:
                spend = best.solution.x[model.index["spending",]] * K
                scenarios = [with_spending(s, spend) for s in [scenario, *scenarios]]
            paths = [background.submit(engine.project, s) for s in scenarios]
            if objective == "max-spending" and best is not None:
                known = [(spend, paths[0])]  # the scenario as written at that spending
            compare(known)
            return lambda: [regime_of(board, p.result().years) for p in paths]

        found = run.search(searcher, solves, [regime_of(board, baseline.years)], later)
        if found is None:
            raise _diagnose(objective, run.data, scenario, run.floor, run.gains, run.trad)
        found = run.settle_shares(model, searcher, found)
        plan = run.repaired(run.corrected(run.replay(model, found), searcher))
        if not compared:
            compare()
        baseline_value = compared[0].result()
    x = plan.found.solution.x
    if objective == "max-spending":
        planned = x[plan.model.index["spending",]] * K
    else:
        planned = _planned_estate(plan.model, x)
    return Result(objective, plan.schedule, plan.projection, baseline, plan.value,
                  baseline_value, planned, notes(plan.model, x, plan.found.regime), run.solves,
                  time.perf_counter() - started, engine.runs, run.iterations)


def _scenario_value(engine, scenario, objective: str, floor: float, baseline,
                    known=None) -> float:
    """The objective reached by the scenario as written: its after-tax estate, or the spending
    its own strategy sustains (to `BASELINE_TOLERANCE`). `known`: (spending, future of its
    projection) pairs already under way."""
    if objective == "max-estate":
        return baseline.summary.after_tax_estate
    made = {s: p.result() for s, p in known or ()}
    made[scenario.spending.annual] = baseline
    value, _ = sustainable_spending(lambda s: engine.project(with_spending(scenario, s)), floor,
                                    scenario.spending.annual, tolerance=BASELINE_TOLERANCE,
                                    step=0.02, known=made)
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
