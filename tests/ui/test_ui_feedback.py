"""The feedback page: the trainee's answer beside the correct one, plain sentences, no source tags."""

from __future__ import annotations

from sim.training.forms import form_fields
from sim.ui.feedback import answer_key_html


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
