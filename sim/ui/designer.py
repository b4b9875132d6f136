"""The trainer's designer (``notebooks/designer.ipynb``): write a scenario with a form or directly in
YAML, see every problem as ``trove check`` reports it (beside the form field, and by YAML line), preview
three generated variants with their ground truth and referral graph, and save; build exercises the
same way. Saving writes only valid files, atomically, so a running workshop never reads a broken one.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from sim.app.trainer import DECISION_POINTS, TrainerDesk
from sim.errors import Problem
from sim.ui.guard import guarded
from sim.ui.i18n import problem_text, t
from sim.ui.picture import picture_html

RANDOM_FACTS = (
    "name",
    "commune",
    "age",
    "sex",
    "household",
    "months_away",
    "threats",
    "needs",
    "accompanying_children",
    "documents",
    "entry_route",
    "wishes_shelter",
    "refuses_protection",
    "can_write",
)
# Each tick box pins one fact of the scenario to true (label: message fact_<box>), except the boxes that say
# the opposite of their fact: those pin it to false.
FLAGS = ("trafficker_nearby", "family_suspected", "parent_suspected", "child_at_serious_risk", "wishes_shelter")
FLAGS += ("refuses_protection", "declines_support", "story_not_on_file")
NEGATED_FLAGS = {"declines_support": "asks_for_support", "story_not_on_file": "story_on_file"}


def field_layout() -> widgets.Layout:
    """A labelled field as wide as its label and a readable value need (the date picker was 18 px wide)."""
    return widgets.Layout(width="min(100%, 640px)")


def short_label(text: str) -> str:
    """A field's label without its help in brackets ("Tuổi (0 = ngẫu nhiên)" → "Tuổi").

    >>> short_label("Tuổi (0 = ngẫu nhiên)"), short_label("Độ khó")
    ('Tuổi', 'Độ khó')
    """
    return text.split(" (")[0]


class _Form:
    """Widgets with a red problem line under each field; problems are told by the field's label, in Vietnamese."""

    def __init__(self, lang: str):
        self.lang = lang
        self.errors: dict[str, widgets.HTML] = {}
        self.rows: list[widgets.Widget] = []
        self.labels: dict[str, str] = {}  # a problem's path → the label of its field
        self.names: dict[str, str] = {}  # an id a problem quotes → its name (regions, scenarios)

    def field(self, key: str, widget: widgets.Widget, label: str | None = None) -> widgets.Widget:
        self.errors[key] = widgets.HTML()
        self.labels[key] = short_label(label or getattr(widget, "description", "") or key)
        if label:
            self.rows.append(widgets.HTML(f"<b>{html.escape(label)}</b>"))
        self.rows += [widget, self.errors[key]]
        return widget

    def text(self, problem: Problem) -> str:
        """The problem as the trainer reads it: the field's label and the message in the form's language."""
        return problem_text(problem, self.lang, self.labels, self.names)

    def show(self, problems: list[Problem]) -> None:
        for error in self.errors.values():
            error.value = ""
        for p in problems:
            key = next(
                (
                    k
                    for k in sorted(self.errors, key=len, reverse=True)
                    if p.path == k or p.path.startswith(k + ".") or p.path.startswith(k + "[")
                ),
                None,
            )
            if key:
                self.errors[key].value += f"<div class='trove-error'>{html.escape(self.text(p))}</div>"


def _problems_html(problems: list[Problem], form: _Form) -> str:
    """Every problem by its YAML line and its field's label (the YAML path only as the item's tooltip)."""
    lang = form.lang
    if not problems:
        return f"<p class='trove-ok'>{t('d_ok', lang)}</p>"
    items = "".join(
        f"<li title='{html.escape(p.path)}'>{t('d_problem_line', lang, line=p.line) + ': ' if p.line else ''}"
        f"{html.escape(form.text(p))}</li>"
        for p in problems
    )
    return f"<ul class='trove-error'>{items}</ul>"


