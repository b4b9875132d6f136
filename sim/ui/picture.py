"""A PNG shown as an ``<img>`` with alternative text, inside ``widgets.HTML``.

ipywidgets' ``Image`` renders an ``<img>`` without ``alt`` (a screen reader announces nothing, axe-core reports
``image-alt``), so every picture of the trainee and trainer pages goes through here instead.
"""

from __future__ import annotations

import base64
import html
from typing import Any

import ipywidgets as widgets

from sim.ui.i18n import t

# A zoomable picture: fitted to the screen, or at its full size in a box that scrolls both ways (in the page's own
# <style>, so the pages look the same in JupyterLab)
ZOOM_RULES = """
.trove-zoom{max-width:100%;border:1px solid var(--trove-line,#d0d5da);border-radius:6px}
.trove-zoom .trove-picture-box{width:100%}.trove-zoom .trove-scroll{overflow:auto;max-width:100%}
.trove-zoom img{max-width:100%;height:auto}
.trove-zoom.trove-zoomed img{max-width:none;width:auto}
"""


def picture_html(png: bytes, alt: str, css_class: str = "trove-picture") -> str:
    """The ``<img>`` element showing ``png`` with ``alt`` as its text.

    >>> picture_html(b"\\x89PNG", 'Sơ đồ "A"')
    '<img class="trove-picture" alt="Sơ đồ &quot;A&quot;" src="data:image/png;base64,iVBORw==">'
    """
    data = base64.b64encode(png).decode("ascii")
    return f'<img class="{css_class}" alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


class Picture(widgets.HTML):
    """A widget showing one PNG at a time (empty until ``show``), always with its alternative text.

    ``scrolls``: the picture sits in a region that scrolls both ways when it is larger than the screen (a zoomed
    graph), reachable with the keyboard (``tabindex``) and named by the same text.
    """

    def __init__(self, alt: str, scrolls: bool = False, **kwargs: object):
        super().__init__(**kwargs)
        self.alt, self.scrolls = alt, scrolls
        self.add_class("trove-picture-box")

    def show(self, png: bytes) -> None:
        """Show ``png`` (replacing what was shown)."""
        image = picture_html(png, self.alt)
        if self.scrolls:
            image = f'<div class="trove-scroll" tabindex="0" role="region" aria-label="{html.escape(self.alt)}">{image}</div>'
        self.value = image


def zoomable(picture: Picture, lang: str, what: str = "") -> tuple[widgets.Box, widgets.ToggleButton]:
    """``picture`` (made with ``scrolls=True``) in a box that fits it to the screen, and the button that shows it at
    full size instead, in a region that scrolls both ways: a phone can then read a chart's or a graph's labels.
    ``what``: the button's words are ``zoom_in`` / ``zoom_out`` (a graph), or those with ``_chart`` (a chart).

    >>> box, zoom = zoomable(Picture("Biểu đồ", scrolls=True), "vi")
    >>> zoom.value = True
    >>> "trove-zoomed" in box._dom_classes, zoom.description == t("zoom_out", "vi")
    (True, True)
    """
    box = widgets.Box([picture], layout=widgets.Layout(width="100%"))
    box.add_class("trove-zoom")
    zoom = widgets.ToggleButton(
        value=False, description=t("zoom_in" + what, lang), icon="search-plus", layout=widgets.Layout(width="auto")
    )

    def flip(change: dict[str, Any]) -> None:
        if change["new"]:
            box.add_class("trove-zoomed")
        else:
            box.remove_class("trove-zoomed")
        zoom.description = t(("zoom_out" if change["new"] else "zoom_in") + what, lang)
        zoom.icon = "search-minus" if change["new"] else "search-plus"

    zoom.observe(flip, names="value")
    return box, zoom
