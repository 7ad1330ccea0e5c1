"""Key findings (issue 15) and headline statistics that respect Eurostat's flags (issue 14, item 5)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from docutils.core import publish_doctree
from myst_parser.parsers.docutils_ import Parser

from inclusion_evidence.core import flags
from inclusion_evidence.present import findings as fnd
from inclusion_evidence.present.findings import Finding, Value, key_findings_markdown

# --- flags ---------------------------------------------------------------------------------------


def test_only_u_counts_as_low_reliability_and_missing_flags_are_reliable():
    assert flags.LOW_RELIABILITY == frozenset("u")
    marks = pd.Series(["u", "bu", "b", "e", "p", None, float("nan"), "", "U"])
    assert flags.low_reliability(marks).tolist() == [True, True, False, False, False, False, False, False, True]


def test_with_reliability_appends_the_warning_only_when_flagged():
    assert flags.with_reliability("28.0 pp", "u") == "28.0 pp (low reliability)"
    assert flags.with_reliability("28.0 pp", "b") == "28.0 pp"
    assert flags.with_reliability("28.0 pp", None) == "28.0 pp"


GAPS = pd.DataFrame({"geo": ["AT", "BE", "SE", "LU", "EL"],
                     "gap": [12.0, 28.0, 19.5, None, -3.0],
                     "flag": [None, "u", "b", "u", None]})


def test_headline_max_uses_reliable_values_and_warns_about_a_flagged_overall_max():
    result = flags.headline_extreme(GAPS, "gap", "flag", how="max")
    assert result.reliable["geo"] == "SE" and result.reliable["gap"] == 19.5
    assert result.overall["geo"] == "BE" and result.warning == "low reliability"
    assert not result.overall_is_reliable


def test_headline_min_and_a_reliable_overall_extreme():
    result = flags.headline_extreme(GAPS, "gap", "flag", how="min")
    assert result.reliable["geo"] == "EL" and result.overall["geo"] == "EL" and result.warning == ""


def test_headline_when_every_value_is_flagged_or_no_flag_column():
    every = GAPS.assign(flag="u")
    result = flags.headline_extreme(every, "gap", "flag")
    assert result.reliable is None and result.overall["geo"] == "BE" and result.warning
    assert flags.headline_extreme(GAPS.drop(columns="flag"), "gap", None).reliable["geo"] == "BE"


@pytest.mark.parametrize("kwargs,match", [({"how": "median"}, "max"), ({"value": "nope"}, "no column")])
def test_headline_bad_arguments(kwargs, match):
    args = {"frame": GAPS, "value": "gap", "flag": "flag", **kwargs}
    with pytest.raises(ValueError, match=match):
        flags.headline_extreme(**args)


# --- findings ------------------------------------------------------------------------------------


def _employment(rate=61.04, nationals=75.9, flag=None, missing=None):
    return Finding("ch1_key_employment",
                   "In {year}, {rate} of non-EU citizens aged 20-64 in the {scope} were employed, "
                   "against {nationals} of nationals.",
                   {"rate": Value(rate, "{:.1f}%", flag=flag), "nationals": Value(nationals, "{:.1f}%")},
                   source="Eurostat, lfsa_ergan", scope="EU-27", year=2023, missing=missing)


def test_finding_fills_its_numbers_from_code_with_their_formats():
    f = _employment()
    assert f.sentence() == ("In 2023, 61.0% of non-EU citizens aged 20-64 in the EU-27 were employed, "
                            "against 75.9% of nationals.")
    assert f.provenance() == "EU-27; Eurostat, lfsa_ergan, 2023"
    assert _employment(rate=58.25).sentence().startswith("In 2023, 58.2% ")   # the data change, the text too


def test_flagged_value_says_low_reliability_in_the_same_sentence():
    assert "61.0% (low reliability) of non-EU" in _employment(flag="u").sentence()


def test_missing_data_gives_a_plain_not_available_sentence():
    assert _employment(missing="the 2023 LFS file is not in this edition").sentence() == (
        "Not available: the 2023 LFS file is not in this edition.")
    assert _employment(rate=math.nan).sentence() == "Not available: the data give no value for rate."
    assert _employment(rate=None).reason_missing


def test_template_naming_an_absent_value_is_an_error():
    with pytest.raises(ValueError, match="gap"):
        Finding("k1", "The gap was {gap}.", {}, source="x")
    with pytest.raises(ValueError, match="key"):
        Finding("bad key!", "x", {})


def test_markdown_has_the_list_then_what_this_means_and_every_value_is_text():
    sneaky = Finding("ch7_key_top", "The largest group were {who}.", {"who": "<script>x</script> *Syria*"},
                     source="Eurostat, migr_asyunaa", year=2016)
    gone = Finding("ch1_key_missing", "x {y}", {}, missing="no file")
    text = key_findings_markdown([_employment(), sneaky, gone], meaning=["The gap is wide.", "The data cannot show the effect of a policy."])
    tree = publish_doctree(text, parser=Parser(), settings_overrides={"report_level": 5})
    items = [n.astext() for n in tree.findall() if n.__class__.__name__ == "list_item"]
    assert len(items) == 3
    assert items[0].startswith("In 2023, 61.0% of non-EU citizens") and "(EU-27; Eurostat, lfsa_ergan, 2023)" in items[0]
    assert items[1].startswith("The largest group were <script>x</script> *Syria*.")
    assert items[2] == "Not available: no file."
    body = tree.astext()
    assert body.index("Key findings") < body.index("What this means for the Partnership") < body.index("The gap is wide.")
    assert not {n.__class__.__name__ for n in tree.findall()} & {"raw", "reference", "literal"}
    assert sum(1 for n in tree.findall() if n.__class__.__name__ == "emphasis") == 2   # provenance only


def test_findings_are_glued_under_stable_keys(monkeypatch):
    glued = {}
    monkeypatch.setattr("myst_nb.glue", lambda key, value, display=True: glued.__setitem__(key, (value, display)))
    shown = []
    monkeypatch.setattr(fnd, "show_markdown", shown.append)
    result = fnd.show_key_findings([_employment(), Finding("ch1_key_none", "x", {}, missing="no file")],
                                   meaning="What it means.")
    assert glued["ch1_key_employment"][0].startswith("In 2023, 61.0%")
    assert glued["ch1_key_employment_rate"] == ("61.0%", False)
    assert glued["ch1_key_employment_nationals"] == ("75.9%", False)
    assert glued["ch1_key_none"] == ("Not available: no file.", False)
    assert result == {k: v for k, (v, _) in glued.items()}
    assert shown and shown[0].startswith("````{admonition} Key findings")


def test_no_findings_or_no_meaning_is_an_error():
    with pytest.raises(ValueError, match="no findings"):
        key_findings_markdown([], "x")
    with pytest.raises(ValueError, match="What this means"):
        key_findings_markdown([_employment()], " ")
    with pytest.raises(ValueError, match="duplicate"):
        key_findings_markdown([_employment(), _employment()], "x")
