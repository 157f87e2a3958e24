"""Independent oracle: federal income tax of `Household`s computed by PSL Tax-Calculator 6.8.0.

Run with the taxcalc venv, from the repository root::

    /tmp/tcvenv/bin/python -m tests.oracle.taxcalc_oracle --year 2025 --n 1000 --seed 1 \\
        --out /tmp/oracle_2025.json

`run_taxcalc` makes ONE batched Tax-Calculator call per distinct tax year. The CLI sets
``NOTAXCALCJIT=1`` (pure-Python taxcalc, ~2 s per 1000 households) unless ``--jit`` is
given: taxcalc's numba functions are generated with ``exec`` and never cached on disk, so
JIT costs ~30 s of compilation in every new process (identical results either way).

Settings chosen, and why (line numbers refer to taxcalc 6.8.0 source files):

* ``Records(data=df, start_year=year, gfactors=None, weights=None, adjust_ratios=None)``:
  the data are for ``year`` itself, so no growth-factor aging and no reweighting
  (data.py:87-88) and no PUF interest adjustment (records.py:413). ``Policy()`` starts in
  2013 and ``Calculator`` moves it to the records' year (calculator.py:106-107), so no
  ``advance_to_year`` call is needed and current law for ``year`` is used.
* ``exact_calculations=True``: on-form stepped phase-outs instead of smoothed ones. None of
  the stepped provisions (personal exemption, tips/overtime/car-loan deductions, CTC,
  education credits) applies to these households, so this changes nothing here; the
  senior-deduction phase-out is linear either way (calcfunctions.py:1128-1143).
* Policy reform ``CR_SchR_hc = 1.0`` (unless ``schedule_r=True``): disables the Schedule R
  credit for the elderly (calcfunctions.py:3804-3844), which taxcalc grants automatically
  to every 65+ filer with low AGI and little nontaxable Social Security. The planner does
  not model it; it is nonzero only for low-income 65+ households with a small tax.
* Filing status ``MARS`` 1 (single) or 2 (joint); ``XTOT = num`` (1 or 2) so the $500
  credit for other dependents, ``ODC_c * max(0, XTOT - n24 - num)``, is zero
  (calcfunctions.py:3411). All dependent counts (``EIC``, ``n24``, ``nu18``, ``nu06``,
  ``nu13``, ``elderly_dependents``), ``DSI``, ``blind_*`` and ``MIDR`` are left at 0;
  ``age_spouse = 0`` for single returns.
* ``ordinary`` goes to ``e01700`` (taxable pensions and annuities) and also to ``e01500``
  (total pensions): Records requires ``e01500 >= e01700`` (records.py:183-187), and equal
  values make Schedule R's nontaxable-pension line zero. ``e01700`` enters AGI via
  ``ymod1`` (calcfunctions.py:648-652); it is not earned income (``earned`` is wages + SE
  income, calcfunctions.py:269), so EITC is zero, and it is not in the NIIT base.
* ``qualified_dividends`` goes to both ``e00650`` (qualified) and ``e00600`` (ordinary
  dividends, which include qualified; Records checks ``e00600 >= e00650``, records.py:176).
* ``ltcg`` goes to ``p23250`` (Schedule D line 15) with ``p22250 = 0``; taxcalc applies the
  $3,000 loss limit itself (``Capital_loss_limitation``, calcfunctions.py:524).
* No wages, self-employment income, itemized deductions, charitable gifts (so the 2026
  nonitemizer charity deduction is zero), tax-exempt interest or AMT preference items.
  Wage-only splits (``e00200p/s``, ``e00900p/s``, ``e02100p/s``) are therefore all zero.
* Ages are ages at the end of the tax year; taxcalc tests ``age >= 65`` for both the extra
  standard deduction (calcfunctions.py:1667-1674) and the senior deduction (1130-1133).

After the calculation `run_taxcalc` checks that no refundable credit, payroll tax, other
Schedule 2 tax or nonrefundable credit other than Schedule R appears, so nothing outside
the planner's model leaks into the answer; it raises `RuntimeError` otherwise.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from .generate import Household, generate_households

__all__ = ["Household", "OracleResult", "build_records_frame", "main", "oracle_rows", "run_taxcalc"]

TAXCALC_VERSION = "6.8.0"


@dataclass(frozen=True)
class OracleResult:
    """Tax-Calculator results for one household (dollars, unrounded floats)."""

    agi: float
    """Adjusted gross income, Form 1040 line 11 (``c00100``)."""
    taxable_social_security: float
    """Taxable Social Security, Form 1040 line 6b (``c02500``)."""
    net_capital_gain: float
    """Schedule D net gain after the $3,000 loss limit, 1040 line 7 (``c01000``)."""
    standard_deduction: float
    """Basic + 65-or-older additional standard deduction (``standard``)."""
    senior_deduction: float
    """OBBBA 2025-2028 senior deduction, Schedule 1-A line 37 (``senior_deduction``)."""
    taxable_income: float
    """Form 1040 line 15 (``c04800``)."""
    regular_tax: float
    """Regular tax incl. the qualified-dividend/capital-gain worksheet (``taxbc``)."""
    amt: float
    """Alternative minimum tax, Form 6251 line 11 (``c09600``)."""
    nonrefundable_credits: float
    """Form 1040 line 21 (``c07100``); only Schedule R can be nonzero here."""
    income_tax: float
    """Income tax after credits without NIIT: ``iitax - niit`` (= line 22, line 24 - NIIT)."""
    niit: float
    """Net investment income tax, Form 8960 line 17 (``niit``)."""
    total_tax: float
    """``income_tax + niit`` (= ``iitax``; no payroll tax, no refundable credits)."""


_OUTPUT_VARS = (
    "c00100",
    "c02500",
    "c01000",
    "standard",
    "senior_deduction",
    "c04800",
    "taxbc",
    "c09600",
    "c05800",
    "c07100",
    "c07200",
    "niit",
    "iitax",
    "refund",
    "payrolltax",
    "othertaxes",
)


def build_records_frame(households: Sequence[Household]) -> pd.DataFrame:
    """Tax-Calculator input records (one row per household, RECID = position + 1)."""
    n = len(households)
    mfj = np.array([h.mfj for h in households], dtype=bool)
    ordinary = np.array([h.ordinary for h in households], dtype=float)
    qdiv = np.array([h.qualified_dividends for h in households], dtype=float)
    return pd.DataFrame(
        {
            "RECID": np.arange(1, n + 1),
            "MARS": np.where(mfj, 2, 1),
            "XTOT": np.where(mfj, 2, 1),
            "age_head": [h.age_head for h in households],
            "age_spouse": [h.age_spouse or 0 for h in households],
            "e01500": ordinary,
            "e01700": ordinary,
            "e02400": [h.social_security for h in households],
            "e00300": [h.interest for h in households],
            "e00600": qdiv,
            "e00650": qdiv,
            "p23250": [h.ltcg for h in households],
            "p22250": np.zeros(n),
            "s006": np.ones(n),
        }
    )


def _taxcalc() -> ModuleType:
    """Import taxcalc lazily, so `main` can choose JIT or pure-Python mode first."""
    return importlib.import_module("taxcalc")


@functools.cache
def _policy(schedule_r: bool) -> Any:
    """Current-law Policy (built once; Calculator deep-copies it, so sharing is safe)."""
    policy = _taxcalc().Policy()
    if not schedule_r:
        policy.implement_reform({"CR_SchR_hc": {policy.start_year: 1.0}})
    return policy


def _run_year(households: Sequence[Household], year: int, schedule_r: bool) -> pd.DataFrame:
    taxcalc = _taxcalc()
    records = taxcalc.Records(
        data=build_records_frame(households),
        start_year=year,
        gfactors=None,
        weights=None,
        adjust_ratios=None,
        exact_calculations=True,
    )
    calc = taxcalc.Calculator(policy=_policy(schedule_r), records=records)
    if calc.current_year != year:
        raise RuntimeError(f"taxcalc is in {calc.current_year}, expected {year}")
    calc.calc_all()
    out = calc.dataframe(list(_OUTPUT_VARS))
    _check_invariants(out, year)
    return out


def _check_invariants(out: pd.DataFrame, year: int) -> None:
    """Fail loudly if anything the planner does not model entered the result."""
    tol = 1e-6
    bad = {
        "refundable credits": out["refund"].abs() > tol,
        "payroll tax": out["payrolltax"].abs() > tol,
        "other taxes besides NIIT": (out["othertaxes"] - out["niit"]).abs() > tol,
        "credits besides Schedule R": (out["c07100"] - out["c07200"]).abs() > tol,
        "iitax != line 22 + NIIT": (
            out["iitax"] - np.maximum(0.0, out["c05800"] - out["c07100"]) - out["niit"]
        ).abs()
        > 1e-4,
    }
    for what, mask in bad.items():
        if mask.any():
            rows = (np.flatnonzero(mask.to_numpy()) + 1).tolist()[:10]
            raise RuntimeError(f"{year}: unexpected {what} in RECID {rows}")


def run_taxcalc(households: list[Household], *, schedule_r: bool = False) -> list[OracleResult]:
    """Tax-Calculator results for `households`, in input order (one batch per tax year).

    `schedule_r=True` keeps taxcalc's automatic credit for the elderly (off by default).
    """
    results: list[OracleResult | None] = [None] * len(households)
    for year in sorted({h.year for h in households}):
        idx = [i for i, h in enumerate(households) if h.year == year]
        out = _run_year([households[i] for i in idx], year, schedule_r)
        cols = {name: out[name].to_numpy(dtype=float) for name in _OUTPUT_VARS}
        for row, i in enumerate(idx):
            iitax = float(cols["iitax"][row])
            niit = float(cols["niit"][row])
            results[i] = OracleResult(
                agi=float(cols["c00100"][row]),
                taxable_social_security=float(cols["c02500"][row]),
                net_capital_gain=float(cols["c01000"][row]),
                standard_deduction=float(cols["standard"][row]),
                senior_deduction=float(cols["senior_deduction"][row]),
                taxable_income=float(cols["c04800"][row]),
                regular_tax=float(cols["taxbc"][row]),
                amt=float(cols["c09600"][row]),
                nonrefundable_credits=float(cols["c07100"][row]),
                income_tax=iitax - niit,
                niit=niit,
                total_tax=iitax,
            )
    return [r for r in results if r is not None]


def oracle_rows(
    households: Sequence[Household], results: Sequence[OracleResult]
) -> list[dict[str, Any]]:
    """Merge each household's fields with its oracle results into one JSON-ready dict."""
    return [h.to_dict() | asdict(r) for h, r in zip(households, results, strict=True)]


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: for each year, generate households, run taxcalc, write a JSON list of rows."""
    p = argparse.ArgumentParser(
        prog="python -m tests.oracle.taxcalc_oracle",
        description="Write Tax-Calculator oracle results for generated households as JSON.",
    )
    p.add_argument("--year", type=int, nargs="+", required=True, help="one or more tax years")
    p.add_argument("--n", type=int, default=1000, help="households per year")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--out", required=True, help="output JSON path; must contain {year} if several years"
    )
    p.add_argument("--schedule-r", action="store_true", help="keep the credit for the elderly")
    p.add_argument(
        "--jit",
        action="store_true",
        help="use numba (~30 s compile per process; pays off only above ~100k households)",
    )
    args = p.parse_args(argv)
    if len(args.year) > 1 and "{year}" not in args.out:
        p.error("--out must contain {year} when several years are given")
    if not args.jit:
        os.environ["NOTAXCALCJIT"] = "1"  # read by taxcalc.decorators at import time
    taxcalc = _taxcalc()
    if taxcalc.__version__ != TAXCALC_VERSION:
        print(f"warning: taxcalc {taxcalc.__version__} != {TAXCALC_VERSION}", file=sys.stderr)
    for year in args.year:
        households = generate_households(year, args.n, args.seed)
        t0 = time.perf_counter()
        results = run_taxcalc(households, schedule_r=args.schedule_r)
        elapsed = time.perf_counter() - t0
        out = args.out.format(year=year)
        with open(out, "w", encoding="utf-8") as f:
            json.dump(oracle_rows(households, results), f, indent=1)
            f.write("\n")
        print(
            f"taxcalc {year}: {len(results)} households in {elapsed:.2f} s -> {out}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
