"""How fast `planner project` is, on the bundled example (a couple, 33 projected years).

    python benchmarks/bench_project.py                  # both timings
    python benchmarks/bench_project.py --runs 500 --cold-runs 20
    python benchmarks/bench_project.py --write-csv DIR  # every bundled scenario's CSV into DIR
    python benchmarks/bench_project.py --check-csv DIR  # ... and compare with DIR, byte for byte
    python benchmarks/bench_project.py --profile 200    # where the time goes, in 200 projections

(a) one projection in-process: the median of `--runs` calls of `planner.engine.project` on the
    already-parsed scenario, after a warm-up (target: 2 ms);
(b) `planner project -f csv` and `planner project` (the rich table, to a pipe) as a whole cold
    process: the median of `--cold-runs` runs of the installed console script (or
    `python -m planner` when there is none), output discarded (target: 0.5 s). Also the median CPU
    time (user + system) of the process, steadier than wall time on a shared machine.
    `--python PATH` runs the `planner` beside another interpreter instead, e.g. a fresh venv's:
    a base interpreter's site-packages may carry `.pth` files that every start pays for.

`--rounds N --pause S` repeats (a) and (b) N times, S seconds apart, and says in how many rounds
each target was met. Each round starts with a fixed pure-Python loop (the "reference", in ms):
the same work every time, so when it runs slow the machine is slow, not planner. On this shared
2-core machine it has ranged from 7.5 to 26 ms within an hour.

`--instructions` counts instructions instead (valgrind's callgrind, when installed): the same
count whatever else the machine is doing, unlike seconds on a shared machine whose speed can
drift by a third within an hour. It reports the cold command (csv and table), an empty
`python -c pass` for scale, and one in-process projection (100 projections less none).

The CSV options are for optimisation work: a change that only makes the engine faster must not
change a single byte of any bundled scenario's output.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_IN_PROCESS_MS = 2.0
TARGET_COLD_S = 0.5


def reference_ms(repeats: int = 30) -> float:
    """Median milliseconds of a fixed pure-Python loop: how fast the machine is right now."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        total = 0
        for i in range(100_000):
            total += i * i
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def in_process(runs: int) -> tuple[float, float]:
    """(median, fastest) milliseconds of one projection of the bundled example."""
    from planner.engine import project
    from planner.scenario import parse_scenario

    text = resources.files("planner.examples").joinpath("example.toml").read_text("utf-8")
    scenario = parse_scenario(text, "example.toml")
    for _ in range(20):
        project(scenario)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        project(scenario)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3, min(times) * 1e3


def profile(runs: int, top: int = 25) -> None:
    """cProfile of `runs` projections of the bundled example, by own time; then the timeline's
    share of a projection, timed without the profiler."""
    import cProfile
    import pstats

    from planner.engine import project
    from planner.rules import law_tables
    from planner.scenario import parse_scenario
    from planner.timeline import timeline

    text = resources.files("planner.examples").joinpath("example.toml").read_text("utf-8")
    scenario = parse_scenario(text, "example.toml")
    for _ in range(20):
        project(scenario)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        project(scenario)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)
    tables = law_tables()
    times = []
    for _ in range(max(runs, 200)):
        start = time.perf_counter()
        timeline(scenario, tables)
        times.append(time.perf_counter() - start)
    print(f"timeline() alone: min {min(times) * 1e3:.3f} ms, median "
          f"{statistics.median(times) * 1e3:.3f} ms of {len(times)} "
          f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")


def command(python: str | None = None) -> list[str]:
    """The installed `planner` console script next to `python` (default: this Python), else
    `python -m planner`."""
    python = python or sys.executable
    script = Path(python).with_name("planner")
    if script.exists():
        return [str(script)]
    found = shutil.which("planner") if python == sys.executable else None
    return [found] if found else [python, "-m", "planner"]


def cold(runs: int, args: list[str], python: str | None = None) -> tuple[float, float, float]:
    """(median, fastest, median CPU) seconds of `planner project ARGS` in a new process.

    Bytecode caching is allowed (as in any installed package) even if PYTHONDONTWRITEBYTECODE
    is set: the first, unmeasured run writes the caches and warms the file cache."""
    cmd = [*command(python), "project", *args]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                       env=env)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times), min(times), statistics.median(cpu)


