"""The room screen (issue 10 item 6): a trainer tab to project on the wall while the room joins.

A big QR code of the trainee URL, the URL itself, the workshop code, and a live count of who has joined
(refreshed every few seconds). The data comes from the trainer desk (``TrainerDesk.room``); nothing here computes.
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as widgets

from sim.app.trainer import TrainerDesk
from sim.ui.guard import guarded
from sim.ui.i18n import t
from sim.ui.picture import Picture

REFRESH_SECONDS = 5

CSS = """<style>
.trove-room{text-align:center;align-items:center}
.trove-room-main{width:100%}
.trove-room-words{flex:1 1 360px;min-width:0}
.trove-room-url{font-size:clamp(18px,2.2vw,30px);word-break:normal;overflow-wrap:break-word;margin:4px 0 8px}
.trove-room-code{font-size:clamp(22px,2.6vw,36px);font-weight:bold;margin:0;line-height:1.2}
.trove-room-code-value{display:block;font-size:clamp(44px,7vw,104px);letter-spacing:.12em;line-height:1.25;
  font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace}
.trove-room-count{font-size:clamp(24px,3.4vw,48px);font-weight:bold;color:#1d6b34;margin:8px 0 0}
.trove-room-note{font-size:clamp(14px,1.5vw,21px);color:#4a4a4a;margin:0 0 4px}
.trove-room img.trove-picture{width:100%;image-rendering:pixelated}
</style>"""


def url_html(url: str) -> str:
    """``url`` escaped, with a line-break opportunity (``<wbr>``) after each "/", "?" and "&" only, so a long
    address wraps between its parts and never inside a word.

    >>> url_html("http://a.vn/voila/render/trainee.ipynb?code=AB&x=1")
    'http:/<wbr>/<wbr>a.vn/<wbr>voila/<wbr>render/<wbr>trainee.ipynb?<wbr>code=AB&amp;<wbr>x=1'
    """
    return re.sub(r"(/|\?|&amp;)", r"\1<wbr>", html.escape(url))


class RoomScreen:
    """The widget of the room screen over an unlocked desk; ``refresh`` redraws the count (and the code)."""

    def __init__(self, desk: TrainerDesk, lang: str = "vi", environ: dict[str, str] | None = None):
        self.desk, self.lang, self.environ = desk, lang, environ
        self.message = widgets.HTML()
        # as tall as half the screen: with the title, the tabs and the words it all fits one 1366×768 screen
        self.qr = Picture(t("alt_qr", lang), layout=widgets.Layout(width="min(50vh, 100%)", flex="0 0 auto"))
        self.qr_png = b""
        self.address = widgets.HTML()
        self.count = widgets.HTML()
        ticker = widgets.Play(
            interval=REFRESH_SECONDS * 1000, max=10**9, show_repeat=False, layout=widgets.Layout(display="none")
        )
        ticker.observe(lambda _: guarded(self.refresh, self.message, lang, "room screen"), names="value")
        ticker.playing = True
        words = widgets.VBox([self.address, self.count], layout=widgets.Layout(max_width="720px"))
        words.add_class("trove-room-words")
        main = widgets.Box(
            [self.qr, words],
            layout=widgets.Layout(
                flex_flow="row wrap", justify_content="center", align_items="center", grid_gap="8px 32px"
            ),
        )
        main.add_class("trove-room-main")
        self.widget = widgets.VBox(
            [
                widgets.HTML(CSS),
                self.message,
                widgets.HTML(f"<p class='trove-room-note'>{html.escape(t('room_scan', lang))}</p>"),
                # QR code and words side by side on a projector (all in one 768 px screen), one above the other on a
                # phone; the row is as wide as the tab (shrunk to its content, it wrapped before the QR code grew)
                main,
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
            f"<p class='trove-room-url'><b>{url_html(url)}</b></p>"
            if url
            else f"<p class='trove-room-note'>{html.escape(t('room_no_url', L))}</p>"
        )
        if code:  # the code itself on a line of its own, large enough to read from the back of the room
            before, _, after = t("room_code", L, code="\0").partition("\0")
            code_line = f"{html.escape(before)}<span class='trove-room-code-value'>{html.escape(code)}</span>{html.escape(after)}"
        else:
            code_line = html.escape(t("room_no_code", L))
        self.address.value = where + f"<p class='trove-room-code'>{code_line}</p>"
        self.count.value = (
            f"<p class='trove-room-count'>{html.escape(t('room_joined', L, n=count.joined))}</p>"
            f"<p class='trove-room-note'>{html.escape(t('room_working', L, open=count.working, done=count.submitted))}</p>"
        )
