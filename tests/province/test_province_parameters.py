"""The shipped parameters load and cross-check; a number with no source and no assumption status is refused."""

from __future__ import annotations

import pytest

from sim.errors import DataError
from sim.locations import PACKAGED_DATA
from sim.province.parameters import check_parameters, read_parameters


def test_the_shipped_parameters_load_and_check(library):
    params = read_parameters()
    assert check_parameters(params, library) == []
    for dp in params.officers.trained.by_decision_point:
        assert params.officers.trained.by_decision_point[dp] >= params.officers.untrained.by_decision_point[dp]


def test_every_number_says_where_it_comes_from(tmp_path):
    text = (PACKAGED_DATA / "province.yaml").read_text(encoding="utf-8")
    bad = text.replace(
        "  intake_days: [0.1, 0.5]\n  unconfirmed_verification_deadline_days: 23\n  status: assumption\n",
        "  intake_days: [0.1, 0.5]\n  unconfirmed_verification_deadline_days: 23\n",
    )
    assert bad != text
    path = tmp_path / "province.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_parameters(path)
    assert "give either source: … or status: assumption (exactly one)" in str(err.value.problems[0].format())


def test_an_unknown_agency_is_named_with_a_hint(library):
    params = read_parameters()
    typo = params.model_copy(update={"agencies": {"provincial_polise": params.agencies["provincial_police"]}})
    [problem] = check_parameters(typo, library)
    assert (problem.path, problem.message) == ("agencies.provincial_polise", "unknown agency")
    assert "provincial_police" in problem.hint
