"""Comparing two outputs (CSV or JSON, or two folders of them) cell by cell, for CI.

A file becomes one table of labelled rows: CSV rows are labelled by their `year` (or `file`)
cell; a JSON document's `years` list by year, its other lists of objects as `name[key]`, its
objects (like `summary`) as one row each, and its top-level scalars as the row `(top level)`.
Numbers are compared as decimals, so `0.01` apart is exactly `0.01`; everything else exactly.
"""

from __future__ import annotations

import csv
import decimal
import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from planner.errors import PlannerError

SUFFIXES = (".csv", ".json")
KEY_COLUMNS = ("year", "file")
TOP_LEVEL = "(top level)"
MISSING = object()
_CONTEXT = decimal.Context(prec=60, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[])


@dataclass(frozen=True, slots=True)
class Table:
    """A file's rows in order: (label, {column: value}); and every column, in order."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, dict[str, Any]], ...]


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. `what` is file, row, column or cell; `kind` added, removed or changed."""

    kind: str
    what: str
    file: str
    row: str = ""
    column: str = ""
    old: str = ""
    new: str = ""
    delta: str = ""


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PlannerError("not UTF-8 text", str(path)) from None
    except OSError as exc:
        raise PlannerError(f"cannot read: {exc.strerror or exc}", str(path)) from None


def _table(name: str, rows: list[tuple[str, dict[str, Any]]], lines: Sequence[int | None]
           ) -> Table:
    seen: dict[str, int | None] = {}
    columns: dict[str, None] = {}
    for (label, cells), line in zip(rows, lines, strict=True):
        if label in seen:
            first = f" (first on line {seen[label]})" if seen[label] else ""
            raise PlannerError(f"duplicate row {label!r}{first}", name, line)
        seen[label] = line
        columns.update(dict.fromkeys(cells))
    return Table(tuple(columns), tuple(rows))


def parse_csv(text: str, name: str) -> Table:
    """A CSV output: a header row, then rows labelled by their `year` (or `file`) cell."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = [(reader.line_num, row) for row in reader if row]
    except csv.Error as exc:
        raise PlannerError(f"not valid CSV: {exc}", name, reader.line_num) from None
    if not records:
        raise PlannerError("empty file: no header row", name, 1)
    header = records[0][1]
    for i, col in enumerate(header):
        if col in header[:i]:
            raise PlannerError("duplicate column", name, records[0][0], col or "(blank)")
    key = next((header.index(k) for k in KEY_COLUMNS if k in header), None)
    rows, lines = [], []
    for number, (line, row) in enumerate(records[1:], start=1):
        if len(row) != len(header):
            raise PlannerError(f"row has {len(row)} cells, the header {len(header)}", name, line)
        label = row[key] if key is not None else f"row {number}"
        rows.append((label, dict(zip(header, row, strict=True))))
        lines.append(line)
    table = _table(name, rows, lines)
    return Table(tuple(header), table.rows)


def _label(value: Any) -> str:
    return str(value) if isinstance(value, str | Decimal) else json.dumps(value, default=str)


def _scalar(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def parse_json(text: str, name: str) -> Table:
    """A JSON output: an object whose lists of objects, objects and scalars become rows."""
    try:
        doc = json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=str)
    except json.JSONDecodeError as exc:
        raise PlannerError(f"not valid JSON: {exc.msg}", name, exc.lineno) from None
    except RecursionError:
        raise PlannerError("not valid JSON: nested too deeply", name) from None
    if not isinstance(doc, dict):
        raise PlannerError("expected a JSON object at the top level", name, 1)
    rows: list[tuple[str, dict[str, Any]]] = []
    top: dict[str, Any] = {}
    for key, value in doc.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, item in enumerate(value, start=1):
                found = next((item[k] for k in KEY_COLUMNS if k in item), None)
                label = _label(found) if found is not None else str(i)
                label = label if key == "years" else f"{key}[{label}]"
                rows.append((label, {k: _scalar(v) for k, v in item.items()}))
        elif isinstance(value, dict):
            rows.append((key, {k: _scalar(v) for k, v in value.items()}))
        else:
            top[key] = _scalar(value)
    if top:
        rows.insert(0, (TOP_LEVEL, top))
    return _table(name, rows, [None] * len(rows))


def read_table(path: Path) -> Table:
    """Read one output file, by its extension. Raises `PlannerError` if it cannot."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise PlannerError("not a .csv or .json output", str(path))
    text = _read_text(path)
    return parse_csv(text, str(path)) if suffix == ".csv" else parse_json(text, str(path))


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or value is MISSING:
        return None
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except decimal.InvalidOperation:
            return None
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None


