"""Luật 2011 vs Luật 2024 on the same dates: the chosen regime, its texts, and the same arrivals judged by each."""

from __future__ import annotations

from datetime import date

import pytest

from sim.errors import SimError
from sim.province.arrivals import draw_arrivals
from sim.province.model import prepare
from sim.province.parameters import read_parameters
from sim.province.regimes import library_under

START, END = date(2026, 1, 1), date(2026, 12, 31)


def test_regime_a_on_2026_dates_keeps_its_texts_in_force(library):
    a = library_under(library, "A", START, END)
    assert {a.rules_on(d).regime for d in (START, END)} == {"A"}
    assert a.rulebook.texts["law-2011"].in_force_on(date(2026, 6, 1))
    assert not a.rulebook.texts["law-2024"].in_force_on(date(2026, 6, 1))
    assert library.rules_on(date(2026, 6, 1)).regime == "B"  # the library handed in is unchanged
    assert "district_labour_office" in a.graph_on(date(2026, 6, 1))


def test_regime_b_on_2016_dates(library):
    b = library_under(library, "B", date(2016, 1, 1), date(2016, 12, 31))
    assert b.rules_on(date(2016, 5, 1)).regime == "B"
    assert not b.rulebook.texts["law-2011"].in_force_on(date(2016, 5, 1))


def test_a_study_ending_before_it_starts_is_refused(library):
    with pytest.raises(SimError, match="ends"):
        library_under(library, "A", END, START)


def test_the_same_arrivals_differ_where_the_law_does(library):
    arrivals = draw_arrivals(library, read_parameters(), start=START, years=1, returns=25, seed=4)
    under_a = prepare(arrivals, library_under(library, "A", START, END))
    under_b = prepare(arrivals, library)
    assert [p.arrival.case for p in under_a] == [p.arrival.case for p in under_b]
    for a, b in zip(under_a, under_b):
        assert (a.assessment.regime, b.assessment.regime) == ("A", "B")
        assert a.assessment.value("notification")["agencies"] == ["district_labour_office"]
        assert b.assessment.value("notification")["agencies"] == ["provincial_health_dept"]
        # what the law does not change: the facts, and so whether the signs are there
        assert a.assessment.value("signs_of_trafficking") == b.assessment.value("signs_of_trafficking")
        assert a.assessment.value("protection")["indicated"] == b.assessment.value("protection")["indicated"]
