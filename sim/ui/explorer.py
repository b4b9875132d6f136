"""A trainer's explorer: pick a scenario and a seed, see the generated case, the rule engine's ground
truth with citations, and the referral graph. Runs in JupyterLab (``notebooks/explore-cases.ipynb``)."""
from __future__ import annotations

import html
import io
import logging
from typing import Any

import ipywidgets as widgets

from sim.case import Case
from sim.engine import Assessment, assess
from sim.generator import generate_case
from sim.rulebook import Rulebook, load_rulebook
from sim.scenario import load_scenarios
from sim.ui.i18n import t

log = logging.getLogger(__name__)


def case_card(case: Case, book: Rulebook, lang: str) -> str:
    """HTML of what the officer sees: the person, their first words, their papers."""
    p = case.primary
    docs = ", ".join(book.vocabulary.label("documents", d, lang) for d in case.document_kinds) or t("no_documents", lang)
    return (f"<div class='trove-card'><p class='trove-fictional'>⚠ {t('fictional_banner', lang)}</p>"
            f"<h3>{html.escape(p.full_name)} — {t('age_years', lang, age=p.age)}</h3>"
            f"<p><b>{t('first_statement', lang)}:</b> “{html.escape(case.observable.first_statement.get(lang))}”</p>"
            f"<p><b>{t('appearance', lang)}:</b> {html.escape(case.observable.appearance.get(lang))}</p>"
            f"<p><b>{t('documents', lang)}:</b> {html.escape(docs)}</p></div>")


def assessment_table(assessment: Assessment, book: Rulebook, lang: str) -> str:
    """HTML table: decision point, determination, value, cited rules with their status."""
    rows = []
    for d in assessment.determinations.values():
        cites = "<br>".join(f"{html.escape(c.render(book.texts, lang))} <i>({t('rule_status_' + r.status, lang)})</i>"
                            for r in d.rules for c in r.basis)
        rows.append(f"<tr><td>{d.decision_point}</td><td>{d.id}</td><td><code>{html.escape(_short(d.value))}</code></td><td>{cites}</td></tr>")
    return f"<h3>{t('ground_truth', lang)} — {t('regime', lang)} {assessment.regime}</h3><table class='trove-table'>{''.join(rows)}</table>"


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) < 400 else text[:400] + "…"


def graph_png(assessment: Assessment, lang: str) -> bytes:
    from sim.drawing import draw_referral_graph
    from sim.referral import referral_graph

    import matplotlib.pyplot as plt

    paths = [p for p in assessment.value("referral")["paths"].values() if p]
    ax = draw_referral_graph(referral_graph(assessment.regime), lang=lang, correct=paths)
    buffer = io.BytesIO()
    ax.figure.tight_layout()
    ax.figure.savefig(buffer, format="png", dpi=90)
    plt.close(ax.figure)
    return buffer.getvalue()


def show() -> widgets.Widget:
    """The explorer shows what really happened in a case, so it opens only with the trainer secret."""
    import os

    from sim.session import DEFAULT_WORKSHOP_ID
    from sim.store import Store
    from sim.ui.trainer import secret_gate

    store = Store()
    return secret_gate(store, os.environ.get("TROVE_WORKSHOP_ID", DEFAULT_WORKSHOP_ID), explorer)


def explorer() -> widgets.Widget:
    """Build the explorer (after the secret gate)."""
    book = load_rulebook()
    scenarios = load_scenarios()
    lang = widgets.ToggleButtons(options=[("Tiếng Việt", "vi"), ("English", "en")], value="vi")
    wide = {"description_width": "initial"}
    scenario = widgets.Dropdown(options=[(s.title.vi, sid) for sid, s in scenarios.items()], style=wide)
    seed = widgets.BoundedIntText(value=1, min=0, max=10**9, style=wide, layout=widgets.Layout(width="220px"))
    button = widgets.Button(button_style="primary")
    out = widgets.HTML()
    picture = widgets.Image(format="png")

    def relabel(_: Any = None) -> None:
        button.description = t("generate", lang.value)
        scenario.description, seed.description = t("scenario", lang.value), t("seed", lang.value)
        scenario.options = [(s.title.get(lang.value), sid) for sid, s in scenarios.items()]

    def render(_: Any = None) -> None:
        try:
            if scenario.value not in scenarios or not 0 <= int(seed.value) <= 10**9:
                return
            case = generate_case(scenarios[scenario.value], seed=int(seed.value))
            assessment = assess(case, book)
            truth = html.escape(case.truth.story.get(lang.value))
            out.value = (case_card(case, book, lang.value) + f"<h3>{t('truth', lang.value)}</h3><p>{truth}</p>"
                         + assessment_table(assessment, book, lang.value) + f"<h3>{t('graph', lang.value)}</h3>")
            picture.value = graph_png(assessment, lang.value)
        except Exception:  # the UI's one broad except: show a friendly panel, log the details
            log.exception("explorer failed")
            out.value = f"<div class='trove-error'><b>{t('error_title', lang.value)}</b><p>{t('error_hint', lang.value)}</p></div>"

    lang.observe(lambda _: (relabel(), render()), names="value")
    button.on_click(render)
    relabel()
    style = widgets.HTML("<style>.trove-fictional{color:#b03a2e;font-weight:bold}.trove-table td{vertical-align:top;padding:4px;"
                         "border-bottom:1px solid #ddd}.trove-card{border:1px solid #aaa;padding:8px;border-radius:6px}</style>")
    return widgets.VBox([style, widgets.HTML(f"<h2>{t('app_title')}</h2>"), lang, widgets.HBox([scenario, seed, button]), out, picture])
