"""The schedule file: round trip, read-only values, and one-line errors naming file, key, line."""

from __future__ import annotations

import pytest

from planner.errors import PlannerError
from planner.scenario import load_scenario
from planner.schedule import (
    Schedule,
    YearPlan,
    dumps_schedule,
    implicit_accounts,
    load_schedule,
    make_schedule,
    new_roth_name,
    parse_schedule,
    save_schedule,
)

COUPLE = "scenarios/couple-65-63.toml"
SINGLE = "scenarios/single-66-ira.toml"


@pytest.fixture(scope="module")
def couple():
    return load_scenario(COUPLE)


def test_round_trip_keeps_every_amount(couple, tmp_path):
    schedule = make_schedule(98765.43, {
        2027: ({"brokerage": 1234.5}, {"alex-401k": 60000}),
        2026: ({"checking": 10.01, "sam-roth": 2.0}, {}),
    })
    path = tmp_path / "plan.toml"
    save_schedule(schedule, path, "made by a test\nsecond line")
    text = path.read_text()
    assert text.startswith("# made by a test\n# second line\n")
    loaded = load_schedule(path, couple)
    assert loaded == schedule
    assert list(loaded.years) == [2026, 2027]
    assert loaded.years[2027].conversions["alex-401k"] == 60000.0
    assert isinstance(loaded.years[2027].conversions["alex-401k"], float)


def test_values_are_read_only():
    schedule = make_schedule(None, {2026: ({"a": 1.0}, {})})
    with pytest.raises(TypeError):
        schedule.years[2027] = YearPlan()  # type: ignore[index]
    with pytest.raises(TypeError):
        schedule.years[2026].withdrawals["a"] = 2.0  # type: ignore[index]
    with pytest.raises(AttributeError):
        schedule.spending_annual = 1.0  # type: ignore[misc]


def test_empty_schedule_and_empty_years_are_left_out():
    text = dumps_schedule(make_schedule(None, {2026: ({}, {})}))
    assert text.strip() == ""
    assert parse_schedule(text) == Schedule()


def test_amounts_rounded_to_cents():
    text = dumps_schedule(make_schedule(1.006, {2026: ({"x": 2.004999}, {})}))
    assert "spending_annual = 1.01" in text
    assert "x = 2.0\n" in text


@pytest.mark.parametrize("text, line, key, message", [
    ("spending_annual = -5\n", 1, "spending_annual", "must not be negative"),
    ("spending_annual = 'a lot'\n", 1, "spending_annual", "must be a number"),
    ("spending_annual = nan\n", 1, "spending_annual", "finite"),
    ("spending = 5\n", 1, "spending", "unknown key"),
    ("[years.2026.withdrawals]\nbrokerage = 1\nnope = 2\n", 3, "years.2026.withdrawals.nope",
     "no such account"),
    ("[years.2026.conversions]\nbrokerage = 1\n", 2, "years.2026.conversions.brokerage",
     "only traditional accounts convert"),
    ("\n[years.26]\n", 2, "years.26", "keys must be years"),
    ("[years.1999]\n", 1, "years.1999", "outside the plan's years"),
    ("[years.2026]\nwithdrawal = {}\n", 2, "years.2026.withdrawal", "unknown key"),
    ("[years.2026]\nwithdrawals = 5\n", 2, "years.2026.withdrawals", "account = amount"),
    ("years = 3\n", 1, "years", "table of years"),
    ("[years.2027.withdrawals]\nchecking = true\n", 2, "years.2027.withdrawals.checking",
     "must be a number"),
    ("x = = 1\n", 1, "syntax", "invalid TOML"),
])
def test_errors_name_file_key_and_line(couple, tmp_path, text, line, key, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(PlannerError) as info:
        load_schedule(path, couple)
    err = info.value
    assert err.file == str(path)
    assert err.line == line
    assert err.key == key
    assert message in err.message
    assert "\n" not in str(err)
    assert str(err).startswith(f"{path}:{line}: {key}: ")


def test_unreadable_files(tmp_path):
    with pytest.raises(PlannerError, match="no such file"):
        load_schedule(tmp_path / "missing.toml")
    with pytest.raises(PlannerError, match="directory"):
        load_schedule(tmp_path)
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b"spending_annual = 1 # \xe9\n")
    with pytest.raises(PlannerError, match="UTF-8"):
        load_schedule(bad)


def test_without_a_scenario_names_are_not_checked():
    schedule = parse_schedule("[years.1990.withdrawals]\nanything = 3\n")
    assert schedule.years[1990].withdrawals == {"anything": 3.0}


def test_accounts_the_engine_may_open():
    single = load_scenario(SINGLE)  # cash and an IRA: no taxable, no Roth
    assert implicit_accounts(single) == {"taxable": "taxable", "pat-roth": "roth"}
    schedule = parse_schedule("[years.2030.withdrawals]\npat-roth = 5\ntaxable = 1\n",
                              scenario=single)
    assert schedule.years[2030].withdrawals == {"pat-roth": 5.0, "taxable": 1.0}


def test_new_roth_name_avoids_taken_names():
    assert new_roth_name("ann", []) == "ann-roth"
    assert new_roth_name("ann", ["ann-roth"]) == "ann-roth-2"
    assert new_roth_name("ann", ["ann-roth", "ann-roth-2"]) == "ann-roth-3"


def test_save_refuses_a_missing_folder(tmp_path):
    with pytest.raises(PlannerError, match="folder does not exist"):
        save_schedule(Schedule(), tmp_path / "no" / "plan.toml")
    with pytest.raises(PlannerError, match="directory"):
        save_schedule(Schedule(), tmp_path)
