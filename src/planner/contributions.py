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
    the HSA limit per person (employer money first; spouses with family coverage share one
    family limit, each with their own catch-up, §223(b)(5)), and the owner's wages (an IRA on
    a joint return: the couple's, §219(c)). Only in years with those wages and within
    start_year..end_year."""
    used: dict[tuple[str, str], float] = {}
    paid: dict[str, float] = {}  # employee contributions out of each person's wages
    household = sum(wages.values())
    family = _SharedFamilyLimit()
    out: list[Deposit] = []
    for plan in plans:
        owner = plan.owner
        spousal = plan.plan_type == "ira" and mfj
        if owner not in ages or (household if spousal else wages.get(owner, 0.0)) <= 0.0:
            continue
        if (plan.start_year is not None and year < plan.start_year) or \
                (plan.end_year is not None and year > plan.end_year):
            continue
        age = ages[owner]
        key = (owner, plan.plan_type)
        employer = round(plan.employer * index, 2)
        shared = None
        if plan.plan_type == "401k":
            limit = deferral_limit(age, law["elective_deferral"])
        elif plan.plan_type == "ira":
            limit = ira_limit(age, law["ira_contribution"], law["ira_catch_up"])
        else:
            hsa = law["hsa_contribution"]
            limit = hsa_limit(age, plan.family, months.get(owner, 0), hsa)
            catch_up = limit - hsa_limit(0, plan.family, months.get(owner, 0), hsa)
            shared = (catch_up, limit - catch_up) if plan.family and mfj else None
        room = _room(limit, used.get(key, 0.0), family, owner, shared)
        if plan.plan_type == "hsa":  # employer HSA money counts toward the limit first
            employer = round(min(employer, room), 2)
            used[key] = used.get(key, 0.0) + employer
            family.use(owner, shared, employer)
            room = _room(limit, used[key], family, owner, shared)
        pay_left = max(0.0, household - sum(paid.values()) if spousal
                       else wages[owner] - paid.get(owner, 0.0))
        employee = round(min(plan.annual * index, room, pay_left), 2)
        used[key] = used.get(key, 0.0) + employee
        paid[owner] = paid.get(owner, 0.0) + employee
        family.use(owner, shared, employee)
        if employee <= 0.0 and employer <= 0.0:
            continue
        excluded = employee if plan.kind == "hsa" or (
            plan.kind == "traditional" and plan.plan_type == "401k") else 0.0
        deduction = employee if plan.kind == "traditional" and plan.plan_type == "ira" else 0.0
        out.append(Deposit(plan.account, owner, employee, employer, excluded, deduction,
                           employee if plan.kind == "hsa" else 0.0))
    return out


class _SharedFamilyLimit:
    """Spouses with family HDHP coverage share one family limit; each keeps their own catch-up
    (IRC §223(b)(3), (b)(5))."""

    def __init__(self) -> None:
        self.base_used = 0.0
        self.catch_up_used: dict[str, float] = {}

    def room(self, owner: str, catch_up: float, base: float) -> float:
        own = max(0.0, catch_up - self.catch_up_used.get(owner, 0.0))
        return own + max(0.0, base - self.base_used)

    def use(self, owner: str, shared: tuple[float, float] | None, amount: float) -> None:
        if shared is None or amount <= 0.0:
            return
        catch_up = min(amount, max(0.0, shared[0] - self.catch_up_used.get(owner, 0.0)))
        self.catch_up_used[owner] = self.catch_up_used.get(owner, 0.0) + catch_up
        self.base_used += amount - catch_up


def _room(limit: float, used: float, family: _SharedFamilyLimit, owner: str,
          shared: tuple[float, float] | None) -> float:
    """What is left of the owner's limit (and of the couple's family HSA limit)."""
    room = max(0.0, limit - used)
    if shared is not None:
        room = min(room, family.room(owner, *shared))
    return room


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
