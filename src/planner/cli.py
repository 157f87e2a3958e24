"""The `planner` command line: a thin layer over the library.

Every command exits 0 when done, 1 when `--fail-on-shortfall` was given and a plan falls short,
and 2 on bad input or usage, with one line naming the file, key and line.

The command modules do not use `from __future__ import annotations`: typer would then evaluate
every parameter's annotation string again on each start (about 20 ms for the 12 commands).
"""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from planner import __version__
from planner.errors import PlannerError

app = typer.Typer(
    name="planner",
    help=(
        "Plan retirement withdrawals year by year: which account to draw from, the RMDs, federal "
        "tax, taxable Social Security and Medicare IRMAA, and what is left.\n\n"
        "Start with `planner project` (the bundled example) or `planner init` (a starter file)."
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXAMPLE = "example.toml"


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Status(StrEnum):
    single = "single"
    mfj = "mfj"


def _example_text() -> str:
    from planner.package_data import read_package_text

    return read_package_text("examples", EXAMPLE)


def _load(file: Path | None):
    from planner.scenario import load_scenario, parse_scenario

    if file is None:
        return parse_scenario(_example_text(), f"{EXAMPLE} (bundled)"), f"{EXAMPLE} (bundled)"
    return load_scenario(file), file.name


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from planner.report import write_atomic

    if output.exists() and output.is_dir():
        raise PlannerError("is a directory", str(output), key="--output")
    if not output.parent.exists():
        raise PlannerError("folder does not exist", str(output.parent), key="--output")
    write_atomic(output, text)


def _version(value: bool) -> None:
    if value:
        print(f"planner {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Plan retirement withdrawals year by year."""


@app.command()
def project(
    file: Annotated[Path | None, typer.Argument(
        help="Scenario TOML file. Without one, the bundled example household is used.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write to this file (atomically).")] = None,
    fail_on_shortfall: Annotated[bool, typer.Option(
        help="Exit 1 if any year's spending cannot be funded.")] = False,
    explain: Annotated[int | None, typer.Option(
        "--explain", metavar="YEAR",
        help="Instead of the table, explain why YEAR's money came from where it did.")] = None,
    schedule: Annotated[Path | None, typer.Option(
        "--schedule", help="Replay a schedule written by `planner optimize --write-schedule`.",
    )] = None,
) -> None:
    """Project every year of the plan: withdrawals, RMDs, tax, IRMAA and balances.

    CSV and JSON carry every column of the scenario contract, in order, rounded to cents.
    """
    from planner.engine import project as run
    from planner.report import render_table, to_csv, to_json

    scenario, name = _load(file)
    if file is None and format is Format.table:
        sys.stderr.write(f"No scenario file given: projecting the bundled example ({EXAMPLE}).\n"
                         "Write your own with `planner init`.\n")
    if scenario.strategy.bonds_first_after_fall:
        sys.stderr.write("note: [strategy] bonds_first_after_fall applies in `planner simulate` "
                         "only; a projection has no market falls to respond to\n")
    if schedule is None:
        result = run(scenario)
    else:
        from planner.optimize import replay_scenario
        from planner.schedule import load_schedule

        result = run(replay_scenario(scenario), schedule=load_schedule(schedule, scenario))
    if explain is not None:
        from planner.explain import render

        _emit(render(scenario, result, explain, format.value, "--explain"), output)
    elif format is Format.csv:
        _emit(to_csv(result), output)
    elif format is Format.json:
        _emit(to_json(result, name), output)
    else:
        from planner.report import table_console

        table, panel = render_table(result, f"Projection: {name}")
        console = table_console(output)
        console.print(table)
        console.print(panel)
        if output is not None:
            _emit(console.export_text(), output)
    if fail_on_shortfall and result.summary.first_shortfall_year is not None:
        sys.stderr.write(f"shortfall: first in {result.summary.first_shortfall_year}\n")
        raise typer.Exit(1)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.")],
) -> None:
    """Check scenario files: `FILE: OK` or the first problem of each; exit 2 if any is bad."""
    from planner.scenario import load_scenario

    bad = 0
    for file in files:
        try:
            load_scenario(file)
            print(f"{file}: OK")
        except PlannerError as exc:
            bad += 1
            print(str(exc))
    if bad:
        raise typer.Exit(2)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter scenario.")] = Path(
        "scenario.toml"),
) -> None:
    """Write a starter scenario (a copy of the bundled example) to edit. Never overwrites."""
    if path.exists():
        raise PlannerError("already exists: not overwriting it", str(path))
    header = ("# A starter scenario: edit it, then run `planner project "
              f"{path.name}`.\n# Every key is described in docs/scenario.md.\n\n")
    from planner.report import write_atomic

    if not path.parent.exists():
        raise PlannerError("folder does not exist", str(path.parent))
    # The example's own text, comments and layout kept, so errors point at the lines users edit.
    write_atomic(path, header + _example_text())
    print(f"wrote {path}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario file (for editor completion and checks)."""
    import json

    from planner.scenario import Scenario

    print(json.dumps(Scenario.model_json_schema(), indent=2))


@app.command()
def tax(
    year: Annotated[int, typer.Option(help="Tax year (2024 on; later years are indexed).")],
    status: Annotated[Status, typer.Option(help="Filing status.")] = Status.single,
    age: Annotated[list[int], typer.Option(
        help="Age on 31 December; give it twice for a joint return.")] = [65],  # noqa: B006
    ordinary: Annotated[float, typer.Option(
        help="Pensions, taxable IRA distributions, wages, other ordinary income.")] = 0.0,
    social_security: Annotated[float, typer.Option(help="Gross Social Security benefits.")] = 0.0,
    interest: Annotated[float, typer.Option(help="Taxable interest.")] = 0.0,
    qualified_dividends: Annotated[float, typer.Option(help="Qualified dividends.")] = 0.0,
    ltcg: Annotated[float, typer.Option(
        help="Net long-term capital gain; negative for a net loss.")] = 0.0,
    inflation: Annotated[float, typer.Option(
        help="Inflation used to index years after the last published rules.")] = 0.025,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    explain: Annotated[bool, typer.Option(help="Show the worksheet behind the numbers.")] = False,
) -> None:
    """Federal tax of one household-year: a what-if with the engine's own tax code."""
    from planner.federal_tax import TaxInput, compute_tax, explain_tax, marginal_rate
    from planner.rules import RulesError, rules_for_year

    expected = 2 if status is Status.mfj else 1
    if len(age) != expected:
        raise PlannerError(f"give --age {expected} time(s) for {status.value}", key="--age")
    try:
        rules = rules_for_year(year, inflation)
    except RulesError as exc:
        raise PlannerError(str(exc), key="--year") from None
    for key, value in (("--ordinary", ordinary), ("--social-security", social_security),
                       ("--interest", interest), ("--qualified-dividends", qualified_dividends)):
        if value < 0:
            raise PlannerError(f"must not be negative (got {value})", key=key)
    inp = TaxInput(status.value, tuple(age), ordinary, interest, qualified_dividends, ltcg, 0.0,
                   social_security)
    r = compute_tax(inp, rules)
    result = {
        "agi": r.agi, "taxable_social_security": r.taxable_social_security,
        "deduction": r.deduction, "taxable_income": r.taxable_income,
        "ordinary_tax": r.ordinary_tax, "preferential_tax": r.preferential_tax,
        "income_tax": r.income_tax, "niit": r.niit, "total_tax": r.total_tax,
        "marginal_rate": round(marginal_rate(inp, rules), 4),
    }
    result = {k: round(v, 2) if k != "marginal_rate" else v for k, v in result.items()}
    if format is Format.json:
        doc = dict(result)
        if explain:
            doc["worksheet"] = [[label, round(v, 2) if isinstance(v, float) else v]
                                for label, v in explain_tax(inp, rules)]
        import json

        print(json.dumps(doc, indent=2))
        return
    if format is Format.csv:
        print(",".join(result))
        print(",".join(str(v) for v in result.values()))
        return
    from rich.console import Console
    from rich.table import Table

    projected = f" (projected from {rules.projected_from})" if rules.projected_from else ""
    table = Table(title=f"Federal tax {year}{projected}, {status.value}", header_style="bold")
    table.add_column("Line")
    table.add_column("Amount", justify="right")
    rows = explain_tax(inp, rules) if explain else list(result.items())
    for label, value in rows:
        shown = (f"{value:.1%}" if label == "marginal_rate" else
                 f"{value:,.2f}" if isinstance(value, float) else str(value))
        table.add_row(label, shown)
    if explain:
        table.add_row("marginal rate on the next $100 of ordinary income",
                      f"{result['marginal_rate']:.1%}")
    Console().print(table)


@app.command()
def rules(
    year: Annotated[int, typer.Argument(help="Tax year (2024 on; later years are indexed).")],
    inflation: Annotated[float, typer.Option(
        help="Inflation used to index years after the last published rules.")] = 0.025,
) -> None:
    """Print a tax year's federal figures, with their sources, to check against the IRS."""
    from rich.console import Console
    from rich.table import Table

    from planner.rules import RulesError, rules_for_year

    try:
        r = rules_for_year(year, inflation)
    except RulesError as exc:
        raise PlannerError(str(exc), key="YEAR") from None
    note = (f" (projected from {r.projected_from} at {inflation:.1%} inflation)"
            if r.projected_from else "")
    table = Table(title=f"Federal rules {year}{note}", header_style="bold")
    for head in ("Figure", "Single", "Married filing jointly"):
        table.add_column(head, justify="left" if head == "Figure" else "right")

    def money(x: float) -> str:
        return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}"

    s, m = r.single, r.mfj
    for rate, a, b in zip(s.bracket_rates, s.bracket_floors, m.bracket_floors, strict=True):
        table.add_row(f"{rate:.0%} bracket starts over", money(a), money(b))
    table.add_row("Standard deduction", money(s.standard_deduction), money(m.standard_deduction))
    table.add_row("Additional, per person 65+", money(s.additional_65), money(m.additional_65))
    table.add_row("Senior deduction, per person 65+", money(r.senior_amount),
                  money(r.senior_amount))
    table.add_row("  phased out at 6% of MAGI over", money(s.senior_phaseout_start),
                  money(m.senior_phaseout_start))
    table.add_row("0% gains rate up to taxable income", money(s.cg_zero_top), money(m.cg_zero_top))
    table.add_row("15% gains rate up to", money(s.cg_fifteen_top), money(m.cg_fifteen_top))
    table.add_row("NIIT (3.8%) MAGI threshold", money(s.niit_threshold), money(m.niit_threshold))
    table.add_row("Social Security base amount", money(s.ss_base), money(m.ss_base))
    table.add_row("Social Security adjusted base", money(s.ss_adjusted_base),
                  money(m.ss_adjusted_base))
    table.add_row("Capital loss limit", money(r.capital_loss_limit), money(r.capital_loss_limit))
    for tier, (a, b) in enumerate(zip(s.irmaa_thresholds, m.irmaa_thresholds, strict=True), 1):
        edge = "at or above" if tier == len(s.irmaa_thresholds) else "over"
        surcharge = r.part_b_surcharge[tier] + r.part_d_surcharge[tier]
        table.add_row(f"IRMAA tier {tier} ({edge}; ${surcharge:,.2f}/month B+D)", money(a),
                      money(b))
    table.add_row("Part B standard premium (monthly)", money(r.part_b_standard),
                  money(r.part_b_standard))
    table.add_row("QCD limit per IRA owner", money(r.qcd_limit), money(r.qcd_limit))
    console = Console()
    console.print(table)
    for key, source in r.sources:
        console.print(f"[dim]{key}: {source}[/dim]", highlight=False)


def main() -> None:
    """Entry point: runs the app and turns every input or usage error into one line, exit 2."""
    try:
        code = app(standalone_mode=False)
    except PlannerError as exc:
        sys.stderr.write(f"{exc}\n")
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("aborted\n")
        sys.exit(130)
    except typer.TyperException as exc:
        # typer vendors its own click: usage errors are TyperException (typer >= 0.29).
        if type(exc).__name__ == "NoArgsIsHelpError":
            sys.stdout.write(exc.format_message() + "\n")
            sys.exit(0)
        sys.stderr.write("planner: " + " ".join(exc.format_message().split()) + "\n")
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    if isinstance(code, int) and code:
        sys.exit(code)


# Commands defined in their own modules register themselves on `app`.
from planner import (  # noqa: E402,F401
    cli_batch,
    cli_compare,
    cli_explain,
    cli_optimize,
    cli_simulate,
)
