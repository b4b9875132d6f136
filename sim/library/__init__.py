"""The library: the law and data the engines are handed, built once by the parsing boundary.

Owns: ``Library`` (rulebooks, agencies, regions, needs, profiles, names, interview bank, rubric, forms,
messages, and the scenario/exercise ``Catalog``) and the one process-wide packaged library. May import:
``sim.errors``, ``sim.parsing``, ``sim.locations``, ``sim.law``, ``sim.cases``, ``sim.engine``,
``sim.training`` (their data models and readers). Imported by the drawing, workshop, façades and CLI.

``Library`` is loaded on first use, so ``sim.library.messages`` (the first screen's texts) stays light.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.library.library import Library

__all__ = ["Library", "packaged_library"]


@cache
def packaged_library() -> Library:
    """The library shipped in ``sim/data`` with the bundled scenarios and exercises, built once per process.

    >>> packaged_library() is packaged_library()
    True
    """
    from sim.library.library import Library

    return Library.from_folder()


def __getattr__(name: str) -> Any:
    """``from sim.library import Library`` loads the library module only when asked for."""
    if name == "Library":
        from sim.library.library import Library

        return Library
    raise AttributeError(f"module 'sim.library' has no attribute {name!r}")
