"""Saving what trainers author (scenarios, exercises): YAML text, a version bump on change, atomic writes.

A running workshop reads these folders while trainers save, so a file is written to a temporary name
and renamed: readers see the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml


def save_atomically(folder: Path, file_id: str, text: str) -> Path:
    """Write ``<folder>/<id>.yaml`` via a temporary file and a rename: readers never see half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{file_id}.yaml"
    temporary = folder / f".{file_id}.yaml.tmp"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return path


def bump_version(folder: Path, file_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """A changed file gets a new version, so attempts record which version they played."""
    path = folder / f"{file_id}.yaml"
    if not path.exists():
        return data
    old = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if {k: v for k, v in old.items() if k != "version"} == {k: v for k, v in data.items() if k != "version"}:
        return data | {"version": old.get("version", data.get("version", "1"))}
    try:
        return data | {"version": str(int(str(old.get("version", "0"))) + 1)}
    except ValueError:
        return data | {"version": f"{old.get('version')}.1"}


def dump(data: dict[str, Any]) -> str:
    r"""YAML as trainers read it: Vietnamese letters kept, keys in the order given.

    >>> dump({"id": "x", "title": {"vi": "Tình huống"}})
    'id: x\ntitle:\n  vi: Tình huống\n'
    """
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
