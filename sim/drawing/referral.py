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


LABEL_POINTS = 11  # agency names: about 12 px in the PNG, readable on a laptop; a phone zooms in
ROW_FITS, STAGGER = 6, 0.5  # boxes a row holds side by side; how far down every other box of a fuller row goes
ROW_ARC = 0.3  # how far an edge between two agencies of one row arcs (it would cross the boxes between them)


def layout(G: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Rows: commune on top, the agency it notifies next, then district, province and central bodies (a row of
    more than ``ROW_FITS`` agencies zigzags)."""
    rows: dict[int, list[str]] = {}
    first_hand = set(notified_agencies(G))
    for node, level in sorted(G.nodes(data="level")):
        row = 1 if node in first_hand else LEVEL_ROW[level] + (1 if level in ("province", "central") else 0)
        rows.setdefault(row, []).append(node)
    positions = {}
    lower = 0.0  # how far the rows below a zigzagging row move down
    for row, nodes in sorted(rows.items()):
        if ROOT in nodes:
            nodes.remove(ROOT)
            nodes.insert(len(nodes) // 2, ROOT)
        crowded = len(nodes) > ROW_FITS  # every other box half a row lower, so the labels never touch
        for i, node in enumerate(nodes):
            positions[node] = ((i + 0.5) / len(nodes), -row - lower - (STAGGER if crowded and i % 2 else 0.0))
        lower += STAGGER if crowded else 0.0
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
        _, ax = new_figure(13, 8)
    pos = layout(G)
    simple = nx.DiGraph(G)

    def draw(edges: list[tuple[str, str]], **style: Any) -> None:
        # an edge within a row arcs over the boxes between its ends; the others bend slightly
        for same_row in (True, False):
            chosen = [(a, b) for a, b in edges if (pos[a][1] == pos[b][1]) == same_row]
            if chosen:
                bend = ROW_ARC if same_row else 0.05
                nx.draw_networkx_edges(
                    simple,
                    pos,
                    edgelist=chosen,
                    ax=ax,
                    arrows=True,
                    node_size=2600,
                    connectionstyle=f"arc3,rad={bend}",
                    **style,
                )

    draw(list(simple.edges), edge_color="#bbbbbb", arrowsize=10)
    for paths, colour, style, width in ((correct, "#27ae60", "dashed", 3.0), (highlight, "#2471a3", "solid", 2.5)):
        edges = [(a, b) for path in (paths or []) if path for a, b in pairwise(path)]
        if edges:
            draw(edges, edge_color=colour, style=style, width=width, arrowsize=16)
    for node in G.nodes:
        colour = "#f5b041" if node == ROOT else "#eaf2f8"
        ax.annotate(
            _wrap(G.nodes[node]["en" if lang == "en" else "vi"]),
            pos[node],
            ha="center",
            va="center",
            fontsize=LABEL_POINTS,
            bbox={"boxstyle": "round,pad=0.4", "fc": colour, "ec": "#34495e"},
            zorder=3,
        )
    ax.set_title(title, fontsize=LABEL_POINTS + 3)
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
