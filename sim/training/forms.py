"""The answer forms of the decision points: which fields a trainee fills in and which options each offers.

The layout is data (``forms.yaml``); this module turns it into ``FormField`` values with bilingual
option labels for a regime. The UI renders them; no form knows the correct answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from sim.law.decision_points import DecisionPoint
from sim.law.primitives import Bilingual, Strict
from sim.law.referral import ROOT
from sim.training.answers import ANSWER_MODELS

if TYPE_CHECKING:
    from sim.library import Library

FieldKind = Literal["radio", "checks", "check", "dropdown"]
SHUFFLED_KINDS = ("radio", "checks")  # fields whose options are shown in an order of the case's own
OptionOrder = dict[str, dict[str, list[str]]]  # decision point -> field -> option ids, in the order shown


class OptionSource(Strict):
    """Options named in the data: a vocabulary kind (optionally only some ids) or a list of agencies."""

    vocabulary: str | None = None
    only: list[str] | None = None
    agencies: list[str] | None = None


class FieldSpec(Strict):
    """One field of a decision point's form, as written in ``forms.yaml``."""

    field: str
    kind: FieldKind
    label: str | None = None
    options: Literal["choices", "immediate_needs", "referral_plan"] | OptionSource | None = None

    @property
    def label_key(self) -> str:
        """The message id of the field's heading."""
        return self.label or f"f_{self.field}"


class FormsFile(Strict):
    """The ``forms.yaml`` document."""

    schema_version: Literal[1]
    decision_points: dict[DecisionPoint, list[FieldSpec]]


@dataclass(frozen=True)
class FormField:
    """A field ready to render: its name, kind, heading (message id) and labelled options."""

    name: str
    kind: FieldKind
    label_key: str
    options: tuple[tuple[str, Bilingual], ...] = ()


def choices(dp: str, field: str) -> tuple[str, ...]:
    """The values the answer format allows for a field of fixed choices.

    >>> choices("D1", "receive")
    ('receive', 'send_to_district', 'come_back_with_papers')
    """
    return ANSWER_MODELS[dp].model_fields[field].annotation.__args__


def form_fields(library: Library, dp: str, regime: str) -> list[FormField]:
    """The fields of one decision point's form under ``regime``, memoised on the library.

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> fields = form_fields(packaged_library(), "D1", "A")
    >>> [(f.name, f.kind, [k for k, _ in f.options]) for f in fields]
    [('receive', 'radio', ['receive', 'send_to_district', 'come_back_with_papers'])]
    """
    key = ("form_fields", dp, regime)
    found = library.cache.get(key)
    if found is None:
        found = library.cache[key] = [_field(library, dp, regime, spec) for spec in library.forms.decision_points[dp]]
    return found


def _field(library: Library, dp: str, regime: str, spec: FieldSpec) -> FormField:
    return FormField(spec.field, spec.kind, spec.label_key, _options(library, dp, regime, spec))


def _options(library: Library, dp: str, regime: str, spec: FieldSpec) -> tuple[tuple[str, Bilingual], ...]:
    source = spec.options
    if source is None:
        return ()
    if source == "choices":
        return tuple((v, library.messages[f"opt_{spec.field}_{v}"]) for v in choices(dp, spec.field))
    if source == "immediate_needs":
        return tuple((k, Bilingual(vi=n.vi, en=n.en)) for k, n in library.needs.items() if n.immediate)
    if source == "referral_plan":
        return tuple((a, library.agency_label(a)) for a in sorted(library.graph(regime).nodes) if a != ROOT)
    if source.agencies is not None:
        return tuple((a, library.agency_label(a)) for a in source.agencies)
    table = getattr(library.rulebook.vocabulary, source.vocabulary or "")
    return tuple((k, table[k]) for k in (source.only or table))


def field_label(library: Library, dp: str, field: str) -> str:
    """The message id of a field's heading (a field name in D1–D10 may repeat with another heading).

    A field ``forms.yaml`` does not list for ``dp`` gets the default id ``f_<field>``.

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> lib = packaged_library()
    >>> field_label(lib, "D4", "agencies"), field_label(lib, "D10", "agencies"), field_label(lib, "D4", "timing")
    ('f_agencies_notify', 'f_agencies_plan', 'f_timing')
    """
    return next((s.label_key for s in library.forms.decision_points[dp] if s.field == field), f"f_{field}")


def option_order(library: Library, decision_points: list[str], regime: str, *, seed: int) -> OptionOrder:
    """The order in which a case shows the options of its radio and checkbox fields, drawn from the case's seed.

    The option lists of ``forms.yaml`` put the lawful answer first in most fields; a case shows them in an order
    of its own, kept with the attempt so that a reload or a replay shows the same order. Each field has its own
    ``random.Random`` seeded with the seed, the decision point and the field, so the order of one field does
    not depend on which other fields the case asks about.

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> lib = packaged_library()
    >>> order = option_order(lib, ["D1", "D8"], "A", seed=7)
    >>> order == option_order(lib, ["D1", "D8"], "A", seed=7), sorted(order["D1"]["receive"])
    (True, ['come_back_with_papers', 'receive', 'send_to_district'])
    >>> list(order["D8"])  # the check box has no options to shuffle
    ['share']
    """
    found: OptionOrder = {}
    for dp in decision_points:
        fields = {}
        for f in form_fields(library, dp, regime):
            if f.kind in SHUFFLED_KINDS and len(f.options) > 1:
                ids = [k for k, _ in f.options]
                random.Random(f"{seed}:{dp}:{f.name}").shuffle(ids)
                fields[f.name] = ids
        found[dp] = fields
    return found


def ordered_fields(fields: list[FormField], order: dict[str, list[str]] | None) -> list[FormField]:
    """The fields with their options in a stored order (``option_order``'s entry for one decision point).

    Options the stored order does not name (added to the data since the attempt started) follow in the data's
    order; ids it names that no longer exist are left out. ``None`` (an attempt from before shuffling) keeps
    the data's order, which is the order that attempt was shown.

    >>> f = FormField("receive", "radio", "f_receive", (("a", None), ("b", None), ("c", None)))
    >>> [k for k, _ in ordered_fields([f], {"receive": ["c", "x", "a"]})[0].options]
    ['c', 'a', 'b']
    >>> ordered_fields([f], None) == [f]
    True
    """
    if not order:
        return list(fields)
    out = []
    for f in fields:
        wanted = order.get(f.name)
        if not wanted:
            out.append(f)
            continue
        by_id = dict(f.options)
        first = [(k, by_id[k]) for k in wanted if k in by_id]
        rest = [(k, o) for k, o in f.options if k not in set(wanted)]
        out.append(replace(f, options=tuple(first + rest)))
    return out
