"""Files shipped inside the package (law tables, the bundled example, return history).

Read straight from the package directory: `importlib.resources` would cost a cold start some
20 imports (zipfile, tempfile, ...) for no gain, as the package is always installed as files."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parent


def package_file(*parts: str) -> Path:
    """The path of a file or folder shipped in the package: `package_file("law", "2025.toml")`."""
    return ROOT.joinpath(*parts)


def read_package_text(*parts: str) -> str:
    """The UTF-8 text of a file shipped in the package."""
    return ROOT.joinpath(*parts).read_text("utf-8")
