"""Federal income tax of one household-year: a pure function of the income and the year's rules.

Follows Form 1040 as the IRS lays it out: capital gain netting and the loss limit (Schedule D,
IRC §1211(b)); taxable Social Security (IRS Pub 915, Worksheet 1; IRC §86); the standard
deduction with the 65+ addition (IRC §63(c), (f)) and the 2025-2028 senior deduction
(IRC §151(d)(5)(C), Schedule 1-A Part V); ordinary brackets (IRC §1(j)); long-term gains and
qualified dividends stacked on top at 0/15/20% (Qualified Dividends and Capital Gain Tax
Worksheet, IRC §1(h)); the net investment income tax (IRC §1411, Form 8960).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import NamedTuple

from planner.amt import alternative_minimum_tax
from planner.rules import StatusRules, YearRules


class TaxInput(NamedTuple):
    """One return's income (immutable). Ages are the filers' ages on 31 December of the tax year.

    `ordinary` is income taxed at the bracket rates that is not investment income (pensions,
    taxable IRA distributions, wages); `interest` is taxable interest; `ltcg` and `stcg` are the
    year's net long- and short-term capital gains (negative for a loss, carryovers included).
    """

    filing_status: str
    ages: tuple[int, ...]
    ordinary: float = 0.0
    interest: float = 0.0
    qualified_dividends: float = 0.0
    ltcg: float = 0.0
    stcg: float = 0.0
    social_security: float = 0.0
    tax_exempt_interest: float = 0.0


class TaxResult(NamedTuple):
    """The lines of the return the planner reports (a NamedTuple: immutable, and cheap to build
    in the withdrawal solve, which asks for thousands)."""

    agi: float
    magi: float
    taxable_social_security: float
    capital_gain_in_agi: float
    loss_carryforward: float
    standard_deduction: float
    additional_65: float
    senior_deduction: float
    deduction: float
    taxable_income: float
    preferential_income: float
    ordinary_tax: float
    preferential_tax: float
    amt: float
    income_tax: float
    net_investment_income: float
    niit: float
    total_tax: float


_new = tuple.__new__


def bracket_tax(amount: float, floors: tuple[float, ...], rates: tuple[float, ...]) -> float:
    """Tax on `amount` of ordinary taxable income by the rate schedule (IRC §1(j)), from the top
    bracket the amount reaches down (the brackets above it, with floors at or over the amount,
    add nothing and are not visited)."""
    tax = 0.0
    i = bisect_left(floors, amount)  # floors[:i] are below the amount
    while i:
        i -= 1
        floor = floors[i]
        tax += (amount - floor) * rates[i]
        amount = floor
    return tax


def bracket_rate(amount: float, floors: tuple[float, ...], rates: tuple[float, ...]) -> float:
    """The rate that applies to the next dollar of ordinary taxable income above `amount`."""
    return rates[max(0, bisect_right(floors, amount) - 1)]


def taxable_social_security(
    benefits: float, other_income: float, st: StatusRules, rate_1: float, rate_2: float
) -> float:
    """Taxable part of Social Security benefits (IRS Pub 915 (2025), Worksheet 1, lines 1-19).

    `other_income` is every other item of AGI plus tax-exempt interest (lines 3-4).
    """
    return _taxable_ss(benefits, other_income, st.ss_base, st.ss_adjusted_base, rate_1, rate_2)


def _taxable_ss(benefits: float, other_income: float, base: float, adjusted_base: float,
                rate_1: float, rate_2: float) -> float:
    """`taxable_social_security` with the filing status's base amounts given."""
    if benefits <= 0.0:
        return 0.0
    provisional = rate_1 * benefits + other_income  # lines 2-8
    over_base = provisional - base  # lines 9-10
    if over_base <= 0.0:
        return 0.0
    # min and max as conditionals, here and in compute_tax (the withdrawal solve calls them
    # thousands of times): `b if b < a else a` is min(a, b) to the bit, ties included.
    band = adjusted_base - base  # line 11
    over_adjusted = over_base - band  # line 12
    if not over_adjusted > 0.0:
        over_adjusted = 0.0
    first_tier = rate_1 * (band if band < over_base else over_base)  # lines 13-15
    cap = rate_1 * benefits
    if cap < first_tier:
        first_tier = cap
    taxable = first_tier + rate_2 * over_adjusted  # lines 16-19
    cap = rate_2 * benefits
    return cap if cap < taxable else taxable


