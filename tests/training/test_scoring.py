"""Scoring: the answer key scores full marks; each critical error is detected, cited and caps the score."""

from __future__ import annotations

import pytest

from sim.cases.generator import generate_case
from sim.engine.assessment import assess
from sim.law.decision_points import DECISION_POINTS
from sim.library import packaged_library
from sim.training.answer_key import answer_key, safe_interview
from sim.training.answers import Action, Submission
from sim.training.scoring import score


@pytest.fixture(scope="module")
def generate(library):
    """``generate(scenario_id, seed)``: a case of a bundled scenario."""
    return lambda scenario_id, seed: generate_case(library.catalog.scenario(scenario_id), library, seed=seed)


def perfect(case, library, **changes):
    truth = assess(case, library)
    answers = answer_key(case, truth).model_dump()
    for dp, patch in changes.pop("answers", {}).items():
        answers[dp] = (answers[dp] or {}) | patch
    actions = changes.pop("actions", None)
    actions = safe_interview(case) if actions is None else actions
    at = changes.pop("answered_at", dict.fromkeys(DECISION_POINTS, 60))
    sub = Submission(
        case=case,
        decision_points=list(DECISION_POINTS),
        answers=answers,
        actions=actions,
        answered_at=at,
        clock_minutes=90,
    )
    return score(sub, truth, library)


@pytest.mark.parametrize("scenario_id", sorted(packaged_library().catalog.scenarios()))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_answer_key_scores_full_marks(library, generate, scenario_id, seed):
    report = perfect(generate(scenario_id, seed), library)
    lost = [(f.decision_point, f.rule) for p in report.points for f in p.findings]
    assert report.percent == pytest.approx(100.0), lost
    assert not report.critical_errors


@pytest.fixture
def case(generate):
    return generate("forced-marriage-2016", 7)


@pytest.fixture
def child_case(generate):
    return generate("child-at-risk-2026", 1)


@pytest.fixture
def family_case(generate):
    return generate("baby-selling-2024", 1)


