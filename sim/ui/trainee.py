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
from sim.app.trainee import (
    ACCOUNT_ENV,
    ROLES,
    CaseSession,
    InputError,
    StoreError,
    Trainee,
    Workshop,
    warm_packaged_library,
)
from sim.errors import SimError
from sim.ui.guard import failure_message
from sim.ui.i18n import day_text, number, t
from sim.ui.picture import ZOOM_RULES, Picture, zoomable
from sim.ui.visit import on_visit

log = logging.getLogger(__name__)

# The page theme (type scale, spacing, AA colours, 44 px targets) is the Voilà template's theme.css, shared with
# the trainer pages; these are the trainee app's own pieces, in the theme's variables.
CSS = (
    """<style>
.trove-app{font-size:var(--trove-size,16px);max-width:1000px;margin:auto;color:var(--trove-text,#1a1a1a)}
/* the notebook's title over the app's column (Lab lays a markdown cell out as a table cell, which ignores widths) */
body:has(.trove-app) .jp-MarkdownCell .jp-InputArea{display:block}
body:has(.trove-app) .jp-MarkdownCell .jp-RenderedMarkdown{display:block;box-sizing:border-box;max-width:1000px;margin:0 auto !important}
.trove-code-line{font-size:var(--trove-size,16px);line-height:1.45}
.trove-logout{display:inline-flex;align-items:center;min-height:44px;padding:0 8px;white-space:nowrap}
.trove-code{font-size:var(--trove-size-xl,21px);font-weight:bold;letter-spacing:2px;white-space:nowrap;
  background:var(--trove-primary-soft,#e3eef9);padding:0 6px;border-radius:4px}
.trove-table td{padding:4px 8px;border-bottom:1px solid #d0d5da;vertical-align:top}
.trove-ok td:last-child{color:var(--trove-success,#1d6b34);font-weight:bold}
.trove-missed td:last-child{color:var(--trove-danger,#a61b1b);font-weight:bold}
.trove-steps{display:flex;flex-wrap:wrap;gap:4px 6px;list-style:none;margin:8px 0;padding:0}
.trove-steps li{display:flex;align-items:center;gap:6px;padding:4px 10px 4px 4px;border-radius:999px;
  border:1px solid var(--trove-line,#d0d5da);color:var(--trove-muted,#4a4a4a);font-size:var(--trove-size-s,14px)}
.trove-steps .trove-step-n{display:inline-flex;align-items:center;justify-content:center;min-width:24px;height:24px;
  border-radius:50%;background:var(--trove-surface,#f4f6f8);border:1px solid var(--trove-border,#767676);font-weight:bold}
.trove-steps .trove-step-done{color:var(--trove-success,#1d6b34);border-color:var(--trove-success,#1d6b34)}
.trove-steps .trove-step-done .trove-step-n{background:var(--trove-success,#1d6b34);border-color:var(--trove-success,#1d6b34);color:#fff}
.trove-steps .trove-step-current{color:#fff;background:var(--trove-primary,#0b5394);border-color:var(--trove-primary,#0b5394);font-weight:bold}
.trove-steps .trove-step-current .trove-step-n{background:#fff;color:var(--trove-primary,#0b5394);border-color:#fff}
.trove-chips{display:flex;flex-wrap:wrap;align-items:center;gap:6px;list-style:none;margin:4px 0 8px;padding:0}
.trove-chips-label{font-weight:bold;font-size:var(--trove-size-s,14px)}
body .trove-app .trove-questions .widget-button{text-align:left;width:calc(100% - 4px) !important}
.trove-dp-header{gap:8px;align-items:center;border:1px solid var(--trove-line,#d0d5da);border-radius:6px;
  padding:2px 8px 2px 2px;background:var(--trove-surface,#f4f6f8)}
body .trove-dp-header .widget-button{text-align:left;font-weight:bold;background:transparent;border:0;padding-left:8px}
.trove-dp-header .widget-html{flex:0 0 auto}
.trove-dp-panel{padding:4px 8px 12px;border:1px solid var(--trove-line,#d0d5da);border-top:0;border-radius:0 0 6px 6px}
.trove-decisions{gap:6px}
"""
    + ZOOM_RULES
    + """.trove-path{margin:4px 0 8px;padding-left:1.2em}
.trove-path li{margin-bottom:6px}
.trove-next .trove-worse{color:var(--trove-danger,#a61b1b)}
.trove-labelled-select .widget-label{font-weight:bold}
.trove-note{color:var(--trove-muted,#4a4a4a);font-size:var(--trove-size-s,14px)}
</style>"""
)


