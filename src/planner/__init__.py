"""planner: a retirement withdrawal planner with the federal tax law as data.

    from planner import load_scenario, project
    result = project(load_scenario("scenario.toml"))

The public names are imported on first use, so `planner --help` does not build the models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "PlannerError": "planner.errors",
    "Projection": "planner.engine",
    "YearResult": "planner.engine",
    "project": "planner.engine",
    "Scenario": "planner.scenario",
    "load_scenario": "planner.scenario",
    "parse_scenario": "planner.scenario",
}

__all__ = [
    "PlannerError",
    "Projection",
    "Scenario",
    "YearResult",
    "__version__",
    "load_scenario",
    "parse_scenario",
    "project",
]

if TYPE_CHECKING:
    from planner.engine import Projection, YearResult, project
    from planner.errors import PlannerError
    from planner.scenario import Scenario, load_scenario, parse_scenario


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
