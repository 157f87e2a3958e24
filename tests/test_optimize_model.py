"""The optimisation model against the engine's own tax code, without replaying a schedule:
the piecewise-linear pieces equal the exact worksheets, the LP's tax at its solution equals
`compute_tax` on the same incomes, the year facts equal the engine's, the local search is
deterministic and close to the MIP optimum, and infeasible plans name the key at fault."""

from __future__ import annotations

import math
import random
from concurrent.futures import Future, ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from planner.engine import project
from planner.federal_tax import TaxInput, bracket_tax, compute_tax, taxable_social_security
from planner.optimize import Infeasible, estate_floor, optimize, sustainable_spending
from planner.optimizer import search as search_module
from planner.optimizer import shares
from planner.optimizer.data import plan_data
from planner.optimizer.extract import schedule_of
from planner.optimizer.lp import Solver
from planner.optimizer.model import K, build
from planner.optimizer.search import Searcher, _gain_bound, _moved, _moves, descend, extreme
from planner.scenario import load_scenario, parse_scenario

SCENARIOS = ("scenarios/couple-65-63.toml", "scenarios/early-retiree-55.toml",
             "scenarios/high-balance-irmaa-niit.toml", "scenarios/single-66-ira.toml",
             "scenarios/widow-78.toml")

# A couple whose first Social Security year pays two months only (benefits under the $12,000
# band), with a brokerage account, QCDs and Medicare from the first year.
SMALL = """
[plan]
start_year = 2026
filing_status = "mfj"
end_year = 2034
[[people]]
name = "ann"
birth_year = 1959
birth_month = 11
longevity = 90
[[people]]
name = "bob"
birth_year = 1957
longevity = 90
[[accounts]]
name = "cash"
kind = "cash"
balance = 30000
[[accounts]]
name = "brokerage"
kind = "taxable"
balance = 400000
basis = 250000
dividend_yield = 0.02
interest_yield = 0.003
[[accounts]]
name = "ann-ira"
kind = "traditional"
owner = "ann"
balance = 700000
[[accounts]]
name = "bob-ira"
kind = "traditional"
owner = "bob"
balance = 300000
[[income]]
kind = "social_security"
owner = "ann"
pia = 2400
claim_age = 67
[[income]]
kind = "social_security"
owner = "bob"
pia = 2000
claim_age = 70
[spending]
annual = 90000
[assumptions]
inflation = 0.025
stock_return = 0.07
bond_return = 0.04
cash_return = 0.03
[strategy]
qcd_annual = 5000
"""


def _model(scenario, objective="max-estate", floor=0.0):
    data = plan_data(scenario)
    gains, trad = shares.initial(data)
    return build(data, objective, floor, gains, trad, 1.0), gains, trad


def _solved(scenario, objective="max-estate", solves=150):
    model, gains, trad = _model(scenario, objective)
    searcher = Searcher(model)
    found = searcher.search(searcher.budget(solves, 30.0))
    assert found is not None
    return model, gains, trad, found


@pytest.fixture(scope="module")
def small():
    return parse_scenario(SMALL, "small.toml")


def test_social_security_pieces_equal_pub_915(small):
    model, _, _ = _model(small)
    choices = [c for c in model.choices if c.name[0] == "ss"]
    partial = [c for c in choices if model.data.years[c.name[1]].social_security < 12000]
    assert partial, "the first benefit year should pay under the $12,000 band"
    rng = random.Random(5)
    for choice in choices:
        y = model.data.years[choice.name[1]]
        st = y.rules.status(y.status)
        other = model.index["other_income", choice.name[1]]
        for value in [0.0, 20000.0, 31999.0, 44000.0, 60000.0] + [
                rng.uniform(0, 250000) for _ in range(40)]:
            x = [0.0] * len(model.program.lb)
            x[other] = value / K
            exact = taxable_social_security(y.social_security, value, st, y.rules.ss_rate_1,
                                            y.rules.ss_rate_2)
            assert min(choice.values(x)) * K == pytest.approx(exact, abs=1e-6)


