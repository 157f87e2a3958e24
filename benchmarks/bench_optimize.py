"""Benchmark `planner optimize` on a married couple with a 40-year plan (2026-2065).

    python benchmarks/bench_optimize.py [--runs 7] [--owl /tmp/owlvenv/bin/python]
    python benchmarks/bench_optimize.py --rounds 10 --pause 240  # how often the target is met

Times the command end to end (`python -m planner optimize FILE --format json`, a fresh process
each run, after one untimed run that lets Python write its bytecode caches, as any installation
has them) and the `planner.optimize.optimize` call in-process, for both objectives; reports the
median and minimum, the command's CPU time (user + system: steadier than wall time on a shared
machine), the peak resident memory of the command, the LP solves (and their simplex iterations,
a measure of the solver's work that load does not blur) and engine projections of a run, and
the load average before and after. Targets: median <= 1 s, peak <= 300 MB. Run it with the Python
of a fresh virtual environment for the figures a user gets: a crowded environment's `.pth` files
and plugins add to every start. Each round also times a fixed pure-Python loop (the
"reference"): when it runs slow, the machine is slow.

With `--owl PYTHON` (or OWL_PYTHON set) naming the interpreter of a separate virtual environment
that has `owlplanner` (GPL: keep it out of this project's environment), the same household is
also solved by Owl through its documented Python API, and both solve times and objective values
are printed side by side. The two models differ (Owl nets Medicare base premiums out of spending
and prices taxable gains its own way), so the values are comparable, not equal.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from bench_project import reference_ms

SCENARIO = """\
# Benchmark household: a couple of 60 and 58, a 40-year plan (2026-2065).
[plan]
start_year = 2026
filing_status = "mfj"

[[people]]
name = "alex"
birth_year = 1966
birth_month = 6
longevity = 95

[[people]]
name = "sam"
birth_year = 1968
birth_month = 3
longevity = 97

[[accounts]]
name = "brokerage"
kind = "taxable"
balance = 400000
basis = 400000
dividend_yield = 0.018
stocks = 0.6

[[accounts]]
name = "alex-401k"
kind = "traditional"
owner = "alex"
balance = 900000
stocks = 0.6

[[accounts]]
name = "sam-ira"
kind = "traditional"
owner = "sam"
balance = 450000
stocks = 0.6

[[accounts]]
name = "alex-roth"
kind = "roth"
owner = "alex"
balance = 100000
stocks = 0.6

[[accounts]]
name = "sam-roth"
kind = "roth"
owner = "sam"
balance = 80000
stocks = 0.6

[[income]]
kind = "social_security"
owner = "alex"
pia = 3200
claim_age = 70

[[income]]
kind = "social_security"
owner = "sam"
pia = 2000
claim_age = 67

[spending]
annual = 110000
survivor_fraction = 0.7

[assumptions]
inflation = 0.025
stock_return = 0.07
bond_return = 0.04
cash_return = 0.03
heir_tax_rate = 0.24
"""

OWL_SCRIPT = """\
import json, sys, time
import owlplanner as owl

def plan():
    p = owl.Plan(["alex", "sam"], ["1966-06-15", "1968-03-15"], [95, 97], "bench couple")
    p.setAccountBalances(taxable=[400, 0], taxDeferred=[900, 450], taxFree=[100, 80],
                         startDate="01-01")
    p.setAllocationRatios("individual",
                          generic=[[[60, 40, 0, 0], [60, 40, 0, 0]]] * 2)
    p.setSocialSecurity([3200, 2000], [70, 67])
    p.setSpendingProfile("flat", 70)
    p.setRates("user", values=[7, 4, 4, 2.5])
    p.setHeirsTaxRate(24)
    p.setDividendRate(1.8)
    return p

def figure(text, label):
    for line in text.splitlines():
        if line.startswith(label):
            return float(line[len(label):].split()[0].replace("$", "").replace(",", ""))
    return None

out = {}
for medicare in ("loop", "none"):
    for objective, options in (("maxSpending", {"bequest": 0}),
                               ("maxBequest", {"netSpending": 110})):
        p = plan()
        started = time.perf_counter()
        p.solve(objective, options=dict(options, withMedicare=medicare))
        seconds = time.perf_counter() - started
        text = p.summaryString()
        out[f"{objective}/{medicare}"] = {
            "seconds": seconds,
            "spending": figure(text, "Net yearly spending basis"),
            "estate": figure(text, "Total after-tax value of final bequest"),
        }
print(json.dumps(out))
"""


def _command(path: Path, objective: str) -> list[str]:
    return [sys.executable, "-m", "planner", "optimize", str(path), "--objective", objective,
            "--format", "json"]


def warm_up(path: Path) -> None:
    """One untimed run with bytecode writing allowed, so that timed runs read cached bytecode
    (this environment may set PYTHONDONTWRITEBYTECODE)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(_command(path, "max-estate"), capture_output=True, env=env, check=False)


