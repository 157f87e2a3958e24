"""Deterministic sample households for the state income tax oracle (PolicyEngine-US).

Standard library only: the planner's test suite regenerates the households under any interpreter
and compares them with the inputs recorded by `tests/oracle/policyengine_states.py`, which runs
under a separate PolicyEngine-US venv.

`generate(state, year, n, seed)` returns `n` dicts, each holding every `StateTaxInput` field
(tuples as lists, so they survive JSON unchanged). The sample depends on (state, seed) only; the
year changes `year` and the federal taxable income, nothing else.

Federal amounts are computed here from the components, without the planner:
- taxable Social Security by the IRS Pub. 915 worksheet (IRC §86: base amounts $25,000 /
  $32,000 and $34,000 / $44,000, fixed in the statute);
- federal AGI = wages + IRA distributions + pensions + taxable SS + interest + dividends + net
  capital gain (a loss is already limited to $3,000, IRC §1211(b)) + other income;
- federal taxable income = AGI - standard deduction - additional amounts for 65+ (Rev. Proc.
  2023-34, 2024-40; OBBBA for 2025-2026). It ignores the 2025-2028 senior deduction and is an
  approximation: no state in the oracle uses it.
"""

from __future__ import annotations

import hashlib
import math
import random
from typing import Any

_STD = {  # year: (single, mfj, additional 65+ single, additional 65+ married per person)
    2024: (14_600, 29_200, 1_950, 1_550),
    2025: (15_750, 31_500, 2_000, 1_600),
    2026: (16_100, 32_200, 2_050, 1_650),
}


def taxable_social_security(gross: float, other_income: float, mfj: bool) -> float:
    """IRS Pub. 915 worksheet 1 (IRC §86): the taxable part of `gross` benefits.

    `other_income` is AGI before Social Security (plus tax-exempt interest, here none)."""
    if gross <= 0:
        return 0.0
    base1, base2 = (32_000.0, 44_000.0) if mfj else (25_000.0, 34_000.0)
    provisional = other_income + gross / 2
    if provisional <= base1:
        return 0.0
    first = min(gross / 2, (min(provisional, base2) - base1) / 2)
    if provisional <= base2:
        return round(first, 2)
    top = 0.85 * (provisional - base2) + min(first, (base2 - base1) / 2)
    return round(min(0.85 * gross, top), 2)


def _log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def _amount(rng: random.Random, p_zero: float, lo: float, hi: float) -> float:
    """Zero with probability `p_zero`, else log-uniform in [lo, hi], whole dollars."""
    return 0.0 if rng.random() < p_zero else float(round(_log_uniform(rng, lo, hi)))


def _capital_gains(rng: random.Random) -> float:
    u = rng.random()
    if u < 0.35:
        return 0.0
    if u < 0.50:  # net loss, limited to $3,000 as on Form 1040 line 7
        return float(-min(3_000, round(_log_uniform(rng, 1, 60_000))))
    if u < 0.97:
        return float(round(_log_uniform(rng, 10, 400_000)))
    return float(round(_log_uniform(rng, 400_000, 3_000_000)))  # large sales (WA, CA MHST)


def _person(rng: random.Random, scale: float) -> dict[str, Any]:
    age = rng.randint(55, 90)
    month = rng.randint(1, 12)
    wages = _amount(rng, 0.5, 2_000, 250_000 * scale) if age < 65 else 0.0
    if age < 60:
        ira = _amount(rng, 0.6, 1_000, 150_000 * scale)  # e.g. Roth conversions
    else:
        ira = _amount(rng, 0.3, 500, 200_000 * scale)
    pension = _amount(rng, 0.55, 2_000, 120_000 * scale)
    ss = float(round(rng.uniform(8_000, 55_000))) if age >= 62 and rng.random() < 0.85 else 0.0
    return {"age": age, "month": month, "wages": wages, "ira": ira, "pension": pension, "ss": ss}


def _household(rng: random.Random, state: str, year: int) -> dict[str, Any]:
    mfj = rng.random() < 0.5
    scale = _log_uniform(rng, 0.05, 8.0) if rng.random() < 0.1 else _log_uniform(rng, 0.15, 2.0)
    people = [_person(rng, scale) for _ in range(2 if mfj else 1)]
    if mfj and abs(people[0]["age"] - people[1]["age"]) > 12:  # keep couples' ages plausible
        people[1]["age"] = max(55, min(90, people[0]["age"] + rng.randint(-8, 8)))
        if people[1]["age"] >= 65:
            people[1]["wages"] = 0.0
        if people[1]["age"] < 62:
            people[1]["ss"] = 0.0
    interest = _amount(rng, 0.2, 10, 60_000 * scale)
    dividends = _amount(rng, 0.3, 10, 80_000 * scale)
    gains = _capital_gains(rng)
    other = 0.0
    non_ss = (
        sum(p["wages"] + p["ira"] + p["pension"] for p in people)
        + interest + dividends + gains + other
    )
    gross_ss = sum(p["ss"] for p in people)
    taxable_ss = taxable_social_security(gross_ss, non_ss, mfj)
    agi = round(non_ss + taxable_ss, 2)
    std_single, std_mfj, add_single, add_married = _STD[min(year, max(_STD))]
    n65 = sum(p["age"] >= 65 for p in people)
    deduction = std_mfj + n65 * add_married if mfj else std_single + n65 * add_single
    return {
        "state": state,
        "year": year,
        "filing_status": "mfj" if mfj else "single",
        "ages": [p["age"] for p in people],
        "birth_months": [p["month"] for p in people],
        "wages": [p["wages"] for p in people],
        "retirement_distributions": [p["ira"] for p in people],
        "pensions": [p["pension"] for p in people],
        "social_security": [p["ss"] for p in people],
        "taxable_social_security": taxable_ss,
        "interest": interest,
        "dividends": dividends,
        "capital_gains": gains,
        "other_income": other,
        "federal_agi": agi,
        "federal_taxable_income": round(max(0.0, agi - deduction), 2),
    }


def _rng(state: str, seed: int) -> random.Random:
    digest = hashlib.sha256(f"state-households:{state.upper()}:{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def generate(state: str, year: int, n: int, seed: int) -> list[dict[str, Any]]:
    """`n` households for `state` and `year`, deterministic in (state, seed)."""
    rng = _rng(state, seed)
    return [_household(rng, state.upper(), year) for _ in range(n)]
