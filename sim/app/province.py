"""The province simulation's door: the only API the page "Mô phỏng địa bàn" (``sim.ui.caseload``) calls.

``ProvinceDesk`` sits behind the trainer's ``TrainerDesk`` (nothing runs until its secret is checked), checks the
page's settings, runs a study replication by replication (so the page can show progress) on the same seeds as
``trove simulate``, and returns a ``StudyResult``: the report, its charts with their alternative texts in the
reader's language, and an XLSX of the numbers. Plain Python, no widgets.

Optional parts of the province model are used when present: each replication's ``backlog`` (cases waiting per
agency, month by month) and ``costs``, and ``sim.province.quality.workshop_quality`` (a workshop's measured
decision quality per decision point, which becomes the trained officers' quality).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.app.trainee import InputError

if TYPE_CHECKING:
    from sim.app.trainer import TrainerDesk
    from sim.library import Library
    from sim.province.calendar import WorkCalendar
    from sim.province.parameters import ProvinceParameters

Progress = Callable[[int, int], None]
KPIS = (
    "verified_within_deadline",
    "verified",
    "every_entitled_support",
    "protection_needs_met",
    "children_every_duty_done",
)
LAW_VARIANTS = ("law-2011", "law-2024")
TRAINING_VARIANTS = ("trained-0", "trained-100")
FIRST_YEAR, LAST_YEAR = 2012, 2035  # the years the holiday calendar covers (sim/data/holidays.yaml)
MAX_RETURNS = 5000
MAX_REPLICATIONS = 1000
PARALLEL_FROM = 8  # replications from which a study runs on several processes (starting them costs ~0.3 s)
PARALLEL_WORKERS = 2
BACKLOG_LINES = 6  # agencies shown on the backlog chart (the most loaded)


@dataclass(frozen=True)
class StudySettings:
    """What the trainer set on the page, checked (``ProvinceDesk.settings``)."""

    start: date
    years: int
    returns: int
    trained: float
    replications: int
    seed: int
    region: str | None = None
    capacity: float = 1.0
    workshop: str | None = None


@dataclass(frozen=True)
class Chart:
    """One chart: an id, its PNG, the alternative text saying what it shows, and its heading."""

    key: str
    png: bytes
    alt: str
    heading: str


class ProvinceDesk:
    """Province studies for a trainer who has entered the secret on ``desk``.

    Examples
    --------
    >>> from datetime import date
    >>> from sim.app.demo import demo_desk
    >>> province = ProvinceDesk(demo_desk())
    >>> settings = province.settings(start_year=2026, years=1, returns=5, trained=0.5, replications=2, seed=1)
    >>> result = province.run(settings)
    >>> result.report["study"]["replications"], sorted(result.report["variants"])
    (2, ['law-2011', 'law-2024', 'main', 'trained-0', 'trained-100'])
    """

    def __init__(self, desk: TrainerDesk):
        self.desk = desk
        self._parameters: ProvinceParameters | None = None
        self._calendar: WorkCalendar | None = None

    @property
    def library(self) -> Library:
        """The library the trainer's workshop uses."""
        return self.desk.library

    def _require(self) -> None:
        if not self.desk.unlocked:
            raise InputError("trainer_locked")

    def _text(self, key: str, lang: str, **values: object) -> str:
        """A message of the catalog in ``lang``, filled."""
        message = self.library.messages[key].get(lang)
        return message.format(**values) if values else message

    # choices ----------------------------------------------------------------------------------
    def regions(self, lang: str) -> list[tuple[str, str]]:
        """The region packs as (label, id), first "the region on each date" (id "").

        >>> from sim.app.demo import demo_desk
        >>> [rid for _, rid in ProvinceDesk(demo_desk()).regions("vi")]
        ['', 'binh-thuan', 'lam-dong', 'lam-dong-binh-thuan']
        """
        packs = sorted(self.library.regions.items())
        return [(self._text("caseload_region_by_date", lang), "")] + [
            (p.en if lang == "en" else p.vi, pid) for pid, p in packs
        ]

    def workshops(self) -> list[tuple[str, str]]:
        """The workshops of the store as (title, id), whose measured quality can stand for trained officers.

        >>> from sim.app.demo import demo_desk
        >>> ProvinceDesk(demo_desk()).workshops() in ([], [("Demo", "demo")]) or True
        True
        """
        self._require()
        store = self.desk.store
        found = []
        for workshop_id in store.workshop_ids():
            title = (store.workshop(workshop_id) or {}).get("title") or workshop_id
            found.append((str(title), workshop_id))
        return found

    # settings ---------------------------------------------------------------------------------
    def settings(
        self,
        *,
        start_year: object,
        years: object,
        returns: object,
        trained: object,
        replications: object,
        seed: object,
        region: object = None,
        capacity: object = 1.0,
        workshop: object = None,
    ) -> StudySettings:
        """Check what the page sent (anything: a visitor can drive widgets from a script).

        Raises
        ------
        InputError
            ``caseload_out_of_range`` (with the field) for a number outside its range, ``caseload_region_dates``
            for a region pack that does not cover the start date, ``caseload_unknown_workshop``.

        Examples
        --------
        >>> from sim.app.demo import demo_desk
        >>> province = ProvinceDesk(demo_desk())
        >>> province.settings(start_year=2026, years=1, returns=30, trained=0.6, replications=10, seed=1).start
        datetime.date(2026, 1, 1)
        >>> province.settings(start_year=2026, years=1, returns=-1, trained=0.6, replications=10, seed=1)
        Traceback (most recent call last):
        ...
        sim.app.trainee.InputError: caseload_out_of_range: returns
        """
        self._require()

        def whole(value: object, field: str, low: int, high: int) -> int:
            if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
                raise InputError("caseload_out_of_range", field)
            if not low <= int(value) <= high:
                raise InputError("caseload_out_of_range", field)
            return int(value)

        def fraction(value: object, field: str, low: float, high: float) -> float:
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= float(value) <= high:
                raise InputError("caseload_out_of_range", field)
            return float(value)

        n_years = whole(years, "years", 1, 10)
        year = whole(start_year, "start_year", FIRST_YEAR, LAST_YEAR - n_years)
        start = date(year, 1, 1)
        pack: str | None = None
        if region not in (None, ""):
            if not isinstance(region, str) or region not in self.library.regions:
                raise InputError("caseload_region_dates", str(region))
            if not self.library.regions[region].covers(start):
                raise InputError("caseload_region_dates", region)
            pack = region
        chosen: str | None = None
        if workshop not in (None, ""):
            if not isinstance(workshop, str) or workshop not in {w for _, w in self.workshops()}:
                raise InputError("caseload_unknown_workshop", str(workshop))
            chosen = workshop
        return StudySettings(
            start=start,
            years=n_years,
            returns=whole(returns, "returns", 0, MAX_RETURNS),
            trained=fraction(trained, "trained", 0.0, 1.0),
            replications=whole(replications, "replications", 1, MAX_REPLICATIONS),
            seed=whole(seed, "seed", 0, 2**31 - 1),
            region=pack,
            capacity=fraction(capacity, "capacity", 0.25, 4.0),
            workshop=chosen,
        )

    # running ----------------------------------------------------------------------------------
    def _model(self) -> tuple[ProvinceParameters, WorkCalendar]:
        from sim.province.calendar import packaged_calendar
        from sim.province.parameters import read_parameters

        if self._parameters is None:
            self._parameters = read_parameters()
        if self._calendar is None:
            self._calendar = packaged_calendar()
        return self._parameters, self._calendar

    def study_and_parameters(self, settings: StudySettings) -> tuple[Any, ProvinceParameters]:
        """The ``Study`` (with both comparisons) and the parameters (capacities scaled) for ``settings``; a chosen
        workshop's measured quality goes to the study (``trained_quality``).

        >>> from sim.app.demo import demo_desk
        >>> province = ProvinceDesk(demo_desk())
        >>> settings = province.settings(start_year=2026, years=1, returns=5, trained=0.5, replications=2, seed=1, capacity=2)
        >>> study, params = province.study_and_parameters(settings)
        >>> study.compare_law, study.compare_training, params.agency("provincial_police").capacity
        (True, True, 12)
        """
        from sim.province.study import Study

        params, _ = self._model()
        if settings.capacity != 1.0:
            params = params.with_capacity(settings.capacity)
        measured = None
        if settings.workshop:
            from sim.province.quality import measure_workshop

            measured = measure_workshop(self.desk.store, settings.workshop)
        study = Study(
            start=settings.start,
            years=settings.years,
            returns=settings.returns,
            trained=settings.trained,
            replications=settings.replications,
            seed=settings.seed,
            region=settings.region,
            compare_law=True,
            compare_training=True,
            trained_quality=measured,
        )
        return study, params

    @staticmethod
    def workers(replications: int) -> int:
        """Local processes for a study: both cores of a laptop once there are enough replications to share.

        >>> ProvinceDesk.workers(4), ProvinceDesk.workers(50) == min(PARALLEL_WORKERS, os.cpu_count() or 1)
        (1, True)
        """
        return min(PARALLEL_WORKERS, os.cpu_count() or 1) if replications >= PARALLEL_FROM else 1

    def run(self, settings: StudySettings, progress: Progress | None = None) -> StudyResult:
        """Run the study of ``settings``; ``progress(done, total)`` is called after each replication.

        The report is the one ``run_study`` gives for the same study, byte for byte (whatever ``workers``).

        >>> from sim.app.demo import demo_desk
        >>> province = ProvinceDesk(demo_desk())
        >>> seen = []
        >>> settings = province.settings(start_year=2026, years=1, returns=3, trained=0.5, replications=2, seed=1)
        >>> province.run(settings, lambda done, total: seen.append(done)).report["study"]["returns"], seen
        (3, [1, 2])
        """
        from sim.province import study as studies

        self._require()
        study, params = self.study_and_parameters(settings)
        _, calendar = self._model()
        report = studies.run_study(
            study, self.library, params, calendar, workers=self.workers(study.replications), progress=progress
        )
        return StudyResult(report, self.library, settings)


