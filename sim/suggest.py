""""Did you mean" for unknown ids in data files."""
from __future__ import annotations

from difflib import get_close_matches

from sim.errors import Problem
from sim.loading import Loc, SourceDoc


def did_you_mean(value: str, known: list[str]) -> str:
    """Hint text for an unknown id.

    >>> did_you_mean("forced-marriage", ["forced_marriage_china", "scam_compound"])
    "did you mean 'forced_marriage_china'?"
    """
    close = get_close_matches(value, known, n=2, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    shown = sorted(known)
    return "known: " + ", ".join(shown[:10]) + (", …" if len(shown) > 10 else "")


def unknown_id_problem(doc: SourceDoc, loc: Loc, kind: str, value: str, known: list[str]) -> Problem:
    return doc.problem(loc, f"unknown {kind} {value!r}", did_you_mean(str(value), known))
