"""State income tax modules: the registry from postal code to module name.

Each module `planner/states/<xx>.py` defines a pure
`tax(inp: StateTaxInput, rules: Mapping[str, Any]) -> StateTaxResult`, and its figures live in
`planner/law/states/<xx>/<year>.toml` (2024, 2025, 2026; every table carries a `source` string)
plus `planner/law/states/<xx>/indexing.toml`, which says how figures are projected past the last
published year:

    # How this state's figures are projected past the last published year.
    [[figures]]
    path = "brackets.single"   # dotted path into the year file: a number or a list of numbers
    method = "inflation"       # "inflation" (the scenario's assumed inflation) or "fixed"
    step = 1                   # rounding step in dollars (inflation only)
    rounding = "nearest"       # "nearest" | "down"
    source = "Cal. R&TC §17041(h): indexed yearly by the California CPI, rounded to the nearest $1"

A figure the law defines as a multiple of another (e.g. joint brackets twice the single ones)
uses method = "multiple" with `of = "brackets.single"` and `factor = 2` (applied after indexing).

An indexed figure for year Y is (last published value) x (1 + inflation) ** (Y - last published
year), rounded to `step`. Figures not listed stay as published; list the fixed ones too (method =
"fixed" with a source) so the documentation can say which are not indexed. Rates are never
listed. `planner.state_tax.state_rules` applies this; modules see the projected dict only.

Keep REGISTRY a plain dict literal, one line per state, in alphabetical order (DC included).
Modules named after a Python keyword take a trailing underscore (`in_`, `or_`).
"""

from __future__ import annotations

REGISTRY: dict[str, str] = {
    "AK": "none",
    "AL": "al",
    "AR": "ar",
    "AZ": "az",
    "CA": "ca",
    "CO": "co",
    "CT": "ct",
    "DC": "dc",
    "DE": "de",
    "FL": "none",
    "GA": "ga",
    "HI": "hi",
    "IA": "ia",
    "ID": "id",
    "IL": "il",
    "IN": "in_",
    "KS": "ks",
    "KY": "ky",
    "LA": "la",
    "MA": "ma",
    "MD": "md",
    "ME": "me",
    "MI": "mi",
    "MN": "mn",
    "MO": "mo",
    "MS": "ms",
    "MT": "mt",
    "NC": "nc",
    "ND": "nd",
    "NE": "ne",
    "NH": "nh",
    "NJ": "nj",
    "NM": "nm",
    "NV": "none",
    "NY": "ny",
    "OH": "oh",
    "OK": "ok",
    "OR": "or_",
    "PA": "pa",
    "RI": "ri",
    "SC": "sc",
    "SD": "none",
    "TN": "none",
    "TX": "none",
    "UT": "ut",
    "VA": "va",
    "VT": "vt",
    "WA": "wa",
    "WI": "wi",
    "WV": "wv",
    "WY": "none",
}
