"""One law over a study's dates: a library whose rulebook puts a chosen regime in force from ``start`` to ``end``.

The library chooses the regime by date (``Rulebook.for_date``: each regime's ``effective_from``/``effective_to``)
and cites a text only while it is in force (``texts.yaml`` ``in_force``). To replay 2026 under Luật 2011, the
regime A file is made to run on, regime B to start after the study, and the texts that lapse or start at the
boundary between them (Law 2011 and its decrees; Law 2024 and Decree 162) move with it. Everything else stays
as it is: agencies keep their own dates (the district police, abolished on 1 Mar 2025 by the police reform, stay
abolished), other texts keep theirs. The engines are handed the new library; nothing is changed in place.

>>> from datetime import date
>>> from sim.library import packaged_library
>>> lib = packaged_library()
>>> a = library_under(lib, "A", date(2026, 1, 1), date(2026, 12, 31))
>>> a.rules_on(date(2026, 6, 1)).regime, lib.rules_on(date(2026, 6, 1)).regime
('A', 'B')
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sim.errors import SimError
from sim.law.citations import LegalText
from sim.law.rulebook import Rulebook

if TYPE_CHECKING:
    from sim.library import Library

DAY = timedelta(days=1)


def library_under(library: Library, regime: str, start: date, end: date) -> Library:
    """``library`` with regime ``regime`` in force on every day from ``start`` to ``end`` (the same library if it is).

    Raises
    ------
    SimError
        For an unknown regime, or ``end`` before ``start``.

    Examples
    --------
    >>> from datetime import date
    >>> from sim.library import packaged_library
    >>> lib = packaged_library()
    >>> library_under(lib, "B", date(2026, 1, 1), date(2026, 12, 31)) is lib
    True
    >>> b = library_under(lib, "B", date(2016, 1, 1), date(2016, 12, 31))
    >>> b.rules_on(date(2016, 3, 1)).regime, b.rulebook.texts["law-2024"].in_force_on(date(2016, 3, 1))
    ('B', True)
    """
    if end < start:
        raise SimError(f"the study ends ({end}) before it starts ({start})")
    book = library.rulebook
    chosen = book.for_regime(regime)
    if chosen.effective_from <= start and (chosen.effective_to is None or end <= chosen.effective_to):
        return library
    regimes, texts = [], dict(book.texts)
    for rules in book.regimes:
        if rules.id == chosen.id:
            update = {"effective_from": min(rules.effective_from, start)}
            if rules.effective_to is not None and rules.effective_to < end:
                update["effective_to"] = None
                texts = _moved(texts, lapsing=rules.effective_to, starting=rules.effective_to + DAY, after=end)
            if start < rules.effective_from:
                texts = _moved_back(texts, starting=rules.effective_from, lapsing=rules.effective_from - DAY, to=start)
            regimes.append(rules.model_copy(update=update))
        elif rules.effective_from > chosen.effective_from:  # a later regime starts after the study
            regimes.append(rules.model_copy(update={"effective_from": max(rules.effective_from, end + DAY)}))
        else:  # an earlier regime ends before the study
            last = start - DAY if rules.effective_to is None else min(rules.effective_to, start - DAY)
            regimes.append(rules.model_copy(update={"effective_to": max(last, rules.effective_from)}))
    rulebook = Rulebook(regimes, book.vocabulary, texts, book.critical_errors, book.money)
    if any(rulebook.for_date(start + DAY * i).id != chosen.id for i in (0, (end - start).days)):
        raise SimError(f"regime {regime} cannot be put in force from {start} to {end}")
    return library.replace(rulebook=rulebook)


def _moved(texts: dict[str, LegalText], *, lapsing: date, starting: date, after: date) -> dict[str, LegalText]:
    """Texts that lapsed on ``lapsing`` stay in force; texts that started on ``starting`` start after ``after``."""
    out = {}
    for key, text in texts.items():
        span = dict(text.in_force)
        if span.get("to") == lapsing:
            del span["to"]
        if span.get("from") == starting:
            span["from"] = after + DAY
        out[key] = text.model_copy(update={"in_force": span}) if span != text.in_force else text
    return out


def _moved_back(texts: dict[str, LegalText], *, starting: date, lapsing: date, to: date) -> dict[str, LegalText]:
    """Texts that started on ``starting`` are in force from ``to``; texts that lapsed on ``lapsing`` lapse before ``to``."""
    out = {}
    for key, text in texts.items():
        span = dict(text.in_force)
        if span.get("from") == starting:
            span["from"] = to
        if span.get("to") == lapsing:
            span["to"] = to - DAY
        out[key] = text.model_copy(update={"in_force": span}) if span != text.in_force else text
    return out
