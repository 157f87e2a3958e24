"""planner: a retirement withdrawal planner with the federal tax law as data.

    from planner import load_scenario, project
    result = project(load_scenario("scenario.toml"))
"""

from planner.engine import Projection, YearResult, project
from planner.errors import PlannerError
from planner.scenario import Scenario, load_scenario, parse_scenario

__version__ = "0.1.0"

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