def _show(value: Any) -> str:
    if value is MISSING:
        return "(missing)"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def compare_cell(old: Any, new: Any, tolerance: Decimal) -> tuple[bool, str]:
    """(equal, delta): numbers within `tolerance` are equal; others must match exactly."""
    a, b = _number(old), _number(new)
    if a is not None and b is not None:
        delta = _CONTEXT.subtract(b, a)
        return _CONTEXT.compare(_CONTEXT.abs(delta), tolerance) <= 0, f"{delta:+}"
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return _show(old) == _show(new), ""
    return type(old) is type(new) and old == new, ""


def compare_tables(file: str, old: Table, new: Table, tolerance: float) -> list[Change]:
    """Every difference between two tables: columns, rows, then cells in row order."""
    tol = Decimal(repr(tolerance))
    changes = [Change("removed", "column", file, column=c) for c in old.columns
               if c not in new.columns]
    changes += [Change("added", "column", file, column=c) for c in new.columns
                if c not in old.columns]
    new_rows = dict(new.rows)
    old_labels = {label for label, _ in old.rows}
    changes += [Change("removed", "row", file, row=label) for label, _ in old.rows
                if label not in new_rows]
    changes += [Change("added", "row", file, row=label) for label, _ in new.rows
                if label not in old_labels]
    shared = [c for c in old.columns if c in new.columns]
    for label, cells in old.rows:
        if label not in new_rows:
            continue
        other = new_rows[label]
        for column in shared:
            a, b = cells.get(column, MISSING), other.get(column, MISSING)
            if a is MISSING and b is MISSING:
                continue
            equal, delta = compare_cell(a, b, tol)
            if not equal:
                changes.append(Change("changed", "cell", file, label, column, _show(a), _show(b),
                                      delta))
    return changes


def list_outputs(folder: Path) -> list[str]:
    """Relative POSIX paths of the .csv and .json files under `folder` (hidden ones skipped)."""
    found: list[tuple[str, ...]] = []
    for here, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                found.append(Path(here, name).relative_to(folder).parts)
    return ["/".join(parts) for parts in sorted(found)]


def diff_paths(a: Path, b: Path, tolerance: float) -> list[Change]:
    """Differences from `a` (expected) to `b` (actual): two output files or two folders."""
    for path, key in ((a, "A"), (b, "B")):
        if not path.exists():
            raise PlannerError("no such file or folder", str(path), key=key)
    if a.is_dir() != b.is_dir():
        raise PlannerError(f"cannot compare a folder with a file ({a} and {b})", key="A, B")
    if not a.is_dir():
        if a.suffix.lower() != b.suffix.lower():
            raise PlannerError(f"cannot compare {a.suffix or 'no extension'} with "
                               f"{b.suffix or 'no extension'} ({a} and {b})", key="A, B")
        return compare_tables(b.name, read_table(a), read_table(b), tolerance)
    old, new = list_outputs(a), list_outputs(b)
    old_set, new_set = set(old), set(new)
    changes = [Change("removed", "file", rel) for rel in old if rel not in new_set]
    changes += [Change("added", "file", rel) for rel in new if rel not in old_set]
    for rel in old:
        if rel in new_set:
            parts = rel.split("/")
            changes += compare_tables(rel, read_table(a.joinpath(*parts)),
                                      read_table(b.joinpath(*parts)), tolerance)
    return changes


def _aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def render(changes: Sequence[Change], tolerance: float, limit: int = 0) -> str:
    """Plain text for a CI log: structure changes, then up to `limit` changed cells, then a count
    line."""
    if not changes:
        return f"equal within tolerance {tolerance:g}\n"
    lines: list[str] = []
    structure = [c for c in changes if c.what != "cell"]
    if structure:
        lines += _aligned([(f"{c.kind} {c.what}", c.file, c.row or c.column) for c in structure])
    cells = [c for c in changes if c.what == "cell"]
    shown = cells if limit == 0 else cells[:limit]
    if shown:
        lines += _aligned([("file", "row", "column", "old", "new", "delta")]
                          + [(c.file, c.row, c.column, c.old, c.new, c.delta) for c in shown])
    if len(shown) < len(cells):
        lines.append(f"... and {len(cells) - len(shown)} more changed cells (see --limit)")
    counts: dict[str, int] = {}
    for c in changes:
        what = "changed cell" if c.what == "cell" else f"{c.kind} {c.what}"
        counts[what] = counts.get(what, 0) + 1
    parts = [f"{n} {what}{'s' if n != 1 else ''}" for what, n in counts.items()]
    lines.append(f"different: {', '.join(parts)} (tolerance {tolerance:g})")
    return "\n".join(lines) + "\n"
