"""The library: the law and data the engines are handed, built once by the parsing boundary.

Owns: ``Library`` (rulebooks, agencies, regions, needs, profiles, names, interview bank, rubric, forms,
messages, and the scenario/exercise ``Catalog``), where files live (``locations``), and the one
process-wide packaged library. May import: ``sim.errors``, ``sim.parsing``, ``sim.law``, ``sim.cases``,
``sim.training`` (their data models and readers). Imported by the façades, the workshop, the CLI.
"""

from __future__ import annotations

from functools import cache

from sim.library.library import Library


@cache
def packaged_library() -> Library:
    """The library shipped in ``sim/data`` with the bundled scenarios and exercises, built once per process.

    >>> packaged_library() is packaged_library()
    True
    """
    return Library.from_folder()


__all__ = ["Library", "packaged_library"]
