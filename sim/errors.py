"""The exception tree of Trở về: one root, narrow subclasses (as in networkx)."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches


def close_names(value: str, known: list[str], *, n: int = 2, cutoff: float = 0.5) -> list[str]:
    """The known names closest to ``value`` (for "did you mean"), best first.

    >>> close_names("forced-marriage", ["forced_marriage_china", "scam_compound"])
    ['forced_marriage_china']
    """
    return get_close_matches(value, known, n=n, cutoff=cutoff)


def did_you_mean(value: str, known: list[str], *, n: int = 2, cutoff: float = 0.5, list_known: bool = True) -> str:
    """The hint for an unknown name: the closest known ones, else (``list_known``) some known ones, else "".

    >>> did_you_mean("forced-marriage", ["forced_marriage_china", "scam_compound"])
    "did you mean 'forced_marriage_china'?"
    >>> did_you_mean("x", ["a", "b"]), did_you_mean("x", ["a"], list_known=False)
    ('known: a, b', '')
    """
    close = close_names(value, known, n=n, cutoff=cutoff)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    if not list_known:
        return ""
    shown = sorted(known)
    return "known: " + ", ".join(shown[:10]) + (", …" if len(shown) > 10 else "")


class SimError(Exception):
    """Root of every error this package raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a data file, located as precisely as the file allows.

    ``message`` and ``hint`` are English, for ``trove check``. ``kind`` names what went wrong and ``values`` the
    names and values it quotes, so that a page can say it in its own language (message ``pe_<kind>`` of the
    catalog): ``("close", (…))``, ``("allowed", (…))``, ``("options", (…))`` and ``("known", (…))`` list the names
    a hint suggests. A problem without a kind is shown by its message.

    >>> p = Problem("s.yaml", 3, 1, "dificulty", "unknown field", "", "extra_forbidden", (("close", ("difficulty",)),))
    >>> p.value("close"), p.value("allowed", ())
    (('difficulty',), ())
    """

    file: str
    line: int | None
    col: int | None
    path: str
    message: str
    hint: str = ""
    kind: str = ""
    values: tuple[tuple[str, str | tuple[str, ...]], ...] = ()

    def value(self, name: str, default: str | tuple[str, ...] = "") -> str | tuple[str, ...]:
        """The value ``name`` this problem quotes, else ``default``."""
        return dict(self.values).get(name, default)

    def format(self) -> str:
        """Render as ``file:line:col field.path: message (hint)``, on one line: a line break (in a quoted key, say)
        is written ``\\n``."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.col or 1}"
        text = f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return (f"{text} ({self.hint})" if self.hint else text).translate(_ONE_LINE)


_ONE_LINE = str.maketrans({"\n": "\\n", "\r": "\\r"})


class DataError(SimError):
    """A data file (or several) is invalid. Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


class UnknownIdError(SimError, KeyError):
    """An id (scenario, exercise, profile, region, agency…) that does not exist."""

    def __init__(self, kind: str, value: str, known: list[str]):
        self.kind, self.value = kind, value
        self.message = f"unknown {kind} {value!r} ({did_you_mean(value, known)})"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class SeedError(SimError, ValueError):
    """A seed that is not a non-negative integer."""


class FileMissingError(SimError, FileNotFoundError):
    """A file the user named does not exist."""

    def __init__(self, path: str, what: str = "file"):
        self.message = f"{path}: no such {what} (check the path; run from the project folder or give an absolute path)"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
