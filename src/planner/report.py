"""Turning a projection into what users read and diff: CSV, JSON and rich tables.

Columns follow `shared/docs/scenario.md` in its order; extra columns come after them.
Money is written with two decimals, so the same projection always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from planner.engine import Projection, YearResult

MONEY_COLUMNS = (
    "spending", "income_social_security", "income_other", "rmd", "withdraw_cash",
    "withdraw_taxable", "withdraw_traditional", "withdraw_roth", "roth_conversion", "qcd",
    "realized_gains", "taxable_social_security", "agi", "magi", "taxable_income", "federal_tax",
    "niit", "irmaa", "investment_return", "end_cash", "end_taxable", "end_traditional", "end_roth",
    "end_total", "shortfall",
)
EXTRA_COLUMNS = ("start_total", "ordinary_bracket", "irmaa_tier", "loss_carryforward",
                 "reinvested", "conversion_tax_withheld", "harvested_losses", "state",
                 "state_tax", "aca_net_premium", "annuity_premium", "withdraw_hsa", "hsa_medical",
                 "end_hsa", "contributions", "employer_contributions", "payroll_tax",
                 "early_withdrawal_penalty")
EXTRA_MONEY = ("start_total", "loss_carryforward", "reinvested", "conversion_tax_withheld",
               "harvested_losses", "state_tax", "aca_net_premium", "annuity_premium",
               "withdraw_hsa", "hsa_medical", "end_hsa", "contributions", "employer_contributions",
               "payroll_tax", "early_withdrawal_penalty")
_MONEY = frozenset((*MONEY_COLUMNS, *EXTRA_MONEY))
# The table's money columns after Year and Ages: (heading, column).
TABLE_COLUMNS = (
    ("Spending", "spending"), ("Soc Sec", "income_social_security"),
    ("Other inc", "income_other"), ("RMD", "rmd"), ("Cash", "withdraw_cash"),
    ("Taxable", "withdraw_taxable"), ("Trad", "withdraw_traditional"),
    ("Roth", "withdraw_roth"), ("Conv", "roth_conversion"), ("QCD", "qcd"),
    ("Fed tax", "federal_tax"), ("IRMAA", "irmaa"), ("End total", "end_total"),
)
SUMMARY_KEYS = ("lifetime_federal_tax", "lifetime_irmaa", "end_total", "after_tax_estate",
                "first_shortfall_year", "lifetime_state_tax", "lifetime_aca_net_premium",
                "lifetime_payroll_tax", "lifetime_early_withdrawal_penalty")


def columns(projection: Projection) -> list[str]:
    """Every output column, in the contract's order, then the extras."""
    ages = [f"age_{name}" for name in projection.people]
    return ["year", *ages, "filing_status", *MONEY_COLUMNS, *EXTRA_COLUMNS]


def _row(projection: Projection, r: YearResult) -> dict[str, Any]:
    row: dict[str, Any] = {"year": r.year}
    for name, age in zip(projection.people, r.ages, strict=True):
        row[f"age_{name}"] = age
    row["filing_status"] = r.filing_status
    for key in MONEY_COLUMNS:
        row[key] = round(getattr(r, key), 2)
    for key in EXTRA_COLUMNS:
        value = getattr(r, key)
        row[key] = round(value, 2) if key in _MONEY else value
    return row


def rows(projection: Projection) -> list[dict[str, Any]]:
    return [_row(projection, r) for r in projection.years]


def summary_dict(projection: Projection) -> dict[str, Any]:
    s = projection.summary
    return {key: getattr(s, key) for key in SUMMARY_KEYS}


def _cell(value: Any, money: bool) -> str:
    if value is None:
        return ""
    return f"{value:.2f}" if money else str(value)


def to_csv(projection: Projection) -> str:
    cols = columns(projection)
    money = [c in _MONEY for c in cols]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cols)
    for row in rows(projection):
        writer.writerow([_cell(row[c], m) for c, m in zip(cols, money, strict=True)])
    return out.getvalue()


def to_dict(projection: Projection, scenario_name: str) -> dict[str, Any]:
    """The JSON document of a projection, as a dict (commands may add to it)."""
    return {"scenario": scenario_name, "years": rows(projection),
            "summary": summary_dict(projection)}


def to_json(projection: Projection, scenario_name: str) -> str:
    import json

    return json.dumps(to_dict(projection, scenario_name), indent=2) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename: never a partial file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs get the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def table_console(output: Path | None, width: int = 160):
    """A rich Console for a table: the terminal (wide enough when piped), or a recording one whose
    text `console.export_text()` gives for `--output`. Emoji codes are off: planner writes none,
    and a ":name:" in a user's text stays as typed."""
    from rich.console import Console

    if output is not None:
        return Console(record=True, width=width, file=io.StringIO(), emoji=False)
    console = Console(emoji=False)
    return console if console.is_terminal else Console(width=width, emoji=False)


def as_written(text: str, style: str = "table.title"):
    """A table title or caption drawn as written: scenario, file and folder names are not rich
    markup (a name like "[draft] plan.toml" would lose its "[draft]") and ":codes:" in them do
    not turn into emoji. `style`: rich's own for the place ("table.title", "table.caption")."""
    from rich.text import Text

    return Text(text, style=style)


def _money(x: float) -> str:
    return f"{x:,.0f}" if x else "-"


def render_table(projection: Projection, title: str):
    """A rich Table of the main columns and a summary Panel.

    Each column holds one multi-line Text, a line a year, rather than a cell a year: rich lays
    out and renders every cell on its own (about 0.1 ms a cell, most of the command's drawing
    time), and as no lines are drawn between rows the table looks exactly the same.
    """
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    # Columns that are zero in every year are left out of the table (CSV and JSON keep them).
    years = projection.years
    shown = [(head, key) for head, key in TABLE_COLUMNS
             if key == "end_total" or any(getattr(r, key) for r in years)]
    table = Table(title=as_written(title), show_lines=False, header_style="bold")
    table.add_column("Year", no_wrap=True)
    table.add_column("Ages", no_wrap=True)
    for head, _ in shown:
        table.add_column(head, justify="right", no_wrap=True)
    table.add_column("Shortfall", justify="right", no_wrap=True)
    shortfall = Text()
    for i, r in enumerate(years):
        shortfall.append("\n" if i else "")
        shortfall.append(_money(r.shortfall), style="red" if r.shortfall else "")
    table.add_row(
        Text("\n".join(str(r.year) for r in years)),
        Text("\n".join("/".join("-" if a is None else str(a) for a in r.ages) for r in years)),
        *(Text("\n".join(_money(getattr(r, key)) for r in years)) for _, key in shown),
        shortfall,
    )
    s = projection.summary
    shortfall = (f"[red]first shortfall in {s.first_shortfall_year}[/red]"
                 if s.first_shortfall_year else "[green]funded every year[/green]")
    first, last = projection.years[0].year, projection.years[-1].year
    panel = Panel(
        f"Years: {first}-{last}   Lifetime federal tax: ${s.lifetime_federal_tax:,.0f}   "
        f"Lifetime IRMAA: ${s.lifetime_irmaa:,.0f}\n"
        f"End balance: ${s.end_total:,.0f}   After-tax estate: ${s.after_tax_estate:,.0f}   "
        f"{shortfall}",
        title=Text("Summary"), expand=False,
    )
    return table, panel
