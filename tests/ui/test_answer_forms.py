"""A decision point's form: it saves once every choice it needs is made, and says what is missing until then."""

from __future__ import annotations

from sim.training.forms import form_fields
from sim.ui.answer_forms import AnswerForm
from sim.ui.i18n import t


def test_a_half_given_answer_says_it_is_not_saved_and_names_what_is_missing(library):
    """Ticks alone in D3 were lost on a reload without a word (a fresh-clone trial): the form saves only once its
    radio fields are chosen, so until then it says which."""
    saved = []
    fields = form_fields(library, "D3", "B")
    form = AnswerForm("D3", fields, "vi", lambda dp, values: saved.append((dp, values)))
    checks = next(f for f in fields if f.kind == "checks")
    radios = [f for f in fields if f.kind == "radio"]
    assert radios, "D3 has a choice to make"
    next(iter(form.inputs[checks.name].values())).value = True  # one tick, nothing chosen yet
    assert saved == []
    assert (
        form.status.value.startswith("<p class='trove-unsaved'") and t(radios[0].label_key, "vi") in form.status.value
    )
    for f in radios:
        form.inputs[f.name].value = f.options[0][0]
    assert saved and saved[-1][0] == "D3" and form.status.value == ""


def test_loading_saved_answers_says_nothing(library):
    fields = form_fields(library, "D3", "B")
    form = AnswerForm("D3", fields, "vi", lambda dp, values: None)
    checks = next(f for f in fields if f.kind == "checks")
    form.load({checks.name: [checks.options[0][0]]})
    assert form.status.value == ""
