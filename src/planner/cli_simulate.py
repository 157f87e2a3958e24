"""`planner simulate`: Monte Carlo and historical market paths through the full tax engine."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from planner.cli import EXAMPLE, Format, _emit, _load, app
from planner.errors import PlannerError

LONG_RUN = 20_000  # path-years from which a progress bar is worth showing


class Model(StrEnum):
    lognormal = "lognormal"
    historical = "historical"


@app.command()
def simulate(
    file: Annotated[Path | None, typer.Argument(
        help="Scenario TOML file. Without one, the bundled example household is used.")] = None,
    paths: Annotated[int, typer.Option(min=1, max=200_000,
                                       help="Number of simulated market paths.")] = 10_000,
    seed: Annotated[int, typer.Option(min=0, help="Random seed: the same seed, the same "
                                      "numbers.")] = 0,
    model: Annotated[Model, typer.Option(
        help="lognormal: yearly draws around [assumptions] (volatilities and correlations from "
             "the same table); historical: blocks of US returns 1928-2024, plus every "
             "historical start year as it happened.")] = Model.lognormal,
    block_years: Annotated[int, typer.Option(min=1, max=50, help="historical: length of the "
                                             "bootstrapped blocks of consecutive years.")] = 5,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write to this file (atomically).")] = None,
    plot: Annotated[Path | None, typer.Option(
        help="Write a fan chart of real end wealth to this PNG (needs matplotlib).")] = None,
    fail_below: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, help="Exit 1 if the share of funded paths is below this.")] = None,
) -> None:
    """Simulate many market paths: the chance the plan is funded to the end, percentiles of end
    wealth, estate and lifetime tax, and year-by-year bands (CSV and JSON).

    Every path runs the full federal tax engine; with zero volatilities every path is `planner
    project` to the cent. Supports the conventional withdrawal order without Roth conversions
    or tax lots; other scenarios exit 2 naming the key.
    """
    from planner.simulate import simulate as run
    from planner.vector_engine import check_supported, projected_years

    if plot is not None:
        from planner.fan_chart import require_matplotlib

        require_matplotlib()
        if not plot.parent.exists():
            raise PlannerError("folder does not exist", str(plot.parent), key="--plot")
    scenario, name = _load(file)
    if file is None:
        check_supported(scenario, name)
    else:
        check_supported(scenario, str(file), file.read_text(encoding="utf-8-sig"))
    if file is None and format is Format.table:
        sys.stderr.write(f"No scenario file given: simulating the bundled example ({EXAMPLE}).\n")
    years = len(projected_years(scenario))
    if paths * years >= LONG_RUN and sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(f"Simulating {paths:,} paths", total=years)
            result = run(scenario, paths, seed, model.value, block_years,
                         lambda done, _total: bar.update(task, completed=done), name)
    else:
        result = run(scenario, paths, seed, model.value, block_years, filename=name)
    _write(result, name, format, output)
    if plot is not None:
        from planner.fan_chart import write_fan_chart

        write_fan_chart(result, plot, name)
    if fail_below is not None and result.probability_funded < fail_below:
        sys.stderr.write(f"funded in {result.probability_funded:.1%} of paths, below "
                         f"{fail_below:.1%}\n")
        raise typer.Exit(1)


def _write(result, name: str, format: Format, output: Path | None) -> None:
    from planner.simulate_report import render, to_csv, to_json

    if format is Format.csv:
        _emit(to_csv(result), output)
        return
    if format is Format.json:
        _emit(to_json(result, name), output)
        return
    import io

    from rich.console import Console

    console = Console(record=True, width=120, file=io.StringIO()) if output else Console()
    for part in render(result, f"Simulation: {name}"):
        console.print(part)
    if output is not None:
        _emit(console.export_text(), output)
