"""Item statistics per decision point across a workshop, as PrairieLearn reports per question.

Difficulty is the share of attempts with full marks on the item (higher = easier) beside the mean
fraction of its points; discrimination is the point-biserial correlation between getting the item
right and the attempt's total percent. Pure functions over plain data.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sim.law.decision_points import item_order
from sim.training.scoring import kept_all_points


@dataclass(frozen=True)
class ItemStat:
    """Statistics of one decision point (or the process item) over ``n`` submitted attempts."""

    item: str
    n: int
    difficulty: float  # share of attempts with full marks on the item
    mean_fraction: float  # mean of points / max points
    discrimination: float | None  # point-biserial r with the total; None when undefined


def point_biserial(correct: list[bool], totals: list[float]) -> float | None:
    """Point-biserial correlation of a binary item with the total score.

    r = (M1 − M0) / s · √(p·q), with s the population standard deviation of the totals.
    Undefined (None) when everyone or no one got the item, or when all totals are equal.

    >>> round(point_biserial([True, True, False, False], [90, 70, 60, 40]), 4)
    0.8321
    """
    n = len(correct)
    if n != len(totals) or n < 2:
        return None
    ones = [t for c, t in zip(correct, totals, strict=True) if c]
    zeros = [t for c, t in zip(correct, totals, strict=True) if not c]
    if not ones or not zeros:
        return None
    mean = sum(totals) / n
    sd = math.sqrt(sum((t - mean) ** 2 for t in totals) / n)
    if sd == 0:
        return None
    p = len(ones) / n
    return (sum(ones) / len(ones) - sum(zeros) / len(zeros)) / sd * math.sqrt(p * (1 - p))


def item_statistics(reports: Iterable[dict[str, Any]]) -> list[ItemStat]:
    """Statistics per decision point (and the process item) over submitted score reports."""
    reports = list(reports)
    totals = [r["percent"] for r in reports]
    by_item: dict[str, list[tuple[int, float, float, bool]]] = {}
    for index, report in enumerate(reports):
        for point in report["points"]:
            by_item.setdefault(point["decision_point"], []).append(
                (index, point["points"], point["max_points"], kept_all_points(point))
            )
    stats = []
    for item in sorted(by_item, key=item_order):
        rows = by_item[item]
        correct = [right for *_, right in rows]
        fractions = [points / maximum if maximum else 0.0 for _, points, maximum, _ in rows]
        stats.append(
            ItemStat(
                item,
                len(rows),
                sum(correct) / len(rows),
                sum(fractions) / len(rows),
                point_biserial(correct, [totals[i] for i, *_ in rows]),
            )
        )
    return stats


def critical_error_counts(reports: Iterable[dict[str, Any]]) -> list[tuple[str, int]]:
    """Most frequent critical errors first.

    >>> critical_error_counts([{"critical_errors": [{"rule": "E02"}]}, {"critical_errors": [{"rule": "E02"}, {"rule": "E06"}]}])
    [('E02', 2), ('E06', 1)]
    """
    counts = Counter(e["rule"] for r in reports for e in r["critical_errors"])
    return sorted(counts.items(), key=lambda kv: (-kv[1], int(kv[0][1:])))


def score_histogram(percents: Iterable[float], width: int = 10) -> list[tuple[str, int]]:
    """Counts of scores in bins of ``width`` percent points (the last bin includes 100).

    >>> score_histogram([0, 9.9, 10, 95, 100], width=50)
    [('0–49', 3), ('50–100', 2)]
    """
    edges = list(range(0, 100, width))
    counts = [0] * len(edges)
    for value in percents:
        counts[min(int(value // width), len(edges) - 1)] += 1
    return [
        (f"{lo}–{lo + width - 1 if i < len(edges) - 1 else 100}", c)
        for i, (lo, c) in enumerate(zip(edges, counts, strict=True))
    ]
