"""`planner explain FILE YEAR` and `planner project --explain YEAR`: why a year's money came from
where it did, from the projection's own record of the year (nothing is recomputed differently).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.conversions import IRMAA_MARGIN, describe, target_for_year
from planner.errors import PlannerError
from planner.rules import rules_for_year

if TYPE_CHECKING:
    from planner.engine import Projection, YearResult
    from planner.scenario import Scenario

ORDER_TEXT = {
    "conventional": "cash, then taxable, then traditional, then Roth",
    "traditional-first": "cash, then traditional, then taxable, then Roth",
    "hierarchy": ("the tax-lot hierarchy: lots at a loss, cash and lots with no gain, then the "
                  "highest basis-to-value ratio (long-term before short-term), pre-tax "
                  "traditional, Roth last"),
    "proportional": "every account pro rata to its balance",
    "proportional-roth-last": "cash, taxable and traditional pro rata, then Roth",
    "bracket-fill": ("traditional up to the top of the fill bracket, then cash and taxable, "
                     "then the rest of traditional, Roth last"),
}
LIMIT_TEXT = {
    "bracket": "ordinary taxable income reached the top of the {rate:.0%} bracket ({top})",
    "irmaa": ("MAGI reached {limit} (${margin:,.0f} below the IRMAA tier {tier} threshold of "
              "{year}, the premium year this MAGI sets)"),
    "funding": "converting more would have left the year short of money for its tax",
    "balance": "the convertible traditional balance ran out",
    "amount": "the scheduled amount for the year",
    "until_age": "no conversions from the year the owner reaches until_age",
    "stop_at_rmd": "no conversions once the owner's RMDs have begun (stop_at_rmd)",
}


def _money(x: float) -> str:
    return f"-${-x:,.2f}" if x < 0 else f"${x:,.2f}"


def find_year(projection: Projection, year: int, source: str = "YEAR") -> YearResult:
    """The projected year `year`, or a PlannerError naming the plan's years."""
    for r in projection.years:
        if r.year == year:
            return r
    first, last = projection.years[0].year, projection.years[-1].year
    raise PlannerError(f"{year} is not a year of the plan ({first}-{last})", key=source)


def explain_lines(scenario: Scenario, projection: Projection, year: int,
                  source: str = "YEAR") -> list[str]:
    """The explanation of one year, as lines of text."""
    r = find_year(projection, year, source)
    st = scenario.strategy
    inflation = scenario.assumptions.inflation
    rules = rules_for_year(year, inflation)
    law = rules.status(r.filing_status)
    ages = ", ".join(f"{name} {age}" for name, age in zip(projection.people, r.ages, strict=True)
                     if age is not None)
    status = "married filing jointly" if r.filing_status == "mfj" else "single"
    out = [f"Year {year}: {ages}; files {status}."]
    if r.stepped_up_basis:
        out.append(f"Basis step-up at the first death (IRC §1014; half of joint accounts): "
                   f"taxable basis changed by {_money(r.stepped_up_basis)}.")
    extras = [(r.state_tax, f"{r.state or 'state'} income tax"),
              (r.aca_net_premium, "Marketplace premiums net of the credit"),
              (r.payroll_tax, "payroll tax"), (r.contributions, "contributions from wages")]
    out.append(f"Need: spending {_money(r.spending)} + federal tax {_money(r.federal_tax)} + "
               f"IRMAA {_money(r.irmaa)}"
               + "".join(f" + {name} {_money(x)}" for x, name in extras if x)
               + (f" + QCDs {_money(r.qcd)} (straight to charity)" if r.qcd else "") + ".")
    out.append(f"Income: Social Security {_money(r.income_social_security)}, other "
               f"{_money(r.income_other)}, RMDs {_money(r.rmd)}.")
    out += _working_lines(r)
    for account, balance, divisor, amount in r.rmds:
        out.append(f"RMD from {account}: 31 December balance {_money(balance)} / divisor "
                   f"{divisor:g} = {_money(amount)} (taken first, IRC §401(a)(9)).")
    for account, amount in r.qcds:
        out.append(f"QCD from {account}: {_money(amount)}, counts toward its RMD and is left out "
                   f"of AGI (IRC §408(d)(8)).")
    if r.harvested_losses:
        out.append(f"Tax-loss harvesting: {_money(r.harvested_losses)} of losses realised; the "
                   f"proceeds were reinvested in a similar, not substantially identical, holding.")
    drawn = r.withdraw_cash + r.withdraw_taxable + r.withdraw_traditional + r.withdraw_roth \
        + r.withdraw_hsa - r.hsa_medical - r.rmd + sum(q for _, q in r.qcds)
    if drawn > 0.005:
        out.append(f"Withdrawals beyond the RMDs: {_money(drawn)}, drawn in the "
                   f"{st.withdrawal_order} order ({ORDER_TEXT[st.withdrawal_order]}):")
        for account, amount in r.withdrawals:
            out.append(f"  {account}: {_money(amount)}")
    else:
        out.append("No withdrawal beyond the RMDs: income covered the need.")
    if st.withdrawal_order == "bracket-fill":
        top = law.bracket_floors[law.bracket_rates.index(st.fill_bracket) + 1]
        out.append(f"Bracket fill: traditional money up to {_money(r.fill_cap)} brings ordinary "
                   f"taxable income to the top of the {st.fill_bracket:.0%} bracket "
                   f"({_money(top)}) before any other withdrawal.")
    for sale in r.lot_sales:
        kind = "harvested" if sale.harvested else "sold"
        term = "long-term" if sale.long_term else "short-term (taxed as ordinary income)"
        out.append(f"Lot {kind} in {sale.account}: proceeds {_money(sale.proceeds)}, basis "
                   f"{_money(sale.basis)}, {'gain' if sale.gain >= 0 else 'loss'} "
                   f"{_money(abs(sale.gain))}, {term}.")
    if r.realized_gains or r.loss_carryforward:
        out.append(f"Net capital gain or loss realised: {_money(r.realized_gains)}; loss carried "
                   f"to next year: {_money(r.loss_carryforward)}.")
    out += _conversion_lines(scenario, r, inflation)
    i = law.bracket_rates.index(r.ordinary_bracket)
    nxt = (f"; the next rate, {law.bracket_rates[i + 1]:.0%}, starts at "
           f"{_money(law.bracket_floors[i + 1])}" if i + 1 < len(law.bracket_rates) else "")
    out.append(f"Tax: AGI {_money(r.agi)}, taxable income {_money(r.taxable_income)} of which "
               f"ordinary {_money(r.ordinary_taxable_income)}: marginal ordinary rate "
               f"{r.ordinary_bracket:.0%}{nxt}. Taxable Social Security "
               f"{_money(r.taxable_social_security)}; NIIT {_money(r.niit)}.")
    if r.early_withdrawal_penalty:
        out.append(f"Additional tax on early withdrawals: {_money(r.early_withdrawal_penalty)} "
                   f"(in the federal tax): 10% of retirement income before 59½ (IRC §72(t)) "
                   f"and of Roth conversions withdrawn within five years (§408A(d)(3)(F)), "
                   f"20% of HSA money not spent on medical care before 65 (§223(f)(4)).")
    out.append(_irmaa_line(scenario, projection, r))
    if r.shortfall:
        out.append(f"Shortfall: {_money(r.shortfall)} of spending could not be funded.")
    elif r.reinvested:
        out.append(f"Surplus of {_money(r.reinvested)} reinvested in taxable (a new short-term "
                   f"lot).")
    return out


