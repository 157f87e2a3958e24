"""Tax lots of a taxable account: what a sale realises, and when a gain is long-term.

A sale's gain is its proceeds minus the part of the lot's basis sold (pro rata; IRC §1001).
A gain is long-term when the lot was held more than one year (IRC §1222). The planner does not
know purchase dates within a year, so a lot bought during year Y is short-term through Y + 1 and
long-term from Y + 2; a scenario lot with `long_term = false` counts as bought the year before the
plan starts. Inherited property is long-term whatever its holding period (IRC §1223(9)).
"""

from __future__ import annotations


class TaxLot:
    """One lot's state inside the projection (mutable; never leaves the engine). A class with
    slots rather than a dataclass, which costs milliseconds to create at import."""

    __slots__ = ("value", "basis", "long_term_from")

    def __init__(self, value: float, basis: float, long_term_from: int) -> None:
        self.value = value
        self.basis = basis
        self.long_term_from = long_term_from

    def __repr__(self) -> str:
        return f"TaxLot(value={self.value!r}, basis={self.basis!r}, " \
               f"long_term_from={self.long_term_from!r})"

    def long_term(self, year: int) -> bool:
        return year >= self.long_term_from

    def gain_share(self) -> float:
        """Gain (negative: loss) per dollar of proceeds."""
        return 1.0 - self.basis / self.value if self.value > 0.0 else 0.0

    def sell(self, amount: float) -> float:
        """Sell `amount` (cents) of the lot; returns the realised gain (negative for a loss)."""
        if amount >= self.value:
            gain = amount - self.basis
            self.value = self.basis = 0.0
            return gain
        sold_basis = round(self.basis * amount / self.value, 2)
        self.basis = round(self.basis - sold_basis, 2)
        self.value = round(self.value - amount, 2)
        return amount - sold_basis


def bought(year: int) -> int:
    """The first tax year in which a lot bought during `year` sells at a long-term gain."""
    return year + 2


def scenario_lots(lots, start_year: int) -> list[TaxLot]:
    """The scenario's `[[accounts.lots]]`, oldest first, as the projection's lots."""
    return [TaxLot(round(lot.value, 2), round(lot.basis, 2),
                   start_year if lot.long_term else bought(start_year - 1)) for lot in lots]


def harvest(lots: list[TaxLot], year: int) -> tuple[float, float]:
    """Sell every lot worth less than its basis and buy it back at its value, now (IRC §1211).

    Returns the (long-term, short-term) losses realised, as negative numbers. The replacement is
    assumed to be similar but not substantially identical (no wash sale, IRC §1091): it is a new
    lot with a fresh holding period.
    """
    long_term = short_term = 0.0
    for i, lot in enumerate(lots):
        if lot.value <= 0.0 or lot.basis - lot.value < 0.005:
            continue
        loss = round(lot.value - lot.basis, 2)
        if lot.long_term(year):
            long_term += loss
        else:
            short_term += loss
        lots[i] = TaxLot(lot.value, lot.value, bought(year))
    return long_term, short_term


def step_up(lot: TaxLot, share: float, year: int) -> float:
    """Reset `share` of the lot's basis to its value at a death (IRC §1014(a), §1014(b)(9)):
    1 for the decedent's own account, 1/2 for a joint account. Returns the basis change."""
    before = lot.basis
    lot.basis = round(lot.basis + share * (lot.value - lot.basis), 2)
    lot.long_term_from = min(lot.long_term_from, year)
    return lot.basis - before
