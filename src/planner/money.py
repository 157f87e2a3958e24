"""Money in cents: the one rounding every amount of the projection goes through."""

from __future__ import annotations


def cents(x: float) -> float:
    """`round(x + 0.0, 2)`, the very same float, in about half the time.

    `round` rounds the exact binary value of `x` to the nearest cent and returns the float
    nearest that decimal, through a decimal string. For |x| < 1e9, `x * 100` is within 1e-5 of
    the exact product, so its nearest integer is the exact product's unless it lies within a
    hair of a half cent (left to `round`); that integer over 100 is then the float nearest the
    decimal (IEEE division rounds correctly). The nearest integer is found without a call:
    adding and taking away 1.5 * 2**52 rounds any |y| < 2**51 to an integer, ties to even, as
    `round(y)` does. A zero result keeps the sign of `x`, as `round` does (but a zero `x`, -0.0
    too, gives 0.0, as `round(x + 0.0, 2)` does). Callers skip the call for the many zero
    amounts (`cents(x) if x else 0.0` is `cents(x)`)."""
    if -1e9 < x < 1e9:
        scaled = x * 100.0
        whole = scaled + 6755399441055744.0 - 6755399441055744.0
        if -0.4999 < scaled - whole < 0.4999:
            return whole / 100.0 if whole else (-0.0 if x < 0.0 else 0.0)
    return round(x + 0.0, 2)
