"""Each withdrawal order, conversion policy, QCDs, lots, harvesting and the estate rules, on small
households whose numbers are worked out by hand (2026 law: single standard deduction $16,100;
single brackets 10% to $12,400, 12% to $50,400, 22% to $105,700; MFJ deduction $32,200)."""

from __future__ import annotations

from typing import Any

import pytest
import tomli_w

from planner.engine import Projection, YearResult, project
from planner.errors import PlannerError
from planner.irmaa import irmaa_tier
from planner.rules import rules_for_year
from planner.scenario import Scenario, parse_scenario


def household(accounts: list[dict[str, Any]], strategy: dict[str, Any] | None = None,
              spending: float = 30_000, years: int = 1, born: int = 1966, **extra: Any
              ) -> Scenario:
    """One person, 60 in 2026 (no Social Security, Medicare, RMDs or senior deductions),
    zero inflation and returns unless `extra` says otherwise."""
    doc: dict[str, Any] = {
        "plan": {"start_year": 2026, "end_year": 2026 + years - 1, "filing_status": "single"},
        "people": [{"name": "pat", "birth_year": born, "longevity": 95}],
        "accounts": accounts,
        "spending": {"annual": spending},
        "assumptions": {"inflation": 0.0, "stock_return": 0.0, "bond_return": 0.0,
                        "cash_return": 0.0},
        "strategy": strategy or {},
    }
    for key, value in extra.items():
        doc[key] = value
    return parse_scenario(tomli_w.dumps(doc), "test.toml")


def ira(balance: float, **kw: Any) -> dict[str, Any]:
    return {"name": "ira", "kind": "traditional", "owner": "pat", "balance": balance, **kw}


def first(p: Projection) -> YearResult:
    return p.years[0]


LOTS = {"name": "brokerage", "kind": "taxable", "lots": [
    {"value": 100_000, "basis": 40_000, "long_term": True},   # listed first: FIFO sells it
    {"value": 50_000, "basis": 70_000, "long_term": True},    # a 20,000 loss
]}


# ---------------------------------------------------------------- withdrawal orders

def test_hierarchy_sells_the_loss_lot_first() -> None:
    r = first(project(household([LOTS], {"withdrawal_order": "hierarchy"})))
    # 30,000 of the loss lot: basis 70/50 per dollar, a loss of 12,000; no tax on no income.
    assert (r.withdraw_taxable, r.federal_tax) == (30_000.0, 0.0)
    assert len(r.lot_sales) == 1
    sale = r.lot_sales[0]
    assert (sale.proceeds, sale.basis, sale.gain) == (30_000.0, 42_000.0, -12_000.0)
    assert r.realized_gains == -12_000.0
    # With no income to deduct it from, all of the loss carries forward (Capital Loss Carryover
    # Worksheet).
    assert r.loss_carryforward == 12_000.0


def test_conventional_sells_lots_first_in_first_out() -> None:
    r = first(project(household([LOTS])))
    sale = r.lot_sales[0]
    assert (sale.proceeds, sale.basis, sale.gain) == (30_000.0, 12_000.0, 18_000.0)
    assert r.realized_gains == 18_000.0
    assert r.federal_tax == 0.0  # all in the 0% long-term band


def test_hierarchy_orders_gains_by_basis_ratio_long_term_before_short_term() -> None:
    lots = {"name": "brokerage", "kind": "taxable", "lots": [
        {"value": 10_000, "basis": 2_000, "long_term": True},    # ratio 0.2
        {"value": 10_000, "basis": 9_500, "long_term": False},   # ratio 0.95, short-term
        {"value": 10_000, "basis": 8_000, "long_term": True},    # ratio 0.8
        {"value": 10_000, "basis": 10_000, "long_term": True},   # no gain
    ]}
    cash = {"name": "cash", "kind": "cash", "balance": 5_000}
    r = first(project(household([lots, cash], {"withdrawal_order": "hierarchy"},
                                spending=34_000)))
    # Cash, the lot with no gain, the 0.8 lot, the 0.2 lot, then (only then) the short-term lot.
    assert [(s.basis, s.long_term) for s in r.lot_sales] == [
        (10_000.0, True), (8_000.0, True), (1_800.0, True)]
    assert r.withdrawals == (("cash", 5_000.0), ("brokerage", 29_000.0))
    assert r.realized_gains == 2_000.0 + 7_200.0


