"""Declared sources' sections (present.declared) and the set-up of the citizenship chapters (present.citizenship)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from inclusion_evidence.present import citizenship, declared  # noqa: E402


def _gaps(geo=("AT", "BE")):
    return pd.DataFrame({"country": [f"Country {g}" for g in geo], "geo": list(geo), "item": "Any",
                         "reference": [5.0, 6.0][:len(geo)], "group": [9.0, 7.5][:len(geo)],
                         "flag": ["", "u"][:len(geo)], "year": 2019})


def test_declared_results_keep_only_tables_and_results_with_rows():
    tables = {"empty": pd.DataFrame(), "none_in_scope": pd.DataFrame({"x": [1]}), "full": pd.DataFrame({"x": [2]})}
    calls = []

    def prepare(table):
        calls.append(int(table["x"].iloc[0]))
        return table.iloc[0:0] if table["x"].iloc[0] == 1 else table

    out = declared.declared_results(tables, prepare)
    assert list(out) == ["full"] and calls == [1, 2]  # an empty table is never prepared


@pytest.mark.parametrize("dim, nat, group_words", [("citizen", "nationals", "non-eu citizens"),
                                                    ("c_birth", "native-born", "born outside the eu")])
def test_gap_panels_figure_names_groups_by_the_tables_dimension(dim, nat, group_words):
    gaps = _gaps()
    figure = declared.gap_panels_figure(
        {"hlth_x_1": gaps}, group="NEU27_2020_FOR", scope="EU-27", prefix="chx-thing", panel="item",
        xlabel="%", subject="Has a thing", survey="EHIS", alt="Panels ({scope}): {nat} and {group}.",
        source_ids={"hlth_x_1": "eurostat_hlth_silc_29"})
    table = pd.DataFrame({dim: ["NAT"], "geo": ["AT"]})
    assert figure("hlth_x_2", table) is None  # a table without a result draws nothing
    spec = figure("hlth_x_1", table)
    try:
        assert spec["name"] == "chx-thing-hlth-x-1"
        assert spec["title"] == f"Has a thing: {nat} and {group_words}, EU-27, 2019"
        # The table's catalogue entry, not its name: publisher and dataset code (and retrieval date, if any).
        assert spec["source"].startswith("Eurostat, hlth_silc_29")
        assert spec["source"].endswith("; EHIS, 2019")
        assert spec["alt"] == f"Panels (EU-27): {nat} and {group_words}."
        assert spec["data"] is gaps and spec["caption"] == "(u): low reliability."
        assert len(spec["fig"].axes) >= 1
    finally:
        plt.close(spec["fig"])


def test_citizenship_page_words_and_countries():
    page = citizenship.citizenship_page("NEU27_2020_FOR", "EU27", ["BE", "AT", "US"])
    assert page.group == "Non-EU citizens" and page.group_lc == "non-EU citizens"
    assert page.scope_countries.endswith("countries") and page.scope in page.scope_countries
    assert page.in_scope == ["AT", "BE"]  # sorted, kept to the scope
    assert len(citizenship.citizenship_page("FOR", "EU27").in_scope) == 27
    with pytest.raises(ValueError, match="citizen_group 'XX'"):
        citizenship.citizenship_page("XX", "EU27")


def test_show_wrapped_wraps_the_title_and_raises_small_text(monkeypatch):
    shown = []
    monkeypatch.setattr(citizenship, "show_figure", lambda fig, name, **kw: shown.append((name, kw)))
    fig, ax = plt.subplots()
    ax.set_xlabel("x", fontsize=5)
    try:
        citizenship.show_wrapped(fig, "n", title="word " * 30, source="s")
        name, kw = shown[0]
        assert name == "n" and kw["source"] == "s"
        assert all(len(line) <= citizenship.TITLE_WIDTH for line in kw["title"].splitlines())
        assert kw["title"].count("\n") >= 1
        assert ax.xaxis.label.get_fontsize() >= 9
    finally:
        plt.close(fig)