class ScenarioDesigner:
    """The scenario form and its YAML text, with check, preview and save through the trainer desk."""

    def __init__(self, desk: TrainerDesk, lang: str = "vi"):
        self.desk, self.lang = desk, lang
        L, choices = lang, desk.designer_choices(lang)
        wide = {"description_width": "initial"}
        f = self.form = _Form(L)
        f.names = {region: name for name, region in choices["regions"]}
        f.labels |= {
            "title.en": short_label(t("d_title_en", L)),
            "description.en": short_label(t("d_description_en", L)),
        }
        self.id = f.field(
            "id", widgets.Text(value="tinh-huong-moi", description=t("d_id", L), style=wide, layout=field_layout())
        )
        self.title_vi = f.field(
            "title", widgets.Text(description=t("d_title_vi", L), style=wide, layout=widgets.Layout(width="90%"))
        )
        self.title_en = widgets.Text(description=t("d_title_en", L), style=wide, layout=widgets.Layout(width="90%"))
        f.rows.append(self.title_en)
        self.desc_vi = f.field(
            "description",
            widgets.Textarea(description=t("d_description_vi", L), style=wide, layout=widgets.Layout(width="90%")),
        )
        self.desc_en = widgets.Textarea(
            description=t("d_description_en", L), style=wide, layout=widgets.Layout(width="90%")
        )
        f.rows.append(self.desc_en)
        self.date = f.field(
            "date",
            widgets.DatePicker(value=date(2026, 6, 1), description=t("d_date", L), style=wide, layout=field_layout()),
        )
        self.region = f.field(  # a list, not a drop-down: the regions' names are long (a <select> cuts them)
            "region",
            widgets.RadioButtons(
                options=choices["regions"], value=choices["default_region"][0][1], layout=widgets.Layout(width="100%")
            ),
            t("d_region", L),
        )
        self.profile = f.field(
            "fixed.profile",
            widgets.Dropdown(
                options=[("—", None)] + choices["profiles"],
                description=t("d_profile", L),
                style=wide,
                layout=widgets.Layout(width="90%"),
            ),
        )
        self.route = f.field(
            "fixed.entry_route",
            widgets.Dropdown(
                options=[("—", None)] + [(t(f"route_{r}", L), r) for _, r in choices["entry_routes"]],
                description=t("d_entry_route", L),
                style=wide,
                layout=field_layout(),
            ),
        )
        self.age = f.field(
            "fixed.age",
            widgets.BoundedIntText(
                value=0, min=0, max=100, description=t("d_age", L), style=wide, layout=field_layout()
            ),
        )
        self.fix_documents = widgets.Checkbox(value=False, description=t("d_fix_documents", L), indent=False)
        self.documents = f.field(
            "fixed.documents",
            widgets.SelectMultiple(
                options=choices["documents"], description=t("d_documents", L), style=wide, rows=5, layout=field_layout()
            ),
            None,
        )
        f.rows.insert(len(f.rows) - 2, self.fix_documents)
        self.threats = f.field(
            "fixed.threats",
            widgets.SelectMultiple(
                options=[(t(f"threat_{k}", L), k) for k in ("to_person", "to_relatives")],
                description=t("d_threats", L),
                style=wide,
                rows=2,
                layout=field_layout(),
            ),
        )
        self.flags = {k: widgets.Checkbox(value=False, description=t(f"fact_{k}", L), indent=False) for k in FLAGS}
        f.field("fixed", widgets.VBox(list(self.flags.values())), t("d_flags", L))
        self.children = f.field(
            "fixed.accompanying_children",
            widgets.BoundedIntText(
                value=-1, min=-1, max=4, description=t("d_children", L), style=wide, layout=field_layout()
            ),
        )
        self.random = {
            k: widgets.Checkbox(
                value=False, description=t(f"fact_{k}", L), indent=False, layout=widgets.Layout(width="auto")
            )
            for k in RANDOM_FACTS
        }
        f.field(
            "random_facts",
            widgets.HBox(list(self.random.values()), layout=widgets.Layout(flex_flow="row wrap")),
            t("d_random_facts", L),
        )
        self.points = {
            dp: widgets.Checkbox(value=True, description=dp, indent=False, layout=widgets.Layout(width="70px"))
            for dp in DECISION_POINTS
        }
        f.field(
            "decision_points",
            widgets.HBox(list(self.points.values()), layout=widgets.Layout(flex_flow="row wrap")),
            t("d_points", L),
        )
        self.weights = {
            dp: widgets.BoundedFloatText(  # the label "D10" beside a field wide enough for "100"
                value=0,
                min=0,
                max=100,
                description=dp,
                style={"description_width": "44px"},
                layout=widgets.Layout(width="150px"),
            )
            for dp in DECISION_POINTS
        }
        f.field(
            "rubric",
            widgets.HBox(list(self.weights.values()), layout=widgets.Layout(flex_flow="row wrap")),
            t("d_weights", L),
        )
        self.difficulty = f.field(
            "difficulty",
            widgets.Dropdown(
                options=[(t(f"difficulty_{d}", L), d) for d in ("basic", "intermediate", "advanced")],
                value="basic",
                description=t("d_difficulty", L),
                style=wide,
                layout=field_layout(),
            ),
        )
        self.objectives = f.field(
            "objectives",
            widgets.Textarea(description=t("d_objectives", L), style=wide, layout=widgets.Layout(width="90%")),
        )
        self.yaml = widgets.Textarea(layout=widgets.Layout(width="95%", height="320px"))
        self.problems = widgets.HTML()
        self.preview = widgets.VBox()
        buttons = [
            (t("d_to_yaml", L), self.form_to_yaml),
            (t("d_check", L), self.check),
            (t("d_preview", L), self.show_preview),
            (t("d_save", L), self.save),
        ]
        self.buttons = []
        for label, action in buttons:
            b = widgets.Button(description=label, layout=widgets.Layout(width="auto"))
            b.on_click(lambda _, a=action: self._guard(a))
            self.buttons.append(b)
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<p>{t('design_help', L)}</p>"),
                *f.rows,
                widgets.HBox(self.buttons[:1]),
                widgets.HTML(f"<b>{t('d_yaml', L)}</b>"),
                self.yaml,
                widgets.HBox(self.buttons[1:], layout=widgets.Layout(flex_flow="row wrap", grid_gap="4px")),
                self.problems,
                self.preview,
            ]
        )
        self.form_to_yaml()

    def _guard(self, action: Callable[[], Any]) -> None:
        guarded(action, self.problems, self.lang, "scenario designer")

    def form_data(self) -> dict[str, Any]:
        """The scenario the form describes, as the data of a scenario file (not yet checked)."""
        fixed: dict[str, Any] = {}
        if self.profile.value:
            fixed["profile"] = self.profile.value
        if self.route.value:
            fixed["entry_route"] = self.route.value
        if self.age.value:
            fixed["age"] = self.age.value
        if self.fix_documents.value:
            fixed["documents"] = list(self.documents.value)
        if self.threats.value:
            fixed["threats"] = list(self.threats.value)
        fixed |= {NEGATED_FLAGS.get(k, k): k not in NEGATED_FLAGS for k, box in self.flags.items() if box.value}
        if self.children.value >= 0:
            fixed["accompanying_children"] = self.children.value
        objectives = []
        for line in self.objectives.value.splitlines():
            if line.strip():
                vi, _, en = line.partition("|")
                objectives.append({"vi": vi.strip(), "en": (en or vi).strip()})
        data: dict[str, Any] = {
            "schema_version": 1,
            "id": self.id.value.strip(),
            "version": "1",
            "title": {
                "vi": self.title_vi.value.strip(),
                "en": self.title_en.value.strip() or self.title_vi.value.strip(),
            },
            "description": {
                "vi": self.desc_vi.value.strip(),
                "en": self.desc_en.value.strip() or self.desc_vi.value.strip(),
            },
            "date": self.date.value,
            "region": self.region.value,
            "fixed": fixed,
            "random_facts": [k for k, b in self.random.items() if b.value] or "all",
            "decision_points": [dp for dp, b in self.points.items() if b.value],
            "difficulty": self.difficulty.value,
            "objectives": objectives,
        }
        weights = {dp: {"weight": w.value} for dp, w in self.weights.items() if w.value}
        if weights:
            data["rubric"] = weights
        return data

    def form_to_yaml(self) -> None:
        """Replace the YAML text with the form's scenario."""
        self.yaml.value = self.desk.to_yaml(self.form_data())

    def check(self) -> list[Problem]:
        """Check the YAML text as ``trove check`` would; show each problem by line and beside its field."""
        _, problems = self.desk.check_scenario(self.yaml.value, f"{self.id.value or 'scenario'}.yaml")
        self.problems.value = _problems_html(problems, self.form)
        self.form.show(problems)
        return problems

    def show_preview(self) -> None:
        """Show the generated variants with their ground truth and the first one's referral graph (or the problems)."""
        from sim.ui.explorer import assessment_table, case_card

        variants, problems = self.desk.preview(self.yaml.value, self.lang)
        if problems:
            self.check()
            return
        items: list[widgets.Widget] = []
        for i, v in enumerate(variants, start=1):
            items.append(
                widgets.HTML(
                    f"<h4>{t('d_variant', self.lang, i=i, seed=v.seed)}</h4>{case_card(v.case, self.desk, self.lang)}"
                    f"<details><summary>{t('ground_truth', self.lang)}</summary>{assessment_table(v.truth, self.lang)}</details>"
                )
            )
            if i == 1:
                items.append(widgets.HTML(picture_html(v.graph_png, t("alt_case_graph", self.lang))))
        self.preview.children = items

    def save(self) -> Path | None:
        """Save the YAML text if it has no problem and return the file; otherwise show the problems, return None."""
        path, problems = self.desk.save_scenario(self.yaml.value)
        if problems:
            self.check()
            self.problems.value = (
                f"<p class='trove-error'>{t('d_not_saved', self.lang, n=len(problems))}</p>" + self.problems.value
            )
            return None
        self.problems.value = f"<p class='trove-ok'>{html.escape(t('d_saved', self.lang, path=path.name))}</p>"
        return path


