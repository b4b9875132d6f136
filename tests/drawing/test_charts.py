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


def line_pieces(ax):
    """(what, does it cross this display box?) for every whisker, cap and reference line of ``ax``."""
    for line in ax.lines:
        points = line.get_transform().transform(line.get_xydata())
        if line.get_linestyle() in ("None", "", " "):  # markers only: the caps, one per bar
            for x, y in points:
                yield "a whisker's cap", lambda box, x=x, y=y: box.contains(x, y)
        else:
            path = line.get_path().transformed(line.get_transform())
            yield "a line", lambda box, path=path: path.intersects_bbox(box, filled=False)
    for collection in ax.collections:  # errorbar's whiskers
        for path in collection.get_paths():
            shown = path.transformed(collection.get_transform())
            yield "a whisker", lambda box, shown=shown: shown.intersects_bbox(box, filled=False)


@pytest.mark.parametrize("share", [0.0, 0.31, 0.62, 0.86, 0.9, 0.94, 0.96, 0.99, 1.0])
def test_no_value_label_of_the_target_chart_lies_on_a_whisker_or_the_target_line(share):
    """The 0 % against 100 % trained chart had "96%" drawn over the 100 % line, beside its whisker's cap."""
    from sim.drawing.province_charts import target_figure

    wide = (share, max(0.0, share - 0.08), min(1.0, share + 0.04))
    fig = target_figure(
        [("Tiếp nhận đúng hạn", [wide, (share, share, share)]), ("Xác minh", [(0.2, 0.1, 0.3), wide])],
        ["0% cán bộ được tập huấn", "100% cán bộ được tập huấn"],
        title="Mục tiêu",
        target_label="mục tiêu 100%",
    )
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    labels = [text for text in ax.texts if text.get_text().endswith("%")]
    assert len(labels) == 4
    for label in labels:
        box = label.get_window_extent(renderer).expanded(1.0, 1.0).padded(4)  # a cap is 3 pt either side
        for where, drawn in line_pieces(ax):
            assert not drawn(box), f"«{label.get_text()}» is drawn over {where} at share {share}"
    assert overlapping_labels(fig, labels) == []
    figure_png(fig)
