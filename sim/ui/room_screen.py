"""The room screen (issue 10 item 6): a trainer tab to project on the wall while the room joins.

A big QR code of the trainee URL, the URL itself, the workshop code, and a live count of who has joined
(refreshed every few seconds). The data comes from the trainer desk (``TrainerDesk.room``); nothing here computes.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from sim.app.trainer import TrainerDesk
from sim.ui.guard import guarded
from sim.ui.i18n import t
from sim.ui.picture import Picture

REFRESH_SECONDS = 5

CSS = """<style>
.trove-room{text-align:center;align-items:center}
.trove-room-url{font-size:clamp(18px,2.6vw,34px);word-break:break-all;margin:4px 0}
.trove-room-code{font-size:clamp(36px,7vw,96px);font-weight:bold;letter-spacing:.12em;margin:0}
.trove-room-count{font-size:clamp(24px,4vw,56px);font-weight:bold;color:#1e8449;margin:0}
.trove-room-note{font-size:clamp(14px,1.6vw,22px);color:#444}
.trove-room img.trove-picture{width:100%;image-rendering:pixelated}
</style>"""


class RoomScreen:
    """The widget of the room screen over an unlocked desk; ``refresh`` redraws the count (and the code)."""

    def __init__(self, desk: TrainerDesk, lang: str = "vi", environ: dict[str, str] | None = None):
        self.desk, self.lang, self.environ = desk, lang, environ
        self.message = widgets.HTML()
        self.qr = Picture(t("alt_qr", lang), layout=widgets.Layout(width="min(52vh, 100%)"))
        self.qr_png = b""
        self.address = widgets.HTML()
        self.count = widgets.HTML()
        ticker = widgets.Play(
            interval=REFRESH_SECONDS * 1000, max=10**9, show_repeat=False, layout=widgets.Layout(display="none")
        )
        ticker.observe(lambda _: guarded(self.refresh, self.message, lang, "room screen"), names="value")
        ticker.playing = True
        self.widget = widgets.VBox(
            [
                widgets.HTML(CSS),
                self.message,
                widgets.HTML(f"<p class='trove-room-note'>{html.escape(t('room_scan', lang))}</p>"),
                # QR code and words side by side on a projector (all in one 768 px screen), one above the other on a phone
                widgets.Box(
                    [self.qr, widgets.VBox([self.address, self.count], layout=widgets.Layout(max_width="640px"))],
                    layout=widgets.Layout(
                        flex_flow="row wrap", justify_content="center", align_items="center", grid_gap="24px"
                    ),
                ),
                ticker,
                widgets.HTML(
                    f"<p class='trove-room-note'><small>{html.escape(t('room_fullscreen', lang))}</small></p>"
                ),
            ]
        )
        self.widget.add_class("trove-room")
        guarded(self.refresh, self.message, lang, "room screen")

    def refresh(self, _: Any = None) -> None:
        """Show the URL, its QR code, the code and the count as the desk has them now."""
        L = self.lang
        url, code, png, count = self.desk.room(self.environ)
        if png and self.qr_png != png:
            self.qr_png = png
            self.qr.show(png)
        self.qr.layout.display = None if png else "none"
        where = (
            f"<p class='trove-room-note'>{html.escape(t('room_or_type', L))}</p>"
            f"<p class='trove-room-url'><b>{html.escape(url)}</b></p>"
            if url
            else f"<p class='trove-room-note'>{html.escape(t('room_no_url', L))}</p>"
        )
        code_line = t("room_code", L, code=code) if code else t("room_no_code", L)
        self.address.value = where + f"<p class='trove-room-code'>{html.escape(code_line)}</p>"
        self.count.value = (
            f"<p class='trove-room-count'>{html.escape(t('room_joined', L, n=count.joined))}</p>"
            f"<p class='trove-room-note'>{html.escape(t('room_working', L, open=count.working, done=count.submitted))}</p>"
        )
