"""Where Trở về finds its files on disk: packaged data, bundled scenarios and exercises, the results file.

Environment variables let a trainer point at their own folders (``TROVE_SCENARIO_DIR``,
``TROVE_EXERCISE_DIR``) and results file or database URL (``TROVE_DB``).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PACKAGED_DATA = PACKAGE / "data"
VOILA_TEMPLATES = PACKAGE / "ui" / "share"
PROJECT_ROOT = PACKAGE.parent
VAR = PROJECT_ROOT / "var"  # the results file's default folder; trainer secrets and QR codes of a database's workshops


def scenario_dir() -> Path:
    """The folder of scenario files (bundled ``scenarios/`` unless ``TROVE_SCENARIO_DIR`` is set)."""
    return Path(os.environ.get("TROVE_SCENARIO_DIR", PROJECT_ROOT / "scenarios"))


def exercise_dir() -> Path:
    """The folder of exercise files (bundled ``exercises/`` unless ``TROVE_EXERCISE_DIR`` is set)."""
    return Path(os.environ.get("TROVE_EXERCISE_DIR", PROJECT_ROOT / "exercises"))


def results_path() -> Path:
    """The SQLite results file (``var/trove.sqlite`` unless ``TROVE_DB`` is set; a database URL there is read by
    ``sim.workshop.stores.results_location``)."""
    return Path(os.environ.get("TROVE_DB", VAR / "trove.sqlite"))
