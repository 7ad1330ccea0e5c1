"""Series breaks are marked on trends, not spliced silently (issue 14, item 6)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from inclusion_evidence.present import charts  # noqa: E402

SERIES = pd.DataFrame({"year": [2017, 2018, 2019, 2020, 2021] * 2,
                       "score": [50, 50, 50, 36, 37, 29, 29, 29, 17, 18],
                       "geo": ["SK"] * 5 + ["HU"] * 5})


def _dashed_verticals(ax):
    return [line for line in ax.get_lines()
            if line.get_linestyle() == "--" and len(set(line.get_xdata())) == 1]


def test_trend_marks_each_break_between_two_years_with_its_label():
    fig = charts.trend_lines(SERIES, x="year", y="score", hue="geo", ylabel="MIPEX score",
                             breaks=[(2020, "MIPEX EU edition from 2020"), (2019, "other")])
    ax = fig.axes[0]
    assert sorted(line.get_xdata()[0] for line in _dashed_verticals(ax)) == [2018.5, 2019.5]
    texts = [t.get_text().strip() for t in ax.texts]
    assert "MIPEX EU edition from 2020" in texts and "other" in texts
    # the break lines stay out of the legend
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SK", "HU"]
    plt.close(fig)


def test_no_breaks_no_marks():
    fig = charts.trend_lines(SERIES, x="year", y="score", hue="geo", ylabel="MIPEX score")
    assert _dashed_verticals(fig.axes[0]) == [] and len(fig.axes[0].texts) == 0
    plt.close(fig)
