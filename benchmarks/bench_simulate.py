"""Time and measure `planner simulate`: 10,000 paths x 35 years, full federal tax on every path.

Run: python3 benchmarks/bench_simulate.py [--runs 5] [--paths 10000] [--model lognormal] [--check]

Each run is a fresh subprocess (so imports and caches are not shared) that loads the bundled
example household with a 35-year plan and calls `planner.simulate.simulate` once. Reports the
median wall time of the call over the runs; then, in one more subprocess, the peak memory: the
process's maximum resident set (resource.getrusage) and the peak of Python and numpy allocations
(tracemalloc). With `--check`, exits 1 when the median is over 2 s or the peak RSS over 500 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

TARGET_SECONDS = 2.0
TARGET_MB = 500.0

CHILD = r"""
import json, resource, sys, time, tracemalloc
from importlib import resources
from planner.scenario import parse_scenario
from planner.simulate import simulate
from planner.vector_engine import projected_years

paths, model, trace = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
text = resources.files("planner.examples").joinpath("example.toml").read_text("utf-8")
scenario = parse_scenario(text.replace("longevity = 95", "longevity = 97"), "bench")
years = len(projected_years(scenario))
if trace:
    tracemalloc.start()
start = time.perf_counter()
result = simulate(scenario, paths=paths, seed=0, model=model)
seconds = time.perf_counter() - start
peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
print(json.dumps({"seconds": seconds, "years": years, "rss_mb": rss, "traced_mb": peak,
                  "funded": result.probability_funded}))
"""


def _child(paths: int, model: str, trace: bool) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(paths), model, "1" if trace else "0"],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--paths", type=int, default=10_000)
    parser.add_argument("--model", choices=("lognormal", "historical"), default="lognormal")
    parser.add_argument("--check", action="store_true", help="exit 1 if over a target")
    args = parser.parse_args(argv)
    runs = [_child(args.paths, args.model, False) for _ in range(args.runs)]
    times = [r["seconds"] for r in runs]
    median = statistics.median(times)
    memory = _child(args.paths, args.model, True)
    print(f"{args.paths:,} paths x {runs[0]['years']} years ({args.model}), full tax per path")
    print(f"  wall time per simulation: median {median:.2f} s over {args.runs} runs "
          f"(min {min(times):.2f}, max {max(times):.2f}); target <= {TARGET_SECONDS:.0f} s")
    print(f"  peak memory: {memory['rss_mb']:.0f} MB resident (getrusage), "
          f"{memory['traced_mb']:.0f} MB traced allocations (tracemalloc); "
          f"target <= {TARGET_MB:.0f} MB")
    print(f"  funded to the end: {runs[0]['funded']:.1%}")
    over = median > TARGET_SECONDS or memory["rss_mb"] > TARGET_MB
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
