"""Support cost: money.yaml's amounts on the supports received, each amount with its status in the report."""

from __future__ import annotations

from datetime import date

import pytest

from sim.province.arrivals import draw_arrivals
from sim.province.calendar import packaged_calendar
from sim.province.costs import costing, money_used, support_costs
from sim.province.model import Outcome, prepare, simulate
from sim.province.parameters import check_parameters, read_parameters
from sim.province.study import Study, run_study


@pytest.fixture(scope="module")
def params():
    return read_parameters()


def _person(regime: str, *received: str) -> Outcome:
    return Outcome(
        0, date(2026, 1, 5), 4.4, regime, "forced_marriage", "x", True, (), received=dict.fromkeys(received, 9.0)
    )


def test_costs_are_the_amounts_of_the_supports_received(library, params):
    rates = costing(library, params)
    people = [
        _person("A", "travel", "hardship_allowance", "medical"),  # 2 days × 70,000 + the draft floor 1,000,000
        _person("A", "travel"),
        _person("B", "travel", "hardship_allowance"),  # no confirmed amount under Decree 162: not costed
        _person("A"),
    ]
    assert support_costs(people, rates) == {
        "total_vnd": 2 * 140_000 + 1_000_000,
        "confirmed_vnd": 2 * 140_000,  # only the road-food floor is confirmed; the hardship floor is a draft
        "by_support": {"hardship_allowance": 1_000_000, "travel": 2 * 140_000},
        "not_costed": {"hardship_allowance": 1, "travel": 1},
    }


def test_the_report_lists_each_amount_with_its_status_and_basis(library, params):
    report = run_study(Study(date(2026, 1, 1), 1, 0, 0.6, 1, 1), library, params, packaged_calendar())
    money = report["money"]
    assert money["chosen"] == "province.yaml assumption"
    assert sorted(money["amounts"]) == ["hardship_draft_floor", "regime_b_amounts", "road_food_national_floor"]
    draft, none, floor = (money["amounts"][k] for k in sorted(money["amounts"]))
    assert (draft["vnd"], draft["status"], draft["unconfirmed"], draft["status_vi"]) == (
        1_000_000,
        "draft",
        True,
        "chưa xác nhận",
    )
    assert (none["vnd"], none["status"], none["status_vi"], none["regime"]) == (
        None,
        "unconfirmed",
        "chưa xác nhận",
        "B",
    )
    assert (floor["vnd"], floor["per"], floor["units"], floor["unconfirmed"], floor["status_vi"]) == (
        70_000,
        "day",
        2,
        False,
        "đã xác nhận",
    )
    assert floor["basis_vi"].startswith("Thông tư số 84/2019/TT-BTC") and "Circular No. 84/2019" in floor["basis_en"]
    assert money_used(library, params) == money["amounts"]


def test_a_year_s_costs_count_every_support_received(library, params):
    start = date(2024, 1, 1)  # Regime A all year: every travel and hardship allowance has an amount
    arrivals = draw_arrivals(library, params, start=start, years=1, returns=40, seed=8)
    run = simulate(
        prepare(arrivals, library),
        library,
        params,
        packaged_calendar(),
        start=start,
        horizon_days=366,
        trained=0.6,
        seed=8,
        units={"commune": 127, "district": 10},
    )
    costs = support_costs(run.outcomes, costing(library, params))
    travelled = sum("travel" in o.received for o in run.outcomes)
    allowed = sum("hardship_allowance" in o.received for o in run.outcomes)
    assert travelled > 0
    assert costs["by_support"] == {"hardship_allowance": 1_000_000 * allowed, "travel": 140_000 * travelled}
    assert costs["not_costed"] == {"hardship_allowance": 0, "travel": 0}


def test_costs_that_do_not_match_money_yaml_are_named(library, params):
    bad = params.costs.model_copy(
        update={
            "amounts": {"A": {"travel": "road_food_national_flor", "hardship_allowance": "road_food_provincial"}},
            "units": {},
        }
    )
    problems = check_parameters(params.model_copy(update={"costs": bad}), library)
    assert [(p.path, p.message) for p in problems] == [
        ("costs.amounts.A.travel", "unknown money amount 'road_food_national_flor'"),
        ("costs.amounts.A.hardship_allowance", "'road_food_provincial' is an amount of travel under regime A"),
    ]
    assert "road_food_national_floor" in problems[0].hint
    no_days = params.costs.model_copy(update={"units": {}})
    [problem] = check_parameters(params.model_copy(update={"costs": no_days}), library)
    assert (
        problem.message
        == "'road_food_national_floor' is paid per day: give costs.units.road_food_national_floor (how many)"
    )
