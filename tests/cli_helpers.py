"""Running the real CLI entry point in-process, for tests that call it many times."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

from planner import cli


def run_cli(*args: str | Path) -> tuple[int, str, str]:
    """Run `planner.cli.main` in-process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["planner", *map(str, args)]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()
