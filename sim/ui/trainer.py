"""The trainer app (``notebooks/trainer.ipynb``): live view with charts, debrief, scores with overrides,
export, and the workshop's exercise list. Nothing is shown before the trainer secret is checked
against the store; the same code runs in Voilà and in JupyterLab."""

from __future__ import annotations

import base64
import html
import logging
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from sim.app.trainee import InputError
from sim.app.trainer import DECISION_POINTS, TrainerDesk
from sim.ui.guard import guarded
from sim.ui.i18n import catalog, number, percent, t, timestamp
from sim.ui.picture import ZOOM_RULES, Picture, zoomable

log = logging.getLogger(__name__)
STUCK_MINUTES = 10
REFRESH_SECONDS = 10

# a chart fits the screen and zooms to full size (ZOOM_RULES)
CSS = (
    """<style>
.trove-trainer{font-size:15px}
.trove-table td,.trove-table th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.trove-stuck{color:#c0392b;font-weight:bold}
.trove-error{border:2px solid #c0392b;padding:8px;border-radius:6px;color:#922b21}
.trove-ok{color:#1e8449}
.trove-trainer .widget-button,.trove-trainer .jupyter-button{width:auto;max-width:100%;min-width:min-content}
.trove-trainer .trove-fit-select{width:auto;max-width:100%}
.trove-trainer .trove-fit-select>select{flex:0 1 auto;width:auto;min-width:min(100%,12em);max-width:100%}
"""
    + ZOOM_RULES
    + """</style>"""
)


def secret_gate(desk: TrainerDesk, on_open: Callable[[], widgets.Widget], lang: str = "vi") -> widgets.Widget:
    """A password prompt; ``on_open`` builds the protected view only after the desk unlocks with the secret. Under a
    hub there is no prompt: a trainer (hub group) sees the view at once, anyone else a refusal."""
    if desk.unlocked:
        return widgets.VBox([widgets.HTML(CSS), on_open()])
    if desk.hub_user:
        return widgets.HTML(f"{CSS}<div class='trove-error'>{t('trainer_hub_refused', lang)}</div>")
    secret = widgets.Password(description=t("trainer_secret", lang), style={"description_width": "initial"})
    button = widgets.Button(description=t("trainer_enter", lang), button_style="primary")
    message = widgets.HTML(f"<p>{t('trainer_needs_secret', lang)}</p>")
    box = widgets.VBox([widgets.HTML(CSS), message, secret, button])

    def enter(_: Any) -> None:
        try:
            ok = desk.unlock(secret.value)
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


def offer(select: widgets.Dropdown, options: list[tuple[str, Any]]) -> None:
    """Give ``select`` these options, keeping its choice when still offered, else choosing the first: a picker
    that starts empty shows nothing below it until someone opens it.

    >>> select = widgets.Dropdown()
    >>> offer(select, [("Bài 1", 1), ("Bài 2", 2)]); select.value
    1
    >>> select.value = 2; offer(select, [("Bài 3", 3), ("Bài 2", 2)]); select.value
    2
    >>> offer(select, []); select.value is None
    True
    """
    keep = select.value
    select.options = options
    values = [value for _, value in options]
    select.value = keep if keep in values else (values[0] if values else None)


