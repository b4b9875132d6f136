"""The workshop charts: no label of a chart is drawn over another (computed with matplotlib's renderer)."""

from __future__ import annotations

import pytest

from sim.drawing.charts import item_statistics_figure, overlapping_labels
from sim.drawing.png import figure_png
from sim.ui.i18n import t
from sim.workshop.stats import ItemStat

ITEMS = ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10", "process")


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("count", [3, len(ITEMS)])
def test_no_label_of_the_item_chart_overlaps_another(lang, count):
    stats = [ItemStat(item, 3, 0.5, 0.5, -0.4 if i % 2 else 0.6) for i, item in enumerate(ITEMS[-count:])]
    fig = item_statistics_figure(stats, lambda key: t(key, lang))
    ax = fig.axes[0]
    legend = ax.get_legend()
    labels = [*ax.get_xticklabels(), *legend.get_texts(), ax.title]
    assert overlapping_labels(fig, labels) == []
    renderer = fig.canvas.get_renderer()
    bars = [bar.get_window_extent(renderer) for bar in ax.patches if bar.get_height()]
    assert not any(legend.get_window_extent(renderer).overlaps(bar) for bar in bars), "the legend covers a bar"
    assert figure_png(fig)[1:4] == b"PNG"


def test_the_check_sees_two_labels_on_top_of_each_other():
    stats = [ItemStat(item, 3, 0.5, 0.5, 0.1) for item in ITEMS]
    fig = item_statistics_figure(stats, lambda key: t(key, "vi"))
    ax = fig.axes[0]
    ax.set_xticks(range(len(ITEMS)), [*ITEMS[:-1], "Cách hỏi chuyện dài"], rotation=0, ha="center")
    assert ("D10", "Cách hỏi chuyện dài") in overlapping_labels(fig, ax.get_xticklabels())
    figure_png(fig)
