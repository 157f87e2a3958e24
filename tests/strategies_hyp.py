"""Hypothesis strategies for valid scenarios, for any test that needs many households.

`scenario_dicts()` draws the TOML document as a dict (serialize it with `tomli_w.dumps`);
`scenario_texts()` draws the TOML text. Every draw is valid under `shared/docs/scenario.md`:
1 or 2 people aged 50-90 at the start, every account kind (balances from 0 up, taxable basis
above and below the balance, optional tax lots, dividend and interest yields), Social Security
claimed at 62-70 (whole or fractional ages), pensions and other incomes, QCDs, spending from
nothing to unaffordable, and plans of 1 to 45 years.
"""

from __future__ import annotations

from typing import Any

import tomli_w
from hypothesis import strategies as st

NAMES = ("alex", "sam")
OTHER_KINDS = ("pension", "wages", "annuity", "other")


def _cents(low: float, high: float) -> st.SearchStrategy[float]:
    """Dollar amounts with cents, weighted toward round and boundary values."""
    return st.one_of(
        st.just(0.0),
        st.integers(int(low * 100), int(high * 100)).map(lambda c: c / 100),
        st.integers(int(low), int(high)).map(float),
    )


def _rate(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 4))


@st.composite
def _people(draw: st.DrawFn, start: int) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 2))
    people = []
    for name in NAMES[:count]:
        age = draw(st.integers(50, 90))
        people.append({
            "name": name,
            "birth_year": start - age,
            "birth_month": draw(st.integers(1, 12)),
            # Alive at the start, and the default plan ends within 45 years.
            "longevity": draw(st.integers(age, min(age + 44, 110))),
        })
    return people


@st.composite
def _account(draw: st.DrawFn, index: int, names: list[str]) -> dict[str, Any]:
    kind = draw(st.sampled_from(("cash", "taxable", "traditional", "roth")))
    acc: dict[str, Any] = {"name": f"{kind}-{index + 1}", "kind": kind}
    if kind in ("traditional", "roth") or draw(st.booleans()):
        acc["owner"] = draw(st.sampled_from(names))
    balance = draw(st.one_of(_cents(0, 300_000), _cents(0, 3_000_000), _cents(1e6, 1e7)))
    if kind != "cash" and draw(st.booleans()):
        acc["stocks"] = draw(_rate(0, 1))
    if kind == "taxable":
        if draw(st.booleans()):
            acc["dividend_yield"] = draw(_rate(0, 0.05))
        if draw(st.booleans()):
            acc["interest_yield"] = draw(_rate(0, 0.04))
        if draw(st.integers(0, 3)) == 0:
            lots = draw(st.lists(
                st.tuples(_cents(0, 800_000), _rate(0, 2), st.booleans()), min_size=1, max_size=3))
            acc["lots"] = [{"value": v, "basis": round(v * r, 2), "long_term": lt}
                           for v, r, lt in lots]
            return acc
        acc["balance"] = balance
        if draw(st.booleans()):
            acc["basis"] = round(balance * draw(_rate(0, 2)), 2)  # a gain or a loss
        return acc
    acc["balance"] = balance
    if kind == "traditional" and draw(st.integers(0, 3)) == 0:
        acc["basis"] = round(balance * draw(_rate(0, 1)), 2)
    if kind == "roth" and draw(st.booleans()):
        acc["basis"] = draw(_cents(0, 500_000))
    return acc


