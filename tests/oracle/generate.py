"""Deterministic sample of retiree households for the Tax-Calculator oracle.

Pure standard library (no taxcalc, no numpy), so the planner's own test suite can import
`Household` and `generate_households` under any interpreter and compare against a JSON
file written by `tests.oracle.taxcalc_oracle`.

The sample depends only on `seed`: the same seed gives the same households for every
`year` (only `Household.year` differs), which makes year-over-year comparisons easy.
"""

from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass
from typing import Any

MAX_INCOME = 2_000_000.0
"""Cap on the sum of the non-Social-Security income components of one household."""

_LTCG_SPECIALS = (-50_000.0, -3_001.0, -3_000.0, -2_999.0, -1_500.0, -1.0, 1.0)


@dataclass(frozen=True)
class Household:
    """One federal return: single or married filing jointly, no dependents, no wages.

    Amounts are annual dollars for tax year `year`; ages are ages on 31 December of `year`.
    """

    year: int
    mfj: bool
    age_head: int
    age_spouse: int | None
    ordinary: float
    """Pensions + taxable IRA distributions + other ordinary (non-earned) income."""
    social_security: float
    """Gross Social Security benefits of the whole household (SSA-1099 box 5)."""
    interest: float
    """Taxable interest."""
    qualified_dividends: float
    """Qualified dividends (all dividends are assumed qualified)."""
    ltcg: float
    """Net long-term capital gain; negative is a net loss before the $3,000 limit."""

    def __post_init__(self) -> None:
        if self.mfj != (self.age_spouse is not None):
            raise ValueError("age_spouse must be set exactly when mfj is True")
        for name in ("ordinary", "social_security", "interest", "qualified_dividends"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be non-negative")

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of the fields (JSON-ready)."""
        return asdict(self)


def _log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def _age(rng: random.Random, senior: bool) -> int:
    """An age of 65+ (`senior`) or under 65, with the 64/65 boundary over-weighted."""
    if senior:
        return 65 if rng.random() < 0.25 else rng.randint(66, 95)
    return 64 if rng.random() < 0.25 else rng.randint(50, 63)


def _ordinary(rng: random.Random) -> float:
    u = rng.random()
    if u < 0.08:
        return 0.0
    if u < 0.68:  # dense where brackets, SS taxation and the senior phase-out interact
        return float(round(rng.uniform(0.0, 300_000.0)))
    return float(round(_log_uniform(rng, 1_000.0, MAX_INCOME)))


def _ltcg(rng: random.Random) -> float:
    u = rng.random()
    if u < 0.25:
        return 0.0
    if u < 0.30:
        return rng.choice(_LTCG_SPECIALS)
    if u < 0.45:
        return -float(round(rng.uniform(1.0, 50_000.0)))
    return float(round(_log_uniform(rng, 1.0, 1_000_000.0)))


def _maybe(rng: random.Random, p_zero: float, lo: float, hi: float) -> float:
    return 0.0 if rng.random() < p_zero else float(round(_log_uniform(rng, lo, hi)))


def generate_households(year: int, n: int, seed: int) -> list[Household]:
    """Return `n` varied households for tax `year`, deterministic in `seed`.

    Mix: ~half joint; for joint returns neither/head-only/spouse-only/both spouses 65+
    equally often; ages 64 and 65 over-weighted; Social Security 0..90k (15% zero);
    ordinary 0..2M (60% uniform below 300k, rest log-uniform); interest and qualified
    dividends log-uniform with many zeros; LTCG -50k..1M with exact zeros, losses and
    values around the $3,000 loss limit. Non-SS income is scaled down to at most $2M.
    """
    rng = random.Random(seed)
    out: list[Household] = []
    for _ in range(n):
        mfj = rng.random() < 0.5
        if mfj:
            pattern = rng.randrange(4)  # 0 neither, 1 head, 2 spouse, 3 both 65+
            age_head = _age(rng, pattern in (1, 3))
            age_spouse: int | None = _age(rng, pattern in (2, 3))
        else:
            age_head = _age(rng, rng.random() < 0.7)
            age_spouse = None
        ss = 0.0 if rng.random() < 0.15 else float(round(rng.uniform(1_000.0, 90_000.0)))
        ordinary = _ordinary(rng)
        interest = _maybe(rng, 0.3, 10.0, 100_000.0)
        qdiv = _maybe(rng, 0.35, 10.0, 200_000.0)
        ltcg = _ltcg(rng)
        total = ordinary + interest + qdiv + max(ltcg, 0.0)
        if total > MAX_INCOME:
            k = MAX_INCOME / total
            ordinary, interest, qdiv = (
                float(math.floor(x * k)) for x in (ordinary, interest, qdiv)
            )
            ltcg = float(math.floor(ltcg * k)) if ltcg > 0 else ltcg
        out.append(
            Household(
                year=year,
                mfj=mfj,
                age_head=age_head,
                age_spouse=age_spouse,
                ordinary=ordinary,
                social_security=ss,
                interest=interest,
                qualified_dividends=qdiv,
                ltcg=ltcg,
            )
        )
    return out