def test_traditional_with_basis_sits_between_lots_by_ratio() -> None:
    lots = {"name": "brokerage", "kind": "taxable", "lots": [
        {"value": 20_000, "basis": 4_000, "long_term": True}]}   # ratio 0.2
    trad = ira(20_000, basis=10_000)                              # ratio 0.5
    r = first(project(household([lots, trad], {"withdrawal_order": "hierarchy"},
                                spending=10_000)))
    assert r.withdraw_traditional == 10_000.0 and r.withdraw_taxable == 0.0
    assert r.agi == 5_000.0  # half of the distribution is after-tax basis


def test_traditional_first_and_proportional() -> None:
    accounts = [{"name": "brokerage", "kind": "taxable", "balance": 100_000},
                ira(300_000), {"name": "roth", "kind": "roth", "owner": "pat",
                               "balance": 100_000}]
    r = first(project(household(accounts, {"withdrawal_order": "traditional-first"},
                                spending=10_000)))
    assert (r.withdraw_traditional, r.withdraw_taxable) == (10_000.0, 0.0)
    # Pro rata: 1/5 taxable, 3/5 traditional, 1/5 Roth; income under the deduction, no tax.
    r = first(project(household(accounts, {"withdrawal_order": "proportional"},
                                spending=10_000)))
    assert (r.withdraw_taxable, r.withdraw_traditional, r.withdraw_roth) == (
        2_000.0, 6_000.0, 2_000.0)
    r = first(project(household(accounts, {"withdrawal_order": "proportional-roth-last"},
                                spending=10_000)))
    assert (r.withdraw_taxable, r.withdraw_traditional, r.withdraw_roth) == (
        2_500.0, 7_500.0, 0.0)


def test_bracket_fill_stops_exactly_at_the_bracket_top() -> None:
    accounts = [ira(1_000_000), {"name": "brokerage", "kind": "taxable", "balance": 500_000}]
    r = first(project(household(accounts, {"withdrawal_order": "bracket-fill",
                                           "fill_bracket": 0.12}, spending=80_000)))
    # 16,100 deduction + 50,400 (top of 12%) = 66,500 of traditional money.
    assert r.fill_cap == 66_500.0
    assert r.withdraw_traditional == 66_500.0
    assert r.ordinary_taxable_income == 50_400.0
    # Tax: 10% of 12,400 + 12% of 38,000 = 5,800; taxable (no gain) gives the rest.
    assert r.federal_tax == 5_800.0
    assert r.withdraw_taxable == 80_000.0 + 5_800.0 - 66_500.0


def test_bracket_fill_with_a_small_need_takes_only_the_need() -> None:
    accounts = [ira(1_000_000), {"name": "brokerage", "kind": "taxable", "balance": 500_000}]
    r = first(project(household(accounts, {"withdrawal_order": "bracket-fill"},
                                spending=16_000)))
    assert (r.withdraw_traditional, r.withdraw_taxable, r.federal_tax) == (16_000.0, 0.0, 0.0)


# ---------------------------------------------------------------- Roth conversions

CASH = {"name": "cash", "kind": "cash", "balance": 300_000}


def test_up_to_bracket_converts_to_the_top_of_the_bracket() -> None:
    r = first(project(household([CASH, ira(500_000)],
                                {"roth_conversion": {"up_to_bracket": 0.22}}, spending=40_000)))
    assert r.roth_conversion == 16_100.0 + 105_700.0
    assert r.ordinary_taxable_income == 105_700.0
    # 1,240 + 4,560 + 22% of 55,300 = 17,966, paid from cash with the spending.
    assert r.federal_tax == 17_966.0
    assert r.withdraw_cash == 40_000.0 + 17_966.0
    assert (r.conversion_limit, r.conversion_tax_withheld) == ("bracket", 0.0)
    assert r.conversions == (("ira", "pat-roth", 121_800.0),)
    assert r.end_roth == 121_800.0 and r.end_traditional == 500_000.0 - 121_800.0


def test_up_to_irmaa_tier_0_keeps_magi_below_the_first_threshold_two_years_on() -> None:
    history = {"magi": {"2024": 50_000, "2025": 50_000}}
    s = household([CASH, ira(900_000)], {"roth_conversion": {"up_to_irmaa_tier": 0}},
                  spending=40_000, years=3, history=history,
                  assumptions={"inflation": 0.025, "stock_return": 0.0, "bond_return": 0.0,
                               "cash_return": 0.0})
    p = project(s)
    for r in p.years:
        threshold = rules_for_year(r.year + 2, 0.025).single.irmaa_thresholds[0]
        assert threshold - 1.01 <= r.magi <= threshold - 1.0, r.year
        assert irmaa_tier(r.magi, (threshold,)) == 0
        assert r.conversion_limit == "irmaa"
    # 109,000 indexed two years at 2.5%, to the nearest $1,000 (42 U.S.C. §1395r(i)(5)).
    assert rules_for_year(2028, 0.025).single.irmaa_thresholds[0] == 115_000.0