@st.composite
def _income(draw: st.DrawFn, names: list[str], start: int, last: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name in names:
        if draw(st.integers(0, 3)) == 0:
            continue
        claim = draw(st.one_of(st.integers(62, 70), st.integers(744, 840).map(lambda m: m / 12),
                               _rate(62, 70)))
        out.append({"kind": "social_security", "owner": name, "pia": draw(_cents(0, 4_500)),
                    "claim_age": claim})
    for _ in range(draw(st.integers(0, 2))):
        inc: dict[str, Any] = {"kind": draw(st.sampled_from(OTHER_KINDS)),
                               "annual": draw(_cents(0, 90_000))}
        if draw(st.booleans()):
            inc["owner"] = draw(st.sampled_from(names))
        if draw(st.booleans()):
            inc["start_year"] = draw(st.integers(start, last + 1))
        if draw(st.booleans()):
            inc["end_year"] = draw(st.integers(inc.get("start_year", start), last + 2))
        if draw(st.booleans()):
            inc["inflation_adjusted"] = draw(st.booleans())
        if draw(st.booleans()):
            inc["taxable"] = draw(st.booleans())
        out.append(inc)
    return out


@st.composite
def scenario_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario document as a dict of TOML-able values."""
    start = draw(st.integers(2024, 2032))
    people = draw(_people(start))
    names = [p["name"] for p in people]
    plan: dict[str, Any] = {"start_year": start,
                            "filing_status": "mfj" if len(people) == 2 else "single"}
    last = max(p["birth_year"] + p["longevity"] for p in people)
    if draw(st.booleans()):
        plan["end_year"] = start + draw(st.integers(0, 44))
        last = plan["end_year"]
    count = draw(st.integers(0, 6) | st.integers(2, 6))
    accounts = [draw(_account(i, names)) for i in range(count)]
    doc: dict[str, Any] = {
        "plan": plan,
        "people": people,
        "accounts": accounts,
        "income": draw(_income(names, start, last)),
        # Mostly affordable; one draw in four may well be unaffordable.
        "spending": {"annual": draw(st.one_of(_cents(0, 60_000), _cents(0, 120_000),
                                              _cents(20_000, 200_000), _cents(150_000, 600_000))),
                     "survivor_fraction": draw(_rate(0, 1))},
        "assumptions": {
            "inflation": draw(_rate(-0.01, 0.08)),
            "stock_return": draw(_rate(0.02, 0.1) | _rate(-0.3, 0.25)),
            "bond_return": draw(_rate(0.01, 0.06) | _rate(-0.05, 0.1)),
            "cash_return": draw(_rate(0, 0.06)),
            "heir_tax_rate": draw(_rate(0, 0.5)),
        },
        "strategy": {"qcd_annual": draw(st.one_of(st.just(0.0), _cents(0, 120_000)))},
    }
    if draw(st.booleans()):
        from planner.state_tax import SUPPORTED_STATES

        plan["state"] = draw(st.sampled_from(SUPPORTED_STATES))
        if last > start and draw(st.integers(0, 3)) == 0:
            plan["moves"] = [{"year": draw(st.integers(start + 1, last)),
                              "state": draw(st.sampled_from(SUPPORTED_STATES))}]
    if draw(st.integers(0, 2)) == 0:
        doc["health"] = {"aca_benchmark_premium": draw(_cents(0, 15_000))}
        if draw(st.booleans()):
            doc["health"]["aca_premium"] = draw(_cents(0, 15_000))
    _working_years(draw, doc, names, start, last)
    if draw(st.booleans()):
        doc["history"] = {"magi": {str(y): draw(_cents(0, 1_200_000))
                                   for y in (start - 2, start - 1) if draw(st.booleans())}}
    if not doc["accounts"]:
        del doc["accounts"]
    if not doc["income"]:
        del doc["income"]
    return doc


def _working_years(draw: st.DrawFn, doc: dict[str, Any], names: list[str], start: int,
                   last: int) -> None:
    """Sometimes an HSA with medical spending, 401(k) plan types, a separation year, and
    contributions into an earner's traditional, Roth or HSA account."""
    accounts = doc["accounts"]
    if draw(st.integers(0, 2)) == 0:
        accounts.append({"name": "hsa", "kind": "hsa", "owner": draw(st.sampled_from(names)),
                         "balance": draw(_cents(0, 200_000))})
        doc["spending"]["medical"] = round(doc["spending"]["annual"] * draw(_rate(0, 1)), 2)
    for acc in accounts:
        if acc["kind"] in ("traditional", "roth") and draw(st.booleans()):
            acc["plan_type"] = draw(st.sampled_from(("401k", "ira")))
    people = doc["people"]
    if draw(st.integers(0, 3)) == 0:
        people[0]["separation_year"] = draw(st.integers(start - 10, last))
    earners = {inc.get("owner", names[0]) for inc in doc["income"] if inc["kind"] == "wages"}
    for acc in accounts:
        if acc.get("owner") in earners and acc["kind"] in ("traditional", "roth", "hsa") \
                and draw(st.booleans()):
            c: dict[str, Any] = {"account": acc["name"], "annual": draw(_cents(0, 40_000))}
            if acc["kind"] == "hsa":
                c["coverage"] = draw(st.sampled_from(("self", "family")))
            if acc["kind"] == "hsa" or (acc["kind"] == "traditional"
                                        and acc.get("plan_type") == "401k"):
                c["employer"] = draw(st.one_of(st.just(0.0), _cents(0, 10_000)))
            if draw(st.booleans()):
                c["end_year"] = draw(st.integers(start, last + 1))
            doc.setdefault("contributions", []).append(c)


def scenario_texts() -> st.SearchStrategy[str]:
    """A valid scenario as TOML text."""
    return scenario_dicts().map(tomli_w.dumps)
