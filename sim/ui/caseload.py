"""The page "Mô phỏng địa bàn" (``notebooks/caseload.ipynb``): a province study set up, run with a progress bar,
and read as charts (the plan's targets, days to each service, backlog, the referral network by load, the other
law and 0 % vs 100 % trained on the same returns), with an XLSX of the numbers. Behind the trainer secret, in
Voilà and in JupyterLab; everything it shows comes from ``sim.app.province``."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from sim.app.province import MAX_REPLICATIONS, MAX_RETURNS, Chart, ProvinceDesk, StudyResult
from sim.app.trainee import InputError
from sim.app.trainer import TrainerDesk, vietnam_today
from sim.ui.guard import guarded
from sim.ui.i18n import day_text, number, percent, t
from sim.ui.picture import ZOOM_RULES, Picture, zoomable

CAPACITIES = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
SIDE_BY_SIDE = ("compare_law", "compare_training")
FIELDS = ("start_year", "years", "returns", "trained", "capacity", "replications", "seed")

CSS = (
    """<style>
.trove-caseload{max-width:1100px}
.trove-caseload img{display:block;max-width:100%;height:auto}
.trove-caseload .trove-chart{margin:0 0 16px 0;min-width:0}
.trove-caseload .trove-chart h3{font-size:18px;margin:12px 0 4px 0}
.trove-caseload .trove-side{display:flex;flex-wrap:wrap;gap:16px}
.trove-caseload .trove-side .trove-chart{flex:1 1 420px}
.trove-caseload .trove-assumptions{border-left:4px solid #8a4500;background:#fff4e0;padding:8px 12px;margin:8px 0}
.trove-caseload .trove-note{font-size:14px;color:#4a4a4a}
.trove-caseload table.trove-table{border-collapse:collapse;max-width:100%}
.trove-caseload .trove-table td,.trove-caseload .trove-table th{padding:4px 8px;border-bottom:1px solid #ddd;
 text-align:left;vertical-align:top}
.trove-caseload .widget-inline-hbox{flex-wrap:wrap;max-width:100%}
.trove-caseload .widget-inline-hbox .widget-label{max-width:100%;white-space:normal}
.trove-caseload .widget-hslider{width:min(100%,520px);height:auto;min-height:44px}
.trove-caseload .widget-hslider .slider-container{min-width:160px;flex:1 1 160px}
.trove-caseload .widget-button{width:auto;max-width:100%}
"""
    + ZOOM_RULES
    + """</style>"""
)


class CaseloadApp:
    """The page over an unlocked ``ProvinceDesk``: settings, Run, progress, results, XLSX."""

    def __init__(self, province: ProvinceDesk, lang: str = "vi"):
        self.province, self.lang = province, lang
        self.result: StudyResult | None = None
        wide = {"description_width": "initial"}
        year = vietnam_today().year
        self.language = widgets.ToggleButtons(options=[("Tiếng Việt", "vi"), ("English", "en")], value=lang)
        self.start_year = widgets.BoundedIntText(value=year, min=2012, max=2034, style=wide)
        self.years = widgets.BoundedIntText(value=1, min=1, max=10, style=wide)
        # Radio options wrap their text: the region packs' names are long for a phone's dropdown
        self.region = widgets.RadioButtons(style=wide, layout=widgets.Layout(width="auto", max_width="100%"))
        self.returns = widgets.BoundedIntText(value=120, min=0, max=MAX_RETURNS, style=wide)
        self.trained = widgets.FloatSlider(value=0.6, min=0, max=1, step=0.05, readout_format=".0%", style=wide)
        self.workshop = widgets.Dropdown(style=wide, layout=widgets.Layout(width="min(100%, 520px)"))
        self.workshop_note = widgets.HTML()
        self.capacity = widgets.Dropdown(value=1.0, options=[(f"×{c}", c) for c in CAPACITIES], style=wide)
        self.replications = widgets.BoundedIntText(value=20, min=1, max=MAX_REPLICATIONS, style=wide)
        self.seed = widgets.BoundedIntText(value=1, min=0, max=2**31 - 1, style=wide)
        self.run_button = widgets.Button(button_style="primary", icon="play")
        self.progress = widgets.IntProgress(value=0, min=0, max=1, style=wide)
        self.status = widgets.HTML()
        self.message = widgets.HTML()
        self.results = widgets.VBox()
        self.export_button = widgets.Button(icon="download", layout=widgets.Layout(display="none"))
        self.link = widgets.HTML()
        self.heading = widgets.HTML()
        self.run_button.on_click(lambda _: self._guard(self.run))
        self.export_button.on_click(lambda _: self._guard(self.export))
        self.language.observe(lambda change: self._guard(lambda: self.set_language(change["new"])), names="value")
        self.form = widgets.VBox(
            [
                self.start_year,
                self.years,
                self.region,
                self.returns,
                self.trained,
                self.workshop,
                self.workshop_note,
                self.capacity,
                self.replications,
                self.seed,
            ]
        )
        self.widget = widgets.VBox(
            [
                widgets.HTML(CSS),
                self.language,
                self.heading,
                self.form,
                self.run_button,
                self.progress,
                self.status,
                self.message,
                self.results,
                widgets.HBox([self.export_button]),
                self.link,
            ]
        )
        self.widget.add_class("trove-caseload")
        self._guard(self.relabel)

    def _guard(self, action: Callable[[], Any]) -> Any:
        """Run a page action: a refused setting shows its own sentence; anything else goes through ``guarded``."""

        def checked() -> Any:
            try:
                return action()
            except InputError as exc:
                if not exc.key.startswith("caseload_"):
                    raise
                detail = self._named(exc.detail)
                self.message.value = (
                    f"<div class='trove-error' role='alert'>{html.escape(t(exc.key, self.lang, detail=detail))}</div>"
                )
                return None

        return guarded(checked, self.message, self.lang, "caseload page")

    def _named(self, value: str) -> str:
        """A refused value as the page names it: a field by its label, a region or workshop by its name."""
        if value in FIELDS:
            return t(f"caseload_{value}", self.lang)
        for options in (self.region.options, self.workshop.options):
            found = [label for label, v in options if v == value]
            if found:
                return f"«{found[0]}»"
        return value

    # labels -----------------------------------------------------------------------------------
    def relabel(self) -> None:
        """Every label in the page's language (the values the trainer set stay)."""
        L = self.lang
        self.heading.value = (
            f"<h2>{t('caseload_title', L)}</h2><p>{html.escape(t('caseload_intro', L))}</p>"
            f"<p class='trove-assumptions'>{html.escape(t('caseload_assumptions', L))}</p>"
        )
        for field in FIELDS:
            getattr(self, field).description = t(f"caseload_{field}", L)
        self.region.description = t("caseload_region", L)
        region = self.region.value
        self.region.options = self.province.regions(L)
        self.region.value = region if region in [v for _, v in self.region.options] else ""
        capacity = self.capacity.value
        self.capacity.options = [(f"×{number(c, L)}", c) for c in CAPACITIES]
        self.capacity.value = capacity
        self.workshop.description = t("caseload_workshop", L)
        chosen = self.workshop.value
        measured = [(t("caseload_workshop_measured", L, title=title), w) for title, w in self.province.workshops()]
        self.workshop.options = [(t("caseload_workshop_assumed", L), ""), *measured]
        self.workshop.value = chosen if chosen in [w for _, w in measured] else ""
        self.run_button.description = t("caseload_run", L)
        self.progress.description = t("caseload_progress", L)
        self.export_button.description = t("caseload_export_xlsx", L)

    def set_language(self, lang: str) -> None:
        """Show the page in ``lang``, the results too."""
        self.lang = lang
        self.relabel()
        self.link.value = ""
        if self.result is not None:
            self.show_result(self.result)

    # run --------------------------------------------------------------------------------------
    def run(self) -> None:
        """Check the settings, run the study with the bar moving per replication, then show the results."""
        L = self.lang
        self.message.value = self.link.value = ""
        settings = self.province.settings(
            start_year=self.start_year.value,
            years=self.years.value,
            returns=self.returns.value,
            trained=self.trained.value,
            replications=self.replications.value,
            seed=self.seed.value,
            region=self.region.value,
            capacity=self.capacity.value,
            workshop=self.workshop.value or None,
        )
        self.progress.max, self.progress.value = settings.replications, 0
        self.status.value = t("caseload_running", L, done=0, total=settings.replications)
        self.run_button.disabled = True

        def moved(done: int, total: int) -> None:
            self.progress.value = done
            self.status.value = t("caseload_running", L, done=done, total=total)

        began = time.monotonic()
        try:
            result = self.province.run(settings, moved)
        finally:
            self.run_button.disabled = False
        self.status.value = t(
            "caseload_done", L, total=settings.replications, seconds=number(round(time.monotonic() - began, 1), L)
        )
        self.result = result
        self.show_result(result)

    def show_result(self, result: StudyResult) -> None:
        """The charts of ``result``, each with its heading, alternative text and how to read it."""
        L, s = self.lang, result.settings
        charts = result.charts(L)
        summary = t(
            "caseload_summary",
            L,
            start=day_text(s.start, L),
            end=day_text(_end(result), L),
            returns=s.returns,
            trained=percent(100 * s.trained, L),
            capacity=number(s.capacity, L),
            replications=s.replications,
            seed=s.seed,
        )
        head = f"<p><b>{html.escape(summary)}</b></p>" + (self._quality_table(result) if s.workshop else "")
        parts: list[widgets.Widget] = [widgets.HTML(head)]
        side = []
        for chart in charts:
            block = self._figure(chart, self._reading(chart, result))
            (side if chart.key in SIDE_BY_SIDE else parts).append(block)
        if side:
            parts.append(widgets.Box(side, layout=widgets.Layout(width="100%")))
            parts[-1].add_class("trove-side")
        parts.append(widgets.HTML(f"<p class='trove-assumptions'>{html.escape(t('caseload_assumptions', L))}</p>"))
        self.results.children = parts
        self.export_button.layout.display = None

    def _figure(self, chart: Chart, reading: str) -> widgets.Widget:
        """A chart with its heading and the text under it; the picture fits the screen and zooms to full size (its
        type was about 5 px on a 390 px phone)."""
        picture = Picture(chart.alt, scrolls=True)
        picture.show(chart.png)
        box, zoom = zoomable(picture, self.lang, "_chart")
        figure = widgets.VBox(
            [widgets.HTML(f"<h3>{html.escape(chart.heading)}</h3>"), zoom, box, widgets.HTML(reading)]
        )
        figure.add_class("trove-chart")
        figure.add_class(f"trove-chart-{chart.key}")
        return figure

    def _reading(self, chart: Chart, result: StudyResult) -> str:
        """The text under a chart: the targets as a table, the bottleneck named, the interval note."""
        L = self.lang
        if chart.key == "targets":
            rows = "".join(
                f"<tr><td>{html.escape(label)}</td><td>{result.percent(mean, L)}</td>"
                f"<td>{result.percent(p5, L)} – {result.percent(p95, L)}</td></tr>"
                for label, [(mean, p5, p95)] in result.targets(L)
            )
            head = "".join(
                f"<th>{t(k, L)}</th>" for k in ("caseload_col_item", "caseload_col_mean", "caseload_col_interval")
            )
            return (
                f"<table class='trove-table'><tr>{head}</tr>{rows}</table>"
                f"<p class='trove-note'>{html.escape(t('caseload_interval_note', L))}</p>"
            )
        if chart.key == "graph":
            worst = result.bottleneck()
            if worst is None:
                return f"<p class='trove-note'>{html.escape(t('caseload_alt_no_load', L))}</p>"
            name = html.escape(result.agency_label(worst, L))
            load = result.percent(result.utilisation()[worst], L)
            return f"<p>{t('caseload_bottleneck', L, agency=name, load=load)}</p>"
        if chart.key in SIDE_BY_SIDE:
            return f"<p class='trove-note'>{html.escape(t('caseload_interval_note', L))}</p>"
        return ""

    def _quality_table(self, result: StudyResult) -> str:
        """The decision quality the trained officers had: measured in the chosen workshop, or assumed."""
        L = self.lang
        head = "".join(
            f"<th>{t(k, L)}</th>"
            for k in ("caseload_col_point", "caseload_col_trained", "caseload_col_untrained", "caseload_col_source")
        )
        rows = "".join(
            f"<tr><td>{html.escape(point)}</td><td>{percent(100 * trained, L)}</td>"
            f"<td>{percent(100 * untrained, L)}</td><td>{html.escape(source)}</td></tr>"
            for point, trained, untrained, source in result.officers(L)
        )
        return f"<h3>{t('caseload_workshop', L)}</h3><table class='trove-table'><tr>{head}</tr>{rows}</table>"

    # export -----------------------------------------------------------------------------------
    def export(self) -> None:
        """Write the results as XLSX and offer the download link."""
        from sim.ui.trainer import _download_link

        if self.result is not None:
            self.link.value = _download_link(self.result.xlsx(self.lang), self.lang)


def _end(result: StudyResult) -> Any:
    from datetime import date

    return date.fromisoformat(result.report["study"]["end"])


def show(desk: TrainerDesk | None = None, lang: str = "vi") -> widgets.Widget:
    """The notebook's only code cell: the trainer secret, then the page."""
    from sim.ui.trainer import secret_gate

    desk = desk or TrainerDesk.from_environment()
    return secret_gate(desk, lambda: CaseloadApp(ProvinceDesk(desk), lang).widget, lang)
