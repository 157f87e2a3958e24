"""Bad input never gives a traceback: `planner project FILE -f csv` either succeeds (exit 0, a
well-formed CSV, nothing on stderr) or exits 2 with exactly one stderr line naming the file."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import math
import signal
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli_helpers import run_cli as shared_run_cli

ROOT = Path(__file__).resolve().parents[1]
BASE = tomllib.loads((ROOT / "scenarios" / "couple-65-63.toml").read_text(encoding="utf-8"))
TIME_LIMIT = 20
FUZZ = settings(max_examples=75, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

KEYS = ["plan", "people", "accounts", "income", "spending", "assumptions", "strategy",
        "history", "magi", "start_year", "end_year", "filing_status", "name", "birth_year",
        "longevity", "kind", "owner", "balance", "basis", "lots", "value", "pia", "claim_age",
        "annual", "inflation", "stock_return", "withdrawal_order", "qcd_annual", "2025"]
WEIRD: list[Any] = [
    1e308, -1e308, 1e-300, -1e-300, math.nan, math.inf, -math.inf, 0, -1, 1, 0.5,
    2**63 - 1, -(2**63), "", "x", "ñåmé-💥", "\u202e\u0000", "a" * 5000, True, False, [], {},
    [1, "a"], [{}], [[1], [2]], {"a": {"b": {"c": 1}}}, dt.date(2026, 1, 1),
    dt.datetime(2026, 1, 1, 12, 0), dt.time(8, 30), "mfj", "single", "traditional", 2026,
    1900, 2200, 120, 1e11, 1e11 + 1, 62, 70, 70.5, -0.9, 1.0,
]

scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(), st.text(max_size=12),
    st.booleans(), st.dates(), st.sampled_from(WEIRD[:20]),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=8))
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _too_slow(signum: int, frame: Any) -> None:
    raise TimeoutError(f"one run took over {TIME_LIMIT} s: a hang?")


def run_cli(*args: str) -> tuple[int, str, str]:
    """The shared in-process runner, failing after TIME_LIMIT seconds (a hang)."""
    previous = signal.signal(signal.SIGALRM, _too_slow)
    signal.alarm(TIME_LIMIT)
    try:
        return shared_run_cli(*args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check_file(path: Path, data: bytes) -> int:
    """Write `data` to `path`, project it, and check the outcome is one of the two allowed."""
    path.write_bytes(data)
    code, out, err = run_cli("project", str(path), "-f", "csv")
    assert "Traceback" not in err
    if code == 2:
        assert out == ""
        assert err.endswith("\n") and err.count("\n") == 1, err
        assert err.startswith(str(path)), err
    else:
        assert code == 0, (code, err)
        assert err == ""
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0][0] == "year" and "end_total" in rows[0] and len(rows) >= 2
        assert all(len(row) == len(rows[0]) for row in rows)
        money = rows[0].index("end_total")
        assert all(math.isfinite(float(row[money])) for row in rows[1:])
    return code


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, path + (i,))
    return found


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


def _nested(depth: int, leaf: Any, as_list: bool) -> Any:
    for _ in range(depth):
        leaf = [leaf] if as_list else {"deeper": leaf}
    return leaf


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """The example scenario with one to three mutations anywhere in it."""
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _parent(doc, path), path[-1]
        op = draw(st.sampled_from(["set", "set", "set", "delete", "extra", "nest", "empty",
                                   "listify", "tableize", "random"]))
        if op == "set":
            parent[last] = draw(st.sampled_from(WEIRD))
        elif op == "delete":
            del parent[last]
        elif op == "extra":
            target = parent[last] if isinstance(parent[last], dict) else parent
            if isinstance(target, dict):
                target[draw(keys)] = draw(scalars)
        elif op == "nest":
            parent[last] = _nested(draw(st.integers(1, 60)), parent[last], draw(st.booleans()))
        elif op == "empty":
            parent[last] = [] if isinstance(parent[last], list) else {}
        elif op == "listify":
            parent[last] = [parent[last]]
        elif op == "tableize":
            value = parent[last]
            parent[last] = value[0] if isinstance(value, list) and value else {"0": value}
        else:
            parent[last] = draw(values)
    return doc


BOUNDS: dict[str, list[Any]] = {
    "start_year": [2024, 2026, 2100], "end_year": [2030, 2060, 2200], "birth_month": [1, 12],
    "birth_year": [1904, 1940, 1961, 2024], "longevity": [60, 92, 120], "balance": [0, 0.01, 1e11],
    "basis": [0, 0.01, 1e11], "stocks": [0.0, 1.0], "dividend_yield": [0.0, 0.5],
    "interest_yield": [0.0, 0.5], "pia": [0, 0.01, 1e11], "claim_age": [62, 62.5, 70],
    "annual": [0, 0.01, 1e11], "survivor_fraction": [0.0, 1.0], "inflation": [-0.05, 0.0, 0.3],
    "stock_return": [-0.9, 0.0, 1.0], "bond_return": [-0.9, 1.0], "cash_return": [-0.9, 1.0],
    "heir_tax_rate": [0.0, 1.0], "qcd_annual": [0, 1e11],
}


@st.composite
def extreme(draw: st.DrawFn) -> dict[str, Any]:
    """The example scenario with numbers moved to the edges of their allowed ranges: most are
    valid, so these runs reach the engine."""
    doc = copy.deepcopy(BASE)
    doc.setdefault("strategy", {})["qcd_annual"] = 0
    doc["plan"]["end_year"] = 2060
    paths = [p for p in _paths(doc) if p[-1] in BOUNDS]
    for path in draw(st.lists(st.sampled_from(paths), min_size=1, max_size=8, unique=True)):
        _parent(doc, path)[path[-1]] = draw(st.sampled_from(BOUNDS[path[-1]]))
    if draw(st.booleans()):
        doc["people"] = doc["people"][:1]
        doc["plan"]["filing_status"] = "single"
    return doc


def _dump(doc: dict[str, Any]) -> bytes:
    return tomli_w.dumps(doc).encode("utf-8")


def test_the_valid_scenario_passes(workdir: Path) -> None:
    assert check_file(workdir / "valid.toml", _dump(BASE)) == 0


@FUZZ
@given(st.dictionaries(keys, values, max_size=8))
def test_random_toml_documents(workdir: Path, doc: dict[str, Any]) -> None:
    check_file(workdir / "random.toml", _dump(doc))


@FUZZ
@given(st.one_of(
    st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.text(alphabet="[]{}=\"'.,#\n abc_019-+e:TZ", max_size=200).map(str.encode),
    st.binary(max_size=200),
))
def test_raw_text_and_bytes(workdir: Path, data: bytes) -> None:
    check_file(workdir / "raw.toml", data)


@FUZZ
@given(mutated())
def test_mutations_of_a_valid_scenario(workdir: Path, doc: dict[str, Any]) -> None:
    check_file(workdir / "mutated.toml", _dump(doc))


@pytest.mark.parametrize("text", [
    "a = " + "[" * 50_000 + "]" * 50_000,
    "a = " + "{b=" * 50_000 + "1" + "}" * 50_000,
    "[plan]\nstart_year = " + "[" * 300 + "]" * 300,
    "\ufeff[plan]\nstart_year = 2026\n",
])
def test_pathological_documents(workdir: Path, text: str) -> None:
    assert check_file(workdir / "deep.toml", text.encode("utf-8")) == 2


def test_every_finding_is_one_line_for_a_missing_file(workdir: Path) -> None:
    code, out, err = run_cli("project", str(workdir / "nope.toml"), "-f", "csv")
    assert (code, out, err.count("\n")) == (2, "", 1)


@FUZZ
@given(extreme())
def test_extreme_but_allowed_numbers(workdir: Path, doc: dict[str, Any]) -> None:
    check_file(workdir / "extreme.toml", _dump(doc))


HUGE = """
people = [{ name = "alex", birth_year = 2024, birth_month = 6, longevity = 120 },
          { name = "sam", birth_year = 2024, birth_month = 3, longevity = 120 }]
accounts = [{ name = "checking", kind = "cash", balance = 1e11 },
            { name = "brokerage", kind = "taxable", balance = 1e11 },
            { name = "sam-ira", kind = "traditional", owner = "sam", balance = 1e11 }]
income = [{ kind = "social_security", owner = "alex", pia = 3000, claim_age = 70 },
          { kind = "social_security", owner = "sam", pia = 3000, claim_age = 67 },
          { kind = "pension", annual = 3000 }]
[plan]
start_year = 2026
filing_status = "mfj"
[spending]
annual = 1e11
[assumptions]
inflation = 0.3
stock_return = 1.0
bond_return = 1.0
cash_return = 1.0
"""


def test_amounts_beyond_float_cents_do_not_hang(workdir: Path) -> None:
    """Found by fuzzing: at ~1e19 dollars adding a cent changes nothing; the run must still end."""
    assert check_file(workdir / "huge.toml", HUGE.encode()) == 0
