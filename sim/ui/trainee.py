"""The trainee app (``notebooks/trainee.ipynb`` calls ``show()``): join or resume, pick an exercise,
meet the person, interview, decide D1–D10, submit, read the law-cited feedback, go on.

Widgets render the session's state and forward events to one ``Workshop`` / ``CaseSession`` method;
nothing here computes a score or holds state that matters. The answer key is only ever rendered
after the store has the submitted report.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from sim.app.guesses import client_address
from sim.app.trainee import ROLES, CaseSession, InputError, StoreError, Trainee, Workshop
from sim.errors import SimError
from sim.ui.i18n import day_text, t
from sim.ui.visit import on_visit

log = logging.getLogger(__name__)

CSS = """<style>
.trove-app{font-size:16px;max-width:1000px;margin:auto}
.trove-app .widget-label,.trove-app label{font-size:15px}
.trove-fictional{color:#b03a2e;font-weight:bold}
.trove-card{border:1px solid #999;border-radius:8px;padding:10px;background:#fbfcfc}
.trove-critical{border:2px solid #c0392b;background:#fdedec;color:#922b21;padding:8px;border-radius:6px}
.trove-comment{border-left:4px solid #2471a3;background:#ebf5fb;padding:6px;margin:6px 0}
.trove-error{border:2px solid #c0392b;padding:8px;border-radius:6px;color:#922b21}
.trove-table td{padding:4px 8px;border-bottom:1px solid #ddd;vertical-align:top}
.trove-ok td:last-child{color:#1e8449;font-weight:bold}.trove-missed td:last-child{color:#c0392b;font-weight:bold}
.trove-code{font-size:22px;font-weight:bold;letter-spacing:3px}
.trove-app .widget-radio-box label{white-space:normal}
.trove-app .widget-checkbox{width:auto !important}
.trove-app .widget-checkbox label{white-space:normal;line-height:1.3}
</style>"""


class TraineeApp:
    """The trainee's screens over one ``Workshop``: join or resume, exercises, a case, feedback, a summary.

    Each ``show_*`` method renders one screen into ``widget``; errors become a message, never a blank page.
    """

    def __init__(self, workshop: Workshop, lang: str = "vi", *, defer_communes: bool = False):
        self.workshop, self.lang = workshop, lang
        self.trainee: Trainee | None = None
        self.exercise_id: str | None = None
        self.session: CaseSession | None = None
        self.forms: dict[str, Any] = {}  # decision point → AnswerForm
        self.screen: Callable[[], None] = self.show_join
        self.prefill_code = ""
        self.communes: list[str] | None = [] if defer_communes else None  # [] until the warm-up fills them
        self.toggle = widgets.ToggleButtons(options=[("Tiếng Việt", "vi"), ("English", "en")], value=lang)
        self.toggle.observe(self._language, names="value")
        self.message = widgets.HTML()
        self.body = widgets.VBox()
        self.widget = widgets.VBox([widgets.HTML(CSS), self.toggle, self.message, self.body])
        self.widget.add_class("trove-app")
        self.show_join()

    # plumbing ---------------------------------------------------------------------------------
    def _language(self, change: dict[str, Any]) -> None:
        if change["new"] in ("vi", "en"):
            self.lang = change["new"]
            self._render(self.screen)

    def _render(self, screen: Callable[[], None]) -> None:
        self.screen = screen
        self.message.value = ""
        self._guard(screen)

    def _guard(self, action: Callable[[], Any]) -> Any:
        """The UI's one broad except: turn any failure into a friendly message, log the details."""
        try:
            return action()
        except InputError as exc:
            self._say(t(f"err_{exc.key}", self.lang, detail=html.escape(exc.detail)))
        except StoreError:
            log.exception("store failed")
            self._say(t("err_store", self.lang))
        except Exception:
            log.exception("trainee app failed")
            self._say(f"<b>{t('error_title', self.lang)}</b> {t('err_store', self.lang)}")
        return None

    def _say(self, text: str) -> None:
        self.message.value = f"<div class='trove-error'>{text}</div>"

    def _button(self, key: str, on_click: Callable[[], Any], style: str = "") -> widgets.Button:
        button = widgets.Button(description=t(key, self.lang), button_style=style, layout=widgets.Layout(width="auto"))
        button.on_click(lambda _: self._guard(on_click))
        return button

    # screens ----------------------------------------------------------------------------------
    def show_join(self) -> None:
        """The first screen: join the workshop (code, name, commune, role) or resume with the resume code."""
        L = self.lang
        code = self.code_field = widgets.Text(
            value=self.prefill_code, description=t("workshop_code", L), style={"description_width": "initial"}
        )
        name = widgets.Text(description=t("full_name", L), style={"description_width": "initial"})
        commune = self.commune_field = widgets.Combobox(
            options=self.communes if self.communes is not None else self.load_communes(),
            ensure_option=False,
            description=t("commune_field", L),
            style={"description_width": "initial"},
        )
        role = widgets.Dropdown(
            options=[(t(f"role_{r}", L), r) for r in ROLES],
            description=t("role_field", L),
            style={"description_width": "initial"},
        )
        join = self._button(
            "join_button",
            lambda: self._joined(
                self.workshop.join(
                    full_name=name.value, commune=commune.value, role=role.value, workshop_code=code.value
                )
            ),
            "primary",
        )
        join_items = ([code] if self.workshop.code else []) + [name, commune, role, join]
        resume_code = widgets.Text(description=t("resume_code", L), style={"description_width": "initial"})
        resume = self._button(
            "resume_button",
            lambda: self._joined(self.workshop.resume(resume_code.value, client_address())),
            "primary",
        )
        resume_items = [resume_code, resume, widgets.HTML(f"<p>{t('forgot_code', L)}</p>")]
        tabs = widgets.Tab(children=[widgets.VBox(join_items), widgets.VBox(resume_items)])
        tabs.set_title(0, t("join_tab", L))
        tabs.set_title(1, t("resume_tab", L))
        self.body.children = [
            widgets.HTML(f"<h2>{t('trainee_title', L)}</h2><p class='trove-fictional'>{t('fictional_banner', L)}</p>"),
            tabs,
        ]

    def load_communes(self) -> list[str]:
        """The communes of the workshop's region, offered as the trainee types (better coverage data); loading
        them loads the library, so under Voilà the warm-up thread calls this after the join screen is shown."""
        try:
            self.communes = self.workshop.commune_options()
        except Exception:
            log.exception("no commune list for the join form")
            self.communes = []
        if getattr(self, "commune_field", None) is not None:
            self.commune_field.options = self.communes
        return self.communes

    def _joined(self, trainee: Trainee) -> None:
        self.trainee = trainee
        exercises = self.workshop.exercise_ids
        if len(exercises) == 1:
            self._open_exercise(exercises[0])
        else:
            self._render(self.show_exercises)

    def show_exercises(self) -> None:
        """The trainee's resume code and the workshop's exercises, with progress and a review button per submitted case."""
        L, trainee = self.lang, self.trainee
        rows: list[widgets.Widget] = [
            widgets.HTML(
                f"<p class='trove-code'>{t('your_code', L, code=trainee.resume_code)}</p>"
                f"<h2>{t('choose_exercise', L)}</h2>"
            )
        ]
        for exercise in self.workshop.exercises():
            progress = self.workshop.progress(trainee, exercise.id)
            states = ", ".join(
                t("progress_done", L, percent=p["percent"])
                if p["submitted"]
                else t("progress_open", L)
                if p["started"]
                else t("progress_new", L)
                for p in progress
            )
            facts = [t("exercise_cases", L, n=len(progress)), t("pass_mark", L, mark=exercise.pass_mark)]
            if exercise.time_limit_minutes:
                facts.append(t("time_limit", L, minutes=exercise.time_limit_minutes))
            rows.append(
                widgets.HTML(
                    f"<h3>{html.escape(exercise.title.get(L))}</h3><p>{html.escape(exercise.description.get(L))}</p>"
                    f"<p><small>{' · '.join(facts)} — {states}</small></p>"
                )
            )
            buttons = [self._button("start_exercise", lambda e=exercise.id: self._open_exercise(e), "primary")]
            for p in progress:
                if p["submitted"]:
                    review = widgets.Button(
                        description=t("review_case", L, i=p["position"] + 1), layout=widgets.Layout(width="auto")
                    )
                    review.on_click(
                        lambda _, e=exercise.id, pos=p["position"]: self._guard(lambda: self._review(e, pos))
                    )
                    buttons.append(review)
            rows.append(widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap")))
        self.body.children = rows

    def _open_exercise(self, exercise_id: str) -> None:
        self.exercise_id = exercise_id
        progress = self.workshop.progress(self.trainee, exercise_id)
        nxt = next((p["position"] for p in progress if not p["submitted"]), None)
        if nxt is None:
            self._render(self.show_summary)
        else:
            self._open_case(nxt)

    def _review(self, exercise_id: str, position: int) -> None:
        self.exercise_id = exercise_id
        self._open_case(position)

    def _open_case(self, position: int) -> None:
        self.session = self.workshop.open_case(self.trainee, self.exercise_id, position)
        self._render(self.show_feedback if self.session.submitted else self.show_case)

    def show_case(self) -> None:
        """The open case: the person's card, the clock, the interview, the decision-point forms and submit."""
        L, s = self.lang, self.session
        n = len(self.workshop.progress(self.trainee, self.exercise_id))
        header = widgets.HTML(
            f"<p><b>{t('your_code', L, code=self.trainee.resume_code)}</b></p>"
            f"<h2>{t('case_of', L, i=s.attempt.position + 1, n=n)} — {html.escape(s.scenario.title.get(L) if s.scenario else s.attempt.scenario_id)}</h2>"
        )
        self.clock = widgets.HTML(self._clock_text())
        self.log = widgets.HTML(self._log_html())
        self.questions = widgets.VBox(self._question_buttons())
        self.questions.add_class("trove-questions")
        interview = widgets.VBox(
            [
                widgets.HTML(f"<h3>{t('interview', L)}</h3><p><small>{t('interview_help', L)}</small></p>"),
                self.questions,
                widgets.HTML(f"<h4>{t('interview_log', L)}</h4>"),
                self.log,
            ]
        )
        self.forms = {}
        self.active = s.active_decision_points
        # Each form is built when its panel is first opened: a case opens with a few dozen widgets, not hundreds.
        decisions = self.decisions = widgets.Accordion(
            children=[widgets.VBox() for _ in self.active], selected_index=None
        )
        for i, dp in enumerate(self.active):
            decisions.set_title(i, t(f"dp_{dp}", L))
        decisions.observe(
            lambda change: self._guard(lambda: self._open_form(decisions, change["new"])), names="selected_index"
        )
        self.plan = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", display="none"))
        if s.answers.get("D10"):  # matplotlib loads only once the trainee works on the plan (kernel memory)
            self._draw_plan()
        self.saved = widgets.HTML()
        self.confirm = widgets.HBox()
        submit = self._button("submit", self._ask_submit, "warning")
        back = self._button("back_to_exercises", lambda: self._render(self.show_exercises))
        self.body.children = [
            back,
            header,
            widgets.HTML(self._card_html()),
            self.clock,
            interview,
            widgets.HTML(f"<h3>{t('decisions', L)}</h3>"),
            decisions,
            self.plan,
            self.saved,
            submit,
            self.confirm,
        ]

    def _open_form(self, decisions: widgets.Accordion, index: object) -> None:
        from sim.ui.answer_forms import AnswerForm

        if not isinstance(index, int) or not 0 <= index < len(self.active):
            return
        dp = self.active[index]
        if dp not in self.forms:
            form = AnswerForm(dp, self.session.form_fields(dp), self.lang, self._answered)
            form.load(self.session.answers.get(dp, {}))
            self.forms[dp] = form
            decisions.children[index].children = [form.widget]

    def _card_html(self) -> str:
        L, s = self.lang, self.session
        case = s.case
        p = case.primary
        docs = ", ".join(
            t("document_issued", L, document=s.label("documents", d.kind, L), date=day_text(d.issued, L))
            if d.issued
            else s.label("documents", d.kind, L)
            for d in case.observable.documents
        ) or t("no_documents", L)
        arrival = (
            t("brought_by", L, agency=s.label("agencies", case.observable.brought_by, L))
            if case.observable.brought_by
            else t("came_alone", L)
        )
        children = f"<p>{t('children_with', L, n=len(case.children))}</p>" if case.children else ""
        home = html.escape(p.home.commune) if p.home else html.escape(p.country)
        return (
            f"<div class='trove-card'><p class='trove-fictional'>{t('fictional_banner', L)}</p>"
            f"<h3>{html.escape(p.full_name)} — {t('age_years', L, age=p.age)} — {home}</h3>"
            f"<p class='trove-case-date'><b>{html.escape(t('case_date', L, date=day_text(case.date, L), law=s.law_in_force(L)))}</b></p>"
            f"<p>{html.escape(arrival)}</p>{children}"
            f"<p><b>{t('first_statement', L)}:</b> “{html.escape(case.observable.first_statement.get(L))}”</p>"
            f"<p><b>{t('appearance', L)}:</b> {html.escape(case.observable.appearance.get(L))}</p>"
            f"<p><b>{t('documents', L)}:</b> {html.escape(docs)}</p></div>"
        )

    def _clock_text(self) -> str:
        minutes = self.session.clock
        return f"<p><b>{t('clock', self.lang, hours=minutes // 60, minutes=minutes % 60)}</b></p>"

    def _log_html(self) -> str:
        L = self.lang
        if not self.session.asked:
            return f"<p>{t('nothing_asked', L)}</p>"
        return (
            "<ol>"
            + "".join(
                f"<li><b>{html.escape(r.question.text.get(L))}</b><br>{html.escape(r.question.answer.get(L))}</li>"
                for r in self.session.asked
            )
            + "</ol>"
        )

    def _question_buttons(self) -> list[widgets.Widget]:
        asked = {r.question.id for r in self.session.asked}
        buttons = []
        for q in self.session.case.interview:
            if q.id in asked:
                continue
            button = widgets.Button(
                description=q.text.get(self.lang), layout=widgets.Layout(width="100%", height="auto")
            )
            button.on_click(lambda _, qid=q.id: self._guard(lambda: self._asked(qid)))
            buttons.append(button)
        return buttons

    def _asked(self, question_id: str) -> None:
        self.session.ask(question_id)
        self.clock.value = self._clock_text()
        self.log.value = self._log_html()
        self.questions.children = self._question_buttons()

    def _answered(self, dp: str, values: dict[str, Any]) -> None:
        def save() -> None:
            self.session.answer(dp, values)
            self.saved.value = f"<small>✓ {t('saved', self.lang)} ({t('dp_' + dp, self.lang)})</small>"
            self.clock.value = self._clock_text()
            if dp == "D10":
                self._draw_plan()

        self._guard(save)

    def _draw_plan(self) -> None:
        self.plan.value = self.session.plan_png(self.lang)
        self.plan.layout.display = None

    def _ask_submit(self) -> None:
        missing = [t(f"dp_{dp}", self.lang) for dp in self.active if dp not in self.session.answers]
        warning = (
            widgets.HTML(f"<p>{t('unanswered', self.lang, items=', '.join(missing))}</p>")
            if missing
            else widgets.HTML()
        )
        self.confirm.children = [
            warning,
            widgets.HTML(f"<b>{t('submit_confirm', self.lang)}</b>"),
            self._button("submit_yes", self._submit, "danger"),
            self._button("submit_no", lambda: setattr(self.confirm, "children", ())),
        ]

    def _submit(self) -> None:
        self.session.submit()
        self._render(self.show_feedback)

    def show_feedback(self) -> None:
        """A submitted case's report, referral picture and answer key; refuses (``not_submitted``) before submission."""
        from sim.ui.feedback import answer_key_html, report_html

        L, s = self.lang, self.session
        report = s.report()
        if report is None:  # never render feedback (or the key) for an unsubmitted case
            raise InputError("not_submitted")
        picture = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self._draw_later(picture, lambda: s.feedback_png(L))
        progress = self.workshop.progress(self.trainee, self.exercise_id)
        more = any(not p["submitted"] for p in progress)
        nav = (
            self._button("next_case", lambda: self._open_exercise(self.exercise_id), "primary")
            if more
            else self._button("back_to_exercises", lambda: self._render(self.show_summary), "primary")
        )
        dated = t("case_date", L, date=day_text(s.case.date, L), law=s.law_in_force(L))
        self.body.children = [
            widgets.HTML(
                f"<p class='trove-case-date'>{html.escape(dated)}</p>" + report_html(report, s.overrides(), L)
            ),
            widgets.HTML(f"<p>{t('referral_yours', L)}</p>"),
            picture,
            widgets.HTML(
                answer_key_html(s.answer_key(), {dp: s.form_fields(dp) for dp in s.decision_points}, L, s.answers)
            ),
            nav,
        ]

    def _draw_later(self, picture: widgets.Image, draw: Callable[[], bytes]) -> None:
        """Draw a graph in the background: the feedback text shows at once, the picture follows (matplotlib is slow)."""
        import threading

        def work() -> None:
            try:
                picture.value = draw()
            except Exception:
                log.exception("drawing failed")

        threading.Thread(target=work, daemon=True).start()

    def show_summary(self) -> None:
        """The exercise's result: each case's percent, the average and whether it passed."""
        L = self.lang
        exercise = self.workshop.exercise(self.exercise_id)
        progress = self.workshop.progress(self.trainee, self.exercise_id)
        average, passed = self.workshop.result(self.trainee, self.exercise_id)
        verdict = t("passed", L) if passed else t("not_passed", L)
        rows = "".join(
            f"<li>{t('case_of', L, i=p['position'] + 1, n=len(progress))}: {p['percent'] if p['submitted'] else '—'}%</li>"
            for p in progress
        )
        back = self._button("back_to_exercises", lambda: self._render(self.show_exercises), "primary")
        self.body.children = [
            widgets.HTML(
                f"<h2>{html.escape(exercise.title.get(L))}</h2><h3>{t('summary', L, percent=average, verdict=verdict)}</h3><ul>{rows}</ul>"
            ),
            back,
        ]


def prefill_from_link(app: TraineeApp) -> None:
    """Fill the workshop code from the link (the QR code carries ``code=``), once the visit's request is known."""
    from urllib.parse import parse_qs

    def fill() -> None:
        code = parse_qs(os.environ.get("QUERY_STRING") or "").get("code", [""])[0][:20]
        if code:
            app.prefill_code = code
            if hasattr(app, "code_field"):
                app.code_field.value = code

    on_visit(fill)


WARM_UP_DELAY_SECONDS = 3


def warm_up(app: TraineeApp) -> None:
    """Load the library in the background while the trainee reads the join screen (in a preheated kernel:
    before anyone arrives), then offer the communes, so the first case opens quickly. matplotlib stays lazy."""
    import threading

    def work() -> None:
        import time

        time.sleep(WARM_UP_DELAY_SECONDS)  # let the join screen reach the browser first
        try:
            from sim.ui import answer_forms, feedback  # noqa: F401

            app.load_communes()
            app.workshop.warm_up()
        except Exception:
            log.exception("warm-up failed (the case will load on demand)")

    threading.Thread(target=work, daemon=True).start()


def show(workshop: Workshop | None = None) -> widgets.Widget:
    """Build the trainee app; the notebook's only code cell displays it."""
    try:
        served = bool(os.environ.get("VOILA_KERNEL_ID"))  # under Voilà: show the page first, load in the background
        app = TraineeApp(workshop or Workshop.from_environment(), defer_communes=served)
        if served:  # the page's link may carry the workshop code
            prefill_from_link(app)
            warm_up(app)
        return app.widget
    except SimError as exc:  # a broken scenario file or store must not leave a blank page
        log.exception("cannot start the trainee app")
        return widgets.HTML(
            f"<div class='trove-error'><b>{t('error_title')}</b><p>{html.escape(str(exc))}</p><p>{t('error_hint')}</p></div>"
        )
