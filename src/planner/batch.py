"""Running one command over a folder of scenarios: finding the files, naming the outputs, running
them (in-process or in worker processes) and summarising them.

Output bytes depend only on the inputs, never on the number of workers: results come back in the
order of the sorted inputs and each is a pure function of its file. Printing and exit codes are
the CLI's job (`planner.cli_batch`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.errors import PlannerError

SUMMARY_STEM = "summary"
FORMATS = ("csv", "json")

# A command: (scenario, scenario file name, "csv" | "json") -> (output text, summary row).
# The row holds the command's summary columns, in order, ending with "status".
Runner = Callable[[Any, str, str], tuple[str, dict[str, Any]]]


def _project(scenario: Any, name: str, fmt: str) -> tuple[str, dict[str, Any]]:
    """`planner project`: the same bytes as `planner project FILE -f FMT`."""
    from planner.engine import project
    from planner.report import to_csv, to_json

    result = project(scenario)
    text = to_csv(result) if fmt == "csv" else to_json(result, name)
    s = result.summary
    row = {
        "lifetime_federal_tax": s.lifetime_federal_tax,
        "lifetime_irmaa": s.lifetime_irmaa,
        "after_tax_estate": s.after_tax_estate,
        "first_shortfall_year": s.first_shortfall_year,
        "status": "OK" if s.first_shortfall_year is None else "shortfall",
    }
    return text, row


COMMANDS: dict[str, Runner] = {"project": _project}


@dataclass(frozen=True, slots=True)
class Job:
    """One scenario to run: read `source` (`rel` under the folder), write `target`."""

    command: str
    source: str
    rel: str
    fmt: str
    target: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """One scenario's result: its summary row, or its one-line error (as the user named the file,
    and relative to the folder for the summary)."""

    rel: str
    row: tuple[tuple[str, Any], ...]
    error: str | None = None
    error_rel: str | None = None

    @property
    def status(self) -> str:
        return "error" if self.error is not None else dict(self.row).get("status", "OK")


def default_out_dir(root: Path) -> Path:
    """Where outputs go without `--out`: a sibling folder `<DIR>-out`, never inside DIR."""
    if root.name not in ("", ".", ".."):
        return root.parent / f"{root.name}-out"
    resolved = root.resolve()
    if resolved.parent == resolved:
        raise PlannerError("cannot place outputs next to the root folder: give --out",
                           str(root), key="DIR")
    return resolved.parent / f"{resolved.name}-out"


def find_scenarios(root: Path, out_dir: Path | None = None) -> list[str]:
    """Relative POSIX paths of every `*.toml` under `root`, sorted by path components.

    Hidden files and folders (a leading dot) are skipped, and so is `out_dir` when it lies
    inside `root`. Symlinked folders are not followed.
    """
    if not root.exists():
        raise PlannerError("no such folder", str(root), key="DIR")
    if not root.is_dir():
        raise PlannerError("is a file, not a folder (use `planner project` for one file)",
                           str(root), key="DIR")
    base = root.resolve()
    skip = out_dir.resolve() if out_dir is not None else None
    found: list[tuple[str, ...]] = []
    for folder, dirs, files in os.walk(base, followlinks=False):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(".")
                   and (skip is None or here / d != skip)]
        for name in files:
            if name.endswith(".toml") and not name.startswith("."):
                found.append((here / name).relative_to(base).parts)
    return ["/".join(parts) for parts in sorted(found)]


def output_path(out_dir: Path, rel: str, fmt: str) -> Path:
    """`OUTDIR/<rel with .toml replaced by .csv or .json>`; refuses anything that would escape."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise PlannerError("not a plain relative path", rel)
    stem = parts[-1][:-5] if parts[-1].endswith(".toml") else parts[-1]
    return out_dir.joinpath(*parts[:-1], f"{stem}.{fmt}")


def summary_path(out_dir: Path, fmt: str) -> Path:
    return out_dir / f"{SUMMARY_STEM}.{fmt}"


def make_jobs(root: Path, out_dir: Path, rels: Sequence[str], command: str, fmt: str
              ) -> list[Job]:
    if command not in COMMANDS:
        raise PlannerError(f"unknown command {command!r}; one of: {', '.join(COMMANDS)}",
                           key="--command")
    if fmt not in FORMATS:
        raise PlannerError(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}",
                           key="--format")
    return [Job(command, str(root.joinpath(*rel.split("/"))), rel, fmt,
                str(output_path(out_dir, rel, fmt))) for rel in rels]


def run_one(job: Job) -> Outcome:
    """Load and run one scenario and write its output. Never raises: problems become the
    outcome's error, and remove any output of an earlier run, so the output folder never shows a
    result this run did not make."""
    from planner.scenario import load_scenario

    target = Path(job.target)
    try:
        scenario = load_scenario(job.source)
        text, row = COMMANDS[job.command](scenario, Path(job.source).name, job.fmt)
        _write(target, text)
    except PlannerError as exc:
        _remove(target)
        rel = PlannerError(exc.message, job.rel, exc.line, exc.key)
        return Outcome(job.rel, (), str(exc), str(rel))
    except Exception as exc:  # noqa: BLE001 - one broken scenario must not stop the batch
        _remove(target)
        message = f"internal error, please report it: {type(exc).__name__}: {exc}"
        return Outcome(job.rel, (), f"{job.source}: {message}", f"{job.rel}: {message}")
    return Outcome(job.rel, tuple(row.items()))


