"""`planner batch`: a folder of scenarios in, one output per file and a summary out."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from planner import batch
from planner.errors import PlannerError
from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
GOOD = (ROOT / "scenarios" / "couple-65-63.toml").read_text(encoding="utf-8")
BAD = GOOD.replace("start_year = 2026", 'start_year = "soon"', 1)
POOR = GOOD.replace("annual = 110000", "annual = 300000", 1)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def write(folder: Path, rel: str, text: str) -> None:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    """Good, bad, shortfall and nested files, plus things batch must ignore."""
    folder = tmp_path / "clients"
    write(folder, "a.toml", GOOD)
    write(folder, "east/smith.toml", GOOD.replace("annual = 110000", "annual = 90000", 1))
    write(folder, "east/bad.toml", BAD)
    write(folder, "west/deep/poor.toml", POOR)
    write(folder, ".hidden/ignored.toml", BAD)
    write(folder, "notes.txt", "not a scenario")
    return folder


def summary(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_mixed_folder_runs_the_good_and_reports_the_bad(mixed: Path, tmp_path: Path) -> None:
    before = files(mixed)
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("batch", mixed, "--out", out, "--jobs", "1")
    assert code == 2
    assert files(mixed) == before  # nothing written inside the input folder
    assert sorted(files(out)) == ["a.csv", "east/smith.csv", "summary.csv",
                                  "west/deep/poor.csv"]
    bad_lines = [line for line in stderr.splitlines() if "bad.toml" in line]
    assert bad_lines == [f"{mixed / 'east' / 'bad.toml'}:4: plan.start_year: input should be a "
                         "valid integer (got 'soon')"]
    rows = summary(out / "summary.csv")
    assert [(r["file"], r["status"]) for r in rows] == [
        ("a.toml", "OK"), ("east/bad.toml", "error"), ("east/smith.toml", "OK"),
        ("west/deep/poor.toml", "shortfall")]
    assert list(rows[0]) == ["file", "lifetime_federal_tax", "lifetime_irmaa",
                             "after_tax_estate", "first_shortfall_year", "status", "error"]
    assert rows[1]["error"].startswith("east/bad.toml:4: plan.start_year:")
    assert rows[1]["lifetime_federal_tax"] == "" and rows[3]["first_shortfall_year"] != ""
    assert "Batch summary" in stdout and "west/deep/poor.toml" in stdout


def test_outputs_are_what_project_writes(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_cli("batch", mixed, "--out", out, "--jobs", "1")
    for fmt in ("csv", "json"):
        code, expected, _ = run_cli("project", mixed / "west/deep/poor.toml", "-f", fmt)
        assert code == 0
        run_cli("batch", mixed, "--out", out, "-f", fmt, "--jobs", "1")
        assert (out / f"west/deep/poor.{fmt}").read_text(encoding="utf-8") == expected
    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert doc["command"] == "project"
    assert [s["status"] for s in doc["scenarios"]] == ["OK", "error", "OK", "shortfall"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_jobs_do_not_change_a_byte(tmp_path: Path, mixed: Path, fmt: str) -> None:
    for i in range(40):  # enough files for several chunks per worker
        write(mixed, f"many/{i:02d}.toml",
              GOOD.replace("annual = 110000", f"annual = {60000 + 2500 * i}", 1))
    outputs = {}
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"out{jobs}"
        code, _, _ = run_cli("batch", mixed, "--out", out, "-f", fmt, "--jobs", jobs)
        assert code == 2
        outputs[jobs] = files(out)
    assert len(outputs["1"]) == 44
    assert outputs["1"] == outputs["2"] == outputs["3"]


def test_all_good_exits_0_and_fail_on_shortfall_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder, "a.toml", GOOD)
    code, _, stderr = run_cli("batch", folder, "--jobs", "1")
    assert (code, stderr.splitlines()) == (0, ["[1/1] a.toml: OK"])
    assert (tmp_path / "in-out" / "a.csv").is_file()  # the default: beside, not inside
    assert run_cli("batch", folder, "--fail-on-shortfall")[0] == 0
    write(folder, "b.toml", POOR)
    code, _, stderr = run_cli("batch", folder, "--fail-on-shortfall")
    assert code == 1 and stderr.endswith("shortfall in 1 of 2 plans\n")


def test_summary_names_the_folder_as_written(tmp_path: Path) -> None:
    """A folder name is not rich markup: "[q4]" stays in the summary's caption."""
    folder = tmp_path / "[q4] clients"
    write(folder, "a.toml", GOOD)
    code, stdout, _ = run_cli("batch", folder, "--jobs", "1")
    assert code == 0
    caption = "".join(stdout.split())  # the caption wraps to the table's width
    assert "Outputsin" + str(tmp_path / "[q4]clients-out") + "," in caption, stdout


