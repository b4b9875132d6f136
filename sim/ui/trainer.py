"""The trainer app (``notebooks/trainer.ipynb``): live view with charts, debrief, scores with overrides,
export, and the workshop's exercise list. Nothing is shown before the trainer secret is checked
against the store; the same code runs in Voilà and in JupyterLab."""
from __future__ import annotations

import base64
import html
import logging
import os
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

import ipywidgets as widgets

from sim.session import DEFAULT_WORKSHOP_ID
from sim.store import Store
from sim.ui.guard import guarded
from sim.ui.i18n import t

log = logging.getLogger(__name__)
STUCK_MINUTES = 10
REFRESH_SECONDS = 10

CSS = """<style>
.trove-trainer{font-size:15px}
.trove-table td,.trove-table th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.trove-stuck{color:#c0392b;font-weight:bold}
.trove-error{border:2px solid #c0392b;padding:8px;border-radius:6px;color:#922b21}
.trove-ok{color:#1e8449}
</style>"""


def secret_gate(store: Store, workshop_id: str, on_open: Callable[[], widgets.Widget], lang: str = "vi") -> widgets.Widget:
    """A password prompt; ``on_open`` builds the protected view only after the secret checks out."""
    secret = widgets.Password(description=t("trainer_secret", lang), style={"description_width": "initial"})
    button = widgets.Button(description=t("trainer_enter", lang), button_style="primary")
    message = widgets.HTML(f"<p>{t('trainer_needs_secret', lang)}</p>")
    box = widgets.VBox([widgets.HTML(CSS), message, secret, button])

    def enter(_: Any) -> None:
        try:
            ok = store.check_trainer_secret(workshop_id, secret.value)
        except Exception:
            log.exception("trainer gate failed")
            ok = False
        secret.value = ""
        if ok:
            box.children = [widgets.HTML(CSS), on_open()]
        else:
            message.value = f"<div class='trove-error'>{t('trainer_refused', lang)}</div>"

    button.on_click(enter)
    return box


