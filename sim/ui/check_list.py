"""Several choices as a column of tick boxes, each label wrapping in its own row.

A ``<select multiple>`` cannot wrap an option: a long one ("giấy tờ của cơ quan nước ngoài đã hợp pháp hóa lãnh
sự") was cut at 1366 px and more at 390 px, and picking several needs Ctrl on a computer and is clumsy on a
phone. ``CheckList`` has the part of ``SelectMultiple``'s interface the pages use: ``options`` as
``(label, value)`` pairs, ``value`` as a tuple of the ticked values, ``description``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import traitlets


class CheckList(widgets.VBox):
    """Tick boxes for ``options`` under the heading ``description``; ``value`` is the tuple of ticked values.

    >>> box = CheckList([("Hộ chiếu", "passport"), ("Căn cước", "id_card")], description="Giấy tờ")
    >>> box.boxes[1].value = True
    >>> box.value
    ('id_card',)
    >>> box.value = ("passport",)
    >>> [b.value for b in box.boxes]
    [True, False]
    """

    value = traitlets.Tuple()

    def __init__(self, options: Sequence[tuple[str, Any]], description: str = "", **kwargs: Any):
        self.description, self._syncing = description, False
        self.options = list(options)
        self.boxes = [
            widgets.Checkbox(value=False, description=label, indent=False, layout=widgets.Layout(width="auto"))
            for label, _ in self.options
        ]
        heading = widgets.HTML(f"<span class='trove-check-list-label'>{html.escape(description)}</span>")
        super().__init__([heading, *self.boxes], **kwargs)
        self.add_class("trove-check-list")
        for box in self.boxes:
            box.observe(self._from_boxes, names="value")

    def _from_boxes(self, _: Any = None) -> None:
        if self._syncing:
            return
        self.value = tuple(v for (_, v), box in zip(self.options, self.boxes, strict=True) if box.value)

    @traitlets.observe("value")
    def _to_boxes(self, change: dict[str, Any]) -> None:
        self._syncing = True  # the boxes follow the new value without writing a partial one back
        try:
            for (_, v), box in zip(self.options, self.boxes, strict=True):
                box.value = v in change["new"]
        finally:
            self._syncing = False
