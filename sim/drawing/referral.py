"""Drawing the referral graph with matplotlib: commune at the root, levels as rows.

matplotlib is imported inside the functions so that importing ``sim`` stays light.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import networkx as nx

from sim.drawing.png import figure_png, new_figure
from sim.law.referral import ROOT, notified_agencies

LEVEL_ROW = {"commune": 0, "local": 0, "district": 1, "province": 2, "central": 3}
PURPOSE_COLOURS = {
    "notify": "#c0392b",
    "verify": "#8e44ad",
    "escort": "#7f8c8d",
    "shelter": "#2980b9",
    "protection": "#d35400",
}


def layout(G: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Rows: commune on top, the agency it notifies next, then district, province and central bodies."""
    rows: dict[int, list[str]] = {}
    first_hand = set(notified_agencies(G))
    for node, level in sorted(G.nodes(data="level")):
        row = 1 if node in first_hand else LEVEL_ROW[level] + (1 if level in ("province", "central") else 0)
        rows.setdefault(row, []).append(node)
    positions = {}
    for row, nodes in rows.items():
        if ROOT in nodes:
            nodes.remove(ROOT)
            nodes.insert(len(nodes) // 2, ROOT)
        for i, node in enumerate(nodes):
            positions[node] = ((i + 0.5) / len(nodes), -row)
    return positions


def draw_referral_graph(
    G: nx.MultiDiGraph,
    *,
    title: str,
    lang: str = "vi",
    highlight: list[list[str]] | None = None,
    correct: list[list[str]] | None = None,
    ax: Any = None,
) -> Any:
    """Draw ``G`` under ``title``; ``highlight`` paths (the trainee's) in blue, ``correct`` paths in green dashes."""
    if ax is None:
        _, ax = new_figure(14, 8)
    pos = layout(G)
    simple = nx.DiGraph(G)
    nx.draw_networkx_edges(
        simple,
        pos,
        ax=ax,
        edge_color="#bbbbbb",
        arrows=True,
        arrowsize=10,
        node_size=2200,
        connectionstyle="arc3,rad=0.05",
    )
    for paths, colour, style, width in ((correct, "#27ae60", "dashed", 3.0), (highlight, "#2471a3", "solid", 2.5)):
        edges = [(a, b) for path in (paths or []) if path for a, b in pairwise(path)]
        if edges:
            nx.draw_networkx_edges(
                simple,
                pos,
                edgelist=edges,
                ax=ax,
                edge_color=colour,
                style=style,
                width=width,
                arrows=True,
                arrowsize=16,
                node_size=2200,
            )
    for node in G.nodes:
        colour = "#f5b041" if node == ROOT else "#eaf2f8"
        ax.annotate(
            _wrap(G.nodes[node]["en" if lang == "en" else "vi"]),
            pos[node],
            ha="center",
            va="center",
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.4", "fc": colour, "ec": "#34495e"},
            zorder=3,
        )
    ax.set_title(title)
    ax.axis("off")
    ax.margins(0.08)
    return ax


def _wrap(text: str, width: int = 18) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def referral_png(
    G: nx.MultiDiGraph,
    *,
    title: str,
    lang: str = "vi",
    highlight: list[list[str]] | None = None,
    correct: list[list[str]] | None = None,
    dpi: int = 80,
    path: str | None = None,
) -> bytes:
    """The drawn graph as PNG bytes (written to ``path`` too if given).

    >>> from sim.library import packaged_library
    >>> referral_png(packaged_library().graph("B"), title="B")[:4]
    b'\x89PNG'
    """
    ax = draw_referral_graph(G, title=title, lang=lang, highlight=highlight, correct=correct)
    return figure_png(ax.figure, dpi=dpi, path=path)
