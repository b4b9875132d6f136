"""A study: many replications of a province's years, run in parallel, compared across laws and training levels.

Each replication draws its arrivals once (seeded by ``derive_seed(seed, "replication", i)``) and runs every
variant on those same arrivals: the law by date, Luật 2011 vs Luật 2024 on the same dates (``compare_law``),
0 % vs 100 % trained officers (``compare_training``). The report keeps each replication's seed, the library and
parameter versions, and nothing that depends on the machine (no timings): the same study gives the same bytes.

>>> from datetime import date
>>> from sim.library import packaged_library
>>> from sim.province.calendar import packaged_calendar
>>> from sim.province.parameters import read_parameters
>>> study = Study(start=date(2026, 1, 1), years=1, returns=0, trained=0.6, replications=2, seed=1)
>>> report = run_study(study, packaged_library(), read_parameters(), packaged_calendar())
>>> [r["seed"] == derive_seed(1, "replication", i) for i, r in enumerate(report["replications"])]
[True, True]
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sim.errors import SimError
from sim.law.primitives import add_months
from sim.province.arrivals import derive_seed, draw_arrivals
from sim.province.cluster import map_on_dask
from sim.province.costs import costing, money_used
from sim.province.model import prepare, simulate
from sim.province.quality import MeasuredQuality, quality_report, with_measured
from sim.province.regimes import library_under
from sim.province.results import aggregate, summarise_run, with_idle_agencies

if TYPE_CHECKING:
    from sim.library import Library
    from sim.province.calendar import WorkCalendar
    from sim.province.parameters import ProvinceParameters

REPORT_SCHEMA_VERSION = 1
LAW_NAMES = {"A": "law-2011", "B": "law-2024"}


@dataclass(frozen=True)
class Study:
    """What to simulate: from when, how many years and returns a year, the trained share, replications, seed."""

    start: date
    years: int
    returns: int
    trained: float
    replications: int
    seed: int
    region: str | None = None
    compare_law: bool = False
    compare_training: bool = False
    trained_quality: MeasuredQuality | None = None  # replaces province.yaml's trained quality where it has attempts

    @property
    def end(self) -> date:
        """The last day of the study period."""
        return add_months(self.start, 12 * self.years) - timedelta(days=1)


@dataclass(frozen=True)
class Variant:
    """One way to run the same arrivals: under which law (``None``: the law in force on each date), trained share."""

    name: str
    law: str | None
    trained: float


def variants(study: Study) -> list[Variant]:
    """The variants a study runs: the main one, then the comparisons asked for.

    >>> from datetime import date
    >>> s = Study(start=date(2026, 1, 1), years=1, returns=1, trained=0.6, replications=1, seed=1, compare_law=True)
    >>> [v.name for v in variants(s)]
    ['main', 'law-2011', 'law-2024']
    """
    found = [Variant("main", None, study.trained)]
    if study.compare_law:
        found += [Variant(LAW_NAMES[r], r, study.trained) for r in ("A", "B")]
    if study.compare_training:
        found += [Variant("trained-0", None, 0.0), Variant("trained-100", None, 1.0)]
    return found


def units_of(library: Library, study: Study) -> dict[str, int]:
    """Communes and districts of the study's region on its first day (capacities per unit multiply by them).

    After the 2025 reform a commune has no district; its first former district stands in (for Luật 2011 replays).

    >>> from datetime import date
    >>> from sim.library import packaged_library
    >>> units_of(packaged_library(), Study(date(2016, 1, 1), 1, 1, 0.5, 1, 1))
    {'commune': 127, 'district': 10}
    """
    pack = library.region(study.region) if study.region else library.region_on(study.start)
    communes = pack.communes_on(study.start)
    districts = {c.district or (c.former_districts[0] if c.former_districts else "") for c in communes}
    return {"commune": len(communes), "district": max(1, len(districts - {""}))}


def replication(
    study: Study,
    index: int,
    libraries: dict[str | None, Library],
    params: ProvinceParameters,
    calendar: WorkCalendar,
) -> dict[str, Any]:
    """Run replication ``index`` of ``study``: its arrivals once, every variant on them; returns the summaries.

    >>> from datetime import date
    >>> from sim.library import packaged_library
    >>> from sim.province.calendar import packaged_calendar
    >>> from sim.province.parameters import read_parameters
    >>> lib = packaged_library()
    >>> out = replication(Study(date(2026, 1, 1), 1, 3, 0.6, 1, 7), 0, {None: lib}, read_parameters(), packaged_calendar())
    >>> out["variants"]["main"]["arrivals"]
    3
    """
    seed = derive_seed(study.seed, "replication", index)
    base = libraries[None]
    arrivals = draw_arrivals(
        base, params, start=study.start, years=study.years, returns=study.returns, seed=seed, region=study.region
    )
    horizon = (study.end - study.start).days + 1
    units = units_of(base, study)
    prepared: dict[str | None, Any] = {}
    summaries = {}
    for v in variants(study):
        library = libraries[v.law]
        if v.law not in prepared:
            prepared[v.law] = prepare(arrivals, library)
        run = simulate(
            prepared[v.law],
            library,
            params,
            calendar,
            start=study.start,
            horizon_days=horizon,
            trained=v.trained,
            seed=seed,
            units=units,
        )
        summaries[v.name] = summarise_run(run, costing(library, params))
    return {"replication": index, "seed": seed, "variants": summaries}


def laws(study: Study, library: Library) -> dict[str | None, Library]:
    """The library of each variant's law: the one given (law by date) and, to compare, each regime on the study's dates.

    >>> from datetime import date
    >>> from sim.library import packaged_library
    >>> lib = packaged_library()
    >>> sorted(k or "" for k in laws(Study(date(2026, 1, 1), 1, 1, 0.6, 1, 1, compare_law=True), lib))
    ['', 'A', 'B']
    """
    found: dict[str | None, Library] = {None: library}
    for v in variants(study):
        if v.law is not None and v.law not in found:
            found[v.law] = library_under(library, v.law, study.start, study.end)
    return found


_WORKER: tuple[Study, dict[str | None, Library], ProvinceParameters, WorkCalendar] | None = None


def _process_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: from a fresh server process, not by forking the caller (a Jupyter kernel has
    threads, and a forked copy of a locked lock deadlocks); spawned where there is no fork server (Windows)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _init_worker(
    study: Study, libraries: dict[str | None, Library], params: ProvinceParameters, calendar: WorkCalendar
) -> None:
    global _WORKER
    _WORKER = (study, libraries, params, calendar)


def _run_in_worker(index: int) -> dict[str, Any]:
    if _WORKER is None:
        raise SimError("a replication ran in a process the pool did not initialise")
    study, libraries, params, calendar = _WORKER
    return replication(study, index, libraries, params, calendar)


def _run_with(
    context: tuple[Study, dict[str | None, Library], ProvinceParameters, WorkCalendar], index: int
) -> dict[str, Any]:
    """One replication from a context sent ahead (a Dask task)."""
    study, libraries, params, calendar = context
    return replication(study, index, libraries, params, calendar)


def run_study(
    study: Study,
    library: Library,
    params: ProvinceParameters,
    calendar: WorkCalendar,
    *,
    workers: int = 1,
    dask: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Every replication (on ``workers`` local processes or a Dask cluster), aggregated per variant, as a JSON-ready
    report.

    Parameters
    ----------
    study : Study
        Dates, returns, trained share, replications, seed, region and comparisons.
    library : Library
        The law and data (a changed one replays the study under a changed rule).
    params : ProvinceParameters
        The model's parameters.
    calendar : WorkCalendar
        Working days and holidays.
    workers : int
        Keyword-only; processes to run replications on (1: in this process). The report does not depend on it.
    dask : str or distributed.Client, optional
        Keyword-only; run the replications on this Dask cluster (a scheduler address such as
        ``tcp://host:8786``, or a client) instead of local processes; the optional extra ``trove[dask]``.
        The report is the same bytes.
    progress : callable, optional
        Keyword-only; ``progress(done, total)`` after each replication.

    Raises
    ------
    SimError
        When ``dask`` is given and Dask is not installed or its scheduler cannot be reached.

    Examples
    --------
    >>> from datetime import date
    >>> from sim.library import packaged_library
    >>> from sim.province.calendar import packaged_calendar
    >>> from sim.province.parameters import read_parameters
    >>> study = Study(start=date(2026, 1, 1), years=1, returns=0, trained=0.6, replications=1, seed=1)
    >>> run_study(study, packaged_library(), read_parameters(), packaged_calendar())["variants"]["main"]["trained"]
    0.6
    """
    libraries = laws(study, library)
    given, params = params, with_measured(params, study.trained_quality)
    indices = range(study.replications)
    total = study.replications
    replications: list[dict[str, Any]] = []
    if dask is not None:
        replications = map_on_dask(dask, _run_with, (study, libraries, params, calendar), indices, progress)
    elif workers > 1 and study.replications > 1:
        chunk = max(1, study.replications // (workers * 4))
        with ProcessPoolExecutor(
            workers,
            mp_context=_process_context(),
            initializer=_init_worker,
            initargs=(study, libraries, params, calendar),
        ) as pool:
            for done in pool.map(_run_in_worker, indices, chunksize=chunk):
                replications.append(done)
                if progress is not None:
                    progress(len(replications), total)
    else:
        for i in indices:
            replications.append(replication(study, i, libraries, params, calendar))
            if progress is not None:
                progress(len(replications), total)
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "kind": "trove-province-simulation",
        "fictional": True,
        "library_version": library.version,
        "parameters_version": params.version,
        "study": {**asdict(study), "start": study.start.isoformat(), "end": study.end.isoformat()},
        "units": units_of(library, study),
        "officers": quality_report(given, study.trained_quality),
        "money": {
            "amounts": money_used(library, params),
            "chosen": f"province.yaml {params.costs.provenance}" if params.costs else "no costs group: nothing costed",
            "note": params.costs.note if params.costs else "",
        },
        "laws": {
            LAW_NAMES.get(k or "", "by-date"): {
                "rulebook": lib.version,
                "in_force": "by date" if k is None else f"regime {k} from {study.start} to {study.end}",
            }
            for k, lib in libraries.items()
        },
        "variants": {
            v.name: {
                "law": LAW_NAMES.get(v.law or "", "by-date"),
                "trained": v.trained,
                "aggregate": aggregate(with_idle_agencies([r["variants"][v.name] for r in replications])),
            }
            for v in variants(study)
        },
        "replications": replications,
    }


def report_json(report: dict[str, Any]) -> str:
    """The report as JSON text: keys sorted, Vietnamese kept, one stable layout (the same report, the same bytes).

    >>> report_json({"b": 1, "a": "Tết"})
    '{\\n "a": "Tết",\\n "b": 1\\n}\\n'
    """
    return json.dumps(report, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
