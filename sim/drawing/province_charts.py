"""Charts of a province study (matplotlib → PNG bytes), from plain rows whose labels are already in the reader's
language: the plan's targets with their 90 % intervals, days to each service, backlog over the year per agency,
and the referral graph coloured by load.

An ``Interval`` is ``(mean, p5, p95)`` over replications (any may be ``None``: nobody to count). Numbers printed
on a chart follow ``lang``: a decimal comma in Vietnamese. matplotlib is imported only when a chart is drawn.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import networkx as nx

from sim.drawing.png import figure_png, new_figure
from sim.drawing.referral import draw_referral_graph, layout

Interval = tuple[float | None, float | None, float | None]
SERIES_COLOURS = ("#2471a3", "#e67e22", "#27ae60", "#8e44ad", "#c0392b", "#7f8c8d")
WIDTH = 6.4  # inches: at 100 dpi a 640 px picture, still legible scaled down to a 390 px phone
DPI = 100
LABEL_GAP_PT = 5  # between a whisker's end and its value label
TARGET_CLEARANCE = 90  # a bar (with its whisker) ending past this % has its label beyond the 100 % line
BOTTLENECK = "#e74c3c"
NO_LOAD = "#eeeeee"


def decimal(value: float, lang: str = "vi", digits: int = 1) -> str:
    """A number with at most ``digits`` decimals, no trailing zeros, a decimal comma in Vietnamese.

    >>> decimal(58.44), decimal(58.44, "en"), decimal(100.0), decimal(2.25, digits=2)
    ('58,4', '58.4', '100', '2,25')
    """
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return text.replace(".", ",") if lang != "en" else text


def _wrap(label: str, width: int = 30) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _decimal_axis(axis: Any, lang: str, suffix: str = "") -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: decimal(v, lang) + suffix))


def _no_data(title: str, message: str) -> bytes:
    fig, ax = new_figure(WIDTH, 1.6)
    ax.set_title(_wrap(title, 48), fontsize=11)
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="#555", transform=ax.transAxes)
    ax.set_axis_off()
    return figure_png(fig, dpi=DPI)


def target_figure(
    rows: Sequence[tuple[str, Sequence[Interval]]],
    series: Sequence[str],
    *,
    title: str,
    target_label: str,
    lang: str = "vi",
) -> Any:
    """``target_bars``'s figure (rows present): each value label a few points past its bar's whisker, and past
    the 100 % line when the whisker ends near it, so that no label is drawn over a line."""
    n = len(series)
    bar = 0.8 / n
    fig, ax = new_figure(WIDTH, 1.2 + 0.42 * len(rows) * max(1, n))
    for s, name in enumerate(series):
        ys, means, lows, highs, texts = [], [], [], [], []
        for i, (_, values) in enumerate(rows):
            mean, p5, p95 = values[s]
            y = i + (s - (n - 1) / 2) * bar
            ys.append(y)
            means.append(100 * (mean or 0.0))
            lows.append(100 * max(0.0, (mean or 0) - (p5 if p5 is not None else mean or 0)))
            highs.append(100 * max(0.0, (p95 if p95 is not None else mean or 0) - (mean or 0)))
            texts.append("—" if mean is None else decimal(100 * mean, lang) + "%")
        colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
        ax.barh(ys, means, height=bar * 0.9, color=colour, label=name, xerr=[lows, highs], capsize=3, ecolor="#333")
        for y, m, h, text in zip(ys, means, highs, texts, strict=True):
            end = 100 if m + h > TARGET_CLEARANCE else m + h
            ax.annotate(text, (end, y), xytext=(LABEL_GAP_PT, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(range(len(rows)), [_wrap(label) for label, _ in rows], fontsize=9)
    ax.invert_yaxis()
    ax.axvline(100, color="#1e8449", linestyle="--", linewidth=1.2, label=target_label)
    ax.set_xlim(0, 118)
    ax.set_xticks([0, 25, 50, 75, 100])
    _decimal_axis(ax.xaxis, lang, "%")
    ax.set_title(_wrap(title, 48), fontsize=11)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2 if n == 1 else 1, frameon=False)
    return fig


def target_bars(
    rows: Sequence[tuple[str, Sequence[Interval]]],
    series: Sequence[str],
    *,
    title: str,
    target_label: str,
    no_data: str,
    lang: str = "vi",
) -> bytes:
    """Horizontal bars of shares (0–1) as percentages with their 90 % intervals, one bar per series, against 100 %.

    ``rows`` are (label, one interval per series); ``series`` names them (a legend when there are several).

    >>> png = target_bars([("Xác minh đúng hạn", [(0.58, 0.46, 0.66)])], ["chính"], title="Mục tiêu",
    ...                   target_label="mục tiêu 100%", no_data="Chưa có dữ liệu")
    >>> png[:4]
    b'\\x89PNG'
    """
    if not rows:
        return _no_data(title, no_data)
    fig = target_figure(rows, series, title=title, target_label=target_label, lang=lang)
    return figure_png(fig, dpi=DPI)


def days_bars(
    rows: Sequence[tuple[str, Interval, Interval]],
    *,
    title: str,
    median_label: str,
    p90_label: str,
    axis_label: str,
    no_data: str,
    lang: str = "vi",
) -> bytes:
    """Days from arrival to each service: the median as a bar (with its 90 % interval), the 90th percentile as a mark.

    >>> days_bars([("Xác minh", (12.0, 9.0, 15.0), (20.0, 16.0, 24.0))], title="Ngày", median_label="trung vị",
    ...           p90_label="p90", axis_label="ngày", no_data="—")[:4]
    b'\\x89PNG'
    """
    if not rows:
        return _no_data(title, no_data)
    fig, ax = new_figure(WIDTH, 1.2 + 0.5 * len(rows))
    ys = range(len(rows))
    medians = [r[1][0] or 0.0 for r in rows]
    lows = [max(0.0, (r[1][0] or 0) - (r[1][1] if r[1][1] is not None else r[1][0] or 0)) for r in rows]
    highs = [max(0.0, (r[1][2] if r[1][2] is not None else r[1][0] or 0) - (r[1][0] or 0)) for r in rows]
    p90 = [r[2][0] or 0.0 for r in rows]
    ax.barh(ys, medians, height=0.6, color="#5dade2", label=median_label, xerr=[lows, highs], capsize=3, ecolor="#333")
    ax.scatter(p90, ys, marker="D", color="#922b21", zorder=3, label=p90_label)
    top = max([*p90, *(m + h for m, h in zip(medians, highs, strict=True)), 1.0])
    for y, m, h, q in zip(ys, medians, highs, p90, strict=True):
        ax.text(max(m + h, q) + top * 0.03, y, f"{decimal(m, lang)} / {decimal(q, lang)}", va="center", fontsize=8)
    ax.set_yticks(list(ys), [_wrap(r[0]) for r in rows], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.3)
    ax.set_xlabel(axis_label, fontsize=9)
    _decimal_axis(ax.xaxis, lang)
    ax.set_title(_wrap(title, 48), fontsize=11)
    ax.legend(fontsize=8, loc="lower right")
    return figure_png(fig, dpi=DPI)


def backlog_lines(
    months: Sequence[str],
    series: Sequence[tuple[str, Sequence[Interval]]],
    *,
    title: str,
    axis_label: str,
    no_data: str,
    lang: str = "vi",
) -> bytes:
    """Cases waiting at each agency month by month: the mean as a line, the 90 % interval as a band.

    >>> backlog_lines(["T1", "T2"], [("Công an tỉnh", [(1.0, 0.0, 2.0), (2.0, 1.0, 3.0)])], title="Tồn đọng",
    ...               axis_label="hồ sơ", no_data="—")[:4]
    b'\\x89PNG'
    """
    if not months or not series:
        return _no_data(title, no_data)
    fig, ax = new_figure(WIDTH, 3.6)
    xs = list(range(len(months)))
    for s, (label, values) in enumerate(series):
        colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
        means = [v[0] or 0.0 for v in values]
        line = ax.plot(xs, means, marker="o", markersize=3, label=_wrap(label, 36), color=colour)[0]
        lows = [v[1] if v[1] is not None else m for v, m in zip(values, means, strict=True)]
        highs = [v[2] if v[2] is not None else m for v, m in zip(values, means, strict=True)]
        ax.fill_between(xs, lows, highs, color=line.get_color(), alpha=0.15)
    step = max(1, len(months) // 12)
    ax.set_xticks(xs[::step], list(months)[::step], fontsize=8, rotation=45, ha="right")
    ax.set_ylim(bottom=0)
    ax.set_ylabel(axis_label, fontsize=9)
    _decimal_axis(ax.yaxis, lang)
    ax.set_title(_wrap(title, 48), fontsize=11)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.28), ncol=2, frameon=False)
    return figure_png(fig, dpi=DPI)


def load_colour(utilisation: float | None) -> str:
    """A node's fill by its utilisation: grey for none, from pale yellow (idle) to deep orange (always busy).

    >>> load_colour(None), load_colour(0.0), load_colour(1.0)
    ('#eeeeee', '#fff5cc', '#e67e22')
    """
    if utilisation is None:
        return NO_LOAD
    u = min(1.0, max(0.0, utilisation))
    low, high = (0xFF, 0xF5, 0xCC), (0xE6, 0x7E, 0x22)
    return "#" + "".join(f"{round(a + (b - a) * u):02x}" for a, b in zip(low, high, strict=True))


def load_graph(
    G: nx.MultiDiGraph,
    utilisation: dict[str, float],
    *,
    bottleneck: str | None,
    title: str,
    legend: Sequence[str],
    lang: str = "vi",
) -> bytes:
    """The referral graph (``sim.drawing.referral``) with each agency filled by its utilisation, the bottleneck red.

    Each agency with a load shows it as a percentage after its name. ``legend``: the texts for "busy", "idle" and
    "bottleneck" (in that order).

    >>> from sim.library import packaged_library
    >>> G = packaged_library().graph("B")
    >>> load_graph(G, {"provincial_police": 0.5}, bottleneck="provincial_police", title="Tải",
    ...            legend=("bận", "rảnh", "nghẽn"))[:4]
    b'\\x89PNG'
    """
    from matplotlib.patches import Patch

    fig, ax = new_figure(12, 7.5)
    draw_referral_graph(G, title=title, lang=lang, ax=ax)
    # Each agency's box is the annotation at its place in the layout: recolour it and add its load under it.
    at = {tuple(xy): node for node, xy in layout(G).items()}
    for note in ax.texts:
        node = at.get(tuple(getattr(note, "xy", ()))) if note.get_bbox_patch() is not None else None
        if node is None:
            continue
        share = utilisation.get(node)
        note.get_bbox_patch().set_facecolor(BOTTLENECK if node == bottleneck else load_colour(share))
        if share is not None:
            note.set_text(f"{note.get_text()} · {decimal(100 * share, lang)}%")  # same height: boxes stay apart
        if node == bottleneck:
            note.set_color("white")
            note.set_fontweight("bold")
    ax.legend(
        handles=[
            Patch(facecolor=load_colour(1.0), edgecolor="#34495e", label=legend[0]),
            Patch(facecolor=load_colour(0.0), edgecolor="#34495e", label=legend[1]),
            Patch(facecolor=BOTTLENECK, edgecolor="#34495e", label=legend[2]),
        ],
        loc="lower left",
        fontsize=9,
        frameon=False,
    )
    return figure_png(fig, dpi=80)