def test_gains_layers_equal_the_capital_gain_worksheet(small):
    model, _, _ = _model(small)
    t = 5  # 2031: no senior deduction, both over 65
    y = model.data.years[t]
    st = y.rules.status(y.status)
    layers = [c for c in model.choices if c.name[:2] == ("layer", t)]
    rng = random.Random(7)
    checked = 0
    for _ in range(300):
        ordinary = rng.choice([0.0, rng.uniform(0, 150000), rng.uniform(0, 900000)])
        qdg = rng.choice([0.0, rng.uniform(0, 80000), rng.uniform(0, 900000)])
        deduction = st.standard_deduction + y.seniors * st.additional_65
        r = compute_tax(TaxInput(y.status, y.ages, ordinary + deduction, 0.0, qdg),
                        y.rules)
        x = [0.0] * len(model.program.lb)
        x[model.index["taxable_income", t]] = r.taxable_income / K
        x[model.index["qdg", t]] = qdg / K
        planned = sum(min(c.values(x)) for c in layers) * K
        assert bracket_tax(ordinary, st.bracket_floors, st.bracket_rates) == pytest.approx(
            r.ordinary_tax, abs=1e-6)
        regular = bracket_tax(r.taxable_income, st.bracket_floors, st.bracket_rates)
        if r.ordinary_tax + planned <= regular:  # else line 25 caps it (the model's excess)
            assert planned == pytest.approx(r.preferential_tax, abs=1e-6)
            checked += 1
    assert checked > 200


@pytest.mark.parametrize("path", SCENARIOS)
def test_lp_tax_is_the_engine_tax_at_its_solution(path):
    scenario = load_scenario(path)
    model, gains, trad, found = _solved(scenario)
    x = found.solution.x
    data = model.data
    worst = 0.0
    for t, y in enumerate(data.years):
        st = y.rules.status(y.status)

        def val(name, *key, t=t):
            full = (name, t, *key) if name in ("bracket", "layer") else (name, *key, t)
            i = model.index.get(full)
            return 0.0 if i is None else x[i] * K

        ordinary = y.other_taxable
        interest = dividends = 0.0
        for a, acc in enumerate(data.accounts):
            balance = val("balance", a)
            if acc.kind == "traditional":
                ordinary += trad[t][a] * (val("withdraw", a) + val("convert", a))
            elif acc.kind == "taxable":
                interest += acc.interest_yield * balance
                dividends += acc.dividend_yield * balance
            elif acc.kind == "cash":
                interest += acc.growth * balance
        exact = compute_tax(TaxInput(y.status, y.ages, ordinary, interest, dividends,
                                     val("gains"), 0.0, y.social_security), y.rules)
        assert val("agi") == pytest.approx(exact.magi, abs=0.01)
        if y.social_security:
            assert val("taxable_ss") == pytest.approx(exact.taxable_social_security, abs=0.01)
        planned = sum(val("bracket", k) * r for k, r in enumerate(st.bracket_rates))
        planned += val("layer", 0) + val("layer", 1) + val("niit")
        engine = exact.total_tax - getattr(exact, "amt", 0.0)
        cap = 0.03 * max(0.0, st.bracket_floors[2] - st.cg_zero_top)  # worksheet line 25
        assert engine - 0.01 <= planned <= engine + cap + 0.01, (y.year, planned, engine)
        worst = max(worst, planned - engine)
    assert worst <= 60.0


