"""Working years, HSAs and early withdrawals: hand-checked figures from the rules' sources.

Limits: Notice 2023-75 (2024), Notice 2025-67 (2026), Rev. Proc. 2025-19 (HSA 2026); payroll
tax: IRC §3101, 2026 wage base $184,500; penalties: IRC §72(t), §223(f)(4), §408A(d)(3)(F).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from planner.contributions import (
    deferral_limit,
    hsa_limit,
    hsa_months,
    ira_limit,
    payroll_tax,
)
from planner.engine import Holding, project
from planner.errors import PlannerError
from planner.estate import after_tax_estate
from planner.rules import law_section
from planner.scenario import parse_scenario
from planner.strategies import ORDERS, withdrawal_sequence

INFLATION = 0.025


def law(year: int, name: str) -> dict:
    return law_section(year, name, INFLATION)


# ----------------------------------------------------------------------------- limits


def test_deferral_limits_by_age() -> None:
    ed26 = law(2026, "elective_deferral")
    assert deferral_limit(45, ed26) == 24_500
    assert deferral_limit(50, ed26) == 24_500 + 8_000
    assert deferral_limit(61, ed26) == 24_500 + 11_250  # §414(v)(2)(E): ages 60-63
    assert deferral_limit(64, ed26) == 24_500 + 8_000
    # 2024: no higher catch-up yet (SECURE 2.0 §109 applies from 2025).
    assert deferral_limit(61, law(2024, "elective_deferral")) == 23_000 + 7_500


def test_ira_and_hsa_limits() -> None:
    assert ira_limit(49, law(2026, "ira_contribution"), law(2026, "ira_catch_up")) == 7_500
    assert ira_limit(52, law(2026, "ira_contribution"), law(2026, "ira_catch_up")) == 8_600
    assert ira_limit(52, law(2024, "ira_contribution"), law(2024, "ira_catch_up")) == 8_000
    hsa26 = law(2026, "hsa_contribution")
    assert hsa_limit(40, False, 12, hsa26) == 4_400
    assert hsa_limit(56, True, 12, hsa26) == 8_750 + 1_000
    # Born July 1961: Medicare from July 2026, so six eligible months (§223(b)(2), (b)(7)).
    assert hsa_months(2026, 1961, 7, 65) == 6
    assert hsa_limit(64, True, 6, hsa26) == pytest.approx((8_750 + 1_000) / 2)
    assert hsa_months(2027, 1961, 7, 65) == 0 and hsa_months(2025, 1961, 7, 65) == 12


def test_limits_indexed_past_2026() -> None:
    # $24,500 x 1.025^4 = $27,043 -> rounded down to a multiple of $500 (§402(g)(4)).
    assert law(2030, "elective_deferral")["limit"] == 27_000
    # $1,100 x 1.025^4 = $1,214 -> down to a multiple of $100 (§219(b)(5)(C)(iii)).
    assert law(2030, "ira_catch_up")["amount"] == 1_200
    # The HSA catch-up and the additional Medicare thresholds are fixed in the statute.
    assert law(2030, "hsa_contribution")["catch_up_55"] == 1_000
    assert law(2030, "payroll_tax")["additional_medicare_mfj"] == 250_000


def test_payroll_tax_2026() -> None:
    p = law(2026, "payroll_tax")
    # 6.2% x (184,500 + 100,000) = 17,639; 1.45% x 300,000 = 4,350;
    # 0.9% x (300,000 - 250,000) = 450.
    assert payroll_tax([200_000, 100_000], True, p) == pytest.approx(17_639 + 4_350 + 450)
    # Single, under every threshold: 7.65% of wages.
    assert payroll_tax([50_000], False, p) == pytest.approx(3_825)


# ----------------------------------------------------------------------------- the engine

WORKER = """
[plan]
start_year = 2026
end_year = 2030
filing_status = "single"

[[people]]
name = "pat"
birth_year = 1976
longevity = 90

[[accounts]]
name = "pat-401k"
kind = "traditional"
owner = "pat"
plan_type = "401k"
balance = 200000

[[accounts]]
name = "pat-hsa"
kind = "hsa"
owner = "pat"
balance = 10000

[[accounts]]
name = "savings"
kind = "cash"
balance = 20000

[[income]]
kind = "wages"
owner = "pat"
annual = 150000
end_year = 2028

[[contributions]]
account = "pat-401k"
annual = 30000
employer = 5000

[[contributions]]
account = "pat-hsa"
annual = 9000
coverage = "family"

[spending]
annual = 60000

