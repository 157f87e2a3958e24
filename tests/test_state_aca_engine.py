"""State income tax and Marketplace premiums inside the projection: the wiring, by hand.

The state formulas and the premium tax credit are checked on their own (test_state_tax*.py,
test_aca.py); here the engine must hand them the right incomes, fund them, and report them.
"""

from __future__ import annotations

import pytest

from planner.aca import aca_net_premium, poverty_line
from planner.engine import project
from planner.scenario import parse_scenario
from planner.state_tax import StateTaxInput, compute_state_tax

BASE = """
[plan]
start_year = 2026
filing_status = "single"
{plan}

[[people]]
name = "pat"
birth_year = {birth_year}
birth_month = {birth_month}
longevity = 90

[[accounts]]
name = "ira"
kind = "traditional"
owner = "pat"
balance = 600000
stocks = 0

[[accounts]]
name = "cash"
kind = "cash"
balance = {cash}

{income}

[spending]
annual = {spending}

{health}

[assumptions]
inflation = 0.02
stock_return = 0.05
bond_return = 0.0
cash_return = 0.0

[strategy]
withdrawal_order = "traditional-first"
{strategy}
"""


def scenario(plan: str = "", income: str = "", health: str = "", strategy: str = "",
             birth_year: int = 1955, birth_month: int = 1, cash: float = 0.0,
             spending: float = 50_000):
    return parse_scenario(BASE.format(plan=plan, income=income, health=health,
                                      strategy=strategy, birth_year=birth_year,
                                      birth_month=birth_month, cash=cash, spending=spending))


SS = '[[income]]\nkind = "social_security"\nowner = "pat"\npia = 2000\nclaim_age = 67'


def test_no_income_tax_state_changes_nothing_but_the_state_column() -> None:
    plain = project(scenario(income=SS))
    texas = project(scenario(plan='state = "TX"', income=SS))
    for a, b in zip(plain.years, texas.years, strict=True):
        assert b.state == "TX" and b.state_tax == 0.0
        assert a._replace(state="TX") == b


def test_state_tax_gets_the_years_incomes_and_is_funded() -> None:
    """California on a 71-year-old's IRA withdrawals and Social Security: the engine's figure
    is the state module's on the year's own federal lines, and the withdrawal pays it."""
    p = project(scenario(plan='state = "CA"', income=SS, spending=90_000))
    r = p.years[0]
    assert r.state == "CA" and r.state_tax > 0.0
    inp = StateTaxInput("CA", 2026, "single", (71,), (1,), (0.0,), (r.withdraw_traditional,),
                        (0.0,), (r.income_social_security,), r.taxable_social_security, 0.0, 0.0,
                        0.0, 0.0, r.agi, r.taxable_income)
    assert r.state_tax == round(compute_state_tax(inp, 0.02).tax, 2)
    # The need: spending + federal + state tax, all from the IRA (no other money).
    assert r.withdraw_traditional + r.income_social_security == pytest.approx(
        r.spending + r.federal_tax + r.state_tax, abs=0.011)
    assert r.agi == r.withdraw_traditional + r.taxable_social_security


def test_a_move_changes_the_state_from_its_year() -> None:
    p = project(scenario(plan='state = "CA"\nmoves = [{ year = 2028, state = "FL" }]',
                         income=SS, spending=90_000))
    states = {r.year: (r.state, r.state_tax) for r in p.years}
    assert states[2027][0] == "CA" and states[2027][1] > 0
    assert states[2028] == ("FL", 0.0) and states[2040] == ("FL", 0.0)


def test_new_columns_are_in_the_outputs_and_summary() -> None:
    from planner.report import columns, summary_dict

    p = project(scenario(plan='state = "NY"', income=SS))
    assert {"state", "state_tax", "aca_net_premium"} <= set(columns(p))
    s = summary_dict(p)
    assert s["lifetime_state_tax"] == pytest.approx(sum(r.state_tax for r in p.years), abs=0.01)


HEALTH = "[health]\naca_benchmark_premium = 9000"


def test_aca_premium_before_65_with_no_income_gets_no_credit() -> None:
    """A 60-year-old living on cash: household income 0 is under 100% of the poverty line, so
    no credit (IRC §36B(c)(1)(A)); the whole premium is paid, grown with inflation."""
    p = project(scenario(birth_year=1966, cash=400_000, spending=30_000, health=HEALTH))
    first, second = p.years[0], p.years[1]
    assert first.agi == 0.0
    assert first.aca_net_premium == 9_000.00
    assert second.aca_net_premium == 9_180.00  # x 1.02
    assert first.withdraw_cash == 39_000.00  # spending + the premium


def test_aca_credit_follows_household_income() -> None:
    """A 60-year-old drawing an IRA in 2026: net premium = premium - (benchmark - applicable %
    x household income), the credit computed on the year's own AGI."""
    p = project(scenario(birth_year=1966, spending=45_000, health=HEALTH))
    r = p.years[0]
    magi = r.agi  # no Social Security yet
    assert 1.0 < magi / poverty_line(1, 2026) < 4.0
    assert r.aca_net_premium == round(aca_net_premium(magi, 1, 9_000, 9_000, 2026), 2)
    assert 0.0 < r.aca_net_premium < 9_000.0


def test_aca_coverage_ends_the_month_medicare_begins() -> None:
    """Born in July 1961: Medicare from July 2026, so six months of Marketplace coverage."""
    p = project(scenario(birth_year=1961, birth_month=7, cash=400_000, spending=30_000,
                         health=HEALTH))
    assert p.years[0].aca_net_premium == 4_500.00  # 9,000 x 6/12, no income: no credit
    assert p.years[1].aca_net_premium == 0.0


def test_conversion_up_to_fpl_keeps_the_credit() -> None:
    """`up_to_fpl = 4.0`: in 2026 (the 400% cliff is back) the conversion stops at 400% of the
    poverty line; without it, filling the 22% bracket loses the whole credit."""
    conv = "roth_conversion = {{ up_to_bracket = 0.22{extra} }}"
    capped = project(scenario(birth_year=1966, cash=400_000, spending=30_000, health=HEALTH,
                              strategy=conv.format(extra=", up_to_fpl = 4.0")))
    filled = project(scenario(birth_year=1966, cash=400_000, spending=30_000, health=HEALTH,
                              strategy=conv.format(extra="")))
    limit = 4.0 * poverty_line(1, 2026)
    a, b = capped.years[0], filled.years[0]
    assert limit - 2.0 <= a.agi <= limit
    assert a.roth_conversion > 0.0 and a.aca_net_premium < 9_000.0
    assert b.agi > limit and b.aca_net_premium == 9_000.0
    assert a.conversion_limit == "aca"


def test_bad_state_keys_are_errors() -> None:
    from planner.errors import PlannerError

    with pytest.raises(PlannerError, match="plan.state"):
        scenario(plan='state = "ZZ"')
    with pytest.raises(PlannerError, match=r"plan.moves\[1\].year"):
        scenario(plan='state = "CA"\nmoves = [{ year = 2026, state = "TX" }]')
    with pytest.raises(PlannerError, match="up_to_fpl"):
        scenario(strategy="roth_conversion = { up_to_fpl = 4.0 }")