class TraineeApp:
    """The trainee's screens over one ``Workshop``: join or resume, exercises, a case, feedback, a summary.

    Each ``show_*`` method renders one screen into ``widget``; errors become a message, never a blank page.
    """

    def __init__(self, workshop: Workshop, lang: str = "vi", *, defer_communes: bool = False):
        self.workshop, self.lang = workshop, lang
        self.trainee: Trainee | None = None
        self.account: str | None = None  # the hub login, once the visit tells it (``take_visit``)
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
        except Exception as exc:
            if not isinstance(exc, InputError):
                log.exception("trainee app failed")
            generic = not isinstance(exc, InputError | StoreError)  # the answers so far are kept either way
            self._say(
                failure_message(exc, self.lang, show_cause=False) + (f" {t('err_store', self.lang)}" if generic else "")
            )
        return None

    def _say(self, text: str) -> None:
        self.message.value = f"<div class='trove-error'>{text}</div>"

    def _button(self, key: str, on_click: Callable[[], Any], style: str = "") -> widgets.Button:
        button = widgets.Button(description=t(key, self.lang), button_style=style, layout=widgets.Layout(width="auto"))
        button.on_click(lambda _: self._guard(on_click))
        return button

    def _code_html(self) -> str:
        """The resume code, large, inside a sentence of normal size (the whole sentence in large type broke over
        four lines on a phone); under a hub, the account instead (no code to keep)."""
        if self.account:
            signed_in = t("signed_in_as", self.lang, account=html.escape(self.account))
            logout = self.workshop.logout_url
            link = (
                f" <a class='trove-logout' href='{html.escape(logout)}'>{t('log_out', self.lang)}</a>" if logout else ""
            )
            return f"<p class='trove-code-line'>{signed_in}{link}</p>"
        code = f"<span class='trove-code'>{html.escape(self.trainee.resume_code)}</span>"
        return f"<p class='trove-code-line'>{t('your_code', self.lang, code=code)}</p>"

    def _chips_html(self, progress: list[dict[str, Any]]) -> str:
        """Each case of an exercise as a chip: submitted (with its percent), in progress or not started."""
        L, chips = self.lang, []
        for p in progress:
            if p["submitted"] and p.get("adjusted"):
                final = number(p["final_percent"], L)
                css, state = "done", "✓ " + t("progress_done_adjusted", L, percent=number(p["percent"], L), final=final)
            elif p["submitted"]:
                css, state = "done", "✓ " + t("progress_done", L, percent=number(p["percent"], L))
            elif p["started"]:
                css, state = "open", "● " + t("progress_open", L)
            else:
                css, state = "new", "○ " + t("progress_new", L)
            text = t("case_status", L, i=p["position"] + 1, state=state)
            chips.append(f"<li><span class='trove-chip trove-chip-{css}'>{html.escape(text)}</span></li>")
        label = f"<li class='trove-chips-label'>{t('case_states', L)}</li>"
        return f"<ul class='trove-chips'>{label}{''.join(chips)}</ul>"

    def _steps_html(self, current: int) -> str:
        """The case's step bar: interview → decisions → submit → feedback; steps before ``current`` are done."""
        L, items = self.lang, []
        for i, key in enumerate(("step_interview", "step_decisions", "step_submit", "step_feedback")):
            if i < current:
                css, mark, extra = "trove-step-done", "✓", ""
            elif i == current:
                css, mark, extra = "trove-step-current", str(i + 1), " aria-current='step'"
            else:
                css, mark, extra = "trove-step-todo", str(i + 1), ""
            items.append(f"<li class='{css}'{extra}><span class='trove-step-n'>{mark}</span>{t(key, L)}</li>")
        return f"<ol class='trove-steps' aria-label='{t('steps_label', L)}'>{''.join(items)}</ol>"

    def _case_step(self) -> int:
        """Where the open case stands: 0 nothing done yet, 1 deciding, 2 every decision answered (submit next)."""
        s = self.session
        if self.active and all(dp in s.answers for dp in self.active):
            return 2
        return 1 if (s.asked or s.answers) else 0

    # screens ----------------------------------------------------------------------------------
    def show_join(self) -> None:
        """The first screen: join the workshop (code, name, commune, role) or resume with the resume code; under a
        hub, the first visit's profile (name, commune, role) and nothing else."""
        L = self.lang
        title = widgets.HTML(
            f"<h2>{t('trainee_title', L)}</h2><p class='trove-fictional'>{t('fictional_banner', L)}</p>"
        )
        if self.workshop.accounts_only and not self.account:
            # Under a hub, until the visit names the login: no form at all, not even one hidden from view.
            self.body.children = [title, widgets.HTML(f"<p role='status'>{t('waiting_for_sign_in', L)}</p>")]
            return

        def field() -> dict[str, Any]:  # label beside the field on a laptop (above it on a phone), room for the role
            return {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="min(100%, 560px)")}

        code = self.code_field = widgets.Text(value=self.prefill_code, description=t("workshop_code", L), **field())
        name = widgets.Text(description=t("full_name", L), **field())
        commune = self.commune_field = widgets.Combobox(
            options=self.communes if self.communes is not None else self.load_communes(),
            ensure_option=False,
            description=t("commune_field", L),
            **field(),
        )
        role = widgets.Dropdown(
            options=[(t(f"role_{r}", L), r) for r in ROLES], description=t("role_field", L), **field()
        )
        join = self._button(
            "join_button",
            lambda: self._joined(
                self.workshop.join(
                    full_name=name.value,
                    commune=commune.value,
                    role=role.value,
                    workshop_code=code.value,
                    account=self.account,
                )
            ),
            "primary",
        )
        if self.account:
            profile = widgets.HTML(f"<p>{t('account_profile', L)}</p>{self._code_html()}")
            self.body.children = [title, profile, name, commune, role, join]
            return
        join_items = ([code] if self.workshop.code else []) + [name, commune, role, join]
        resume_code = widgets.Text(description=t("resume_code", L), **field())
        resume = self._button(
            "resume_button",
            lambda: self._joined(self.workshop.resume(resume_code.value, client_address())),
            "primary",
        )
        resume_items = [resume_code, resume, widgets.HTML(f"<p>{t('forgot_code', L)}</p>")]
        tabs = widgets.Tab(children=[widgets.VBox(join_items), widgets.VBox(resume_items)])
        tabs.set_title(0, t("join_tab", L))
        tabs.set_title(1, t("resume_tab", L))
        self.body.children = [title, tabs]

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

    def signed_in(self, account: str) -> None:
        """The hub login of this visit: straight to the exercises if it has joined before, else its profile."""
        self.account = account
        trainee = self.workshop.by_account(account)
        if trainee is not None:
            self._joined(trainee)
        else:
            self._render(self.show_join)

    def _joined(self, trainee: Trainee) -> None:
        if self.account and trainee.account != self.account:  # a resume code never stands for a hub login
            raise InputError("unknown_resume_code")
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
            widgets.HTML(f"{self._code_html()}<h2>{t('choose_exercise', L)}</h2>"),
        ]
        for exercise in self.workshop.exercises():
            progress = self.workshop.progress(trainee, exercise.id)
            facts = [t("exercise_cases", L, n=len(progress)), t("pass_mark", L, mark=number(exercise.pass_mark, L))]
            if exercise.time_limit_minutes:
                facts.append(t("time_limit", L, minutes=exercise.time_limit_minutes))
            if exercise.mode == "assessment":
                released = self.workshop.answers_released(exercise.id)
                facts.append(t("exercise_assessment_released" if released else "exercise_assessment", L))
            rows.append(
                widgets.HTML(
                    f"<h3>{html.escape(exercise.title.get(L))}</h3><p>{html.escape(exercise.description.get(L))}</p>"
                    f"<p><small>{' · '.join(facts)}</small></p>{self._chips_html(progress)}"
                )
            )
            buttons = [self._button(open_label(progress), lambda e=exercise.id: self._open_exercise(e), "primary")]
            buttons += self._review_buttons(exercise.id, progress)
            rows.append(widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap")))
        self.body.children = rows

    def _review_buttons(self, exercise_id: str, progress: list[dict[str, Any]]) -> list[widgets.Button]:
        """A "see the feedback of case N" button per submitted case of an exercise."""
        buttons = []
        for p in progress:
            if p["submitted"]:
                review = widgets.Button(
                    description=t("review_case", self.lang, i=p["position"] + 1), layout=widgets.Layout(width="auto")
                )
                review.on_click(lambda _, pos=p["position"]: self._guard(lambda: self._review(exercise_id, pos)))
                buttons.append(review)
        return buttons

    def _open_exercise(self, exercise_id: str) -> None:
        self.exercise_id = exercise_id
        progress = self.workshop.progress(self.trainee, exercise_id)
        nxt = next((p["position"] for p in progress if not p["submitted"]), None)
        if nxt is None:
            self._render(self.show_summary)
            return
        try:
            self._open_case(nxt)
        except InputError as exc:
            if exc.key != "assessment_closed":
                raise
            self._render(self.show_summary)  # answers released: nothing more to do, the result and reviews remain

    def _review(self, exercise_id: str, position: int) -> None:
        self.exercise_id = exercise_id
        self._open_case(position)

    def _open_case(self, position: int) -> None:
        self.session = self.workshop.open_case(self.trainee, self.exercise_id, position)
        self._render(self.show_feedback if self.session.submitted else self.show_case)

    def show_case(self) -> None:
        """The open case: the step bar, the person's card, the clock, the interview, the decision points (each
        with answered / not answered) and submit."""
        L, s = self.lang, self.session
        n = len(self.workshop.progress(self.trainee, self.exercise_id))
        self.forms = {}
        self.active = s.active_decision_points
        header = widgets.HTML(
            f"{self._code_html()}"
            f"<h2>{t('case_of', L, i=s.attempt.position + 1, n=n)} — {html.escape(s.scenario.title.get(L) if s.scenario else s.attempt.scenario_id)}</h2>"
        )
        self.steps = widgets.HTML(self._steps_html(self._case_step()))
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
        self.decisions = self._decision_list()
        self.plan = Picture(t("alt_plan_graph", L), scrolls=True)
        self.plan_agencies = widgets.HTML()
        self.plan_box = widgets.VBox(
            [
                widgets.HTML(f"<h4>{t('referral_plan', L)}</h4>"),
                self.plan_agencies,
                self._drawing(self.plan, lambda: s.plan_png(L)),
            ],
            layout=widgets.Layout(display="none"),
        )
        if s.answers.get("D10"):
            self._list_plan()
        self.saved = widgets.HTML()
        self.confirm = widgets.VBox()
        submit = self._button("submit", self._ask_submit, "warning")
        back = self._button("back_to_exercises", lambda: self._render(self.show_exercises))
        self.body.children = [
            back,
            header,
            self.steps,
            widgets.HTML(self._card_html()),
            self.clock,
            interview,
            widgets.HTML(f"<h3>{t('decisions', L)}</h3>"),
            self.decisions,
            self.plan_box,
            self.saved,
            submit,
            self.confirm,
        ]

    def _decision_list(self) -> widgets.VBox:
        """One header per decision point (its name and whether it is answered) over a panel that opens on a tap;
        opening one closes the others. Each form is built when its panel is first opened: a case opens with a few
        dozen widgets, not hundreds."""
        self.dp_buttons: list[widgets.Button] = []
        self.dp_status: list[widgets.HTML] = []
        self.dp_panels: list[widgets.VBox] = []
        self.open_index: int | None = None
        rows = []
        for i, dp in enumerate(self.active):
            button = widgets.Button(
                description=t(f"dp_{dp}", self.lang), icon="caret-right", layout=widgets.Layout(flex="1 1 auto")
            )
            button.on_click(lambda _, i=i: self._guard(lambda: self.toggle_decision(i)))
            status = widgets.HTML(self._status_html(dp))
            header = widgets.HBox([button, status], layout=widgets.Layout(width="100%"))
            header.add_class("trove-dp-header")
            panel = widgets.VBox(layout=widgets.Layout(display="none"))
            panel.add_class("trove-dp-panel")
            self.dp_buttons.append(button)
            self.dp_status.append(status)
            self.dp_panels.append(panel)
            rows.append(widgets.VBox([header, panel]))
        box = widgets.VBox(rows)
        box.add_class("trove-decisions")
        return box

    def _status_html(self, dp: str) -> str:
        if dp in self.session.answers:
            return f"<span class='trove-chip trove-chip-done'>✓ {t('dp_answered', self.lang)}</span>"
        return f"<span class='trove-chip trove-chip-new'>{t('dp_unanswered', self.lang)}</span>"

    def toggle_decision(self, index: int) -> None:
        """Open the panel of decision point ``index`` (building its form the first time), or close it if open."""
        if not isinstance(index, int) or not 0 <= index < len(self.active):
            return
        opening = self.open_index != index
        if self.open_index is not None:
            self.dp_panels[self.open_index].layout.display = "none"
            self.dp_buttons[self.open_index].icon = "caret-right"
        self.open_index = index if opening else None
        if opening:
            self._open_form(index)
            self.dp_panels[index].layout.display = None
            self.dp_buttons[index].icon = "caret-down"

    def _open_form(self, index: int) -> None:
        from sim.ui.answer_forms import AnswerForm

        dp = self.active[index]
        if dp not in self.forms:
            form = AnswerForm(dp, self.session.form_fields(dp), self.lang, self._answered)
            form.load(self.session.answers.get(dp, {}))
            self.forms[dp] = form
            self.dp_panels[index].children = [form.widget]

    def _drawing(self, picture: Picture, draw: Callable[[], bytes]) -> widgets.VBox:
        """A graph drawn only when the trainee asks for it (matplotlib costs a kernel about a second and 35 MiB;
        the list of agencies beside it says the same), then fitted to the screen with a button that shows it at
        full size in a box that scrolls both ways (a phone can then read the graph's labels)."""
        box, zoom = zoomable(picture, self.lang)
        box.layout.display = zoom.layout.display = "none"
        show = widgets.Button(
            description=t("show_graph", self.lang), icon="sitemap", layout=widgets.Layout(width="auto")
        )

        def shown(_: object) -> None:
            show.layout.display, box.layout.display, zoom.layout.display = "none", None, None
            self._draw_later(picture, draw)

        show.on_click(lambda b: self._guard(lambda: shown(b)))
        return widgets.VBox([show, zoom, box])

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
        self.steps.value = self._steps_html(self._case_step())

    def _answered(self, dp: str, values: dict[str, Any]) -> None:
        def save() -> None:
            self.session.answer(dp, values)
            self.saved.value = f"<small>✓ {t('saved', self.lang)} ({t('dp_' + dp, self.lang)})</small>"
            self.clock.value = self._clock_text()
            self.dp_status[self.active.index(dp)].value = self._status_html(dp)
            self.steps.value = self._steps_html(self._case_step())
            if dp == "D10":
                self._list_plan()

        self._guard(save)

    def _list_plan(self) -> None:
        """The agencies of the plan as a list, and its drawing again if the trainee has asked for it."""
        chosen = (self.session.answers.get("D10") or {}).get("agencies", [])
        names = "".join(f"<li>{html.escape(self.session.label('agencies', a, self.lang))}</li>" for a in chosen)
        self.plan_agencies.value = (
            f"<p>{t('referral_chosen', self.lang)}</p><ul class='trove-path'>{names}</ul>"
            if chosen
            else f"<p>{t('referral_none_chosen', self.lang)}</p>"
        )
        self.plan_box.layout.display = None
        if self.plan.value:  # drawn once asked for: redrawn on each change from then on
            self._draw_later(self.plan, lambda: self.session.plan_png(self.lang))

    def _ask_submit(self) -> None:
        missing = [t(f"dp_{dp}", self.lang) for dp in self.active if dp not in self.session.answers]
        warning = (
            widgets.HTML(f"<p>{t('unanswered', self.lang, items=', '.join(missing))}</p>")
            if missing
            else widgets.HTML()
        )
        not_yet = self._button("submit_no", lambda: setattr(self.confirm, "children", ()))
        self.confirm.children = [
            warning,
            widgets.HTML(f"<b>{t('submit_confirm', self.lang)}</b>"),
            widgets.HBox(
                [self._button("submit_yes", self._submit, "danger"), not_yet],
                layout=widgets.Layout(flex_flow="row wrap"),
            ),
        ]
        # into view (on a phone it opened below the screen's edge), on the answer that changes nothing
        not_yet.focus()

    def _submit(self) -> None:
        self.session.submit()
        self._render(self.show_feedback)

    def show_feedback(self) -> None:
        """A submitted case's report, referral plan (a list of the agencies on each path, and the picture) and
        answer key, then the way on; refuses (``not_submitted``) before submission. In an assessment whose answers
        the trainer has not released, only the score, the trainer's adjustments and a notice: the explanations,
        the correct paths and the key are never built, so no widget holds them."""
        from sim.ui.feedback import answer_key_html, referral_html, report_html

        L, s = self.lang, self.session
        report = s.report()
        if report is None:  # never render feedback (or the key) for an unsubmitted case
            raise InputError("not_submitted")
        picture = Picture(t("referral_yours", L), scrolls=True)
        progress = self.workshop.progress(self.trainee, self.exercise_id)
        more = any(not p["submitted"] for p in progress)
        nav = (
            [
                self._button("next_case", lambda: self._open_exercise(self.exercise_id), "primary"),
                self._button("back_to_exercises", lambda: self._render(self.show_exercises)),
            ]
            if more
            else [self._button("back_to_exercises", lambda: self._render(self.show_summary), "primary")]
        )
        dated = t("case_date", L, date=day_text(s.case.date, L), law=s.law_in_force(L))
        shown = s.answers_shown
        summary = widgets.HTML(
            self._steps_html(3)
            + f"<p class='trove-case-date'>{html.escape(dated)}</p>"
            + report_html(report, s.overrides(), L, answers_shown=shown)
        )
        if not shown:
            self.body.children = [summary, widgets.HBox(nav, layout=widgets.Layout(flex_flow="row wrap"))]
            return
        self.body.children = [
            summary,
            widgets.HTML(referral_html(report.get("referral") or {}, self._referral_label, L)),
            widgets.HTML(f"<p>{t('referral_yours', L)}</p>"),
            self._drawing(picture, lambda: s.feedback_png(L)),
            widgets.HTML(self._next_html()),
            widgets.HTML(
                answer_key_html(
                    s.answer_key(), {dp: s.form_fields(dp) for dp in s.active_decision_points}, L, s.answers
                )
            ),
            widgets.HBox(nav, layout=widgets.Layout(flex_flow="row wrap")),
        ]

    def _next_html(self) -> str:
        """What happened next to this case (simulated, from the trainee's decisions), or nothing if it fails."""
        L = self.lang
        try:
            lines = self.session.what_happened_next(L)
        except Exception:  # the feedback must show even if the simulation cannot run
            log.exception("what happened next: not simulated")
            return ""
        items = "".join(f"<li{' class=trove-worse' if worse else ''}>{html.escape(text)}</li>" for text, worse in lines)
        return (
            f"<div class='trove-next'><h3>{t('next_title', L)}</h3><ol class='trove-path'>{items}</ol>"
            f"<p class='trove-note'>{t('next_note', L)}</p></div>"
        )

    def _referral_label(self, kind: str, key: str) -> str:
        """An agency's or a service's name in the page's language (services are supports or procedural services)."""
        kinds = ("agencies",) if kind == "agencies" else ("supports", "services")
        for k in kinds:
            try:
                return self.session.label(k, key, self.lang)
            except Exception:  # not of this kind: try the next
                continue
        return key

    def _draw_later(self, picture: Picture, draw: Callable[[], bytes]) -> None:
        """Draw a graph in the background: the feedback text shows at once, the picture follows (matplotlib is slow)."""
        import threading

        def work() -> None:
            try:
                picture.show(draw())
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

        def case_score(p: dict[str, Any]) -> str:
            if not p["submitted"]:
                return "—"
            if p.get("adjusted"):
                return t(
                    "summary_case_adjusted", L, percent=number(p["percent"], L), final=number(p["final_percent"], L)
                )
            return f"{number(p['percent'], L)}%"

        rows = "".join(
            f"<li>{t('case_of', L, i=p['position'] + 1, n=len(progress))}: {case_score(p)}</li>" for p in progress
        )
        back = self._button("back_to_exercises", lambda: self._render(self.show_exercises), "primary")
        closed = exercise.mode == "assessment" and self.workshop.answers_released(exercise.id)
        note = f"<p class='trove-ok'>{html.escape(t('summary_assessment_closed', L))}</p>" if closed else ""
        self.body.children = [
            widgets.HTML(
                f"<h2>{html.escape(exercise.title.get(L))}</h2><h3>{t('summary', L, percent=number(average, L), verdict=verdict)}</h3>{note}<ul>{rows}</ul>"
            ),
            widgets.HBox(
                [*self._review_buttons(exercise.id, progress), back], layout=widgets.Layout(flex_flow="row wrap")
            ),
        ]


def open_label(progress: list[dict[str, Any]]) -> str:
    """The exercise button's label: start it, continue it (a case started or submitted, one still to do), or see
    its result (every case submitted).

    >>> open_label([{"started": False, "submitted": False}])
    'start_exercise'
    >>> open_label([{"started": True, "submitted": True}, {"started": False, "submitted": False}])
    'continue_exercise'
    >>> open_label([{"started": True, "submitted": True}])
    'see_exercise_result'
    """
    if progress and all(p["submitted"] for p in progress):
        return "see_exercise_result"
    return "continue_exercise" if any(p["started"] for p in progress) else "start_exercise"


def take_visit(app: TraineeApp) -> None:
    """Once the visit's request is known: sign in the hub user the server names (``ACCOUNT_ENV``), or fill the
    workshop code from the link (the QR code carries ``code=``)."""
    from urllib.parse import parse_qs

    def fill() -> None:
        account = os.environ.get(ACCOUNT_ENV)
        if account:
            app._guard(lambda: app.signed_in(account))
            return
        code = parse_qs(os.environ.get("QUERY_STRING") or "").get("code", [""])[0][:20]
        if code:
            app.prefill_code = code
            if hasattr(app, "code_field"):
                app.code_field.value = code

    on_visit(fill)


WARM_UP_DELAY_SECONDS = 3


def warm_up(app: TraineeApp) -> None:
    """Load the library, the forms and the scorer, then offer the communes, so the first case opens quickly
    (matplotlib stays lazy). A preheated kernel does it before anyone arrives, as part of running the notebook:
    the room's pool counts it ready only once it is warm, so a wave's "Bắt đầu" never waits for it. A fresh
    kernel does it in the background, after the join screen has reached the browser."""
    import threading

    def work(delay: float) -> None:
        import time

        time.sleep(delay)
        try:
            from sim.ui import answer_forms, feedback  # noqa: F401

            app.load_communes()
            app.workshop.warm_up()
        except Exception:
            log.exception("warm-up failed (the case will load on demand)")

    if os.environ.get("VOILA_PREHEAT") == "True":
        work(0)
    else:
        threading.Thread(target=work, args=(WARM_UP_DELAY_SECONDS,), daemon=True).start()


def preload() -> None:
    """What a kernel forked from ``trove serve``'s warm parent (``sim.workshop.fork_server``) inherits ready: the
    answer forms and feedback screens, and the packaged library with its exercises checked, the case generator and
    the scorer. The warm-up of each page then finds them loaded."""
    from sim.ui import answer_forms, feedback  # noqa: F401

    warm_packaged_library()


def show(workshop: Workshop | None = None) -> widgets.Widget:
    """Build the trainee app; the notebook's only code cell displays it."""
    try:
        served = bool(os.environ.get("VOILA_KERNEL_ID"))  # under Voilà: show the page first, load in the background
        app = TraineeApp(workshop or Workshop.from_environment(), defer_communes=served)
        if served:  # the page's visit may carry a hub login, or its link the workshop code
            take_visit(app)
            warm_up(app)
        return app.widget
    except SimError as exc:  # a broken scenario file or store must not leave a blank page
        log.exception("cannot start the trainee app")
        return widgets.HTML(
            f"<div class='trove-error'><b>{t('error_title')}</b><p>{html.escape(str(exc))}</p><p>{t('error_hint')}</p></div>"
        )
