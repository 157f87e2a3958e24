"""Withdrawal strategies: which money a year's withdrawal comes from, in what order.

A strategy turns the accounts (and their tax lots) into a sequence of tranches. The engine draws a
withdrawal W from the first tranche, then the next, and so on; each dollar drawn from a tranche
carries fixed amounts of ordinary income, long-term and short-term gain. Because every tranche is
linear, the year's income is a piecewise-linear function of W, which the engine solves exactly.

Orders (`[strategy] withdrawal_order`):

- `conventional`: cash, taxable, traditional, Roth.
- `traditional-first`: cash, traditional, taxable, Roth.
- `hierarchy`: the tax-lot hierarchy: taxable lots at a loss (largest loss per dollar first); cash,
  then lots with no gain; then taxable lots with a gain and traditional accounts with after-tax
  basis, long-term before short-term, the higher basis-to-value ratio first; then pre-tax
  traditional money; Roth last. Lots are chosen one by one (specific identification).
- `proportional`: every account (and lot) gives the same fraction of its balance.
- `proportional-roth-last`: pro rata across cash, taxable and traditional; Roth only after them.
- `bracket-fill`: traditional money up to `fill_cap` (the amount that fills ordinary taxable
  income to the top of `fill_bracket`, computed by the engine), then cash, taxable, the rest of
  traditional, Roth last.

Taxable accounts with lots sell them first-in first-out (the IRS default when shares are not
specifically identified, Treas. Reg. §1.1012-1(c)(1)) except under `hierarchy` and the pro-rata
orders; an account without lots is one lot at its average basis, treated as long-term.
RMDs are taken before any of this, whatever the order.

HSA money (beyond the year's medical expenses, which the engine pays from HSAs first) comes last
in every order. Before 59½ a Roth account is drawn in the order of IRC §408A(d)(4)(B) (regular
contributions, then each conversion oldest first, then earnings), one tranche per layer; the
pro-rata orders draw such an account after their pool. Each tranche carries the early-withdrawal
tax per dollar (`penalty`) that the engine worked out for its account (`Holding.penalty`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from planner.engine import Holding
    from planner.lots import TaxLot

ORDERS = ("conventional", "traditional-first", "hierarchy", "proportional",
          "proportional-roth-last", "bracket-fill")
CONVENTIONAL = ("cash", "taxable", "traditional", "roth")
TRADITIONAL_FIRST = ("cash", "traditional", "taxable", "roth")

Source = tuple["Holding", "TaxLot | None", float]  # (account, lot or None, dollars available)


class Tranche(NamedTuple):
    """Up to `cap` dollars; each dollar drawn carries `ordinary` dollars of ordinary income and
    `long_term` / `short_term` dollars of capital gain (negative: loss). A tranche of several
    sources draws on them pro rata to what each has."""

    cap: float
    ordinary: float
    long_term: float
    short_term: float
    sources: tuple[Source, ...]
    penalty: float = 0.0  # additional tax per dollar (IRC §72(t), §223(f)(4), §408A(d)(3)(F))


# A Tranche from a tuple of all its fields, in order: its generated __new__ costs more than the
# rest of an account's tranche, and the engine builds the sequence in every year that draws.
_tranche = tuple.__new__


def _units(h: Holding, year: int, available: Mapping[Holding, float] | None) -> list[Tranche]:
    """One account as single-source tranches: its lots oldest first, or the whole account."""
    if h.lots is not None:
        out = []
        for lot in h.lots:
            if lot.value > 0.0:
                share = lot.gain_share()
                lt = lot.long_term(year)
                out.append(Tranche(lot.value, 0.0, share if lt else 0.0, 0.0 if lt else share,
                                   ((h, lot, lot.value),)))
        return out
    cap = h.balance if available is None else available.get(h, h.balance)
    if cap <= 0.0:
        return []
    kind = h.kind
    source = ((h, None, cap),)
    if kind == "traditional":
        share = h.taxable_share()
        return [_tranche(Tranche, (cap, share, 0.0, 0.0, source, share * h.penalty))]
    if kind == "taxable":
        return [_tranche(Tranche, (cap, 0.0, h.taxable_share(), 0.0, source, 0.0))]
    if kind == "hsa":
        return [_tranche(Tranche, (cap, 1.0, 0.0, 0.0, source, h.penalty))]
    if kind == "roth" and h.penalty > 0.0:
        return _roth_layers(h, year, cap)
    return [_tranche(Tranche, (cap, 0.0, 0.0, 0.0, source, 0.0))]


def _roth_layers(h: Holding, year: int, cap: float) -> list[Tranche]:
    """A Roth account before 59½: contributions (tax-free), then each conversion oldest first
    (the additional tax on its taxable part within five years), then earnings (income and the
    additional tax). IRC §408A(d)(4)(B), (d)(3)(F), §72(t)."""
    layers = h.roth_layers(year)
    out: list[Tranche] = []
    left = cap
    for amount, ordinary, penalty in layers:
        part = min(left, amount)
        if part > 0.0:
            out.append(Tranche(part, ordinary, 0.0, 0.0, ((h, None, part),), penalty))
        left -= part
    return out


def _by_kind(holdings: Sequence[Holding], kinds: Sequence[str], year: int,
             available: Mapping[Holding, float] | None) -> list[Tranche]:
    out: list[Tranche] = []
    for kind in kinds:
        for h in holdings:
            if h.kind == kind:
                out += _units(h, year, available)
    return out


def pooled(tranches: Sequence[Tranche]) -> list[Tranche]:
    """One tranche drawing on all of `tranches` pro rata (none if they hold nothing)."""
    cap = sum(t.cap for t in tranches)
    if cap <= 0.0:
        return []
    return [Tranche(
        cap,
        sum(t.cap * t.ordinary for t in tranches) / cap,
        sum(t.cap * t.long_term for t in tranches) / cap,
        sum(t.cap * t.short_term for t in tranches) / cap,
        tuple(s for t in tranches for s in t.sources),
        sum(t.cap * t.penalty for t in tranches) / cap,
    )]


def _truncate(tranches: Sequence[Tranche], limit: float) -> tuple[list[Tranche], list[Tranche]]:
    """Split single-source tranches at `limit` dollars: (the first `limit`, the rest)."""
    head: list[Tranche] = []
    tail: list[Tranche] = []
    left = limit
    for t in tranches:
        take = min(t.cap, max(0.0, left))
        left -= take
        h, lot, _ = t.sources[0]
        if take > 0.0:
            head.append(Tranche(take, t.ordinary, t.long_term, t.short_term, ((h, lot, take),),
                                t.penalty))
        if t.cap - take > 0.0:
            rest = round(t.cap - take, 2)
            tail.append(Tranche(rest, t.ordinary, t.long_term, t.short_term, ((h, lot, rest),),
                                t.penalty))
    return head, tail


def _hierarchy(holdings: Sequence[Holding], year: int,
               available: Mapping[Holding, float] | None) -> list[Tranche]:
    losses, cash, even, gains, pretax, roth = [], [], [], [], [], []
    for h in holdings:
        for t in _units(h, year, available):
            gain = (t.long_term + t.short_term) * t.cap
            if h.kind == "cash":
                cash.append(t)
            elif h.kind == "roth":
                roth.append(t)
            elif h.kind == "traditional":
                (pretax if t.ordinary >= 1.0 else gains).append(t)
            elif gain <= -0.005:
                losses.append(t)
            elif gain < 0.005:
                even.append(t)
            else:
                gains.append(t)
    losses.sort(key=lambda t: t.long_term + t.short_term)  # the largest loss per dollar first
    # Basis-to-value ratio = 1 - income per dollar; long-term (and traditional) before short-term.
    gains.sort(key=lambda t: (t.short_term > 0.0, t.ordinary + t.long_term + t.short_term))
    return losses + cash + even + gains + pretax + roth


def withdrawal_sequence(order: str, holdings: Sequence[Holding], year: int,
                        fill_cap: float = 0.0,
                        available: Mapping[Holding, float] | None = None) -> list[Tranche]:
    """The tranches a withdrawal draws on, in order. `available` overrides what an account
    (without lots) can give, e.g. a traditional account's balance less this year's conversion.
    Within a kind, accounts come in the order the scenario lists them; HSAs come last."""
    for h in holdings:
        if h.kind == "hsa" or (h.kind == "roth" and h.penalty > 0.0):
            return _with_hsa_and_layers(order, holdings, year, fill_cap, available)
    return _sequence(order, holdings, year, fill_cap, available)


def _with_hsa_and_layers(order: str, holdings: Sequence[Holding], year: int, fill_cap: float,
                         available: Mapping[Holding, float] | None) -> list[Tranche]:
    """The order on the other accounts; then, for the pro-rata orders, Roth accounts drawn in
    layers (which a pool cannot mix); then HSAs."""
    pooling = order in ("proportional", "proportional-roth-last")
    layered = [h for h in holdings if h.kind == "roth" and h.penalty > 0.0] if pooling else []
    rest = [h for h in holdings if h.kind != "hsa" and h not in layered]
    return (_sequence(order, rest, year, fill_cap, available)
            + _by_kind(layered, ("roth",), year, available)
            + _by_kind(holdings, ("hsa",), year, available))


def _sequence(order: str, holdings: Sequence[Holding], year: int, fill_cap: float,
              available: Mapping[Holding, float] | None) -> list[Tranche]:
    if order == "conventional":
        return _by_kind(holdings, CONVENTIONAL, year, available)
    if order == "traditional-first":
        return _by_kind(holdings, TRADITIONAL_FIRST, year, available)
    if order == "hierarchy":
        return _hierarchy(holdings, year, available)
    if order == "proportional":
        return pooled(_by_kind(holdings, CONVENTIONAL, year, available))
    if order == "proportional-roth-last":
        return (pooled(_by_kind(holdings, CONVENTIONAL[:3], year, available))
                + pooled(_by_kind(holdings, ("roth",), year, available)))
    if order == "bracket-fill":
        fill, rest = _truncate(_by_kind(holdings, ("traditional",), year, available), fill_cap)
        return (fill + _by_kind(holdings, ("cash", "taxable"), year, available) + rest
                + _by_kind(holdings, ("roth",), year, available))
    raise ValueError(f"unknown withdrawal order {order!r}")


def traditional_sequence(holdings: Sequence[Holding], year: int) -> list[Tranche]:
    """Traditional accounts only, in scenario order (for the bracket-fill limit)."""
    return _by_kind(holdings, ("traditional",), year, None)


def split_cents(part: float, caps: Sequence[float]) -> list[float]:
    """Split `part` dollars over sources holding `caps`, pro rata, in whole cents that add up to
    `part` exactly and never exceed a cap (largest remainders get the odd cents)."""
    cents = [round(c * 100.0) for c in caps]
    total = sum(cents)
    want = min(round(part * 100.0), total)
    if total <= 0:
        return [0.0 for _ in caps]
    base = [want * c // total for c in cents]
    order = sorted(range(len(cents)), key=lambda i: -(want * cents[i] % total))
    left = want - sum(base)
    for i in order:
        if left <= 0:
            break
        if base[i] < cents[i]:
            base[i] += 1
            left -= 1
    return [b / 100.0 for b in base]


def allocate(sequence: Sequence[Tranche], w: float) -> list[Source]:
    """Who gives what when `w` dollars (in cents) are drawn along `sequence`: (account, lot,
    dollars in cents), in drawing order."""
    out: list[Source] = []
    remaining = w
    for t in sequence:
        if remaining <= 0.0:
            break
        part = round(min(remaining, t.cap) + 0.0, 2)
        if len(t.sources) == 1:
            h, lot, _ = t.sources[0]
            out.append((h, lot, part))
        else:
            amounts = split_cents(part, [cap for _, _, cap in t.sources])
            out += [(h, lot, x) for (h, lot, _), x in zip(t.sources, amounts, strict=True) if x]
        remaining = round(remaining - part + 0.0, 2)
    return out