[assumptions]
inflation = 0.0
stock_return = 0.0
bond_return = 0.0
cash_return = 0.0
"""


def test_working_year_contributions_and_payroll_tax() -> None:
    r = project(parse_scenario(WORKER)).years
    y = r[0]
    # Age 50 in 2026: 401(k) limit 24,500 + 8,000 = 32,500, so all 30,000 goes in; the family
    # HSA limit is 8,750 (no catch-up before 55), so 9,000 is capped.
    assert y.contributions == 30_000 + 8_750
    assert y.employer_contributions == 5_000
    # FICA wages exclude the cafeteria-plan HSA money, not the 401(k) deferral:
    # 7.65% x (150,000 - 8,750) = 10,805.625.
    assert y.payroll_tax == 10_805.63
    # AGI: wages less the deferral and the HSA contribution.
    assert y.agi == 150_000 - 30_000 - 8_750
    assert y.end_hsa == 10_000 + 8_750
    assert y.end_traditional == 200_000 + 35_000
    # No wages after 2028: no contributions, no payroll tax.
    assert r[3].contributions == 0 and r[3].payroll_tax == 0 and r[3].employer_contributions == 0


def test_early_withdrawal_penalty_and_rule_of_55() -> None:
    text = WORKER.replace("end_year = 2028\n", "end_year = 2025\nstart_year = 2024\n")
    text = text.replace('kind = "cash"\nbalance = 20000', 'kind = "cash"\nbalance = 0')
    text = text.replace("balance = 200000", "balance = 900000")
    # Pat (50) left work before the plan: the 401(k) money costs 10% extra (§72(t)(1)).
    y = project(parse_scenario(text)).years[0]
    assert y.withdraw_traditional > 0
    assert y.early_withdrawal_penalty == pytest.approx(0.10 * y.withdraw_traditional, abs=0.01)
    assert y.federal_tax >= y.early_withdrawal_penalty
    # Separated in the year of reaching 55 (2031): no penalty from then on (§72(t)(2)(A)(v)).
    later = text.replace("end_year = 2030", "end_year = 2033").replace(
        "longevity = 90", "longevity = 90\nseparation_year = 2031")
    rows = {r.year: r for r in project(parse_scenario(later)).years}
    assert rows[2030].early_withdrawal_penalty > 0
    assert rows[2031].early_withdrawal_penalty == 0 and rows[2031].withdraw_traditional > 0
    # An IRA has no age-55 exception.
    ira = later.replace('plan_type = "401k"', 'plan_type = "ira"').replace(
        "employer = 5000\n", "")
    rows = {r.year: r for r in project(parse_scenario(ira)).years}
    assert rows[2031].early_withdrawal_penalty > 0


ROTH_ONLY = """
[plan]
start_year = 2026
end_year = 2026
filing_status = "single"

[[people]]
name = "lee"
birth_year = 1976
longevity = 90

[[accounts]]
name = "lee-roth"
kind = "roth"
owner = "lee"
balance = 50000
basis = 10000

[spending]
annual = 20000

[assumptions]
inflation = 0.0
stock_return = 0.0
bond_return = 0.0
cash_return = 0.0
"""


def test_roth_before_59_half_contributions_first_then_earnings() -> None:
    y = project(parse_scenario(ROTH_ONLY)).years[0]
    # 10,000 of contributions come out free; the rest is earnings: income and 10% more.
    # W = 20,000 + 0.10 (W - 10,000) -> W = 19,000 / 0.9 (income below the standard deduction).
    w = 19_000 / 0.9
    assert y.withdraw_roth == pytest.approx(w, abs=0.02)
    assert y.early_withdrawal_penalty == pytest.approx(0.10 * (w - 10_000), abs=0.02)
    assert y.federal_tax == y.early_withdrawal_penalty
    assert y.agi == pytest.approx(w - 10_000, abs=0.02)


def converter(*, end_year: int, ira: str, cash: float, spending: float, converted: float) -> str:
    """Lee (52 in 2026) with an IRA (`ira`: its balance line, and more) and cash, converting
    `converted` dollars in 2026; no returns, no inflation."""
    return f"""
[plan]
start_year = 2026
end_year = {end_year}
filing_status = "single"

[[people]]
name = "lee"
birth_year = 1974
longevity = 90

[[accounts]]
name = "lee-ira"
kind = "traditional"
owner = "lee"
balance = {ira}

[[accounts]]
name = "cash"
kind = "cash"
balance = {cash}

[spending]
annual = {spending}