CASES = {
    "E01": ("case", {"answers": {"D1": {"receive": "come_back_with_papers"}}}),
    "E02": ("case", {"answers": {"D4": {"timing": "after_verification"}}}),
    "E03": ("case", {"answers": {"D3": {"message": "wait_for_verification"}}}),
    "E04": ("case", {"answers": {"D6": {"commune_certificate": True}}}),
    "E05": ("case", {"answers": {"D6": {"verification": "reject_no_papers"}}}),
    "E06": ("case", {"answers": {"D8": {"share": "announce"}}}),
    "E07": ("case", {"actions": "blame_question"}),
    "E08": ("case", {"answers": {"D5": {"conclusion": "treat_as_offender"}}}),
    "E09": ("child_case", {"answers": {"D2": {"statement": "person_writes"}}}),
    "E10": ("child_case", {"answers": {"D9": {"return_home": "alone"}}}),
    "E11": ("child_case", {"answers": {"D9": {"emergency": False}}}),
    "E12": ("family_case_threats", {"answers": {"D7": {"measures": []}}}),
    "E13": ("case", {"answers": {"D7": {"consent": "without_consent"}}}),
    "E14": ("family_case", {"answers": {"D8": {"contact_suspect": True}}}),
    "E15": ("case", {"answers": {"D3": {"message": "only_for_poor"}}}),
    "E17": ("case", {"actions": "ask_fee"}),
    "E18": ("surrogacy", {"answers": {"D5": {"conclusion": "commune_declares_victim"}}}),
    "E19": ("case", {"answers": {"D2": {"record": False}}}),
    "E20": ("case", {"answers": {"D4": {"agencies": ["district_labour_office", "provincial_health_dept"]}}}),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_critical_error_is_detected_cited_and_capping(library, generate, request, code):
    which, changes = CASES[code]
    scenario = {"family_case_threats": "threats-to-relatives-2026", "surrogacy": "surrogacy-not-victim-2025"}.get(which)
    case = generate(scenario, 1) if scenario else request.getfixturevalue(which)
    if changes.get("actions"):
        base = safe_interview(case)
        changes = {"actions": base + [Action(question=changes["actions"], at_minute=base[-1].at_minute + 5)]}
    report = perfect(case, library, **changes)
    codes = [f.rule for f in report.critical_errors]
    assert code in codes
    finding = next(f for f in report.critical_errors if f.rule == code)
    assert finding.basis and finding.message[0] and finding.message[1]
    if library.rulebook.critical_errors[code].caps_score:
        assert report.capped and report.percent <= library.rubric.critical_cap_percent + 1e-9
    assert report.percent < 100


def test_e16_is_not_scored_at_intake(library, generate):
    """Support applications come months later at the home commune: E16 is taught, not scored, in intake cases."""
    assert "E16" not in {f.rule for f in perfect(generate("mother-with-children-2025", 1), library).critical_errors}


def test_missing_a_real_victim_costs_more_than_a_false_alarm(library, generate):
    victim = perfect(generate("scam-compound-2025", 1), library, answers={"D5": {"conclusion": "no_clear_signs_refer"}})
    migrant = perfect(
        generate("irregular-migrant-2017", 1), library, answers={"D5": {"conclusion": "possible_victim_refer"}}
    )
    assert 100 - victim.percent > 100 - migrant.percent > 0


def test_late_notification_on_the_simulated_clock(library, case):
    late = perfect(case, library, answered_at=dict.fromkeys(DECISION_POINTS, 60) | {"D4": 500})
    assert "E02" in [f.rule for f in late.critical_errors]
    assert late.timeline[0].met is False and late.timeline[0].due_minute == library.rubric.immediately_minutes


def test_unsafe_interview_loses_process_points_even_with_right_answers(library, case):
    report = perfect(case, library, actions=[Action(question="ask_journey", at_minute=0)])
    process = next(p for p in report.points if p.decision_point == "process")
    assert process.points < process.max_points
    assert {f.rule for f in process.findings} == {"process.care_first", "process.key_questions"}


def test_every_lost_point_names_a_rule_and_its_basis(library, case):
    report = perfect(
        case,
        library,
        answers={"D3": {"provide": []}, "D6": {"lawful_documents": ["national_id"]}, "D10": {"agencies": []}},
    )
    findings = [f for p in report.points for f in p.findings]
    assert findings and all(f.rule and f.basis and f.lost > 0 for f in findings)
    doc = report.to_dict(library)
    assert any("Điều" in c["vi"] and c["article"] for p in doc["points"] for f in p["findings"] for c in f["basis"])


def test_unanswered_points_score_zero_and_d9_only_counts_with_a_child(library, generate, case):
    truth = assess(case, library)
    report = score(Submission(case=case, decision_points=list(DECISION_POINTS)), truth, library)
    assert report.total == 0 or all(p.points == 0 for p in report.points if p.decision_point != "process")
    adult = generate("fishing-boat-rescue-2018", 1)
    assert "D9" not in [p.decision_point for p in perfect(adult, library).points]


def test_scenario_rubric_weights_override_defaults(library, case):
    truth = assess(case, library)
    sub = Submission(case=case, decision_points=["D1"], answers={"D1": {"receive": "receive"}}, rubric={"D1": 50})
    assert score(sub, truth, library).points[0].max_points == 50


def test_scoring_is_deterministic(library, case):
    a = perfect(case, library, answers={"D3": {"provide": ["food"]}}).to_dict(library)
    b = perfect(case, library, answers={"D3": {"provide": ["food"]}}).to_dict(library)
    assert a == b


def test_critical_errors_cite_only_the_law_in_force_on_the_date(library, case):
    report = perfect(case, library, answers={"D4": {"timing": "next_week"}})
    e02 = next(f for f in report.critical_errors if f.rule == "E02")
    assert [c.text for c in e02.basis] == ["law-2011"]


def test_a_capped_report_says_so_in_both_languages(library, case):
    doc = perfect(case, library, answers={"D1": {"receive": "come_back_with_papers"}}).to_dict(library)
    assert doc["capped"] and "40%" in doc["cap_vi"] and "capped at 40%" in doc["cap_en"]
    from sim.ui.feedback import report_html

    assert "giới hạn ở 40%" in report_html(doc, [], "vi")
