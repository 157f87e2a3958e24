"""`planner diff`: cell-by-cell comparison of outputs and output folders, for CI."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from planner.diff import compare_cell, parse_csv, parse_json
from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "couple-65-63.toml"


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    return {fmt: run_cli("project", SCENARIO, "-f", fmt)[1] for fmt in ("csv", "json")}


def pair(tmp_path: Path, old: str, new: str, suffix: str = ".csv") -> tuple[Path, Path]:
    a, b = tmp_path / f"expected{suffix}", tmp_path / f"actual{suffix}"
    a.write_text(old, encoding="utf-8")
    b.write_text(new, encoding="utf-8")
    return a, b


def set_cell(text: str, year: str, column: str, value: str) -> str:
    lines = text.splitlines(keepends=True)
    col = lines[0].rstrip("\n").split(",").index(column)
    for i, line in enumerate(lines):
        cells = line.rstrip("\n").split(",")
        if cells[0] == year:
            cells[col] = value
            lines[i] = ",".join(cells) + "\n"
    return "".join(lines)


def cell(text: str, year: str, column: str) -> str:
    lines = text.splitlines()
    col = lines[0].split(",").index(column)
    return next(line.split(",")[col] for line in lines if line.startswith(year + ","))


def test_equal_files_exit_0(tmp_path: Path, outputs: dict[str, str]) -> None:
    for suffix, text in ((".csv", outputs["csv"]), (".json", outputs["json"])):
        code, stdout, stderr = run_cli("diff", *pair(tmp_path, text, text, suffix))
        assert (code, stdout, stderr) == (0, "equal within tolerance 0.01\n", "")


def test_a_cent_is_within_the_default_tolerance_two_are_not(tmp_path: Path,
                                                            outputs: dict[str, str]) -> None:
    old = outputs["csv"]
    tax = Decimal(cell(old, "2030", "federal_tax"))
    one_cent = set_cell(old, "2030", "federal_tax", f"{tax + Decimal('0.01'):.2f}")
    assert run_cli("diff", *pair(tmp_path, old, one_cent))[0] == 0
    assert run_cli("diff", *pair(tmp_path, old, one_cent), "--tolerance", "0")[0] == 1
    two_cents = set_cell(old, "2030", "federal_tax", f"{tax + Decimal('0.02'):.2f}")
    code, stdout, _ = run_cli("diff", *pair(tmp_path, old, two_cents))
    assert code == 1
    assert stdout.splitlines()[0].split() == ["file", "row", "column", "old", "new", "delta"]
    assert stdout.splitlines()[1].split() == ["actual.csv", "2030", "federal_tax", f"{tax:.2f}",
                                              f"{tax + Decimal('0.02'):.2f}", "+0.02"]
    assert stdout.endswith("different: 1 changed cell (tolerance 0.01)\n")
    assert run_cli("diff", *pair(tmp_path, old, two_cents), "--tolerance", "5")[0] == 0


def test_text_cells_compare_exactly(tmp_path: Path, outputs: dict[str, str]) -> None:
    new = set_cell(outputs["csv"], "2027", "filing_status", "single")
    code, stdout, _ = run_cli("diff", *pair(tmp_path, outputs["csv"], new), "--tolerance", "1e9")
    assert code == 1
    assert stdout.splitlines()[1].split() == ["actual.csv", "2027", "filing_status", "mfj",
                                              "single"]


def test_removed_and_added_rows_and_columns(tmp_path: Path, outputs: dict[str, str]) -> None:
    lines = outputs["csv"].splitlines(keepends=True)
    without_2031 = "".join(line for line in lines if not line.startswith("2031,"))
    code, stdout, _ = run_cli("diff", *pair(tmp_path, outputs["csv"], without_2031))
    assert code == 1 and stdout.splitlines()[0].split() == ["removed", "row", "actual.csv", "2031"]
    code, stdout, _ = run_cli("diff", *pair(tmp_path, without_2031, outputs["csv"]))
    assert code == 1 and stdout.splitlines()[0].split() == ["added", "row", "actual.csv", "2031"]
    extra = "".join(line.rstrip("\n") + (",x\n" if i else ",new_column\n")
                    for i, line in enumerate(lines))
    code, stdout, _ = run_cli("diff", *pair(tmp_path, outputs["csv"], extra))
    assert code == 1 and stdout.splitlines() == [
        "added column  actual.csv  new_column",
        "different: 1 added column (tolerance 0.01)"]
    code, stdout, _ = run_cli("diff", *pair(tmp_path, extra, outputs["csv"]))
    assert code == 1 and stdout.startswith("removed column  actual.csv  new_column\n")


def test_json_years_and_summary(tmp_path: Path, outputs: dict[str, str]) -> None:
    doc = json.loads(outputs["json"])
    doc["summary"]["lifetime_irmaa"] += 100
    doc["years"][3]["irmaa"] += 100
    code, stdout, _ = run_cli("diff", *pair(tmp_path, outputs["json"], json.dumps(doc), ".json"))
    assert code == 1
    rows = [line.split() for line in stdout.splitlines()[1:3]]
    assert [r[1:3] for r in rows] == [[str(doc["years"][3]["year"]), "irmaa"],
                                      ["summary", "lifetime_irmaa"]]
    assert Decimal(rows[0][-1]) == Decimal(rows[1][-1]) == 100


def test_folders_match_by_relative_path(tmp_path: Path, outputs: dict[str, str]) -> None:
    a, b = tmp_path / "expected", tmp_path / "actual"
    for root in (a, b):
        (root / "east").mkdir(parents=True)
        (root / "east" / "smith.csv").write_text(outputs["csv"], encoding="utf-8")
        (root / "summary.json").write_text(outputs["json"], encoding="utf-8")
        (root / "notes.txt").write_text(str(root), encoding="utf-8")  # not an output: ignored
    assert run_cli("diff", a, b)[0] == 0
    (a / "gone.csv").write_text(outputs["csv"], encoding="utf-8")
    (b / "east" / "new.json").write_text(outputs["json"], encoding="utf-8")
    changed = set_cell(outputs["csv"], "2040", "end_total", "1.00")
    (b / "east" / "smith.csv").write_text(changed, encoding="utf-8")
    code, stdout, _ = run_cli("diff", a, b)
    lines = [line.split() for line in stdout.splitlines()]
    assert code == 1
    assert lines[:2] == [["removed", "file", "gone.csv"], ["added", "file", "east/new.json"]]
    assert lines[3][:5] == ["east/smith.csv", "2040", "end_total",
                            cell(outputs["csv"], "2040", "end_total"), "1.00"]
    assert lines[-1][:4] == ["different:", "1", "removed", "file,"]


def test_limit_caps_the_listing_not_the_count(tmp_path: Path, outputs: dict[str, str]) -> None:
    new = outputs["csv"].replace(",mfj,", ",single,")
    code, stdout, _ = run_cli("diff", *pair(tmp_path, outputs["csv"], new), "--limit", "2")
    lines = stdout.splitlines()
    assert code == 1 and len(lines) == 5
    changed = outputs["csv"].count(",mfj,")
    assert lines[3] == f"... and {changed - 2} more changed cells (see --limit)"
    assert lines[4].startswith(f"different: {changed} changed cells")


@pytest.mark.parametrize("old, new, suffix, message", [
    ("year,a\n2026,1\n", "year,a\n2026,1,2\n", ".csv", "actual.csv:2: row has 3 cells"),
    ("year,a\n2026,1\n", "", ".csv", "actual.csv:1: empty file"),
    ("year,a\n2026,1\n", "year,a\n2026,1\n2026,2\n", ".csv", "actual.csv:3: duplicate row '2026'"),
    ("year,a\n", "year,a,a\n", ".csv", "actual.csv:1: a: duplicate column"),
    ("{}", "{\n  \"years\": [,]\n}", ".json", "actual.json:2: not valid JSON"),
    ("{}", "[1, 2]", ".json", "actual.json:1: expected a JSON object"),
    ("{}", "[" * 100_000, ".json", "not valid JSON"),
    ("{}", "{}", ".txt", "expected.txt: not a .csv or .json output"),
])
def test_unreadable_input_exits_2_with_one_line(tmp_path: Path, old: str, new: str, suffix: str,
                                                message: str) -> None:
    code, stdout, stderr = run_cli("diff", *pair(tmp_path, old, new, suffix))
    assert (code, stdout, stderr.count("\n")) == (2, "", 1), stderr
    assert message in stderr


def test_bad_arguments_exit_2(tmp_path: Path, outputs: dict[str, str]) -> None:
    a, b = pair(tmp_path, outputs["csv"], outputs["csv"])
    (tmp_path / "c.json").write_text(outputs["json"], encoding="utf-8")
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00")
    cases = [
        ((a, tmp_path / "missing.csv"), "missing.csv: B: no such file or folder"),
        ((a, tmp_path), "cannot compare a folder with a file"),
        ((a, tmp_path / "c.json"), "cannot compare .csv with .json"),
        ((a, tmp_path / "bin.csv"), "bin.csv: not UTF-8 text"),
        ((a, b, "--tolerance", "-1"), "--tolerance: must be a finite number, 0 or more"),
        ((a, b, "--tolerance", "nan"), "--tolerance: must be a finite number, 0 or more"),
        ((a, b, "--limit", "-1"), "--limit: must be 0 or more"),
    ]
    for args, message in cases:
        code, stdout, stderr = run_cli("diff", *args)
        assert (code, stdout, stderr.count("\n")) == (2, "", 1), stderr
        assert message in stderr, stderr


def test_cells_compare_as_decimals() -> None:
    tol = Decimal("0.01")
    assert compare_cell("100.01", "100.00", tol) == (True, "-0.01")
    assert compare_cell("0.1", "0.3", Decimal("0.2")) == (True, "+0.2")
    assert compare_cell("", "", tol) == (True, "")
    assert compare_cell("", "0.00", tol) == (False, "")
    assert compare_cell("nan", "nan", tol) == (True, "")
    assert compare_cell("1e999999", "-1e999999", tol)[0] is False
    assert compare_cell(Decimal("2026"), "2026", tol) == (True, "+0")
    assert compare_cell(None, Decimal(0), tol) == (False, "")
    assert compare_cell(True, "true", tol) == (False, "")


def test_tables_label_rows_by_year_then_file_then_position() -> None:
    assert [label for label, _ in parse_csv("year,x\n2026,1\n2027,2\n", "f").rows] == [
        "2026", "2027"]
    assert [label for label, _ in parse_csv("file,x\na.toml,1\n", "f").rows] == ["a.toml"]
    assert [label for label, _ in parse_csv("x\n1\n2\n", "f").rows] == ["row 1", "row 2"]
    doc = parse_json('{"command": "project", "scenarios": [{"file": "a.toml", "x": 1.5}], '
                     '"years": [{"year": 2026}], "summary": {"y": null}}', "f")
    assert [label for label, _ in doc.rows] == ["(top level)", "scenarios[a.toml]", "2026",
                                                "summary"]
    assert doc.rows[1][1] == {"file": "a.toml", "x": Decimal("1.5")}
