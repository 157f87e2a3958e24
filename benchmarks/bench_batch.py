"""Wall-clock cost of `planner batch`: 1,000 varied valid scenarios of 35 years each.

    python3 benchmarks/bench_batch.py [--count 1000] [--jobs 2] [--also-jobs-1]

Generates the scenarios into a temporary folder, runs `planner batch --jobs N` as a subprocess
(so interpreter start-up, imports, worker start-up and all file writes count) and prints the
total and per-scenario time. Target on a 2-core machine: 1,000 scenarios in <= 10 s.
Exits 1 if any scenario fails, so the figure is never for a partial run.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import tomli_w

START, END = 2026, 2060  # 35 projected years
TARGET_SECONDS = 10.0


def scenario(rng: random.Random, i: int) -> dict[str, Any]:
    """One valid household, varied in size, ages, balances, incomes and assumptions."""
    couple = rng.random() < 0.6
    people = []
    for n in range(2 if couple else 1):
        birth = rng.randint(1950, 1970)
        longevity = rng.randint(82, 100)
        if n == 0:
            longevity = max(longevity, END - birth)  # someone lives through END: 35 rows
        longevity = max(longevity, START - birth)
        people.append({"name": f"p{n}", "birth_year": birth, "birth_month": rng.randint(1, 12),
                       "longevity": longevity})
    accounts: list[dict[str, Any]] = [
        {"name": "cash", "kind": "cash", "balance": rng.randint(5, 100) * 1000}]
    if rng.random() < 0.8:
        balance = rng.randint(20, 1500) * 1000
        accounts.append({"name": "brokerage", "kind": "taxable", "balance": balance,
                         "basis": round(balance * rng.uniform(0.3, 1.2)),
                         "dividend_yield": round(rng.uniform(0.0, 0.03), 4)})
    for person in people:
        accounts.append({"name": f"{person['name']}-ira", "kind": "traditional",
                         "owner": person["name"], "balance": rng.randint(0, 3000) * 1000,
                         "stocks": round(rng.uniform(0.2, 0.9), 2)})
        if rng.random() < 0.5:
            accounts.append({"name": f"{person['name']}-roth", "kind": "roth",
                             "owner": person["name"], "balance": rng.randint(0, 800) * 1000})
    income: list[dict[str, Any]] = [
        {"kind": "social_security", "owner": p["name"], "pia": rng.randint(800, 4000),
         "claim_age": rng.choice([62, 65, 67, 68, 70])} for p in people]
    if rng.random() < 0.3:
        income.append({"kind": "pension", "owner": people[-1]["name"],
                       "annual": rng.randint(5, 40) * 1000,
                       "inflation_adjusted": rng.random() < 0.5})
    doc: dict[str, Any] = {
        "plan": {"start_year": START, "end_year": END,
                 "filing_status": "mfj" if couple else "single"},
        "people": people,
        "accounts": accounts,
        "income": income,
        "spending": {"annual": rng.randint(40, 200) * 1000},
        "assumptions": {"inflation": round(rng.uniform(0.015, 0.04), 4),
                        "stock_return": round(rng.uniform(0.03, 0.09), 4),
                        "bond_return": round(rng.uniform(0.02, 0.05), 4),
                        "cash_return": round(rng.uniform(0.0, 0.04), 4)},
    }
    if rng.random() < 0.2:
        doc["strategy"] = {"qcd_annual": rng.choice([5000, 10000, 20000])}
    return doc


def generate(folder: Path, count: int, seed: int = 7) -> None:
    """`count` scenarios in 10 client folders: folder/group-3/client-0123.toml."""
    rng = random.Random(seed)
    for i in range(count):
        path = folder / f"group-{i % 10}" / f"client-{i:04d}.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(tomli_w.dumps(scenario(rng, i)), encoding="utf-8")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(folder: Path, out: Path, jobs: int) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one `planner batch` subprocess and its workers; raises if it
    fails. CPU time hardly depends on what else the machine is doing; wall-clock does."""
    command = [sys.executable, "-m", "planner", "batch", str(folder), "--out", str(out),
               "--jobs", str(jobs)]
    cpu, began = _cpu(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-2000:])
        raise SystemExit(f"planner batch exited {done.returncode}")
    return seconds, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--also-jobs-1", action="store_true",
                        help="also time --jobs 1 and check the outputs are byte-identical")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder, out = Path(tmp) / "scenarios", Path(tmp) / "out"
        began = time.perf_counter()
        generate(folder, args.count)
        print(f"generated {args.count} scenarios ({END - START + 1} years each) "
              f"in {time.perf_counter() - began:.1f} s")
        seconds, cpu = run(folder, out, args.jobs)
        with (out / "summary.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        statuses = {s: sum(r["status"] == s for r in rows) for s in ("OK", "shortfall", "error")}
        outputs = sum(1 for _ in out.rglob("client-*.csv"))
        print(f"planner batch --jobs {args.jobs}: {seconds:.2f} s wall-clock, "
              f"{seconds / args.count * 1000:.1f} ms per scenario; CPU {cpu:.2f} s "
              f"({cpu / args.count * 1000:.1f} ms per scenario); {outputs} outputs; {statuses}")
        if args.count == 1000:
            verdict = "met" if seconds <= TARGET_SECONDS else "MISSED"
            print(f"target <= {TARGET_SECONDS:.0f} s for 1,000: {verdict}")
        if args.also_jobs_1:
            serial, serial_cpu = run(folder, Path(tmp) / "out1", 1)
            same = all(p.read_bytes() == (Path(tmp) / "out1" / p.relative_to(out)).read_bytes()
                       for p in out.rglob("*.csv"))
            print(f"planner batch --jobs 1: {serial:.2f} s wall-clock, "
                  f"{serial / args.count * 1000:.1f} ms per scenario; CPU {serial_cpu:.2f} s; "
                  "speed-up "
                  f"{serial / seconds:.2f}x; outputs identical: {same}")


if __name__ == "__main__":
    main()