def compute_tax(inp: TaxInput, rules: YearRules) -> TaxResult:
    """Federal income tax and NIIT of one return for `rules.year`."""
    return tax_of_return(*inp, rules)


def tax_of_return(status: str, ages: tuple[int, ...], ordinary: float, interest: float,
                  dividends: float, ltcg: float, stcg: float, benefits: float, exempt: float,
                  rules: YearRules) -> TaxResult:
    """`compute_tax` of a return given by the fields of its `TaxInput`, in their order (the
    engine's solve asks for thousands, and needs no `TaxInput` for them)."""
    st = rules.mfj if status == "mfj" else rules.single
    floors, rates = st.bracket_floors, st.bracket_rates

    # Schedule D: net the gains; a net loss is deductible up to the limit, the rest carries over.
    net_gain = ltcg + stcg
    limit = -rules.capital_loss_limit
    capital_gain = limit if limit > net_gain else net_gain
    net_capital_gain = net_gain if net_gain < ltcg else ltcg
    if not net_capital_gain > 0.0:
        net_capital_gain = 0.0

    other = ordinary + interest + dividends + capital_gain
    taxable_ss = _taxable_ss(benefits, other + exempt, st.ss_base, st.ss_adjusted_base,
                             rules.ss_rate_1, rules.ss_rate_2)
    agi = other + taxable_ss
    magi = agi + exempt

    seniors = 0  # a loop: cheaper than a generator, and this runs for every trial withdrawal
    for age in ages:
        if age >= 65:
            seniors += 1
    senior = 0.0
    if rules.senior_amount > 0.0 and seniors:
        # max(0.0, x) as `x if x > 0.0 else 0.0`, the same float (0.0 for -0.0 too)
        over = agi - st.senior_phaseout_start
        each = rules.senior_amount - rules.senior_phaseout_rate * (over if over > 0.0 else 0.0)
        senior = seniors * (each if each > 0.0 else 0.0)
    additional = seniors * st.additional_65
    deduction = st.standard_deduction + additional + senior
    taxable_income = agi - deduction
    if not taxable_income > 0.0:
        taxable_income = 0.0
    # Capital Loss Carryover Worksheet (IRC §1212(b)(2)): of the loss deducted this year, only
    # the part that reduced taxable income above zero counts as used; the rest carries over.
    carryforward = 0.0
    if net_gain < 0.0:
        deducted = -capital_gain
        used = min(deducted, max(0.0, agi - deduction + deducted))
        carryforward = -net_gain - used

    # Qualified Dividends and Capital Gain Tax Worksheet, lines 1-25.
    preferential = dividends + net_capital_gain
    if not preferential < taxable_income:
        preferential = taxable_income
    ordinary_part = taxable_income - preferential
    ordinary_tax = bracket_tax(ordinary_part, floors, rates)
    preferential_tax = 0.0
    if preferential > 0.0:
        top = st.cg_zero_top
        at_zero = (top if top < taxable_income else taxable_income) - ordinary_part
        if not at_zero > 0.0:
            at_zero = 0.0
        top = st.cg_fifteen_top
        room = (top if top < taxable_income else taxable_income) - ordinary_part - at_zero
        at_fifteen = preferential - at_zero
        if room < at_fifteen:
            at_fifteen = room
        if not at_fifteen > 0.0:
            at_fifteen = 0.0
        at_twenty = preferential - at_zero - at_fifteen
        r0, r15, r20 = rules.cg_rates
        preferential_tax = at_zero * r0 + at_fifteen * r15 + at_twenty * r20
        regular = bracket_tax(taxable_income, floors, rates)
        if ordinary_tax + preferential_tax > regular:
            preferential_tax = regular - ordinary_tax
    # AMT income (= AGI here) within the exemption owes no AMT (Form 6251 line 6); nor does a
    # regular tax at or above the top AMT rate on AGI less the full exemption (the tentative
    # minimum tax is at most that), which spares the worksheet in most years.
    amt = 0.0
    if agi > st.amt_exemption and ordinary_tax + preferential_tax < rules.amt_rates[1] * (
            agi - st.amt_exemption + rules.amt_phaseout_rate * max(
                0.0, agi - st.amt_phaseout_start)):
        amt = alternative_minimum_tax(agi, dividends + net_capital_gain,
                                      ordinary_part, ordinary_tax + preferential_tax, st, rules)
    income_tax = ordinary_tax + preferential_tax + amt

    # Form 8960: interest, dividends and the capital gain line of Form 1040 (losses as allowed).
    # Its MAGI is AGI plus excluded foreign income (IRC §1411(d)): tax-exempt interest is not in it.
    nii = interest + dividends + capital_gain
    if not nii > 0.0:
        nii = 0.0
    over = agi - st.niit_threshold
    if not over > 0.0:
        over = 0.0
    niit = rules.niit_rate * (over if over < nii else nii)

    # A plain tuple of the class, in field order: its generated __new__ costs more.
    return _new(TaxResult, (agi, magi, taxable_ss, capital_gain, carryforward,
                            st.standard_deduction, additional, senior, deduction, taxable_income,
                            preferential, ordinary_tax, preferential_tax, amt, income_tax, nii,
                            niit, income_tax + niit))


