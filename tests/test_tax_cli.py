"""`planner tax` and `planner rules` as a user runs them (in-process, through `main`)."""

from __future__ import annotations

import json
import sys

import pytest

from planner.cli import main

KEYS = ["agi", "taxable_social_security", "deduction", "taxable_income", "ordinary_tax",
        "preferential_tax", "income_tax", "niit", "total_tax", "marginal_rate"]

HOUSEHOLD = ["tax", "--year", "2026", "--status", "mfj", "--age", "67", "--age", "66",
             "--ordinary", "60000", "--social-security", "40000", "--interest", "2000",
             "--qualified-dividends", "5000", "--ltcg", "10000"]


def run(args: list[str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(sys, "argv", ["planner", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_tax_json_hand_checked(monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*HOUSEHOLD, "--format", "json"], monkeypatch, capsys)
    assert code == 0
    doc = json.loads(out)
    assert list(doc) == KEYS
    # Other income 60,000 + 2,000 + 5,000 + 10,000 = 77,000; provisional 20,000 + 77,000 =
    # 97,000; 6,000 + 85% x (97,000 - 44,000) = 51,050 > cap 34,000 -> 34,000. AGI 111,000.
    # Deduction 32,200 + 2 x 1,650 + 2 x 6,000 (MAGI < 150,000) = 47,500; taxable 63,500.
    # Ordinary part 48,500: 2,480 + 12% x 23,700 = 5,324; 15,000 of gains and dividends all
    # under the 98,900 top of the 0% band. NIIT: AGI < 250,000. Next 100 dollars: 12%.
    assert doc == {
        "agi": 111_000.0, "taxable_social_security": 34_000.0, "deduction": 47_500.0,
        "taxable_income": 63_500.0, "ordinary_tax": 5_324.0, "preferential_tax": 0.0,
        "income_tax": 5_324.0, "niit": 0.0, "total_tax": 5_324.0, "marginal_rate": 0.12,
    }


def test_tax_explain_shows_worksheet(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*HOUSEHOLD, "--explain"], monkeypatch, capsys)
    assert code == 0
    for line in ("line 1: Social Security benefits", "line 8: provisional income",
                 "line 9: base amount", "line 19: taxable Social Security",
                 "10% on 24,800.00 (over 0)", "12% on 23,700.00 (over 24,800)"):
        assert line in out, line
    assert "97,000.00" in out and "34,000.00" in out  # provisional income; taxable SS


def test_tax_explain_json_has_worksheet(monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*HOUSEHOLD, "--explain", "--format", "json"], monkeypatch, capsys)
    assert code == 0
    worksheet = dict(json.loads(out)["worksheet"])
    assert worksheet["line 8: provisional income"] == 97_000.0


@pytest.mark.parametrize(("args", "needle"), [
    (["tax", "--year", "2026", "--status", "mfj", "--age", "67"], "--age"),
    (["tax", "--year", "2023", "--age", "67"], "2023"),
    (["rules", "2023"], "2023"),
])
def test_bad_input_exits_2_with_one_line(args: list[str], needle: str,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(args, monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert needle in err and "Traceback" not in err


def test_rules_2026(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules", "2026"], monkeypatch, capsys)
    assert code == 0
    assert "projected" not in out
    # Reference §1.2, §1.3, §2.1, §5.3: 2026 single and joint figures.
    for figure in ("12,400", "24,800", "640,600", "768,700", "16,100", "32,200", "49,450",
                   "98,900", "109,000", "218,000", "202.90", "111,000"):
        assert figure in out, figure


def test_rules_2031_projected(monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules", "2031"], monkeypatch, capsys)
    assert code == 0
    assert "projected from 2026" in out
    assert "32,200" not in out  # the 2026 joint standard deduction has been indexed
