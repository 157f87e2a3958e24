"""State income tax: one household's tax for one state and year, from the state's rules data.

The interface the engine uses. Each state's formula lives in `planner/states/<xx>.py`
(`tax(inp, rules) -> StateTaxResult`), its figures in `planner/law/states/<xx>/<year>.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StateTaxInput:
    """What a state return needs, in nominal dollars of `year`.

    Per-filer tuples are aligned with `ages` (one entry per living filer: one for single, two for
    mfj). Amounts are the federal taxable amounts unless named otherwise."""

    state: str  # two-letter postal code, upper case ("CA", "DC")
    year: int
    filing_status: str  # "single" | "mfj"
    ages: tuple[int, ...]  # on 31 December
    birth_months: tuple[int, ...]  # 1..12 (59½ and similar tests)
    wages: tuple[float, ...]  # per filer, after pre-tax 401(k)/HSA deferrals (W-2 box 1)
    retirement_distributions: tuple[float, ...]  # per filer: taxable IRA/401(k) withdrawals,
    # RMDs and Roth conversions (Form 1040 line 4b)
    pensions: tuple[float, ...]  # per filer: taxable pensions and annuities (line 5b)
    social_security: tuple[float, ...]  # per filer: gross benefits (line 6a)
    taxable_social_security: float  # the federal taxable amount, household (line 6b)
    interest: float  # taxable interest
    dividends: float  # qualified dividends (also the ordinary dividends: all are qualified)
    capital_gains: float  # net capital gain or (limited) loss in federal AGI (line 7)
    other_income: float  # other taxable ordinary income
    federal_agi: float
    federal_taxable_income: float


@dataclass(frozen=True, slots=True)
class StateTaxResult:
    """A state's income tax for the year (after credits, never negative)."""

    state: str
    agi: float  # the state's starting income (state AGI or its equivalent)
    taxable_income: float
    tax: float
