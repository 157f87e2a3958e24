"""The `planner` commands end to end: validate, init, schema, --version, project outputs, usage."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from planner import __version__
from tests.conftest import EXAMPLE, CliResult

Run = Callable[..., CliResult]


@pytest.fixture
def run(run_cli: Run) -> Run:
    return run_cli


# The contract's columns, in its order (shared/docs/scenario.md, "Output: one row per year").
CONTRACT_COLUMNS = [
    "year", "age_alex", "age_sam", "filing_status", "spending", "income_social_security",
    "income_other", "rmd", "withdraw_cash", "withdraw_taxable", "withdraw_traditional",
    "withdraw_roth", "roth_conversion", "qcd", "realized_gains", "taxable_social_security", "agi",
    "magi", "taxable_income", "federal_tax", "niit", "irmaa", "investment_return", "end_cash",
    "end_taxable", "end_traditional", "end_roth", "end_total", "shortfall",
]
SUMMARY_KEYS = ["lifetime_federal_tax", "lifetime_irmaa", "end_total", "after_tax_estate",
                "first_shortfall_year"]


def contract_doc_columns() -> list[str]:
    """The column list as written in docs/scenario.md."""
    text = (EXAMPLE.parent.parent / "docs" / "scenario.md").read_text(encoding="utf-8")
    block = text.split("carry at least these keys, in this order", 1)[1].split("`", 2)[1]
    block = re.sub(r"\([^)]*\)", "", block)
    return [c.strip() for c in block.split(",") if c.strip()]


def test_contract_list_matches_the_doc() -> None:
    expected = [c if not c.startswith("age_") else "age_<name>" for c in CONTRACT_COLUMNS]
    assert contract_doc_columns() == list(dict.fromkeys(expected))


def one_error_line(result: CliResult) -> None:
    assert result.code == 2, result
    assert "Traceback" not in result.err
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result.err


def test_validate_good_and_bad(tmp_path: Path, run: Run) -> None:
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    good.write_text(text, encoding="utf-8")
    bad.write_text(text.replace("pia = 1900", "pia = -1900"), encoding="utf-8")
    result = run("validate", good, bad)
    assert result.code == 2
    lines = (result.out + result.err).splitlines()
    assert f"{good}: OK" in lines
    line = text.splitlines().index("pia = 1900") + 1
    errors = [x for x in lines if x.startswith(f"{bad}:")]
    assert errors == [f"{bad}:{line}: income[2].pia: input should be greater than or equal to 0 "
                      "(got -1900)"]
    assert len(lines) == 2


def test_validate_all_good(run: Run) -> None:
    result = run("validate", EXAMPLE)
    assert (result.code, result.out, result.err) == (0, f"{EXAMPLE}: OK\n", "")


def test_init_writes_a_valid_scenario_and_never_overwrites(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "x.toml"
    result = run("init", path)
    assert result.code == 0 and path.exists()
    # The example as written, comments and layout kept, so error lines match what users see.
    assert path.read_text(encoding="utf-8").endswith(EXAMPLE.read_text(encoding="utf-8"))
    assert run("validate", path).code == 0
    projected = run("project", path, "-f", "csv")
    assert projected.code == 0 and projected.out.startswith("year,")
    before = path.read_bytes()
    path.write_bytes(before + b"# my edits\n")
    again = run("init", path)
    one_error_line(again)
    assert str(path) in again.err
    assert path.read_bytes() == before + b"# my edits\n"


def test_init_into_missing_folder(tmp_path: Path, run: Run) -> None:
    result = run("init", tmp_path / "nowhere" / "x.toml")
    one_error_line(result)
    assert not (tmp_path / "nowhere").exists()


def test_schema_is_json_with_the_top_level_tables(run: Run) -> None:
    result = run("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    assert {"plan", "people", "accounts", "income", "spending", "assumptions"} <= set(
        schema["properties"])
    assert {"plan", "people", "spending", "assumptions"} <= set(schema["required"])


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.code == 0
    assert re.fullmatch(r"planner \d+\.\d+\.\d+\S*\n", result.out)
    assert result.out == f"planner {__version__}\n"


def test_project_output_file_matches_stdout(tmp_path: Path, run: Run) -> None:
    out = tmp_path / "out.csv"
    result = run("project", EXAMPLE, "--output", out, "-f", "csv")
    assert result.code == 0 and result.out == ""
    assert out.read_text(encoding="utf-8") == run("project", EXAMPLE, "-f", "csv").out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_project_bad_input_leaves_no_file(tmp_path: Path, run: Run) -> None:
    bad = tmp_path / "in" / "bad.toml"
    bad.parent.mkdir()
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("claim_age = 67",
                                                               "claim_age = 61"))
    outdir = tmp_path / "out"
    outdir.mkdir()
    for fmt in ("csv", "json", "table"):
        result = run("project", bad, "--output", outdir / f"out.{fmt}", "-f", fmt)
        one_error_line(result)
        assert list(outdir.iterdir()) == []


def test_project_output_over_existing_file_is_replaced(tmp_path: Path, run: Run) -> None:
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    assert run("project", EXAMPLE, "-o", out, "-f", "json").code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["years"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_project_output_into_missing_folder(tmp_path: Path, run: Run) -> None:
    result = run("project", EXAMPLE, "-o", tmp_path / "no" / "out.csv", "-f", "csv")
    one_error_line(result)
    assert "--output" in result.err


def test_project_json_shape_and_column_order(run: Run) -> None:
    result = run("project", EXAMPLE, "-f", "json")
    assert result.code == 0
    doc = json.loads(result.out)
    assert list(doc)[:3] == ["scenario", "years", "summary"]
    assert doc["years"], "no years"
    for row in doc["years"]:
        keys = list(row)
        assert keys[:len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert list(doc["summary"])[:len(SUMMARY_KEYS)] == SUMMARY_KEYS
    first = doc["years"][0]
    assert (first["year"], first["age_alex"], first["age_sam"]) == (2026, 65, 63)


def test_project_csv_header_and_cents(run: Run) -> None:
    result = run("project", EXAMPLE, "-f", "csv")
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0][:len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    money = CONTRACT_COLUMNS[4:]
    money_at = [rows[0].index(c) for c in money if c != "filing_status"]
    for row in rows[1:]:
        assert len(row) == len(rows[0])
        for i in money_at:
            assert re.fullmatch(r"-?\d+\.\d\d", row[i]), (rows[0][i], row[i])


def test_project_without_file_uses_the_bundled_example(run: Run) -> None:
    bundled = run("project", "-f", "csv")
    assert bundled.code == 0
    assert bundled.out == run("project", EXAMPLE, "-f", "csv").out


def test_project_table(run: Run) -> None:
    result = run("project", EXAMPLE)
    assert result.code == 0 and "Summary" in result.out and "2026" in result.out


@pytest.mark.parametrize("command", ["project", "compare"])
def test_table_title_shows_the_file_name_as_written(tmp_path: Path, run: Run,
                                                     command: str) -> None:
    """File names are not rich markup: "[draft]" stays, ":thumbs_up:" is not an emoji."""
    scenario = tmp_path / "[draft] plan :thumbs_up:.toml"
    scenario.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run(command, scenario, "-o", tmp_path / "out.txt")
    assert result.code == 0, result.err
    title = (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()[0].strip()
    assert title.endswith(": [draft] plan :thumbs_up:.toml")


@pytest.mark.parametrize("args", [
    ["project", "--bogus"],
    ["--bogus"],
    ["nosuchcommand"],
    ["project", "-f", "xml"],
    ["validate"],
    ["tax", "--year", "soon"],
])
def test_usage_errors_are_one_line(run: Run, args: list[str]) -> None:
    result = run(*args)
    one_error_line(result)
    assert result.out == ""
    assert result.err.startswith("planner: ")


def test_no_arguments_prints_help(run: Run) -> None:
    result = run()
    assert result.code == 0 and "project" in result.out and "Traceback" not in result.err
