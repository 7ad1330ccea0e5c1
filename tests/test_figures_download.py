"""present.figures.download_csv: the full table as a CSV, one link on the page."""

from __future__ import annotations

import pandas as pd
import pytest

from inclusion_evidence.present import figures


def test_download_csv_writes_the_table_and_links_it(tmp_path, capsys):
    df = pd.DataFrame({"barrier": ["Cultural beliefs"], "group": ["Refugee women"], "quote": ["“e.g.”"]})
    path = figures.download_csv(df, "ch1-relations", "Every relation (CSV)", directory=tmp_path)
    assert path == tmp_path / "ch1-relations.csv"
    assert pd.read_csv(path).equals(df)
    with pytest.raises(ValueError, match="empty"):
        figures.download_csv(df.iloc[0:0], "ch1-empty", "x", directory=tmp_path)
    with pytest.raises(ValueError, match="figure name"):
        figures.download_csv(df, "Bad Name", "x", directory=tmp_path)
    assert not (tmp_path / "ch1-empty.csv").exists()


def test_show_declared_figures_passes_why_to_the_missing_evidence_note(monkeypatch):
    from inclusion_evidence.present import declared

    notes = []
    monkeypatch.setattr(declared, "missing_evidence_note",
                        lambda what, ids, why="": notes.append((what, ids, why)))
    assert declared.show_declared_figures({"t": pd.DataFrame()}, ["src_a"], "things", lambda n, t: None,
                                          why="It measures access.") is False
    assert notes == [("things", ["src_a"], "It measures access.")]
