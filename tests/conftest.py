"""Shared fixtures and small builders (``make_case``) for the tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sim.cases.case import Case
from sim.library import Library, packaged_library
from tests.pg_server import ADVICE, PostgresServer, binaries_folder
from tests.store_backends import KINDS, StoreFactory

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
BAD = FIXTURES / "bad"
GOLDEN = TESTS / "golden"

REGIME_A_DAY = date(2016, 9, 12)
REGIME_B_DAY = date(2025, 9, 15)


@pytest.fixture(scope="session")
def library() -> Library:
    """The packaged library (sim/data, bundled scenarios and exercises), shared by every test."""
    return packaged_library()


def with_folders(library: Library, *, scenarios: Path | None = None, exercises: Path | None = None) -> Library:
    """The same law and data with a catalog over other scenario/exercise folders (a trainer's copies)."""
    return library.replace(
        scenario_dir=scenarios or library.scenario_dir, exercise_dir=exercises or library.exercise_dir
    )


def make_case(
    *,
    day: date = REGIME_A_DAY,
    age: int = 24,
    sex: str = "female",
    nationality: str = "vietnamese",
    household: str = "poor",
    can_write: bool = True,
    documents: tuple[str, ...] = (),
    issued: date | None = None,
    acts: tuple[str, ...] | None = ("recruit", "transport", "sell"),
    means: tuple[str, ...] | None = ("deception",),
    purposes: tuple[str, ...] | None = ("forced_marriage",),
    age_at_start: int | None = None,
    destination: str = "Trung Quốc",
    months_away: int = 12,
    threats: tuple[str, ...] = (),
    trafficker_nearby: bool = False,
    family_suspected: bool = False,
    parent_suspected: bool = False,
    child_at_serious_risk: bool = False,
    needs: tuple[str, ...] = ("food", "lodging"),
    wishes_shelter: bool = False,
    has_home: bool = True,
    refuses_protection: bool = False,
    asks_for_support: bool = True,
    children: tuple[int, ...] = (),
    profile: str = "forced_marriage_china",
    entry_route: str = "self_report",
) -> Case:
    """A valid case with sensible defaults; pass only the facts a test is about."""
    region = "binh-thuan" if day < date(2025, 7, 1) else "lam-dong"
    place: dict[str, Any] = {
        "province": "Bình Thuận",
        "district": "huyện Bắc Bình",
        "commune": "xã Phan Sơn",
        "commune_code": "23008",
    }
    person = {
        "id": "p1",
        "role": "primary",
        "full_name": "Nguyễn Thị Hoa",
        "family_name": "Nguyễn",
        "given_name": "Hoa",
        "sex": sex,
        "age": age,
        "nationality": nationality,
        "household": household,
        "can_write": can_write,
        "home": place,
    }
    persons = [person] + [
        {
            "id": f"c{i + 1}",
            "role": "accompanying_child",
            "full_name": "Nguyễn Văn An",
            "family_name": "Nguyễn",
            "given_name": "An",
            "sex": "male",
            "age": a,
            "can_write": False,
            "household": household,
        }
        for i, a in enumerate(children)
    ]
    return Case.model_validate(
        {
            "case_id": "test-case",
            "date": day,
            "region": region,
            "commune": place,
            "entry_route": entry_route,
            "persons": persons,
            "observable": {
                "first_statement": {"vi": "…", "en": "…"},
                "appearance": {"vi": "…", "en": "…"},
                "documents": [{"kind": k, "issued": issued} for k in documents],
            },
            "truth": {
                "profile": profile,
                "acts": None if acts is None else list(acts),
                "means": None if means is None else list(means),
                "purposes": None if purposes is None else list(purposes),
                "age_at_start": age_at_start,
                "destination": destination,
                "months_away": months_away,
                "threats": list(threats),
                "trafficker_nearby": trafficker_nearby,
                "family_suspected": family_suspected,
                "parent_suspected": parent_suspected,
                "child_at_serious_risk": child_at_serious_risk,
                "needs": list(needs),
                "wishes_shelter": wishes_shelter,
                "has_home": has_home,
                "refuses_protection": refuses_protection,
                "asks_for_support": asks_for_support,
                "story": {"vi": "…", "en": "…"},
            },
        }
    )


def play_perfectly(session) -> dict:
    """Ask the safe interview and give the derived key's answer at every decision point; returns the key."""
    from sim.engine.assessment import assess
    from sim.training.answer_key import answer_key, safe_interview

    for action in safe_interview(session.case):
        session.ask(action.question)
    key = answer_key(session.case, assess(session.case, session.library)).model_dump()
    for dp in session.decision_points:
        session.answer(dp, key[dp])
    return key


TRAINER_SECRET = "good-secret"


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the whole run (tests.pg_server); missing binaries fail the tests that need it,
    with what to install."""
    server = PostgresServer(binaries_or_fail())
    server.start()
    yield server
    server.stop()


def binaries_or_fail():
    """PostgreSQL's binaries folder; without one the tests that need a server fail (never skip) with advice."""
    binaries = binaries_folder()
    if binaries is None:
        pytest.fail(ADVICE, pytrace=False)
    return binaries


@pytest.fixture(params=[KINDS[0], pytest.param(KINDS[1], marks=pytest.mark.postgres)])
def store_factory(request, tmp_path):
    """Each kind of results store in turn, at a fresh empty location (``StoreFactory``); the contract tests and
    the export and dashboard tests run on both."""
    if request.param == "sqlite":
        yield StoreFactory("sqlite", tmp_path / "t.sqlite")
        return
    yield StoreFactory("postgres", request.getfixturevalue("postgres_server").new_schema())


@pytest.fixture
def any_store(store_factory):
    """A new empty store of each kind in turn."""
    return store_factory()


@pytest.fixture
def results_store(tmp_path):
    """The store ``played`` fills: SQLite here; a test module overrides it with ``any_store`` to run on both."""
    from sim.workshop.stores import open_store

    return open_store(tmp_path / "t.sqlite")


@pytest.fixture
def played(results_store, library):
    """A workshop "ws" (exercise intake-basics) where Lê Văn Hai played the first case perfectly and Mai Thị Ba
    took the short interview and sent the person to the district at D1; both submitted. Returns the store."""
    from sim.app.trainee import Workshop
    from sim.engine.assessment import assess
    from sim.training.answer_key import answer_key, safe_interview

    store = results_store
    ws = Workshop(store, "ws", exercises=["intake-basics"], library=library)
    store.set_trainer_secret("ws", TRAINER_SECRET)
    for name, perfect in (("Lê Văn Hai", True), ("Mai Thị Ba", False)):
        trainee = ws.join(full_name=name, commune="xã Phan Sơn", role="commune_pc")
        session = ws.open_case(trainee, "intake-basics", 0)
        for action in safe_interview(session.case)[: 8 if perfect else 1]:
            session.ask(action.question)
        key = answer_key(session.case, assess(session.case, session.library)).model_dump()
        for dp in session.decision_points:
            session.answer(dp, key[dp] | {"receive": "send_to_district"} if dp == "D1" and not perfect else key[dp])
        session.submit()
    return store


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``trove`` with ``argv`` in-process: its exit code, stdout and stderr."""
    from sim.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="session")
def saved_submission_data(library) -> dict:
    """A submission as ``trove score`` reads it (JSON data), for tests that spoil or mutate it."""
    from sim.cases.generator import generate_case
    from sim.engine.assessment import assess
    from sim.training.answer_key import answer_key, safe_interview
    from sim.training.answers import Submission

    case = generate_case(library.catalog.scenario("threats-to-relatives-2026"), library, seed=2)
    return Submission(
        case=case,
        decision_points=["D1", "D4", "D7", "D8"],
        answers=answer_key(case, assess(case, library)).model_dump(),
        actions=safe_interview(case),
        answered_at={"D4": 30},
    ).model_dump(mode="json")
