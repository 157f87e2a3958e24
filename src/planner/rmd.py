"""Required minimum distributions (IRC §401(a)(9); Treas. Reg. §1.401(a)(9)-5, -9; Pub 590-B).

An owner's RMD for a year is the prior 31 December balance divided by the distribution period for
the owner's age on their birthday that year, from the year the owner reaches the applicable age
(SECURE 2.0: 73 for those born 1951-1959, 75 from 1960). The period comes from the Uniform
Lifetime Table, or from the Joint and Last Survivor Table when the sole beneficiary is a spouse
more than 10 years younger (Reg. §1.401(a)(9)-5(c)(2)).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from planner.rules import LawTables


class RmdResult(NamedTuple):
    amount: float
    divisor: float
    table: str


def applicable_age(birth_year: int, birth_month: int, tables: LawTables) -> float:
    """The age at which RMDs begin, by date of birth (IRC §401(a)(9)(C)(v))."""
    age = tables.rmd_cohorts[0][2]
    for year, month, cohort_age in tables.rmd_cohorts:
        if (birth_year, birth_month) >= (year, month):
            age = cohort_age
    return age


def first_rmd_year(birth_year: int, birth_month: int, tables: LawTables) -> int:
    """The calendar year in which the owner reaches the applicable age (the first RMD year).

    The planner takes that first RMD by 31 December rather than deferring it to 1 April.
    """
    age = applicable_age(birth_year, birth_month, tables)
    whole = math.floor(age)
    if age == whole:
        return birth_year + whole
    # 70½ is reached six calendar months after the 70th birthday (Reg. §1.401(a)(9)-2).
    return birth_year + whole + (1 if birth_month > 6 else 0)


def uniform_divisor(age: int, tables: LawTables) -> float:
    """Distribution period of the Uniform Lifetime Table (Reg. §1.401(a)(9)-9(c))."""
    divisors = tables.uniform_divisors
    index = age - tables.uniform_first_age  # clamped to the table, ages past its end use the last
    if index < 0:
        index = 0
    if index >= len(divisors):
        index = len(divisors) - 1
    return divisors[index]


def joint_divisor(owner_age: int, spouse_age: int, tables: LawTables) -> float:
    """Distribution period of the Joint and Last Survivor Table (Reg. §1.401(a)(9)-9(d)).

    Only pairs with the spouse more than 10 years younger are stored. Owner ages past the last
    row use it (120 and older); a spouse younger than the first column uses that column, which
    gives a shorter period, so the RMD is never understated.
    """
    if owner_age - spouse_age <= 10:
        raise ValueError(f"joint table needs a spouse more than 10 years younger "
                         f"(owner {owner_age}, spouse {spouse_age})")
    row = min(max(owner_age - tables.joint_first_owner_age, 0), len(tables.joint_divisors) - 1)
    divisors = tables.joint_divisors[row]
    column = min(max(spouse_age - tables.joint_first_spouse_age, 0), len(divisors) - 1)
    return divisors[column]


def required_minimum_distribution(
    prior_year_end_balance: float,
    birth_year: int,
    birth_month: int,
    year: int,
    tables: LawTables,
    spouse_age: int | None = None,
) -> RmdResult:
    """The owner's RMD for `year` from one account (zero before the first RMD year).

    `spouse_age` is the spouse's age on their birthday in `year`, given only when the spouse is
    the sole beneficiary for the year; the joint table applies if they are more than 10 years
    younger than the owner (exactly 10 stays on the Uniform table).
    """
    if year < first_rmd_year(birth_year, birth_month, tables):
        return RmdResult(0.0, 0.0, "")
    return rmd_at_age(prior_year_end_balance, year - birth_year, tables, spouse_age)


def rmd_at_age(prior_year_end_balance: float, age: int, tables: LawTables,
               spouse_age: int | None = None) -> RmdResult:
    """The RMD of an owner of `age` who is past their first RMD year (the engine knows that year
    already): the balance over the Uniform table's period, or the joint table's when the spouse
    is the sole beneficiary and more than 10 years younger."""
    if prior_year_end_balance <= 0.0:
        return RmdResult(0.0, 0.0, "")
    table = "joint" if spouse_age is not None and age - spouse_age > 10 else "uniform"
    divisor = distribution_period(age, tables, spouse_age)
    return RmdResult(round(prior_year_end_balance / divisor, 2), divisor, table)


def distribution_period(age: int, tables: LawTables, spouse_age: int | None = None) -> float:
    """The divisor of `rmd_at_age`: the joint table's period when the spouse is the sole
    beneficiary and more than 10 years younger (Reg. §1.401(a)(9)-5(c)(2)), else the Uniform
    table's."""
    if spouse_age is not None and age - spouse_age > 10:
        return joint_divisor(age, spouse_age, tables)
    return uniform_divisor(age, tables)