def run_cli(path: Path, objective: str) -> tuple[float, float, dict]:
    """(wall seconds, CPU seconds, JSON document) of one run of the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(_command(path, objective), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"planner optimize failed: {done.stderr.strip()}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, cpu, json.loads(done.stdout)


def in_process(path: Path, objective: str) -> tuple[float, object]:
    from planner.optimize import optimize
    from planner.scenario import load_scenario

    scenario = load_scenario(path)
    started = time.perf_counter()
    result = optimize(scenario, objective)
    return time.perf_counter() - started, result


def owl(python: str) -> dict | None:
    try:
        done = subprocess.run([python, "-c", OWL_SCRIPT], capture_output=True, text=True,
                              timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"Owl not run: {exc}")
        return None
    if done.returncode != 0:
        print("Owl failed:\n" + textwrap.indent(done.stderr.strip()[-2000:], "  "))
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(args: argparse.Namespace) -> list:
    """One round: times the command and `optimize()` for both objectives, prints them and
    returns the rows (objective, command runs, optimize() seconds, JSON summary, result)."""
    load_before = _load()
    speed = reference_ms()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench-couple.toml"
        path.write_text(SCENARIO, encoding="utf-8")
        warm_up(path)
        in_process(path, "max-estate")  # imports (highspy, numpy) outside the timed runs
        rows = []
        for objective in ("max-spending", "max-estate"):
            cli = [run_cli(path, objective) for _ in range(args.runs)]
            inner = [in_process(path, objective) for _ in range(args.runs)]
            rows.append((objective, cli, [s for s, _ in inner], cli[0][2]["optimization"],
                         inner[0][1]))
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    years = len(rows[0][4].projection.years)
    print(f"planner optimize: married couple, {years} plan years, {args.runs} runs each "
          f"({load_before} before, {_load()} after)")
    print(f"  reference loop: {speed:.1f} ms (the same work every round: the machine's speed)")
    for objective, cli, inner, opt, result in rows:
        wall = [w for w, _, _ in cli]
        cpu = [c for _, c, _ in cli]
        print(f"  {objective:12s} command median {statistics.median(wall):.3f} s "
              f"(min {min(wall):.3f}, max {max(wall):.3f}; CPU median {statistics.median(cpu):.3f}"
              f" s); optimize() median {statistics.median(inner):.3f} s (min {min(inner):.3f})")
        runs = opt.get("engine_projections", "?")
        print(f"  {'':12s} {opt['lp_solves']} LP solves ({result.iterations} simplex "
              f"iterations), {runs} engine projections; value {opt['value']:,.2f} "
              f"(scenario as written {opt['scenario_value']:,.2f})")
    print(f"  peak memory of the command: {peak_mb:.0f} MB")
    worst = max(statistics.median([w for w, _, _ in cli]) for _, cli, _, _, _ in rows)
    print(f"  target median <= 1 s: {'met' if worst <= 1.0 else 'NOT met'}; "
          f"peak <= 300 MB: {'met' if peak_mb <= 300 else 'NOT met'}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat the planner timings this many times and count the rounds "
                        "that met the target")
    parser.add_argument("--pause", type=float, default=120.0,
                        help="seconds between rounds (default 120)")
    parser.add_argument("--owl", default=os.environ.get("OWL_PYTHON"),
                        help="Python of a separate environment with owlplanner installed.")
    args = parser.parse_args()
    medians = []
    for r in range(args.rounds):
        if r:
            time.sleep(args.pause)
        if args.rounds > 1:
            print(f"round {r + 1} of {args.rounds}, {time.strftime('%H:%M:%S')}")
        rows = measure(args)
        medians.append([statistics.median([w for w, _, _ in row[1]]) for row in rows])
    if args.rounds > 1:
        print(f"\n{args.rounds} rounds, {args.pause:.0f} s apart: rounds whose command median "
              "met 1 s")
        for i, objective in enumerate(("max-spending", "max-estate")):
            values = sorted(m[i] for m in medians)
            print(f"  {objective:12s} {sum(v <= 1.0 for v in values)} of {len(values)} "
                  f"(round medians {values[0]:.3f} to {values[-1]:.3f} s, median "
                  f"{statistics.median(values):.3f})")
    if not args.owl:
        print("Owl: not run (give --owl PYTHON or set OWL_PYTHON)")
        return
    other = owl(args.owl)
    if other is None:
        return
    spend = next(r for r in rows if r[0] == "max-spending")
    estate = next(r for r in rows if r[0] == "max-estate")
    years = len(estate[4].projection.years)
    real = estate[3]["value"] / (1.025 ** years)  # Owl reports the estate in today's dollars
    print("Side by side (Owl: its documented API, default self-consistent loop, HiGHS; "
          "'no Medicare' drops the premiums Owl adds to spending, and IRMAA with them):")
    print(f"  {'':30s}{'planner':>12s}{'Owl':>12s}{'Owl no Medicare':>18s}")
    rows_out = (("max spending: solve s", statistics.median(spend[2]), "maxSpending", "seconds"),
                ("  spending a year, today $", spend[3]["value"], "maxSpending", "spending"),
                ("max estate: solve s", statistics.median(estate[2]), "maxBequest", "seconds"),
                ("  after-tax estate, today $", real, "maxBequest", "estate"))
    for label, ours, key, field in rows_out:
        fmt = "{:>12.3f}" if field == "seconds" else "{:>12,.0f}"
        theirs = [other[f"{key}/{m}"][field] or 0.0 for m in ("loop", "none")]
        print(f"  {label:30s}" + fmt.format(ours) + fmt.format(theirs[0])
              + fmt.replace("12", "18").format(theirs[1]))


if __name__ == "__main__":
    main()
