"""The session façade: join, resume, autosave, clock, validation of untrusted input, submit."""
from __future__ import annotations

import pytest

from sim.app.trainee import CaseSession, InputError, Workshop, derive_seed
from sim.workshop.sqlite_store import Store
from tests.conftest import play_perfectly


@pytest.fixture
def workshop(tmp_path):
    return Workshop(Store(tmp_path / "t.sqlite"), "w1", title="Tập huấn", code="ABC123", exercises=["intake-basics", "verification"])


def join(workshop):
    return workshop.join(full_name="  Trần  Thị Lan ", commune="xã Phan Sơn", role="commune_pc", workshop_code="abc123")


def test_join_needs_the_workshop_code_and_gives_a_resume_code(workshop):
    with pytest.raises(InputError) as exc:
        workshop.join(full_name="A", commune="B", role="commune_pc", workshop_code="nope")
    assert exc.value.key == "wrong_workshop_code"
    trainee = join(workshop)
    assert trainee.full_name == "Trần Thị Lan" and len(trainee.resume_code) == 6
    assert workshop.resume(trainee.resume_code.lower()) == trainee
    assert workshop.resume_by_name("trần thị lan", "ABC123") == trainee


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


@pytest.mark.parametrize("dp, payload", [
    ("D11", {}), ("D1", {"receive": "maybe"}), ("D1", "receive"), ("D4", {"agencies": ["fbi"]}),
    ("D3", {"provide": ["caviar"]}), ("D10", {"agencies": ["district_labour_office"]}),  # not in the Regime B graph
])
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
    assert workshop.progress(trainee, "intake-basics")[0] == {"position": 0, "scenario_id": "forced-marriage-2016", "started": True,
                                                               "submitted": True, "percent": 100.0}
    assert session.answer_key()["D1"] == {"receive": "receive"}


def test_attempt_records_versions_for_replay(workshop):
    session = workshop.open_case(join(workshop), "verification", 0)
    attempt = session.attempt
    assert attempt.scenario_version == "1" and attempt.rulebook_version.startswith("regime-a@") and attempt.seed > 0
    assert CaseSession(session.store, attempt).case == session.case


def test_exercise_result_counts_unsubmitted_cases_as_zero(workshop):
    trainee = join(workshop)
    session = workshop.open_case(trainee, "intake-basics", 0)
    play_perfectly(session)
    session.submit()
    assert workshop.result(trainee, "intake-basics") == (33.3, False)  # 100 + 0 + 0 over 3 cases; pass mark 70
