"""Time `compute_tax` for one household-year, in-process.

Run: python3 benchmarks/bench_tax.py [--runs 200] [--calls 500] [--check]

For each household the time of one call is taken as the median, over `--runs` batches, of a
batch of `--calls` calls. Prints each household's median (and its fastest batch, which shows how
much of the median is other load on the machine) and the median over all households, in
microseconds. With `--check`, exits 1 when that median is over the target (20 us).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from planner.federal_tax import TaxInput, compute_tax
from planner.rules import rules_for_year

TARGET_US = 20.0

HOUSEHOLDS: list[tuple[str, int, TaxInput]] = [
    ("single wage earner, 50", 2026, TaxInput("single", (50,), ordinary=85_000, interest=500)),
    ("mfj retirees, SS in the 85% band", 2026,
     TaxInput("mfj", (67, 66), ordinary=60_000, interest=2_000, qualified_dividends=5_000,
              ltcg=10_000, social_security=40_000)),
    ("single retiree, senior phase-out", 2025,
     TaxInput("single", (70,), ordinary=90_000, social_security=30_000)),
    ("mfj high income, NIIT, 20% gains", 2026,
     TaxInput("mfj", (72, 70), ordinary=450_000, interest=20_000, qualified_dividends=60_000,
              ltcg=400_000, social_security=80_000, tax_exempt_interest=10_000)),
    ("single, capital loss carryforward", 2024,
     TaxInput("single", (66,), ordinary=40_000, ltcg=-12_000, stcg=1_500,
              social_security=22_000)),
    ("mfj projected year", 2040,
     TaxInput("mfj", (80, 78), ordinary=120_000, qualified_dividends=15_000,
              social_security=70_000)),
]


def time_one(inp: TaxInput, year: int, runs: int, calls: int) -> tuple[float, float]:
    """(median, fastest) batch time in microseconds per `compute_tax` call."""
    rules = rules_for_year(year)
    for _ in range(calls):
        compute_tax(inp, rules)
    per_call = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        for _ in range(calls):
            compute_tax(inp, rules)
        per_call.append((time.perf_counter_ns() - start) / calls / 1_000.0)
    return statistics.median(per_call), min(per_call)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--check", action="store_true", help="exit 1 if over the target")
    args = parser.parse_args(argv)
    medians = []
    for label, year, inp in HOUSEHOLDS:
        us, best = time_one(inp, year, args.runs, args.calls)
        medians.append(us)
        print(f"{label:<36} {year}  {us:7.2f} us  (fastest batch {best:6.2f} us)")
    overall = statistics.median(medians)
    print(f"median compute_tax: {overall:.2f} us (target <= {TARGET_US:.0f} us)")
    return 1 if args.check and overall > TARGET_US else 0


if __name__ == "__main__":
    sys.exit(main())