def test_up_to_irmaa_without_history_respects_this_and_next_years_thresholds() -> None:
    r = first(project(household([CASH, ira(900_000)],
                                {"roth_conversion": {"up_to_irmaa_tier": 0}}, spending=40_000)))
    assert r.magi == 109_000.0 - 1.0  # the 2026 threshold is the lowest of 2026-2028


def test_amounts_convert_exactly_those() -> None:
    p = project(household([CASH, ira(500_000)], {"roth_conversion": {
        "amounts": {"2026": 50_000, "2027": 25_000.5}}}, years=3))
    assert [r.roth_conversion for r in p.years] == [50_000.0, 25_000.5, 0.0]
    assert [r.conversion_limit for r in p.years] == ["amount", "amount", ""]


def test_stop_at_rmd_stops_in_the_first_rmd_year() -> None:
    policy = {"up_to_bracket": 0.12, "stop_at_rmd": True}
    # Born 1954: RMDs from 2027, the year of turning 73.
    p = project(household([CASH, ira(500_000)], {"roth_conversion": policy}, years=3,
                          born=1954))
    assert p.years[0].roth_conversion > 0.0 and p.years[0].rmd == 0.0
    assert [r.roth_conversion for r in p.years[1:]] == [0.0, 0.0]
    assert [r.conversion_limit for r in p.years[1:]] == ["stop_at_rmd", "stop_at_rmd"]
    assert p.years[1].rmd > 0.0
    without = project(household([CASH, ira(500_000)], {"roth_conversion": {
        "up_to_bracket": 0.12}}, years=3, born=1954))
    assert all(r.roth_conversion > 0.0 for r in without.years)


def test_until_age_stops_at_that_age() -> None:
    p = project(household([CASH, ira(500_000)], {"roth_conversion": {
        "up_to_bracket": 0.12, "until_age": 61}}, years=3))
    assert p.years[0].roth_conversion > 0.0  # 60 in 2026
    assert [r.roth_conversion for r in p.years[1:]] == [0.0, 0.0]
    assert p.years[1].conversion_limit == "until_age"


def test_conversion_tax_is_withheld_when_there_is_no_cash_or_taxable() -> None:
    accounts = [ira(500_000), {"name": "roth", "kind": "roth", "owner": "pat", "balance": 1_000}]
    plain = first(project(household(accounts, spending=10_000)))
    r = first(project(household(accounts, {"roth_conversion": {"amounts": {"2026": 40_000}}},
                                spending=10_000)))
    assert plain.federal_tax == 0.0 and plain.withdraw_traditional == 10_000.0
    # Ordinary income 50,000 + T, where T, the tax, is itself drawn from the IRA:
    # T = 1,240 + 12% of (50,000 + T - 16,100 - 12,400), so T = 3,820 / 0.88 = 4,340.91.
    assert r.federal_tax == 4_340.91
    assert r.conversion_tax_withheld == 4_340.91
    assert r.withdraw_traditional == 10_000.0 + 4_340.91
    assert r.roth_conversion == 40_000.0
    assert r.end_roth == 41_000.0


def test_a_conversion_never_makes_the_year_short() -> None:
    accounts = [ira(60_000)]
    r = first(project(household(accounts, {"roth_conversion": {"up_to_bracket": 0.35}},
                                spending=30_000)))
    assert r.shortfall == 0.0
    assert r.conversion_limit == "funding"
    assert r.end_traditional == 0.0 or r.roth_conversion < 60_000 - 30_000


# ---------------------------------------------------------------- QCDs

def test_qcd_counts_toward_the_rmd_is_left_out_of_agi_and_leaves_the_household() -> None:
    # Born 1953: 73 in 2026, the first RMD year; divisor 26.5.
    s = household([ira(530_000)], {"qcd_annual": 5_000}, spending=0.0, born=1953)
    r = first(project(s))
    assert r.rmd == 20_000.0
    assert r.qcd == 5_000.0
    assert r.withdraw_traditional == 15_000.0
    assert r.agi == 15_000.0
    assert r.end_traditional == 530_000.0 - 20_000.0
    # 15,000 taken, 15,000 reinvested (no tax: 73 has the 65+ deductions).
    assert r.reinvested == 15_000.0 and r.end_total == 530_000.0 - 5_000.0


