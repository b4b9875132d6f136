"""KPIs of a replication, and their mean and 90 % interval over replications (plain JSON-ready dicts).

The plan's targets: share verified within the deadline, share receiving each entitled support, protection
needs met, children with every duty done; then days from arrival to each service (median, p90) and each
agency's utilisation, queue and waits. Shares with nobody to count are ``None`` (not 0 and not 100 %).

>>> summary = summarise_run(Run([], {}, 365, 365))
>>> summary["arrivals"], summary["kpis"]["verified_within_deadline"], summary["work"]["tasks"]
(0, None, 0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sim.province.costs import Rate, support_costs
from sim.province.model import Run

DIGITS = 6  # rounding of every float in a report, so that the same run gives the same bytes everywhere


def quantile(values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile with linear interpolation between order statistics (``None`` for no values).

    >>> quantile([1, 2, 3, 4], 0.5), quantile([], 0.9), quantile([5], 0.9)
    (2.5, None, 5.0)
    """
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (pos - low))


def _share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, DIGITS) if denominator else None


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def summarise_run(run: Run, rates: dict[tuple[str, str], Rate] | None = None) -> dict[str, Any]:
    """The KPIs, service times, agency loads and backlog, and support costs (at ``rates``) of one replication.

    >>> from sim.province.model import Run
    >>> sorted(summarise_run(Run([], {}, 365, 365)))
    ['agencies', 'arrivals', 'backlog', 'costs', 'days_to', 'kpis', 'left', 'supports', 'window_days', 'work']
    """
    outcomes = run.outcomes
    needing = [o for o in outcomes if o.verification_needed]
    on_time = [
        o
        for o in needing
        if o.verified_at is not None
        and o.verification_deadline is not None
        and o.verified_at <= o.verification_deadline
    ]
    supports: dict[str, list[int]] = {}
    for o in outcomes:
        for s in o.entitled:
            counts = supports.setdefault(s, [0, 0])
            counts[0] += 1
            counts[1] += s in o.received
    protection = [o for o in outcomes if o.protection_needed]
    children = [o for o in outcomes if o.child_duties_apply]
    with_supports = [o for o in outcomes if o.entitled]
    days: dict[str, list[float]] = {}
    for o in outcomes:
        if o.verified_at is not None:
            days.setdefault("verification", []).append(o.verified_at - o.arrival)
        for s, t in o.received.items():
            days.setdefault(s, []).append(t - o.arrival)
    window = run.window_days
    agencies = {
        a.id: {
            "capacity": a.capacity,
            "served": a.served,
            "utilisation": _r(a.busy_area / (a.capacity * window)) if window else 0.0,
            "mean_queue": _r(a.queue_area / window) if window else 0.0,
            "max_queue": a.max_queue,
            "mean_wait_days": _r(a.wait_total / a.served) if a.served else None,
            "arrival_rate_per_day": _r(a.served / window) if window else 0.0,
        }
        for a in run.agencies.values()
    }
    backlog = {
        a.id: {
            label: _r(area / (end - first)) if end > first else 0.0
            for (label, first, end), area in zip(run.months, a.backlog_area, strict=True)
        }
        for a in run.agencies.values()
    }
    return {
        "arrivals": len(outcomes),
        "window_days": _r(window),
        "left": _share(sum(o.left for o in outcomes), len(outcomes)),
        "kpis": {
            "verified_within_deadline": _share(len(on_time), len(needing)),
            "verified": _share(sum(o.verified_at is not None for o in needing), len(needing)),
            "every_entitled_support": _share(
                sum(all(s in o.received for s in o.entitled) for o in with_supports), len(with_supports)
            ),
            "protection_needs_met": _share(sum(o.protected for o in protection), len(protection)),
            "children_every_duty_done": _share(sum(o.child_duties_done for o in children), len(children)),
        },
        "supports": {s: _share(got, n) for s, (n, got) in sorted(supports.items())},
        "days_to": {
            s: {"median": _r(quantile(v, 0.5)), "p90": _r(quantile(v, 0.9)), "n": len(v)}
            for s, v in sorted(days.items())
        },
        "agencies": agencies,
        "backlog": backlog,
        "costs": support_costs(outcomes, rates or {}),
        "work": {
            "tasks": sum(a.served for a in run.agencies.values()),
            "verifications": sum(o.verified_at is not None for o in outcomes),
            "unneeded_verifications": sum(o.extra_verification for o in outcomes),
        },
    }


def with_idle_agencies(summaries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The summaries with a backlog of 0 in every month for each agency that had no task in a replication (an
    agency appears in a summary only once it has had one), so that a backlog's mean is over every replication.

    >>> ones = {"backlog": {"police": {"2026-01": 2.0}}}
    >>> [s["backlog"] for s in with_idle_agencies([ones, {"backlog": {}}])]
    [{'police': {'2026-01': 2.0}}, {'police': {'2026-01': 0.0}}]
    """
    months: dict[str, dict[str, float]] = {}
    for s in summaries:
        for agency_id, by_month in s.get("backlog", {}).items():
            months.setdefault(agency_id, dict.fromkeys(by_month, 0.0))
    return [
        {**s, "backlog": {k: s.get("backlog", {}).get(k, idle) for k, idle in sorted(months.items())}}
        if "backlog" in s
        else s
        for s in summaries
    ]


def aggregate(summaries: Sequence[dict[str, Any]]) -> Any:
    """Mean and 90 % interval (5th–95th percentile over replications) of every number in the summaries.

    Counts and shares alike; ``None`` values (nothing to count in that replication) are left out, and ``n``
    says how many replications had a value.

    >>> aggregate([{"a": 1.0}, {"a": 3.0}, {"a": None}])
    {'a': {'mean': 2.0, 'p5': 1.1, 'p95': 2.9, 'n': 2}}
    """
    first = next((s for s in summaries if s is not None), None)
    if isinstance(first, dict):
        keys = sorted({k for s in summaries if isinstance(s, dict) for k in s})
        return {k: aggregate([s.get(k) if isinstance(s, dict) else None for s in summaries]) for k in keys}
    values = [float(v) for v in summaries if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not values:
        return {"mean": None, "p5": None, "p95": None, "n": 0}
    return {
        "mean": _r(math.fsum(values) / len(values)),
        "p5": _r(quantile(values, 0.05)),
        "p95": _r(quantile(values, 0.95)),
        "n": len(values),
    }
