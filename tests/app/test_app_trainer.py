"""The trainer's door: nothing before the secret; then results, debrief, overrides, export, designer and explorer;
the dashboard read from each results store (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil

import pytest
import yaml

from sim.app.trainee import InputError, Workshop
from sim.app.trainer import TrainerDesk
from tests.conftest import ROOT, TRAINER_SECRET, with_folders

LOCKED_CALLS = {
    "rows": (),
    "submitted_rows": (),
    "live_status": (),
    "dashboard_charts": ("vi",),
    "choice_spread": ("forced-marriage-2016", "D1", "vi"),
    "replay": ("x", "vi"),
    "report": ("x",),
    "overrides": ("x",),
    "final_percent": ("x",),
    "add_override": ("x", "D1", 5, "why"),
    "export": (".csv",),
    "exercises": (),
    "set_exercises": ([],),
    "broken_files": (),
    "check_scenario": ("id: x", "x.yaml"),
    "check_exercise": ("id: x", "x.yaml"),
    "preview": ("id: x", "vi"),
    "save_scenario": ("id: x",),
    "save_exercise": ("id: x",),
    "scenario_options": (),
    "scenarios": (),
    "explore": ("forced-marriage-2016", 1, "vi"),
    "designer_choices": ("vi",),
}


@pytest.fixture
def results_store(any_store):
    """Every test here runs on both stores (``played`` fills this one)."""
    return any_store


@pytest.fixture
def desk(played, library):
    desk = TrainerDesk(played, "ws", library=library)
    assert desk.unlock(TRAINER_SECRET)
    return desk


@pytest.mark.parametrize("method", sorted(LOCKED_CALLS))
def test_everything_is_refused_before_the_secret(played, library, method):
    desk = TrainerDesk(played, "ws", library=library)
    assert not desk.unlock("wrong") and not desk.unlock(None)
    args = LOCKED_CALLS[method]
    kwargs = {"add_to_workshop": False} if method == "save_exercise" else {}
    with pytest.raises(InputError) as exc:
        getattr(desk, method)(*args, **kwargs)
    assert exc.value.key == "trainer_locked"


def test_rows_live_status_and_charts(desk):
    rows = desk.rows()
    assert sorted(r.full_name for r in rows) == ["Lê Văn Hai", "Mai Thị Ba"] and desk.submitted_rows() == rows
    status = {s.trainee.full_name: s for s in desk.live_status()}
    assert status["Lê Văn Hai"].average_percent == 100.0 and status["Mai Thị Ba"].submitted == 1
    charts, unmatched = desk.dashboard_charts("en")
    assert [title for title, _ in charts][2] == "Most frequent critical errors"
    assert len(charts) == 4 and all(png[:4] == b"\x89PNG" for _, png in charts) and unmatched == []


def test_debrief_spread_labels_and_citations(desk):
    spreads, labels, basis = desk.choice_spread("forced-marriage-2016", "D1", "en")
    receive = next(s for s in spreads if s.field == "receive")
    assert (
        receive.attempts == 2
        and receive.options["receive"].correct_for == 2
        and receive.options["send_to_district"].chosen == 1
    )
    assert labels["receive"]["receive"] and all(isinstance(c, str) and c for c in basis)
    assert desk.field_label("D1", "receive", "vi") == desk.library.messages["f_receive"].vi


def test_replay_names_the_questions(desk):
    attempt_id = next(r.attempt_id for r in desk.rows() if r.full_name == "Mai Thị Ba")
    steps = desk.replay(attempt_id, "vi")
    (first, question), (last, nothing) = steps[0], steps[-1]
    assert first.kind == "action" and first.key == "care_first" and question and question != "care_first"
    assert last.kind == "answer" and nothing == ""


def test_overrides_need_a_comment_and_are_clamped(desk):
    weak = next(r.attempt_id for r in desk.rows() if r.full_name == "Mai Thị Ba")
    with pytest.raises(InputError) as exc:
        desk.add_override(weak, "D1", 6, "   ")
    assert exc.value.key == "override_needs_comment"
    with pytest.raises(InputError) as exc:
        desk.add_override(weak, "D11", 6, "why")
    assert exc.value.key == "unknown_decision_point"
    before = desk.final_percent(weak)
    assert desk.add_override(weak, "D1", 1000, "Đã tự sửa ngay khi được nhắc.") == 10.0  # the decision point's maximum
    assert desk.overrides(weak)[0]["points"] == 10.0 and desk.final_percent(weak) > before
    assert desk.report(weak)["percent"] < desk.final_percent(weak)  # the automatic report is kept as it was


def test_export_writes_a_fresh_file(desk):
    csv_path, xlsx_path = desk.export(".csv"), desk.export(".xlsx")
    assert csv_path.name.startswith("tro-ve-ws-") and csv_path.suffix == ".csv" and xlsx_path.suffix == ".xlsx"
    assert "Lê Văn Hai" in csv_path.read_text(encoding="utf-8-sig")


def test_the_workshop_exercise_list(desk, played, library):
    available, chosen = desk.exercises()
    assert "verification" in available and chosen == ["intake-basics"]
    desk.set_exercises(["verification"])
    assert Workshop(played, "ws", library=library).exercise_ids == ["verification"]
    with pytest.raises(InputError) as exc:
        desk.set_exercises(["verificaton"])
    assert exc.value.key == "unknown_exercise"
    assert desk.broken_files() == []


@pytest.fixture
def designing(played, library, tmp_path):
    scenarios, exercises = tmp_path / "scenarios", tmp_path / "exercises"
    shutil.copytree(ROOT / "scenarios", scenarios)
    shutil.copytree(ROOT / "exercises", exercises)
    lib = with_folders(library, scenarios=scenarios, exercises=exercises)
    desk = TrainerDesk(played, "ws", library=lib)
    desk.unlock(TRAINER_SECRET)
    return desk, scenarios, exercises


def test_check_preview_and_save_a_scenario(designing):
    desk, scenarios, _ = designing
    data = yaml.safe_load((ROOT / "scenarios" / "forced-marriage-2016.yaml").read_text(encoding="utf-8")) | {
        "id": "thu-nghiem"
    }
    text = desk.to_yaml(data)
    assert desk.check_scenario(text, "t.yaml")[1] == []
    variants, problems = desk.preview(text, "vi")
    assert problems == [] and [v.seed for v in variants] == [1, 2, 3]
    assert (
        variants[0].case.scenario_id == "thu-nghiem"
        and variants[0].truth["regime"] == "A"
        and variants[0].graph_png[:4] == b"\x89PNG"
    )
    path, problems = desk.save_scenario(text)
    assert path == scenarios / "thu-nghiem.yaml" and problems == [] and "thu-nghiem" in desk.scenario_options()
    assert (
        desk.save_scenario(text)[0] == path
        and yaml.safe_load(path.read_text(encoding="utf-8"))["version"] == data["version"]
    )
    changed = desk.to_yaml(data | {"title": {"vi": "Khác", "en": "Other"}})
    assert yaml.safe_load(desk.save_scenario(changed)[0].read_text(encoding="utf-8"))["version"] == str(
        int(data["version"]) + 1
    )
    broken = text.replace("difficulty:", "dificulty:")
    assert desk.save_scenario(broken)[0] is None and desk.preview(broken, "vi")[0] == []


def test_save_an_exercise_and_offer_it_at_once(designing, played):
    desk, _, exercises = designing
    text = desk.to_yaml(
        {
            "schema_version": 1,
            "id": "bai-moi",
            "version": "1",
            "title": {"vi": "Bài mới", "en": "New"},
            "description": {"vi": "…", "en": "…"},
            "scenarios": [{"scenario": "forced-marriage-2016"}],
            "pass_mark": 70,
        }
    )
    path, problems = desk.save_exercise(text, add_to_workshop=True)
    assert path == exercises / "bai-moi.yaml" and problems == []
    assert played.workshop("ws")["exercises"] == ["intake-basics", "bai-moi"]
    assert desk.save_exercise(text.replace("forced-marriage-2016", "nope-2016"), add_to_workshop=False)[0] is None


def test_explorer_and_designer_choices(desk, library):
    variant = desk.explore("child-at-risk-2026", 1, "en")
    assert (
        variant.case.case_id == "child-at-risk-2026-1"
        and variant.truth["determinations"]["child_duties"]["value"]["applies"]
    )
    with pytest.raises(InputError) as exc:
        desk.explore("nope", 1, "vi")
    assert exc.value.key == "unknown_scenario"
    choices = desk.designer_choices("en")
    assert {pid for _, pid in choices["regions"]} == set(library.regions)
    assert choices["default_region"] == [(library.default_region, library.default_region)]
    assert desk.label("documents", "national_id", "en") == library.rulebook.vocabulary.documents["national_id"].en


def test_the_debrief_cites_each_provision_once_in_order(desk):
    """D4's two determinations (notify, and by when) rest on the same clause: it was shown twice."""
    from sim.workshop.debrief import choice_spread

    _, raw = choice_spread(desk.store, desk.library, "ws", "forced-marriage-2016", "D4")
    rendered = [c.render(desk.library.rulebook.texts, "vi") for c in raw]
    assert len(rendered) > len(set(rendered))  # the duplicate this test is about
    _, _, basis = desk.choice_spread("forced-marriage-2016", "D4", "vi")
    assert basis == list(dict.fromkeys(rendered)) and "khoản 3 Điều 24" in basis[0]
    book = desk.library.rulebook
    assert book.cite(raw, "vi") == "; ".join(basis)
