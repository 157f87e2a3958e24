"""Shared test helpers: run the real CLI entry point in-process, and the bundled scenario files."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
EXAMPLE = ROOT / "scenarios" / "couple-65-63.toml"


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


def exit_code(exc: SystemExit) -> int:
    """The process exit status `sys.exit(exc.code)` would give."""
    if exc.code is None:
        return 0
    return exc.code if isinstance(exc.code, int) else 1


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
            ) -> Callable[..., CliResult]:
    """Run `planner ARGS...` through `planner.cli.main` (sys.argv patched, SystemExit caught)."""

    def run(*args: object) -> CliResult:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["planner", *(str(a) for a in args)])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exit_code(exc)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


@pytest.fixture
def example_text() -> str:
    """The bundled example scenario (a couple, 65 and 63), as text."""
    return EXAMPLE.read_text(encoding="utf-8")