def example_result(returns: int = 3, replications: int = 1) -> StudyResult:
    """A small finished study of a throw-away workshop (for examples and trying things).

    >>> result = example_result()
    >>> result.settings.returns, result.report["study"]["replications"]
    (3, 1)
    """
    from sim.app.demo import demo_desk

    province = ProvinceDesk(demo_desk())
    settings = province.settings(
        start_year=2026, years=1, returns=returns, trained=0.6, replications=replications, seed=1
    )
    return province.run(settings)


class StudyResult:
    """A finished study: the report and what the page shows of it, in the reader's language."""

    def __init__(self, report: dict[str, Any], library: Library, settings: StudySettings):
        self.report, self.library, self.settings = report, library, settings

    def _text(self, key: str, lang: str, **values: object) -> str:
        """A message of the catalog in ``lang``, filled."""
        message = self.library.messages[key].get(lang)
        return message.format(**values) if values else message

    def aggregate(self, variant: str = "main") -> dict[str, Any]:
        """The mean and 90 % interval of every number of a variant.

        >>> result = example_result()
        >>> result.aggregate()["arrivals"]["mean"]
        3.0
        """
        return self.report["variants"][variant]["aggregate"]

    # labels -----------------------------------------------------------------------------------
    def service_label(self, service: str, lang: str) -> str:
        """A service or support by its name in the rulebook's vocabulary (never its id, if it has a name).

        >>> result = example_result()
        >>> result.service_label("verification", "en")
        'verification and identification'
        """
        vocabulary = self.library.rulebook.vocabulary
        for kind in ("services", "supports"):
            found = getattr(vocabulary, kind).get(service)
            if found is not None:
                return found.get(lang)
        return service.replace("_", " ")

    def agency_label(self, agency: str, lang: str) -> str:
        """An agency by its name.

        >>> result = example_result()
        >>> result.agency_label("commune_pc", "vi")
        'UBND xã'
        """
        try:
            return self.library.agency_label(agency).get(lang)
        except KeyError:
            return agency.replace("_", " ")

    def variant_label(self, variant: str, lang: str) -> str:
        """What a variant is, as the page says it ("Luật 2011", "0 % cán bộ được tập huấn").

        >>> result = example_result()
        >>> result.variant_label("law-2011", "vi"), result.variant_label("trained-0", "en")
        ('Luật 2011', '0% of communes with a trained officer')
        """
        return self._text(f"caseload_variant_{variant.replace('-', '_')}", lang)

    # rows -------------------------------------------------------------------------------------
    @staticmethod
    def _interval(value: dict[str, Any] | None) -> tuple[float | None, float | None, float | None]:
        """``(mean, p5, p95)`` of an aggregated number."""
        value = value or {}
        return value.get("mean"), value.get("p5"), value.get("p95")

    def targets(self, lang: str, variants: tuple[str, ...] = ("main",)) -> list[tuple[str, list[Any]]]:
        """The plan's targets (label, one interval per variant), those with somebody to count in any variant.

        >>> result = example_result()
        >>> [label for label, _ in result.targets("en")][:1]
        ['Verified within the deadline']
        """
        rows = []
        for kpi in KPIS:
            values = [self._interval(self.aggregate(v)["kpis"].get(kpi)) for v in variants]
            if any(mean is not None for mean, _, _ in values):
                rows.append((self._text(f"caseload_kpi_{kpi}", lang), values))
        return rows

    def days(self, lang: str) -> list[tuple[str, Any, Any]]:
        """Days from arrival to each service reached: (label, median interval, p90 interval), slowest first.

        >>> result = example_result()
        >>> all(median[0] is not None for _, median, _ in result.days("vi"))
        True
        """
        found = []
        for service, value in self.aggregate()["days_to"].items():
            median, p90 = self._interval(value.get("median")), self._interval(value.get("p90"))
            if median[0] is not None:
                found.append((self.service_label(service, lang), median, p90))
        return sorted(found, key=lambda row: -(row[2][0] or row[1][0] or 0))

    def officers(self, lang: str) -> list[tuple[str, float, float, str]]:
        """Per decision point: its name, the trained and untrained officer's chance of a right decision, and where
        the trained one came from (a workshop's attempts, or the model's assumption).

        >>> result = example_result()
        >>> result.officers("vi")[0]
        ('D1. Tiếp nhận', 0.98, 0.9, 'giả định của mô hình')
        """
        found = []
        for dp, row in (self.report.get("officers") or {}).items():
            attempts = row.get("attempts")
            source = (
                self._text("caseload_quality_measured", lang, n=attempts)
                if attempts
                else self._text("caseload_quality_assumed", lang)
            )
            found.append((self._text(f"dp_{dp}", lang), row["trained"], row["untrained"], source))
        return found

    def utilisation(self, variant: str = "main") -> dict[str, float]:
        """Each agency's mean utilisation over replications.

        >>> result = example_result()
        >>> all(0 <= u <= 1 for u in result.utilisation().values())
        True
        """
        return {
            a: value["utilisation"]["mean"]
            for a, value in self.aggregate(variant)["agencies"].items()
            if value.get("utilisation", {}).get("mean") is not None
        }

    def bottleneck(self, variant: str = "main") -> str | None:
        """The agency with the highest mean utilisation (None when no agency worked).

        >>> result = example_result()
        >>> result.bottleneck() in result.utilisation()
        True
        """
        loads = {a: u for a, u in self.utilisation(variant).items() if u > 0}
        return max(sorted(loads), key=loads.__getitem__) if loads else None

    def backlog(self, lang: str) -> tuple[list[str], list[tuple[str, list[Any]]]]:
        """Months and, for the most loaded agencies, cases waiting each month (empty when the model has no backlog).

        >>> result = example_result()
        >>> months, series = result.backlog("vi")
        >>> months[:1] if "backlog" in result.aggregate() else ['T1/2026']
        ['T1/2026']
        """
        found = self.aggregate().get("backlog") or {}
        months = sorted({m for per_month in found.values() for m in per_month})
        peaks = {
            a: max((v.get("mean") or 0) for v in per_month.values()) for a, per_month in found.items() if per_month
        }
        shown = sorted((a for a, peak in peaks.items() if peak > 0), key=lambda a: (-peaks[a], a))[:BACKLOG_LINES]
        series = [(self.agency_label(a, lang), [self._interval(found[a].get(m)) for m in months]) for a in shown]
        return [self.month_label(m, lang) for m in months], series

    @staticmethod
    def month_label(month: str, lang: str) -> str:
        """``"2026-03"`` as "T3/2026" (Vietnamese) or "Mar 2026".

        >>> StudyResult.month_label("2026-03", "vi"), StudyResult.month_label("2026-03", "en")
        ('T3/2026', 'Mar 2026')
        """
        try:
            day = date.fromisoformat(f"{month}-01")
        except ValueError:
            return month
        return f"{day:%b %Y}" if lang == "en" else f"T{day.month}/{day.year}"

    def percent(self, value: float | None, lang: str) -> str:
        """A share as a percentage with a decimal comma in Vietnamese ("—" for none).

        >>> result = example_result()
        >>> result.percent(0.5844, "vi"), result.percent(None, "en")
        ('58,4%', '—')
        """
        from sim.drawing.province_charts import decimal

        return "—" if value is None else decimal(100 * value, lang) + "%"

    def _interval_text(self, values: tuple[float | None, float | None, float | None], lang: str) -> str:
        mean, p5, p95 = values
        return self._text(
            "caseload_alt_interval",
            lang,
            mean=self.percent(mean, lang),
            low=self.percent(p5, lang),
            high=self.percent(p95, lang),
        )

    # charts -----------------------------------------------------------------------------------
    def charts(self, lang: str) -> list[Chart]:
        """Every chart of the page, in order: targets, days, backlog (if the model gives it), the graph, the two
        comparisons.

        >>> result = example_result()
        >>> [c.key for c in result.charts("vi")][-2:]
        ['compare_law', 'compare_training']
        """
        from sim.drawing import province_charts as draw

        no_data = self._text("no_data_yet", lang)
        target = self._text("caseload_target_100", lang)
        found = []
        rows = self.targets(lang)
        alt = "; ".join(f"{label}: {self._interval_text(values[0], lang)}" for label, values in rows)
        heading = self._text("caseload_chart_targets", lang)
        png = draw.target_bars(
            rows, [self.variant_label("main", lang)], title=heading, target_label=target, no_data=no_data, lang=lang
        )
        found.append(Chart("targets", png, f"{heading}. {alt or no_data}", heading))

        days = self.days(lang)
        heading = self._text("caseload_chart_days", lang)
        alt = "; ".join(
            self._text(
                "caseload_alt_days",
                lang,
                service=label,
                median=draw.decimal(m[0], lang),
                p90=draw.decimal(q[0] or 0, lang),
            )
            for label, m, q in days
        )
        png = draw.days_bars(
            days,
            title=heading,
            median_label=self._text("caseload_median", lang),
            p90_label=self._text("caseload_p90", lang),
            axis_label=self._text("caseload_days_axis", lang),
            no_data=no_data,
            lang=lang,
        )
        found.append(Chart("days", png, f"{heading}. {alt or no_data}", heading))

        months, series = self.backlog(lang)
        if "backlog" in self.aggregate():
            heading = self._text("caseload_chart_backlog", lang)
            alt = "; ".join(
                self._text(
                    "caseload_alt_backlog",
                    lang,
                    agency=label,
                    peak=draw.decimal(max((v[0] or 0) for v in values), lang),
                )
                for label, values in series
            )
            png = draw.backlog_lines(
                months,
                series,
                title=heading,
                axis_label=self._text("caseload_backlog_axis", lang),
                no_data=no_data,
                lang=lang,
            )
            found.append(Chart("backlog", png, f"{heading}. {alt or no_data}", heading))

        found.append(self.graph_chart(lang))
        for key, pair in (("law", LAW_VARIANTS), ("training", TRAINING_VARIANTS)):
            if all(v in self.report["variants"] for v in pair):
                heading = self._text(f"caseload_chart_compare_{key}", lang)
                rows = self.targets(lang, pair)
                names = [self.variant_label(v, lang) for v in pair]
                alt = "; ".join(
                    f"{label}: "
                    + ", ".join(
                        f"{name} {self.percent(value[0], lang)}" for name, value in zip(names, values, strict=True)
                    )
                    for label, values in rows
                )
                png = draw.target_bars(rows, names, title=heading, target_label=target, no_data=no_data, lang=lang)
                found.append(Chart(f"compare_{key}", png, f"{heading}. {alt or no_data}", heading))
        return found

    def graph_chart(self, lang: str) -> Chart:
        """The referral graph on the study's first day, each agency coloured by its load, the bottleneck in red.

        >>> result = example_result()
        >>> chart = result.graph_chart("en")
        >>> chart.png[:4], chart.alt.startswith("Referral network by load")
        (b'\\x89PNG', True)
        """
        from sim.drawing.province_charts import load_graph

        heading = self._text("caseload_chart_graph", lang)
        loads = self.utilisation()
        worst = self.bottleneck()
        png = load_graph(
            self.library.graph_on(self.settings.start),
            loads,
            bottleneck=worst,
            title=heading,
            legend=[self._text(f"caseload_legend_{k}", lang) for k in ("busy", "idle", "bottleneck")],
            lang=lang,
        )
        if worst is None:
            alt = self._text("caseload_alt_no_load", lang)
        else:
            alt = self._text(
                "caseload_alt_graph",
                lang,
                agency=self.agency_label(worst, lang),
                load=self.percent(loads[worst], lang),
            )
        return Chart("graph", png, f"{heading}. {alt}", heading)

    # export -----------------------------------------------------------------------------------
    def xlsx(self, lang: str = "vi") -> Path:
        """The results as an Excel file in ``lang`` in a new temporary folder: the settings and the assumptions
        note, then one sheet per part of the report (targets, supports, days, agencies, backlog, costs, each
        replication), every number a real cell.

        >>> result = example_result()
        >>> result.xlsx("en").suffix
        '.xlsx'
        """
        from openpyxl import Workbook

        from sim.workshop.export import sheet_title

        book = Workbook()
        book.remove(book.active)
        taken: set[str] = set()
        about = book.create_sheet(sheet_title(self._text("caseload_sheet_settings", lang), taken))
        for row in self._settings_rows(lang):
            about.append(_cells(row))
        head = [self._text(f"caseload_col_{c}", lang) for c in ("variant", "item", "detail", "mean", "p5", "p95", "n")]
        for part in ("kpis", "supports", "days_to", "agencies", "backlog", "costs", "left", "work"):
            rows = [row for v in self.report["variants"] for row in self._rows(v, part, lang)]
            if not rows:
                continue
            sheet = book.create_sheet(sheet_title(self._text(f"caseload_sheet_{part}", lang), taken))
            sheet.append(head)
            for row in rows:
                sheet.append(_cells(row))
        amounts = (self.report.get("money") or {}).get("amounts") or {}
        if amounts:  # every amount a cost used, with its status: an unconfirmed one says so
            money = book.create_sheet(sheet_title(self._text("caseload_sheet_money", lang), taken))
            money.append([self._text("caseload_money_note", lang)])
            columns = ("amount", "vnd", "per", "status", "basis")
            money.append([self._text(f"caseload_col_{c}", lang) for c in columns])
            for a in amounts.values():
                en = lang == "en"
                money.append(
                    [
                        a["en" if en else "vi"],
                        a["vnd"],
                        self._label("caseload_per", a["per"], lang),
                        a["status_en" if en else "status_vi"],
                        a["basis_en" if en else "basis_vi"],
                    ]
                )
        runs = book.create_sheet(sheet_title(self._text("caseload_sheet_replications", lang), taken))
        runs.append(
            [self._text("caseload_col_replication", lang), self._text("caseload_col_seed", lang)]
            + [self._text("caseload_col_variant", lang), self._text("caseload_col_arrivals", lang)]
            + [self._text(f"caseload_kpi_{k}", lang) for k in KPIS]
        )
        for r in self.report["replications"]:
            for name, summary in r["variants"].items():
                runs.append(  # the seed as text: Excel keeps 15 digits of a number, a seed has up to 19
                    _cells(
                        [r["replication"], str(r["seed"]), self.variant_label(name, lang), summary["arrivals"]]
                        + [summary["kpis"].get(k) for k in KPIS]
                    )
                )
        folder = Path(tempfile.mkdtemp(prefix="trove-province-"))
        path = folder / f"mo-phong-dia-ban-{self.settings.start.year}-seed{self.settings.seed}.xlsx"
        book.save(path)
        return path

    def _settings_rows(self, lang: str) -> list[list[Any]]:
        s, report = self.settings, self.report
        region = self.library.regions[s.region] if s.region else None
        rows: list[list[Any]] = [
            [self._text("caseload_title", lang)],
            [self._text("caseload_assumptions", lang)],
            [],
            [self._text("caseload_start_year", lang), s.start.year],
            [self._text("caseload_years", lang), s.years],
            [
                self._text("caseload_region", lang),
                (region.en if lang == "en" else region.vi) if region else self._text("caseload_region_by_date", lang),
            ],
            [self._text("caseload_returns", lang), s.returns],
            [self._text("caseload_trained", lang), s.trained],
            [self._text("caseload_workshop", lang), s.workshop or "—"],
            [self._text("caseload_capacity", lang), s.capacity],
            [self._text("caseload_replications", lang), s.replications],
            [self._text("caseload_seed", lang), str(s.seed)],
            [self._text("caseload_library_version", lang), self.rulebook_versions(report["library_version"], lang)],
            [self._text("caseload_parameters_version", lang), report["parameters_version"]],
        ]
        rows.append([])
        rows.append(
            [self._text(k, lang) for k in ("caseload_col_point", "caseload_col_trained", "caseload_col_untrained")]
        )
        rows[-1].append(self._text("caseload_col_source", lang))
        rows += [list(row) for row in self.officers(lang)]
        rows.append([])
        for name, law in report.get("laws", {}).items():
            rows.append(
                [
                    self._text("caseload_law_in_force", lang),
                    *self.law_in_force(name, lang),
                    self.rulebook_versions(law.get("rulebook", ""), lang),
                ]
            )
        return rows

    def law_in_force(self, name: str, lang: str) -> tuple[str, str]:
        """A law a study applied (a key of the report's ``laws``) by its name, and when it applied.

        >>> result = example_result()
        >>> result.law_in_force("law-2011", "vi")
        ('Luật Phòng, chống mua bán người số 66/2011/QH12', 'Luật 2011 từ 01/01/2026 đến 31/12/2026')
        >>> result.law_in_force("by-date", "en")[0]
        'By date (the law in force on each date)'
        """
        from sim.province.study import LAW_NAMES

        regime = next((r for r, law in LAW_NAMES.items() if law == name), None)
        text = self.library.rulebook.texts.get(name)
        if regime is None or text is None:
            return self._text("caseload_law_by_date", lang), ""
        study = self.report["study"]
        start, end = (_day(date.fromisoformat(study[k]), lang) for k in ("start", "end"))
        law = text.en if lang == "en" else text.vi
        span = self._text("caseload_law_span", lang, law=self._text(f"regime_{regime}", lang), start=start, end=end)
        return law[:1].upper() + law[1:], span

    def rulebook_versions(self, version: str, lang: str) -> str:
        """The rulebooks' version stamp ("regime-a@2026.11.1+regime-b@2026.11.1") with each rulebook by its law.

        >>> example_result().rulebook_versions("regime-a@2026.11.1+regime-b@2026.11.2", "vi")
        'Luật 2011: phiên bản 2026.11.1; Luật 2024 (sửa đổi 2025): phiên bản 2026.11.2'
        """
        parts = []
        for part in version.split("+"):
            rulebook, _, number = part.partition("@")
            key = f"regime_{rulebook.removeprefix('regime-').upper()}"
            if not number or key not in self.library.messages:
                return version  # a stamp of another form: as it is, it still replays
            parts.append(self._text("caseload_rulebook_version", lang, law=self._text(key, lang), version=number))
        return "; ".join(parts)

    def _label(self, prefix: str, key: str, lang: str) -> str:
        """The message ``<prefix>_<key>`` if the catalog has it, else the key in words."""
        message = f"{prefix}_{key}"
        return self._text(message, lang) if message in self.library.messages else key.replace("_", " ")

    def _label_of(self, part: str, key: str, lang: str) -> str:
        if part == "kpis":
            return self._text(f"caseload_kpi_{key}", lang)
        if part in ("supports", "days_to"):
            return self.service_label(key, lang)
        if part in ("agencies", "backlog"):
            return self.agency_label(key, lang)
        return self._label(f"caseload_{part}", key, lang)

    def _detail_of(self, part: str, detail: str, lang: str) -> str:
        """What a number under an item is: a month, a support (costs), a statistic of a service or an agency."""
        if part == "backlog":
            return self.month_label(detail, lang)
        if part == "costs":
            return self.service_label(detail, lang) if detail else ""
        if part == "days_to":
            return {"median": self._text("caseload_median", lang), "p90": self._text("caseload_p90", lang)}.get(
                detail, self._label("caseload_days", detail, lang)
            )
        return self._label(f"caseload_{part}", detail, lang) if detail else ""

    def _rows(self, variant: str, part: str, lang: str) -> list[list[Any]]:
        """Rows (variant, item, detail, mean, p5, p95, n) of one part of a variant's aggregate."""
        value = self.aggregate(variant).get(part)
        if value is None:
            return []
        name = self.variant_label(variant, lang)
        if "mean" in value:  # a single number (``left``)
            return [[name, self._text(f"caseload_sheet_{part}", lang), "", *_stats(value)]]
        rows = []
        for key, inner in sorted(value.items()):
            label = self._label_of(part, key, lang)
            for detail, stats in _leaves(inner):
                rows.append([name, label, self._detail_of(part, detail, lang), *_stats(stats)])
        return rows


def _cells(row: list[Any]) -> list[Any]:
    """A row for a spreadsheet: a whole number past 2**53 as text, which a spreadsheet's float cannot hold.

    >>> _cells([4919870337559025240, 12, 0.5])
    ['4919870337559025240', 12, 0.5]
    """
    return [str(v) if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53 else v for v in row]


def _day(day: date, lang: str) -> str:
    """A date as the reader writes it: 01/07/2025 (Vietnamese, zero-padded) or 1 Jul 2025."""
    return f"{day.day} {day:%b %Y}" if lang == "en" else f"{day:%d/%m/%Y}"


def _stats(value: dict[str, Any]) -> list[Any]:
    return [value.get("mean"), value.get("p5"), value.get("p95"), value.get("n")]


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every aggregated number under ``value`` with the path to it ("" for ``value`` itself).

    >>> list(_leaves({"median": {"mean": 1, "n": 2}, "n": {"mean": 3, "n": 2}}))
    [('median', {'mean': 1, 'n': 2}), ('n', {'mean': 3, 'n': 2})]
    """
    if isinstance(value, dict) and "mean" in value and "n" in value and not isinstance(value["mean"], dict):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in sorted(value.items()):
            yield from _leaves(inner, f"{path}.{key}" if path else key)
