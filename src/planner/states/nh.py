"""New Hampshire interest and dividends tax (RSA 77; Form DP-10).

Gross interest and dividends less the exemptions ($2,400 per filer, $1,200 more per filer aged 65
or over, RSA 77:8) taxed at the year's rate (3% for 2024, RSA 77:1); repealed for tax periods
beginning after 31 December 2024 (rate 0). Not modelled: the blind/disabled exemptions,
interest on NH and US obligations (treated as taxable), and the rounding of the return to
whole dollars. Retirement distributions, pensions, Social Security, wages and capital gains are
not taxed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """DP-10: (interest + dividends - exemptions) x rate, not below zero."""
    r = rules["interest_dividends"]
    gross = max(0.0, inp.interest) + max(0.0, inp.dividends)
    exemption = r["exemption_per_filer"] * len(inp.ages) + r["exemption_65"] * sum(
        age >= r["age_65"] for age in inp.ages
    )
    taxable = max(0.0, gross - exemption)
    return StateTaxResult(state=inp.state, agi=gross, taxable_income=taxable,
                          tax=taxable * r["rate"])