def test_no_qcd_before_70_and_a_half() -> None:
    # Born in July 1956: 70 in 2026 but 70½ only in January 2027.
    s = household([ira(100_000)], {"qcd_annual": 5_000}, spending=0.0, born=1956, years=2,
                  people=[{"name": "pat", "birth_year": 1956, "birth_month": 7,
                           "longevity": 95}])
    p = project(s)
    assert [r.qcd for r in p.years] == [0.0, 5_000.0]


def test_qcd_is_capped_at_the_pre_tax_part() -> None:
    s = household([ira(100_000, basis=98_000)], {"qcd_annual": 5_000}, spending=0.0,
                  born=1953)
    r = first(project(s))
    assert r.qcd == 2_000.0  # only the pre-tax part can go to charity (IRC §408(d)(8)(D))


# ---------------------------------------------------------------- lots, harvesting, estate

def test_short_term_lots_turn_long_term_after_a_year() -> None:
    lots = {"name": "brokerage", "kind": "taxable", "lots": [
        {"value": 200_000, "basis": 100_000, "long_term": False}]}
    p = project(household([lots], spending=40_000, years=2))
    a, b = p.years
    # 2026: half of each dollar sold is a short-term gain, ordinary income: W = 40,000 + 10% of
    # (W / 2 - 16,100), so W = 38,390 / 0.95 = 40,410.53 and 4,105.26 is taxable.
    assert [s.long_term for s in a.lot_sales] == [False]
    assert [s.long_term for s in b.lot_sales] == [True]
    assert a.withdraw_taxable == 40_410.53
    assert a.ordinary_taxable_income == 4_105.26 and a.federal_tax == 410.53
    # 2027: the same lot is long-term: its gain sits in the 0% band.
    assert b.ordinary_taxable_income == 0.0 and b.federal_tax == 0.0


def test_reinvested_surplus_is_a_new_short_term_lot() -> None:
    lots = {"name": "brokerage", "kind": "taxable", "lots": [
        {"value": 1_000, "basis": 1_000, "long_term": True}]}
    pension = [{"kind": "pension", "annual": 50_000, "end_year": 2026}]
    s = household([lots], {"withdrawal_order": "hierarchy"}, spending=10_000, years=3,
                  income=pension,
                  assumptions={"inflation": 0.0, "stock_return": 0.10, "bond_return": 0.10,
                               "cash_return": 0.0})
    p = project(s)
    assert p.years[0].reinvested > 0.0
    # 2027 sells the new lot (bought 2026): short-term. 2028: what is left of it is long-term.
    assert any(not sale.long_term for sale in p.years[1].lot_sales)
    assert all(sale.long_term for sale in p.years[2].lot_sales)


def test_harvesting_realises_losses_and_carries_them_forward() -> None:
    lots = {"name": "brokerage", "kind": "taxable", "lots": [
        {"value": 80_000, "basis": 100_000, "long_term": True}]}
    pension = [{"kind": "pension", "annual": 20_000}]
    p = project(household([lots], {"harvest_losses": True}, spending=10_000, years=3,
                          income=pension))
    a, b, c = p.years
    assert a.harvested_losses == 20_000.0 and a.realized_gains == -20_000.0
    # $3,000 a year against the pension (IRC §1211(b)), the rest carried forward (§1212(b)).
    assert [r.loss_carryforward for r in p.years] == [17_000.0, 14_000.0, 11_000.0]
    assert [r.agi for r in p.years] == [17_000.0] * 3
    assert b.harvested_losses == 0.0 and c.harvested_losses == 0.0
    assert a.end_taxable == 80_000.0 + a.reinvested  # bought back at 80,000, plus the surplus


def test_harvest_offsets_gains_in_the_same_year() -> None:
    lots = {"name": "brokerage", "kind": "taxable", "lots": [
        {"value": 50_000, "basis": 10_000, "long_term": True},
        {"value": 50_000, "basis": 60_000, "long_term": True}]}
    r = first(project(household([lots], {"harvest_losses": True}, spending=25_000)))
    # FIFO sells 25,000 of the first lot: +20,000; the harvest realises -10,000.
    assert r.realized_gains == 10_000.0
    assert r.loss_carryforward == 0.0


def couple(accounts: list[dict[str, Any]], income: list[dict[str, Any]] | None = None,
           spending: float = 0.0) -> Scenario:
    doc: dict[str, Any] = {
        "plan": {"start_year": 2026, "end_year": 2027, "filing_status": "mfj"},
        "people": [{"name": "ann", "birth_year": 1966, "longevity": 60},   # dies end of 2026
                   {"name": "bob", "birth_year": 1966, "longevity": 95}],
        "accounts": accounts,
        "spending": {"annual": spending, "survivor_fraction": 1.0},
        "assumptions": {"inflation": 0.0, "stock_return": 0.0, "bond_return": 0.0,
                        "cash_return": 0.0},
    }
    if income:
        doc["income"] = income
    return parse_scenario(tomli_w.dumps(doc), "couple.toml")