def test_out_inside_the_folder_only_when_asked_and_never_read_back(mixed: Path) -> None:
    out = mixed / "results"
    first = run_cli("batch", mixed, "--out", out, "--jobs", "1")
    write(out, "stray.toml", BAD)  # a .toml inside the output folder is not an input
    second = run_cli("batch", mixed, "--out", out, "--jobs", "1")
    assert first[0] == second[0] == 2
    assert summary(out / "summary.csv")[-1]["file"] == "west/deep/poor.toml"
    assert len(summary(out / "summary.csv")) == 4


def test_a_file_that_turns_bad_loses_its_stale_output(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_cli("batch", mixed, "--out", out, "--jobs", "1")
    assert (out / "a.csv").is_file()
    write(mixed, "a.toml", BAD)
    run_cli("batch", mixed, "--out", out, "--jobs", "1")
    assert not (out / "a.csv").exists()


def test_a_scenario_named_summary_cannot_overwrite_the_summary(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder, "summary.toml", GOOD)
    write(folder, "z.toml", GOOD)
    code, _, stderr = run_cli("batch", folder, "--jobs", "1")
    assert code == 2 and "summary.toml: its output would overwrite the batch summary" in stderr
    rows = summary(tmp_path / "in-out" / "summary.csv")
    assert [(r["file"], r["status"]) for r in rows] == [("summary.toml", "error"), ("z.toml", "OK")]


@pytest.mark.parametrize("args, message", [
    (["missing"], "missing: DIR: no such folder"),
    (["empty"], "empty: DIR: no *.toml scenario files found"),
    (["in/a.toml"], "is a file, not a folder"),
    (["in", "--jobs", "-1"], "--jobs: must be 0 or more"),
    (["in", "--command", "nope"], "--command: unknown command 'nope'; one of: project"),
    (["in", "--out", "in/a.toml"], "--out: exists and is not a folder"),
    (["in", "--format", "xml"], "planner: Invalid value for '--format'"),
])
def test_bad_usage_is_one_line_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      args: list[str], message: str) -> None:
    write(tmp_path, "in/a.toml", GOOD)
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = run_cli("batch", *args)
    assert (code, stdout, stderr.count("\n")) == (2, "", 1), stderr
    assert message in stderr


def test_find_scenarios_sorts_by_path_components(tmp_path: Path) -> None:
    for rel in ("b.toml", "a-b.toml", "a/z.toml", "a/b/c.toml", "A.toml", ".x/y.toml", "c.txt"):
        write(tmp_path, rel, "")
    assert batch.find_scenarios(tmp_path) == ["A.toml", "a/b/c.toml", "a/z.toml", "a-b.toml",
                                              "b.toml"]
    assert batch.find_scenarios(tmp_path, tmp_path / "a") == ["A.toml", "a-b.toml", "b.toml"]


def test_output_paths_stay_inside_the_output_folder(tmp_path: Path) -> None:
    assert batch.output_path(tmp_path, "x/y.z.toml", "csv") == tmp_path / "x" / "y.z.csv"
    for rel in ("../evil.toml", "/etc/x.toml", "a/./b.toml", "a//b.toml", ""):
        with pytest.raises(PlannerError):
            batch.output_path(tmp_path, rel, "csv")


def test_default_out_dir_is_a_sibling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert batch.default_out_dir(Path("clients")) == Path("clients-out")
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    assert batch.default_out_dir(Path(".")) == tmp_path / "here-out"
    with pytest.raises(PlannerError):
        batch.default_out_dir(Path("/"))


def test_chunks_amortise_but_keep_workers_busy() -> None:
    assert batch.chunk_size(3, 2) == 1
    assert batch.chunk_size(1000, 2) == 32
    assert batch.chunk_size(160, 2) == 10


def test_an_engine_crash_is_one_files_error(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    def broken(scenario: object, name: str, fmt: str) -> tuple[str, dict[str, object]]:
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(batch.COMMANDS, "project", broken)
    write(tmp_path, "in/a.toml", GOOD)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.csv").write_text("stale", encoding="utf-8")
    job = batch.make_jobs(tmp_path / "in", tmp_path / "out", ["a.toml"], "project", "csv")[0]
    outcome = batch.run_one(job)
    assert outcome.status == "error" and not (tmp_path / "out" / "a.csv").exists()
    assert outcome.error_rel == "a.toml: internal error, please report it: ZeroDivisionError: boom"


def test_the_batch_does_not_touch_inputs_even_when_out_is_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder, "a.toml", GOOD)
    shutil.copy(folder / "a.toml", folder / "b.toml")
    before = files(folder)
    code, _, _ = run_cli("batch", folder, "--out", folder, "--jobs", "1")
    after = files(folder)
    assert code == 0
    assert {k: after[k] for k in before} == before
    assert sorted(after) == ["a.csv", "a.toml", "b.csv", "b.toml", "summary.csv"]
