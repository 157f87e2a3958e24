"""The additional tax on early withdrawals: IRC §72(t) (retirement accounts before 59½, with the
age-55 separation exception for employer plans), §223(f)(4) (HSA money not spent on medical care
before 65) and §408A(d)(3)(F) (Roth conversions withdrawn within five years, before 59½).

Figures from `law/<year>.toml` [early_withdrawal]. The planner does not date withdrawals within
a year: the whole year of a 59½ (or 65th) birthday counts as after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def early_rate(kind: str, plan_type: str, year: int, birth_year: int, birth_month: int,
               separation_year: int | None, law: Mapping[str, Any]) -> float:
    """The additional tax per dollar of income from an account of `kind` this year (HSA: per
    dollar withdrawn beyond medical expenses); 0 when no additional tax applies."""
    age = year - birth_year
    if kind == "hsa":
        return float(law["hsa_rate"]) if age < law["hsa_age"] else 0.0
    if kind not in ("traditional", "roth"):
        return 0.0
    if age * 12 + 12 - birth_month >= law["age_months"]:  # 59½ by 31 December
        return 0.0
    exempt = plan_type == "401k" and separation_year is not None and year >= separation_year \
        and separation_year - birth_year >= law["separation_age"]
    return 0.0 if exempt else float(law["rate"])