[assumptions]
inflation = 0.0
stock_return = 0.0
bond_return = 0.0
cash_return = 0.0

[strategy]
roth_conversion = {{ amounts = {{ 2026 = {converted} }} }}
"""


def test_roth_conversion_withdrawn_within_five_years_is_penalised() -> None:
    h = Holding("r", "roth", "lee", 60_000.0, 30_000.0, 0.6, 0.0, 0.0, penalty=0.10)
    h.conversions = [[2026, 20_000.0, 1.0]]
    assert h.roth_layers(2028) == [(10_000.0, 0.0, 0.0), (20_000.0, 0.0, 0.10),
                                   (30_000.0, 1.0, 0.10)]
    # From 1 January of the fifth year after the conversion's year, no additional tax.
    assert h.roth_layers(2031)[1] == (20_000.0, 0.0, 0.0)
    # Withdrawing takes contributions first, then the conversion (§408A(d)(4)(B)).
    h.take(15_000.0)
    assert h.basis == 15_000.0 and h.conversions == [[2026, 15_000.0, 1.0]]
    # In the engine: convert in 2026, live on the converted money in 2027.
    text = converter(end_year=2027, ira="30000", cash=25_000, spending=20_000,
                     converted=30_000)
    rows = project(parse_scenario(text)).years
    assert rows[0].roth_conversion == 30_000 and rows[0].early_withdrawal_penalty == 0
    y = rows[1]
    assert y.withdraw_roth > 0
    # All of it comes from the 2026 conversion (no contributions, no earnings at 0% returns).
    assert y.early_withdrawal_penalty == pytest.approx(0.10 * y.withdraw_roth, abs=0.01)
    assert y.agi == 0


HSA_RETIREE = """
[plan]
start_year = 2026
end_year = 2026
filing_status = "single"

[[people]]
name = "kim"
birth_year = {birth}
longevity = 95

[[accounts]]
name = "kim-hsa"
kind = "hsa"
owner = "kim"
balance = 100000

[spending]
annual = 30000
medical = 6000

[assumptions]
inflation = 0.0
stock_return = 0.0
bond_return = 0.0
cash_return = 0.0
"""


def test_hsa_pays_medical_tax_free_then_income_after_65() -> None:
    y = project(parse_scenario(HSA_RETIREE.replace("{birth}", "1956"))).years[0]
    assert y.hsa_medical == 6_000
    # The other 24,000 (plus tax) is ordinary income at 70, with no additional tax.
    assert y.early_withdrawal_penalty == 0
    assert y.agi == pytest.approx(y.withdraw_hsa - 6_000, abs=0.01)
    assert y.withdraw_hsa == pytest.approx(30_000 + y.federal_tax, abs=0.01)
    assert y.end_hsa == pytest.approx(100_000 - y.withdraw_hsa, abs=0.01)


def test_hsa_before_65_costs_20_percent_more() -> None:
    y = project(parse_scenario(HSA_RETIREE.replace("{birth}", "1971"))).years[0]
    non_medical = y.withdraw_hsa - 6_000
    assert y.early_withdrawal_penalty == pytest.approx(0.20 * non_medical, abs=0.01)  # §223(f)(4)


def test_hsa_comes_last_in_every_order() -> None:
    hsa = Holding("h", "hsa", "kim", 1_000.0, 0.0, 0.6, 0.0, 0.0)
    roth = Holding("r", "roth", "kim", 1_000.0, 1_000.0, 0.6, 0.0, 0.0)
    cash = Holding("c", "cash", None, 1_000.0, 1_000.0, 0.0, 0.0, 0.0)
    for order in ORDERS:
        seq = withdrawal_sequence(order, [hsa, roth, cash], 2026)
        assert seq[-1].sources[0][0] is hsa, order
        assert all(h is not hsa for t in seq[:-1] for h, _, _ in t.sources), order


def test_hsa_taxed_to_heirs() -> None:
    assert after_tax_estate(0, 0, 0, 0, 0.24, 100_000) == pytest.approx(76_000)
    assert math.isclose(after_tax_estate(1, 2, 3, 4, 0.5), 1 + 2 + 1.5 + 4)


@pytest.mark.parametrize("change, key", [
    (("account = \"pat-hsa\"", "account = \"nope\""), "contributions[2].account"),
    (("kind = \"cash\"\nbalance = 20000", "kind = \"cash\"\nbalance = 20000\nplan_type = \"ira\""),
     "accounts[3].plan_type"),
    (("coverage = \"family\"", "coverage = \"family\"\nstart_year = 2029\nend_year = 2027"),
     "contributions[2].end_year"),
    (("annual = 9000\n", "annual = 9000\nemployer = 1\n"), None),
    (("account = \"pat-401k\"\nannual = 30000", "account = \"pat-401k\"\nannual = 30000\n"
      "coverage = \"self\""), "contributions[1].coverage"),
    (("annual = 60000", "annual = 60000\nmedical = 70000"), "spending.medical"),
    (("balance = 10000", "balance = 10000\nbasis = 5"), "accounts[2].basis"),
    (("owner = \"pat\"\nannual = 150000", "owner = \"pat\"\nannual = 150000\nkind2 = 1"),
     "income[1].kind2"),
])
def test_bad_working_year_input(change: tuple[str, str], key: str | None) -> None:
    text = WORKER.replace(*change)
    assert text != WORKER
    if key is None:  # employer HSA money is allowed
        parse_scenario(text)
        return
    with pytest.raises(PlannerError) as exc:
        parse_scenario(text, "w.toml")
    assert exc.value.key == key, str(exc.value)


def test_employer_money_only_into_an_employer_plan() -> None:
    text = WORKER.replace('plan_type = "401k"', 'plan_type = "ira"')
    with pytest.raises(PlannerError) as exc:
        parse_scenario(text, "w.toml")
    assert exc.value.key == "contributions[1].employer"


def test_contributions_need_wages() -> None:
    text = WORKER.replace('kind = "wages"', 'kind = "pension"')
    with pytest.raises(PlannerError) as exc:
        parse_scenario(text, "w.toml")
    assert exc.value.key == "contributions[1].account" and "no wages" in str(exc.value)


# ------------------------------------------------------------- review findings, each a test


def test_simulate_and_optimize_refuse_hsas_and_contributions() -> None:
    from planner.optimize import not_modelled
    from planner.vector_engine import unsupported_key

    hsa = parse_scenario(HSA_RETIREE.replace("{birth}", "1956"))
    assert unsupported_key(hsa) == "accounts[1].kind"
    assert not_modelled(hsa).key == ("accounts", 0, "kind")
    worker = parse_scenario(WORKER)
    assert unsupported_key(worker) is not None
    assert not_modelled(worker).key == ("accounts", 1, "kind")  # its HSA, before contributions


COUPLE = """
[plan]
start_year = 2026
end_year = 2030
filing_status = "mfj"

