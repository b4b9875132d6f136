"""Saving what trainers author: atomic writes, a new version only when something changed, readable YAML."""

from __future__ import annotations

import yaml

from sim.workshop.authoring import bump_version, dump, save_atomically


def test_save_is_atomic_and_leaves_no_temporary_file(tmp_path):
    path = save_atomically(tmp_path / "new", "s", "id: s\n")
    assert path == tmp_path / "new" / "s.yaml" and path.read_text(encoding="utf-8") == "id: s\n"
    assert [p.name for p in path.parent.iterdir()] == ["s.yaml"]


def test_version_bumps_only_on_change(tmp_path):
    data = {"id": "s", "version": "1", "title": "A"}
    assert bump_version(tmp_path, "s", data) == data  # a new file keeps its version
    save_atomically(tmp_path, "s", dump(data))
    assert bump_version(tmp_path, "s", data | {"version": "9"})["version"] == "1"  # same content: same version
    assert bump_version(tmp_path, "s", data | {"title": "B"})["version"] == "2"
    save_atomically(tmp_path, "s", dump(data | {"version": "2026a"}))
    assert bump_version(tmp_path, "s", data | {"title": "B"})["version"] == "2026a.1"


def test_dump_keeps_vietnamese_and_key_order():
    text = dump({"id": "x", "title": {"vi": "Tình huống mới", "en": "New"}})
    assert text.startswith("id: x\n") and "Tình huống mới" in text and yaml.safe_load(text)["title"]["en"] == "New"
