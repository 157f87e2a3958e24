"""A withdrawal and Roth-conversion schedule: what `planner optimize` writes and
`planner project --schedule` replays through the engine.

The engine applies a year's plan at step 4 of the year, before its own solve: each listed
withdrawal is taken (nominal dollars, capped at the account's balance), each listed conversion
moves money from a traditional account to its current owner's first Roth IRA (capped at the
balance; an owner without one gets a new Roth account named by `new_roth_name`). The engine then
solves any remaining need with the scenario's withdrawal order, or reinvests a surplus, so
spending is met to the cent and every tax is the engine's own.

File format (TOML, written with tomli-w):

    spending_annual = 98000.0          # optional: today's $, replaces [spending] annual

    [years.2026.withdrawals]
    brokerage = 41000.0
    [years.2026.conversions]
    alex-401k = 60000.0
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from planner.errors import PlannerError
from planner.toml_lines import key_lines, line_of

_MAX_MONEY = 1e11


@dataclass(frozen=True, slots=True)
class YearPlan:
    """One year's scheduled moves, nominal dollars by account name."""

    withdrawals: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    conversions: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Schedule:
    """Scheduled withdrawals and conversions by calendar year.

    `spending_annual` (today's dollars), when set, replaces the scenario's `[spending] annual`.
    """

    spending_annual: float | None = None
    years: Mapping[int, YearPlan] = field(default_factory=lambda: MappingProxyType({}))


def make_schedule(spending_annual: float | None,
                  years: Mapping[int, tuple[Mapping[str, float], Mapping[str, float]]]
                  ) -> Schedule:
    """A read-only `Schedule` from plain dicts: {year: (withdrawals, conversions)}."""
    plans = {
        int(y): YearPlan(MappingProxyType({k: float(v) for k, v in w.items()}),
                         MappingProxyType({k: float(v) for k, v in c.items()}))
        for y, (w, c) in sorted(years.items())
    }
    return Schedule(spending_annual, MappingProxyType(plans))


def new_roth_name(owner: str, taken: Iterable[str]) -> str:
    """Name of the Roth account opened for an owner who converts without having one:
    `<owner>-roth`, or `<owner>-roth-2`, ... if that name is taken."""
    names = set(taken)
    name, n = f"{owner}-roth", 1
    while name in names:
        n += 1
        name = f"{owner}-roth-{n}"
    return name


def implicit_accounts(scenario) -> dict[str, str]:
    """Accounts the engine may open during a replay (name -> kind): the reinvestment account
    `taxable` when the scenario has no taxable account, and a Roth account for each traditional
    owner who has none."""
    names = [a.name for a in scenario.accounts]
    out: dict[str, str] = {}
    if not any(a.kind == "taxable" for a in scenario.accounts):
        out["taxable"] = "taxable"
    roth_owners = {a.owner for a in scenario.accounts if a.kind == "roth"}
    for a in scenario.accounts:
        if a.kind == "traditional" and a.owner not in roth_owners and a.owner is not None:
            name = new_roth_name(a.owner, [*names, *out])
            out[name] = "roth"
            roth_owners.add(a.owner)
    return out


