"""The parsing boundary: every problem located as file:line:col field, safe YAML only."""

from __future__ import annotations

import pytest

from sim.cases.scenario import Scenario
from sim.errors import DataError, FileMissingError
from sim.parsing import dump_json, format_loc, load, parse_document, read_document, validate


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty (expected a Scenario document)"),
        (b"- a\n- b\n", "expected a mapping of fields (key: value), found a list"),
        ("id: x\n".encode("utf-16"), "not a UTF-8 text file"),
        (b"a: [1, 2\n", "YAML syntax error"),
    ],
)
def test_bad_files_give_one_clear_located_message(tmp_path, content, message):
    path = tmp_path / "s.yaml"
    path.write_bytes(content)
    with pytest.raises(DataError) as exc:
        load(Scenario, path)
    assert message in str(exc.value) and str(exc.value).startswith(str(path))


def test_missing_file(tmp_path):
    with pytest.raises(FileMissingError, match="no such file"):
        load(Scenario, tmp_path / "nope.yaml")


def test_positions_point_at_the_value():
    doc = parse_document("a:\n  b:\n  - x\n  - y\n", "f.yaml")
    assert doc.position(("a", "b", 1)) == (4, 5)
    assert doc.key_position(("a", "b")) == (2, 3)
    assert format_loc(("persons", 0, "age")) == "persons[0].age"


def test_safe_load_only():
    with pytest.raises(DataError):
        parse_document("!!python/object/apply:os.system ['echo hi']", "evil.yaml")


def test_every_validation_problem_is_reported_at_once(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("schema_version: 1\nid: Bad Id\nversion: '1'\ndificulty: basic\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        validate(Scenario, read_document(path, display_name="s.yaml"))
    formatted = [p.format() for p in exc.value.problems]
    assert "s.yaml:4:1 dificulty: unknown field (did you mean 'difficulty'?)" in formatted
    assert any(f.startswith("s.yaml:2:5 id:") for f in formatted) and len(formatted) > 3


def test_dump_json_is_canonical():
    from sim.law.primitives import Bilingual

    assert dump_json(Bilingual(vi="Tình huống", en="Case")) == '{"en":"Case","vi":"Tình huống"}'
