"""Each point lost explains itself with the rule it breaks: its own plain sentence and citations.

A trial found deductions explained by an unrelated sentence (the referral gap by the reintegration
procedure, the care-first action by confidentiality, the separation by the generic child sentence) and
D6 documents and D5 "the commune decides" with none.
"""

from __future__ import annotations

from datetime import date

from sim.engine.assessment import assess
from sim.training.answer_key import answer_key, safe_interview
from sim.training.answers import Action, Submission
from sim.training.scoring import score
from tests.conftest import make_case


def _findings(library, case, changes: dict, actions=None):
    truth = assess(case, library)
    answers = answer_key(case, truth).model_dump()
    for dp, change in changes.items():
        answers[dp] = {**answers[dp], **change}
    submission = Submission(
        case=case,
        decision_points=list(answers),
        answers=answers,
        actions=safe_interview(case) if actions is None else actions,
    )
    report = score(submission, truth, library)
    return {f.rule: f for p in report.points for f in p.findings}, truth, report


def _plain_of(truth, determination: str, rule: str):
    return next(r.plain for r in truth.determinations[determination].rules if r.rule == rule)


def test_handing_a_child_back_to_a_suspected_parent_is_explained_by_the_separation_rule(library):
    case = make_case(day=date(2026, 9, 14), age=14, family_suspected=True, parent_suspected=True)
    found, truth, report = _findings(library, case, {"D9": {"return_home": "escort"}})
    finding = found["child_duties.separation"]
    assert finding.plain == _plain_of(truth, "child_duties", "children.separation")
    assert "E11" in [e.rule for e in report.critical_errors] and report.capped


def test_a_missed_child_duty_is_explained_by_that_duty(library):
    case = make_case(day=date(2026, 9, 14), age=15, child_at_serious_risk=True)
    found, truth, _ = _findings(library, case, {"D9": {"duties": ["officer_writes_statement"]}})
    finding = found["child_duties"]
    rules = {r.rule: r for r in truth.determinations["child_duties"].rules}
    assert finding.plain in {rules[f"children.duties.{d}"].plain for d in ("guardian_present", "hotline_111")}
    assert finding.plain != rules["children"].plain


def test_a_referral_gap_cites_the_entitlement_not_the_reintegration_procedure(library):
    case = make_case(day=date(2026, 3, 1), needs=("food", "legal_aid"))
    found, truth, _ = _findings(library, case, {"D10": {"agencies": [], "none_needed": True}})
    finding = found["referral"]
    reintegration = truth.determinations["referral"].rules[0]
    assert finding.plain != reintegration.plain
    articles = [c.article for c in finding.basis]
    assert {"37.1.đ", "7.6a"} <= set(articles)  # legal aid: its entitlement
    assert "27.2" in articles  # the verification the plan must reach: the verification rule, not an entitlement


def test_wrong_documents_and_the_commune_deciding_status_each_have_their_plain_sentence(library):
    case = make_case(day=date(2026, 3, 1), documents=("passport",))
    found, truth, _ = _findings(
        library,
        case,
        {"D6": {"lawful_documents": ["passport"]}, "D5": {"conclusion": "commune_declares_victim"}},
    )
    book = library.rulebook.for_regime("B").victim_documents
    assert found["victim_documents"].plain == book.plain
    assert found["signs_of_trafficking.conclusion"].plain == book.commune_plain


def test_care_first_is_explained_by_the_victim_centred_principle(library):
    case = make_case(day=date(2026, 3, 1))
    actions = [Action(question="ask_journey", at_minute=1), *safe_interview(case)]
    found, _, _ = _findings(library, case, {}, actions=actions)
    finding = found["process.care_first"]
    assert finding.plain == library.rubric.interview_basis.plain and finding.status == "inferred"
    assert [c.text for c in finding.basis] == ["handbook-2011"]


def test_a_certified_victim_has_no_verification_step_on_the_timeline(library):
    certified = make_case(day=date(2026, 3, 1), documents=("police_victim_certificate",))
    unverified = make_case(day=date(2026, 3, 1))
    labels = {
        name: [e.label[1] for e in _findings(library, case, {})[2].timeline]
        for name, case in (("certified", certified), ("unverified", unverified))
    }
    assert not any("verif" in label.lower() or "check" in label.lower() for label in labels["certified"])
    assert any("verif" in label.lower() or "check" in label.lower() for label in labels["unverified"])


def test_the_critical_error_for_handing_a_child_back_names_that_mistake(library):
    case = make_case(day=date(2026, 9, 14), age=14, family_suspected=True, parent_suspected=True)
    _, _, report = _findings(library, case, {"D9": {"return_home": "escort"}})
    [e11] = [e for e in report.critical_errors if e.rule == "E11"]
    assert "trở lại với người gây nguy hiểm" in e11.message[0] and "không giao trẻ lại" in e11.plain.vi


def test_an_unanswered_point_says_what_it_is_about_and_the_right_plan_is_still_shown(library):
    case = make_case(day=date(2026, 3, 1), needs=("food", "legal_aid"))
    truth = assess(case, library)
    answers = {k: v for k, v in answer_key(case, truth).model_dump().items() if k != "D10"}
    submission = Submission(case=case, decision_points=list(answers) + ["D10"], answers=answers)
    report = score(submission, truth, library)
    [d10] = [p for p in report.points if p.decision_point == "D10"]
    assert d10.points == 0 and d10.findings[0].rule == "not_answered" and d10.findings[0].basis
    assert report.referral["services"] and all(not s["reached"] for s in report.referral["services"].values())


def test_a_certified_victim_with_no_story_is_keyed_as_a_possible_victim(library):
    case = make_case(
        day=date(2024, 5, 1), documents=("police_victim_certificate",), acts=None, means=None, purposes=None
    )
    truth = assess(case, library)
    assert answer_key(case, truth).model_dump()["D5"]["conclusion"] == "possible_victim_refer"
    found, _, _ = _findings(library, case, {"D5": {"conclusion": "possible_victim_refer"}})
    assert "signs_of_trafficking.false_alarm" not in found


def test_a_threat_since_the_return_is_not_a_means_and_the_feedback_says_so(library):
    case = make_case(day=date(2026, 3, 1), means=("deception",), threats=("to_relatives",))
    found, _, _ = _findings(library, case, {"D5": {"means": ["deception", "threat"]}})
    assert "không phải thủ đoạn đã dùng khi mua bán" in found["signs_of_trafficking.means"].message[0]
