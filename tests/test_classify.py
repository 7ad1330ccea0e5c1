"""Map class breaks: the numpy implementation gives mapclassify's breaks."""

from __future__ import annotations

import mapclassify
import numpy as np
import pandas as pd
import pytest

from inclusion_evidence.present.maps import classify

pytestmark = pytest.mark.filterwarnings("ignore:Numba not installed")

REFERENCE = {"quantiles": mapclassify.Quantiles, "equalinterval": mapclassify.EqualInterval,
             "fisherjenks": mapclassify.FisherJenks}


def samples():
    rng = np.random.default_rng(7)
    yield "uniform", rng.uniform(0, 40, 242)
    yield "skewed", rng.lognormal(1.5, 0.8, 180)
    yield "few", np.array([3.0, 5.5, 9.25, 12.0, 30.5, 31.0, 47.0])
    yield "with ties", np.round(rng.normal(10, 3, 120), 0)


@pytest.mark.parametrize("scheme", sorted(REFERENCE))
@pytest.mark.parametrize("label,values", list(samples()), ids=[s[0] for s in samples()])
def test_breaks_match_mapclassify(scheme, label, values):
    k = 5
    ours = classify(pd.Series(values), scheme, k).bins
    theirs = REFERENCE[scheme](values, k=k).bins
    if scheme == "fisherjenks" and label == "with ties":
        # Several partitions can be optimal with tied values; compare the objective instead.
        assert _within_ss(values, ours) == pytest.approx(_within_ss(values, theirs))
    else:
        np.testing.assert_allclose(ours, theirs, rtol=1e-9)


@pytest.mark.parametrize("label,values", list(samples()), ids=[s[0] for s in samples()])
def test_head_tail_breaks_match_mapclassify(label, values):
    np.testing.assert_allclose(classify(pd.Series(values), "headtailbreaks").bins,
                               mapclassify.HeadTailBreaks(values).bins, rtol=1e-9)


def _within_ss(values, bins):
    classes = np.searchsorted(bins, values, side="left")
    return sum(((values[classes == c] - values[classes == c].mean()) ** 2).sum() for c in np.unique(classes))


def test_naturalbreaks_is_served_by_fisher_jenks_and_names_itself():
    values = pd.Series([1.0, 2, 3, 10, 11, 12, 30, 31, 32, np.nan])
    result = classify(values, "naturalbreaks", 3)
    assert result.name == "Fisher-Jenks natural breaks"
    assert list(result.bins) == [3.0, 12.0, 32.0]


def test_k_is_capped_by_distinct_values_and_missing_values_are_ignored():
    result = classify(pd.Series([4.0, 4.0, 9.0, None]), "quantiles", 5)
    assert list(result.bins) == [4.0, 9.0]


@pytest.mark.parametrize("scheme", ["jenks_caspall", "", "percentiles"])
def test_unknown_scheme_is_refused_with_the_choices(scheme):
    with pytest.raises(ValueError, match="choose one of quantiles"):
        classify(pd.Series([1.0, 2.0, 3.0]), scheme)


def test_no_values_is_an_error():
    with pytest.raises(ValueError, match="no values"):
        classify(pd.Series([np.nan, np.nan]), "quantiles")


# --- Palette and classes from the data's sign (issue 14, item 3) -------------------------------

from inclusion_evidence.present.figures import is_signed, value_palette  # noqa: E402
from inclusion_evidence.present.maps import map_classes  # noqa: E402


def _gaps():
    rng = np.random.default_rng(11)
    return pd.Series(np.round(rng.normal(2.0, 6.0, 240), 1))


@pytest.mark.parametrize("scheme", ["quantiles", "equalinterval", "fisherjenks", "headtailbreaks"])
@pytest.mark.parametrize("k", [2, 5, 7])
def test_signed_data_get_a_diverging_palette_and_no_class_straddles_zero(scheme, k):
    values = _gaps()
    assert values.min() < 0 < values.max()
    classes = map_classes(values, scheme, k)
    assert classes.kind == "diverging" and classes.cmap == "RdBu_r"
    assert 0.0 in classes.edges
    for low, high in classes.intervals:
        assert not (low < 0 < high), (low, high)
    index = classes.assign(values)
    for v, i in zip(values, index):
        low, high = classes.intervals[i]
        assert low <= v <= high
        assert high <= 0 if v < 0 else low >= 0
    # negatives and positives never share a class
    assert not set(index[values.to_numpy() < 0]) & set(index[values.to_numpy() > 0])
    assert "0" in classes.name


def test_classes_on_each_side_are_coloured_from_the_two_ends_of_the_diverging_map():
    classes = map_classes(pd.Series([-9.0, -5, -1, 2, 4, 8, 12, 15]), "quantiles", 4)
    reds_and_blues = [(c[0] - c[2]) for c in classes.colours]   # red minus blue
    lows = [low for low, _ in classes.intervals]
    assert all(rb < 0 for rb, low in zip(reds_and_blues, lows) if low < 0)     # blue below zero
    assert all(rb > 0 for rb, low in zip(reds_and_blues, lows) if low >= 0)    # red above zero


def test_one_sided_data_get_a_sequential_palette():
    rates = pd.Series(np.linspace(2.0, 31.0, 50))
    classes = map_classes(rates, "quantiles", 5)
    assert classes.kind == "sequential" and classes.cmap == "YlGnBu"
    np.testing.assert_allclose([h for _, h in classes.intervals], classify(rates, "quantiles", 5).bins)
    assert value_palette(rates).kind == "sequential"
    # one-sided negative data: the map is reversed so colour deepens away from zero
    assert map_classes(-rates, "quantiles", 5).cmap == "YlGnBu_r"


def test_each_side_gets_at_least_two_classes_when_k_allows():
    skewed = pd.Series([-11.1, -9.0, -7.5, -6.0, -5.8, -4.0, -3.4, -3.0, -2.5, -2.0, -1.0, -0.5, 0.4, 3.0, 14.2])
    classes = map_classes(skewed, "quantiles", 5)
    lows = [low for low, _ in classes.intervals]
    assert sum(low >= 0 for low in lows) == 2 and sum(low < 0 for low in lows) == 3
    assert len(map_classes(skewed, "quantiles", 3).intervals) == 3


def test_declared_signed_gaps_are_diverging_even_when_all_positive():
    gaps = pd.Series([0.5, 1.0, 3.0, 7.5, 9.0])
    classes = map_classes(gaps, "quantiles", 5, signed=True)
    assert classes.kind == "diverging" and classes.intervals[0][0] == 0.0
    palette = value_palette(gaps, signed=True)
    assert palette.vmin == -palette.vmax == -9.0


def test_a_one_sided_palette_for_two_sided_data_is_refused():
    with pytest.raises(ValueError, match="both sides of zero"):
        is_signed([-1.0, 2.0], signed=False)


def test_a_map_of_the_wrong_kind_is_replaced_without_a_warning_on_the_page(recwarn):
    assert map_classes(_gaps(), "quantiles", 5, cmap="YlOrRd").cmap == "RdBu_r"
    assert map_classes(_gaps().abs(), "quantiles", 5, cmap="PuOr").cmap == "YlGnBu"
    assert len(recwarn) == 0
    assert map_classes(_gaps(), "quantiles", 5, cmap="PuOr").cmap == "PuOr"
