"""The province simulation's speed (issue 11): one province-year per replication, many replications on the cores.

Run: ``.venv/bin/python benchmarks/province.py`` (options: ``--returns 150 --repeats 15 --replications 200
--workers 2 --national 5000``). Prints one JSON object; the numbers are recorded in docs/performance.md.

- ``province_year``: one replication of ``--returns`` arrivals on one core, median of ``--repeats`` (after a
  warm-up), split into generating the cases, assessing them (rule engine) and the SimPy run with its summary;
- ``study``: ``--replications`` replications of the main variant on ``--workers`` processes, wall time
  (``trove simulate``'s path: ``run_study``), and the same with ``--compare-law --compare-training``;
- ``national_year``: one replication of ``--national`` arrivals (a national year; capacities scaled by
  ``--national / --returns``), one core; ``national_year_collector_running``: the same with Python's cyclic
  garbage collector left running (the baseline before ``sim.province.collector``), alternated with it in one run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import time
from datetime import date

from sim.library import packaged_library
from sim.province import arrivals, model
from sim.province.arrivals import derive_seed, draw_arrivals
from sim.province.calendar import packaged_calendar
from sim.province.model import prepare, simulate
from sim.province.parameters import read_parameters
from sim.province.results import summarise_run
from sim.province.study import Study, run_study, units_of

START = date(2026, 1, 1)


def one_year(library, params, calendar, returns: int, seed: int) -> dict[str, float]:
    """Seconds per stage of one replication of ``returns`` arrivals."""
    study = Study(START, 1, returns, 0.6, 1, seed)
    t0 = time.perf_counter()
    arrivals = draw_arrivals(library, params, start=START, years=1, returns=returns, seed=seed)
    t1 = time.perf_counter()
    prepared = prepare(arrivals, library)
    t2 = time.perf_counter()
    run = simulate(
        prepared,
        library,
        params,
        calendar,
        start=START,
        horizon_days=365,
        trained=0.6,
        seed=seed,
        units=units_of(library, study),
    )
    summarise_run(run)
    t3 = time.perf_counter()
    return {"generate": t1 - t0, "assess": t2 - t1, "simulate": t3 - t2, "total": t3 - t0}


@contextlib.contextmanager
def collector_running():
    """The model as it was before the collector was paused (the baseline of ``national_year``)."""
    paused = arrivals.paused_cycle_collection, model.paused_cycle_collection
    arrivals.paused_cycle_collection = model.paused_cycle_collection = contextlib.nullcontext
    try:
        yield
    finally:
        arrivals.paused_cycle_collection, model.paused_cycle_collection = paused


def median_stages(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: round(statistics.median(r[k] for r in runs), 4) for k in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--returns", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--national", type=int, default=5000)
    args = parser.parse_args()

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    library, params, calendar = packaged_library(), read_parameters(), packaged_calendar()
    one_year(library, params, calendar, args.returns, 0)  # warm-up: Faker, memos on the library
    runs = [one_year(library, params, calendar, args.returns, derive_seed(9, i)) for i in range(args.repeats)]
    # A national year: the province's capacities scaled to the returns (34 province-sized networks, pooled).
    scaled = params.with_capacity(args.national / args.returns)
    national, running = [], []
    for i in range(2):  # alternated, so that a change of load touches both alike
        national.append(one_year(library, scaled, calendar, args.national, derive_seed(10, i)))
        with collector_running():
            running.append(one_year(library, scaled, calendar, args.national, derive_seed(10, i)))

    study = Study(START, 1, args.returns, 0.6, args.replications, 1)
    t = time.perf_counter()
    run_study(study, library, params, calendar, workers=args.workers)
    plain = time.perf_counter() - t
    compared = Study(START, 1, args.returns, 0.6, args.replications, 1, compare_law=True, compare_training=True)
    t = time.perf_counter()
    run_study(compared, library, params, calendar, workers=args.workers)
    both = time.perf_counter() - t

    print(
        json.dumps(
            {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "load_before": load_before,
                "load_after": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
                "province_year": {"returns": args.returns, "repeats": args.repeats, **median_stages(runs)},
                "study": {
                    "replications": args.replications,
                    "workers": args.workers,
                    "main_s": round(plain, 2),
                    "with_compare_law_and_training_s": round(both, 2),
                },
                "national_year": {"returns": args.national, **median_stages(national)},
                "national_year_collector_running": {"returns": args.national, **median_stages(running)},
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
