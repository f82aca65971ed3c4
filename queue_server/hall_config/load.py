"""Read and validate a hall configuration file, reporting every problem with its place."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .schema import HallFile

_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.]+)\s*\]\]")
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.]+)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_]+)\s*=")


class ConfigError(Exception):
    """The file is wrong; `problems` lists every finding as 'FILE:LINE: place: reason'."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Places:
    """Maps a path inside the document, e.g. ('services', 3, 'materials', 1, 'form'), to a line."""

    def __init__(self, text: str) -> None:
        self.blocks: dict[tuple[Any, ...], tuple[int, int]] = {}
        self.lines = text.splitlines()
        counters: Counter[tuple[Any, ...]] = Counter()
        current: tuple[Any, ...] = ()
        starts: list[tuple[tuple[Any, ...], int]] = []
        for no, line in enumerate(self.lines, 1):
            if m := _HEADER.match(line):
                parts = m.group(1).split(".")
                path: tuple[Any, ...] = ()
                for part in parts[:-1]:
                    path = (*path, part, counters[(*path, part)] - 1)
                key = (*path, parts[-1])
                current = (*key, counters[key])
                counters[key] += 1
                starts.append((current, no))
            elif m := _TABLE.match(line):
                current = tuple(m.group(1).split("."))
                starts.append((current, no))
        for i, (path, start) in enumerate(starts):
            end = starts[i + 1][1] - 1 if i + 1 < len(starts) else len(self.lines)
            self.blocks[path] = (start, end)

    def line(self, loc: tuple[Any, ...]) -> int | None:
        for cut in range(len(loc), 0, -1):
            block = self.blocks.get(tuple(loc[:cut]))
            if block is None:
                continue
            rest = loc[cut:]
            if rest and isinstance(rest[0], str):
                for no in range(block[0], block[1] + 1):
                    m = _KEY.match(self.lines[no - 1])
                    if m and m.group(1) == rest[0]:
                        return no
            return block[0]
        return None


def _place(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    out = ""
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            ident = None
            if isinstance(node, list) and part < len(node) and isinstance(node[part], dict):
                ident = node[part].get("code") or node[part].get("key") or node[part].get("service")
            if ident:
                out += f"({ident})"
        else:
            out += f".{part}" if out else str(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return out


def load_hall_file(path: str | Path) -> HallFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read: {exc.strerror}"]) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError([f"{path}: not UTF-8 text: {exc.reason}"]) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from exc
    places = _Places(text)
    try:
        parsed = HallFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            line = places.line(loc)
            where = f"{path}:{line}" if line else str(path)
            got = (
                f" (got {err['input']!r})"
                if err["type"] not in ("missing", "model_type") and not isinstance(err["input"], dict | list)
                else ""
            )
            problems.append(f"{where}: {_place(loc, data) or '(top)'}: {err['msg']}{got}")
        raise ConfigError(problems) from exc
    problems = [
        f"{path}:{places.line(loc) or '?'}: {_place(loc, data)}: {msg}" for loc, msg in cross_check(parsed)
    ]
    if problems:
        raise ConfigError(problems)
    return parsed


def cross_check(cfg: HallFile) -> list[tuple[tuple[Any, ...], str]]:
    """References between sections: unique keys, known zones and items, primary posts."""
    found: list[tuple[tuple[Any, ...], str]] = []

    def dupes(section: str, attr: str, items: list[Any]) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            value = getattr(item, attr)
            if value in seen:
                found.append(((section, i, attr), f"duplicate {attr} {value!r}"))
            seen.add(value)
        return seen

    zones = dupes("zones", "key", cfg.zones)
    services = dupes("services", "code", cfg.services)
    dupes("windows", "code", cfg.windows)
    for i, code in enumerate(cfg.hall.common):
        if code not in services:
            found.append((("hall", "common", i), f"unknown service item {code!r}"))
    for i, sv in enumerate(cfg.services):
        if sv.zone not in zones:
            found.append((("services", i, "zone"), f"unknown zone {sv.zone!r}"))
    primary: set[str] = set()
    for i, w in enumerate(cfg.windows):
        if w.zone not in zones:
            found.append((("windows", i, "zone"), f"unknown zone {w.zone!r}"))
        listed: set[str] = set()
        for j, sk in enumerate(w.skills):
            if sk.service not in services:
                found.append((("windows", i, "skills", j, "service"), f"unknown service item {sk.service!r}"))
            if sk.service in listed:
                found.append(
                    (("windows", i, "skills", j, "service"), f"service item {sk.service!r} listed twice")
                )
            listed.add(sk.service)
            if sk.level == 1:
                primary.add(sk.service)
    for i, sv in enumerate(cfg.services):
        if sv.active and sv.code not in primary:
            found.append((("services", i, "code"), f"no window holds {sv.code!r} at level 1"))
    return found
