"""The trainer pages' one broad ``except``: run a widget action, and on failure show a friendly panel and log
the details (Voilà hides tracebacks, so an uncaught error would be a blank cell). A results-store failure
(a read-only or full disk, a damaged file) shows the trainer its real cause and what to do; trainees see a
plain message without the file path (``sim.ui.trainee``)."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from sim.app.trainee import StoreError
from sim.ui.i18n import t

log = logging.getLogger("sim.ui")


def guarded(action: Callable[[], Any], panel: widgets.HTML, lang: str, what: str) -> Any:
    """Run ``action`` and return its result; on any exception log it (``what`` failed), show the friendly error
    panel in ``lang`` (with the cause for a store failure) and return None."""
    try:
        return action()
    except StoreError as exc:
        log.exception("%s failed", what)
        panel.value = f"<div class='trove-error'><b>{t('error_title', lang)}</b> {html.escape(str(exc))}</div>"
        return None
    except Exception:
        log.exception("%s failed", what)
        panel.value = f"<div class='trove-error'>{t('error_title', lang)}</div>"
        return None
