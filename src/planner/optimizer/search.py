"""Setting the model's switches: a local search over regimes, each an LP solved warm by HiGHS.

A regime picks one option for every `Choice` and a tier for every IRMAA premium year. With the
switches fixed the model is an LP whose tax is exact on the picked options and too high
elsewhere, so its optimum is a feasible plan whose true value is at least the LP's. From an LP
optimum x, moving each switch to the option that is least at x (and each IRMAA year to the tier
its MAGI is in) keeps x feasible and lowers its cost: repeating this never loses value and stops
at a consistent regime (`descend`).

Exploration: descents from several starts (the relaxed model's optimum, the low- and high-income
extremes, the regimes of engine projections of the scenario and of a few built-in strategies;
each distinct regime once), dealt to the workers in turn, each worker going through its own
without waiting for the others; then single moves (`_moves`), a batch per worker at a time: an
IRMAA year one tier down, another option for a Social Security, gains-layer or QCD choice, an
IRMAA year one tier up where its MAGI sits at the cap. Moves are pruned without solving when the
reduced costs at the current optimum bound their gain by zero (`_gain_bound`), and a move tried
in vain is not tried again until the plan changes within `NEAR` years of it, so the search ends
when no move is left (or the budget is spent). Two HiGHS sessions work in parallel threads: what
each is given depends only on the results taken before, in a fixed order, and the budget counts
solves, so results do not depend on timing (and a session's warm starts, which decide which of
several optimal vertices it returns, follow the same path on every run).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from planner.optimizer.lp import Solution, Solver
from planner.optimizer.model import Model, Piece

TOL = 1e-7


@dataclass(frozen=True, slots=True)
class Regime:
    """The option picked by each switched `Choice` and the IRMAA tier of each premium year."""

    options: tuple[int, ...]
    levels: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Budget:
    """How much searching: a total number of LP solves (so that results do not depend on the
    machine's speed), and a wall-clock deadline as a safety net."""

    solves: int
    deadline: float
    count: Callable[[], int]

    def spent(self) -> bool:
        return self.count() >= self.solves or time.perf_counter() >= self.deadline

    def left(self) -> float:
        return max(0.05, self.deadline - time.perf_counter())


@dataclass(frozen=True, slots=True)
class Found:
    solution: Solution
    regime: Regime
    solves: int


Later = Callable[["Found | None"], Callable[[], Sequence[Regime]]]


def switched(model: Model):
    return [c for c in model.choices if c.switches]


class Switchboard:
    """The switches of a model loaded in a solver: applies regimes (changing only the switches
    that differ) and computes, vectorised, the consistent regime at a point."""

    _TABLES = ("choices", "_pieces", "_piece_of_term", "_var_of_term", "_coef_of_term",
               "_const", "_option_start", "_cell", "_width", "_tier_var", "_tier_edges")

    def __init__(self, model: Model, solver: Solver, like: Switchboard | None = None) -> None:
        import numpy as np

        self._np = np
        self.model = model
        self.solver = solver
        self.current: Regime | None = None
        if like is not None:  # the same model: share its read-only tables
            for name in self._TABLES:
                setattr(self, name, getattr(like, name))
            return
        self.choices = switched(model)
        piece_of_term, var_of_term, coef_of_term, const = [], [], [], []
        option_start, choice_of_option, slot_of_option = [], [], []
        for ci, choice in enumerate(self.choices):
            for k, option in enumerate(choice.options):
                option_start.append(len(const))
                choice_of_option.append(ci)
                slot_of_option.append(k)
                for piece in option or (Piece((), 0.0, 0.0),):
                    for i, c in piece.terms:
                        piece_of_term.append(len(const))
                        var_of_term.append(i)
                        coef_of_term.append(c)
                    const.append(piece.const)
        self._pieces = len(const)
        self._piece_of_term = np.asarray(piece_of_term, dtype=np.int64)
        self._var_of_term = np.asarray(var_of_term, dtype=np.int64)
        self._coef_of_term = np.asarray(coef_of_term, dtype=float)
        self._const = np.asarray(const, dtype=float)
        self._option_start = np.asarray(option_start, dtype=np.int64)
        self._cell = (np.asarray(choice_of_option, dtype=np.int64),
                      np.asarray(slot_of_option, dtype=np.int64))
        self._width = max([len(c.options) for c in self.choices], default=1)
        tiers = model.tiers
        self._tier_var = np.asarray([t.magi[0][0] for t in tiers], dtype=np.int64)
        self._tier_edges = np.full((len(tiers), max([len(t.switches) for t in tiers],
                                                    default=0)), np.inf)
        for i, t in enumerate(tiers):
            self._tier_edges[i, :len(t.switches)] = t.edges[:len(t.switches)]

    def values(self, x):
        """Matrix of option values at x (choices x options; missing options are +inf)."""
        np = self._np
        x = np.asarray(x, dtype=float)
        pieces = np.bincount(self._piece_of_term, weights=self._coef_of_term
                             * x[self._var_of_term], minlength=self._pieces) + self._const
        options = np.maximum(np.maximum.reduceat(pieces, self._option_start), 0.0) \
            if self._pieces else np.zeros(0)
        table = np.full((len(self.choices), self._width), np.inf)
        table[self._cell] = options
        return table

    def consistent(self, regime: Regime | None, x) -> Regime:
        """The options least at x (keeping the current one on ties) and the tiers x is in."""
        np = self._np
        x = np.asarray(x, dtype=float)
        if self.choices:
            table = self.values(x)
            best = table.argmin(axis=1)
            if regime is not None:
                current = np.asarray(regime.options, dtype=np.int64)
                rows = np.arange(len(current))
                keep = table[rows, current] <= table[rows, best] + 1e-9
                best = np.where(keep, current, best)
            options = tuple(best.tolist())
        else:
            options = ()
        levels = ()
        if len(self._tier_var):
            magi = x[self._tier_var]
            levels = tuple((magi[:, None] > self._tier_edges + 1e-6).sum(axis=1).tolist())
        return Regime(options, levels)

    def apply(self, regime: Regime) -> None:
        """Fix every switch to the regime (bounds 0 or 1), changing only those that differ."""
        cols: list[int] = []
        vals: list[float] = []
        old = self.current
        for i in _differing(old.options if old else None, regime.options):
            k = regime.options[i]
            for j, z in enumerate(self.choices[i].switches):
                cols.append(z)
                vals.append(1.0 if j == k else 0.0)
        for i in _differing(old.levels if old else None, regime.levels):
            level = regime.levels[i]
            for j, z in enumerate(self.model.tiers[i].switches):
                cols.append(z)
                vals.append(1.0 if j < level else 0.0)
        self.solver.set_bounds(cols, vals, vals)
        self.current = regime

    def release(self) -> None:
        """Let every switch range over [0, 1] (the relaxed model)."""
        cols = [z for c in self.choices for z in c.switches]
        cols += [z for t in self.model.tiers for z in t.switches]
        self.solver.set_bounds(cols, [0.0] * len(cols), [1.0] * len(cols))
        self.current = None


def _differing(old: tuple[int, ...] | None, new: tuple[int, ...]) -> Sequence[int]:
    """The positions where `new` differs from `old` (all of them when there is no `old`)."""
    if old is None:
        return range(len(new))
    return [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]


FLIP_KINDS = ("ss", "layer", "qcd", "aca")
Move = tuple[str, int, int]  # ("option", choice, option) or ("level", tiers, level)
NEAR = 2  # plan years: an improvement this close to a move's year makes it worth trying again
EARLY_SOLVES = 12  # solves spent improving the first starts while the later ones are projected


def extreme(board: Switchboard, high: bool) -> Regime:
    """Every choice at its first (low-income) or last (high-income) option; IRMAA at the top."""
    options = tuple((len(c.options) - 1) if high else 0 for c in board.choices)
    return Regime(options, tuple(len(t.switches) for t in board.model.tiers))


def descend(board: Switchboard, regime: Regime | None, budget: Budget) -> Found | None:
    """Solve, move to the consistent regime, repeat until it holds (or the budget is spent).
    `regime` None: start from the consistent regime at the relaxed model's optimum."""
    solver = board.solver
    start = solver.solves
    if regime is None:
        board.release()
        relaxed = solver.solve(budget.left())
        if relaxed.status != "optimal":
            return None
        regime = board.consistent(None, relaxed.x)
    board.apply(regime)
    sol = solver.solve(budget.left())
    if sol.status != "optimal":
        return None
    while not budget.spent():
        new = board.consistent(regime, sol.x)
        if new == regime:
            break
        board.apply(new)
        trial = solver.solve(budget.left())
        if trial.status != "optimal":
            break
        regime, sol = new, trial
    return Found(sol, regime, solver.solves - start)


def _descend_then(board: Switchboard, regime: Regime | None, budget: Budget,
                  then: Callable[[Found | None], object] | None):
    """`descend`, and with `then` the pair (plan, then(plan))."""
    found = descend(board, regime, budget)
    return found if then is None else (found, then(found))


def _candidates(board: Switchboard, found: Found) -> list[Move]:
    """Single moves from `found`: each IRMAA premium year one tier down, or up where its MAGI
    sits at the cap (elsewhere a higher cap cannot help); another option for each Social
    Security, gains-layer or QCD choice."""
    x = found.solution.x
    regime = found.regime
    moves: list[Move] = []
    for i, tiers in enumerate(board.model.tiers):
        level = regime.levels[i]
        if level > 0:
            moves.append(("level", i, level - 1))
        magi = sum(c * x[j] for j, c in tiers.magi)
        if level < len(tiers.switches) and magi >= tiers.edges[level] - 1e-6:
            moves.append(("level", i, level + 1))
    for i, choice in enumerate(board.choices):
        if choice.name[0] in FLIP_KINDS:
            moves += [("option", i, k) for k in range(len(choice.options))
                      if k != regime.options[i]]
    return moves


def _rank(board: Switchboard, regime: Regime, table, move: Move) -> float:
    """Order of trial: IRMAA tiers down first, then choices by kind (`FLIP_KINDS`) and by how
    much more the new option costs at the current point (`table`: `Switchboard.values`), IRMAA
    tiers up last."""
    kind, i, value = move
    if kind == "level":
        return -1.0 if value < regime.levels[i] else 1e9
    gap = float(table[i, value] - table[i, regime.options[i]])
    return FLIP_KINDS.index(board.choices[i].name[0]) * 1e6 + gap


def _moves(board: Switchboard, found: Found) -> list[tuple[float, str, int, int]]:
    """The single moves worth a solve (`_candidates`), most promising first (`_rank`). A move
    is left out when the reduced costs of its switches at `found` show that its LP cannot
    beat `found` (`_gain_bound`)."""
    regime = found.regime
    tol = TOL * max(1.0, abs(found.solution.objective))
    kept = [m for m in _candidates(board, found)
            if _gain_bound(board, regime, found.solution.reduced, *m) > tol]
    table = board.values(found.solution.x) if kept and board.choices else None
    return sorted(((_rank(board, regime, table, m), *m) for m in kept), key=lambda r: r[0])


def _ranked(board: Switchboard, found: Found) -> list[Move]:
    """The moves of `_moves`, in their order."""
    return [m[1:] for m in _moves(board, found)]


def _gain_bound(board: Switchboard, regime: Regime, reduced: Sequence[float], kind: str,
                i: int, value: int) -> float:
    """An upper bound on how much a move can raise the LP optimum: the LP optimum is concave in
    the bounds of the columns, so moving fixed switches by d gains at most reduced . d
    (`Solution.reduced`; +inf without them)."""
    if not reduced:
        return math.inf
    if kind == "option":
        switches = board.choices[i].switches
        return reduced[switches[value]] - reduced[switches[regime.options[i]]]
    switches = board.model.tiers[i].switches
    level = regime.levels[i]
    return reduced[switches[level]] if value > level else -reduced[switches[value]]


def _moved(regime: Regime, kind: str, i: int, value: int) -> Regime:
    """`regime` after one move (`_moves` makes only moves that change it)."""
    if kind == "option":
        return Regime(regime.options[:i] + (value,) + regime.options[i + 1:], regime.levels)
    return Regime(regime.options, regime.levels[:i] + (value,) + regime.levels[i + 1:])


def _move_year(board: Switchboard, kind: str, i: int) -> int:
    """The plan year (index) a switch belongs to: an IRMAA tier's look-back year, else the
    year of the choice."""
    if kind == "level":
        return board.model.tiers[i].lookback
    name = board.choices[i].name
    return name[2] if name[0] == "qcd" else name[1]


def _changed_years(board: Switchboard, old: Regime, new: Regime) -> set[int]:
    """The plan years whose switches differ between two regimes."""
    years = {_move_year(board, "option", i)
             for i, (a, b) in enumerate(zip(old.options, new.options, strict=True)) if a != b}
    years |= {_move_year(board, "level", i)
              for i, (a, b) in enumerate(zip(old.levels, new.levels, strict=True)) if a != b}
    return years


def _still_idle(board: Switchboard, idle: set[Move], years: set[int]) -> set[Move]:
    """The idle moves that stay idle after the switches of `years` changed: those whose year
    is more than `NEAR` from all of them."""
    return {m for m in idle
            if all(abs(_move_year(board, m[0], m[1]) - y) > NEAR for y in years)}


def _better(a: Found | None, b: Found | None) -> bool:
    """Whether `a` beats `b` by more than the tolerance."""
    if a is None:
        return False
    if b is None:
        return True
    return a.solution.objective > b.solution.objective + TOL * max(1.0, abs(b.solution.objective))


class Searcher:
    """The switch search of one model on several HiGHS sessions ("workers"), which solve in
    parallel threads (HiGHS releases the GIL while it solves). Work is handed out in a fixed
    order and results are taken in that order, so the outcome does not depend on timing."""

    def __init__(self, model: Model, workers: int = 2) -> None:
        self.model = model
        solver = Solver(model.program, maximize=True)
        first = Switchboard(model, solver)
        self.boards = [first] + [Switchboard(model, Solver(model.program, True, solver), first)
                                 for _ in range(max(1, workers) - 1)]
        self._started: set[Regime] = set()  # the regimes this search has descended from

    @property
    def solves(self) -> int:
        return sum(b.solver.solves for b in self.boards)

    @property
    def iterations(self) -> int:
        return sum(b.solver.iterations for b in self.boards)

    def budget(self, solves: int, seconds: float) -> Budget:
        return Budget(self.solves + solves, time.perf_counter() + seconds, lambda: self.solves)

    def set_coefficient(self, row: int, column: int, value: float) -> None:
        for board in self.boards:
            board.solver.set_coefficient(row, column, value)

    def _descend_all(self, pool: ThreadPoolExecutor, regimes: Sequence[Regime | None],
                     budget: Budget, then: Callable[[Found | None], object] | None = None,
                     ) -> list:
        """Descend from each regime (None: from the relaxed model's optimum), one per worker, in
        parallel. Each worker counts the solves made before the batch and its own, never the
        other's, so where the budget ends does not depend on timing. With `then`, each result
        comes as (plan, then(plan)), `then` computed by the worker as soon as its plan is."""
        before = self.solves
        jobs = []
        for board, regime in zip(self.boards, regimes, strict=False):
            own = Budget(budget.solves, budget.deadline,
                         lambda b=board, s=board.solver.solves: before + b.solver.solves - s)
            jobs.append(pool.submit(_descend_then, board, regime, own, then))
        return [job.result() for job in jobs]

    def _improve(self, pool: ThreadPoolExecutor, found: Found, budget: Budget,
                 idle: set[Move] | None = None) -> tuple[Found, set[Move]]:
        """Improve `found` by single moves (`_moves`, most promising first), a batch of one move
        per worker at a time (the best of a batch is kept), until no move is left or the budget
        is spent. `idle`: moves already tried in vain from this regime or from one that differs
        only in years far from theirs (`NEAR`); they are not tried again. Returns the best plan
        and the idle moves for its regime. The moves from a plan that beats the batch's start
        are ranked by its worker, while the other may still be solving."""
        best = found
        idle = set() if idle is None else set(idle)
        width = len(self.boards)
        board = self.boards[0]
        ranked = _ranked(board, best)  # ranked again only when `best` changes
        while not budget.spent():
            batch = [m for m in ranked if m not in idle][:width]
            if not batch:
                break
            old = best

            def rank(trial: Found | None, old: Found = old) -> list[Move] | None:
                return _ranked(board, trial) if _better(trial, old) else None

            regimes = [_moved(old.regime, *move) for move in batch]
            results = self._descend_all(pool, regimes, budget, rank)
            for move, (trial, moves) in zip(batch, results, strict=True):
                if not _better(trial, old):
                    idle.add(move)
                elif _better(trial, best):
                    best, ranked = trial, moves
            if best is not old:
                idle = _still_idle(board, idle, _changed_years(board, old.regime, best.regime))
        return best, idle

    def search(self, budget: Budget, seeds: Sequence[Regime] = (),
               later: Later | None = None) -> Found | None:
        """The best consistent regime found within the budget (None: every start failed),
        starting from the relaxed model's optimum, `seeds` and the low- and high-income
        extremes; then from the regimes of `later`: `later(best)` starts preparing them from
        the best plan so far, and what it returns gives them once a few more solves have
        improved that plan."""
        board = self.boards[0]
        starts = [None, *seeds, extreme(board, high=False), extreme(board, high=True)]
        self._started.clear()
        with ThreadPoolExecutor(max_workers=len(self.boards)) as pool:
            best = self._best_start(pool, starts, budget, None)
            idle: set[Move] = set()
            if later is not None:
                collect = later(best)
                if best is not None:  # improve a little while `later` is being prepared
                    early = Budget(min(budget.solves, self.solves + EARLY_SOLVES),
                                   budget.deadline, budget.count)
                    best, idle = self._improve(pool, best, early)
                first = best
                best = self._best_start(pool, collect(), budget, best)
                if best is not first:
                    idle = set()
            if best is None:
                return None
            return self._improve(pool, best, budget, idle)[0]

    def _best_start(self, pool: ThreadPoolExecutor, starts: Sequence[Regime | None],
                    budget: Budget, best: Found | None) -> Found | None:
        """The best of `best` and the descents from `starts` (None: from the relaxed model's
        optimum), leaving out the regimes already started from (built-in strategies often have
        the same one). Start k goes to worker k mod the number of workers, each worker taking
        its starts in order without waiting for the others; each counts against the budget the
        solves made before and its own, and stops early only when that is spent and a plan is
        known to it. So no worker's work depends on another's timing."""
        width = len(self.boards)
        starts = [r for r in dict.fromkeys(starts) if r is None or r not in self._started]
        self._started.update(r for r in starts if r is not None)
        before = self.solves

        def lane(w: int) -> list[Found | None]:
            board = self.boards[w]
            first = board.solver.solves
            own = Budget(budget.solves, budget.deadline,
                         lambda: before + board.solver.solves - first)
            found: list[Found | None] = []
            for regime in starts[w::width]:
                if own.spent() and (best is not None or any(found)):
                    break
                found.append(descend(board, regime, own))
            return found

        results: list[Found | None] = [None] * len(starts)  # in the order of `starts`
        for w, job in enumerate([pool.submit(lane, w) for w in range(width)]):
            for j, found in enumerate(job.result()):
                results[w + j * width] = found
        for found in results:
            if found is not None and (best is None
                                      or found.solution.objective > best.solution.objective):
                best = found
        return best

    def refine(self, found: Found, budget: Budget) -> Found | None:
        """Search again from `found`'s regime after the model changed (its gain shares)."""
        with ThreadPoolExecutor(max_workers=len(self.boards)) as pool:
            again = self._descend_all(pool, [found.regime], budget)[0]
            if again is None:
                return None
            return self._improve(pool, again, budget)[0]