@pytest.mark.parametrize("path", SCENARIOS)
def test_year_facts_are_the_engines(path):
    scenario = load_scenario(path)
    data = plan_data(scenario)
    rows = project(scenario).years
    assert len(rows) == len(data.years)
    for y, row in zip(data.years, rows, strict=True):
        assert (y.year, y.status, y.spending) == (row.year, row.filing_status, row.spending)
        assert y.social_security == row.income_social_security
        assert y.other_total == pytest.approx(row.income_other, abs=0.005)
        names = [a.name for a in data.accounts]
        for name, divisor in row.rmd_divisors:
            assert y.rmd_divisor[names.index(name)] == divisor
        src = y.irmaa
        if src.enrolled_months:
            lookback = src.lookback_year if src.fixed_magi is not None \
                else data.years[src.plan_index].year
            assert lookback == row.irmaa_lookback_year


def test_search_is_deterministic_and_descent_never_loses(small):
    model, _, _ = _model(small)
    runs = []
    for workers in (2, 2, 1):
        searcher = Searcher(model, workers)
        found = searcher.search(searcher.budget(120, 60.0))
        runs.append((found.solution.objective, found.regime, searcher.solves))
        again = descend(searcher.boards[0], found.regime, searcher.budget(50, 60.0))
        assert again.solution.objective >= found.solution.objective - 1e-7
    assert runs[0] == runs[1]
    assert runs[2][0] >= runs[0][0] * (1.0 - 0.002)


