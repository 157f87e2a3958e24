"""`planner explain FILE YEAR`: why one year's money came from where it did."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from planner.cli import Format, _load, app


@app.command()
def explain(
    file: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
    year: Annotated[int, typer.Argument(help="The year to explain.")],
    format: Annotated[Format, typer.Option("--format", "-f",
                                           help="table/csv: text; json: a document.")
                      ] = Format.table,
) -> None:
    """Why YEAR's money came from where it did: RMDs and divisors, the withdrawal order, lots
    sold, the bracket filled, the conversion limit reached, and the IRMAA tier and the year
    whose MAGI set it. Same as `planner project FILE --explain YEAR`."""
    from planner.engine import project
    from planner.explain import render

    scenario, _ = _load(file)
    sys.stdout.write(render(scenario, project(scenario), year, format.value, "YEAR"))
