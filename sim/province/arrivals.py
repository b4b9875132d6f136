"""A replication's arrivals: the dates people come back, and for each a generated case (seeded per replication).

The profile, entry route, documents, needs and every other fact are the generator's (``profiles.yaml``, its
calibrated shares); this module only chooses the dates (``province.yaml`` ``arrivals``) and derives the seeds.

>>> from datetime import date
>>> from sim.library import packaged_library
>>> from sim.province.parameters import read_parameters
>>> lib = packaged_library()
>>> arrivals = draw_arrivals(lib, read_parameters(), start=date(2026, 1, 1), years=1, returns=3, seed=1)
>>> [a.day.year for a in arrivals], arrivals == draw_arrivals(
...     lib, read_parameters(), start=date(2026, 1, 1), years=1, returns=3, seed=1)
([2026, 2026, 2026], True)
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sim.cases.case import Case
from sim.cases.generator import MAX_SEED, case_seed
from sim.cases.scenario import Scenario
from sim.errors import SimError
from sim.law.primitives import Bilingual, Title, add_months
from sim.province.collector import paused_cycle_collection

if TYPE_CHECKING:
    from sim.library import Library
    from sim.province.parameters import ProvinceParameters

SCENARIO_ID = "province-simulation"


def derive_seed(seed: int, *parts: object) -> int:
    """A seed for one stream of a replication (``parts`` name it), stable across runs and Python versions.

    >>> derive_seed(1, "replication", 0) == derive_seed(1, "replication", 0) != derive_seed(1, "replication", 1)
    True
    """
    text = ":".join(str(p) for p in (seed, *parts)).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big") & MAX_SEED


@dataclass(frozen=True, slots=True)
class Arrival:
    """One person arriving: index in the replication, time (days after the study's first midnight), date, case."""

    index: int
    time: float
    day: date
    case: Case


def base_scenario(start: date, region: str) -> Scenario:
    """The scenario every arrival is drawn from: all facts random, the generator's profile mix.

    >>> from datetime import date
    >>> base_scenario(date(2026, 1, 1), "lam-dong-binh-thuan").random_facts
    'all'
    """
    text = Bilingual(vi="Mô phỏng địa bàn", en="Province simulation")
    return Scenario(
        schema_version=1,
        id=SCENARIO_ID,
        version="1",
        title=Title(**text.model_dump()),
        description=text,
        date=start,
        region=region,
        difficulty="intermediate",
        objectives=[text],
    )


def arrival_times(params: ProvinceParameters, *, start: date, years: int, returns: int, seed: int) -> list[float]:
    """``returns`` arrival times in each of ``years`` years from ``start``, months weighted, sorted.

    >>> from datetime import date
    >>> from sim.province.parameters import read_parameters
    >>> times = arrival_times(read_parameters(), start=date(2026, 1, 1), years=1, returns=100, seed=3)
    >>> len(times), 0 <= times[0] <= times[-1] < 365
    (100, True)
    """
    rnd = random.Random(derive_seed(seed, "arrivals"))
    weights = params.arrivals.months.weights
    times = []
    for year in range(years):
        bounds = [add_months(start, 12 * year + m) for m in range(13)]
        month_weights = [weights[(b.month - 1) % 12] for b in bounds[:12]]
        for _ in range(returns):
            m = rnd.choices(range(12), weights=month_weights)[0]
            first, length = bounds[m], (bounds[m + 1] - bounds[m]).days
            times.append((first - start).days + rnd.random() * length)
    return sorted(times)


def draw_arrivals(
    library: Library,
    params: ProvinceParameters,
    *,
    start: date,
    years: int,
    returns: int,
    seed: int,
    region: str | None = None,
) -> list[Arrival]:
    """The arrivals of one replication, each with its generated case (case ``i`` has seed ``case_seed(seed, i)``).

    ``region``: a region pack id covering every date; by default the library's region on each date.

    Raises
    ------
    SimError
        When ``region`` does not cover a date of the study.

    Examples
    --------
    >>> from datetime import date
    >>> from sim.library import packaged_library
    >>> from sim.province.parameters import read_parameters
    >>> draw_arrivals(packaged_library(), read_parameters(), start=date(2026, 1, 1), years=1, returns=0, seed=1)
    []
    """
    with paused_cycle_collection():
        times = arrival_times(params, start=start, years=years, returns=returns, seed=seed)
        generator = library.case_generator()
        scenarios: dict[tuple[date, str], Scenario] = {}
        base: Scenario | None = None
        out = []
        for index, t in enumerate(times):
            day = start + timedelta(days=int(t))
            pack = library.region(region) if region else library.region_on(day)
            if not pack.covers(day):
                raise SimError(f"region {pack.id!r} does not cover {day} (leave --region out to follow the date)")
            key = (day, pack.id)
            scenario = scenarios.get(key)
            if scenario is None:
                base = base or base_scenario(start, pack.id)
                scenario = scenarios[key] = base.model_copy(update={"date": day, "region": pack.id})
            out.append(Arrival(index, t, day, generator.generate(scenario, seed=case_seed(seed, index))))
        return out