[[people]]
name = "old"
birth_year = 1956
longevity = 70

[[people]]
name = "young"
birth_year = 1975
longevity = 95

[[accounts]]
name = "old-ira"
kind = "traditional"
owner = "old"
balance = 500000

[spending]
annual = 40000

[assumptions]
inflation = 0.0
stock_return = 0.0
bond_return = 0.0
cash_return = 0.0
"""


def test_inherited_accounts_pay_no_early_withdrawal_tax() -> None:
    # Old dies in 2026 (70); from 2027 young (52) draws on the inherited IRA as a beneficiary:
    # no additional tax (IRC §72(t)(2)(A)(ii)).
    rows = {r.year: r for r in project(parse_scenario(COUPLE)).years}
    assert rows[2027].withdraw_traditional > 0
    assert rows[2027].early_withdrawal_penalty == 0
    # Young's own IRA still costs the 10%.
    own = COUPLE.replace('owner = "old"', 'owner = "young"')
    rows = {r.year: r for r in project(parse_scenario(own)).years}
    assert rows[2027].early_withdrawal_penalty > 0


def test_employer_money_not_into_a_roth() -> None:
    text = WORKER.replace('kind = "traditional"\nowner = "pat"\nplan_type = "401k"',
                          'kind = "roth"\nowner = "pat"\nplan_type = "401k"')
    with pytest.raises(PlannerError) as exc:
        parse_scenario(text, "w.toml")
    assert exc.value.key == "contributions[1].employer"


SPOUSES = """
[plan]
start_year = 2026
end_year = 2026
filing_status = "mfj"

[[people]]
name = "a"
birth_year = 1970
longevity = 95

[[people]]
name = "b"
birth_year = 1968
longevity = 95

[[accounts]]
name = "b-ira"
kind = "traditional"
owner = "b"
balance = 0

[[accounts]]
name = "a-hsa"
kind = "hsa"
owner = "a"
balance = 0

[[accounts]]
name = "b-hsa"
kind = "hsa"
owner = "b"
balance = 0

[[income]]
kind = "wages"
owner = "a"
annual = 150000

