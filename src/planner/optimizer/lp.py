"""A small builder for sparse mixed-integer linear programs, and a HiGHS session (highspy,
imported only when solving) that re-solves them warm after bound changes."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

INF = math.inf


@dataclass(slots=True)
class Program:
    """Variables and rows of a MILP in the form lb <= A x <= ub, maximising or minimising c x."""

    lb: list[float] = field(default_factory=list)
    ub: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    integer: list[int] = field(default_factory=list)
    var_names: list[Hashable] = field(default_factory=list)
    rows: list[tuple[int, ...]] = field(default_factory=list)
    coefs: list[tuple[float, ...]] = field(default_factory=list)
    row_lb: list[float] = field(default_factory=list)
    row_ub: list[float] = field(default_factory=list)
    row_names: list[Hashable] = field(default_factory=list)

    def var(self, name: Hashable, lb: float = 0.0, ub: float = INF, cost: float = 0.0,
            binary: bool = False) -> int:
        self.lb.append(lb)
        self.ub.append(ub)
        self.cost.append(cost)
        self.integer.append(1 if binary else 0)
        self.var_names.append(name)
        return len(self.lb) - 1

    def row(self, name: Hashable, terms: Iterable[tuple[int, float]], lb: float = -INF,
            ub: float = INF) -> int:
        """Add lb <= sum(coef * x[i]) <= ub; repeated variables are summed."""
        merged: dict[int, float] = {}
        for i, c in terms:
            merged[i] = merged.get(i, 0.0) + c
        self.rows.append(tuple(merged))
        self.coefs.append(tuple(merged.values()))
        self.row_lb.append(lb)
        self.row_ub.append(ub)
        self.row_names.append(name)
        return len(self.row_lb) - 1

    @property
    def binaries(self) -> int:
        return sum(self.integer)


class Solution:
    """One solve: `status` is "optimal", "infeasible", "unbounded", "time limit" or "error";
    `reduced`: the reduced costs of the columns (empty when HiGHS has no dual solution). With a
    column fixed by its bounds, the objective after moving it by d is at most objective +
    reduced * d (maximising; the optimum is concave in the bounds), however the rest moves.
    The reduced costs are read from HiGHS's solution (`duals`) only when first asked for: most
    solutions never are."""

    __slots__ = ("status", "x", "objective", "_reduced", "_duals")

    def __init__(self, status: str, x: tuple[float, ...], objective: float,
                 reduced: tuple[float, ...] = (), duals=None) -> None:
        self.status = status
        self.x = x
        self.objective = objective
        self._reduced = reduced
        self._duals = duals  # a highspy HighsSolution whose column duals are valid

    @property
    def reduced(self) -> tuple[float, ...]:
        if self._duals is not None:
            self._reduced = tuple(self._duals.col_dual)
            self._duals = None
        return self._reduced


@cache
def _quiet_highs_class() -> type:
    """`highspy.Highs`, made never to log. highspy 1.16 enables its callbacks inside the
    constructor, which writes HiGHS's banner to file descriptor 1 (corrupting `--format json`
    output) unless logging is already off; older versions log nothing until a model arrives."""
    import highspy

    class QuietHighs(highspy.Highs):
        def enableCallbacks(self) -> None:
            self.setOptionValue("output_flag", False)
            super().enableCallbacks()

    return QuietHighs


def _highs_lp(program: Program, maximize: bool):
    """The program as a highspy `HighsLp` (row-wise matrix)."""
    import highspy
    import numpy as np

    lp = highspy.HighsLp()
    lp.num_col_ = len(program.lb)
    lp.num_row_ = len(program.row_lb)
    lp.col_cost_ = np.asarray(program.cost, dtype=float)
    lp.col_lower_ = np.asarray(program.lb, dtype=float)
    lp.col_upper_ = np.asarray(program.ub, dtype=float)
    lp.row_lower_ = np.asarray(program.row_lb, dtype=float)
    lp.row_upper_ = np.asarray(program.row_ub, dtype=float)
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    starts = np.zeros(len(program.rows) + 1, dtype=np.int32)
    starts[1:] = np.cumsum([len(r) for r in program.rows])
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = np.fromiter((i for r in program.rows for i in r), dtype=np.int32,
                                      count=int(starts[-1]))
    lp.a_matrix_.value_ = np.fromiter((c for r in program.coefs for c in r), dtype=float,
                                      count=int(starts[-1]))
    return lp


class Solver:
    """A program loaded once into HiGHS (through highspy), to be re-solved after changing the
    bounds of some columns: each re-solve starts from the previous basis. Binaries are continuous
    here unless `mip` is called; the search fixes them through their bounds. `like`: a session of
    the same program and sense, whose highspy copy of the program is loaded again."""

    def __init__(self, program: Program, maximize: bool, like: Solver | None = None) -> None:
        import highspy
        import numpy as np

        self._hs = highspy
        self._np = np
        self.program = program
        self._lp = like._lp if like is not None else _highs_lp(program, maximize)
        self.highs = _quiet_highs_class()()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("threads", 1)  # parallelism comes from several sessions
        self.highs.passModel(self._lp)
        self.solves = 0
        self.iterations = 0  # simplex iterations of those solves: work that timing cannot blur

    def set_bounds(self, columns: Sequence[int], lower: Sequence[float],
                   upper: Sequence[float]) -> None:
        np = self._np
        if columns:
            self.highs.changeColsBounds(len(columns), np.asarray(columns, dtype=np.int32),
                                        np.asarray(lower, dtype=float),
                                        np.asarray(upper, dtype=float))

    def set_coefficient(self, row: int, column: int, value: float) -> None:
        self.highs.changeCoeff(row, column, value)

    def solve(self, time_limit: float = 60.0) -> Solution:
        hs = self._hs
        self.highs.setOptionValue("time_limit", float(time_limit))
        self.highs.run()
        self.solves += 1
        self.iterations += self.highs.getInfoValue("simplex_iteration_count")[1]
        status = self.highs.getModelStatus()
        if status == hs.HighsModelStatus.kInfeasible:
            return Solution("infeasible", (), math.nan)
        if status in (hs.HighsModelStatus.kUnbounded, hs.HighsModelStatus.kUnboundedOrInfeasible):
            return Solution("unbounded", (), math.nan)
        solution = self.highs.getSolution()
        if not solution.value_valid:
            return Solution("error" if status != hs.HighsModelStatus.kTimeLimit else "time limit",
                            (), math.nan)
        objective = self.highs.getInfoValue("objective_function_value")[1]
        name = "optimal" if status == hs.HighsModelStatus.kOptimal else "time limit"
        duals = solution if solution.dual_valid else None
        return Solution(name, tuple(solution.col_value), objective, duals=duals)

    def mip(self, start: Sequence[float] | None, time_limit: float, gap: float = 1e-5,
            ) -> Solution:
        """Solve with the binaries integral (branch and cut), from `start` when given."""
        np = self._np
        hs = self._hs
        binaries = [i for i, b in enumerate(self.program.integer) if b]
        self.highs.changeColsIntegrality(
            len(binaries), np.asarray(binaries, dtype=np.int32),
            np.asarray([hs.HighsVarType.kInteger] * len(binaries)))
        self.highs.setOptionValue("mip_rel_gap", gap)
        if start is not None:
            sol = hs.HighsSolution()
            sol.col_value = list(start)
            self.highs.setSolution(sol)
        try:
            return self.solve(time_limit)
        finally:
            self.highs.changeColsIntegrality(
                len(binaries), np.asarray(binaries, dtype=np.int32),
                np.asarray([hs.HighsVarType.kContinuous] * len(binaries)))
