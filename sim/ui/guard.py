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

from sim.app.trainee import InputError, StoreError
from sim.ui.i18n import t

log = logging.getLogger("sim.ui")


def failure_message(exc: Exception, lang: str, *, show_cause: bool) -> str:
    """The friendly text for a failed action: a refused input's own message, a store failure's (with its cause,
    labelled technical, for a trainer: ``show_cause``), or the generic one."""
    if isinstance(exc, InputError):
        return t(f"err_{exc.key}", lang, detail=html.escape(exc.detail))
    if isinstance(exc, StoreError):
        cause = f"<br><small>{t('technical_detail', lang)}: {html.escape(str(exc))}</small>" if show_cause else ""
        return t("err_store", lang) + cause
    return f"<b>{t('error_title', lang)}</b>"


def guarded(action: Callable[[], Any], panel: widgets.HTML, lang: str, what: str) -> Any:
    """Run ``action`` and return its result; on any exception log it (``what`` failed), show the friendly error
    panel in ``lang`` (with the cause for a store failure: trainers run the machine) and return None."""
    try:
        return action()
    except Exception as exc:
        if not isinstance(exc, InputError):
            log.exception("%s failed", what)
        panel.value = f"<div class='trove-error'>{failure_message(exc, lang, show_cause=True)}</div>"
        return None
