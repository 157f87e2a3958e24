"""The scenario file (`shared/docs/scenario.md`): pydantic models, strict, and the loader.

Every problem in a file becomes one `PlannerError` naming the file, the line and the key path
(array entries counted from 1: `accounts[2]` is the second `[[accounts]]` table).

Start-up cost matters here (every command builds these models): annotations are evaluated by
Python rather than from strings (no `from __future__ import annotations`), and empty defaults
are written `default=[]` (pydantic copies them per instance) because `default_factory=list`
makes pydantic parse the text signature of `list`.
"""

import math
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from planner.errors import PlannerError

if TYPE_CHECKING:
    from planner.toml_lines import Path as KeyPath

FIRST_YEAR = 2024

Money = Annotated[float, Field(ge=0, le=1e11)]
Fraction = Annotated[float, Field(ge=0, le=1)]
Return = Annotated[float, Field(ge=-0.9, le=1.0)]
Name = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")]
AccountKind = Literal["cash", "taxable", "traditional", "roth", "hsa"]
IncomeKind = Literal["social_security", "pension", "wages", "annuity", "other"]
WithdrawalOrder = Literal["conventional", "traditional-first", "hierarchy", "proportional",
                          "proportional-roth-last", "bracket-fill"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class Move(_Model):
    """A change of state of residence, from 1 January of `year` (no part-year returns)."""

    year: int = Field(ge=FIRST_YEAR, le=2200)
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class Plan(_Model):
    start_year: int = Field(ge=FIRST_YEAR, le=2100)
    end_year: int | None = Field(default=None, ge=FIRST_YEAR, le=2200)
    filing_status: Literal["single", "mfj"]
    # State income tax: the two-letter code of the state of residence (none: no state tax).
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    moves: list[Move] = Field(default=[])


class Person(_Model):
    name: Name
    birth_year: int = Field(ge=1900, le=2100)
    birth_month: int = Field(default=1, ge=1, le=12)
    longevity: int = Field(ge=1, le=120)
    # The year the person left the employer whose 401(k) they hold (the age-55 exception to the
    # early-withdrawal tax). Default: the last year of their wages in the plan, if any.
    separation_year: int | None = Field(default=None, ge=1900, le=2200)


class Lot(_Model):
    value: Money
    basis: Money
    long_term: bool = True


class Account(_Model):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    kind: AccountKind
    owner: Name | None = None
    balance: Money | None = None
    basis: Money | None = None
    stocks: Fraction | None = None
    dividend_yield: Annotated[float, Field(ge=0, le=0.5)] = 0.0
    interest_yield: Annotated[float, Field(ge=0, le=0.5)] = 0.0
    lots: list[Lot] | None = None
    # traditional and roth: "401k" (an employer plan: 401(k), 403(b), 457(b), TSP) or "ira".
    plan_type: Literal["401k", "ira"] | None = None


class Contribution(_Model):
    """Yearly contributions to a traditional, Roth or HSA account in years the owner has wages."""

    account: Annotated[str, Field(min_length=1, max_length=64)]
    annual: Money  # the employee's own contribution, today's $
    employer: Money = 0.0  # the employer's contribution (401(k) match, HSA), today's $
    start_year: int | None = Field(default=None, ge=FIRST_YEAR, le=2200)
    end_year: int | None = Field(default=None, ge=FIRST_YEAR, le=2200)
    coverage: Literal["self", "family"] | None = None  # hsa: the HDHP coverage (limit)


class Income(_Model):
    kind: IncomeKind
    name: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    owner: Name | None = None
    pia: Money | None = None
    claim_age: Annotated[float, Field(ge=62, le=70)] | None = None
    annual: Money | None = None
    start_year: int | None = Field(default=None, ge=FIRST_YEAR, le=2200)
    end_year: int | None = Field(default=None, ge=FIRST_YEAR, le=2200)
    inflation_adjusted: bool = False
    taxable: bool = True
    # social_security: when the widow(er)'s benefit starts (default: survivor FRA).
    survivor_claim_age: Annotated[float, Field(ge=60, le=70)] | None = None
    # pension, annuity: share continuing to the surviving spouse; fixed yearly increase.
    survivor_fraction: Fraction = 0.0
    cola: Annotated[float, Field(ge=0, le=0.2)] = 0.0
    # annuity bought from a traditional account in start_year.
    premium: Money | None = None
    from_account: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class Spending(_Model):
    annual: Money
    survivor_fraction: Fraction = 0.7
    # The part of `annual` that is qualified medical expenses (paid from HSAs first, tax-free).
    medical: Money = 0.0
    # `planner optimize --objective max-spending`: after-tax estate to leave, today's $.
    estate_floor: Money = 0.0


class Assumptions(_Model):
    inflation: Annotated[float, Field(ge=-0.05, le=0.3)]
    stock_return: Return
    bond_return: Return
    cash_return: Return
    heir_tax_rate: Fraction = 0.24
    # `planner simulate` (lognormal model): yearly volatilities and correlations of the returns.
    stock_volatility: Annotated[float, Field(ge=0, le=1)] = 0.16
    bond_volatility: Annotated[float, Field(ge=0, le=1)] = 0.06
    inflation_volatility: Annotated[float, Field(ge=0, le=0.2)] = 0.012
    stock_bond_correlation: Annotated[float, Field(ge=-1, le=1)] = 0.0
    stock_inflation_correlation: Annotated[float, Field(ge=-1, le=1)] = -0.1
    bond_inflation_correlation: Annotated[float, Field(ge=-1, le=1)] = -0.2


class Guardrails(_Model):
    """`planner simulate`: Guyton-Klinger spending guardrails (see vector_engine.py)."""

    upper: Annotated[float, Field(gt=1, le=10)] = 1.2
    lower: Annotated[float, Field(ge=0, lt=1)] = 0.8
    cut: Annotated[float, Field(ge=0, lt=1)] = 0.1
    increase: Annotated[float, Field(ge=0, le=1)] = 0.1
    floor: Fraction = 0.0


def _none_in_schema(schema: dict[str, Any]) -> None:
    """In the JSON Schema, `roth_conversion` is "none" (the TOML spelling) or a policy table."""
    schema["anyOf"] = [s if s.get("type") != "null" else {"const": "none", "type": "string"}
                       for s in schema["anyOf"]]
    schema["default"] = "none"


class RothConversion(_Model):
    """A Roth conversion policy: fill up to a bracket top and/or an IRMAA threshold, or fixed
    nominal amounts by year; optionally stopped at an age or when RMDs begin."""

    up_to_bracket: Fraction | None = None
    up_to_irmaa_tier: int | None = Field(default=None, ge=0)
    # In years with Marketplace coverage: keep ACA household income at most this multiple of the
    # poverty line (4.0: below the premium tax credit's cliff where the law has one).
    up_to_fpl: Annotated[float, Field(ge=1, le=10)] | None = None
    amounts: dict[str, Money] | None = None
    until_age: int | None = Field(default=None, ge=1, le=120)
    stop_at_rmd: bool = False


class Strategy(_Model):
    withdrawal_order: WithdrawalOrder = "conventional"
    fill_bracket: Fraction = 0.12
    roth_conversion: RothConversion | None = Field(default=None,
                                                   json_schema_extra=_none_in_schema)
    qcd_annual: Money = 0.0
    harvest_losses: bool = False
    guardrails: Guardrails | None = None
    bonds_first_after_fall: bool = False

    @field_validator("roth_conversion", mode="before")
    @classmethod
    def _no_conversion(cls, value: Any) -> Any:
        """`"none"` means no conversions; any other string is an error."""
        if value == "none":
            return None
        if value is None or isinstance(value, str):
            raise PydanticCustomError(
                "roth_conversion",
                'must be "none" or a table with up_to_bracket, up_to_irmaa_tier or amounts')
        return value


class Health(_Model):
    """Marketplace (ACA) coverage for people under 65 who are not yet on Medicare."""

    # Annual premium of the benchmark (second-lowest-cost silver) plan per covered person, and of
    # the plan actually bought (default: the benchmark), today's $.
    aca_benchmark_premium: Money = 0.0
    aca_premium: Money | None = None


class History(_Model):
    magi: dict[str, Money] = Field(default={})


class Scenario(_Model):
    plan: Plan
    people: Annotated[list[Person], Field(min_length=1, max_length=2)]
    accounts: list[Account] = Field(default=[])
    income: list[Income] = Field(default=[])
    contributions: list[Contribution] = Field(default=[])
    spending: Spending
    assumptions: Assumptions
    strategy: Strategy = Field(default_factory=Strategy)
    health: Health = Field(default_factory=Health)
    history: History = Field(default_factory=History)

    def person(self, name: str) -> Person:
        return next(p for p in self.people if p.name == name)

    def last_year(self) -> int:
        """The last projected year: `plan.end_year`, else when the last person reaches longevity."""
        if self.plan.end_year is not None:
            return self.plan.end_year
        return max(p.birth_year + p.longevity for p in self.people)


def _cross_checks(s: Scenario) -> list[tuple["KeyPath", str]]:
    """Rules that involve more than one key. Returns (key path, message) pairs, first is worst."""
    errors: list[tuple[KeyPath, str]] = []
    names = [p.name for p in s.people]
    start = s.plan.start_year
    if s.plan.filing_status == "single" and len(s.people) == 2:
        errors.append((("plan", "filing_status"), "two people cannot file single: use \"mfj\""))
    if s.plan.filing_status == "mfj" and len(s.people) == 1:
        errors.append((("plan", "filing_status"), "\"mfj\" needs two [[people]]"))
    if s.plan.end_year is not None and s.plan.end_year < start:
        errors.append((("plan", "end_year"), f"must not be before start_year ({start})"))
    for i, p in enumerate(s.people):
        if names.index(p.name) != i:
            errors.append((("people", i, "name"), f"duplicate person name {p.name!r}"))
        age = start - p.birth_year
        if age < 0:
            errors.append((("people", i, "birth_year"), f"must not be after start_year ({start})"))
        elif p.longevity < age:
            errors.append(
                (("people", i, "longevity"), f"{p.longevity} is below the age at start ({age})")
            )
    seen: set[str] = set()
    for i, a in enumerate(s.accounts):
        if a.name in seen:
            errors.append((("accounts", i, "name"), f"duplicate account name {a.name!r}"))
        seen.add(a.name)
        if a.owner is not None and a.owner not in names:
            errors.append((("accounts", i, "owner"), f"{a.owner!r} is not among [[people]]"))
        if a.kind in ("traditional", "roth", "hsa") and a.owner is None:
            errors.append((("accounts", i, "owner"), f"required for a {a.kind} account"))
        if a.lots is not None:
            if a.kind != "taxable":
                errors.append((("accounts", i, "lots"), "only taxable accounts have tax lots"))
            total = sum(lot.value for lot in a.lots)
            if a.balance is not None and abs(a.balance - total) > 0.005:
                errors.append((("accounts", i, "balance"),
                               f"{a.balance} differs from the sum of the lots ({total:.2f})"))
            basis = sum(lot.basis for lot in a.lots)
            if a.basis is not None and abs(a.basis - basis) > 0.005:
                errors.append((("accounts", i, "basis"),
                               f"{a.basis} differs from the sum of the lots' basis ({basis:.2f})"))
        elif a.balance is None:
            errors.append((("accounts", i, "balance"), "missing required key"))
        if a.kind != "taxable":
            for key in ("dividend_yield", "interest_yield"):
                if getattr(a, key) != 0.0:
                    errors.append((("accounts", i, key), "only taxable accounts pay out yields"))
        if a.plan_type is not None and a.kind not in ("traditional", "roth"):
            errors.append((("accounts", i, "plan_type"), "only for traditional and roth accounts"))
        if a.kind == "hsa" and a.basis not in (None, 0.0):
            errors.append((("accounts", i, "basis"), "an HSA has no basis: remove it"))
        if a.kind == "cash" and a.stocks not in (None, 0.0):
            errors.append((("accounts", i, "stocks"), "a cash account holds no stocks"))
        if a.kind == "traditional" and a.basis is not None and a.balance is not None \
                and a.basis > a.balance:
            errors.append((("accounts", i, "basis"), "after-tax basis exceeds the balance"))
    claimed: set[str] = set()
    for i, inc in enumerate(s.income):
        if inc.owner is not None and inc.owner not in names:
            errors.append((("income", i, "owner"), f"{inc.owner!r} is not among [[people]]"))
        if inc.kind == "social_security":
            for key in ("owner", "pia", "claim_age"):
                if getattr(inc, key) is None:
                    errors.append((("income", i, key), "required for social_security"))
            for key in ("annual", "start_year", "end_year", "inflation_adjusted", "taxable",
                        "survivor_fraction", "cola", "premium", "from_account"):
                if key in inc.model_fields_set:
                    errors.append((("income", i, key), "not used for social_security: remove it"))
            if inc.owner in claimed:
                errors.append((("income", i, "owner"), "one social_security entry per person"))
            if inc.owner is not None:
                claimed.add(inc.owner)
        else:
            if inc.annual is None:
                errors.append((("income", i, "annual"), f"required for {inc.kind}"))
            for key in ("pia", "claim_age", "survivor_claim_age"):
                if getattr(inc, key) is not None:
                    errors.append((("income", i, key), "only for social_security"))
            if inc.start_year is not None and inc.end_year is not None \
                    and inc.end_year < inc.start_year:
                errors.append((("income", i, "end_year"), "must not be before start_year"))
            pension = inc.kind in ("pension", "annuity")
            for key in ("survivor_fraction", "cola"):
                if key in inc.model_fields_set and not pension:
                    errors.append((("income", i, key), "only for pension and annuity"))
            if inc.survivor_fraction > 0 and pension and (inc.owner is None or len(names) < 2):
                errors.append((("income", i, "survivor_fraction"),
                               "needs an owner with a spouse among [[people]]"))
            if inc.cola > 0 and inc.inflation_adjusted:
                errors.append((("income", i, "cola"),
                               "give cola or inflation_adjusted = true, not both"))
            for key, other in (("premium", "from_account"), ("from_account", "premium")):
                if getattr(inc, key) is None:
                    continue
                if inc.kind != "annuity":
                    errors.append((("income", i, key), "only for annuity"))
                elif getattr(inc, other) is None:
                    errors.append((("income", i, other), f"required together with {key}"))
            if inc.kind == "annuity" and inc.premium is not None:
                if inc.start_year is None:
                    errors.append((("income", i, "start_year"),
                                   "required with a premium (the year it is paid)"))
                elif inc.start_year < start:
                    errors.append((("income", i, "start_year"),
                                   f"the premium is paid in start_year: not before {start}"))
                if not inc.taxable:
                    errors.append((("income", i, "taxable"), "an annuity bought from a "
                                   "traditional account pays ordinary income: must be true"))
            if inc.kind == "annuity" and inc.from_account is not None:
                account = next((a for a in s.accounts if a.name == inc.from_account), None)
                if account is None:
                    errors.append((("income", i, "from_account"),
                                   f"{inc.from_account!r} is not among [[accounts]]"))
                elif account.kind != "traditional":
                    errors.append((("income", i, "from_account"),
                                   f"{inc.from_account!r} is {account.kind}: must be traditional"))
                elif inc.owner is None or account.owner != inc.owner:
                    errors.append((("income", i, "from_account"),
                                   f"{inc.from_account!r} is owned by {account.owner!r}, "
                                   f"not by the annuity's owner ({inc.owner!r})"))
    errors += _contribution_checks(s)
    if s.spending.medical > s.spending.annual:
        errors.append((("spending", "medical"),
                       "is part of annual spending: must not exceed annual "
                       f"({s.spending.annual:g})"))
    errors += _state_checks(s)
    for key in s.history.magi:
        if not (key.isdigit() and len(key) == 4):
            errors.append((("history", "magi", key), "keys must be years, like 2024"))
        elif not start - 2 <= int(key) < start:
            errors.append((("history", "magi", key),
                           f"only {start - 2} and {start - 1} are used (two years before start)"))
    errors += _strategy_checks(s)
    return errors


def _contribution_checks(s: Scenario) -> list[tuple["KeyPath", str]]:
    """[[contributions]]: into a traditional, Roth or HSA account of someone with wages."""
    errors: list[tuple[KeyPath, str]] = []
    accounts = {a.name: a for a in s.accounts}
    # Wages without an owner are the first person's (as the timeline counts them).
    earners = {inc.owner or s.people[0].name for inc in s.income if inc.kind == "wages"}
    for i, c in enumerate(s.contributions):
        account = accounts.get(c.account)
        if account is None:
            errors.append((("contributions", i, "account"),
                           f"{c.account!r} is not among [[accounts]]"))
            continue
        if account.kind not in ("traditional", "roth", "hsa"):
            errors.append((("contributions", i, "account"), f"{c.account!r} is {account.kind}: "
                           "contributions go to traditional, roth or hsa accounts"))
        elif account.owner not in earners and not (
                account.kind != "hsa" and account.plan_type != "401k" and earners
                and s.plan.filing_status == "mfj"):  # a spousal IRA (IRC §219(c))
            errors.append((("contributions", i, "account"),
                           f"{c.account!r} belongs to {account.owner!r}, who has no wages "
                           "([[income]] kind = \"wages\" with that owner)"))
        if c.coverage is not None and account.kind != "hsa":
            errors.append((("contributions", i, "coverage"), "only for hsa accounts"))
        if c.employer > 0 and (account.kind == "roth" or (
                account.kind == "traditional" and account.plan_type != "401k")):
            errors.append((("contributions", i, "employer"),
                           "employer money goes to a traditional 401(k) (plan_type = \"401k\") "
                           "or an HSA (employer Roth contributions are not modelled)"))
        if c.start_year is not None and c.end_year is not None and c.end_year < c.start_year:
            errors.append((("contributions", i, "end_year"), "must not be before start_year"))
    return errors


def _state_checks(s: Scenario) -> list[tuple["KeyPath", str]]:
    """[plan] state and moves: a state the planner has rules for; moves in order, in the plan."""
    if s.plan.state is None and not s.plan.moves:
        return []
    from planner.state_tax import SUPPORTED_STATES

    errors: list[tuple[KeyPath, str]] = []
    known = ", ".join(SUPPORTED_STATES)
    if s.plan.state is not None and s.plan.state not in SUPPORTED_STATES:
        errors.append((("plan", "state"), f"no rules for {s.plan.state!r} yet (have: {known})"))
    if s.plan.moves and s.plan.state is None:
        errors.append((("plan", "moves"), "give [plan] state, the state before the first move"))
    last = s.plan.start_year
    for i, move in enumerate(s.plan.moves):
        if move.state not in SUPPORTED_STATES:
            errors.append((("plan", "moves", i, "state"),
                           f"no rules for {move.state!r} yet (have: {known})"))
        if move.year <= last:
            errors.append((("plan", "moves", i, "year"),
                           f"must be after {last} (the start year or the previous move)"))
        last = max(last, move.year)
    return errors


def _strategy_checks(s: Scenario) -> list[tuple["KeyPath", str]]:
    """[strategy]: bracket rates and IRMAA tiers must exist in the law of the first year."""
    from planner.rules import rules_for_year

    errors: list[tuple[KeyPath, str]] = []
    law = rules_for_year(s.plan.start_year, s.assumptions.inflation).single
    fillable = law.bracket_rates[:-1]
    rates = ", ".join(f"{r:g}" for r in fillable)
    st = s.strategy
    if "fill_bracket" in st.model_fields_set and st.fill_bracket not in fillable:
        errors.append((("strategy", "fill_bracket"), f"must be one of {rates} (a bracket's rate)"))
    conv = st.roth_conversion
    if conv is None:
        return errors
    where = ("strategy", "roth_conversion")
    targets = conv.up_to_bracket is not None or conv.up_to_irmaa_tier is not None
    if conv.amounts is not None and targets:
        errors.append(((*where, "amounts"), "give amounts or up_to_* limits, not both"))
    elif conv.amounts is None and not targets:
        errors.append((where, "give up_to_bracket, up_to_irmaa_tier or amounts")
                      if conv.up_to_fpl is None else
                      ((*where, "up_to_fpl"), "applies only in years with Marketplace coverage: "
                       "add up_to_bracket or up_to_irmaa_tier for the other years"))
    if conv.up_to_fpl is not None and conv.amounts is not None:
        errors.append(((*where, "up_to_fpl"), "give amounts or up_to_* limits, not both"))
    if conv.up_to_bracket is not None and conv.up_to_bracket not in fillable:
        errors.append(((*where, "up_to_bracket"), f"must be one of {rates} (a bracket's rate)"))
    tiers = len(law.irmaa_thresholds)
    if conv.up_to_irmaa_tier is not None and conv.up_to_irmaa_tier >= tiers:
        errors.append(((*where, "up_to_irmaa_tier"),
                       f"must be 0 to {tiers - 1} (tier {tiers} has no upper threshold)"))
    for key in conv.amounts or {}:
        if not (key.isdigit() and len(key) == 4):
            errors.append(((*where, "amounts", key), "keys must be years, like 2026"))
        elif not s.plan.start_year <= int(key) <= s.last_year():
            errors.append(((*where, "amounts", key),
                           f"{key} is outside the plan ({s.plan.start_year}-{s.last_year()})"))
    return errors


def _key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + _bare_or_quoted(str(part))
    return out


def _bare_or_quoted(key: str) -> str:
    """A key as TOML writes it: bare if it can be, else quoted with escapes (so one line)."""
    if key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key):
        return key
    import json

    return json.dumps(key, ensure_ascii=False)


