"""The law as data: one year's federal figures, loaded from `planner/law/<year>.toml`.

Published years are read as they are. Later years are projected from the last published year by
the rules of `law/indexing.toml` (each figure indexed as its statute indexes it, or not at all).
Figures that do not change by year (RMD tables, retirement ages) come from `law/tables.toml`,
and the Joint and Last Survivor Table from `law/joint_life.toml`, read only when a plan needs it.

The records are NamedTuples (immutable, with named fields) rather than frozen dataclasses: every
command imports this module, and a NamedTuple class is several times cheaper to create.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from typing import Any, NamedTuple

from planner.package_data import package_file, read_package_text

FILING_STATUSES = ("single", "mfj")


class RulesError(ValueError):
    """A year the planner has no rules for (before the first published year)."""


class StatusRules(NamedTuple):
    """Figures that differ by filing status."""

    bracket_floors: tuple[float, ...]
    bracket_rates: tuple[float, ...]
    standard_deduction: float
    additional_65: float
    senior_phaseout_start: float
    cg_zero_top: float
    cg_fifteen_top: float
    niit_threshold: float
    ss_base: float
    ss_adjusted_base: float
    irmaa_thresholds: tuple[float, ...]
    amt_exemption: float
    amt_phaseout_start: float


class YearRules(NamedTuple):
    """Every federal figure of one tax year."""

    year: int
    projected_from: int | None
    single: StatusRules
    mfj: StatusRules
    senior_amount: float
    senior_phaseout_rate: float
    cg_rates: tuple[float, float, float]
    capital_loss_limit: float
    niit_rate: float
    ss_rate_1: float
    ss_rate_2: float
    part_b_standard: float
    part_b_surcharge: tuple[float, ...]
    part_d_surcharge: tuple[float, ...]
    qcd_limit: float
    amt_rates: tuple[float, float]
    amt_breakpoint: float
    amt_phaseout_rate: float
    sources: tuple[tuple[str, str], ...]

    def status(self, filing_status: str) -> StatusRules:
        return self.mfj if filing_status == "mfj" else self.single


class LawTables(NamedTuple):
    """Figures that do not depend on the tax year."""

    uniform_first_age: int
    uniform_divisors: tuple[float, ...]
    rmd_cohorts: tuple[tuple[int, int, float], ...]
    fra_by_birth_year: tuple[tuple[int, int, int], ...]
    earliest_claim_age: int
    latest_credit_age: int
    reduction_first_months: int
    reduction_rate_first: float
    reduction_rate_after: float
    delayed_credit_rate: float
    medicare_age: int
    qcd_age_months: int
    spousal_share: float
    spousal_reduction_first_months: int
    spousal_reduction_rate_first: float
    spousal_reduction_rate_after: float
    survivor_earliest_age: int
    survivor_max_reduction: float
    survivor_rib_lim_share: float
    survivor_fra_by_birth_year: tuple[tuple[int, int, int], ...]

    @property
    def joint_first_owner_age(self) -> int:
        return joint_life_table().first_owner_age

    @property
    def joint_first_spouse_age(self) -> int:
        return joint_life_table().first_spouse_age

    @property
    def joint_divisors(self) -> tuple[tuple[float, ...], ...]:
        return joint_life_table().divisors


class JointLifeTable(NamedTuple):
    """Treas. Reg. §1.401(a)(9)-9(d): divisors by owner age (rows from `first_owner_age`) and
    spouse age (columns from `first_spouse_age`)."""

    first_owner_age: int
    first_spouse_age: int
    divisors: tuple[tuple[float, ...], ...]


@cache
def joint_life_table() -> JointLifeTable:
    """The Joint and Last Survivor Table, for an owner whose sole beneficiary is a spouse more
    than 10 years younger: a large table, parsed only when first needed."""
    joint = _read("joint_life.toml")["joint_last_survivor"]
    rows = sorted((int(age), row) for age, row in joint["by_owner_age"].items())
    return JointLifeTable(rows[0][0], int(joint["first_spouse_age"]),
                          tuple(tuple(float(x) for x in row) for _, row in rows))


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads(read_package_text("law", name))


@cache
def published_years() -> tuple[int, ...]:
    """The tax years with a rules file of their own."""
    names = (p.name for p in package_file("law").iterdir())
    return tuple(sorted(int(n[:4]) for n in names if n[:4].isdigit() and n.endswith(".toml")))


@cache
def _raw(year: int) -> dict[str, Any]:
    return _read(f"{year}.toml")


@cache
def _indexing() -> dict[str, Any]:
    return _read("indexing.toml")


def _index(value: float, factor: float, rule: dict[str, Any], step_key: str = "step") -> float:
    """Index one figure as its statute does (`law/indexing.toml`)."""
    method = rule["method"]
    if method == "none":
        return value
    if method == "cents":
        return round(value * factor, 2)
    step = rule.get(step_key, rule["step"])
    increase = value * factor - value
    if method == "down":
        return value + math.floor(increase / step + 1e-9) * step
    return value + math.floor(increase / step + 0.5) * step


def _project(base: dict[str, Any], year: int, inflation: float) -> dict[str, Any]:
    """Figures of `year` from the last published year's, indexed by `inflation` per year."""
    rules = _indexing()
    factor = (1.0 + inflation) ** (year - base["year"])
    out: dict[str, Any] = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    out["year"] = year

    def idx(section: str, keys: tuple[str, ...], rule: dict[str, Any]) -> None:
        for key in keys:
            value = base[section][key]
            step_key = "step_mfj" if key == "mfj" else "step"
            if isinstance(value, list):
                out[section][key] = [_index(v, factor, rule, step_key) for v in value]
            else:
                out[section][key] = _index(value, factor, rule, step_key)
        _derive(out[section], rule)

    idx("ordinary_brackets", ("single", "mfj"), rules["ordinary_brackets"])
    idx("standard_deduction", ("single", "mfj"), rules["standard_deduction"])
    idx("additional_65", ("single", "mfj"), rules["additional_65"])
    idx("capital_gains", ("single", "mfj"), rules["capital_gains"])
    idx("qcd", ("limit",), rules["qcd"])
    idx("amt", ("breakpoint", "exemption_single", "exemption_mfj", "phaseout_single",
                "phaseout_mfj"), rules["amt"])
    idx("irmaa", ("part_b_standard", "part_b_surcharge", "part_d_surcharge"),
        rules["medicare_premiums"])
    irmaa_rule = rules["irmaa"]
    top_years = max(0, year - max(base["year"], irmaa_rule["top_tier_fixed_through"]))
    top_factor = (1.0 + inflation) ** top_years
    for status in FILING_STATUSES:
        tiers = base["irmaa"][status]
        lower = [_index(v, factor, irmaa_rule) for v in tiers[:-1]]
        out["irmaa"][status] = [*lower, _index(tiers[-1], top_factor, irmaa_rule)]
    _derive(out["irmaa"], irmaa_rule)
    for section, rule in rules.items():
        if isinstance(rule, dict) and "keys" in rule and section in base:
            idx(section, tuple(rule["keys"]), rule)
    return out