def instructions(python: str | None = None) -> None:
    """Instruction counts (callgrind) of the cold command and of one in-process projection."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    interpreter = python or sys.executable

    def count(cmd: list[str]) -> int:
        with tempfile.TemporaryDirectory() as tmp:
            done = subprocess.run(["valgrind", "--tool=callgrind",
                                   f"--callgrind-out-file={tmp}/out", *cmd],
                                  capture_output=True, text=True, env=env, check=True)
        return int(done.stderr.split("Collected :")[1].split()[0])

    subprocess.run([*command(python), "project", "-f", "csv"], capture_output=True, env=env,
                   check=True)
    base = count([interpreter, "-c", "pass"])
    print(f"python -c pass: {base / 1e6:,.0f} M instructions")
    for label, extra in (("-f csv", ["-f", "csv"]), ("(table)", [])):
        n = count([*command(python), "project", *extra])
        print(f"(b) planner project {label}, cold: {n / 1e6:,.0f} M instructions")
    script = ("import sys; from planner.cli import _example_text; "
              "from planner.scenario import parse_scenario; from planner.engine import project; "
              "s = parse_scenario(_example_text(), 'example.toml'); project(s); "
              "[project(s) for _ in range(int(sys.argv[1]))]")
    none, hundred = (count([interpreter, "-c", script, str(n)]) for n in (0, 100))
    print(f"(a) project(), bundled example: {(hundred - none) / 100 / 1e6:.2f} M instructions "
          "per projection")


def bundled_csv() -> dict[str, str]:
    from planner.engine import project
    from planner.report import to_csv
    from planner.scenario import load_scenario

    return {p.name: to_csv(project(load_scenario(p)))
            for p in sorted((ROOT / "scenarios").glob("*.toml"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--cold-runs", type=int, default=12)
    parser.add_argument("--write-csv", type=Path)
    parser.add_argument("--check-csv", type=Path)
    parser.add_argument("--python", help="time the `planner` beside this interpreter instead")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions (callgrind) instead of timing")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat the timings this many times and count the rounds that "
                        "met each target")
    parser.add_argument("--pause", type=float, default=120.0,
                        help="seconds between rounds (default 120)")
    parser.add_argument("--profile", type=int, metavar="RUNS",
                        help="profile RUNS projections (cProfile, by own time) and stop")
    args = parser.parse_args()
    if args.profile:
        profile(args.profile)
        return 0
    if args.instructions:
        instructions(args.python)
        return 0
    if args.write_csv or args.check_csv:
        outputs = bundled_csv()
        if args.write_csv:
            args.write_csv.mkdir(parents=True, exist_ok=True)
            for name, text in outputs.items():
                (args.write_csv / f"{name}.csv").write_text(text, encoding="utf-8")
            print(f"wrote {len(outputs)} CSV files to {args.write_csv}")
        if args.check_csv:
            changed = [name for name, text in outputs.items()
                       if (args.check_csv / f"{name}.csv").read_text("utf-8") != text]
            print("identical" if not changed else f"CHANGED: {', '.join(changed)}")
            return 1 if changed else 0
        return 0
    if args.rounds > 1:
        return rounds(args)
    measure(args)
    return 0


def measure(args: argparse.Namespace) -> tuple[float, float, float]:
    """One round of (a) and (b), printed; returns the medians (a ms, csv s, table s)."""
    speed = reference_ms()
    runs = max(args.runs, 200)
    a, fastest_a = in_process(runs)
    print(f"reference loop: {speed:.1f} ms (the same work every round: the machine's speed)")
    print(f"(a) project(), bundled example, median of {runs}: {a:.3f} ms, "
          f"fastest {fastest_a:.3f} ms (target {TARGET_IN_PROCESS_MS} ms)")
    cold_runs = max(args.cold_runs, 10)
    medians = []
    for label, extra in (("-f csv", ["-f", "csv"]), ("(table)", [])):
        b, fastest, cpu = cold(cold_runs, extra, args.python)
        medians.append(b)
        print(f"(b) {' '.join(command(args.python))} project {label}, cold, median of "
              f"{cold_runs}: {b:.3f} s, fastest {fastest:.3f} s, CPU median {cpu:.3f} s "
              f"(target {TARGET_COLD_S} s)")
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return a, medians[0], medians[1]


def rounds(args: argparse.Namespace) -> int:
    """`--rounds`: repeat `measure`, then count the rounds that met each target."""
    results = []
    for r in range(args.rounds):
        if r:
            time.sleep(args.pause)
        print(f"round {r + 1} of {args.rounds}, {time.strftime('%H:%M:%S')}")
        results.append(measure(args))
    print(f"\n{args.rounds} rounds, {args.pause:.0f} s apart: rounds that met each target")
    for i, (label, target, unit) in enumerate((
            ("(a) project()", TARGET_IN_PROCESS_MS, "ms"),
            ("(b) cold, -f csv", TARGET_COLD_S, "s"),
            ("(b) cold, table", TARGET_COLD_S, "s"))):
        values = sorted(round_[i] for round_ in results)
        met = sum(v <= target for v in values)
        print(f"  {label:18s} {met} of {len(values)} (round medians {values[0]:.3f} to "
              f"{values[-1]:.3f} {unit}, median {statistics.median(values):.3f}; "
              f"target {target} {unit})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
