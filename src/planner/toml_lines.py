"""Line numbers of keys in a TOML document, so errors can point at the line.

`tomllib` keeps no positions, so this reads the text line by line, following table headers
(`[a.b]`, `[[a]]` with their running indices) and `key = value` lines, including the keys of
one-line inline tables. It only has to be right for documents that parse.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")
_MULTILINE = re.compile(r"""=\s*(\"\"\"|\'\'\')""")
_INLINE_KEY = re.compile(r"""[{,]\s*([A-Za-z0-9_-]+|"[^"]*")\s*=""")


def _split_key(dotted: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", dotted)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def _top_level_tables(text: str) -> list[str]:
    """The `{...}` inline tables at the outermost level of `text` (an array's elements)."""
    tables: list[str] = []
    depth, begin, quote = 0, 0, ""
    for i, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char == "{":
            depth += 1
            if depth == 1:
                begin = i
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                tables.append(text[begin:i + 1])
    return tables


def _inline_keys(lines: dict[Path, int], path: Path, table: str, number: int) -> None:
    lines.setdefault(path, number)
    for inner in _INLINE_KEY.finditer(table):
        lines.setdefault(path + (inner.group(1).strip("\"'"),), number)


def key_lines(text: str) -> dict[Path, int]:
    """Map each key path (array-of-table indices 0-based) to its 1-based line number."""
    lines: dict[Path, int] = {}
    counters: dict[Path, int] = {}
    current: Path = ()
    in_string: str | None = None  # the delimiter of an open multi-line string
    array: Path | None = None  # an open multi-line array of inline tables, and its next index
    elements = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if in_string in line:
                in_string = None
            continue
        if array is not None:
            for table in _top_level_tables(line):
                _inline_keys(lines, array + (elements,), table, number)
                elements += 1
            if line.split("#", 1)[0].rstrip().endswith("]"):
                array = None
            continue
        opened = _MULTILINE.search(line)
        if opened and opened.group(1) not in line[opened.end():]:
            in_string = opened.group(1)
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            names = _split_key(header.group(2))
            path: list[str | int] = []
            # Resolve parent array tables to their latest element.
            for name in names[:-1]:
                path.append(name)
                if tuple(path) in counters:
                    path.append(counters[tuple(path)] - 1)
            path.append(names[-1])
            if header.group(1) == "[[":
                key = tuple(path)
                counters[key] = counters.get(key, 0) + 1
                lines.setdefault(key, number)
                path.append(counters[key] - 1)
            current = tuple(path)
            lines.setdefault(current, number)
            continue
        match = _KEY.match(line)
        if not match:
            continue
        key_path = current + tuple(_split_key(match.group(1)))
        lines.setdefault(key_path, number)
        rest = line[match.end():].strip()
        if rest.startswith("{"):
            _inline_keys(lines, key_path, rest, number)
        elif rest.startswith("["):
            tables = _top_level_tables(rest)
            for index, table in enumerate(tables):
                _inline_keys(lines, key_path + (index,), table, number)
            if not rest.split("#", 1)[0].rstrip().endswith("]"):
                array, elements = key_path, len(tables)
    return lines


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of `path`, or of its nearest ancestor that has one."""
    for end in range(len(path), 0, -1):
        found = lines.get(tuple(path[:end]))
        if found is not None:
            return found
    return None