def _download_link(path: Path, lang: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    kind = "text/csv" if path.suffix == ".csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return f"<a download='{path.name}' href='data:{kind};base64,{data}'>{t('export_ready', lang, name=path.name)}</a>"


class TrainerApp:
    """The trainer's tabs over an unlocked ``TrainerDesk``: live view, debrief, scores, export, workshop."""

    def __init__(self, desk: TrainerDesk, lang: str = "vi"):
        self.desk, self.lang = desk, lang
        self.message = widgets.HTML()
        self.live_table = widgets.HTML()
        self.charts = widgets.VBox()
        self.show_codes = widgets.Checkbox(value=False, description=t("show_codes", lang), indent=False)
        from sim.ui.room_screen import RoomScreen

        self.room = RoomScreen(desk, lang)
        self.tabs = widgets.Tab(
            children=[self._live(), self._debrief(), self._scores(), self._export(), self._workshop(), self.room.widget]
        )
        for i, key in enumerate(("tab_live", "tab_debrief", "tab_score", "tab_export", "tab_workshop", "tab_room")):
            self.tabs.set_title(i, t(key, lang))
        self.widget = widgets.VBox([widgets.HTML(f"<h2>{t('trainer_title', lang)}</h2>"), self.message, self.tabs])
        self.widget.add_class("trove-trainer")

    def _guard(self, action: Callable[[], Any]) -> None:
        guarded(action, self.message, self.lang, "trainer app")

    def role_label(self, role: str) -> str:
        """A trainee's role by its name ("Công an xã"), never its id."""
        key = f"role_{role}"
        return t(key, self.lang) if key in catalog() else role

    def _point(self, decision_point: str) -> str:
        key = f"dp_{decision_point}"
        return t(key, self.lang) if key in catalog() else decision_point

    def _option(self, labels: dict[str, dict[Any, str]], field: str, value: Any) -> str:
        """An answer's label; yes/no for tick boxes, "—" for an answer left empty or no longer offered."""
        if value in (None, "—", "", []):
            return "—"
        if isinstance(value, bool):
            return t("answer_yes" if value else "answer_no", self.lang)
        found = labels.get(field, {}).get(value)
        return found if found is not None else (str(value) if isinstance(value, int | float) else "—")

    def _answer(self, decision_point: str, payload: dict[str, Any]) -> str:
        """An answer of the replay as the trainee saw it: each field's heading and the chosen options' labels."""
        labels = self._labels_of(decision_point)
        parts = []
        for name, value in payload.items():
            values = value if isinstance(value, list) else [value]
            shown = "; ".join(self._option(labels, name, v) for v in values) or "—"
            parts.append(
                t("replay_answer", self.lang, field=self.desk.field_label(decision_point, name, self.lang), value=shown)
            )
        return "; ".join(parts)

    def _labels_of(self, decision_point: str) -> dict[str, dict[Any, str]]:
        cache = self.__dict__.setdefault("_label_cache", {})
        if decision_point not in cache:
            cache[decision_point] = self.desk.option_labels(decision_point, self.lang)
        return cache[decision_point]

    # live ---------------------------------------------------------------------------------------
    def _live(self) -> widgets.Widget:
        ticker = widgets.Play(
            interval=REFRESH_SECONDS * 1000, max=10**9, show_repeat=False, layout=widgets.Layout(display="none")
        )
        ticker.observe(lambda _: self._guard(self.refresh_live), names="value")
        ticker.playing = True
        button = widgets.Button(description=t("refresh", self.lang))
        button.on_click(lambda _: self._guard(lambda: (self.refresh_live(), self.refresh_charts())))
        self.show_codes.observe(lambda _: self._guard(self.refresh_live), names="value")
        self._guard(self.refresh_live)
        self._guard(self.refresh_charts)
        codes = self.desk.resume_codes_used  # under a hub the officers log in: no codes to show or reissue
        return widgets.VBox(
            [
                widgets.HTML(f"<small>{t('auto_refresh', self.lang, seconds=REFRESH_SECONDS)}</small>"),
                ticker,
                widgets.HBox([button, self.show_codes] if codes else [button]),
                self.live_table,
                *([self._lost_codes()] if codes else []),
                self.charts,
            ]
        )

    def _lost_codes(self) -> widgets.Widget:
        """Find a trainee by name, read their resume code, and issue a new one if theirs was lost or seen by others."""
        L = self.lang
        name = widgets.Text(description=t("full_name", L), style={"description_width": "initial"})
        found = widgets.VBox()

        def reissue(trainee_id: str) -> None:
            renewed = self.desk.reissue_code(trainee_id)
            self.message.value = html.escape(t("code_reissued", L, name=renewed.full_name, code=renewed.resume_code))
            self.refresh_live()
            search()

        def search() -> None:
            rows = []
            for trainee in self.desk.find_trainees(name.value):
                again = widgets.Button(description=t("reissue_code", L))
                again.on_click(lambda _, tid=trainee.id: self._guard(lambda: reissue(tid)))
                label = t("trainee_found", L, name=trainee.full_name, commune=trainee.commune, code=trainee.resume_code)
                rows.append(widgets.HBox([widgets.HTML(html.escape(label)), again]))
            found.children = rows or [widgets.HTML(html.escape(t("no_such_trainee", L)))]

        find = widgets.Button(description=t("find_trainee", L))
        find.on_click(lambda _: self._guard(search))
        return widgets.VBox([widgets.HTML(f"<h4>{t('lost_code_title', L)}</h4>"), widgets.HBox([name, find]), found])

    def _titles(self) -> dict[str, dict[str, str]]:
        if getattr(self, "_title_cache", None) is None:
            self._title_cache = self.desk.titles(self.lang)
        return self._title_cache

    def exercise_title(self, exercise_id: str) -> str:
        """The exercise's title in the page's language (its id only if it no longer loads)."""
        return self._titles()["exercises"].get(exercise_id, exercise_id)

    def scenario_title(self, scenario_id: str) -> str:
        """The scenario's title in the page's language (its id only if it no longer loads)."""
        return self._titles()["scenarios"].get(scenario_id, scenario_id)

    def attempt_label(self, row: Any) -> str:
        """One submitted attempt as the dropdowns list it: who, which exercise and case, its score and time."""
        return t(
            "attempt_line",
            self.lang,
            name=row.full_name,
            exercise=self.exercise_title(row.exercise_id),
            n=row.case_number,
            scenario=self.scenario_title(row.scenario_id),
            percent=percent(row.final_percent, self.lang),
            at=timestamp(row.submitted_at, self.lang),
        )

    def refresh_live(self) -> None:
        """Redraw the live table: each trainee's current case, idle time (stuck ones marked), cases done, average;
        with each one's resume code when the trainer asks for them."""
        L = self.lang
        rows = self.desk.rows()
        current = {r.trainee_id: r for r in rows if not r.submitted_at}  # the latest open case of each trainee
        codes = self.show_codes.value
        lines = []
        statuses = self.desk.live_status(STUCK_MINUTES)
        named = Counter(st.trainee.full_name for st in statuses)
        seen: Counter[str] = Counter()
        for st in statuses:
            seen[st.trainee.full_name] += 1
            name = st.trainee.full_name
            if named[name] > 1:  # two trainees of one name: told apart by the order they joined in
                name = t("same_name_nth", L, name=name, n=seen[name])
            last = t("minutes_ago", L, n=st.idle_minutes) if st.idle_minutes is not None else t("nothing_yet", L)
            open_row = current.get(st.trainee.id)
            working = (
                t("case_of_exercise", L, exercise=self.exercise_title(open_row.exercise_id), n=open_row.case_number)
                if open_row
                else "—"
            )
            code = f"<td><code>{html.escape(st.trainee.resume_code or '')}</code></td>" if codes else ""
            lines.append(
                f"<tr><td>{html.escape(name)}</td><td>{html.escape(st.trainee.commune)}</td>"
                f"<td>{html.escape(self.role_label(st.trainee.role))}</td><td>{html.escape(working)}</td>"
                f"<td class='{'trove-stuck' if st.stuck else ''}'>{last}{' — ' + t('stuck', L) if st.stuck else ''}</td>"
                f"<td>{st.submitted}</td><td>{percent(st.average_percent, L)}</td>{code}</tr>"
            )
        columns = ["col_trainee", "col_commune", "col_role", "col_current", "col_last", "col_done", "col_average"]
        header = "".join(f"<th>{t(k, L)}</th>" for k in columns + (["col_code"] if codes else []))
        submitted = sum(1 for r in rows if r.submitted_at)
        self.live_table.value = (
            f"<p><b>{t('joined_count', L, n=len(lines), done=submitted)}</b></p>"
            f"<table class='trove-table'><tr>{header}</tr>{''.join(lines)}</table>"
        )

    def refresh_charts(self) -> None:
        """Redraw the dashboard charts, with the trainees' communes that match no unit of the region."""
        L = self.lang
        charts, unmatched = self.desk.dashboard_charts(L)
        note = (
            widgets.HTML(f"<small>{html.escape(t('unmatched_communes', L, items=', '.join(unmatched)))}</small>")
            if unmatched
            else widgets.HTML()
        )
        self.charts.children = [self._chart(title, png) for title, png in charts] + [note]

    def _chart(self, title: str, png: bytes) -> widgets.Widget:
        """One dashboard chart, fitted to the screen, with the button that zooms it (its type is small on a phone)."""
        picture = Picture(title, scrolls=True)
        picture.show(png)
        box, zoom = zoomable(picture, self.lang, "_chart")
        return widgets.VBox([zoom, box], layout=widgets.Layout(max_width="min(100%, 760px)"))

    # debrief --------------------------------------------------------------------------------------
    def _debrief(self) -> widgets.Widget:
        L = self.lang
        scenario = widgets.Dropdown(description=t("debrief_pick", L), style={"description_width": "initial"})
        point = widgets.Dropdown(
            options=[(t(f"dp_{dp}", L), dp) for dp in DECISION_POINTS],
            description=t("debrief_point", L),
            style={"description_width": "initial"},
        )
        for select in (scenario, point):  # as wide as its longest option up to the page's width, never cut short
            select.add_class("trove-fit-select")
        spread = widgets.HTML()
        attempt = widgets.Dropdown(
            description=t("replay_pick", L), style={"description_width": "initial"}, layout=widgets.Layout(width="90%")
        )
        step = widgets.IntSlider(description=t("replay_step", L), min=0, max=0)
        steps_view = widgets.HTML()

        def fill() -> None:
            rows = self.desk.submitted_rows()
            offer(scenario, sorted((self.scenario_title(s), s) for s in {r.scenario_id for r in rows}))
            offer(attempt, [(self.attempt_label(r), r.attempt_id) for r in rows])

        def show_spread() -> None:
            if not scenario.value or not point.value:
                return
            found, labels, basis = self.desk.choice_spread(scenario.value, point.value, L)
            parts = [f"<h4>{t('debrief_choices', L)}</h4>"]
            for fs in found:
                rows = "".join(
                    f"<tr><td>{html.escape(self._option(labels, fs.field, v))}</td><td>{c.chosen}/{fs.attempts}</td>"
                    f"<td>{c.correct_for}/{fs.attempts}</td></tr>"
                    for v, c in sorted(fs.options.items(), key=lambda kv: -kv[1].chosen)
                )
                parts.append(
                    f"<p><b>{html.escape(self.desk.field_label(point.value, fs.field, L))}</b></p><table class='trove-table'>"
                    f"<tr><th></th><th>{t('debrief_chosen', L)}</th><th>{t('debrief_correct_for', L)}</th></tr>{rows}</table>"
                )
            cites = "; ".join(html.escape(c) for c in basis) or t("debrief_basis_none", L)
            parts.append(f"<p><b>{t('debrief_basis', L)}:</b> {cites}</p>")
            spread.value = "".join(parts)

        def show_attempt() -> None:
            if not attempt.value:
                return
            steps = self.desk.replay(attempt.value, L)
            step.max = max(0, len(steps) - 1)
            show_step(steps)

        def show_step(steps: list[Any] | None = None) -> None:
            from sim.ui.feedback import report_html

            if not attempt.value:
                return
            steps = steps if steps is not None else self.desk.replay(attempt.value, L)
            shown = []
            for s, question in steps[: step.value + 1]:
                what = (
                    t("replay_asked", L, text=question)
                    if s.kind == "action"
                    else t("replay_answered", L, dp=self._point(s.key), value=self._answer(s.key, s.payload))
                )
                shown.append(f"<li>{t('replay_at', L, minute=s.minute)}: {html.escape(what)}</li>")
            report = self.desk.report(attempt.value)
            done = (
                report_html(report, self.desk.overrides(attempt.value), L)
                if report and step.value >= len(steps) - 1
                else ""
            )
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
        attempt = widgets.Dropdown(
            description=t("replay_pick", L), style={"description_width": "initial"}, layout=widgets.Layout(width="90%")
        )
        summary = widgets.HTML()
        point = widgets.Dropdown(description=t("debrief_point", L), style={"description_width": "initial"})
        point.add_class("trove-fit-select")
        points = widgets.BoundedFloatText(
            description=t("override_points", L), min=0, max=100, step=0.5, style={"description_width": "initial"}
        )
        comment = widgets.Textarea(
            description=t("override_comment", L),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="90%"),
        )
        save = widgets.Button(description=t("override_save", L), button_style="primary")
        saved = widgets.HTML()
        current: dict[str, tuple[float, float]] = {}  # decision point → (points now, max points)

        def fill() -> None:
            offer(attempt, [(self.attempt_label(r), r.attempt_id) for r in self.desk.submitted_rows()])

        def start_from_current() -> None:  # a comment alone must not set the point to 0
            now, top = current.get(point.value, (0.0, 100.0))
            points.max, points.value = top, now

        def show() -> None:
            from sim.ui.feedback import report_html

            if not attempt.value:
                return
            report = self.desk.report(attempt.value)
            overrides = self.desk.overrides(attempt.value)
            current.clear()
            current.update({p["decision_point"]: (p["points"], p["max_points"]) for p in report["points"]})
            for o in overrides:  # the latest adjustment of a point is its points now
                if o.get("points") is not None and o["decision_point"] in current:
                    current[o["decision_point"]] = (o["points"], current[o["decision_point"]][1])
            point.options = [
                (
                    f"{self._point(p['decision_point'])} "
                    f"({t('points_of', L, points=number(p['points'], L), max=number(p['max_points'], L))})",
                    p["decision_point"],
                )
                for p in report["points"]
            ]
            final = self.desk.final_percent(attempt.value)
            auto_and_final = t(
                "auto_and_final", L, auto=number(report["percent"], L), final=number(final or 0.0, L) if final else "—"
            )
            summary.value = f"<p><b>{html.escape(auto_and_final)}</b></p>" + report_html(report, overrides, L)

        def store_override() -> None:
            if not attempt.value or not point.value:
                return
            try:
                self.desk.add_override(attempt.value, point.value, float(points.value), comment.value)
            except InputError as exc:
                saved.value = f"<div class='trove-error'>{t('err_' + exc.key, L)}</div>"
                return
            comment.value = ""
            saved.value = f"<p class='trove-ok'>{t('override_saved', L)}</p>"
            show()

        refresh = widgets.Button(description=t("refresh", L))
        refresh.on_click(lambda _: self._guard(fill))
        attempt.observe(lambda _: self._guard(show), names="value")
        point.observe(lambda _: self._guard(start_from_current), names="value")
        save.on_click(lambda _: self._guard(store_override))
        self._guard(fill)
        return widgets.VBox(
            [
                refresh,
                attempt,
                widgets.HTML(f"<h4>{t('override_title', L)}</h4>"),
                point,
                points,
                comment,
                save,
                saved,
                summary,
            ]
        )

    # export -----------------------------------------------------------------------------------------
    def _export(self) -> widgets.Widget:
        L = self.lang
        link = widgets.HTML()

        def make(suffix: str) -> None:
            path = self.desk.export(suffix, L)
            link.value = _download_link(path, L)

        buttons = []
        for key, suffix in (("export_csv", ".csv"), ("export_xlsx", ".xlsx")):
            b = widgets.Button(description=t(key, L))
            b.on_click(lambda _, s=suffix: self._guard(lambda: make(s)))
            buttons.append(b)
        return widgets.VBox([widgets.HBox(buttons), link])

    # workshop ---------------------------------------------------------------------------------------
    def _workshop(self) -> widgets.Widget:
        L = self.lang
        available, chosen = self.desk.exercises()
        boxes = {
            e: widgets.Checkbox(
                value=e in chosen,
                description=x.title.get(L),
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for e, x in available.items()
        }
        saved = widgets.HTML()

        def store_list() -> None:
            self.desk.set_exercises([e for e, b in boxes.items() if b.value])
            saved.value = f"<p class='trove-ok'>{t('workshop_saved', L)}</p>"

        save = widgets.Button(description=t("workshop_save", L), button_style="primary")
        save.on_click(lambda _: self._guard(store_list))
        broken = self.desk.broken_files()
        report = (
            f"<p>{t('broken_files', L)}</p><pre>{html.escape(chr(10).join(sorted({p.format() for p in broken})))}</pre>"
            if broken
            else f"<p class='trove-ok'>{t('no_broken_files', L)}</p>"
        )
        return widgets.VBox(
            [
                widgets.HTML(f"<b>{t('workshop_exercises', L)}</b>"),
                *boxes.values(),
                save,
                saved,
                widgets.HTML(report),
                self._release_control(),
            ]
        )

    def _release_control(self) -> widgets.Widget:
        """Assessment-mode exercises: one button each that releases the correct answers to the trainees (issue 10
        item 3); a released one shows its state instead. The store keeps the release, so every page agrees."""
        L = self.lang
        box = widgets.VBox()
        box.add_class("trove-release")

        def fill() -> None:
            items: list[widgets.Widget] = [
                widgets.HTML(f"<b>{t('release_title', L)}</b><p><small>{t('release_help', L)}</small></p>")
            ]
            assessments = self.desk.assessments()
            for exercise, released in assessments:
                title = html.escape(exercise.title.get(L))
                if released:
                    items.append(widgets.HTML(f"<p class='trove-ok'>✓ {t('released_state', L, title=title)}</p>"))
                    continue
                items.append(self._release_button(exercise.id, exercise.title.get(L), fill))
            if not assessments:
                items.append(widgets.HTML(f"<p>{t('release_none', L)}</p>"))
            box.children = items

        fill()
        return box

    def _release_button(self, exercise_id: str, title: str, refresh: Callable[[], None]) -> widgets.Widget:
        """The release button of one assessment; it asks once more before releasing, since a release cannot be
        undone (as the trainee's submit asks)."""
        L = self.lang
        confirm = widgets.VBox()
        button = widgets.Button(
            description=t("release_button", L, title=title),
            button_style="warning",
            layout=widgets.Layout(width="auto", max_width="100%"),
        )

        def release() -> None:
            self.desk.release_answers(exercise_id)
            refresh()

        def ask(_: object) -> None:
            yes = widgets.Button(
                description=t("release_yes", L), button_style="danger", layout=widgets.Layout(width="auto")
            )
            no = widgets.Button(description=t("release_no", L), layout=widgets.Layout(width="auto"))
            yes.on_click(lambda _: self._guard(release))
            no.on_click(lambda _: setattr(confirm, "children", ()))
            question = widgets.HTML(f"<b>{html.escape(t('release_confirm', L, title=title))}</b>")
            confirm.children = [question, widgets.HBox([yes, no], layout=widgets.Layout(flex_flow="row wrap"))]

        button.on_click(ask)
        return widgets.VBox([button, confirm])


def show(desk: TrainerDesk | None = None) -> widgets.Widget:
    """The trainer notebook's only code cell: a secret prompt, then the trainer app."""
    desk = desk or TrainerDesk.from_environment()
    return secret_gate(desk, lambda: TrainerApp(desk).widget)
