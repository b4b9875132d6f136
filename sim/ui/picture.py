"""A PNG shown as an ``<img>`` with alternative text, inside ``widgets.HTML``.

ipywidgets' ``Image`` renders an ``<img>`` without ``alt`` (a screen reader announces nothing, axe-core reports
``image-alt``), so every picture of the trainee and trainer pages goes through here instead.
"""

from __future__ import annotations

import base64
import html

import ipywidgets as widgets


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
