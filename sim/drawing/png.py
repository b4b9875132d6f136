"""Figures to PNG: the one place a matplotlib figure becomes bytes or a file (and is closed)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any


def new_figure(width: float, height: float) -> tuple[Any, Any]:
    """A figure and its axes on the non-interactive Agg backend (servers and kernels have no display)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height))


def figure_png(fig: Any, *, dpi: int = 80, path: str | Path | None = None) -> bytes:
    """Lay out, render and close ``fig``; returns the PNG bytes (and writes them to ``path`` if given).

    >>> fig, ax = new_figure(2, 1)
    >>> figure_png(fig)[:4]
    b'\\x89PNG'
    """
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    data = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
