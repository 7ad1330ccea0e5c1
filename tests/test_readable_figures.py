"""Text in figures stays readable (at least 9 pt) and unpublished heatmap cells say so."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from inclusion_evidence.present import charts, figures  # noqa: E402


def _sizes(fig):
    import matplotlib.text as mtext

    fig.canvas.draw()
    return [t.get_fontsize() for t in fig.findobj(mtext.Text) if t.get_text()]


def test_raise_small_text_lifts_ticks_legends_and_notes_to_nine_points():
    fig, ax = plt.subplots()
    ax.barh(["a", "b"], [1, 2], label="bars")
    ax.tick_params(labelsize=6)
    ax.legend(fontsize=7)
    ax.annotate("note", (1, 0), fontsize=5)
    ax.set_title("big", fontsize=14)
    assert min(_sizes(fig)) < 9
    assert figures.raise_small_text(fig) > 0
    sizes = _sizes(fig)
    assert min(sizes) >= 9 and max(sizes) == 14  # larger text is left alone
    plt.close(fig)


def test_mark_missing_cells_writes_in_each_unpublished_cell():
    m = pd.DataFrame({"a": [1.0, None], "b": [None, 4.0]})
    fig = charts.matrix_heatmap(m, xlabel="", ylabel="")
    ax = fig.axes[0]
    assert charts.mark_missing_cells(ax, m.isna()) == 2
    marks = [(t.get_position(), t.get_text()) for t in ax.texts if t.get_text() == "n/p"]
    assert sorted(p for p, _ in marks) == [(0, 1), (1, 0)]
    plt.close(fig)
