"""States without an individual income tax: Alaska, Florida, Nevada, South Dakota, Tennessee,
Texas and Wyoming. Each state's year files cite the constitutional or statutory basis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """No tax: the year file's `[no_income_tax]` table names the basis."""
    return StateTaxResult(state=inp.state, agi=0.0, taxable_income=0.0, tax=0.0)
