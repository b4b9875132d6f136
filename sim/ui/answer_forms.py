"""Widgets for the answers at D1–D10, built from the fields the session façade describes.

A form only renders and forwards: every change calls ``on_change(decision_point, values)``, which the
app passes to ``CaseSession.answer`` (autosave). No form knows the correct answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from sim.ui.i18n import t

if TYPE_CHECKING:
    from sim.training.forms import FormField


SELECT_FITS_CHARS = 36  # the longest option a <select> shows whole on a 360 px phone


def shown_as_list(field: FormField, lang: str) -> bool:
    """Whether a drop-down field is shown as a list of options instead (a <select> cannot wrap its chosen
    option: a long one would be cut off on a phone). It stays optional, like the drop-down."""
    return field.kind == "dropdown" and any(len(o.get(lang)) > SELECT_FITS_CHARS for _, o in field.options)


class AnswerForm:
    """One decision point's widgets. ``values()`` reads them; ``load(values)`` restores saved answers."""

    def __init__(self, dp: str, fields: list[FormField], lang: str, on_change: Callable[[str, dict[str, Any]], None]):
        self.dp, self.lang, self.on_change = dp, lang, on_change
        self.fields = fields
        self.inputs: dict[str, Any] = {}
        self._loading = False
        rows: list[widgets.Widget] = []
        for f in self.fields:
            label = t(f.label_key, lang)
            if f.kind == "radio" or shown_as_list(f, lang):
                w = widgets.RadioButtons(
                    options=[(o.get(lang), k) for k, o in f.options], value=None, layout=widgets.Layout(width="100%")
                )
                rows += [widgets.HTML(f"<b>{label}</b>"), w]
            elif f.kind == "dropdown":
                w = widgets.Dropdown(  # its label is its description: the <select>'s accessible name
                    options=[(t("choose_one", lang), None)] + [(o.get(lang), k) for k, o in f.options],
                    value=None,
                    description=label,
                    style={"description_width": "initial"},
                    layout=widgets.Layout(width="100%", max_width="40em", flex_flow="row wrap"),
                )
                w.add_class("trove-labelled-select")
                rows.append(w)
            elif f.kind == "check":
                w = widgets.Checkbox(value=False, description=label, indent=False, layout=widgets.Layout(width="100%"))
                rows.append(w)
            else:
                boxes = {
                    k: widgets.Checkbox(
                        value=False, description=o.get(lang), indent=False, layout=widgets.Layout(width="100%")
                    )
                    for k, o in f.options
                }
                for box in boxes.values():
                    box.observe(self._changed, names="value")
                w = boxes
                rows += [widgets.HTML(f"<b>{label}</b>"), widgets.VBox(list(boxes.values()))]
            if f.kind != "checks":
                w.observe(self._changed, names="value")
            self.inputs[f.name] = w
        self.status = widgets.HTML()  # what still keeps the answer from being saved
        self.widget = widgets.VBox([*rows, self.status], layout=widgets.Layout(padding="4px"))

    def values(self) -> dict[str, Any]:
        """The answers as the widgets hold them: field name → chosen value (a list for check groups; unchosen
        radio and dropdown fields left out)."""
        out: dict[str, Any] = {}
        for f in self.fields:
            w = self.inputs[f.name]
            if f.kind == "checks":
                out[f.name] = [k for k, box in w.items() if box.value]
            elif w.value is not None:
                out[f.name] = w.value
        return out

    def load(self, values: dict[str, Any]) -> None:
        """Set the widgets to saved answers without calling ``on_change`` (fields not in ``values`` are kept)."""
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

    def missing(self) -> list[str]:
        """The labels of the radio fields still to choose: each must be chosen before an answer is saved (the other
        fields have safe defaults)."""
        return [
            t(f.label_key, self.lang) for f in self.fields if f.kind == "radio" and self.inputs[f.name].value is None
        ]

    def _changed(self, _: Any) -> None:
        if self._loading:
            return
        missing = self.missing()
        # a half-given answer is not saved: say so, or a reload would drop the ticks without a word
        self.status.value = (
            f"<p class='trove-unsaved' role='status'>{t('answer_not_saved', self.lang, fields='; '.join(missing))}</p>"
            if missing
            else ""
        )
        if not missing:
            self.on_change(self.dp, self.values())
