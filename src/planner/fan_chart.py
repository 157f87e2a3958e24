"""`planner simulate --plot`: a fan chart of end wealth in start-year dollars, as a PNG.

matplotlib is optional (`pip install 'planner[plot]'`) and imported only here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from planner.errors import PlannerError
from planner.simulate import PERCENTILES, SimulationResult


def require_matplotlib() -> None:
    """Raise a one-line `PlannerError` when matplotlib is not installed."""
    if importlib.util.find_spec("matplotlib") is None:
        raise PlannerError("needs matplotlib: pip install 'planner[plot]'", key="--plot")


def write_fan_chart(result: SimulationResult, path: Path, title: str) -> None:
    """Shade the 5-95 and 25-75 percentile bands of real end wealth, with the median line."""
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = [b.year for b in result.bands]
    bands = [b.percentiles["end_total_real"] for b in result.bands]
    at = {p: [row[i] for row in bands] for i, p in enumerate(PERCENTILES)}
    fig, ax = plt.subplots(figsize=(9, 5), dpi=120)
    ax.fill_between(years, at[5], at[95], color="tab:blue", alpha=0.18, label="5th-95th")
    ax.fill_between(years, at[25], at[75], color="tab:blue", alpha=0.35, label="25th-75th")
    ax.plot(years, at[50], color="tab:blue", linewidth=2, label="median")
    ax.set_title(f"{title}: funded to the end in {result.probability_funded:.1%} of "
                 f"{result.paths:,} paths ({result.model})")
    ax.set_xlabel("Year")
    ax.set_ylabel("End wealth, start-year dollars")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    fig.tight_layout()
    try:
        fig.savefig(path, format="png")
    except OSError as exc:
        raise PlannerError(f"cannot write: {exc.strerror}", str(path), key="--plot") from None
    finally:
        plt.close(fig)