class _Inline:
    """An executor that runs each job at once, in the calling thread."""

    def __init__(self, max_workers: int | None = None) -> None:
        pass

    def __enter__(self) -> _Inline:
        return self

    def __exit__(self, *exc) -> bool:
        return False

    def submit(self, fn, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, as a pool does
            future.set_exception(exc)
        return future


def test_reported_solves_and_iterations_are_the_same_every_run(small):
    """The counts `optimize` reports are those of the search, whatever the threads' timing."""
    runs = [optimize(small, "max-estate") for _ in range(2)]
    assert runs[0].iterations > runs[0].solves > 0
    assert {(r.solves, r.iterations, r.value) for r in runs} == {
        (runs[0].solves, runs[0].iterations, runs[0].value)}


def test_threads_change_nothing(small, monkeypatch):
    """The workers never look at each other's progress: with every job run to its end, one
    after another, in one thread, the search makes the same solves on the same sessions and
    finds the same plan, to the last bit."""
    model, _, _ = _model(small)

    def run():
        searcher = Searcher(model)
        found = searcher.search(searcher.budget(120, 60.0))
        return (found.solution.objective, found.solution.x, found.regime,
                [b.solver.solves for b in searcher.boards])

    threaded = run()
    monkeypatch.setattr(search_module, "ThreadPoolExecutor", _Inline)
    assert run() == threaded


def test_starts_stop_once_the_budget_is_spent(small):
    """A worker takes its next start only while its count of solves is under the budget, or
    while it knows no plan yet."""
    model, _, _ = _model(small)
    searcher = Searcher(model)
    board = searcher.boards[0]
    low, high = extreme(board, high=False), extreme(board, high=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = searcher._best_start(pool, [None, low], searcher.budget(50, 60.0), None)
        spent = searcher.budget(0, 60.0)
        before = [b.solver.solves for b in searcher.boards]
        assert searcher._best_start(pool, [high], spent, found) is found
        assert [b.solver.solves for b in searcher.boards] == before
        searcher._started.clear()
        again = searcher._best_start(pool, [None, low, high], spent, None)
    # worker 0: the relaxed model and its regime, then no more; worker 1: `low` once
    assert ([b.solver.solves - s for b, s in zip(searcher.boards, before, strict=True)]
            == [2, 1])
    assert again is not None


def test_reduced_costs_are_those_of_their_own_solve(small):
    """Reduced costs are read from HiGHS only when asked for, yet they are those of the solve
    that gave the solution, not of a later one; a session loaded `like` another solves the
    same program."""
    model, _, _ = _model(small)
    solver = Solver(model.program, maximize=True)
    first = solver.solve()
    duals = tuple(solver.highs.getSolution().col_dual)
    switch = model.choices[[len(c.switches) for c in model.choices].index(2)].switches[0]
    solver.set_bounds([switch], [1.0], [1.0])
    second = solver.solve()
    assert second.objective != first.objective
    assert tuple(solver.highs.getSolution().col_dual) != duals
    assert first.reduced == duals
    assert Solver(model.program, True, solver).solve().objective == first.objective


def test_moves_are_ranked_only_from_plans_that_gain(small, monkeypatch):
    """The local search ranks the moves once, then only from the plans of a batch that beat
    its start (by the worker that found it), never again after a batch in vain."""
    model, _, _ = _model(small)
    rankings = []
    ranked = search_module._ranked
    monkeypatch.setattr(search_module, "_ranked",
                        lambda *a: rankings.append(1) or ranked(*a))
    gains = []
    descend_all = Searcher._descend_all

    def counted(self, *args, **kwargs):
        results = descend_all(self, *args, **kwargs)
        gains.append(sum(1 for _, moves in results if moves is not None))
        return results

    monkeypatch.setattr(Searcher, "_descend_all", counted)
    searcher = Searcher(model)
    budget = searcher.budget(80, 60.0)
    with ThreadPoolExecutor(max_workers=2) as pool:
        start = searcher._best_start(pool, [extreme(searcher.boards[0], high=False)], budget,
                                     None)
        rankings.clear()
        best, _ = searcher._improve(pool, start, budget)
    assert best.solution.objective > start.solution.objective
    assert 0 in gains and sum(gains) > 0
    assert len(rankings) == 1 + sum(gains)


def test_reduced_costs_bound_every_move(small):
    """The search skips a move when the reduced costs of its switches show that its LP cannot
    beat the current plan: check that bound against the re-solved LP of every single move."""
    model, _, _, found = _solved(small, solves=60)
    board = Searcher(model, 1).boards[0]
    here = descend(board, found.regime, Searcher(model, 1).budget(1, 60.0))
    tol = 1e-6 * max(1.0, abs(here.solution.objective))
    moves = [("option", i, k) for i, c in enumerate(board.choices) for k in range(len(c.options))
             if k != here.regime.options[i]]
    moves += [("level", i, v) for i, t in enumerate(model.tiers)
              for v in (here.regime.levels[i] - 1, here.regime.levels[i] + 1)
              if 0 <= v <= len(t.switches)]
    kept = {m[1:] for m in _moves(board, here)}
    pruned = 0
    for move in moves:
        bound = _gain_bound(board, here.regime, here.solution.reduced, *move)
        if move in kept:
            assert bound > 0.0, move
        else:
            pruned += bound <= tol
        board.apply(_moved(here.regime, *move))
        trial = board.solver.solve()
        if trial.status == "optimal":
            assert trial.objective - here.solution.objective <= bound + tol, move
    assert pruned > 0


def test_local_search_is_close_to_the_mip_optimum():
    six_years = parse_scenario(SMALL.replace("end_year = 2034", "end_year = 2031"))
    model, _, _, found = _solved(six_years, solves=360)
    mip = Solver(model.program, maximize=True).mip(found.solution.x, time_limit=60.0)
    assert mip.status == "optimal"
    assert found.solution.objective <= mip.objective + 1e-6
    assert found.solution.objective >= mip.objective * (1.0 - 0.002)


def test_schedule_takes_withdrawals_beyond_the_rmd(small):
    model, _, _, found = _solved(small)
    x = found.solution.x
    schedule = schedule_of(model, x, None)
    names = [a.name for a in model.data.accounts]
    for t, y in enumerate(model.data.years):
        plan = schedule.years.get(y.year)
        for a, name in enumerate(names):
            total = x[model.index["withdraw", a, t]] * K
            taken = plan.withdrawals.get(name, 0.0) if plan else 0.0
            if y.rmd_divisor[a] > 0.0:
                qcd = x[model.index["qcd", a, t]] * K if ("qcd", a, t) in model.index else 0.0
                rmd = x[model.index["balance", a, t]] * K / y.rmd_divisor[a]
                assert total >= rmd - qcd - 1e-6
                total -= max(0.0, rmd - qcd)
            assert taken == (round(total, 2) if total >= 1.0 else 0.0)
        assert all(v >= 1.0 for v in (plan.conversions.values() if plan else ()))


def test_unfundable_spending_names_spending_annual(small):
    rich = small.model_copy(update={"spending": small.spending.model_copy(
        update={"annual": 900000.0})})
    with pytest.raises(Infeasible) as info:
        optimize(rich, "max-estate")
    assert info.value.key == ("spending", "annual")
    most = float(info.value.message.split("at most about ")[1].split(" a year")[0]
                 .replace(",", ""))
    assert 50000 < most < 900000


def test_unreachable_estate_floor_names_estate_floor(small):
    greedy = small.model_copy(update={"spending": small.spending.model_copy(
        update={"estate_floor": 50_000_000.0})})
    with pytest.raises(Infeasible) as info:
        optimize(greedy, "max-spending")
    assert info.value.key == ("spending", "estate_floor")


def test_estate_floor_is_grown_with_inflation(small):
    floored = small.model_copy(update={"spending": small.spending.model_copy(
        update={"estate_floor": 1000.0})})
    assert estate_floor(floored, 2036) == pytest.approx(1000.0 * 1.025 ** 10)
    assert estate_floor(small, 2036) == 0.0


def test_cli_infeasible_exits_2_with_file_key_and_line(tmp_path, run_cli):
    text = SMALL.replace("annual = 90000", "annual = 900000")
    path = tmp_path / "rich.toml"
    path.write_text(text)
    result = run_cli("optimize", path, "--objective", "max-estate")
    assert result.code == 2
    line = text.splitlines().index("annual = 900000") + 1
    assert result.err.startswith(f"{path}:{line}: spending.annual: no plan is feasible: ")
    assert result.err.count("\n") == 1
    assert result.out == ""


def test_model_size_stays_small():
    scenario = load_scenario("scenarios/couple-65-63.toml")
    model, _, _ = _model(scenario)
    years = len(model.data.years)
    assert len(model.program.lb) <= 60 * years
    assert len(model.program.row_lb) <= 50 * years
    assert not math.isnan(sum(model.program.cost))


def _linear(spending: float, root: float = 123_456.0, slope: float = 150.0):
    """A stand-in projection whose estate falls linearly with spending and that runs short
    beyond `root`."""
    clear = (root - spending) * slope
    short = max(0.0, -clear)
    summary = SimpleNamespace(first_shortfall_year=2040 if short else None,
                              after_tax_estate=max(0.0, clear))
    return SimpleNamespace(summary=summary, years=(SimpleNamespace(shortfall=short),))


@pytest.mark.parametrize("guess", [60_000.0, 123_000.0, 123_456.0, 200_000.0])
def test_sustainable_spending_brackets_then_interpolates(guess):
    runs = []

    def run(s):
        runs.append(s)
        return _linear(s)

    value, projection = sustainable_spending(run, 0.0, guess, tolerance=1.0)
    assert 123_455.0 <= value <= 123_456.0
    assert projection.summary.first_shortfall_year is None
    assert len(runs) <= 10  # bisection to $1 would take 17 more from the wider brackets


def test_sustainable_spending_starts_from_known_projections():
    runs = []

    def run(s):
        runs.append(s)
        return _linear(s)

    known = {100_000.0: _linear(100_000.0), 130_000.0: _linear(130_000.0)}
    value, _ = sustainable_spending(run, 0.0, 100_000.0, tolerance=250.0, known=known)
    assert 123_206.0 <= value <= 123_456.0
    assert len(runs) <= 2 and 100_000.0 not in runs
