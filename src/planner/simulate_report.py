"""A simulation as users read and diff it: year-by-year bands as CSV, everything as JSON, and a
rich summary table. Money has two decimals; the same result always gives the same bytes."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any

from planner.simulate import BAND_COLUMNS, PERCENTILES, SimulationResult

SUMMARY_LABELS = {
    "end_total": "End wealth",
    "end_total_real": "End wealth, start-year $",
    "after_tax_estate": "After-tax estate",
    "after_tax_estate_real": "After-tax estate, start-year $",
    "lifetime_federal_tax": "Lifetime federal tax",
    "lifetime_irmaa": "Lifetime IRMAA",
}


def _by_percentile(values: tuple[float, ...]) -> dict[str, float]:
    return {f"p{p}": v for p, v in zip(PERCENTILES, values, strict=True)}


def band_columns() -> list[str]:
    """CSV header: year, funded, then each band column at each percentile."""
    return ["year", "funded", *(f"{name}_p{p}" for name in BAND_COLUMNS for p in PERCENTILES)]


def to_csv(result: SimulationResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(band_columns())
    for band in result.bands:
        cells = [str(band.year), f"{band.funded:.4f}"]
        for name in BAND_COLUMNS:
            cells += [f"{v:.2f}" for v in band.percentiles[name]]
        writer.writerow(cells)
    return out.getvalue()


def to_dict(result: SimulationResult, scenario_name: str) -> dict[str, Any]:
    worst = asdict(result.worst) if result.worst is not None else None
    return {
        "scenario": scenario_name,
        "model": result.model,
        "paths": result.paths,
        "seed": result.seed,
        "block_years": result.block_years,
        "summary": {
            "probability_funded": result.probability_funded,
            **{name: _by_percentile(values) for name, values in result.summary.items()},
            "worst_start_year": worst,
        },
        "years": [
            {"year": b.year, "funded": b.funded,
             **{name: _by_percentile(b.percentiles[name]) for name in BAND_COLUMNS}}
            for b in result.bands
        ],
        "sequences": [asdict(s) for s in result.sequences],
    }


def to_json(result: SimulationResult, scenario_name: str) -> str:
    return json.dumps(to_dict(result, scenario_name), indent=2) + "\n"


def render(result: SimulationResult, title: str):
    """Rich renderables: the summary table, a table of bands every five years, and a panel."""
    from rich.panel import Panel
    from rich.table import Table

    from planner.report import as_written

    heads = [f"{p}th" for p in PERCENTILES]
    summary = Table(title=as_written(title), header_style="bold")
    summary.add_column("Across paths")
    for head in heads:
        summary.add_column(head, justify="right")
    for name, label in SUMMARY_LABELS.items():
        summary.add_row(label, *(f"{v:,.0f}" for v in result.summary[name]))

    bands = Table(title="End wealth by year, start-year dollars", header_style="bold")
    bands.add_column("Year")
    bands.add_column("Funded", justify="right")
    for head in heads:
        bands.add_column(head, justify="right")
    shown = [b for i, b in enumerate(result.bands) if i % 5 == 0 or i == len(result.bands) - 1]
    for b in shown:
        bands.add_row(str(b.year), f"{b.funded:.1%}",
                      *(f"{v:,.0f}" for v in b.percentiles["end_total_real"]))

    model = result.model + (f", {result.block_years}-year blocks" if result.block_years else "")
    lines = [f"Paths: {result.paths:,} ({model}, seed {result.seed})   "
             f"Funded to the end: {result.probability_funded:.1%}"]
    if result.model == "historical":
        lines.append("Historical returns and inflation replace the scenario's [assumptions] rates.")
    if result.worst is not None:
        w = result.worst
        fate = (f"first shortfall in {w.first_shortfall_year}" if w.first_shortfall_year
                else f"funded, ending with ${w.end_total_real:,.0f} in start-year dollars")
        funded = sum(1 for s in result.sequences if s.first_shortfall_year is None)
        lines.append(f"Historical start years: {funded} of {len(result.sequences)} funded; "
                     f"worst: the sequence of {w.start_year} ({fate})")
    return summary, bands, Panel("\n".join(lines), title="Summary", expand=False)