def _derive(section: dict[str, Any], rule: dict[str, Any]) -> None:
    """Figures the statute defines as a multiple of another status's figure, after indexing
    (e.g. the joint standard deduction is 200% of the single one, IRC §63(c)(2)(A))."""
    for key, target, source in (("mfj_times_single", "mfj", "single"),
                                ("single_times_mfj", "single", "mfj")):
        if key not in rule:
            continue
        factors = rule[key]
        if isinstance(section[target], list):
            derived = [f * v for f, v in zip(factors, section[source], strict=False)]
            section[target] = [*derived, *section[target][len(derived):]]
        else:
            section[target] = factors * section[source]


def _status_rules(raw: dict[str, Any], status: str) -> StatusRules:
    ss = raw["social_security_taxation"]
    cg = raw["capital_gains"][status]
    return StatusRules(
        bracket_floors=tuple(float(x) for x in raw["ordinary_brackets"][status]),
        bracket_rates=tuple(float(x) for x in raw["ordinary_brackets"]["rates"]),
        standard_deduction=float(raw["standard_deduction"][status]),
        additional_65=float(raw["additional_65"][status]),
        senior_phaseout_start=float(raw["senior_deduction"][f"phaseout_{status}"]),
        cg_zero_top=float(cg[0]),
        cg_fifteen_top=float(cg[1]),
        niit_threshold=float(raw["niit"][status]),
        ss_base=float(ss[f"base_{status}"]),
        ss_adjusted_base=float(ss[f"adjusted_base_{status}"]),
        irmaa_thresholds=tuple(float(x) for x in raw["irmaa"][status]),
        amt_exemption=float(raw["amt"][f"exemption_{status}"]),
        amt_phaseout_start=float(raw["amt"][f"phaseout_{status}"]),
    )


