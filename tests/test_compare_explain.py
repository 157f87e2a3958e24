"""`planner compare`, `planner explain` and `planner project --explain`, through the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.conftest import EXAMPLE, ROOT

LOTS = ROOT / "scenarios" / "taxable-lots-losses.toml"


def test_compare_json_has_one_row_per_variant_and_one_best(run_cli) -> None:
    res = run_cli("compare", EXAMPLE, "-s", "conventional,hierarchy+bracket-0.12,+irmaa-0",
                  "-f", "json")
    assert res.code == 0, res.err
    rows = json.loads(res.out)["strategies"]
    assert [r["strategy"] for r in rows] == [
        "conventional+none", "hierarchy+bracket-0.12", "conventional+irmaa-0"]
    assert sum(r["best"] for r in rows) == 1
    best = next(r for r in rows if r["best"])
    assert best["after_tax_estate"] == max(r["after_tax_estate"] for r in rows)
    years = sum(v for k, v in rows[0].items() if k.startswith("years_at_"))
    assert years == 2058 - 2026 + 1


def test_compare_csv_and_table(run_cli, tmp_path: Path) -> None:
    res = run_cli("compare", LOTS, "-f", "csv")
    assert res.code == 0, res.err
    rows = list(csv.DictReader(io.StringIO(res.out)))
    assert len(rows) == 6 + 5 - 1  # six orders, the file's order with five policies, one shared
    assert [r["best"] for r in rows].count("True") == 1
    out = tmp_path / "cmp.txt"
    assert run_cli("compare", LOTS, "-o", out).code == 0
    assert "hierarchy+none" in out.read_text()


def test_compare_rejects_unknown_variants(run_cli) -> None:
    res = run_cli("compare", EXAMPLE, "-s", "fifo")
    assert res.code == 2 and "--strategies" in res.err and "fifo" in res.err
    res = run_cli("compare", EXAMPLE, "-s", "conventional+bracket-0.3")
    assert res.code == 2 and "bracket-0.3" in res.err


def test_explain_names_the_rmd_divisor_and_the_irmaa_look_back(run_cli) -> None:
    res = run_cli("explain", EXAMPLE, "2040")
    assert res.code == 0, res.err
    assert "RMD from alex-401k" in res.out and "divisor 21.1" in res.out
    assert "set by the MAGI of 2038" in res.out
    same = run_cli("project", EXAMPLE, "--explain", "2040")
    assert same.out == res.out


def test_explain_lists_lots_sold_and_the_conversion_limit(run_cli, tmp_path: Path) -> None:
    res = run_cli("explain", LOTS, "2026")
    assert "Lot sold in brokerage" in res.out and "loss $24," in res.out
    text = LOTS.read_text().replace('roth_conversion = "none"',
                                    "roth_conversion = { up_to_bracket = 0.12 }")
    path = tmp_path / "conv.toml"
    path.write_text(text)
    res = run_cli("explain", path, "2027", "-f", "json")
    lines = json.loads(res.out)["explanation"]
    assert any("Roth conversion (bracket 12%)" in line for line in lines)
    assert any("top of the 12% bracket" in line for line in lines)


def test_explain_outside_the_plan_is_a_usage_error(run_cli) -> None:
    res = run_cli("explain", EXAMPLE, "2099")
    assert res.code == 2 and "YEAR: 2099 is not a year of the plan (2026-2058)" in res.err
    res = run_cli("project", EXAMPLE, "--explain", "2020")
    assert res.code == 2 and "--explain" in res.err
