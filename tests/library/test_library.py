"""The library is what the engines are handed: change it and the answers change, and nothing else does.

The key study: a province asks "what if the Regime A verification deadline were 5 days instead of 20?".
A library with that one rule changed is built by copying; ``assess`` and ``score`` follow it, the
packaged library is untouched, and the two never share a memoised answer.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sim.cases.generator import generate_case
from sim.engine.assessment import assess
from sim.errors import DataError, SimError
from sim.law.decision_points import DECISION_POINTS
from sim.law.primitives import Deadline
from sim.library import Library, packaged_library
from sim.locations import PACKAGED_DATA
from sim.training.answer_key import answer_key, safe_interview
from sim.training.answers import Submission
from sim.training.scoring import score
from tests.conftest import ROOT, make_case


def five_day_library(library: Library) -> Library:
    """The packaged law with every Regime A verifier's deadline set to 5 days."""
    a = library.rulebook.for_regime("A")
    five = [v.model_copy(update={"deadline": Deadline(kind="days", amount=5)}) for v in a.verification.verifiers]
    return library.with_regime(
        a.model_copy(update={"verification": a.verification.model_copy(update={"verifiers": five})})
    )


@pytest.fixture(scope="module")
def lib5(library):
    return five_day_library(library)


@pytest.fixture(scope="module")
def case(library):
    """A Regime A case (2016) with no lawful victim document: verification is needed."""
    case = generate_case(library.catalog.scenario("forced-marriage-2016"), library, seed=7)
    assert library.rules_on(case.date).regime == "A"
    return case


def submission(case, library, **answers) -> Submission:
    key = answer_key(case, assess(case, library)).model_dump() | answers
    return Submission(
        case=case,
        decision_points=list(DECISION_POINTS),
        answers=key,
        actions=safe_interview(case),
        answered_at=dict.fromkeys(DECISION_POINTS, 60),
        clock_minutes=90,
    )


