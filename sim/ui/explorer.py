"""A trainer's explorer: pick a scenario and a seed, see the generated case, the rule engine's ground
truth with citations, and the referral graph. Runs in JupyterLab (``notebooks/explore-cases.ipynb``)
and, behind the trainer secret, under Voilà."""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from sim.app.trainer import TrainerDesk
from sim.ui.i18n import regime_name, t
from sim.ui.picture import Picture

if TYPE_CHECKING:
    from sim.cases.case import Case

log = logging.getLogger(__name__)


def case_card(case: Case, desk: TrainerDesk, lang: str) -> str:
    """HTML of what the officer sees: the person, their first words, their papers."""
    p = case.primary
    docs = ", ".join(desk.label("documents", d, lang) for d in case.document_kinds) or t("no_documents", lang)
    return (
        f"<div class='trove-card'><p class='trove-fictional'>⚠ {t('fictional_banner', lang)}</p>"
        f"<h3>{html.escape(p.full_name)} — {t('age_years', lang, age=p.age)}</h3>"
        f"<p><b>{t('first_statement', lang)}:</b> “{html.escape(case.observable.first_statement.get(lang))}”</p>"
        f"<p><b>{t('appearance', lang)}:</b> {html.escape(case.observable.appearance.get(lang))}</p>"
        f"<p><b>{t('documents', lang)}:</b> {html.escape(docs)}</p></div>"
    )


def assessment_table(truth: dict[str, Any], lang: str) -> str:
    """HTML table of the ground truth (``assessment_report`` data): decision point, determination, value, cited rules."""
    rows = []
    for key, d in truth["determinations"].items():
        cites = "<br>".join(  # the trainer's explorer shows the reference's source tags; trainee views never do
            f"{html.escape(c[lang])} <small>{html.escape(''.join(f'[{s}]' for s in c['sources']))}</small>"
            f" <i>({t('rule_status_' + r['status'], lang)})</i>"
            for r in d["rules"]
            for c in r["basis"]
        )
        rows.append(
            f"<tr><td>{d['decision_point']}</td><td>{key}</td><td><code>{html.escape(_short(d['value']))}</code></td><td>{cites}</td></tr>"
        )
    law = regime_name(truth["regime"], lang)
    return f"<h3>{t('ground_truth', lang)} — {t('regime', lang)}: {law}</h3><table class='trove-table'>{''.join(rows)}</table>"


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) < 400 else text[:400] + "…"


def show(desk: TrainerDesk | None = None) -> widgets.Widget:
    """The explorer shows what really happened in a case, so it opens only with the trainer secret."""
    from sim.ui.trainer import secret_gate

    desk = desk or TrainerDesk.from_environment()
    return secret_gate(desk, lambda: explorer(desk))


def explorer(desk: TrainerDesk) -> widgets.Widget:
    """Build the explorer (after the secret gate)."""
    scenarios = desk.scenarios()
    lang = widgets.ToggleButtons(options=[("Tiếng Việt", "vi"), ("English", "en")], value="vi")
    wide = {"description_width": "initial"}
    scenario = widgets.Dropdown(options=[(s.title.vi, sid) for sid, s in scenarios.items()], style=wide)
    seed = widgets.BoundedIntText(value=1, min=0, max=10**9, style=wide, layout=widgets.Layout(width="220px"))
    button = widgets.Button(button_style="primary")
    out = widgets.HTML()
    picture = Picture(t("alt_case_graph", "vi"))

    def relabel(_: Any = None) -> None:
        button.description = t("generate", lang.value)
        scenario.description, seed.description = t("scenario", lang.value), t("seed", lang.value)
        scenario.options = [(s.title.get(lang.value), sid) for sid, s in scenarios.items()]

    def render(_: Any = None) -> None:
        try:
            if scenario.value not in scenarios or not 0 <= int(seed.value) <= 10**9:
                return
            variant = desk.explore(scenario.value, int(seed.value), lang.value)
            story = html.escape(variant.case.truth.story.get(lang.value))
            out.value = (
                case_card(variant.case, desk, lang.value)
                + f"<h3>{t('truth', lang.value)}</h3><p>{story}</p>"
                + assessment_table(variant.truth, lang.value)
                + f"<h3>{t('graph', lang.value)}</h3>"
            )
            picture.alt = t("alt_case_graph", lang.value)
            picture.show(variant.graph_png)
        except Exception:  # the UI's one broad except: show a friendly panel, log the details
            log.exception("explorer failed")
            out.value = f"<div class='trove-error'><b>{t('error_title', lang.value)}</b><p>{t('error_hint', lang.value)}</p></div>"

    lang.observe(lambda _: (relabel(), render()), names="value")
    button.on_click(render)
    relabel()
    style = widgets.HTML(
        "<style>.trove-fictional{color:#b03a2e;font-weight:bold}.trove-table td{vertical-align:top;padding:4px;"
        "border-bottom:1px solid #ddd}.trove-card{border:1px solid #aaa;padding:8px;border-radius:6px}</style>"
    )
    return widgets.VBox(
        [style, widgets.HTML(f"<h2>{t('app_title')}</h2>"), lang, widgets.HBox([scenario, seed, button]), out, picture]
    )
