"""One tax year's federal figures for many simulated paths, each indexed by its own inflation.

Published years are the same on every path. A later year is projected from the last published
one by `rules.rules_for_year` itself (law/indexing.toml), at a constant inflation that gives the
path's own cumulative price level in that year. To keep this fast, paths are grouped by their
price level in buckets of at most `BUCKET` (0.25%) in log terms, or wider when paths spread
further, so that a year never needs more than `MAX_BUCKETS` projections; each path takes its
bucket's figures. With the scenario's inflation on every path this is exactly `rules_for_year`.
The result is a `YearRules` whose figures that differ by path are arrays (one element per path).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from planner.rules import StatusRules, YearRules, rules_for_year

BUCKET = 0.0025
MAX_BUCKETS = 48


def _merge(values: list[Any], which: np.ndarray) -> Any:
    """One figure across buckets: the common value, or an array per path."""
    first = values[0]
    if _is_record(first):
        return first._make(_merge([getattr(v, name) for v in values], which)
                           for name in first._fields)
    if isinstance(first, tuple):
        return tuple(_merge([v[i] for v in values], which) for i in range(len(first)))
    if isinstance(first, float) and any(v != first for v in values):
        return np.asarray(values, dtype=np.float64)[which]
    return first


def _is_record(value: Any) -> bool:
    """A `YearRules` or `StatusRules` (NamedTuples), as opposed to a plain tuple of figures."""
    return isinstance(value, tuple) and hasattr(value, "_fields")


def path_rules(year: int, inflation: float, deviation: np.ndarray | None) -> YearRules:
    """The figures of tax year `year` on every path.

    `deviation`: each path's price level in `year` relative to the last published year's,
    divided by the scenario's `(1 + inflation) ** years` (None: the scenario's on every path).
    """
    rules = rules_for_year(year, inflation)
    if deviation is None or rules.projected_from is None:
        return rules
    years = year - rules.projected_from
    log_dev = np.log(deviation)
    spread = float(log_dev.max() - log_dev.min())
    width = max(BUCKET, spread / MAX_BUCKETS)
    bucket = np.rint(log_dev / width).astype(np.int64)
    keys, which = np.unique(bucket, return_inverse=True)
    project = getattr(rules_for_year, "__wrapped__", rules_for_year)  # not cached
    buckets = []
    for key in keys:
        if key == 0:
            buckets.append(rules)
            continue
        level = (1.0 + inflation) ** years * math.exp(float(key) * width)
        buckets.append(project(year, level ** (1.0 / years) - 1.0))
    if len(buckets) == 1:
        return buckets[0]
    return _merge(buckets, which.reshape(-1))


def _take(value: Any, idx: np.ndarray) -> Any:
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return value[idx]
    if isinstance(value, tuple):
        return tuple(_take(v, idx) for v in value)
    return value


def take_status(st: StatusRules, idx: np.ndarray | None) -> StatusRules:
    """The figures of the paths `idx` only (all of them when `idx` is None)."""
    if idx is None:
        return st
    changed = {name: _take(getattr(st, name), idx) for name in st._fields
               if isinstance(getattr(st, name), np.ndarray | tuple)}
    return st._replace(**changed)


def take_rules(rules: YearRules, idx: np.ndarray | None) -> YearRules:
    """`take_status` for a whole year (both statuses and the shared figures)."""
    if idx is None:
        return rules
    changed = {name: _take(getattr(rules, name), idx) for name in rules._fields
               if isinstance(getattr(rules, name), np.ndarray | tuple)}
    changed["single"] = take_status(rules.single, idx)
    changed["mfj"] = take_status(rules.mfj, idx)
    return rules._replace(**changed)


def varies(obj: Any) -> bool:
    """Whether any figure of a `YearRules` or `StatusRules` differs by path (is an array)."""
    if isinstance(obj, np.ndarray):
        return True
    if isinstance(obj, tuple):
        return any(varies(v) for v in obj)
    return False
