"""Pennsylvania personal income tax, Form PA-40 (resident), with Schedule SP tax forgiveness.

PA taxes eight classes of income at a flat rate (72 P.S. §7302, §7303); a loss in one class does
not offset income in another (a class with a net loss counts as zero, §7303(b)). Modelled
classes: compensation (wages, plus retirement distributions and pensions that PA taxes), interest,
dividends, net gains (a net loss counts as zero) and `other_income` as a class of its own.

Retirement income (61 Pa. Code §101.6(c)(8); PA-40 instructions, line 1a "Retirement, pensions
and deferred compensation"): Social Security is not taxable. IRA distributions and payments from
employer plans received after the filer has retired and reached the plan's retirement age are
not taxable; the planner uses age 59½ by 31 December (the age PA applies to IRAs and to plans
without their own retirement criteria) for both IRA distributions and pensions, and treats
payments before then as fully taxable compensation, i.e. assumes no PA cost basis (in fact PA
taxes only the excess over contributions PA already taxed). Roth conversions are
`retirement_distributions` and follow the same rule.

Schedule SP (72 P.S. §7304; PA-40 Schedule SP instructions): the tax is forgiven in full when
eligibility income is at most $6,500 (unmarried) or $13,000 (married), with 10% less forgiveness
for each $250 (or fraction) above; eligibility income is PA taxable income here (SS and
nontaxable retirement benefits are not eligibility income; tax-exempt interest, gifts and other
nontaxable items the planner does not carry are omitted). No dependents.

Not modelled: local earned income taxes (e.g. Philadelphia wage tax), 401(k) deferrals that PA
taxes as wages (the planner's `wages` are after deferrals, so PA compensation is understated by
them), and credits (resident credit, etc.).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from planner.state_tax import StateTaxInput, StateTaxResult, reached_59_half


def tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult:
    """PA-40 lines 1a-12 and Schedule SP."""
    compensation = 0.0
    for i, age in enumerate(inp.ages):
        compensation += max(0.0, inp.wages[i])
        if not reached_59_half(age, inp.birth_months[i]):
            compensation += max(0.0, inp.retirement_distributions[i]) + max(0.0, inp.pensions[i])
    classes = (compensation, inp.interest, inp.dividends, inp.capital_gains, inp.other_income)
    taxable = sum(max(0.0, c) for c in classes)
    before = taxable * rules["rate"]["rate"]
    sp = rules["tax_forgiveness"]
    base = sp["married"] if inp.filing_status == "mfj" else sp["unmarried"]
    steps = math.ceil((taxable - base) / sp["step"] - 1e-9) if taxable > base else 0
    forgiven = min(1.0, max(0.0, 1.0 - sp["reduction"] * steps))
    return StateTaxResult(state=inp.state, agi=taxable, taxable_income=taxable,
                          tax=before * (1.0 - forgiven))
