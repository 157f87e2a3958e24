"""Record PolicyEngine-US state income tax answers for the planner's state tax oracle.

Run with the PolicyEngine venv (not part of the normal test install):

    /tmp/pevenv/bin/python tests/oracle/policyengine_states.py --states CA NY PA IL \
        --years 2024 2025 2026 --n 200

For each state it writes `tests/oracle/policyengine/<XX>.json`: the PolicyEngine-US version, the
seed, the years, and per year the households of `state_households.generate(state, year, n,
seed)` with PolicyEngine's outputs. Imports only the standard library, policyengine_us and the
generator.

The compared amount is `state_income_tax_before_refundable_credits`: the state's income tax after
nonrefundable credits and before refundable ones (e.g. CA: Form 540 line 48 plus the mental health
services tax, `ca_income_tax_before_refundable_credits`), which is what the planner's
`StateTaxResult.tax` is. `state_income_tax` subtracts refundable credits (CalEITC, NY EITC and
real property tax credit, ...) that the planner does not model; it is recorded for reference.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from state_households import generate  # noqa: E402

# Per-state intermediate variables (tax-unit level) recorded next to the tax.
INTERMEDIATE = {
    "CA": ("ca_agi", "ca_taxable_income", "ca_exemptions", "ca_mental_health_services_tax"),
    "NY": ("ny_agi", "ny_taxable_income", "ny_supplemental_tax", "ny_household_credit"),
    "PA": ("pa_adjusted_taxable_income", "pa_tax_forgiveness_rate"),
    "IL": ("il_base_income", "il_taxable_income"),
    "NH": ("nh_taxable_income",),
    "WA": ("wa_capital_gains_tax",),
    "OH": ("oh_agi", "oh_taxable_income"),
    "GA": ("ga_agi", "ga_taxable_income"),
    "NC": ("nc_taxable_income",),
    "MI": ("mi_agi", "mi_taxable_income"),
    "NJ": ("nj_agi", "nj_taxable_income", "nj_pension_retirement_exclusion"),
    "VA": ("va_agi", "va_taxable_income", "va_aged_blind_exemption"),
    "AZ": ("az_agi", "az_taxable_income"),
    "MA": ("ma_agi", "ma_part_a_taxable_income", "ma_part_b_taxable_income"),
    "IN": ("in_agi", "in_exemptions"),
    "MD": ("md_agi", "md_taxable_income"),
    "MO": ("mo_adjusted_gross_income", "mo_taxable_income", "mo_pension_and_ss_or_ssd_deduction"),
    "WI": ("wi_agi", "wi_taxable_income", "wi_retirement_income_subtraction"),
    "CO": ("co_taxable_income", "co_pension_subtraction", "taxable_income"),
    "OR": ("or_agi", "or_taxable_income", "or_federal_tax_liability_subtraction",
           "or_retirement_credit", "or_exemption_credit"),
    "AL": ("al_agi", "al_taxable_income", "al_federal_income_tax_deduction",
           "al_retirement_exemption"),
    "KY": ("ky_personal_tax_credits", "ky_family_size_tax_credit",
           "ky_income_tax_before_refundable_credits_if_joint",
           "ky_income_tax_before_refundable_credits_if_separate"),
    "CT": ("ct_agi", "ct_taxable_income", "ct_pension_annuity_subtraction",
           "ct_social_security_benefit_adjustment", "ct_personal_credit_rate"),
    "OK": ("ok_agi", "ok_taxable_income", "ok_pension_subtraction"),
    "LA": ("la_agi", "la_taxable_income", "la_agi_exempt_income"),
    "SC": ("sc_taxable_income", "sc_retirement_deduction", "sc_senior_exemption",
           "sc_net_capital_gain_deduction"),
    "MN": ("mn_taxable_income", "mn_social_security_subtraction", "mn_elderly_disabled_subtraction",
           "mn_amt"),
    "AR": ("ar_income_tax_before_non_refundable_credits_unit", "ar_non_refundable_credits",
           "ar_retirement_or_disability_benefits_exemption", "ar_uses_low_income_tax_tables"),
    "NM": ("nm_taxable_income", "nm_exemptions", "nm_deductions", "nm_non_refundable_credits",
           "nm_modified_gross_income"),
    "WV": ("wv_agi", "wv_taxable_income", "wv_non_refundable_credits"),
    "IA": ("ia_taxable_income_consolidated", "ia_regular_tax_consolidated",
           "ia_alternate_tax_consolidated", "ia_exemption_credit", "ia_is_tax_exempt",
           "ia_reduced_tax"),
    "UT": ("ut_taxable_income", "ut_income_tax_before_credits", "ut_taxpayer_credit",
           "ut_retirement_credit", "ut_ss_benefits_credit"),
    "NE": ("ne_agi", "ne_taxable_income", "ne_non_refundable_credits"),
    "ID": ("id_agi", "id_taxable_income", "id_pbf", "id_non_refundable_credits"),
    "KS": ("ks_agi", "ks_taxable_income", "ks_non_refundable_credits"),
    "MS": ("ms_income_tax_before_credits_unit", "ms_non_refundable_credits"),
    "HI": ("hi_agi", "hi_taxable_income"),
    "ME": ("me_agi", "me_taxable_income"),
    "MT": ("mt_agi_joint", "mt_income_tax_before_refundable_credits_joint"),
    "RI": ("ri_agi", "ri_taxable_income"),
    "DE": ("de_income_tax_before_refundable_credits_joint",
           "de_income_tax_before_refundable_credits_separate", "de_files_separately"),
    "ND": ("nd_taxable_income",),
    "DC": ("dc_taxable_income_joint", "dc_income_tax_before_credits", "dc_files_separately"),
    "VT": ("vt_agi", "vt_taxable_income"),
}
COMMON = (
    "state_income_tax",
    "state_income_tax_before_refundable_credits",
    "adjusted_gross_income",
    "tax_unit_taxable_social_security",
)


def situation(households: list[dict], year: int) -> dict:
    """One PolicyEngine situation holding every household (one tax unit each)."""
    y = str(year)
    people, tax_units, families, spm_units, marital_units, hh = {}, {}, {}, {}, {}, {}
    for h, house in enumerate(households):
        members = []
        for i, age in enumerate(house["ages"]):
            pid = f"h{h}p{i}"
            members.append(pid)
            people[pid] = {
                "age": {y: age},
                "employment_income": {y: house["wages"][i]},
                "taxable_ira_distributions": {y: house["retirement_distributions"][i]},
                # private pensions (the planner does not model government pension exemptions)
                "taxable_private_pension_income": {y: house["pensions"][i]},
                "social_security_retirement": {y: house["social_security"][i]},
                # household-level investment income goes to the first filer
                "taxable_interest_income": {y: house["interest"] if i == 0 else 0.0},
                "qualified_dividend_income": {y: house["dividends"] if i == 0 else 0.0},
                "long_term_capital_gains": {y: house["capital_gains"] if i == 0 else 0.0},
                "miscellaneous_income": {y: house["other_income"] if i == 0 else 0.0},
            }
        tax_units[f"t{h}"] = {"members": members}
        families[f"f{h}"] = {"members": members}
        spm_units[f"s{h}"] = {"members": members}
        if house["filing_status"] == "mfj":
            marital_units[f"m{h}"] = {"members": members}
        else:
            marital_units[f"m{h}"] = {"members": members[:1]}
        hh[f"hh{h}"] = {"members": members, "state_code": {y: house["state"]}}
    return {
        "people": people,
        "tax_units": tax_units,
        "families": families,
        "spm_units": spm_units,
        "marital_units": marital_units,
        "households": hh,
    }


def record(state: str, years: list[int], n: int, seed: int, out_dir: Path) -> Path:
    from policyengine_us import Simulation

    result = {
        "policyengine_us": metadata.version("policyengine-us"),
        "state": state,
        "seed": seed,
        "n": n,
        "years": years,
        "compared": "state_income_tax_before_refundable_credits",
        "households": {},
    }
    for year in years:
        households = generate(state, year, n, seed)
        sim = Simulation(situation=situation(households, year))
        outputs = {}
        for var in COMMON + INTERMEDIATE.get(state, ()):
            try:
                outputs[var] = [round(float(v), 4) for v in sim.calculate(var, year)]
            except Exception as exc:  # a variable missing in this PE version
                print(f"{state} {year}: {var} unavailable ({exc})", file=sys.stderr)
        filing = [str(v) for v in sim.calculate("filing_status", year)]
        rows = []
        for i, house in enumerate(households):
            row = {"inputs": house, "policyengine": {k: v[i] for k, v in outputs.items()}}
            row["policyengine"]["filing_status"] = filing[i]
            rows.append(row)
        result["households"][str(year)] = rows
        print(f"{state} {year}: {len(rows)} households", file=sys.stderr)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{state}.json"
    path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--states", nargs="+", required=True)
    parser.add_argument("--years", nargs="+", type=int, default=[2024, 2025, 2026])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "policyengine")
    args = parser.parse_args()
    for state in args.states:
        print(record(state.upper(), args.years, args.n, args.seed, args.out))


if __name__ == "__main__":
    main()