def _write(target: Path, text: str) -> None:
    """Write `text` atomically, creating folders."""
    from planner.report import write_atomic

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text)
    except OSError as exc:
        raise PlannerError(f"cannot write: {exc.strerror or exc}", str(target),
                           key="--out") from None


def _remove(target: Path) -> None:
    with contextlib.suppress(OSError):
        target.unlink(missing_ok=True)


def _blocked(root: Path, out_dir: Path, rels: Sequence[str], fmt: str) -> dict[str, str]:
    """Files whose output must not be written: it would be the summary or an input file."""
    inputs = {root.joinpath(*rel.split("/")).resolve() for rel in rels}
    summary = summary_path(out_dir, fmt).resolve()
    blocked = {}
    for rel in rels:
        target = output_path(out_dir, rel, fmt).resolve()
        if target == summary:
            blocked[rel] = (f"its output would overwrite the batch summary ({summary.name}): "
                            "rename the file")
        elif target in inputs:
            blocked[rel] = "its output would overwrite an input file: choose another --out"
    return blocked


def run_batch(root: Path, out_dir: Path, rels: Sequence[str], command: str, fmt: str,
              workers: int) -> Iterator[Outcome]:
    """Every scenario's outcome, in the order of `rels`."""
    blocked = _blocked(root, out_dir, rels, fmt)
    jobs = make_jobs(root, out_dir, [rel for rel in rels if rel not in blocked], command, fmt)
    results = run_jobs(jobs, workers)
    for rel in rels:
        if rel in blocked:
            source = str(root.joinpath(*rel.split("/")))
            yield Outcome(rel, (), f"{source}: {blocked[rel]}", f"{rel}: {blocked[rel]}")
        else:
            yield next(results)


def _run_chunk(jobs: Sequence[Job]) -> list[Outcome]:
    return [run_one(job) for job in jobs]


def chunk_size(count: int, workers: int) -> int:
    """Jobs per worker task: big enough to amortise the inter-process cost, small enough to
    keep every worker busy until the end and the progress bar moving."""
    return max(1, min(32, count // (workers * 8)))


def cpu_count() -> int:
    """CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run_jobs(jobs: Sequence[Job], workers: int) -> Iterator[Outcome]:
    """Outcomes in the order of `jobs`; `workers` > 1 runs them in that many processes."""
    workers = min(workers, len(jobs))
    if workers <= 1:
        for job in jobs:
            yield run_one(job)
        return
    from concurrent.futures import ProcessPoolExecutor

    size = chunk_size(len(jobs), workers)
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for outcomes in pool.map(_run_chunk, chunks):
            yield from outcomes


def summary_columns(outcomes: Sequence[Outcome]) -> list[str]:
    """`file`, the commands' summary columns in order of first appearance, then `error`."""
    cols: list[str] = ["file"]
    for outcome in outcomes:
        for key, _ in outcome.row:
            if key not in cols:
                cols.append(key)
    if "status" not in cols:
        cols.append("status")
    cols.append("error")
    return cols


def summary_records(outcomes: Sequence[Outcome]) -> list[dict[str, Any]]:
    """One record per scenario with every summary column (None where it does not apply)."""
    cols = summary_columns(outcomes)
    records = []
    for outcome in outcomes:
        record: dict[str, Any] = dict.fromkeys(cols)
        record.update(outcome.row)
        record["file"] = outcome.rel
        record["status"] = outcome.status
        record["error"] = outcome.error_rel
        records.append(record)
    return records


def _money(value: Any) -> Any:
    return round(value, 2) if isinstance(value, float) else value


def summary_csv(outcomes: Sequence[Outcome]) -> str:
    cols = summary_columns(outcomes)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cols)
    for record in summary_records(outcomes):
        writer.writerow(["" if record[c] is None else
                         f"{record[c]:.2f}" if isinstance(record[c], float) else str(record[c])
                         for c in cols])
    return out.getvalue()


def summary_json(outcomes: Sequence[Outcome], command: str) -> str:
    records = [{k: _money(v) for k, v in r.items()} for r in summary_records(outcomes)]
    return json.dumps({"command": command, "scenarios": records}, indent=2) + "\n"


def write_summary(out_dir: Path, outcomes: Sequence[Outcome], fmt: str, command: str) -> Path:
    """Write OUTDIR/summary.csv (or .json) atomically; returns its path."""
    path = summary_path(out_dir, fmt)
    _write(path, summary_csv(outcomes) if fmt == "csv" else summary_json(outcomes, command))
    return path
