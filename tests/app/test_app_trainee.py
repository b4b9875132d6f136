"""The session façade: join, resume, autosave, clock, validation of untrusted input, submit."""

from __future__ import annotations

import pytest

from sim.app.trainee import CaseSession, InputError, Workshop, derive_seed, exercise_positions
from sim.workshop.stores import open_store
from tests.conftest import play_perfectly


@pytest.fixture
def workshop(tmp_path, library):
    return Workshop(
        open_store(tmp_path / "t.sqlite"),
        "w1",
        title="Tập huấn",
        code="ABC123",
        exercises=["intake-basics", "verification"],
        library=library,
    )


def join(workshop):
    return workshop.join(full_name="  Trần  Thị Lan ", commune="xã Phan Sơn", role="commune_pc", workshop_code="abc123")


def test_join_needs_the_workshop_code_and_gives_a_resume_code(workshop):
    with pytest.raises(InputError) as exc:
        workshop.join(full_name="A", commune="B", role="commune_pc", workshop_code="nope")
    assert exc.value.key == "wrong_workshop_code"
    trainee = join(workshop)
    assert trainee.full_name == "Trần Thị Lan" and len(trainee.resume_code) == 6
    assert workshop.resume(trainee.resume_code.lower()) == trainee


def test_knowing_a_name_hands_over_no_one_s_work(workshop):
    """Issue 9 item 5: a name and the workshop code are not enough to resume; only the resume code is."""
    assert not hasattr(workshop, "resume_by_name")
    join(workshop)
    with pytest.raises(InputError) as exc:
        workshop.resume("Trần Thị Lan")
    assert exc.value.key == "unknown_resume_code"


