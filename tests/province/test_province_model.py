"""The province model: a hand-computed queue, Little's law, no returns no work, the same seed the same report,
and more capacity or more trained officers never worse beyond noise (common random numbers over seeds)."""

from __future__ import annotations

import statistics
from dataclasses import replace
from datetime import date

import pytest
import simpy

from sim.province.arrivals import Arrival, draw_arrivals
from sim.province.calendar import packaged_calendar
from sim.province.model import Agency, prepare, simulate
from sim.province.parameters import read_parameters
from sim.province.results import summarise_run
from sim.province.study import Study, replication, report_json, run_study

START = date(2026, 3, 2)  # a Monday, no holiday in the three weeks after it


@pytest.fixture(scope="module")
def params():
    return read_parameters()


@pytest.fixture(scope="module")
def cal():
    return packaged_calendar()


def test_one_server_fixed_times_waits_equal_the_hand_schedule(cal):
    env = simpy.Environment()
    clock = cal.clock(START)
    police = Agency(env, "provincial_police", 1)
    starts: list[float] = []

    def job(at: float):
        yield env.timeout(at)
        starts.append((yield from police.serve(lambda s: clock.after_working(s, 2.0))))

    for at in (0.0, 0.5, 1.0):
        env.process(job(at))
    env.run()
    # Mon–Tue, Wed–Thu, then Friday and (after the weekend) Monday: ends on day 8 (Tuesday's midnight)
    assert starts == [0.0, 2.0, 4.0] and env.now == 8.0
    police.finish(env.now)
    assert police.wait_total == pytest.approx(0 + 1.5 + 3.0)
    assert police.queue_area == pytest.approx(police.wait_total)  # Little: L_q·T = Σ waits
    assert police.busy_area == pytest.approx(8.0)


def _simulate(prepared, library, params, cal, **options):
    return simulate(prepared, library, params, cal, start=START, units={"commune": 45, "district": 10}, **options)


def _fixed(params, **capacities):
    """Parameters with every time fixed, every decision right, and the given capacities."""
    agencies = {}
    for agency_id, p in params.agencies.items():
        agencies[agency_id] = p.model_copy(
            update={
                "capacity": capacities.get(agency_id, 100),
                "handover_days": 0.0,
                "default_days": 0.0,
                "services": {"verification": 2.0} if agency_id == "provincial_police" else {"verification": 1.0},
                "stays": {},
            }
        )
    everything_right = params.officers.trained.model_copy(
        update={"by_decision_point": dict.fromkeys(params.officers.trained.by_decision_point, 1.0)}
    )
    return params.model_copy(
        update={
            "agencies": agencies,
            "officers": params.officers.model_copy(update={"trained": everything_right}),
            "times": params.times.model_copy(update={"intake_days": 0.0}),
            "travel": params.travel.model_copy(update={"days": dict.fromkeys(params.travel.days, 0.0)}),
        }
    )


def test_the_model_queues_verifications_as_the_hand_schedule(library, params, cal):
    pool = draw_arrivals(library, params, start=START, years=1, returns=40, seed=5)
    needing = [a for a in prepare(pool, library) if a.assessment.value("verification")["needed"]][:3]
    assert len(needing) == 3
    timed = [
        replace(p, arrival=Arrival(i, t, START, p.arrival.case))
        for i, (p, t) in enumerate(zip(needing, (0.0, 0.1, 0.2)))
    ]
    run = _simulate(timed, library, _fixed(params, provincial_police=1), cal, horizon_days=30, trained=1.0, seed=1)
    # health department: 1 working day each, in parallel (ends 1.0, 1.1, 1.2); the one police server: 2 days each
    assert [o.verified_at for o in run.outcomes] == pytest.approx([3.0, 5.0, 9.0])


@pytest.fixture(scope="module")
def one_year(library, params, cal):
    return replication(Study(START, 1, 60, 0.6, 1, 3), 0, {None: library}, params, cal)["variants"]["main"]


def test_littles_law_holds_on_every_agency(one_year):
    checked = 0
    for agency_id, a in one_year["agencies"].items():
        if a["served"]:
            assert a["mean_queue"] == pytest.approx(a["arrival_rate_per_day"] * a["mean_wait_days"], abs=1e-4), (
                agency_id
            )
            checked += 1
    assert checked >= 5


def test_a_year_with_no_returns_reports_no_work(library, params, cal):
    report = run_study(Study(START, 1, 0, 0.6, 2, 1, compare_law=True), library, params, cal)
    for summary in (r["variants"][v] for r in report["replications"] for v in r["variants"]):
        assert summary["arrivals"] == 0 and summary["work"] == {
            "tasks": 0,
            "verifications": 0,
            "unneeded_verifications": 0,
        }
        assert summary["agencies"] == {} and all(v is None for v in summary["kpis"].values())


def test_the_same_seed_gives_the_same_report_byte_for_byte(library, params, cal):
    study = Study(date(2026, 1, 1), 1, 20, 0.6, 4, 11, compare_law=True, compare_training=True)
    serial = report_json(run_study(study, library, params, cal))
    parallel = report_json(run_study(study, library, params, cal, workers=2))
    assert serial == parallel
    assert serial != report_json(run_study(replace(study, seed=12), library, params, cal))
    report = run_study(study, library, params, cal)
    assert report["library_version"] == library.version and report["parameters_version"] == params.version
    assert len({r["seed"] for r in report["replications"]}) == 4