def _money(value: Any) -> str | None:
    """Why `value` is not an amount of money, or None when it is one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a number (got {value!r})"
    if not math.isfinite(value):
        return f"must be a finite number (got {value})"
    if value < 0:
        return f"must not be negative (got {value})"
    if value > _MAX_MONEY:
        return f"must be at most {_MAX_MONEY:.0e} (got {value})"
    return None


class _Bad(Exception):
    """A problem at a key path of the schedule document."""

    def __init__(self, path: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _validate(data: dict[str, Any], scenario) -> Schedule:
    """Build a Schedule from parsed TOML, or raise `_Bad` at the offending key."""
    for key in data:
        if key not in ("spending_annual", "years"):
            raise _Bad((key,), "unknown key (check its spelling)")
    spending = data.get("spending_annual")
    if spending is not None:
        problem = _money(spending)
        if problem:
            raise _Bad(("spending_annual",), problem)
        spending = float(spending)
    years_raw = data.get("years", {})
    if not isinstance(years_raw, dict):
        raise _Bad(("years",), "must be a table of years, like [years.2026]")
    accounts = {a.name: a.kind for a in scenario.accounts} if scenario is not None else None
    if scenario is not None:
        accounts |= {k: v for k, v in implicit_accounts(scenario).items() if k not in accounts}
        first, last = scenario.plan.start_year, scenario.last_year()
    years: dict[int, tuple[dict[str, float], dict[str, float]]] = {}
    for ykey, plan in years_raw.items():
        if not (ykey.isdigit() and len(ykey) == 4):
            raise _Bad(("years", ykey), "keys must be years, like 2026")
        if scenario is not None and not first <= int(ykey) <= last:
            raise _Bad(("years", ykey), f"outside the plan's years ({first}-{last})")
        if not isinstance(plan, dict):
            raise _Bad(("years", ykey), "must be a table with withdrawals and conversions")
        parts: dict[str, dict[str, float]] = {"withdrawals": {}, "conversions": {}}
        for part, amounts in plan.items():
            if part not in parts:
                raise _Bad(("years", ykey, part), "unknown key (use withdrawals or conversions)")
            if not isinstance(amounts, dict):
                raise _Bad(("years", ykey, part), "must be a table of account = amount")
            for name, value in amounts.items():
                where = ("years", ykey, part, name)
                problem = _money(value)
                if problem:
                    raise _Bad(where, problem)
                if accounts is not None:
                    if name not in accounts:
                        raise _Bad(where, "no such account in the scenario")
                    if part == "conversions" and accounts[name] != "traditional":
                        raise _Bad(where, f"only traditional accounts convert ({name} is "
                                          f"{accounts[name]})")
                parts[part][name] = float(value)
        years[int(ykey)] = (parts["withdrawals"], parts["conversions"])
    return make_schedule(spending, years)


def parse_schedule(text: str, filename: str = "<schedule>", scenario=None) -> Schedule:
    """Validate a TOML schedule (against `scenario` when given) or raise `PlannerError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg, line = str(exc), None
        if "(at line " in msg:
            line = int(msg.rsplit("(at line ", 1)[1].split(",")[0].rstrip(")"))
            msg = msg.rsplit(" (at line ", 1)[0]
        raise PlannerError(f"invalid TOML: {msg}", filename, line, "syntax") from None
    try:
        return _validate(data, scenario)
    except _Bad as bad:
        line = line_of(key_lines(text), bad.path)
        raise PlannerError(bad.message, filename, line, ".".join(bad.path)) from None


def load_schedule(path: str | Path, scenario=None) -> Schedule:
    """Read and validate a schedule file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlannerError("no such file", str(path)) from None
    except IsADirectoryError:
        raise PlannerError("is a directory, not a schedule file", str(path)) from None
    except UnicodeDecodeError:
        raise PlannerError("not UTF-8 text", str(path)) from None
    except OSError as exc:
        raise PlannerError(f"cannot read: {exc.strerror}", str(path)) from None
    return parse_schedule(text, str(path), scenario)


def dumps_schedule(schedule: Schedule, header: str = "") -> str:
    """The schedule as TOML (amounts rounded to cents; empty parts left out)."""
    import tomli_w

    doc: dict[str, Any] = {}
    if schedule.spending_annual is not None:
        doc["spending_annual"] = round(schedule.spending_annual, 2)
    years: dict[str, Any] = {}
    for year, plan in sorted(schedule.years.items()):
        entry = {part: {k: round(v, 2) for k, v in getattr(plan, part).items()}
                 for part in ("withdrawals", "conversions") if getattr(plan, part)}
        if entry:
            years[str(year)] = entry
    if years:
        doc["years"] = years
    lines = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return lines + ("\n" if lines else "") + tomli_w.dumps(doc)


def save_schedule(schedule: Schedule, path: str | Path, header: str = "") -> None:
    """Write the schedule atomically."""
    from planner.report import write_atomic

    path = Path(path)
    if path.is_dir():
        raise PlannerError("is a directory", str(path), key="--write-schedule")
    if not path.parent.exists():
        raise PlannerError("folder does not exist", str(path.parent), key="--write-schedule")
    write_atomic(path, dumps_schedule(schedule, header))
