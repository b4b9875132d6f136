"""Widgets for the answers at D1–D10, built from a field spec per decision point.

A form only renders and forwards: every change calls ``on_change(decision_point, values)``, which the
app passes to ``CaseSession.answer`` (autosave). No form knows the correct answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Literal

import ipywidgets as widgets

from sim.answers import ANSWER_MODELS
from sim.engine import load_needs
from sim.law import Bilingual
from sim.referral import label_of, referral_graph
from sim.rulebook import load_rulebook
from sim.ui.i18n import t

NOTIFY_CANDIDATES = ("commune_police", "district_labour_office", "district_police", "provincial_labour_dept", "provincial_health_dept",
                     "provincial_police", "commune_womens_union", "border_guard_post")
VERIFIERS = ("commune_police", "district_police", "provincial_police")


@dataclass(frozen=True)
class Field:
    name: str
    kind: Literal["radio", "checks", "check", "dropdown"]
    options: tuple[tuple[str, Bilingual], ...] = ()


def _enum(dp: str, name: str) -> tuple[tuple[str, Bilingual], ...]:
    """Options of a Literal answer field, labelled from the catalog (``opt_<field>_<value>``)."""
    from sim.ui.i18n import catalog

    values = ANSWER_MODELS[dp].model_fields[name].annotation.__args__
    return tuple((v, catalog()[f"opt_{name}_{v}"]) for v in values)


def _vocab(kind: str, ids: list[str] | None = None) -> tuple[tuple[str, Bilingual], ...]:
    table = getattr(load_rulebook().vocabulary, kind)
    return tuple((k, table[k]) for k in (ids or table))


def _agencies(ids: list[str] | tuple[str, ...]) -> tuple[tuple[str, Bilingual], ...]:
    return tuple((a, label_of(a)) for a in ids)


def fields_for(dp: str, regime: str) -> list[Field]:
    """The fields of one decision point's form."""
    needs = load_needs()
    immediate = tuple((k, Bilingual(vi=n.vi, en=n.en)) for k, n in needs.items() if n.immediate)
    plan = sorted(n for n in referral_graph(regime).nodes if n != "commune_pc")
    spec: dict[str, list[Field]] = {
        "D1": [Field("receive", "radio", _enum("D1", "receive"))],
        "D2": [Field("form", "dropdown", _vocab("intake_forms", ["domestic_declaration", "abroad_declaration"])), Field("record", "check"),
               Field("statement", "radio", _enum("D2", "statement"))],
        "D3": [Field("provide", "checks", immediate), Field("message", "radio", _enum("D3", "message")), Field("fee", "check")],
        "D4": [Field("agencies", "checks", _agencies(NOTIFY_CANDIDATES)), Field("timing", "radio", _enum("D4", "timing"))],
        "D5": [Field("acts", "checks", _vocab("acts")), Field("means", "checks", _vocab("means")), Field("purposes", "checks", _vocab("purposes")),
               Field("conclusion", "radio", _enum("D5", "conclusion"))],
        "D6": [Field("lawful_documents", "checks", _vocab("documents")), Field("verification", "radio", _enum("D6", "verification")),
               Field("verifier", "dropdown", _agencies(VERIFIERS)), Field("commune_certificate", "check")],
        "D7": [Field("measures", "checks", _vocab("protection_measures")), Field("consent", "radio", _enum("D7", "consent")),
               Field("if_refused", "radio", _enum("D7", "if_refused"))],
        "D8": [Field("share", "radio", _enum("D8", "share")), Field("contact_suspect", "check")],
        "D9": [Field("duties", "checks", _vocab("child_duties", ["officer_writes_statement", "guardian_present", "child_friendly_information",
                                                                  "escort_to_relatives", "hotline_111"])),
               Field("return_home", "radio", _enum("D9", "return_home")), Field("emergency", "check")],
        "D10": [Field("agencies", "checks", _agencies(plan))],
    }
    return spec[dp]


def field_label(dp: str, name: str, lang: str) -> str:
    key = {"agencies": "f_agencies_plan" if dp == "D10" else "f_agencies_notify"}.get(name, f"f_{name}")
    return t(key, lang)


class AnswerForm:
    """One decision point's widgets. ``values()`` reads them; ``load(values)`` restores saved answers."""

    def __init__(self, dp: str, regime: str, lang: str, on_change: Callable[[str, dict[str, Any]], None]):
        self.dp, self.lang, self.on_change = dp, lang, on_change
        self.fields = fields_for(dp, regime)
        self.inputs: dict[str, Any] = {}
        self._loading = False
        rows: list[widgets.Widget] = []
        for f in self.fields:
            label = field_label(dp, f.name, lang)
            if f.kind == "radio":
                w = widgets.RadioButtons(options=[(o.get(lang), k) for k, o in f.options], value=None, layout=widgets.Layout(width="auto"))
                rows += [widgets.HTML(f"<b>{label}</b>"), w]
            elif f.kind == "dropdown":
                w = widgets.Dropdown(options=[("—", None)] + [(o.get(lang), k) for k, o in f.options], value=None)
                rows += [widgets.HTML(f"<b>{label}</b>"), w]
            elif f.kind == "check":
                w = widgets.Checkbox(value=False, description=label, indent=False, layout=widgets.Layout(width="auto"))
                rows.append(w)
            else:
                boxes = {k: widgets.Checkbox(value=False, description=o.get(lang), indent=False, layout=widgets.Layout(width="auto"))
                         for k, o in f.options}
                for box in boxes.values():
                    box.observe(self._changed, names="value")
                w = boxes
                rows += [widgets.HTML(f"<b>{label}</b>"), widgets.VBox(list(boxes.values()))]
            if f.kind != "checks":
                w.observe(self._changed, names="value")
            self.inputs[f.name] = w
        self.widget = widgets.VBox(rows, layout=widgets.Layout(padding="4px"))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            w = self.inputs[f.name]
            if f.kind == "checks":
                out[f.name] = [k for k, box in w.items() if box.value]
            elif w.value is not None:
                out[f.name] = w.value
        return out

    def load(self, values: dict[str, Any]) -> None:
        self._loading = True
        try:
            for f in self.fields:
                if f.name not in values:
                    continue
                w = self.inputs[f.name]
                if f.kind == "checks":
                    for k, box in w.items():
                        box.value = k in values[f.name]
                else:
                    w.value = values[f.name]
        finally:
            self._loading = False

    def complete(self) -> bool:
        """Radio fields must be chosen before an answer is saved (the rest have safe defaults)."""
        return all(self.inputs[f.name].value is not None for f in self.fields if f.kind == "radio")

    def _changed(self, _: Any) -> None:
        if not self._loading and self.complete():
            self.on_change(self.dp, self.values())