def _working_lines(r: YearResult) -> list[str]:
    """Contributions, employer money and HSA-paid medical expenses of the year."""
    out = []
    if r.contributions or r.employer_contributions:
        out.append(f"Contributions: {_money(r.contributions)} from wages (within each year's "
                   f"limits) and {_money(r.employer_contributions)} from employers, into "
                   f"retirement accounts and HSAs.")
    if r.hsa_medical:
        out.append(f"Medical expenses paid from HSAs, tax-free (IRC §223(f)(1)): "
                   f"{_money(r.hsa_medical)}.")
    return out


def _conversion_lines(scenario: Scenario, r: YearResult, inflation: float) -> list[str]:
    policy = scenario.strategy.roth_conversion
    if policy is None:
        return []
    out = []
    if r.roth_conversion:
        moves = "; ".join(f"{_money(x)} from {a} to {b}" for a, b, x in r.conversions)
        out.append(f"Roth conversion ({describe(policy)}): {moves}.")
    elif r.conversion_limit:
        out.append(f"No Roth conversion ({describe(policy)}).")
    if r.conversion_limit:
        first = r.year == scenario.plan.start_year and not scenario.history.magi
        target = target_for_year(policy, r.year, r.filing_status, inflation,
                                 (r.year, r.year + 1, r.year + 2) if first else None)
        values = {"rate": 0.0, "top": "", "limit": "", "margin": IRMAA_MARGIN, "tier": 0,
                  "year": r.year + 2}
        if target is not None:
            values.update(rate=target.bracket_rate or 0.0,
                          top=_money(target.bracket_top or 0.0),
                          limit=_money(target.magi_limit or 0.0),
                          tier=target.irmaa_tier or 0, year=target.irmaa_year)
        out.append("  Stopped because " + LIMIT_TEXT[r.conversion_limit].format(**values) + ".")
    if r.conversion_tax_withheld:
        out.append(f"  {_money(r.conversion_tax_withheld)} of the conversion's tax was paid from "
                   f"retirement money (withheld), as cash and taxable could not pay it.")
    return out


def _irmaa_line(scenario: Scenario, projection: Projection, r: YearResult) -> str:
    if r.irmaa_tier == 0 and not r.irmaa:
        enrolled = "no surcharge"
    else:
        enrolled = f"tier {r.irmaa_tier}, surcharges {_money(r.irmaa)} for the year"
    look = r.irmaa_lookback_year
    if look == r.year:
        source = "this year's own MAGI (no earlier MAGI in [history])"
    else:
        magi = next((x.magi for x in projection.years if x.year == look), None)
        if magi is None:
            magi = scenario.history.magi.get(str(look))
        source = f"the MAGI of {look}" + (f" ({_money(magi)})" if magi is not None else "")
    return f"IRMAA: {enrolled}; set by {source}, two years' look-back (20 CFR 418.2115)."


def render(scenario: Scenario, projection: Projection, year: int, fmt: str = "table",
           source: str = "YEAR") -> str:
    """The explanation as text (`table`, `csv`) or as a JSON document (`json`)."""
    lines = explain_lines(scenario, projection, year, source)
    if fmt == "json":
        import json

        return json.dumps({"year": year, "explanation": lines}, indent=2) + "\n"
    return "\n".join(lines) + "\n"
