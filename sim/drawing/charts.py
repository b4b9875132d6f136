"""Workshop charts (matplotlib → PNG bytes), from plain rows and the texts to print on them.

matplotlib is imported only when a chart is drawn. ``text`` is a function from a message id to the
sentence in the reader's language (the façade passes its catalog lookup).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

from sim.drawing.png import figure_png, new_figure

Text = Callable[[str], str]
# Type sizes in points at 100 dpi (1 pt ≈ 1.4 px): readable on a projector and, scaled down, on a laptop.
TITLE, LABEL, TICK, NOTE = 13, 12, 11, 10
WRAP_CHARS = 42  # a critical error's label wraps at a word, never cut


def _png(fig: Any) -> bytes:
    return figure_png(fig, dpi=100)


def _figure(width: float = 7, height: float = 3.2) -> tuple[Any, Any]:
    return new_figure(width, height)


def _no_data(title: str, text: Text, width: float = 7, height: float = 3.2) -> bytes:
    """A chart with nothing to show yet: its title and "Chưa có dữ liệu", no bare axes (message ``no_data_yet``)."""
    fig, ax = _figure(width, height)
    ax.set_title(title, fontsize=TITLE)
    ax.text(
        0.5, 0.5, text("no_data_yet"), ha="center", va="center", fontsize=TITLE, color="#555", transform=ax.transAxes
    )
    ax.set_axis_off()
    return _png(fig)


def score_distribution(histogram: list[tuple[str, int]], text: Text) -> bytes:
    """Bars of how many attempts scored in each band ("no data yet" before any submission).

    >>> png = score_distribution([("0–10", 0), ("10–20", 0)], lambda key: key)
    >>> png[1:4] == b"PNG"
    True
    """
    if not any(count for _, count in histogram):
        return _no_data(text("chart_scores"), text)
    fig, ax = _figure()
    ax.bar([label for label, _ in histogram], [count for _, count in histogram], color="#2471a3")
    ax.set_title(text("chart_scores"), fontsize=TITLE)
    ax.set_ylabel(text("chart_count"), fontsize=LABEL)
    ax.set_ylim(bottom=0, top=max([c for _, c in histogram] + [1]) + 0.5)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(axis="both", labelsize=TICK)
    ax.tick_params(axis="x", rotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
    return _png(fig)


def overlapping_labels(fig: Any, texts: list[Any]) -> list[tuple[str, str]]:
    """The pairs of ``texts`` (matplotlib ``Text`` artists of ``fig``) whose drawn boxes intersect, by their words.

    >>> fig, ax = _figure(3, 2)
    >>> a, b, c = ax.text(0.1, 0.5, "D10"), ax.text(0.12, 0.5, "Cách hỏi chuyện"), ax.text(0.1, 0.1, "D9")
    >>> overlapping_labels(fig, [a, b, c])
    [('D10', 'Cách hỏi chuyện')]
    >>> _png(fig)[1:4]
    b'PNG'
    """
    fig.canvas.draw()  # a legend places its texts only when drawn
    renderer = fig.canvas.get_renderer()
    shown = [(t.get_text(), t.get_window_extent(renderer)) for t in texts if t.get_visible() and t.get_text()]
    return [
        (a, b)
        for i, (a, box_a) in enumerate(shown)
        for b, box_b in shown[i + 1 :]
        if box_a.overlaps(box_b) and box_a.width > 0 and box_b.width > 0
    ]


def _tick_labels_apart(fig: Any, ax: Any) -> None:
    """Lay ``fig`` out, then slant the x tick labels if neighbours would still touch (long names, many items)."""
    fig.tight_layout()
    if overlapping_labels(fig, ax.get_xticklabels()):
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")
        fig.tight_layout()


def item_statistics(stats: list[Any], text: Text) -> bytes:
    """Difficulty and discrimination per decision point (``ItemStat`` rows).

    >>> from sim.workshop.stats import ItemStat
    >>> png = item_statistics([ItemStat("D10", 2, 0.5, 0.5, 0.3), ItemStat("process", 2, 1.0, 1.0, None)], str)
    >>> png[1:4] == b"PNG"
    True
    """
    if not stats:
        return _no_data(text("chart_items"), text, 8, 3.4)
    return _png(item_statistics_figure(stats, text))


def item_statistics_figure(stats: list[Any], text: Text) -> Any:
    """The figure of ``item_statistics``, laid out: the process item's long name ("Cách hỏi chuyện") wraps under its
    bars, the labels slant if they would still touch, and the legend sits in a row above the bars, off them."""
    fig, ax = _figure(8, 3.8)
    items = [s.item if s.item != "process" else textwrap.fill(text("dp_process"), 10) for s in stats]
    xs = range(len(stats))
    ax.bar(
        [x - 0.2 for x in xs], [s.difficulty for s in stats], width=0.4, label=text("chart_difficulty"), color="#27ae60"
    )
    ax.bar(
        [x + 0.2 for x in xs],
        [s.discrimination or 0.0 for s in stats],
        width=0.4,
        label=text("chart_discrimination"),
        color="#8e44ad",
    )
    ax.set_xticks(list(xs), items, fontsize=TICK)
    ax.tick_params(axis="y", labelsize=TICK)
    ax.set_ylim(-1, 1)
    ax.axhline(0, color="#555", linewidth=0.8)
    ax.set_title(textwrap.fill(text("chart_items"), 60), fontsize=TITLE, pad=30)  # room for the legend's row
    ax.legend(fontsize=NOTE, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, borderaxespad=0.2)
    _tick_labels_apart(fig, ax)
    return fig


def critical_errors(counts: list[tuple[str, int]], labels: dict[str, str], text: Text) -> bytes:
    """How often each critical error was made, most frequent on top."""
    if not counts:
        return _no_data(text("chart_errors"), text, 8, 1.6)
    names = [textwrap.fill(f"{code} {labels.get(code, '')}", WRAP_CHARS) for code, _ in counts][::-1]
    lines = sum(name.count("\n") + 1 for name in names)
    fig, ax = _figure(9, 1.0 + 0.24 * lines + 0.12 * len(names))
    ax.barh(names, [c for _, c in counts][::-1], color="#c0392b")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(text("chart_errors"), fontsize=TITLE)
    ax.tick_params(axis="both", labelsize=TICK)
    return _png(fig)


def coverage(rows: list[Any], text: Text) -> bytes:
    """Share of communes with a trained officer per (former) district (``CoverageRow`` rows)."""
    if not rows:
        return _no_data(text("chart_coverage"), text, 8, 3.4)
    fig, ax = _figure(8, 3.4)
    ax.bar([r.district for r in rows], [100 * r.share for r in rows], color="#f39c12")
    for i, r in enumerate(rows):
        ax.text(i, 100 * r.share + 2, f"{r.trained_communes}/{r.communes}", ha="center", fontsize=NOTE)
    ax.axhline(100, color="#27ae60", linestyle="--", linewidth=1)
    ax.set_ylim(0, 115)
    ax.set_title(textwrap.fill(text("chart_coverage"), 60), fontsize=TITLE)
    ax.tick_params(axis="both", labelsize=TICK)
    ax.tick_params(axis="x", rotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
    return _png(fig)