def _build(raw: dict[str, Any], projected_from: int | None) -> YearRules:
    year = raw["year"]
    senior = raw["senior_deduction"]
    irmaa = raw["irmaa"]
    sources = tuple((k, v["source"]) for k, v in raw.items() if isinstance(v, dict))
    rates = raw["capital_gains"]["rates"]
    return YearRules(
        year=year,
        projected_from=projected_from,
        single=_status_rules(raw, "single"),
        mfj=_status_rules(raw, "mfj"),
        senior_amount=float(senior["amount"]) if year <= senior["last_year"] else 0.0,
        senior_phaseout_rate=float(senior["phaseout_rate"]),
        cg_rates=(float(rates[0]), float(rates[1]), float(rates[2])),
        capital_loss_limit=float(raw["capital_loss"]["limit"]),
        niit_rate=float(raw["niit"]["rate"]),
        ss_rate_1=float(raw["social_security_taxation"]["rate_1"]),
        ss_rate_2=float(raw["social_security_taxation"]["rate_2"]),
        part_b_standard=float(irmaa["part_b_standard"]),
        part_b_surcharge=tuple(float(x) for x in irmaa["part_b_surcharge"]),
        part_d_surcharge=tuple(float(x) for x in irmaa["part_d_surcharge"]),
        qcd_limit=float(raw["qcd"]["limit"]),
        amt_rates=(float(raw["amt"]["rates"][0]), float(raw["amt"]["rates"][1])),
        amt_breakpoint=float(raw["amt"]["breakpoint"]),
        amt_phaseout_rate=float(raw["amt"]["phaseout_rate"]),
        sources=sources,
    )


@cache
def rules_for_year(year: int, inflation: float = 0.025) -> YearRules:
    """The federal figures of tax year `year`.

    Published years ignore `inflation`; a later year is projected from the last published one,
    indexed by `inflation` a year as `law/indexing.toml` says.
    """
    last = published_years()[-1]
    return _build(_year_raw(year, inflation), last if year > last else None)


@cache
def _year_raw(year: int, inflation: float) -> dict[str, Any]:
    """The year's rules file as read, or projected from the last one (once per year and
    inflation: `rules_for_year` and `law_section` share it; neither changes it)."""
    years = published_years()
    if year < years[0]:
        raise RulesError(f"no rules before tax year {years[0]} (asked for {year})")
    if year in years:
        return _raw(year)
    if year < years[-1]:
        raise RulesError(f"no rules file for tax year {year}")
    return _project(_raw(years[-1]), year, inflation)


def law_section(year: int, name: str, inflation: float = 0.025) -> dict[str, Any]:
    """One table of the year's rules file as read (published years) or projected (later years:
    the figures named by `keys` in the table's `law/indexing.toml` entry are indexed, the rest
    kept). For tables the `YearRules` fields do not cover; do not modify the result."""
    return _year_raw(year, inflation)[name]


def indexing_rules() -> dict[str, Any]:
    """The indexing method of each figure (for documentation and `planner rules`)."""
    return _indexing()


@cache
def law_tables() -> LawTables:
    """RMD tables, retirement ages and other figures fixed across years."""
    raw = _read("tables.toml")
    uniform = raw["uniform_lifetime"]
    claiming = raw["claiming"]
    spousal, survivor = raw["spousal_benefit"], raw["survivor_benefit"]
    return LawTables(
        uniform_first_age=int(uniform["first_age"]),
        uniform_divisors=tuple(float(x) for x in uniform["divisors"]),
        rmd_cohorts=tuple(
            (int(c["born_from"][0]), int(c["born_from"][1]), float(c["age"]))
            for c in raw["rmd_start_age"]["cohorts"]
        ),
        fra_by_birth_year=tuple(
            (int(a), int(b), int(c)) for a, b, c in raw["full_retirement_age"]["by_birth_year"]
        ),
        earliest_claim_age=int(claiming["earliest_age"]),
        latest_credit_age=int(claiming["latest_credit_age"]),
        reduction_first_months=int(claiming["reduction_first_months"]),
        reduction_rate_first=float(claiming["reduction_rate_first"]),
        reduction_rate_after=float(claiming["reduction_rate_after"]),
        delayed_credit_rate=float(claiming["delayed_credit_rate"]),
        medicare_age=int(raw["medicare"]["enrollment_age"]),
        qcd_age_months=int(raw["qcd"]["minimum_age_months"]),
        spousal_share=float(spousal["share_of_pia"]),
        spousal_reduction_first_months=int(spousal["reduction_first_months"]),
        spousal_reduction_rate_first=float(spousal["reduction_rate_first"]),
        spousal_reduction_rate_after=float(spousal["reduction_rate_after"]),
        survivor_earliest_age=int(survivor["earliest_age"]),
        survivor_max_reduction=float(survivor["max_reduction"]),
        survivor_rib_lim_share=float(survivor["rib_lim_share"]),
        survivor_fra_by_birth_year=tuple(
            (int(a), int(b), int(c)) for a, b, c in survivor["by_birth_year"]
        ),
    )
