"""The feedback page: the trainee's answer beside the correct one, plain sentences, no source tags."""

from __future__ import annotations

from sim.training.forms import form_fields
from sim.ui.feedback import answer_key_html, referral_html


def test_the_trainees_answer_is_shown_beside_the_correct_one_where_it_differs(library):
    forms = {"D1": form_fields(library, "D1", "A"), "D4": form_fields(library, "D4", "A")}
    key = {"D1": {"receive": "receive"}, "D4": {"agencies": ["district_labour_office"], "timing": "immediately"}}
    given = {
        "D1": {"receive": "send_to_district"},
        "D4": {"agencies": ["district_labour_office"], "timing": "immediately"},
    }
    page = answer_key_html(key, forms, "vi", given)
    d1, d4 = page.split("<li>")[1:3]
    labels = dict(form_fields(library, "D1", "A")[0].options)
    assert f"bạn chọn: {labels['send_to_district'].vi}" in d1
    assert "bạn chọn" not in d4  # same answer: nothing beside it
    assert "chưa trả lời" in answer_key_html(key, forms, "vi", {"D1": given["D1"]}).split("<li>")[2]
    assert "you chose" in answer_key_html(key, forms, "en", given)


def test_the_referral_plan_is_listed_in_words_service_by_service():
    names = {
        "commune_pc": "UBND xã",
        "commune_health_station": "Trạm y tế xã",
        "district_labour_office": "Phòng LĐTBXH huyện",
        "medical": "hỗ trợ y tế",
        "travel": "chi phí đi lại",
    }
    referral = {
        "services": {
            "travel": {"reached": True, "path": ["commune_pc", "district_labour_office"], "correct_path": None},
            "medical": {"reached": False, "path": None, "correct_path": ["commune_pc", "commune_health_station"]},
        }
    }
    page = referral_html(referral, lambda kind, key: names[key], "vi")
    travel, medical = page.split("<li>")[1:3]
    assert "chi phí đi lại" in travel and "✓ đã chuyển tới" in travel
    assert "Đường của bạn: UBND xã → Phòng LĐTBXH huyện" in travel
    assert "Đường đúng: UBND xã → Trạm y tế xã" in medical and "Đường của bạn: chưa chuyển tới" in medical
    assert referral_html({}, lambda kind, key: key, "en") == ""


# Words that give away the other language (short ambiguous ones such as "an" are left out).
ENGLISH_WORDS = {"the", "and", "of", "to", "for", "with", "not", "was", "is", "are", "be", "by", "from", "must"}
ENGLISH_WORDS |= {"only", "should", "police", "office", "department"}
VIETNAMESE_WORDS = {
    "xã",
    "huyện",
    "tỉnh",
    "và",
    "của",
    "không",
    "người",
    "cần",
    "phải",
    "được",
    "chưa",
    "đã",
    "với",
    "cho",
}


def _words(page: str) -> list[str]:
    import html
    import re

    return re.findall(r"[\wÀ-ỹ']+", html.unescape(re.sub("<[^>]+>", " ", page)).lower())


def test_feedback_for_every_scenario_keeps_each_language_to_itself(library):
    """Vietnamese feedback has no English words, English feedback no Vietnamese ones, and neither a source tag."""
    import re

    from sim.cases.generator import generate_cases
    from sim.engine.assessment import assess
    from sim.training.answer_key import answer_key
    from sim.training.answers import Submission
    from sim.training.scoring import score
    from sim.ui.feedback import report_html

    for scenario in library.catalog.scenarios().values():
        dps = list(scenario.decision_points)
        for case in generate_cases(scenario, library, 3, seed=9):
            truth = assess(case, library)
            key = answer_key(case, truth).model_dump()
            wrong = key | {
                "D1": {"receive": "send_to_district"},
                "D5": {**key["D5"], "acts": ["harbour"], "means": [], "purposes": []},
                "D6": {**key["D6"], "lawful_documents": ["national_id"]},
                "D10": {"agencies": []},
            }
            for answers in ({}, {dp: wrong[dp] for dp in dps}):
                report = score(Submission(case=case, decision_points=dps, answers=answers), truth, library)
                data = report.to_dict(library)
                vi, en = report_html(data, [], "vi"), report_html(data, [], "en")
                assert not re.search(r"\[[SA]\d+\]", vi + en), scenario.id
                assert not ENGLISH_WORDS & set(_words(vi)), (scenario.id, ENGLISH_WORDS & set(_words(vi)))
                assert not VIETNAMESE_WORDS & set(_words(en)), (scenario.id, VIETNAMESE_WORDS & set(_words(en)))


def test_trainee_feedback_names_a_critical_error_in_words_not_by_its_code(library):
    from sim.engine.assessment import assess
    from sim.training.answers import Submission
    from sim.training.scoring import score
    from sim.ui.feedback import report_html
    from tests.conftest import make_case

    case = make_case()
    refused = Submission(case=case, decision_points=["D1"], answers={"D1": {"receive": "send_to_district"}})
    page = report_html(score(refused, assess(case, library), library).to_dict(library), [], "vi")
    assert library.rulebook.critical_errors["E01"].vi.split('"')[0] in page and "E01" not in page
