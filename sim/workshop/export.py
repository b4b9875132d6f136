"""Exports for the provincial report: CSV (one row per trainee × case) and XLSX (one sheet per
exercise plus an item-statistics sheet). ``trove export`` and the trainer app both call ``export``.

The report is written in its reader's language (Vietnamese unless ``lang="en"``): headers, role names, the
exercises' and scenarios' titles, and times in Vietnam time (Asia/Ho_Chi_Minh; the store keeps UTC). Numbers stay
numbers (real cells in XLSX); the scenario id, version and seed stay so that any case can be replayed."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import SimError
from sim.law.decision_points import SCORED_ITEMS
from sim.workshop.results import ResultRow, workshop_results
from sim.workshop.stats import item_statistics
from sim.workshop.store import ResultsStore

if TYPE_CHECKING:
    from sim.library import Library

try:
    from zoneinfo import ZoneInfo

    VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
except Exception:  # no tz database (Windows without the tzdata package): Việt Nam keeps UTC+07:00, no summer time
    VIETNAM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")

# Column ids (the header row is their label in the report's language, message ``exp_<id>``).
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
    "scenario_id",
]
STATS_COLUMNS = [
    "exercise",
    "item",
    "attempts",
    "difficulty_share_full_marks",
    "mean_fraction",
    "discrimination_point_biserial",
]
_STATS_HEADERS = ("exercise", "item", "attempts", "difficulty", "mean_fraction", "discrimination")


def vietnam_time(iso: str) -> datetime:
    """A stored time (ISO, UTC) in Vietnam time.

    >>> vietnam_time("2026-11-28T02:15:00.000+00:00").strftime("%d/%m/%Y %H:%M")
    '28/11/2026 09:15'
    """
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM)


@dataclass(frozen=True)
class ExportTexts:
    """What the report prints instead of ids: the language, messages, role names and titles (id → text).

    Empty mappings print the ids themselves (``ExportTexts()``: the raw export the doctests use)."""

    lang: str = "vi"
    messages: dict[str, str] = field(default_factory=dict)
    exercises: dict[str, str] = field(default_factory=dict)
    scenarios: dict[str, str] = field(default_factory=dict)
    critical_errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, library: Library, lang: str = "vi") -> ExportTexts:
        """The texts of ``library`` in ``lang`` (the exercises and scenarios that load now)."""
        exercises, _ = library.catalog.valid_exercises()
        scenarios, _ = library.catalog.valid_scenarios()
        return cls(
            lang,
            {k: m.get(lang) for k, m in library.messages.items()},
            {k: x.title.get(lang) for k, x in exercises.items()},
            {k: x.title.get(lang) for k, x in scenarios.items()},
            {k: getattr(e, "en" if lang == "en" else "vi") for k, e in library.rulebook.critical_errors.items()},
        )

    def text(self, key: str, default: str, **values: object) -> str:
        """The message ``key`` with ``values`` filled, else ``default``."""
        return self.messages[key].format(**values) if key in self.messages else default

    def errors(self, codes: tuple[str, ...]) -> str:
        """Critical errors as their codes with what each is ("E02: Chậm thông báo …; E06: …"), codes alone
        without texts."""
        if not self.critical_errors:
            return " ".join(codes)
        return "; ".join(
            f"{code}: {self.critical_errors[code]}" if code in self.critical_errors else code for code in codes
        )

    def time(self, iso: str | None) -> str:
        """A stored UTC time as Vietnam time ("28/11/2026 09:15"; "2026-11-28 09:15" in English), "" for none."""
        if not iso:
            return ""
        if not self.messages:
            return iso
        return f"{vietnam_time(iso):%d/%m/%Y %H:%M}" if self.lang != "en" else f"{vietnam_time(iso):%Y-%m-%d %H:%M}"

    def header(self, column: str) -> str:
        """The header of a column id of ``COLUMNS`` or of the statistics sheet."""
        if column.endswith("_points") and column[: -len("_points")] in SCORED_ITEMS:
            item = column[: -len("_points")]
            return self.text("exp_item_points", column, item=self.text(f"dp_{item}", item))
        return self.text(f"exp_{column}", column)


def row_values(row: ResultRow, texts: ExportTexts | None = None) -> list[Any]:
    """The export cells of one row, in the order of ``COLUMNS`` (trainer comments joined by ``" | "``).

    >>> report = {"percent": 80.0, "points": [{"decision_point": "D1", "points": 8.0, "max_points": 10.0}]}
    >>> row = ResultRow(
    ...     "t1", "Trần Thị Lan", "xã Phan Sơn", "commune_pc", "co-ban", 1, "s1", "2", 7, "2026-06-01T08:00+00:00",
    ...     None, 80.0, 100.0, 80.0, 85.0, 85.0, ("E02", "E06"), {"D1": 8.0},
    ...     ({"decision_point": "D1", "comment": "đúng hạn"}, {"decision_point": "D4", "comment": "thiếu"}),
    ...     report, "a1", "2026-06-01T08:10+00:00",
    ... )
    >>> values = row_values(row)
    >>> len(values) == len(COLUMNS), values[:5], values[9]
    (True, ['Trần Thị Lan', 'xã Phan Sơn', 'commune_pc', 'co-ban', 1], '')
    >>> values[15:18], values[-2:]
    (['E02 E06', 8.0, None], ['D1: đúng hạn | D4: thiếu', 's1'])
    >>> texts = ExportTexts("vi", {"role_commune_pc": "Cán bộ UBND xã"}, {"co-ban": "Cơ bản"}, {"s1": "Ca một"},
    ...                     {"E02": "Chậm thông báo"})
    >>> row_values(row, texts)[2:9], row_values(row, texts)[15]
    (['Cán bộ UBND xã', 'Cơ bản', 1, 'Ca một', '2', 7, '01/06/2026 15:00'], 'E02: Chậm thông báo; E06')
    """
    texts = texts or ExportTexts()
    comments = " | ".join(f"{o['decision_point']}: {o['comment']}" for o in row.overrides)
    return [
        row.full_name,
        row.commune,
        texts.text(f"role_{row.role}", row.role),
        texts.exercises.get(row.exercise_id, row.exercise_id),
        row.case_number,
        texts.scenarios.get(row.scenario_id, row.scenario_id),
        row.scenario_version,
        row.seed,
        texts.time(row.started_at),
        texts.time(row.submitted_at),
        row.auto_total,
        row.max_points,
        row.auto_percent,
        row.final_total,
        row.final_percent,
        texts.errors(row.critical_errors),
        *[row.items.get(dp) for dp in SCORED_ITEMS],
        comments,
        row.scenario_id,
    ]


def statistics_rows(rows: list[ResultRow], texts: ExportTexts | None = None) -> list[list[Any]]:
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
    texts = texts or ExportTexts()
    out = []
    for exercise in sorted({r.exercise_id for r in rows}):
        reports = [r.report for r in rows if r.exercise_id == exercise and r.report]
        for stat in item_statistics(reports):
            out.append(
                [
                    texts.exercises.get(exercise, exercise),
                    texts.text(f"dp_{stat.item}", stat.item),
                    stat.n,
                    round(stat.difficulty, 4),
                    round(stat.mean_fraction, 4),
                    None if stat.discrimination is None else round(stat.discrimination, 4),
                ]
            )
    return out


SHEET_TITLE_LIMIT = 31


def sheet_title(text: str, taken: set[str]) -> str:
    """An Excel sheet name for ``text``: at most 31 characters (Excel's limit; a longer title is cut at a word and
    ends with "…"), none of ``[]:*?/\\``, unique among ``taken``. Each row names its exercise in full.

    >>> sheet_title("Tiếp nhận: cơ bản / nâng cao", set()), sheet_title("Kết quả", {"Kết quả"})
    ('Tiếp nhận- cơ bản - nâng cao', 'Kết quả (2)')
    >>> sheet_title("Xác minh nạn nhân và giấy tờ chứng minh", set())
    'Xác minh nạn nhân và giấy tờ…'
    """
    base = _cut(re.sub(r"[\[\]:*?/\\]", "-", text).strip("' ") or "-", SHEET_TITLE_LIMIT)
    name, n = base, 2
    while name in taken:
        suffix = f" ({n})"
        name = _cut(base.rstrip("…"), SHEET_TITLE_LIMIT - len(suffix)) + suffix
        n += 1
    taken.add(name)
    return name


def _cut(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else cut after its last whole word that leaves room for "…"."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    return (head.rsplit(" ", 1)[0] if " " in head else head).rstrip(" -,") + "…"


def csv_cell(value: Any, lang: str) -> Any:
    """A CSV cell: in Vietnamese a fraction has a decimal comma ("10,65"), as Excel set to Vietnamese reads it.

    >>> csv_cell(10.65, "vi"), csv_cell(10.65, "en"), csv_cell(7, "vi"), csv_cell("E02", "vi")
    ('10,65', 10.65, 7, 'E02')
    """
    return str(value).replace(".", ",") if lang != "en" and isinstance(value, float) else value


def export(
    store: ResultsStore, workshop_id: str, path: str | Path, lang: str = "vi", library: Library | None = None
) -> Path:
    """Write ``.csv`` or ``.xlsx`` (chosen by the file name), in ``lang`` with the titles of ``library``.

    ``library`` defaults to the packaged one.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise SimError(f"{path}: export to .csv or .xlsx (the file name decides the format)")
    if library is None:
        from sim.library import packaged_library

        library = packaged_library()
    texts = ExportTexts.of(library, lang)
    rows = workshop_results(store, workshop_id)
    header = [texts.header(c) for c in COLUMNS]
    if suffix == ".csv":
        # utf-8-sig: Excel opens Vietnamese correctly; in Vietnamese, ";" between cells and decimal commas (the
        # list and decimal separators of Excel set to Vietnamese), in English "," and decimal points.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out, delimiter="," if lang == "en" else ";")
            writer.writerow(header)
            writer.writerows([csv_cell(v, lang) for v in row_values(r, texts)] for r in rows)
        return path
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    exercises = sorted({r.exercise_id for r in rows})
    for exercise in exercises or [None]:
        title = texts.exercises.get(exercise, exercise) if exercise else texts.text("exp_results_sheet", "results")
        sheet = book.create_sheet(sheet_title(title, taken))
        sheet.append(header)
        for r in rows:
            if r.exercise_id == exercise:
                sheet.append(row_values(r, texts))
    stats = book.create_sheet(sheet_title(texts.text("exp_stats_sheet", "item_statistics"), taken))
    stats.append([texts.header(c) for c in _STATS_HEADERS])
    for values in statistics_rows(rows, texts):
        stats.append(values)
    book.save(path)
    return path
