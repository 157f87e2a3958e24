"""A `StateTaxInput` for hand-checked state tax tests: per-filer amounts default to zero, the
federal AGI is the sum of the parts (taxable Social Security included)."""

from __future__ import annotations

from planner.state_tax import StateTaxInput


def state_input(
    state: str,
    year: int,
    ages: tuple[int, ...],
    *,
    months: tuple[int, ...] | None = None,
    wages: tuple[float, ...] | None = None,
    ira: tuple[float, ...] | None = None,
    pensions: tuple[float, ...] | None = None,
    ss: tuple[float, ...] | None = None,
    taxable_ss: float = 0.0,
    interest: float = 0.0,
    dividends: float = 0.0,
    gains: float = 0.0,
    fti: float = 0.0,
) -> StateTaxInput:
    """One household's return inputs (`fti`: federal taxable income, for states that start
    from it)."""
    zeros = tuple(0.0 for _ in ages)
    parts = (wages or zeros, ira or zeros, pensions or zeros)
    agi = sum(sum(p) for p in parts) + taxable_ss + interest + dividends + gains
    return StateTaxInput(
        state=state,
        year=year,
        filing_status="mfj" if len(ages) == 2 else "single",
        ages=ages,
        birth_months=months or tuple(1 for _ in ages),
        wages=wages or zeros,
        retirement_distributions=ira or zeros,
        pensions=pensions or zeros,
        social_security=ss or zeros,
        taxable_social_security=taxable_ss,
        interest=interest,
        dividends=dividends,
        capital_gains=gains,
        other_income=0.0,
        federal_agi=agi,
        federal_taxable_income=fti,
    )
