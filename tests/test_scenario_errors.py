"""Bad scenario files, through the real CLI: exit 2, one line on stderr naming file, line and key.

Each case edits the bundled example (or a small one-person file) and states where the error is by
the text of the offending line, so the expected line number is found in the file, not copied from
the planner's output.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, CliResult

BASE = EXAMPLE.read_text(encoding="utf-8")

SINGLE = """\
# one person
[plan]
start_year = 2026
filing_status = "single"

[[people]]
name = "pat"
birth_year = 1960
longevity = 90

[[accounts]]
name = "ira"
kind = "traditional"
owner = "pat"
balance = 500000

[spending]
annual = 40000

[assumptions]
inflation = 0.02
stock_return = 0.06
bond_return = 0.04
cash_return = 0.03
"""


def edit(text: str, old: str, new: str) -> str:
    """`text` with the single occurrence of `old` replaced (fails loudly if it is not unique)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_with(text: str, needle: str, nth: int = 1) -> int:
    """1-based number of the `nth` line that contains `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} found {len(hits)} times"
    return hits[nth - 1]


PEOPLE_TABLES = ('[[people]]\nname = "alex"\nbirth_year = 1961\nbirth_month = 6\nlongevity = 92\n\n'
                 '[[people]]\nname = "sam"\nbirth_year = 1963\nbirth_month = 3\nlongevity = 95\n\n')


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    key: str
    where: tuple[str, int] | None  # (text of the offending line, occurrence); None: no line
    message: str = ""  # a phrase the message must contain


CASES = [
    Case("toml-syntax", edit(BASE, "balance = 850000", "balance = 850 000"),
         "syntax", ("balance = 850 000", 1), "invalid TOML"),
    Case("unknown-top-level-key", 'colour = "red"\n' + BASE, "colour", ('colour = "red"', 1),
         "unknown key"),
    Case("typo-nested-key", edit(BASE, "balance = 320000", "balanse = 320000"),
         "accounts[4].balanse", ("balanse = 320000", 1), "unknown key"),
    Case("typo-table-name", edit(BASE, "[spending]", "[spendng]"), "spendng",
         ("[spendng]", 1), "unknown key"),
    Case("string-balance", edit(BASE, "balance = 850000", 'balance = "850000"'),
         "accounts[3].balance", ('balance = "850000"', 1), "number"),
    Case("bool-birth-year", edit(BASE, "birth_year = 1961", "birth_year = true"),
         "people[1].birth_year", ("birth_year = true", 1), "integer"),
    Case("float-birth-year", edit(BASE, "birth_year = 1963", "birth_year = 1963.0"),
         "people[2].birth_year", ("birth_year = 1963.0", 1), "integer"),
    Case("negative-balance", edit(BASE, "balance = 40000", "balance = -1"),
         "accounts[1].balance", ("balance = -1", 1), "greater than or equal to 0"),
    Case("owner-not-a-person",
         edit(BASE, 'owner = "sam"\nbalance = 320000', 'owner = "kim"\nbalance = 320000'),
         "accounts[4].owner", ('owner = "kim"', 1), "'kim' is not among"),
    # No owner line to point at: the line of the account's [[accounts]] header.
    Case("traditional-without-owner",
         edit(BASE, 'owner = "sam"\nbalance = 320000', "balance = 320000"),
         "accounts[4].owner", ("[[accounts]]", 4), "required"),
    Case("claim-age-61", edit(BASE, "claim_age = 67", "claim_age = 61"),
         "income[2].claim_age", ("claim_age = 61", 1), "62"),
    Case("claim-age-71", edit(BASE, "claim_age = 70", "claim_age = 71"),
         "income[1].claim_age", ("claim_age = 71", 1), "70"),
    Case("start-year-2023", edit(BASE, "start_year = 2026", "start_year = 2023"),
         "plan.start_year", ("start_year = 2023", 1), "2024"),
    Case("longevity-below-age", edit(BASE, "longevity = 92", "longevity = 60"),
         "people[1].longevity", ("longevity = 60", 1), "below the age"),
    Case("two-people-single", edit(BASE, 'filing_status = "mfj"', 'filing_status = "single"'),
         "plan.filing_status", ('filing_status = "single"', 1), "mfj"),
    Case("mfj-one-person", edit(SINGLE, 'filing_status = "single"', 'filing_status = "mfj"'),
         "plan.filing_status", ('filing_status = "mfj"', 1), "two"),
    Case("nan-balance", edit(BASE, "balance = 40000", "balance = nan"),
         "accounts[1].balance", ("balance = nan", 1), "finite"),
    Case("inf-inflation", edit(BASE, "inflation = 0.025", "inflation = inf"),
         "assumptions.inflation", ("inflation = inf", 1), "finite"),
    Case("minus-inf-return", edit(BASE, "stock_return = 0.07", "stock_return = -inf"),
         "assumptions.stock_return", ("stock_return = -inf", 1), "finite"),
    # A whole table is missing: there is no line to name.
    Case("missing-spending",
         edit(BASE, "[spending]\nannual = 110000\nsurvivor_fraction = 0.7\n", ""),
         "spending", None, "missing"),
    Case("missing-longevity", edit(BASE, "birth_month = 3\nlongevity = 95\n", "birth_month = 3\n"),
         "people[2].longevity", ("[[people]]", 2), "missing"),
    Case("duplicate-account-name", edit(BASE, 'name = "sam-ira"', 'name = "alex-401k"'),
         "accounts[4].name", ('name = "alex-401k"', 2), "duplicate"),
    Case("lots-on-traditional",
         edit(BASE, "balance = 320000\n",
              "balance = 320000\n\n[[accounts.lots]]\nvalue = 320000\nbasis = 0\n"),
         "accounts[4].lots", ("[[accounts.lots]]", 1), "only taxable"),
    Case("second-lot-negative-basis",
         edit(edit(BASE, "basis = 180000\n", ""), "dividend_yield = 0.018\n",
              "dividend_yield = 0.018\n\n[[accounts.lots]]\nvalue = 100000\nbasis = 80000\n"
              "\n[[accounts.lots]]\nvalue = 200000\nbasis = -5\n"),
         "accounts[2].lots[2].basis", ("basis = -5", 1), "greater than or equal to 0"),
    Case("history-magi-key-not-a-year", BASE + "\n[history.magi]\nlast = 100000\n",
         "history.magi.last", ("last = 100000", 1), "years"),
    Case("history-magi-year-unused", BASE + "\n[history.magi]\n2024 = 1\n2020 = 100000\n",
         "history.magi.2020", ("2020 = 100000", 1), "2024 and 2025"),
    Case("end-year-before-start",
         edit(BASE, 'filing_status = "mfj"', 'filing_status = "mfj"\nend_year = 2025'),
         "plan.end_year", ("end_year = 2025", 1), "before start_year"),
    Case("empty-file", "", "plan", None, "missing"),
    Case("income-kind-typo", edit(BASE, 'kind = "pension"', 'kind = "pensoin"'),
         "income[3].kind", ('kind = "pensoin"', 1), "'pensoin'"),
    Case("three-people",
         edit(BASE, '[[accounts]]\nname = "checking"',
              '[[people]]\nname = "kim"\nbirth_year = 1970\nlongevity = 90\n\n'
              '[[accounts]]\nname = "checking"'),
         "people", ("[[people]]", 1), "at most 2"),
    Case("duplicate-person", edit(BASE, 'name = "sam"\nbirth_year', 'name = "alex"\nbirth_year'),
         "people[2].name", ('name = "alex"', 2), "duplicate"),
    Case("basis-above-balance-traditional",
         edit(BASE, "balance = 320000", "balance = 320000\nbasis = 400000"),
         "accounts[4].basis", ("basis = 400000", 1), "exceeds"),
    Case("pia-on-pension", edit(BASE, "annual = 18000", "annual = 18000\npia = 100"),
         "income[3].pia", ("pia = 100", 1), "only for social_security"),
    # Arrays of inline tables, one per line (as tomli_w writes them): the element's own line.
    Case("inline-array-of-tables",
         edit(edit(BASE, PEOPLE_TABLES, ""), "[plan]\n",
              'people = [\n    { name = "alex", birth_year = 1961, longevity = 92 },\n'
              '    { name = "sam", birth_year = 1963, longevity = 200 },\n]\n\n[plan]\n'),
         "people[2].longevity", ('name = "sam"', 1), "less than or equal to 120"),
    # A multi-line string that looks like a table header must not shift later line numbers.
    Case("multiline-string-before-error",
         edit(edit(BASE, 'kind = "pension"', 'kind = "pension"\nname = """x\n[[accounts]]\n"""'),
              "annual = 18000", "annual = -18000"),
         "income[3].annual", ("annual = -18000", 1), "greater than or equal to 0"),
]


def check_one_line(result: CliResult, path: Path | str, key: str,
                   line: int | None, message: str = "") -> None:
    assert result.code == 2, result
    assert "Traceback" not in result.err
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result.err
    where = f"{path}:{line}" if line is not None else f"{path}"
    assert result.err.startswith(f"{where}: {key}: "), result.err
    assert message in result.err


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_scenario(case: Case, tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(case.text, encoding="utf-8")
    line = line_with(case.text, *case.where) if case.where else None
    result = run_cli("project", path)
    check_one_line(result, path, case.key, line, case.message)
    assert result.out == ""


def test_cases_are_distinct_and_many() -> None:
    assert len({c.text for c in CASES}) == len(CASES) >= 20


def test_directory_instead_of_file(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("project", tmp_path)
    assert result.code == 2 and result.err == f"{tmp_path}: is a directory, not a scenario file\n"


def test_nonexistent_file(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    path = tmp_path / "nope.toml"
    result = run_cli("project", "-f", "csv", path)
    assert result.code == 2 and result.err == f"{path}: no such file\n" and result.out == ""


def test_non_utf8_bytes_name_the_line(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    raw = BASE.encode("utf-8").replace(b'name = "sam-ira"', b'name = "sam-\xe9ra"')
    path = tmp_path / "latin1.toml"
    path.write_bytes(raw)
    line = line_with(BASE, 'name = "sam-ira"')
    result = run_cli("validate", path)
    assert result.code == 2
    assert f"{path}:{line}: encoding: not UTF-8 text (byte 0xe9)" in result.out + result.err


def test_utf8_bom_is_accepted(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode("utf-8"))
    result = run_cli("validate", path)
    assert (result.code, result.out) == (0, f"{path}: OK\n")


def test_inline_tables_point_at_their_line(tmp_path: Path,
                                           run_cli: Callable[..., CliResult]) -> None:
    text = edit(BASE, "[spending]\nannual = 110000\nsurvivor_fraction = 0.7\n", "")
    text = edit(text, "[plan]\n",
                "spending = { annual = 110000, survivor_fraction = 1.5 }\n[plan]\n")
    path = tmp_path / "inline.toml"
    path.write_text(text, encoding="utf-8")
    line = line_with(text, "survivor_fraction = 1.5")
    check_one_line(run_cli("project", path), path, "spending.survivor_fraction", line,
                   "less than or equal to 1")


@pytest.mark.parametrize(("name", "content", "key", "needle"), [
    ("syntax.toml", b"[plan\nstart_year = 2026\n", "syntax", "[plan"),
    ("latin1.toml", BASE.encode().replace(b'kind = "roth"', b'kind = "r\xf6th"'),
     "encoding", 'kind = "r'),
], ids=["syntax", "latin1"])
def test_subprocess_entry_point(tmp_path: Path, name: str, content: bytes, key: str,
                                needle: str) -> None:
    """`python -m planner` behaves like the in-process entry point."""
    path = tmp_path / name
    path.write_bytes(content)
    proc = subprocess.run([sys.executable, "-m", "planner", "project", str(path)],
                          capture_output=True, text=True, timeout=60)
    line = line_with(content.decode("utf-8", errors="replace"), needle)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(f"{path}:{line}: {key}: ")


def test_subprocess_missing_file(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "planner", "validate", str(tmp_path / "x.toml")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr + proc.stdout
    assert f"{tmp_path / 'x.toml'}: no such file" in proc.stdout + proc.stderr
