"""The answer forms are data (forms.yaml): every field is an answer field, every option has both labels, none gives the answer away."""

from __future__ import annotations

import pytest

from sim.errors import DataError
from sim.law.decision_points import DECISION_POINTS
from sim.law.referral import ROOT
from sim.training.answers import ANSWER_MODELS
from sim.training.forms import FieldSpec, choices, field_label, form_fields


@pytest.mark.parametrize("regime", ["A", "B"])
@pytest.mark.parametrize("dp", DECISION_POINTS)
def test_every_field_is_an_answer_field_with_labelled_options(library, dp, regime):
    fields = form_fields(library, dp, regime)
    assert fields and {f.name for f in fields} <= set(ANSWER_MODELS[dp].model_fields)
    for f in fields:
        assert f.label_key in library.messages, f.label_key
        assert f.kind in ("check",) or f.options, (dp, f.name)
        for key, label in f.options:
            assert label.vi.strip() and label.en.strip(), (dp, f.name, key)


def test_the_referral_plan_offers_every_agency_of_the_regime_but_the_commune(library):
    for regime in "AB":
        d10 = {f.name: f for f in form_fields(library, "D10", regime)}["agencies"]
        assert [k for k, _ in d10.options] == sorted(set(library.graph(regime).nodes) - {ROOT})


def test_fixed_choices_follow_the_answer_format(library):
    d1 = form_fields(library, "D1", "A")[0]
    assert (
        tuple(k for k, _ in d1.options)
        == choices("D1", "receive")
        == ("receive", "send_to_district", "come_back_with_papers")
    )


def test_fields_are_memoised_per_library(library):
    assert form_fields(library, "D4", "B") is form_fields(library, "D4", "B")
    assert form_fields(library.replace(), "D4", "B") is not form_fields(library, "D4", "B")


def test_field_label_names_the_heading_message(library):
    assert field_label(library, "D1", "receive") == "f_receive"
    assert field_label(library, "D1", "nothing_like_it") == "f_nothing_like_it"
    assert FieldSpec(field="x", kind="check", label="other").label_key == "other"


def test_a_form_naming_no_answer_field_is_refused_by_the_library(library):
    broken = library.forms.model_copy(
        update={
            "decision_points": library.forms.decision_points
            | {"D1": [FieldSpec(field="recieve", kind="radio", options="choices")]}
        }
    )
    with pytest.raises(
        DataError, match=r"forms.yaml decision_points.D1\[0\].field: D1 answers have no field 'recieve'"
    ):
        library.replace(forms=broken)


def test_a_missing_form_is_refused(library):
    broken = library.forms.model_copy(
        update={"decision_points": {k: v for k, v in library.forms.decision_points.items() if k != "D7"}}
    )
    with pytest.raises(DataError, match="no form for D7"):
        library.replace(forms=broken)
