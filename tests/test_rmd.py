"""RMD ages, tables and amounts (reference §4; research/worked_examples.md section B)."""

from __future__ import annotations

import pytest

from planner.rmd import (
    applicable_age,
    first_rmd_year,
    joint_divisor,
    required_minimum_distribution,
    uniform_divisor,
)
from planner.rules import law_tables

T = law_tables()


@pytest.mark.parametrize(("year", "month", "age", "first_year"), [
    (1948, 8, 70.5, 2019),  # 70 in Aug 2018, 70½ in Feb 2019
    (1949, 1, 70.5, 2019),  # 70½ in July 2019
    (1949, 6, 70.5, 2019),  # born before 1 July 1949: 70½, reached Dec 2019
    (1949, 7, 72, 2021),  # born 1 July 1949 or later: 72 (SECURE Act)
    (1950, 12, 72, 2022),
    (1951, 1, 73, 2024),  # SECURE 2.0: 73 for 1951-1959
    (1959, 12, 73, 2032),  # 1959: 73 (proposed regs 89 FR 58644)
    (1960, 1, 75, 2035),  # 1960 and later: 75
    (1965, 6, 75, 2040),
])
def test_applicable_age_and_first_year(year: int, month: int, age: float,
                                       first_year: int) -> None:
    assert applicable_age(year, month, T) == age
    assert first_rmd_year(year, month, T) == first_year


@pytest.mark.parametrize(("age", "divisor"), [
    (72, 27.4), (73, 26.5), (75, 24.6), (85, 16.0), (86, 15.2), (87, 14.4), (100, 6.4),
    (120, 2.0), (125, 2.0),
])
def test_uniform_divisors(age: int, divisor: float) -> None:
    assert uniform_divisor(age, T) == divisor


def test_rmd_amounts() -> None:
    # Born 1951: first RMD year 2024 at 73: 500,000 / 26.5 = 18,867.924... -> 18,867.92.
    assert required_minimum_distribution(500_000, 1951, 3, 2023, T).amount == 0.0
    r = required_minimum_distribution(500_000, 1951, 3, 2024, T)
    assert (r.amount, r.divisor, r.table) == (18_867.92, 26.5, "uniform")
    # worked_examples B2: 75, balance 100,000, divisor 24.6 -> 4,065.04 (born 1960: 2035).
    assert required_minimum_distribution(100_000, 1960, 5, 2034, T).amount == 0.0
    assert required_minimum_distribution(100_000, 1960, 5, 2035, T).amount == 4_065.04
    # 85: 1,000,000 / 16.0 = 62,500.
    assert required_minimum_distribution(1_000_000, 1951, 1, 2036, T).amount == 62_500.00
    assert required_minimum_distribution(0.0, 1951, 1, 2036, T).amount == 0.0


@pytest.mark.parametrize(("owner", "spouse", "divisor"), [
    (76, 60, 28.2), (76, 65, 24.4), (77, 60, 28.0), (77, 65, 24.3), (95, 60, 27.2),
    (75, 64, 25.3),  # Pub 590-B's own example as quoted (worked_examples B1)
    (80, 65, 23.8), (73, 60, 28.6), (85, 70, 19.5), (90, 75, 15.4),
])
def test_joint_divisors(owner: int, spouse: int, divisor: float) -> None:
    assert joint_divisor(owner, spouse, T) == divisor


def test_joint_table_edges() -> None:
    with pytest.raises(ValueError):
        joint_divisor(75, 65, T)  # exactly 10 years younger: not this table
    assert joint_divisor(125, 60, T) == joint_divisor(120, 60, T)  # 120 and older
    assert joint_divisor(80, 15, T) == joint_divisor(80, 20, T) == 65.1  # youngest column


@pytest.mark.parametrize(("spouse", "divisor", "table", "amount"), [
    (64, 25.3, "joint", 3_952.57),  # B1: 100,000 / 25.3 = 3,952.569...
    (65, 24.6, "uniform", 4_065.04),  # B2 control: exactly 10 years younger -> Uniform
    (70, 24.6, "uniform", 4_065.04),
    (None, 24.6, "uniform", 4_065.04),
])
def test_rmd_with_spouse(spouse: int | None, divisor: float, table: str, amount: float) -> None:
    # Owner born 1950 is 75 in 2025.
    r = required_minimum_distribution(100_000, 1950, 2, 2025, T, spouse_age=spouse)
    assert (r.divisor, r.table, r.amount) == (divisor, table, amount)


@pytest.mark.parametrize(("birth", "year", "spouse", "balance", "amount"), [
    (1949, 2025, 60, 500_000, 17_730.50),  # B3: 76/60, 500,000 / 28.2 = 17,730.496...
    (1948, 2025, 65, 250_000, 10_288.07),  # B3: 77/65, 250,000 / 24.3 = 10,288.065...
    (1945, 2025, 65, 1_000_000, 42_016.81),  # B3: 80/65, 1,000,000 / 23.8 = 42,016.806...
])
def test_joint_rmd_amounts(birth: int, year: int, spouse: int, balance: float,
                           amount: float) -> None:
    assert required_minimum_distribution(balance, birth, 1, year, T, spouse).amount == amount
