"""The UI's one broad ``except``: run a widget action, and on failure show a friendly panel and log the
details (Voilà hides tracebacks, so an uncaught error would be a blank cell)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from sim.ui.i18n import t

log = logging.getLogger("sim.ui")


def guarded(action: Callable[[], Any], panel: widgets.HTML, lang: str, what: str) -> Any:
    """Run ``action`` and return its result; on any exception log it (``what`` failed), show the friendly error
    panel in ``lang`` and return None."""
    try:
        return action()
    except Exception:
        log.exception("%s failed", what)
        panel.value = f"<div class='trove-error'>{t('error_title', lang)}</div>"
        return None
