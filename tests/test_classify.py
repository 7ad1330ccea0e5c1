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
