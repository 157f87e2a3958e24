"""The projection table draws each column as one multi-line Text (fast); it must look exactly
like the plain table of a cell per year, in colour and in plain text, at every width."""

import io
from pathlib import Path

import pytest
from rich.console import Console
from rich.table import Table

from planner.engine import project
from planner.report import TABLE_COLUMNS, _money, render_table
from planner.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "scenarios").glob("*.toml")) + [ROOT / "src/planner/examples/example.toml"]


def cell_per_year_table(projection, title: str) -> Table:
    """The table as first written: one cell per year and column (the reference)."""
    table = Table(title=title, show_lines=False, header_style="bold")
    shown = [(head, key) for head, key in TABLE_COLUMNS
             if key == "end_total" or any(getattr(r, key) for r in projection.years)]
    table.add_column("Year", no_wrap=True)
    table.add_column("Ages", no_wrap=True)
    for head, _ in shown:
        table.add_column(head, justify="right", no_wrap=True)
    table.add_column("Shortfall", justify="right", no_wrap=True)
    for r in projection.years:
        ages = "/".join("-" if a is None else str(a) for a in r.ages)
        short = f"[red]{_money(r.shortfall)}[/red]" if r.shortfall else "-"
        table.add_row(str(r.year), ages, *[_money(getattr(r, k)) for _, k in shown], short)
    return table


def drawn(table: Table, width: int, colour: bool) -> str:
    console = Console(width=width, file=io.StringIO(), force_terminal=colour,
                      color_system="truecolor" if colour else None)
    console.print(table)
    return console.file.getvalue()


def projections():
    for path in FILES:
        scenario = load_scenario(path)
        yield path.name, project(scenario)
        # Spending no household can fund: shortfall years, drawn in red.
        short = scenario.model_copy(update={"spending": scenario.spending.model_copy(
            update={"annual": 2_000_000.0})})
        yield f"{path.name} (short)", project(short)


@pytest.mark.parametrize("width", [30, 60, 100, 160, 220])
def test_table_looks_exactly_like_a_cell_per_year(width):
    compared = shortfalls = 0
    for name, projection in projections():
        table, _ = render_table(projection, name)
        reference = cell_per_year_table(projection, name)
        for colour in (False, True):
            assert drawn(table, width, colour) == drawn(reference, width, colour), (name, colour)
            compared += 1
        shortfalls += any(r.shortfall for r in projection.years)
    assert compared == 4 * len(FILES)
    assert shortfalls >= len(FILES)  # the red cells were exercised


def test_shortfall_years_are_red():
    projection = next(p for name, p in projections() if name.endswith("(short)"))
    table, _ = render_table(projection, "t")
    text = drawn(table, 200, True)
    first = next(r for r in projection.years if r.shortfall)
    assert f"\x1b[31m{_money(first.shortfall)}\x1b[0m" in text