KPIS = ("verified_within_deadline", "verified", "every_entitled_support", "protection_needs_met")


def _means(library, params, cal, trained: float, seeds: range) -> dict[str, float]:
    runs = [
        replication(Study(date(2026, 1, 1), 1, 60, trained, 1, s), 0, {None: library}, params, cal)["variants"]["main"]
        for s in seeds
    ]
    return {k: statistics.fmean(r["kpis"][k] for r in runs if r["kpis"][k] is not None) for k in KPIS}


def test_more_trained_officers_never_make_a_kpi_worse(library, params, cal):
    seeds = range(6)
    low, high = _means(library, params, cal, 0.2, seeds), _means(library, params, cal, 0.8, seeds)
    for k in KPIS:
        assert high[k] >= low[k] - 0.02, (k, low[k], high[k])
    assert high["every_entitled_support"] > low["every_entitled_support"] + 0.05


def test_more_capacity_never_makes_a_kpi_worse(library, params, cal):
    seeds = range(6)
    tight = _means(library, params.with_capacity(0.5), cal, 0.6, seeds)
    ample = _means(library, params.with_capacity(2.0), cal, 0.6, seeds)
    for k in KPIS:
        assert ample[k] >= tight[k] - 0.02, (k, tight[k], ample[k])


def test_summaries_count_what_the_outcomes_hold(library, params, cal):
    arrivals = draw_arrivals(library, params, start=START, years=1, returns=15, seed=2)
    run = _simulate(prepare(arrivals, library), library, params, cal, horizon_days=365, trained=0.6, seed=2)
    summary = summarise_run(run)
    assert summary["arrivals"] == 15
    assert summary["work"]["tasks"] == sum(a.served for a in run.agencies.values()) > 0


def test_backlog_per_month_is_the_hand_schedule(library, params, cal):
    pool = draw_arrivals(library, params, start=START, years=1, returns=40, seed=5)
    needing = [a for a in prepare(pool, library) if a.assessment.value("verification")["needed"]][:3]
    timed = [
        replace(p, arrival=Arrival(i, t, START, p.arrival.case))
        for i, (p, t) in enumerate(zip(needing, (0.0, 0.1, 0.2)))
    ]
    run = _simulate(timed, library, _fixed(params, provincial_police=1), cal, horizon_days=40, trained=1.0, seed=1)
    backlog = summarise_run(run)["backlog"]
    # at the police from 1.0, 1.1, 1.2: one place, 2 working days each (ends 3, 5, then 9 over the weekend):
    # 1 task for 0.1 day, 2 for 0.1, 3 for 1.8, 2 for 2, 1 for 4 → 13.7 task-days, all in March (days 0–30)
    assert backlog["provincial_police"] == {"2026-03": pytest.approx(13.7 / 30, abs=1e-6), "2026-04": 0.0}


def test_backlog_crosses_a_month_boundary_at_its_time(cal):
    env = simpy.Environment()
    police = Agency(env, "provincial_police", 1, months=(0.0, 2.0, 30.0))  # 2026-03-30 (Mon) + 2 days: 1 April
    clock = cal.clock(date(2026, 3, 30))

    def job():
        yield from police.serve(lambda s: clock.after_working(s, 3.0))

    env.process(job())
    env.process(job())
    env.run()
    police.finish(env.now)
    # Mon–Wed, then Thu, Fri and Mon: 2 tasks for 3 days, 1 for the 5 days after; 4 task-days in March's 2 days
    assert env.now == 8.0 and police.backlog_area == pytest.approx([4.0, 2 * 1 + 5])


def test_backlog_sums_to_mean_queue_and_utilisation(library, params, cal):
    arrivals = draw_arrivals(library, params, start=date(2026, 1, 1), years=1, returns=40, seed=4)
    run = simulate(
        prepare(arrivals, library),
        library,
        params,
        cal,
        start=date(2026, 1, 1),
        horizon_days=730,  # two years for one year's arrivals: every task ends inside the months observed
        trained=0.6,
        seed=4,
        units={"commune": 45, "district": 10},
    )
    assert run.window_days == 730
    summary = summarise_run(run)
    lengths = {label: end - first for label, first, end in run.months}
    assert len(lengths) == 24 and sum(lengths.values()) == 730
    for agency_id, a in summary["agencies"].items():
        by_month = summary["backlog"][agency_id]
        total = sum(by_month[m] * lengths[m] for m in lengths) / 730
        assert total == pytest.approx(a["mean_queue"] + a["utilisation"] * a["capacity"], abs=1e-4), agency_id


def test_the_report_aggregates_the_backlog_of_every_agency_and_month(library, params, cal):
    report = run_study(Study(date(2026, 1, 1), 1, 15, 0.6, 3, 2), library, params, cal)
    backlog = report["variants"]["main"]["aggregate"]["backlog"]
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    assert "provincial_police" in backlog
    for by_month in backlog.values():
        assert list(by_month) == months
        for cell in by_month.values():
            assert set(cell) == {"mean", "p5", "p95", "n"} and cell["n"] == 3  # idle replications count as 0
            assert cell["p5"] <= cell["mean"] <= cell["p95"]
