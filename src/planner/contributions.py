"""Working years: contributions to retirement accounts and HSAs, and the payroll tax on wages.

Pure functions of the year's facts and the year's law (`law/<year>.toml`: `elective_deferral`,
`ira_contribution`, `ira_catch_up`, `hsa_contribution`, `payroll_tax`). Amounts are nominal.

Tax treatment (docs/MODELING.md, "Working years"):
- 401(k) traditional deferrals leave box-1 wages (IRC §402(g), §402(e)(3)) but not FICA wages;
  Roth deferrals (§402A) are taxed as wages.
- Traditional IRA contributions are deducted above the line (§219); the deduction phase-out for
  people covered by a workplace plan (§219(g)) is not modelled. Roth IRA contributions are not
  deducted; the Roth IRA income limit (§408A(c)(3)) is not modelled.
- HSA contributions are made through the employer's cafeteria plan: out of income-tax and FICA
  wages (§106(d), §3121(a)(2)); employer HSA contributions count toward the same limit (§223(b)(4)).
- Employer 401(k) contributions are not income and have no limit here (§415(c) is not modelled).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple


class Plan(NamedTuple):
    """One `[[contributions]]` entry resolved against its account."""

    account: str
    kind: str  # "traditional" | "roth" | "hsa"
    plan_type: str  # "401k" | "ira" (hsa: "hsa")
    owner: str
    annual: float  # employee, today's $
    employer: float  # today's $
    start_year: int | None
    end_year: int | None
    family: bool  # hsa: family coverage


class Deposit(NamedTuple):
    """What goes into one account in a year, and how it changes the owner's income."""

    account: str
    owner: str
    employee: float  # out of the owner's pay
    employer: float
    excluded_wages: float  # left out of income-tax wages (401(k) traditional, HSA)
    deduction: float  # deducted above the line (traditional IRA)
    fica_exempt: float  # left out of FICA wages (HSA through a cafeteria plan)


def deferral_limit(age: int, law: Mapping[str, Any]) -> float:
    """Elective deferral limit for someone of `age` on 31 December: IRC §402(g)(1), plus the
    catch-up of §414(v)(2)(B)(i) from 50, or the higher one of §414(v)(2)(E) at 60 to 63."""
    limit = float(law["limit"])
    if 60 <= age <= 63 and law["catch_up_60_63"] > 0:
        return limit + float(law["catch_up_60_63"])
    return limit + float(law["catch_up_50"]) if age >= 50 else limit


def ira_limit(age: int, law: Mapping[str, Any], catch_up: Mapping[str, Any]) -> float:
    """IRA contribution limit (traditional and Roth together): IRC §219(b)(5)(A), plus the
    catch-up of §219(b)(5)(B) from 50."""
    return float(law["limit"]) + (float(catch_up["amount"]) if age >= 50 else 0.0)


def hsa_limit(age: int, family: bool, months: int, law: Mapping[str, Any]) -> float:
    """HSA limit for `months` eligible months (IRC §223(b)(2): the monthly limitation summed
    over the months of coverage), plus the catch-up of §223(b)(3) from 55."""
    yearly = float(law["family"] if family else law["self_only"])
    if age >= 55:
        yearly += float(law["catch_up_55"])
    return yearly * months / 12.0


def hsa_months(year: int, birth_year: int, birth_month: int, medicare_age: int) -> int:
    """Months of the year before Medicare enrolment (in the month of reaching `medicare_age`,
    as the planner enrols everyone): an enrolled person may not contribute (§223(b)(7))."""
    medicare_year = birth_year + medicare_age
    if year < medicare_year:
        return 12
    return birth_month - 1 if year == medicare_year else 0


def deposits(plans: Sequence[Plan], year: int, index: float, ages: Mapping[str, int],
             wages: Mapping[str, float], mfj: bool, months: Mapping[str, int],
             law: Mapping[str, Mapping[str, Any]]) -> list[Deposit]:
    """The year's contributions, in scenario order, each capped by what is left of its limit:
    the deferral limit per person across 401(k) plans, the IRA limit per person across IRAs,
    the HSA limit per person (employer money first), and the owner's wages (an IRA also the
    spouse's, §219(c)). Only in years the owner has wages and within start_year..end_year."""
    used: dict[tuple[str, str], float] = {}
    paid: dict[str, float] = {}  # employee contributions out of each person's wages
    household = sum(wages.values())
    out: list[Deposit] = []
    for plan in plans:
        owner = plan.owner
        if wages.get(owner, 0.0) <= 0.0 or owner not in ages:
            continue
        if (plan.start_year is not None and year < plan.start_year) or \
                (plan.end_year is not None and year > plan.end_year):
            continue
        age = ages[owner]
        key = (owner, plan.plan_type)
        employer = round(plan.employer * index, 2)
        if plan.plan_type == "401k":
            limit = deferral_limit(age, law["elective_deferral"])
        elif plan.plan_type == "ira":
            limit = ira_limit(age, law["ira_contribution"], law["ira_catch_up"])
        else:
            limit = hsa_limit(age, plan.family, months.get(owner, 0), law["hsa_contribution"])
            employer = min(employer, max(0.0, limit - used.get(key, 0.0)))
            used[key] = used.get(key, 0.0) + employer
        room = max(0.0, limit - used.get(key, 0.0))
        compensation = household if plan.plan_type == "ira" and mfj else wages[owner]
        pay_left = max(0.0, compensation - sum(paid.values()) if plan.plan_type == "ira" and mfj
                       else wages[owner] - paid.get(owner, 0.0))
        employee = round(min(plan.annual * index, room, pay_left), 2)
        used[key] = used.get(key, 0.0) + employee
        paid[owner] = paid.get(owner, 0.0) + employee
        if employee <= 0.0 and employer <= 0.0:
            continue
        excluded = employee if plan.kind == "hsa" or (
            plan.kind == "traditional" and plan.plan_type == "401k") else 0.0
        deduction = employee if plan.kind == "traditional" and plan.plan_type == "ira" else 0.0
        out.append(Deposit(plan.account, owner, employee, employer, excluded, deduction,
                           employee if plan.kind == "hsa" else 0.0))
    return out


def payroll_tax(fica_wages: Sequence[float], mfj: bool, law: Mapping[str, Any]) -> float:
    """The employee's FICA tax: 6.2% of each person's wages up to the wage base (IRC §3101(a),
    §3121(a)(1)), 1.45% of all wages (§3101(b)(1)), and 0.9% of the couple's wages above
    $250,000 ($200,000 single) (§3101(b)(2), settled on Form 8959). Each part is rounded to the
    cent, half up, as a payroll would."""
    base = float(law["wage_base"])
    social_security = _half_up(sum(min(w, base) for w in fica_wages) * law["social_security_rate"])
    total = sum(fica_wages)
    threshold = law["additional_medicare_mfj"] if mfj else law["additional_medicare_single"]
    additional = _half_up(max(0.0, total - threshold) * law["additional_medicare_rate"])
    return social_security + _half_up(total * law["medicare_rate"]) + additional


def _half_up(x: float) -> float:
    """`x` rounded to the cent, halves up (the binary error of a product is ignored)."""
    return math.floor(x * 100.0 + 0.5 + 1e-7) / 100.0
