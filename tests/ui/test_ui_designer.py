"""The designer without a browser: problems beside the field, preview, atomic save with version bump,
exercise builder, and a new scenario played by a trainee without a restart."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
import yaml

from sim.app.trainee import Workshop
from sim.app.trainer import TrainerDesk
from sim.ui.designer import ExerciseBuilder, ScenarioDesigner, show
from sim.workshop.stores import open_store
from tests.conftest import ROOT, TRAINER_SECRET, with_folders


@pytest.fixture
def folders(tmp_path):
    scenarios, exercises = tmp_path / "scenarios", tmp_path / "exercises"
    shutil.copytree(ROOT / "scenarios", scenarios)
    shutil.copytree(ROOT / "exercises", exercises)
    return scenarios, exercises


@pytest.fixture
def own_library(library, folders):
    """The packaged law over the trainer's own copies of the scenario and exercise folders."""
    return with_folders(library, scenarios=folders[0], exercises=folders[1])


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "t.sqlite")
    store.ensure_workshop("ws", "WS", None, ["intake-basics"])
    store.set_trainer_secret("ws", TRAINER_SECRET)
    return store


@pytest.fixture
def desk(store, own_library):
    desk = TrainerDesk(store, "ws", library=own_library)
    assert desk.unlock(TRAINER_SECRET)
    return desk


def test_problems_show_beside_the_field_and_saving_is_refused(desk, folders):
    designer = ScenarioDesigner(desk)
    designer.id.value = "thu-nghiem"
    designer.title_vi.value = "Thử nghiệm"
    designer.objectives.value = "Tiếp nhận ngay | Receive at once"
    designer.date.value = date(2016, 5, 1)  # lam-dong-binh-thuan does not exist in 2016
    designer.form_to_yaml()
    assert designer.save() is None
    assert "chỉ áp dụng từ 01/07/2025" in designer.form.errors["region"].value
    assert "Chưa lưu: còn 1 lỗi" in designer.problems.value
    assert not (folders[0] / "thu-nghiem.yaml").exists()


def test_yaml_typos_are_reported_by_line(desk):
    designer = ScenarioDesigner(desk)
    designer.yaml.value = designer.yaml.value.replace("difficulty:", "dificulty:")
    problems = designer.check()
    assert any(p.path == "dificulty" and "did you mean 'difficulty'" in p.hint for p in problems)
    assert "dòng" in designer.problems.value


def test_preview_save_and_version_bump(desk, folders):
    designer = ScenarioDesigner(desk)
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
    assert desk.check_scenario(path.read_text(), "x.yaml")[1] == []


def test_new_exercise_is_playable_without_restart(desk, store, own_library, folders):
    designer = ScenarioDesigner(desk)
    designer.id.value = "moi-tao"
    designer.title_vi.value = "Mới tạo"
    designer.objectives.value = "Mục tiêu | Objective"
    designer.form_to_yaml()
    designer.save()
    workshop = Workshop(store, "ws", exercises=["intake-basics"], library=own_library)
    builder = ExerciseBuilder(desk)
    builder.id.value = "bai-moi"
    builder.title_vi.value = "Bài mới"
    builder.items.children[0].children[0].value = "moi-tao"
    assert builder.save() == folders[1] / "bai-moi.yaml"
    assert workshop.exercise_ids == ["intake-basics", "bai-moi"]
    trainee = workshop.join(full_name="A B", commune="xã Phan Sơn", role="other")
    assert workshop.open_case(trainee, "bai-moi", 0).case.scenario_id == "moi-tao"


def test_the_builder_makes_an_assessment_without_editing_yaml(desk, folders, store, own_library):
    builder = ExerciseBuilder(desk)
    assert builder.mode.value == "practice"  # the default, as in an exercise file without `mode`
    builder.id.value, builder.title_vi.value = "kiem-tra-moi", "Kiểm tra mới"
    builder.mode.value = "assessment"
    assert builder.save() == folders[1] / "kiem-tra-moi.yaml"
    assert yaml.safe_load((folders[1] / "kiem-tra-moi.yaml").read_text(encoding="utf-8"))["mode"] == "assessment"
    assert Workshop(store, "ws", library=own_library).exercise("kiem-tra-moi").mode == "assessment"


def test_the_builder_offers_scenarios_saved_after_it_opened(desk, folders):
    builder = ExerciseBuilder(desk)
    assert "thu-nghiem" not in {v for _, v in builder.items.children[0].children[0].options}
    data = yaml.safe_load((folders[0] / "forced-marriage-2016.yaml").read_text(encoding="utf-8")) | {"id": "thu-nghiem"}
    desk.save_scenario(desk.to_yaml(data))
    builder.refresh_options()
    assert "thu-nghiem" in {v for _, v in builder.items.children[0].children[0].options}


def test_a_broken_file_on_disk_does_not_break_the_workshop(store, own_library, folders):
    (folders[0] / "forced-marriage-2016.yaml").write_text("id: [broken", encoding="utf-8")
    workshop = Workshop(store, "ws2", library=own_library)
    assert "intake-basics" not in workshop.exercise_ids and "verification" in workshop.exercise_ids


def test_the_designer_page_opens_only_with_the_secret(store, own_library):
    gate = show(TrainerDesk(store, "ws", library=own_library))
    secret, button = gate.children[2], gate.children[3]
    secret.value = "wrong"
    button.click()
    assert len(gate.children) == 4 and "Sai mã giảng viên" in gate.children[1].value
    secret.value = TRAINER_SECRET
    button.click()
    tabs = gate.children[1]
    assert len(tabs.children) == 2 and tabs.get_title(0)


def test_the_new_case_facts_can_be_pinned_from_the_form(desk):
    """Issue 8's facts in the designer: a parent suspected (the generator implies family), no story on file,
    declines support."""
    designer = ScenarioDesigner(desk)
    for box in ("parent_suspected", "story_not_on_file", "declines_support"):
        designer.flags[box].value = True
    fixed = designer.form_data()["fixed"]
    assert fixed["parent_suspected"] and "family_suspected" not in fixed  # one place implies it: the generator
    assert fixed["story_on_file"] is False and fixed["asks_for_support"] is False
