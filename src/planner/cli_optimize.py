"""`planner optimize`: choose each year's withdrawals and Roth conversions by linear programming,
then show the engine's replay of that schedule (every number comes from the engine)."""

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from planner.cli import EXAMPLE, Format, _emit, _example_text, _load, app
from planner.errors import PlannerError


class Objective(str, Enum):  # noqa: UP042 (typer needs a str Enum)
    max_spending = "max-spending"
    max_estate = "max-estate"


def _where(file: Path | None, key: tuple[str, ...]) -> tuple[str, int | None]:
    """(file name, line) of a scenario key, for a one-line error."""
    from planner.toml_lines import key_lines, line_of

    if file is None:
        return f"{EXAMPLE} (bundled)", line_of(key_lines(_example_text()), key)
    try:
        return str(file), line_of(key_lines(file.read_text(encoding="utf-8")), key)
    except OSError:
        return str(file), None


def _summary_lines(result, name: str) -> list[str]:
    last = result.projection.years[-1].year
    unit = ("a year (today's $)" if result.objective == "max-spending"
            else f"after-tax estate at the end of {last}")
    gain = result.value - result.baseline_value
    return [
        f"Objective: {result.objective}   Scenario: {name}",
        f"Optimised: ${result.value:,.2f} {unit}",
        f"Scenario as written: ${result.baseline_value:,.2f}   Gain: ${gain:,.2f}",
        f"Solver's own figure: ${result.planned_value:,.2f}   LP solves: {result.solves}   "
        f"Engine projections: {result.projections}",
    ]


def _header(result, name: str) -> str:
    return (f"planner optimize --objective {result.objective}, scenario {name}\n"
            f"Replay with: planner project {name} --schedule <this file>\n"
            "Amounts are nominal dollars; withdrawals are taken before the engine's own "
            "withdrawal solve,\nconversions go to the owner's first Roth account.")


@app.command()
def optimize(
    file: Annotated[Path | None, typer.Argument(
        help="Scenario TOML file. Without one, the bundled example household is used.")] = None,
    objective: Annotated[Objective, typer.Option(
        "--objective", help="max-spending: the most constant real spending, leaving [spending] "
        "estate_floor; max-estate: the largest after-tax estate with the scenario's spending.",
    )] = Objective.max_spending,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write to this file (atomically).")] = None,
    write_schedule: Annotated[Path | None, typer.Option(
        "--write-schedule", help="Save the schedule, to replay with `planner project "
        "--schedule`.")] = None,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Show which limits the plan runs into: brackets filled, IRMAA "
        "thresholds, RMDs, the 85% Social Security cap.")] = False,
) -> None:
    """Choose withdrawals and Roth conversions for each year (linear programming, HiGHS), then
    project the schedule with the engine. Exit 2 when no plan can meet the scenario."""
    from planner.optimize import Infeasible, NotModelled
    from planner.optimize import optimize as run
    from planner.report import render_table, to_csv, to_dict

    scenario, name = _load(file)
    if write_schedule is not None and (write_schedule.is_dir()
                                       or not write_schedule.parent.exists()):
        raise PlannerError("is a directory" if write_schedule.is_dir()
                           else "folder does not exist", str(write_schedule),
                           key="--write-schedule")
    try:
        result = run(scenario, objective.value)
    except Infeasible as exc:
        where, line = _where(file, exc.key)
        raise PlannerError(f"no plan is feasible: {exc.message}", where, line,
                           ".".join(exc.key)) from None
    except NotModelled as exc:
        where, line = _where(file, exc.key)
        key = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in exc.key)
        raise PlannerError(exc.message, where, line, key.lstrip(".")) from None
    if write_schedule is not None:
        from planner.schedule import save_schedule

        save_schedule(result.schedule, write_schedule, _header(result, name))
    notes = result.notes if explain else ()
    if format is Format.csv:
        _emit(to_csv(result.projection), output)
        for note in notes:
            sys.stderr.write(f"{note.year}: {note.text}\n")
    elif format is Format.json:
        import json

        doc = to_dict(result.projection, name)
        doc["optimization"] = {
            "objective": result.objective,
            "value": round(result.value, 2),
            "scenario_value": round(result.baseline_value, 2),
            "solver_value": round(result.planned_value, 2),
            "spending_annual": result.schedule.spending_annual,
            "lp_solves": result.solves,
            "engine_projections": result.projections,
            "schedule": {str(y): {"withdrawals": dict(p.withdrawals),
                                  "conversions": dict(p.conversions)}
                         for y, p in result.schedule.years.items()},
        }
        if explain:
            doc["explain"] = [{"year": n.year, "kind": n.kind, "text": n.text} for n in notes]
        _emit(json.dumps(doc, indent=2) + "\n", output)
    else:
        _table(result, name, notes, output, render_table)


def _table(result, name: str, notes, output: Path | None, render_table) -> None:

    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    from planner.report import table_console

    console = table_console(output)
    table, panel = render_table(result.projection, f"Optimised plan ({result.objective}): {name}")
    console.print(table)
    console.print(panel)
    console.print(Panel(escape("\n".join(_summary_lines(result, name))), title="Optimisation",
                        expand=False))
    if notes:
        limits = Table(title="What binds", header_style="bold")
        limits.add_column("Year", no_wrap=True)
        limits.add_column("Limit")
        for note in notes:
            limits.add_row(str(note.year), escape(note.text))
        console.print(limits)
    if output is not None:
        _emit(console.export_text(), output)