def test_resume_code_guesses_are_limited_per_page_and_per_client_address(workshop):
    from sim.app.guesses import ADDRESS_LIMIT, PAGE_LIMIT
    from sim.app.trainee import Workshop

    trainee = join(workshop)
    for _ in range(PAGE_LIMIT):
        with pytest.raises(InputError):
            workshop.resume("WRONG1", "10.0.0.9")
    with pytest.raises(InputError) as exc:  # even the right code is refused while the page is locked
        workshop.resume(trainee.resume_code, "10.0.0.9")
    assert exc.value.key == "too_many_guesses"
    # New pages from the same address share its count: past the address limit they are refused too.
    pages = [Workshop(workshop.store, workshop.id, code=workshop.code) for _ in range(ADDRESS_LIMIT // PAGE_LIMIT)]
    for page in pages[:-1]:
        for _ in range(PAGE_LIMIT):
            with pytest.raises(InputError):
                page.resume("WRONG1", "10.0.0.9")
    with pytest.raises(InputError) as exc:
        pages[-1].resume(trainee.resume_code, "10.0.0.9")
    assert exc.value.key == "too_many_guesses"
    assert pages[-1].resume(trainee.resume_code, "10.0.0.10") == trainee  # another phone is not affected


def test_the_trainer_can_give_a_trainee_a_new_resume_code(workshop):
    from sim.app.trainer import TrainerDesk

    trainee = join(workshop)
    desk = TrainerDesk(workshop.store, workshop.id, library=workshop.library)
    workshop.store.set_trainer_secret(workshop.id, "s3cret")
    assert desk.unlock("s3cret")
    assert desk.find_trainees("TRẦN THỊ LAN") == [trainee]
    renewed = desk.reissue_code(trainee.id)
    assert workshop.resume(renewed.resume_code) == renewed
    with pytest.raises(InputError):
        workshop.resume(trainee.resume_code)


@pytest.mark.parametrize("bad", [{"full_name": ""}, {"full_name": "x" * 500}, {"role": "hacker"}, {"commune": 3}])
def test_join_validates_every_field(workshop, bad):
    fields = {"full_name": "A", "commune": "B", "role": "commune_pc", "workshop_code": "ABC123"} | bad
    with pytest.raises(InputError):
        workshop.join(**fields)


def test_each_trainee_gets_their_own_stable_variant(workshop):
    a, b = join(workshop), join(workshop)
    case_a = workshop.open_case(a, "intake-basics", 0).case
    assert workshop.open_case(a, "intake-basics", 0).case == case_a
    assert workshop.open_case(b, "intake-basics", 0).case != case_a
    assert derive_seed(a.id, "intake-basics", 0) == derive_seed(a.id, "intake-basics", 0)


def test_answers_and_actions_survive_a_new_session_object(workshop):
    trainee = join(workshop)
    session = workshop.open_case(trainee, "intake-basics", 0)
    session.ask("care_first")
    session.ask("ask_journey")
    session.answer("D1", {"receive": "receive"})
    session.answer("D1", {"receive": "send_to_district"})  # changed mind: the latest answer counts
    again = workshop.open_case(workshop.resume(trainee.resume_code), "intake-basics", 0)
    assert [r.question.id for r in again.asked] == ["care_first", "ask_journey"]
    assert again.answers["D1"] == {"receive": "send_to_district"}
    assert again.clock == 20


@pytest.mark.parametrize(
    "dp, payload",
    [
        ("D11", {}),
        ("D1", {"receive": "maybe"}),
        ("D1", "receive"),
        ("D4", {"agencies": ["fbi"]}),
        ("D3", {"provide": ["caviar"]}),
        ("D10", {"agencies": ["district_labour_office"]}),  # not in the Regime B graph
    ],
)
def test_untrusted_answers_are_refused(workshop, dp, payload):
    session = workshop.open_case(join(workshop), "intake-basics", 1)  # scam-compound-2025, Regime B
    with pytest.raises(InputError):
        session.answer(dp, payload)
    assert session.answers == {}


def test_unknown_or_repeated_questions_are_refused(workshop):
    session = workshop.open_case(join(workshop), "intake-basics", 0)
    with pytest.raises(InputError):
        session.ask("drop_tables")
    session.ask("care_first")
    with pytest.raises(InputError):
        session.ask("care_first")


def test_the_answer_key_is_refused_before_submission(workshop):
    session = workshop.open_case(join(workshop), "intake-basics", 0)
    with pytest.raises(InputError) as exc:
        session.answer_key()
    assert exc.value.key == "not_submitted"


def test_submit_scores_stores_and_freezes(workshop):
    trainee = join(workshop)
    session = workshop.open_case(trainee, "intake-basics", 0)
    play_perfectly(session)
    report = session.submit()
    assert report["percent"] == 100.0 and session.submitted
    assert session.submit() == report
    with pytest.raises(Exception):
        session.answer("D1", {"receive": "receive"})
    assert workshop.progress(trainee, "intake-basics")[0] == {
        "position": 0,
        "scenario_id": "forced-marriage-2016",
        "started": True,
        "submitted": True,
        "percent": 100.0,
        "final_percent": 100.0,
        "adjusted": False,
    }
    assert session.answer_key()["D1"] == {"receive": "receive"}


def test_attempt_records_versions_for_replay(workshop):
    session = workshop.open_case(join(workshop), "verification", 0)
    attempt = session.attempt
    assert (
        attempt.scenario_version == session.scenario.version
        and attempt.rulebook_version.startswith("regime-a@")
        and attempt.seed > 0
    )
    assert CaseSession(session.store, session.library, attempt).case == session.case


def test_exercise_result_counts_unsubmitted_cases_as_zero(workshop):
    trainee = join(workshop)
    session = workshop.open_case(trainee, "intake-basics", 0)
    play_perfectly(session)
    session.submit()
    assert workshop.result(trainee, "intake-basics") == (33.3, False)  # 100 + 0 + 0 over 3 cases; pass mark 70


def test_the_packaged_library_is_used_when_none_is_given(tmp_path, library):
    workshop = Workshop(open_store(tmp_path / "t.sqlite"), "w")
    assert workshop.library is library
    assert set(workshop.exercise_ids) == set(library.catalog.exercises())  # none chosen: every exercise


def test_from_environment_reads_the_workshop_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("TROVE_DB", str(tmp_path / "env.sqlite"))
    monkeypatch.setenv("TROVE_WORKSHOP_ID", "env-ws")
    monkeypatch.setenv("TROVE_WORKSHOP_TITLE", "Từ môi trường")
    monkeypatch.setenv("TROVE_WORKSHOP_CODE", "XYZ")
    monkeypatch.setenv("TROVE_WORKSHOP_EXERCISES", "verification")
    workshop = Workshop.from_environment()
    assert (workshop.id, workshop.title, workshop.code, workshop.exercise_ids) == (
        "env-ws",
        "Từ môi trường",
        "XYZ",
        ["verification"],
    )
    assert workshop.store.workshop("env-ws")["exercises"] == ["verification"]


def test_exercises_and_positions(workshop, library):
    assert [e.id for e in workshop.exercises()] == ["intake-basics", "verification"]
    positions = exercise_positions(library.catalog.exercise("intake-basics"))
    assert positions[0] == "forced-marriage-2016" and len(positions) == 3
    with pytest.raises(InputError) as exc:
        workshop.open_case(join(workshop), "protection-referral", 0)  # not offered in this workshop
    assert exc.value.key == "unknown_exercise"
    with pytest.raises(InputError) as exc:
        workshop.open_case(join(workshop), "intake-basics", 3)
    assert exc.value.key == "unknown_case"


def test_commune_options_come_from_the_workshop_region(workshop, library):
    options = workshop.commune_options()
    assert options == sorted(options) and "xã Bắc Bình" in options and len(options) == 45


def test_the_session_offers_forms_and_labels_without_the_answer(workshop, library):
    from sim.training.forms import form_fields

    session = workshop.open_case(join(workshop), "intake-basics", 0)  # forced-marriage-2016: Regime A, an adult
    assert session.regime == "A"
    assert "D9" not in session.active_decision_points and set(session.active_decision_points) <= set(
        session.decision_points
    )
    shown, data = session.form_fields("D4"), form_fields(library, "D4", "A")  # the same options, in the case's order
    assert [(f.name, sorted(f.options, key=lambda o: o[0])) for f in shown] == [
        (f.name, sorted(f.options, key=lambda o: o[0])) for f in data
    ]
    with pytest.raises(InputError):
        session.form_fields("D11")
    assert (
        session.label("agencies", "district_labour_office", "en") == library.agency_label("district_labour_office").en
    )
    assert session.label("documents", "national_id", "vi") == library.rulebook.vocabulary.documents["national_id"].vi


def test_child_duties_are_active_only_with_a_child(tmp_path, library):
    workshop = Workshop(open_store(tmp_path / "t.sqlite"), "w", exercises=["protection-referral"], library=library)
    trainee = workshop.join(full_name="A B", commune="xã Phan Sơn", role="other")
    positions = exercise_positions(library.catalog.exercise("protection-referral"))
    for position, scenario_id in enumerate(positions):
        session = workshop.open_case(trainee, "protection-referral", position)
        has_child = any(p.age < 18 for p in session.case.persons)
        assert ("D9" in session.active_decision_points) == (has_child and "D9" in session.decision_points), scenario_id


def test_pictures_of_the_plan_and_of_the_feedback(workshop):
    session = workshop.open_case(join(workshop), "intake-basics", 0)
    session.answer("D10", {"agencies": ["district_labour_office"]})
    assert session.plan_png("vi")[:4] == b"\x89PNG"
    with pytest.raises(InputError) as exc:
        session.feedback_png("vi")
    assert exc.value.key == "not_submitted"
    play_perfectly(session)
    session.submit()
    assert session.feedback_png("en")[:4] == b"\x89PNG"