class ExerciseBuilder:
    """The exercise form: a list of scenarios with their variant counts, time limit, pass mark and mode (practice or
    assessment); saved via the desk."""

    def __init__(self, desk: TrainerDesk, lang: str = "vi"):
        self.desk, self.lang = desk, lang
        L, wide = lang, {"description_width": "initial"}
        f = self.form = _Form(L)
        self.id = f.field(
            "id", widgets.Text(value="bai-tap-moi", description=t("b_id", L), style=wide, layout=field_layout())
        )
        self.title_vi = f.field(
            "title", widgets.Text(description=t("d_title_vi", L), style=wide, layout=widgets.Layout(width="90%"))
        )
        self.title_en = widgets.Text(description=t("d_title_en", L), style=wide, layout=widgets.Layout(width="90%"))
        f.rows.append(self.title_en)
        self.desc_vi = f.field(
            "description",
            widgets.Textarea(description=t("d_description_vi", L), style=wide, layout=widgets.Layout(width="90%")),
        )
        self.items = widgets.VBox()
        f.field("scenarios", self.items, t("b_scenarios", L))
        add = widgets.Button(description=t("b_add", L), layout=widgets.Layout(width="auto"))
        add.on_click(lambda _: self.add_row())
        f.rows.append(add)
        self.time = f.field(
            "time_limit_minutes",
            widgets.BoundedIntText(
                value=45, min=0, max=600, description=t("b_time", L), style=wide, layout=field_layout()
            ),
        )
        self.pass_mark = f.field(
            "pass_mark",
            widgets.BoundedFloatText(
                value=70, min=0, max=100, description=t("b_pass", L), style=wide, layout=field_layout()
            ),
        )
        self.mode = f.field(
            "mode",
            widgets.RadioButtons(
                options=[(t("b_mode_practice", L), "practice"), (t("b_mode_assessment", L), "assessment")],
                value="practice",
                layout=widgets.Layout(width="auto", max_width="100%"),
            ),
            t("b_mode", L),
        )
        self.in_workshop = widgets.Checkbox(value=True, description=t("b_add_to_workshop", L), indent=False)
        self.problems = widgets.HTML()
        save = widgets.Button(description=t("d_save", L), button_style="primary", layout=widgets.Layout(width="auto"))
        save.on_click(lambda _: self._guard(self.save))
        self.widget = widgets.VBox([*f.rows, self.in_workshop, save, self.problems])
        self.add_row()

    def _guard(self, action: Callable[[], Any]) -> None:
        guarded(action, self.problems, self.lang, "exercise builder")

    def _scenario_choices(self) -> list[tuple[str, str]]:
        """The scenarios that load now, by title (title, id); the form's problems name them by title too."""
        titles = self.desk.titles(self.lang)["scenarios"]
        self.form.names = dict(titles)
        return [(titles.get(s, s), s) for s in self.desk.scenario_options()]

    def add_row(self) -> None:
        """Add a scenario row (a scenario, its number of variants, a remove button)."""
        options = self._scenario_choices()
        scenario = widgets.Dropdown(
            options=options,
            description=t("b_scenario", self.lang),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(100%, 640px)"),
        )
        variants = widgets.BoundedIntText(
            value=1, min=1, max=20, description=t("b_variants", self.lang), style={"description_width": "initial"}
        )
        remove = widgets.Button(description=t("b_remove", self.lang), layout=widgets.Layout(width="auto"))
        row = widgets.HBox([scenario, variants, remove], layout=widgets.Layout(flex_flow="row wrap"))
        remove.on_click(
            lambda _: setattr(self.items, "children", tuple(c for c in self.items.children if c is not row))
        )
        self.items.children = (*self.items.children, row)

    def refresh_options(self) -> None:
        """Offer scenarios saved since the builder opened (keeping each row's choice)."""
        options = self._scenario_choices()
        for row in self.items.children:
            chosen = row.children[0].value
            row.children[0].options = options
            if chosen in {value for _, value in options}:
                row.children[0].value = chosen

    def data(self) -> dict[str, Any]:
        """The exercise the form describes, as the data of an exercise file (not yet checked)."""
        title_vi = self.title_vi.value.strip()
        data: dict[str, Any] = {
            "schema_version": 1,
            "id": self.id.value.strip(),
            "version": "1",
            "title": {"vi": title_vi, "en": self.title_en.value.strip() or title_vi},
            "description": {"vi": self.desc_vi.value.strip(), "en": self.desc_vi.value.strip()},
            "scenarios": [
                {"scenario": row.children[0].value, "variants": row.children[1].value} for row in self.items.children
            ],
            "pass_mark": self.pass_mark.value,
            "mode": self.mode.value,
        }
        if self.time.value:
            data["time_limit_minutes"] = self.time.value
        return data

    def save(self) -> Path | None:
        """Check and save the exercise (optionally adding it to the workshop); None and the problems shown if invalid."""
        data = self.data()
        text = self.desk.to_yaml(data)
        _, problems = self.desk.check_exercise(text, f"{data['id'] or 'exercise'}.yaml")
        self.form.show(problems)
        self.problems.value = _problems_html(problems, self.form)
        if problems:
            return None
        path, _ = self.desk.save_exercise(text, add_to_workshop=self.in_workshop.value)
        self.problems.value = f"<p class='trove-ok'>{html.escape(t('d_saved', self.lang, path=path.name))}</p>"
        return path


def show(desk: TrainerDesk | None = None) -> widgets.Widget:
    """The designer notebook's only code cell: a secret prompt, then the scenario designer and exercise builder."""
    from sim.ui.trainer import secret_gate

    desk = desk or TrainerDesk.from_environment()

    def open_designer() -> widgets.Widget:
        builder = ExerciseBuilder(desk)
        tabs = widgets.Tab(children=[ScenarioDesigner(desk).widget, builder.widget])
        tabs.set_title(0, t("tab_design"))
        tabs.set_title(1, t("tab_build"))
        tabs.observe(lambda change: builder.refresh_options() if change["new"] == 1 else None, names="selected_index")
        tabs.add_class("trove-trainer")  # the trainer pages' styles: buttons as wide as their label
        return tabs

    return secret_gate(desk, open_designer)