def _clean_loc(loc: tuple[Any, ...]) -> "KeyPath":
    """Drop pydantic's internal loc parts (union branches, validators, '[key]')."""
    return tuple(p for p in loc if isinstance(p, int) or (
        isinstance(p, str) and not p.startswith(("function-", "literal[", "union[", "[key]"))
        and p not in ("str", "int", "float", "bool", "list[Lot]", "dict[str,float]")
    ))


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key (check its spelling)"
    if kind == "missing":
        return "missing required key"
    message = err["msg"]
    value = err.get("input")
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number (got {value})"
    if isinstance(value, str | int | float | bool) and not isinstance(value, dict):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        return f"{message[0].lower()}{message[1:]} (got {shown})"
    return f"{message[0].lower()}{message[1:]}"


def parse_scenario(text: str, filename: str = "<scenario>") -> Scenario:
    """Validate a TOML document as a scenario, or raise `PlannerError` pointing at the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        line = None
        if "(at line " in msg:
            tail = msg.rsplit("(at line ", 1)[1]
            line = int(tail.split(",")[0].rstrip(")"))
            msg = msg.rsplit(" (at line ", 1)[0]
        raise PlannerError(f"invalid TOML: {msg}", filename, line, "syntax") from None
    except RecursionError:
        raise PlannerError("invalid TOML: arrays or tables nested too deeply", filename, None,
                           "syntax") from None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        from planner.toml_lines import key_lines, line_of


        errors = exc.errors()
        # A misspelt key usually also leaves a required key missing: name the typo first.
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = _clean_loc(err["loc"])
        raise PlannerError(
            _message(err), filename, line_of(key_lines(text), loc), _key_path(loc) or "(top level)"
        ) from None
    problems = _cross_checks(scenario)
    if problems:
        from planner.toml_lines import key_lines, line_of

        loc, message = problems[0]
        raise PlannerError(message, filename, line_of(key_lines(text), loc), _key_path(loc))
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file."""
    path = Path(path)
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
    except FileNotFoundError:
        raise PlannerError("no such file", str(path)) from None
    except IsADirectoryError:
        raise PlannerError("is a directory, not a scenario file", str(path)) from None
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        raise PlannerError(f"not UTF-8 text (byte {exc.object[exc.start]:#04x})", str(path), line,
                           "encoding") from None
    except OSError as exc:
        raise PlannerError(f"cannot read: {exc.strerror}", str(path)) from None
    return parse_scenario(text, str(path))
