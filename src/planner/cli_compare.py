"""`planner compare`: every strategy on the same household, side by side."""

import csv
import io
from pathlib import Path
from typing import Annotated

import typer

from planner.cli import Format, _emit, _load, app


@app.command()
def compare(
    file: Annotated[Path | None, typer.Argument(
        help="Scenario TOML file. Without one, the bundled example household is used.")] = None,
    strategies: Annotated[str | None, typer.Option(
        "--strategies", "-s",
        help="Comma-separated ORDER[+CONVERSION] variants, e.g. "
             "'conventional,hierarchy+bracket-0.22,bracket-fill+irmaa-0'. CONVERSION is none, "
             "scenario, bracket-RATE or irmaa-TIER. Default: every order with the file's "
             "conversion policy, and the file's order with none, bracket-0.12/0.22/0.24 and "
             "irmaa-0.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write to this file (atomically).")] = None,
) -> None:
    """Every strategy on the same household, one row each: lifetime federal tax and IRMAA,
    after-tax estate, first shortfall year and years in each marginal bracket.

    The best is marked: the largest after-tax estate among the variants that fund every year,
    ties broken by the lower lifetime federal tax.
    """
    from planner.compare import compare as run
    from planner.compare import parse_variants, rows

    scenario, name = _load(file)
    table = rows(run(scenario, parse_variants(strategies, scenario)))
    if format is Format.json:
        import json

        _emit(json.dumps({"scenario": name, "strategies": table}, indent=2) + "\n", output)
        return
    if format is Format.csv:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        for row in table:
            writer.writerow({k: (f"{v:.2f}" if isinstance(v, float) else
                                 "" if v is None else v) for k, v in row.items()})
        _emit(out.getvalue(), output)
        return
    from rich.table import Table

    from planner.report import as_written, table_console

    view = Table(title=as_written(f"Strategies: {name}"), header_style="bold")
    brackets = [k for k in table[0] if k.startswith("years_at_")]
    heads = ["Strategy", "Lifetime tax", "Lifetime IRMAA", "After-tax estate", "Shortfall",
             *(f"{k[9:-3]}%" for k in brackets)]
    for head in heads:
        view.add_column(head, justify="left" if head == "Strategy" else "right", no_wrap=True)
    for row in table:
        mark = " *" if row["best"] else ""
        view.add_row(f"{row['strategy']}{mark}", f"{row['lifetime_federal_tax']:,.0f}",
                     f"{row['lifetime_irmaa']:,.0f}", f"{row['after_tax_estate']:,.0f}",
                     str(row["first_shortfall_year"] or "-"), *(str(row[k]) for k in brackets))
    console = table_console(output)
    console.print(view)
    console.print("Columns 10% ... : years whose marginal ordinary rate it was. * best: largest "
                  "after-tax estate (plans without a shortfall first), ties by lower tax.",
                  highlight=False)
    if output is not None:
        _emit(console.export_text(), output)