def _download_link(path: Path, lang: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    kind = "text/csv" if path.suffix == ".csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return f"<a download='{path.name}' href='data:{kind};base64,{data}'>{t('export_ready', lang, name=path.name)}</a>"


class TrainerApp:
    def __init__(self, store: Store, workshop_id: str, lang: str = "vi"):
        self.store, self.workshop_id, self.lang = store, workshop_id, lang
        self.message = widgets.HTML()
        self.live_table = widgets.HTML()
        self.charts = widgets.VBox()
        self.tabs = widgets.Tab(children=[self._live(), self._debrief(), self._scores(), self._export(), self._workshop()])
        for i, key in enumerate(("tab_live", "tab_debrief", "tab_score", "tab_export", "tab_workshop")):
            self.tabs.set_title(i, t(key, lang))
        self.widget = widgets.VBox([widgets.HTML(f"<h2>{t('trainer_title', lang)}</h2>"), self.message, self.tabs])
        self.widget.add_class("trove-trainer")

    def _guard(self, action: Callable[[], Any]) -> None:
        guarded(action, self.message, self.lang, "trainer app")

    def rows(self) -> list[Any]:
        from sim.results import workshop_results

        return workshop_results(self.store, self.workshop_id)

    # live ---------------------------------------------------------------------------------------
    def _live(self) -> widgets.Widget:
        ticker = widgets.Play(interval=REFRESH_SECONDS * 1000, max=10**9, show_repeat=False, layout=widgets.Layout(display="none"))
        ticker.observe(lambda _: self._guard(self.refresh_live), names="value")
        ticker.playing = True
        button = widgets.Button(description=t("refresh", self.lang))
        button.on_click(lambda _: self._guard(lambda: (self.refresh_live(), self.refresh_charts())))
        self._guard(self.refresh_live)
        self._guard(self.refresh_charts)
        return widgets.VBox([widgets.HTML(f"<small>{t('auto_refresh', self.lang, seconds=REFRESH_SECONDS)}</small>"), ticker, button,
                             self.live_table, self.charts])

    def refresh_live(self) -> None:
        from sim.results import live_status

        L = self.lang
        rows = self.rows()
        lines = []
        for st in live_status(self.store.trainees(self.workshop_id), rows, datetime.now(timezone.utc), STUCK_MINUTES):
            last = t("minutes_ago", L, n=st.idle_minutes) if st.idle_minutes is not None else t("nothing_yet", L)
            average = f"{st.average_percent:.0f}%" if st.average_percent is not None else "—"
            lines.append(f"<tr><td>{html.escape(st.trainee.full_name)}</td><td>{html.escape(st.trainee.commune)}</td>"
                         f"<td>{t('role_' + st.trainee.role, L)}</td><td>{html.escape(st.current or '—')}</td>"
                         f"<td class='{'trove-stuck' if st.stuck else ''}'>{last}{' — ' + t('stuck', L) if st.stuck else ''}</td>"
                         f"<td>{st.submitted}</td><td>{average}</td></tr>")
        header = "".join(f"<th>{t(k, L)}</th>" for k in ("col_trainee", "col_commune", "col_role", "col_current", "col_last", "col_done", "col_average"))
        submitted = sum(1 for r in rows if r.submitted_at)
        self.live_table.value = (f"<p><b>{t('joined_count', L, n=len(lines), done=submitted)}</b></p>"
                                 f"<table class='trove-table'><tr>{header}</tr>{''.join(lines)}</table>")

    def refresh_charts(self) -> None:
        from sim.coverage import coverage
        from sim.regions import load_region
        from sim.rulebook import load_rulebook
        from sim.stats import critical_error_counts, item_statistics, score_histogram
        from sim.ui import charts

        L = self.lang
        reports = [r.report for r in self.rows() if r.report]
        book = load_rulebook()
        region = (self.store.workshop(self.workshop_id) or {}).get("region", "lam-dong-binh-thuan")
        cover, unmatched = coverage([tr.commune for tr in self.store.trainees(self.workshop_id)], load_region(region), date.today())
        images = [charts.score_distribution(score_histogram([r["percent"] for r in reports]), L),
                  charts.item_statistics(item_statistics(reports), L),
                  charts.critical_errors(critical_error_counts(reports), {k: e.en if L == "en" else e.vi for k, e in book.critical_errors.items()}, L),
                  charts.coverage(cover, L)]
        note = widgets.HTML(f"<small>{html.escape(t('unmatched_communes', L, items=', '.join(sorted(set(unmatched)))))}</small>") if unmatched else widgets.HTML()
        self.charts.children = [widgets.Image(value=png, format="png", layout=widgets.Layout(max_width="min(100%, 760px)")) for png in images] + [note]

    # debrief --------------------------------------------------------------------------------------
    def _debrief(self) -> widgets.Widget:
        L = self.lang
        scenario = widgets.Dropdown(description=t("debrief_pick", L), style={"description_width": "initial"})
        point = widgets.Dropdown(options=[(t(f"dp_{dp}", L), dp) for dp in ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10")],
                                 description=t("debrief_point", L), style={"description_width": "initial"})
        spread = widgets.HTML()
        attempt = widgets.Dropdown(description=t("replay_pick", L), style={"description_width": "initial"}, layout=widgets.Layout(width="90%"))
        step = widgets.IntSlider(description=t("replay_step", L), min=0, max=0)
        steps_view = widgets.HTML()

        def fill() -> None:
            rows = [r for r in self.rows() if r.submitted_at]
            scenario.options = sorted({r.scenario_id for r in rows})
            attempt.options = [(f"{r.full_name} — {r.exercise_id} #{r.case_number} — {r.final_percent}%", r.attempt_id) for r in rows]

        def show_spread() -> None:
            from sim.debrief import choice_spread
            from sim.rulebook import load_rulebook
            from sim.ui.answer_forms import field_label, fields_for

            if not scenario.value or not point.value:
                return
            book = load_rulebook()
            found, basis = choice_spread(self.store, self.workshop_id, scenario.value, point.value)
            labels: dict[str, dict[Any, str]] = {}
            for regime in ("A", "B"):
                for f in fields_for(point.value, regime):
                    labels.setdefault(f.name, {}).update({k: o.get(L) for k, o in f.options})
            parts = [f"<h4>{t('debrief_choices', L)}</h4>"]
            for fs in found:
                rows = "".join(f"<tr><td>{html.escape(str(labels.get(fs.field, {}).get(v, v)))}</td><td>{c.chosen}/{fs.attempts}</td>"
                               f"<td>{c.correct_for}/{fs.attempts}</td></tr>" for v, c in sorted(fs.options.items(), key=lambda kv: -kv[1].chosen))
                parts.append(f"<p><b>{html.escape(field_label(point.value, fs.field, L))}</b></p><table class='trove-table'>"
                             f"<tr><th></th><th>{t('debrief_chosen', L)}</th><th>{t('debrief_correct_for', L)}</th></tr>{rows}</table>")
            cites = "; ".join(html.escape(c.render(book.texts, L)) for c in basis)
            parts.append(f"<p><b>{t('debrief_basis', L)}:</b> {cites}</p>")
            spread.value = "".join(parts)

        def show_attempt() -> None:
            from sim.debrief import replay

            if not attempt.value:
                return
            steps = replay(self.store, attempt.value)
            step.max = max(0, len(steps) - 1)
            show_step(steps)

        def show_step(steps: list[Any] | None = None) -> None:
            from sim.case import Case
            from sim.debrief import replay
            from sim.ui.feedback import report_html

            if not attempt.value:
                return
            steps = steps if steps is not None else replay(self.store, attempt.value)
            case = Case.model_validate_json(self.store.attempt(attempt.value).case_json)
            texts = {q.id: q.text.get(L) for q in case.interview}
            shown = []
            for s in steps[: step.value + 1]:
                what = t("replay_asked", L, text=texts.get(s.key, s.key)) if s.kind == "action" else \
                    t("replay_answered", L, dp=s.key, value=", ".join(f"{k}={v}" for k, v in s.payload.items()))
                shown.append(f"<li>{t('replay_at', L, minute=s.minute)}: {html.escape(what)}</li>")
            report = self.store.report(attempt.value)
            done = report_html(report, self.store.overrides(attempt.value), L) if report and step.value >= len(steps) - 1 else ""
            steps_view.value = f"<ol>{''.join(shown)}</ol>{done}"

        refresh = widgets.Button(description=t("refresh", L))
        refresh.on_click(lambda _: self._guard(fill))
        scenario.observe(lambda _: self._guard(show_spread), names="value")
        point.observe(lambda _: self._guard(show_spread), names="value")
        attempt.observe(lambda _: self._guard(show_attempt), names="value")
        step.observe(lambda _: self._guard(show_step), names="value")
        self._guard(fill)
        return widgets.VBox([refresh, scenario, point, spread, widgets.HTML("<hr>"), attempt, step, steps_view])

    # scores -----------------------------------------------------------------------------------------
    def _scores(self) -> widgets.Widget:
        L = self.lang
        attempt = widgets.Dropdown(description=t("replay_pick", L), style={"description_width": "initial"}, layout=widgets.Layout(width="90%"))
        summary = widgets.HTML()
        point = widgets.Dropdown(description=t("debrief_point", L), style={"description_width": "initial"})
        points = widgets.BoundedFloatText(description=t("override_points", L), min=0, max=100, step=0.5, style={"description_width": "initial"})
        comment = widgets.Textarea(description=t("override_comment", L), style={"description_width": "initial"}, layout=widgets.Layout(width="90%"))
        save = widgets.Button(description=t("override_save", L), button_style="primary")
        saved = widgets.HTML()

        def fill() -> None:
            attempt.options = [(f"{r.full_name} — {r.exercise_id} #{r.case_number} — {r.final_percent}%", r.attempt_id)
                               for r in self.rows() if r.submitted_at]

        def show() -> None:
            from sim.results import final_score
            from sim.ui.feedback import report_html

            if not attempt.value:
                return
            report = self.store.report(attempt.value)
            overrides = self.store.overrides(attempt.value)
            final, _ = final_score(report, overrides)
            point.options = [(f"{t('dp_' + p['decision_point'], L)} ({p['points']}/{p['max_points']})", p["decision_point"]) for p in report["points"]]
            summary.value = (f"<p><b>{t('auto_and_final', L, auto=report['percent'], final=round(100 * final / report['max_points'], 1))}</b></p>"
                             + report_html(report, overrides, L))

        def store_override() -> None:
            if not attempt.value or not point.value:
                return
            if not comment.value.strip():
                saved.value = f"<div class='trove-error'>{t('override_needs_comment', L)}</div>"
                return
            report = self.store.report(attempt.value)
            maximum = next(p["max_points"] for p in report["points"] if p["decision_point"] == point.value)
            self.store.add_override(attempt.value, point.value, max(0.0, min(float(points.value), maximum)), comment.value.strip()[:500], "trainer")
            comment.value = ""
            saved.value = f"<p class='trove-ok'>{t('override_saved', L)}</p>"
            show()

        refresh = widgets.Button(description=t("refresh", L))
        refresh.on_click(lambda _: self._guard(fill))
        attempt.observe(lambda _: self._guard(show), names="value")
        save.on_click(lambda _: self._guard(store_override))
        self._guard(fill)
        return widgets.VBox([refresh, attempt, widgets.HTML(f"<h4>{t('override_title', L)}</h4>"), point, points, comment, save, saved, summary])

    # export -----------------------------------------------------------------------------------------
    def _export(self) -> widgets.Widget:
        from sim.export import export

        L = self.lang
        link = widgets.HTML()

        def make(suffix: str) -> None:
            folder = Path(tempfile.mkdtemp())
            path = export(self.store, self.workshop_id, folder / f"tro-ve-{self.workshop_id}-{date.today().isoformat()}{suffix}")
            link.value = _download_link(path, L)

        buttons = []
        for key, suffix in (("export_csv", ".csv"), ("export_xlsx", ".xlsx")):
            b = widgets.Button(description=t(key, L))
            b.on_click(lambda _, s=suffix: self._guard(lambda: make(s)))
            buttons.append(b)
        return widgets.VBox([widgets.HBox(buttons), link])

    # workshop ---------------------------------------------------------------------------------------
    def _workshop(self) -> widgets.Widget:
        from sim.scenario import valid_exercises

        L = self.lang
        available, problems = valid_exercises()
        chosen = (self.store.workshop(self.workshop_id) or {}).get("exercises") or []
        boxes = {e: widgets.Checkbox(value=e in chosen, description=f"{x.title.get(L)} ({e})", indent=False, layout=widgets.Layout(width="auto"))
                 for e, x in available.items()}
        saved = widgets.HTML()

        def store_list() -> None:
            self.store.set_exercises(self.workshop_id, [e for e, b in boxes.items() if b.value])
            saved.value = f"<p class='trove-ok'>{t('workshop_saved', L)}</p>"

        save = widgets.Button(description=t("workshop_save", L), button_style="primary")
        save.on_click(lambda _: self._guard(store_list))
        from sim.scenario import valid_scenarios

        broken = valid_scenarios()[1] + problems
        report = (f"<p>{t('broken_files', L)}</p><pre>{html.escape(chr(10).join(sorted({p.format() for p in broken})))}</pre>" if broken
                  else f"<p class='trove-ok'>{t('no_broken_files', L)}</p>")
        return widgets.VBox([widgets.HTML(f"<b>{t('workshop_exercises', L)}</b>"), *boxes.values(), save, saved, widgets.HTML(report)])


def show(store: Store | None = None, workshop_id: str | None = None) -> widgets.Widget:
    """The trainer notebook's only code cell: a secret prompt, then the trainer app."""
    store = store or Store()
    workshop_id = workshop_id or os.environ.get("TROVE_WORKSHOP_ID", DEFAULT_WORKSHOP_ID)
    return secret_gate(store, workshop_id, lambda: TrainerApp(store, workshop_id).widget)