def marginal_rate(inp: TaxInput, rules: YearRules, step: float = 100.0) -> float:
    """Total tax on the next `step` dollars of ordinary income, as a rate."""
    base = compute_tax(inp, rules).total_tax
    bumped = TaxInput(
        inp.filing_status, inp.ages, inp.ordinary + step, inp.interest, inp.qualified_dividends,
        inp.ltcg, inp.stcg, inp.social_security, inp.tax_exempt_interest,
    )
    return (compute_tax(bumped, rules).total_tax - base) / step


def explain_tax(inp: TaxInput, rules: YearRules) -> list[tuple[str, float | str]]:
    """The worksheet behind `compute_tax`, line by line, from the same result (for `--explain`)."""
    st = rules.mfj if inp.filing_status == "mfj" else rules.single
    r = compute_tax(inp, rules)
    other = r.agi - r.taxable_social_security
    half = rules.ss_rate_1 * inp.social_security
    provisional = half + other + inp.tax_exempt_interest
    lines: list[tuple[str, float | str]] = [
        ("Schedule D: net capital gain or loss (ltcg + stcg)", inp.ltcg + inp.stcg),
        ("Form 1040 line 7: capital gain (loss limited)", r.capital_gain_in_agi),
        ("Capital loss carried forward", r.loss_carryforward),
        ("Pub 915 Worksheet 1 line 1: Social Security benefits", inp.social_security),
        ("line 2: half of line 1", half),
        ("line 3: other income in AGI", other),
        ("line 4: tax-exempt interest", inp.tax_exempt_interest),
        ("line 8: provisional income", provisional),
        ("line 9: base amount", st.ss_base),
        ("line 10: line 8 minus line 9, not below 0", max(0.0, provisional - st.ss_base)),
        ("line 11: adjusted base minus base", st.ss_adjusted_base - st.ss_base),
        ("line 19: taxable Social Security", r.taxable_social_security),
        ("AGI", r.agi),
        ("Standard deduction", r.standard_deduction),
        ("Additional 65+ deduction", r.additional_65),
        ("Senior deduction (Schedule 1-A Part V)", r.senior_deduction),
        ("Total deduction", r.deduction),
        ("Taxable income", r.taxable_income),
        ("Ordinary taxable income", r.taxable_income - r.preferential_income),
    ]
    floors, rates = st.bracket_floors, st.bracket_rates
    ordinary = r.taxable_income - r.preferential_income
    for i, (floor, rate) in enumerate(zip(floors, rates, strict=True)):
        top = floors[i + 1] if i + 1 < len(floors) else float("inf")
        part = max(0.0, min(ordinary, top) - floor)
        if part > 0.0:
            lines.append((f"  {rate:.0%} on {part:,.2f} (over {floor:,.0f})", part * rate))
    lines += [
        ("Ordinary tax", r.ordinary_tax),
        ("Qualified dividends and net capital gain taxed at 0/15/20%", r.preferential_income),
        (f"  0% band ends at taxable income {st.cg_zero_top:,.0f}; 15% band at "
         f"{st.cg_fifteen_top:,.0f}", ""),
        ("Preferential tax", r.preferential_tax),
        ("Alternative minimum tax (Form 6251)", r.amt),
        ("Income tax", r.income_tax),
        ("Net investment income (Form 8960)", r.net_investment_income),
        (f"NIIT: {rules.niit_rate:.1%} of the lesser of NII and AGI over "
         f"{st.niit_threshold:,.0f}", r.niit),
        ("Total federal tax", r.total_tax),
    ]
    return lines