def test_step_up_at_the_first_death_full_for_the_decedent_half_for_joint() -> None:
    accounts = [
        {"name": "anns", "kind": "taxable", "owner": "ann", "balance": 100_000, "basis": 20_000},
        {"name": "joint", "kind": "taxable", "balance": 100_000, "basis": 20_000},
        {"name": "bobs", "kind": "taxable", "owner": "bob", "balance": 100_000, "basis": 20_000},
    ]
    p = project(couple(accounts))
    assert p.years[0].stepped_up_basis == 0.0
    assert p.years[1].stepped_up_basis == 80_000.0 + 40_000.0
    assert p.years[1].filing_status == "single"


def test_step_up_of_lots_at_the_first_death() -> None:
    lots = {"name": "joint", "kind": "taxable", "lots": [
        {"value": 60_000, "basis": 20_000, "long_term": True},
        {"value": 40_000, "basis": 50_000, "long_term": True}]}
    p = project(couple([lots]))
    # Half of each lot's gap closes: 20,000 -> 40,000 and 50,000 -> 45,000 (a step down).
    assert p.years[1].stepped_up_basis == 20_000.0 - 5_000.0
    sold = project(couple([lots], spending=66_000)).years[1].lot_sales
    # 2026 sells all of the first lot (60,000) and 6,000 of the second; in 2027 the rest of
    # the second lot, 34,000 at a basis of 45,000 x 34/40 after the step-down.
    assert [(s.proceeds, s.basis) for s in sold][:1] == [(34_000.0, 38_250.0)]


def test_survivor_pays_single_rates_on_the_same_income() -> None:
    pension = [{"kind": "pension", "annual": 80_000}]
    p = project(couple([], pension))
    married, widowed = p.years
    # MFJ: 80,000 - 32,200 = 47,800: 10% of 24,800 + 12% of 23,000 = 5,240.
    assert married.federal_tax == 5_240.0
    # Single: 80,000 - 16,100 = 63,900: 1,240 + 4,560 + 22% of 13,500 = 8,770.
    assert widowed.federal_tax == 8_770.0
    assert (married.ordinary_bracket, widowed.ordinary_bracket) == (0.12, 0.22)


def test_estate_counts_traditional_after_the_heirs_tax() -> None:
    accounts = [CASH, ira(100_000), {"name": "roth", "kind": "roth", "owner": "pat",
                                     "balance": 50_000}]
    p = project(household(accounts, spending=0.0,
                          assumptions={"inflation": 0.0, "stock_return": 0.0,
                                       "bond_return": 0.0, "cash_return": 0.0,
                                       "heir_tax_rate": 0.3}))
    assert p.summary.after_tax_estate == 300_000.0 + 70_000.0 + 50_000.0


# ---------------------------------------------------------------- scenario keys

@pytest.mark.parametrize(("strategy", "key", "message"), [
    ({"withdrawal_order": "fifo"}, "strategy.withdrawal_order", "input should be"),
    ({"fill_bracket": 0.15}, "strategy.fill_bracket", "must be one of"),
    ({"roth_conversion": "all"}, "strategy.roth_conversion", 'must be "none"'),
    ({"roth_conversion": {"up_to_bracket": 0.37}}, "strategy.roth_conversion.up_to_bracket",
     "must be one of"),
    ({"roth_conversion": {"up_to_irmaa_tier": 5}}, "strategy.roth_conversion.up_to_irmaa_tier",
     "must be 0 to 4"),
    ({"roth_conversion": {"upto_bracket": 0.22}}, "strategy.roth_conversion.upto_bracket",
     "unknown key"),
    ({"roth_conversion": {"amounts": {"2020": 5}}}, "strategy.roth_conversion.amounts.2020",
     "outside the plan"),
    ({"roth_conversion": {"until_age": 70}}, "strategy.roth_conversion",
     "give up_to_bracket"),
    ({"roth_conversion": {"amounts": {"2026": 5}, "up_to_bracket": 0.22}},
     "strategy.roth_conversion.amounts", "not both"),
])
def test_bad_strategy_keys_name_the_key(strategy: dict[str, Any], key: str,
                                        message: str) -> None:
    with pytest.raises(PlannerError) as err:
        household([CASH], strategy)
    assert err.value.key == key
    assert message in str(err.value)