[[income]]
kind = "wages"
owner = "b"
annual = {b_wages}

[[contributions]]
account = "b-ira"
annual = 10000

[[contributions]]
account = "a-hsa"
annual = 9000
coverage = "family"

[[contributions]]
account = "b-hsa"
annual = 9000
coverage = "family"

[spending]
annual = 50000

[assumptions]
inflation = 0.0
stock_return = 0.0
bond_return = 0.0
cash_return = 0.0
"""


def test_spousal_ira_and_one_family_hsa_limit_per_couple() -> None:
    # b (58) has no wages: the IRA takes 7,500 + 1,100 out of a's pay (§219(c)); b's HSA gets
    # nothing (HSA money goes through b's own payroll). a (56) puts in 9,000 of the family limit
    # of 8,750 plus a's own 1,000 catch-up (§223(b)(3)).
    y = project(parse_scenario(SPOUSES.replace("{b_wages}", "0"))).years[0]
    assert y.contributions == 8_600 + 9_000
    assert y.end_traditional == 8_600
    assert y.agi == 150_000 - 8_600 - 9_000  # the IRA deduction and the HSA money
    # Both working: the couple shares one family limit, each with their own catch-up
    # (§223(b)(5)): a 9,000 (1,000 catch-up + 8,000), b 1,750 (1,000 catch-up + 750 left).
    y = project(parse_scenario(SPOUSES.replace("{b_wages}", "30000"))).years[0]
    assert y.end_hsa == 8_750 + 1_000 + 1_000
    assert y.contributions == 8_600 + 10_750


def test_conversion_taxable_part_comes_out_first() -> None:
    h = Holding("r", "roth", "lee", 20_000.0, 20_000.0, 0.6, 0.0, 0.0, penalty=0.10)
    h.conversions = [[2026, 10_000.0, 1.0], [2026, 10_000.0, 0.0]]
    assert h.roth_layers(2027)[1:3] == [(10_000.0, 0.0, 0.10), (10_000.0, 0.0, 0.0)]
    # The engine records a half-taxable conversion as those two layers.
    text = converter(end_year=2026, ira="20000\nbasis = 10000", cash=100_000, spending=10_000,
                     converted=20_000)
    import planner.engine as engine

    seen = []
    original = engine._convert_to_roth

    def spy(holdings, h, amount, a, converted, year):
        income = original(holdings, h, amount, a, converted, year)
        seen.append([list(x) for x in next(r for r in holdings if r.kind == "roth").conversions])
        return income

    engine._convert_to_roth = spy
    try:
        project(parse_scenario(text))
    finally:
        engine._convert_to_roth = original
    assert seen[-1] == [[2026, 10_000.0, 1.0], [2026, 10_000.0, 0.0]]


def test_scheduled_hsa_withdrawal_is_state_income() -> None:
    from planner.schedule import parse_schedule

    text = HSA_RETIREE.replace("{birth}", "1956").replace(
        'filing_status = "single"', 'filing_status = "single"\nstate = "MA"').replace(
        "medical = 6000", "medical = 0")
    scenario = parse_scenario(text)
    solved = project(scenario).years[0]
    schedule = parse_schedule('[years.2026.withdrawals]\n"kim-hsa" = 40000\n', "s.toml",
                              scenario)
    y = project(scenario, schedule).years[0]
    assert y.withdraw_hsa >= 40_000
    assert y.state_tax > 0 and solved.state_tax > 0


def test_hsa_limit_indexed_to_the_nearest_50() -> None:
    # 4,400 x 1.025^4 = 4,856.8 -> 4,850; 8,750 x 1.025^4 = 9,658.4 -> 9,650 (IRC §223(g)(2)).
    hsa = law(2030, "hsa_contribution")
    assert (hsa["self_only"], hsa["family"]) == (4_850, 9_650)


def test_simulate_and_optimize_name_the_file_key_and_line(run_cli) -> None:
    path = str(Path(__file__).parent.parent / "scenarios" / "working-couple-hsa.toml")
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    simulate = run_cli("simulate", path, "--paths", "10")
    assert simulate.code == 2
    plan_type = next(i for i, x in enumerate(lines, 1) if x.startswith("plan_type"))
    assert f"{path}:{plan_type}: accounts[3].plan_type: not supported" in simulate.err
    optimize = run_cli("optimize", path)
    assert optimize.code == 2
    hsa = next(i for i, x in enumerate(lines, 1) if x == 'kind = "hsa"')
    assert f"{path}:{hsa}: accounts[7].kind: HSAs are not" in optimize.err
