"""The processed tables' schemas (pandera): each rule, the messages, and the guard in `process`."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.ingest import schemas
from inclusion_evidence.ingest.schemas import validate_table
from inclusion_evidence.orchestration import process

REAL_PROCESSED, REAL_RAW, REAL_CATALOGUE = paths.PROCESSED, paths.RAW, paths.CATALOGUE


def tidy(**changes):
    """A small tidy lfst_r_lfur2gac frame (unit PC); ``changes`` = {column: {row: value}}."""
    frame = pd.DataFrame({
        "freq": ["A"] * 4, "unit": ["PC"] * 4, "c_birth": ["TOTAL", "FOR", "TOTAL", "FOR"], "sex": ["T"] * 4,
        "age": ["Y15-64"] * 4, "geo": ["AT11", "AT11", "DE", "DE"], "time": [2021, 2021, 2022, 2022],
        "value": [5.2, 9.9, 3.1, float("nan")], "flag": ["", "u", "b", ""]})
    for column, cells in changes.items():
        if frame[column].dtype.kind in "if" and any(isinstance(v, str) for v in cells.values()):
            frame[column] = frame[column].astype(object)          # text where numbers belong
        for i, value in cells.items():
            frame.loc[i, column] = value
    return frame


def error(name, frame, **kwargs):
    with pytest.raises(DataError) as exc:
        validate_table(name, frame, "new.csv", **kwargs)
    return str(exc.value)


@pytest.fixture(autouse=True)
def no_gisco(project):
    """No GISCO files (the conftest project is empty): regional codes are checked by shape and country prefix."""


def test_good_frame_passes():
    validate_table("lfst_r_lfur2gac", tidy(), "new.csv")


@pytest.mark.parametrize("changes, words", [
    ({"value": {0: 140.0}}, ["row 1, column 'value'", "140.0 (geo AT11, time 2021) is outside 0-100"]),
    ({"value": {2: -3.0}}, ["row 3, column 'value'", "-3.0 (geo DE, time 2022) is outside 0-100"]),
    ({"value": {1: "n/a"}}, ["row 2, column 'value'", "'n/a' (geo AT11, time 2021) is not a number"]),
    ({"geo": {1: "ZZ11"}}, ["row 2, column 'geo'", "'ZZ11'", "not a known geo code"]),
    ({"geo": {2: "XX"}}, ["row 3, column 'geo'", "'XX'", "not a known geo code"]),
    ({"sex": {0: "X"}}, ["column 'sex'", "'X'", "is not one of: F, M, T, UNK"]),
    ({"c_birth": {0: "Foreign country"}}, ["column 'c_birth'", "'Foreign country'", "a label instead of a code"]),
    ({"time": {3: 1890}}, ["row 4, column 'time'", "1890", "not a plausible period"]),
    ({"flag": {1: "low"}}, ["row 2, column 'flag'", "'low'", "is not a Eurostat flag"]),
    ({"c_birth": {1: "TOTAL"}}, ["row 2", "duplicated key", "geo=AT11, time=2021", "rows 1 and 2"]),
])
def test_eurostat_rules(changes, words):
    message = error("lfst_r_lfur2gac", tidy(**changes))
    assert message.startswith("new.csv, ") and message.endswith("[table lfst_r_lfur2gac]"), message
    for word in words:
        assert word in message, message


def test_counts_cannot_be_negative_and_other_units_are_not_percentages():
    counts = tidy(unit={0: "NR", 1: "NR", 2: "NR", 3: "NR"}, value={0: 250.0, 2: -1.0})
    message = error(schemas.EUROSTAT, counts)
    assert "row 3, column 'value'" in message and "-1.0" in message and "is negative" in message
    assert "250" not in message                                            # 250 persons is fine


def test_monthly_periods_are_text():
    frame = tidy().assign(freq="M", time=["2021-01", "2021-02", "2021-01", "2021-13x"])
    message = error(schemas.EUROSTAT, frame)
    assert "row 4, column 'time'" in message and "'2021-13x'" in message


def test_dimensions_of_an_edition_table_are_exact():
    renamed = tidy().rename(columns={"c_birth": "birth"})
    message = error("lfst_r_lfur2gac", renamed)
    assert "column 'c_birth': missing column" in message and "column 'birth': unexpected column" in message
    extra = tidy().assign(isced11="TOTAL")
    assert "column 'isced11': unexpected column" in error("lfst_r_lfur2gac", extra)


def test_declared_tables_need_the_dimensions_the_chapters_use():
    frame = tidy().rename(columns={"c_birth": "citizen"}).assign(reason="TOOEXP")
    validate_table("hlth_silc_30", frame, "new.csv")                     # any other dimensions welcome
    assert "column 'reason': missing column" in error("hlth_silc_30", frame.drop(columns="reason"))
    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                          (("geo", "str"), ("time", "int64"), ("value", "float64"), ("flag", "str"))})
    validate_table("hlth_silc_30", empty, "new.csv")                     # not supplied yet: empty is fine


def test_first_row_and_column_names_map_to_the_file():
    message = error("lfst_r_lfur2gac", tidy(value={1: 101.0}), first_row=2,
                    column_names={"value": "OBS_VALUE"})
    assert "new.csv, row 3, column 'OBS_VALUE': 101.0" in message


def test_message_lists_the_first_failures_and_counts_the_rest():
    frame = pd.concat([tidy()] * 3, ignore_index=True)
    frame["time"] = range(2000, 2012)
    frame["value"] = [150.0] * 12
    message = error("lfst_r_lfur2gac", frame)
    assert message.startswith("new.csv, row 1, column 'value': 150.0")
    assert "; also row 2, column 'value'" in message and "row 4, column 'value'" in message
    assert "and 8 more" in message


def test_other_tables_have_their_own_rules():
    cities = pd.DataFrame({"name": ["Wien", "Graz"], "lat": [48.2, 47.1], "lon": [16.4, 15.4],
                           "population": pd.array([2000000, -5], dtype="Int64"), "geo": ["AT", "AT"]})
    message = error("eurocities", cities)
    assert "row 2, column 'population'" in message
    assert "-5 (geo AT) is below 0 (a count or amount cannot be negative)" in message
    survey = pd.DataFrame({"geo": ["AT"], "subset": ["Gay"], "question_code": ["c10"], "answer": ["Yes"],
                           "percentage": [104.0]})
    assert "column 'percentage'" in error("fra_lgbt_2012", survey)
    assert "column 'question_code': missing column" in error("fra_lgbt_2012", survey.drop(columns="question_code"))


def test_tables_without_a_schema_pass():
    validate_table("tmp_anything", pd.DataFrame({"x": [1]}), "new.csv")


def test_every_processed_table_has_a_schema():
    steps = process.load_steps()
    missing = [o for st in steps.values() for o in st.outputs if not schemas.has_schema(o)]
    assert not missing, f"declare a schema in schemas.py for: {missing}"


# --------------------------------------------------------------------------- geo codes from GISCO files

def test_nuts_codes_come_from_the_gisco_files(tmp_path):
    raw = paths.RAW
    (raw / "gisco").mkdir(parents=True)
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]},
               "properties": {"NUTS_ID": "AT11", "LEVL_CODE": 2, "CNTR_CODE": "AT", "NAME_LATN": "B"}}
    (raw / "gisco" / "NUTS_RG_TEST.geojson").write_text(json.dumps({"type": "FeatureCollection",
                                                                    "features": [feature]}))
    paths.CATALOGUE.write_text(yaml.safe_dump({"sources": [{
        "id": "gisco_test", "publisher": "GISCO", "dataset": "NUTS", "title": "NUTS", "format": "geojson",
        "url": "https://example.invalid", "licence": "CC BY 4.0", "path": "gisco/NUTS_RG_TEST.geojson",
        "status": "declared"}]}))
    assert schemas.nuts_codes() == {"AT11"}
    known = schemas.known_geo(pd.Series(["AT11", "AT12", "AT", "EU27_2020", "UKI1"]))
    assert known.tolist() == [True, False, True, True, True]      # UKI1: an earlier NUTS code Eurostat keeps


def test_without_gisco_files_regional_codes_are_checked_by_shape():
    assert schemas.nuts_codes() == frozenset()
    known = schemas.known_geo(pd.Series(["AT12", "ZZ12", "AT", "at12", "AT1234"]))
    assert known.tolist() == [True, False, True, False, False]


# --------------------------------------------------------------------------- the guard in process

def test_process_writes_no_table_of_a_step_when_one_fails():
    st = process.Step("tmp_schema_step", (), ("lfst_r_lfur2gac", "tmp_other"), lambda sources: {})
    process._write_outputs(st, {"lfst_r_lfur2gac": tidy(), "tmp_other": pd.DataFrame({"x": [1]})})
    before = {p.name: p.read_bytes() for p in paths.PROCESSED.iterdir()}
    with pytest.raises(DataError) as exc:
        process._write_outputs(st, {"tmp_other": pd.DataFrame({"x": [2]}),
                                    "lfst_r_lfur2gac": tidy(value={0: 140.0})})
    message = str(exc.value)
    assert "lfst_r_lfur2gac.parquet, row 1, column 'value': 140.0" in message
    assert {p.name: p.read_bytes() for p in paths.PROCESSED.iterdir()} == before


def test_real_processed_tables_pass():
    """Every table of this edition satisfies its schema (skipped before `make data`)."""
    tables = sorted(REAL_PROCESSED.glob("*.parquet"))
    if not tables:
        pytest.skip("data/processed/ not built")
    from inclusion_evidence.orchestration.process import read_table

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(paths, "PROCESSED", REAL_PROCESSED)
        mp.setattr(paths, "RAW", REAL_RAW)
        mp.setattr(paths, "CATALOGUE", REAL_CATALOGUE)
        for path in tables:
            validate_table(path.stem, read_table(path.stem), path)
