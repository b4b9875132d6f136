"""Item statistics against values computed by hand."""

from __future__ import annotations

import math

import pytest

from sim.workshop.stats import critical_error_counts, item_statistics, point_biserial, score_histogram


def report(percent, d1, d2):
    return {
        "percent": percent,
        "critical_errors": [],
        "points": [
            {"decision_point": "D1", "points": d1, "max_points": 10},
            {"decision_point": "D2", "points": d2, "max_points": 8},
        ],
    }


REPORTS = [report(90, 10, 8), report(70, 10, 4), report(60, 0, 8), report(40, 0, 0)]


def test_point_biserial_by_hand():
    # totals 90, 70, 60, 40: mean 65, population sd = sqrt((625+25+25+625)/4) = sqrt(325) = 18.0278
    # D1 correct for the first two: M1 = 80, M0 = 50, p = q = 0.5 → r = 30 / 18.0278 * 0.5 = 0.83205
    assert point_biserial([True, True, False, False], [90, 70, 60, 40]) == pytest.approx(30 / math.sqrt(325) * 0.5)
    # D2 correct for 90 and 60: M1 = 75, M0 = 55 → r = 20 / 18.0278 * 0.5 = 0.55470
    assert point_biserial([True, False, True, False], [90, 70, 60, 40]) == pytest.approx(20 / math.sqrt(325) * 0.5)


def test_undefined_cases():
    assert point_biserial([True, True], [50, 60]) is None
    assert point_biserial([True, False], [50, 50]) is None
    assert point_biserial([True], [50]) is None


def test_item_statistics_by_hand():
    d1, d2 = item_statistics(REPORTS)
    assert (d1.item, d1.n, d1.difficulty, d1.mean_fraction) == ("D1", 4, 0.5, 0.5)
    assert d1.discrimination == pytest.approx(0.83205, abs=1e-5)
    assert d2.difficulty == 0.5 and d2.mean_fraction == pytest.approx((1 + 0.5 + 1 + 0) / 4)
    assert d2.discrimination == pytest.approx(0.55470, abs=1e-5)


def test_items_sort_numerically_and_process_last():
    rows = [
        {
            "percent": 50,
            "critical_errors": [],
            "points": [{"decision_point": d, "points": 1, "max_points": 1} for d in ("process", "D10", "D2")],
        }
    ]
    assert [s.item for s in item_statistics(rows)] == ["D2", "D10", "process"]


def test_histogram_and_error_counts():
    assert score_histogram([5, 15, 99.9, 100], width=10)[0] == ("0–9", 1)
    assert score_histogram([5, 15, 99.9, 100], width=10)[-1] == ("90–100", 2)
    assert critical_error_counts([{"critical_errors": [{"rule": "E10"}, {"rule": "E02"}]}]) == [("E02", 1), ("E10", 1)]
