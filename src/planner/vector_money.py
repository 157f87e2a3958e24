"""Rounding money to cents on numpy arrays exactly as Python's `round(x, 2)` rounds one float.

`round(x, 2)` rounds the exact binary value of `x` to the nearest cent (ties to even) and returns
the float nearest that decimal. `rint(x * 100) / 100` gives the same float whenever `x * 100`
rounds to the right integer; the product's own rounding error can only matter within a hair of
a half cent, and those few elements are rounded by Python itself.
"""

from __future__ import annotations

import numpy as np

# Bound on how far `x * 100` can fall from the exact product: half an ulp, < 1.2e-16 relative.
_TIE_WINDOW_ABS = 1e-7
_TIE_WINDOW_REL = 1e-15


def cents(x: np.ndarray | float) -> np.ndarray:
    """`round(v + 0.0, 2)` for every element `v` of `x` (the engine's `_cents`)."""
    x = np.asarray(x, dtype=np.float64)
    scaled = x * 100.0
    whole = np.rint(scaled)
    out = whole / 100.0
    near_tie = np.abs(np.abs(scaled - whole) - 0.5) < _TIE_WINDOW_ABS + _TIE_WINDOW_REL * np.abs(
        scaled)
    if near_tie.any():
        out = np.array(out, copy=True)
        flat_in, flat_out = x.reshape(-1), out.reshape(-1)
        for i in np.flatnonzero(near_tie.reshape(-1)):
            flat_out[i] = round(float(flat_in[i]) + 0.0, 2)
    return out + 0.0


def ceil_cents(x: np.ndarray) -> np.ndarray:
    """`math.ceil(x * 100.0 - 1e-6) / 100.0`: up to the cent, ignoring float noise below it."""
    return np.ceil(x * 100.0 - 1e-6) / 100.0
