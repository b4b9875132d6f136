"""Exports for the provincial report: CSV (one row per trainee × case) and XLSX (one sheet per
exercise plus an item-statistics sheet). ``trove export`` and the trainer app both call ``export``."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sim.errors import SimError
from sim.law.decision_points import SCORED_ITEMS
from sim.workshop.results import ResultRow, workshop_results
from sim.workshop.stats import item_statistics
from sim.workshop.store import ResultsStore

COLUMNS = [
    "trainee",
    "commune",
    "role",
    "exercise",
    "case",
    "scenario",
    "scenario_version",
    "seed",
    "started_at",
    "submitted_at",
    "auto_points",
    "max_points",
    "auto_percent",
    "final_points",
    "final_percent",
    "critical_errors",
    *[f"{dp}_points" for dp in SCORED_ITEMS],
    "trainer_comments",
]
STATS_COLUMNS = [
    "exercise",
    "item",
    "attempts",
    "difficulty_share_full_marks",
    "mean_fraction",
    "discrimination_point_biserial",
]


def row_values(row: ResultRow) -> list[Any]:
    """The export cells of one row, in the order of ``COLUMNS`` (trainer comments joined by ``" | "``).

    >>> report = {"percent": 80.0, "points": [{"decision_point": "D1", "points": 8.0, "max_points": 10.0}]}
    >>> row = ResultRow(
    ...     "t1", "Trần Thị Lan", "xã Phan Sơn", "commune_pc", "co-ban", 1, "s1", "2", 7, "2026-06-01T08:00",
    ...     None, 80.0, 100.0, 80.0, 85.0, 85.0, ("E02", "E06"), {"D1": 8.0},
    ...     ({"decision_point": "D1", "comment": "đúng hạn"}, {"decision_point": "D4", "comment": "thiếu"}),
    ...     report, "a1", "2026-06-01T08:10",
    ... )
    >>> values = row_values(row)
    >>> len(values) == len(COLUMNS), values[:5], values[9]
    (True, ['Trần Thị Lan', 'xã Phan Sơn', 'commune_pc', 'co-ban', 1], '')
    >>> values[15:18], values[-1]
    (['E02 E06', 8.0, None], 'D1: đúng hạn | D4: thiếu')
    """
    comments = " | ".join(f"{o['decision_point']}: {o['comment']}" for o in row.overrides)
    return [
        row.full_name,
        row.commune,
        row.role,
        row.exercise_id,
        row.case_number,
        row.scenario_id,
        row.scenario_version,
        row.seed,
        row.started_at,
        row.submitted_at or "",
        row.auto_total,
        row.max_points,
        row.auto_percent,
        row.final_total,
        row.final_percent,
        " ".join(row.critical_errors),
        *[row.items.get(dp) for dp in SCORED_ITEMS],
        comments,
    ]


def statistics_rows(rows: list[ResultRow]) -> list[list[Any]]:
    """The item-statistics sheet: per exercise (sorted), one line per item over its submitted reports.

    Each line follows ``STATS_COLUMNS``; ratios are rounded to 4 places, discrimination is None when undefined.

    >>> from dataclasses import replace
    >>> def report(points, percent):
    ...     return {"percent": percent, "points": [{"decision_point": "D1", "points": points, "max_points": 10.0}]}
    >>> row = ResultRow(
    ...     "t1", "Lan", "xã Phan Sơn", "commune_pc", "co-ban", 1, "s1", "1", 7, "2026-06-01T08:00",
    ...     "2026-06-01T08:30", 90.0, 100.0, 90.0, 90.0, 90.0, (), {}, (), report(10.0, 90.0), "a1", "",
    ... )
    >>> rows = [row, replace(row, report=report(5.0, 40.0)), replace(row, report=None)]
    >>> statistics_rows(rows)
    [['co-ban', 'D1', 2, 0.5, 0.75, 1.0]]
    """
    out = []
    for exercise in sorted({r.exercise_id for r in rows}):
        reports = [r.report for r in rows if r.exercise_id == exercise and r.report]
        for stat in item_statistics(reports):
            out.append(
                [
                    exercise,
                    stat.item,
                    stat.n,
                    round(stat.difficulty, 4),
                    round(stat.mean_fraction, 4),
                    None if stat.discrimination is None else round(stat.discrimination, 4),
                ]
            )
    return out


def export(store: ResultsStore, workshop_id: str, path: str | Path) -> Path:
    """Write ``.csv`` or ``.xlsx`` (chosen by the file name)."""
    path = Path(path)
    rows = workshop_results(store, workshop_id)
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as out:  # utf-8-sig: Excel opens Vietnamese correctly
            writer = csv.writer(out)
            writer.writerow(COLUMNS)
            writer.writerows(row_values(r) for r in rows)
        return path
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for exercise in sorted({r.exercise_id for r in rows}) or ["results"]:
            sheet = book.create_sheet(exercise[:31])
            sheet.append(COLUMNS)
            for r in rows:
                if r.exercise_id == exercise:
                    sheet.append(row_values(r))
        stats = book.create_sheet("item_statistics")
        stats.append(STATS_COLUMNS)
        for values in statistics_rows(rows):
            stats.append(values)
        book.save(path)
        return path
    raise SimError(f"{path}: export to .csv or .xlsx (the file name decides the format)")