def differences(a, b, where=""):
    """Every path at which two JSON-like values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str) for d in differences(a.get(k), b.get(k), f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{where}[{i}]")]
    return [] if a == b else [where]


# (a) the key test: data drives the engines ----------------------------------------------------------
def test_a_five_day_verification_deadline_changes_the_ground_truth_and_nothing_else(library, lib5, case):
    before, after = assess(case, library), assess(case, lib5)
    assert before.value("verification")["needed"] and after.value("verification")["needed"]
    assert before.value("verification")["deadline"] == Deadline(kind="days", amount=20)  # the packaged law is unchanged
    assert after.value("verification")["deadline"] == Deadline(kind="days", amount=5)
    assert assess(case, library).value("verification")["deadline"].amount == 20  # still, after lib5 was used
    changed = [key for key in before.determinations if before.determinations[key] != after.determinations[key]]
    assert changed == ["verification"]
    assert {k: v for k, v in before.value("verification").items() if k != "deadline"} == {
        k: v for k, v in after.value("verification").items() if k != "deadline"
    }
    assert before.critical_errors_at_risk == after.critical_errors_at_risk and before.rulebook == after.rulebook


def test_a_regime_b_case_does_not_feel_the_regime_a_change(library, lib5):
    case = make_case(day=library.rulebook.for_regime("B").effective_from)
    assert assess(case, library) == assess(case, lib5)


def test_the_scored_timeline_shows_the_five_day_deadline_with_no_other_change(library, lib5, case):
    sub = submission(case, library)
    before = score(sub, assess(case, library), library).to_dict(library)
    after = score(sub, assess(case, lib5), lib5).to_dict(lib5)
    event = next(
        i
        for i, e in enumerate(after["timeline"])
        if "xác minh" in e["vi"].lower() and e["deadline_vi"] == "trong 5 ngày"
    )
    assert after["timeline"][event]["deadline_en"] == "within 5 days"
    assert (before["timeline"][event]["deadline_vi"], before["timeline"][event]["deadline_en"]) == (
        "trong 20 ngày",
        "within 20 days",
    )
    assert differences(before, after) == [f".timeline[{event}].deadline_en", f".timeline[{event}].deadline_vi"]
    assert after["percent"] == before["percent"] == 100.0


def test_with_regime_shows_in_the_rulebook_only_of_the_new_library(library, lib5):
    assert [v.deadline.amount for v in lib5.rulebook.for_regime("A").verification.verifiers] == [5, 5]
    assert [v.deadline.amount for v in library.rulebook.for_regime("A").verification.verifiers] == [20, 20]
    assert lib5.rulebook.for_regime("B") is library.rulebook.for_regime("B")
    assert lib5.agencies is library.agencies and lib5.catalog is not library.catalog and lib5.catalog.library is lib5


# (b) two libraries never share memoised answers ------------------------------------------------------
def test_two_libraries_never_share_memoised_answers(library, lib5, case):
    assess(case, library), assess(case, lib5)
    assert lib5.cache is not library.cache and isinstance(lib5.cache, dict)
    assert lib5.graph("A") is not library.graph("A") and lib5.graph("A") is lib5.graph("A")
    assert sorted(lib5.graph("A").edges(keys=True)) == sorted(library.graph("A").edges(keys=True))
    assert lib5.providers("A", "shelter") == library.providers("A", "shelter")
    atoms = (type(None), bool, int, float, str)  # constants Python itself shares (None, 0.0)
    shared = [
        key
        for key in set(library.cache) & set(lib5.cache)
        if library.cache[key] is lib5.cache[key]
        and not isinstance(library.cache[key], atoms)
        and library.cache[key] not in lib5.rulebook.regimes  # a regime both rulebooks hold is data, not an answer
    ]
    assert shared == []
    assert library.case_generator() is not lib5.case_generator()


def test_a_fresh_copy_starts_with_an_empty_cache(library):
    library.graph("B")
    copy = library.replace()
    assert copy.cache == {} and library.cache and copy.rulebook is library.rulebook


# (c) a broken data folder is refused with every problem located --------------------------------------
@pytest.fixture
def data_copy(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(PACKAGED_DATA, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_copy_of_the_packaged_data_builds_the_same_library(library, data_copy):
    copy = Library.from_folder(data_copy)
    assert copy.version == library.version and copy.default_region == library.default_region
    assert sorted(copy.regions) == sorted(library.regions) and copy.agencies == library.agencies


def test_a_rulebook_naming_an_unknown_agency_is_refused_with_file_and_field(data_copy):
    edit(
        data_copy / "rulebook" / "regime-a.yaml",
        "- agency: district_labour_office\n  deadline: {kind: immediately}",
        "- agency: district_labor_office\n  deadline: {kind: immediately}",
    )
    with pytest.raises(DataError) as exc:
        Library.from_folder(data_copy)
    message = str(exc.value)
    assert "regime-a.yaml:" in message and "notification[0].agency: unknown agency 'district_labor_office'" in message
    assert "did you mean 'district_labour_office'" in message


def test_an_edge_to_an_unknown_agency_is_refused_with_file_and_field(data_copy):
    edit(
        data_copy / "agencies.yaml",
        "{from: commune_pc, to: commune_health_station",
        "{from: commune_pc, to: commune_helth_station",
    )
    with pytest.raises(DataError) as exc:
        Library.from_folder(data_copy)
    problem = exc.value.problems[0]
    assert (
        problem.file.endswith("agencies.yaml")
        and problem.line
        and problem.path.startswith("edges[")
        and problem.path.endswith("].to")
    )
    assert "unknown agency 'commune_helth_station'" in problem.message


def test_cross_file_problems_are_all_reported(library):
    """Ids one file uses that another defines are cross-checked when a library is built or copied."""
    with pytest.raises(DataError) as exc:
        library.replace(default_region="binh-thuan-2016")
    assert [p.format() for p in exc.value.problems] == [
        "regions/packs.yaml default: unknown region 'binh-thuan-2016' (use one of binh-thuan, lam-dong, lam-dong-binh-thuan)"
    ]


def test_replace_refuses_unknown_parts_and_the_cache(library):
    with pytest.raises(SimError, match="no replaceable part rulbook"):
        library.replace(rulbook=library.rulebook)
    with pytest.raises(SimError, match="cache"):
        library.replace(cache={})


# (d) data drives scoring ----------------------------------------------------------------------------
def test_a_rubric_change_changes_the_capped_score(library, case):
    strict = library.replace(rubric=library.rubric.model_copy(update={"critical_cap_percent": 10}))
    sub = submission(case, library, D1={"receive": "come_back_with_papers"})  # E01: refused intake caps the score
    before = score(sub, assess(case, library), library)
    after = score(sub, assess(case, strict), strict)
    assert before.capped and after.capped and [f.rule for f in after.critical_errors] == ["E01"]
    assert before.percent == pytest.approx(library.rubric.critical_cap_percent) and after.percent == pytest.approx(10.0)
    assert "capped at 10%" in after.to_dict(strict)["cap_en"] and "10%" in after.to_dict(strict)["cap_vi"]
    assert library.rubric.critical_cap_percent != 10  # the packaged rubric is unchanged


def test_rubric_weights_come_from_the_library(library, case):
    heavy = library.replace(rubric=library.rubric.model_copy(update={"weights": library.rubric.weights | {"D1": 50.0}}))
    sub = Submission(case=case, decision_points=["D1"], answers={"D1": {"receive": "receive"}})
    assert score(sub, assess(case, heavy), heavy).points[0].max_points == 50.0
    assert score(sub, assess(case, library), library).points[0].max_points == library.rubric.weights["D1"]


# building and locations -----------------------------------------------------------------------------
def test_the_packaged_library_is_built_once_per_process(library):
    assert packaged_library() is packaged_library() is library
    assert library.scenario_dir == ROOT / "scenarios" and library.exercise_dir == ROOT / "exercises"


def test_folders_come_from_the_environment_when_the_library_is_built(tmp_path, monkeypatch):
    scenarios, exercises = tmp_path / "s", tmp_path / "e"
    scenarios.mkdir()
    exercises.mkdir()
    shutil.copy(ROOT / "scenarios" / "forced-marriage-2016.yaml", scenarios)
    monkeypatch.setenv("TROVE_SCENARIO_DIR", str(scenarios))
    monkeypatch.setenv("TROVE_EXERCISE_DIR", str(exercises))
    built = Library.from_folder()
    monkeypatch.delenv("TROVE_SCENARIO_DIR")
    assert built.catalog.scenario_dir == scenarios and list(built.catalog.scenarios()) == ["forced-marriage-2016"]
    assert built.catalog.exercises() == {}
    explicit = Library.from_folder(scenarios=ROOT / "scenarios", exercises=exercises)
    assert len(explicit.catalog.scenarios()) > 1 and explicit.exercise_dir == exercises


def test_the_law_on_a_date(library):
    from datetime import date

    assert library.rules_on(date(2025, 6, 30)).regime == "A" and library.rules_on(date(2025, 7, 1)).regime == "B"
    assert library.graph_on(date(2016, 1, 1)) is library.graph_on(date(2024, 1, 1))  # one graph per era
    assert set(library.graph_on(date(2016, 1, 1))) == set(library.graph("A"))  # all of Regime A's agencies then
    assert "district_police" not in library.graph_on(date(2025, 3, 1))
    assert library.version == library.rulebook.version and "regime-a@" in library.version
    with pytest.raises(SimError, match="unknown regime"):
        library.graph("C")


def test_a_library_pickles_for_a_worker_process_without_its_memos(library):
    import pickle

    from sim.cases.generator import generate_case
    from sim.engine.assessment import assess

    assess(generate_case(library.catalog.scenario("scam-compound-2025"), library, seed=1), library)  # fills memos
    again = pickle.loads(pickle.dumps(library))
    assert library.cache and not again.cache and again.rulebook.version == library.rulebook.version
