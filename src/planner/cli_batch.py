"""`planner batch` (run a folder of scenarios) and `planner diff` (compare outputs, for CI)."""

import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from planner.cli import app
from planner.errors import PlannerError


class BatchFormat(StrEnum):
    csv = "csv"
    json = "json"


HEADINGS = {"lifetime_federal_tax": "Lifetime federal tax", "lifetime_irmaa": "Lifetime IRMAA",
            "after_tax_estate": "After-tax estate", "first_shortfall_year": "First shortfall"}


class _Progress:
    """A rich progress bar when stderr is a terminal, else one plain line per file."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.bar = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self.bar = Progress("{task.description}", BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=Console(stderr=True),
                                transient=True)
            self.task = self.bar.add_task("scenarios", total=total)

    def __enter__(self) -> "_Progress":
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def advance(self, rel: str, status: str, error: str | None) -> None:
        self.done += 1
        if self.bar is not None:
            if error is not None:
                self.bar.console.print(error, markup=False, highlight=False, soft_wrap=True)
            self.bar.advance(self.task)
            return
        count = f"[{self.done:>{len(str(self.total))}}/{self.total}]"
        sys.stderr.write((error if error is not None else f"{count} {rel}: {status}") + "\n")
        sys.stderr.flush()


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return str(value)


def _print_summary(records: list[dict[str, Any]], caption: str) -> None:
    """The summary as a rich table, one row per scenario (cells as Text: no markup parsing)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from planner.report import as_written

    colour = {"OK": "green", "shortfall": "yellow", "error": "red"}
    cols = [c for c in records[0] if c != "error"]
    table = Table(title="Batch summary", caption=as_written(caption, "table.caption"),
                  header_style="bold", box=box.SIMPLE_HEAD)
    for col in cols:
        table.add_column(HEADINGS.get(col, col.replace("_", " ").capitalize()), no_wrap=True,
                         justify="left" if col in ("file", "status") else "right")
    for record in records:
        table.add_row(*(Text(_cell(record[c]), style=colour.get(record[c], "white")
                             if c == "status" else "") for c in cols))
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)
    console.print(table)


@app.command()
def batch(
    directory: Annotated[Path, typer.Argument(
        metavar="DIR", help="Folder of scenario files: every *.toml under it, recursively.")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Output folder (created if needed). Default: DIR-out, beside DIR.")
    ] = None,
    format: Annotated[BatchFormat, typer.Option(
        "--format", "-f", help="Format of the outputs and of the summary.")] = BatchFormat.csv,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", help="Worker processes; 0 = one per CPU, 1 = no workers.")] = 0,
    command: Annotated[str, typer.Option(help="What to run on each scenario.")] = "project",
    fail_on_shortfall: Annotated[bool, typer.Option(
        help="Exit 1 if any plan has a year whose spending cannot be funded.")] = False,
) -> None:
    """Run every scenario in a folder: one output per file and a summary table.

    Outputs keep the files' relative paths (DIR/clients/smith.toml gives OUT/clients/smith.csv)
    plus OUT/summary.csv. A bad file is reported on one line and skipped; the others still run,
    and the exit code is 2 at the end. The bytes never depend on --jobs.
    """
    from planner import batch as b

    if jobs < 0:
        raise PlannerError(f"must be 0 or more (got {jobs})", key="--jobs")
    if command not in b.COMMANDS:
        raise PlannerError(f"unknown command {command!r}; one of: {', '.join(b.COMMANDS)}",
                           key="--command")
    fmt = format.value
    out_dir = out if out is not None else b.default_out_dir(directory)
    if out_dir.exists() and not out_dir.is_dir():
        raise PlannerError("exists and is not a folder", str(out_dir), key="--out")
    rels = b.find_scenarios(directory, out_dir)
    if not rels:
        raise PlannerError("no *.toml scenario files found", str(directory), key="DIR")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlannerError(f"cannot create: {exc.strerror or exc}", str(out_dir),
                           key="--out") from None
    workers = jobs or b.cpu_count()
    outcomes = []
    with _Progress(len(rels)) as progress:
        for outcome in b.run_batch(directory, out_dir, rels, command, fmt, workers):
            outcomes.append(outcome)
            progress.advance(outcome.rel, outcome.status, outcome.error)
    summary = b.write_summary(out_dir, outcomes, fmt, command)
    counts = Counter(o.status for o in outcomes)
    tally = ", ".join(f"{n} {status}" for status, n in counts.items())
    caption = f"{len(outcomes)} scenarios: {tally}. Outputs in {out_dir}, summary in {summary}"
    _print_summary(b.summary_records(outcomes), caption)
    if counts["error"]:
        sys.stderr.write(f"{counts['error']} of {len(outcomes)} files had errors (above); "
                         "no output was written for them\n")
        raise typer.Exit(2)
    if fail_on_shortfall and counts["shortfall"]:
        sys.stderr.write(f"shortfall in {counts['shortfall']} of {len(outcomes)} plans\n")
        raise typer.Exit(1)


@app.command()
def diff(
    a: Annotated[Path, typer.Argument(
        metavar="A", help="Expected: a CSV or JSON output, or a folder of them.")],
    b: Annotated[Path, typer.Argument(
        metavar="B", help="Actual: the same kind of file, or a folder matched by relative path.")],
    tolerance: Annotated[float, typer.Option(
        help="Largest numeric difference that still counts as equal (absolute).")] = 0.01,
    limit: Annotated[int, typer.Option(
        help="Print at most this many changed cells (0 = all); the count is always exact.")
    ] = 200,
) -> None:
    """Compare two outputs of `planner project` or two `planner batch` folders.

    Rows are matched by year (or file), cells by column. Prints changed cells and added or
    removed files, rows and columns. Exit 0 when equal within --tolerance, 1 when not, 2 when an
    input cannot be read.
    """
    from planner.diff import diff_paths, render

    if not tolerance >= 0.0 or tolerance == float("inf"):
        raise PlannerError(f"must be a finite number, 0 or more (got {tolerance})",
                           key="--tolerance")
    if limit < 0:
        raise PlannerError(f"must be 0 or more (got {limit})", key="--limit")
    changes = diff_paths(a, b, tolerance)
    sys.stdout.write(render(changes, tolerance, limit))
    if changes:
        raise typer.Exit(1)
