"""The designer without a browser: problems beside the field, preview, atomic save with version bump,
exercise builder, and a new scenario played by a trainee without a restart."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from sim.app.trainee import Workshop
from sim.workshop.sqlite_store import Store
from sim.ui.designer import ExerciseBuilder, ScenarioDesigner, scenario_problems

ROOT = Path(__file__).parent.parent


@pytest.fixture
def folders(tmp_path, monkeypatch):
    scenarios, exercises = tmp_path / "scenarios", tmp_path / "exercises"
    shutil.copytree(ROOT / "scenarios", scenarios)
    shutil.copytree(ROOT / "exercises", exercises)
    monkeypatch.setenv("TROVE_SCENARIO_DIR", str(scenarios))
    monkeypatch.setenv("TROVE_EXERCISE_DIR", str(exercises))
    return scenarios, exercises


def test_problems_show_beside_the_field_and_saving_is_refused(folders):
    designer = ScenarioDesigner(folder=folders[0])
    designer.id.value = "thu-nghiem"
    designer.title_vi.value = "Thử nghiệm"
    designer.objectives.value = "Tiếp nhận ngay | Receive at once"
    designer.date.value = date(2016, 5, 1)  # lam-dong-binh-thuan does not exist in 2016
    designer.form_to_yaml()
    assert designer.save() is None
    assert "covers 2025-07-01" in designer.form.errors["region"].value
    assert "Chưa lưu: còn 1 lỗi" in designer.problems.value
    assert not (folders[0] / "thu-nghiem.yaml").exists()


def test_yaml_typos_are_reported_by_line(folders):
    designer = ScenarioDesigner(folder=folders[0])
    designer.yaml.value = designer.yaml.value.replace("difficulty:", "dificulty:")
    problems = designer.check()
    assert any(p.path == "dificulty" and "did you mean 'difficulty'" in p.hint for p in problems)
    assert "dòng" in designer.problems.value


def test_preview_save_and_version_bump(folders):
    designer = ScenarioDesigner(folder=folders[0])
    designer.id.value = "thu-nghiem"
    designer.title_vi.value = "Thử nghiệm"
    designer.objectives.value = "Tiếp nhận ngay | Receive at once"
    designer.profile.value = "forced_marriage_china"
    designer.form_to_yaml()
    designer.show_preview()
    assert len(designer.preview.children) == 4
    path = designer.save()
    assert path == folders[0] / "thu-nghiem.yaml" and yaml.safe_load(path.read_text())["version"] == "1"
    designer.title_vi.value = "Thử nghiệm (sửa)"
    designer.form_to_yaml()
    assert yaml.safe_load(designer.save().read_text())["version"] == "2"
    assert scenario_problems(path.read_text(), "x.yaml")[1] == []


def test_new_exercise_is_playable_without_restart(folders, tmp_path):
    designer = ScenarioDesigner(folder=folders[0])
    designer.id.value = "moi-tao"
    designer.title_vi.value = "Mới tạo"
    designer.objectives.value = "Mục tiêu | Objective"
    designer.form_to_yaml()
    designer.save()
    store = Store(tmp_path / "t.sqlite")
    workshop = Workshop(store, "ws", exercises=["intake-basics"])
    builder = ExerciseBuilder(store, "ws", folder=folders[1])
    builder.id.value = "bai-moi"
    builder.title_vi.value = "Bài mới"
    builder.items.children[0].children[0].value = "moi-tao"
    assert builder.save() == folders[1] / "bai-moi.yaml"
    assert workshop.exercise_ids == ["intake-basics", "bai-moi"]
    trainee = workshop.join(full_name="A B", commune="xã Phan Sơn", role="other")
    assert workshop.open_case(trainee, "bai-moi", 0).case.scenario_id == "moi-tao"


def test_a_broken_file_on_disk_does_not_break_the_workshop(folders, tmp_path):
    (folders[0] / "forced-marriage-2016.yaml").write_text("id: [broken", encoding="utf-8")
    workshop = Workshop(Store(tmp_path / "t.sqlite"), "ws")
    assert "intake-basics" not in workshop.exercise_ids and "verification" in workshop.exercise_ids
