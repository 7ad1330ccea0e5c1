"""The Eurostat reader: every published shape gives the same tidy frame; bad files fail clearly."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from helpers import raises_naming, write_text

from inclusion_evidence.ingest.readers.eurostat import read_eurostat

# One small dataset, written below in every shape Eurostat publishes.
# (geo, time, value, flag); the 2020 EU value is missing and confidential.
OBS = [
    ("AT", 2019, "12.3", "u"),
    ("AT", 2020, "11.0", ""),
    ("EU27_2020", 2019, "8.5", "b"),
    ("EU27_2020", 2020, None, "c"),
]
DIMS = ["freq", "unit", "c_birth", "sex", "age"]
CODES = {"freq": "A", "unit": "PC", "c_birth": "FOR", "sex": "T", "age": "Y15-64"}
LABELS = {"freq": "Annual", "unit": "Percentage", "c_birth": "Foreign country", "sex": "Total",
          "age": "From 15 to 64 years"}
GEO_LABELS = {"AT": "Austria", "EU27_2020": "European Union - 27 countries (from 2020)"}

SDMX1_HEADER = "DATAFLOW,LAST UPDATE,freq,unit,c_birth,sex,age,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"
SDMX2_HEADER = ("STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,freq,Time frequency,unit,Unit of measure,"
                "c_birth,Country of birth,sex,Sex,age,Age class,geo,Geopolitical entity (reporting),"
                "TIME_PERIOD,Time,OBS_VALUE,Observation value,OBS_FLAG,"
                "Observation status (Flag) V2 structure,CONF_STATUS,Confidentiality status (flag)")


def _sdmx1_lines(obs=OBS):
    lines = [SDMX1_HEADER]
    for geo, time, value, flag in obs:
        lines.append(f"ESTAT:LFST_R_LFUR2GAC(1.0),27/04/23 03:08:00,A,PC,FOR,T,Y15-64,{geo},{time},"
                     f"{value or ''},{flag}")
    return lines


def sdmx1(tmp_path, obs=OBS):
    return write_text(tmp_path, "\n".join(_sdmx1_lines(obs)) + "\n", "data_sdmx1.csv")


def sdmx2(tmp_path):
    lines = [SDMX2_HEADER]
    for geo, time, value, flag in OBS:
        lines.append(
            f'dataflow,ESTAT:LFST_R_LFUR2GAC(1.0),"Unemployment rates, by country of birth (%)",'
            f"A,Annual,PC,Percentage,FOR,Foreign country,T,Total,Y15-64,From 15 to 64 years,"
            f'{geo},"{GEO_LABELS[geo]}",{time},,{value or ""},,{flag},,,')
    return write_text(tmp_path, "\n".join(lines) + "\n", "data_sdmx2.csv")


def labels_only(tmp_path, geo_labels=GEO_LABELS):
    lines = ["DATAFLOW,LAST UPDATE,freq,unit,c_birth,sex,age,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS"]
    for geo, time, value, flag in OBS:
        dims = ",".join(LABELS[d] for d in DIMS)
        lines.append(f'ESTAT:LFST_R_LFUR2GAC(1.0),21/03/25 23:00:00,{dims},"{geo_labels[geo]}",{time},'
                     f"{value or ''},{flag},")
    return write_text(tmp_path, "\n".join(lines) + "\n", "data_labels.csv")


def jsonstat_doc():
    geos, times = ["AT", "EU27_2020"], [2019, 2020]
    dimension = {d: {"label": d, "category": {"index": {CODES[d]: 0}}} for d in DIMS}
    dimension["geo"] = {"category": {"index": {g: i for i, g in enumerate(geos)}}}
    dimension["time"] = {"category": {"index": {str(t): i for i, t in enumerate(times)}}}
    values, status = {}, {}
    for geo, time, value, flag in OBS:
        pos = geos.index(geo) * len(times) + times.index(time)
        if value is not None:
            values[str(pos)] = float(value)
        if flag:
            status[str(pos)] = flag
    return {"version": "2.0", "class": "dataset", "label": "test",
            "id": [*DIMS, "geo", "time"], "size": [1] * len(DIMS) + [2, 2],
            "dimension": dimension, "value": values, "status": status,
            "extension": {"id": "LFST_R_LFUR2GAC"}}


def jsonstat(tmp_path):
    return write_text(tmp_path, json.dumps(jsonstat_doc()), "data_jsonstat.json")


def bulk_tsv(tmp_path):
    header = "freq,unit,c_birth,sex,age,geo\\TIME_PERIOD\t2019 \t2020 "
    cells = {}
    for geo, time, value, flag in OBS:
        cells.setdefault(geo, []).append(f"{value or ':'} {flag}".rstrip() + " ")
    lines = [header] + [f"A,PC,FOR,T,Y15-64,{geo}\t" + "\t".join(c) for geo, c in cells.items()]
    return write_text(tmp_path, "\n".join(lines) + "\n", "lfst_r_lfur2gac.tsv")


SHAPES = {"sdmx-csv-1.0": sdmx1, "sdmx-csv-2.0": sdmx2, "sdmx-csv-labels": labels_only,
          "json-stat-2.0": jsonstat, "bulk-tsv": bulk_tsv}


def expected_frame() -> pd.DataFrame:
    rows = [{**CODES, "geo": g, "time": t, "value": float(v) if v else np.nan, "flag": f} for g, t, v, f in OBS]
    return pd.DataFrame(rows, columns=[*DIMS, "geo", "time", "value", "flag"])


def _canonical(df: pd.DataFrame) -> pd.DataFrame:
    df = df.sort_values(["geo", "time"]).reset_index(drop=True)
    df.attrs = {}
    return df


# --------------------------------------------------------------------------- every shape, same frame

@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_shape_gives_the_tidy_frame(tmp_path, shape):
    df = read_eurostat(SHAPES[shape](tmp_path))
    assert list(df.columns) == [*DIMS, "geo", "time", "value", "flag"]
    assert df.attrs["shape"] == shape
    assert df["time"].dtype.kind == "i"
    assert df["value"].dtype == float
    got = _canonical(df)
    pd.testing.assert_frame_equal(got, expected_frame(), check_dtype=False)
    # Flags are kept, never dropped; the missing value is NaN, not 0.
    assert got.loc[(got.geo == "AT") & (got.time == 2019), "flag"].item() == "u"
    assert got.loc[(got.geo == "EU27_2020") & (got.time == 2019), "flag"].item() == "b"
    assert np.isnan(got.loc[(got.geo == "EU27_2020") & (got.time == 2020), "value"].item())


def test_all_shapes_agree_with_each_other(tmp_path):
    frames = {name: _canonical(read_eurostat(make(tmp_path))) for name, make in SHAPES.items()}
    first_name, first = next(iter(frames.items()))
    for name, frame in frames.items():
        assert list(frame.columns) == list(first.columns), name
        for col in frame.columns:
            if col == "value":
                assert frame[col].tolist() == pytest.approx(first[col].tolist(), nan_ok=True), name
            else:
                assert frame[col].tolist() == first[col].tolist(), (name, first_name, col)


@pytest.mark.parametrize("shape", ["sdmx-csv-1.0", "sdmx-csv-2.0", "json-stat-2.0"])
def test_dataset_code_is_recorded(tmp_path, shape):
    assert read_eurostat(SHAPES[shape](tmp_path)).attrs["dataset"] == "lfst_r_lfur2gac"


def test_colon_is_a_missing_value_in_csv(tmp_path):
    path = sdmx1(tmp_path, [("AT", 2019, ":", ""), ("AT", 2020, "4", "")])
    df = read_eurostat(path)
    assert np.isnan(df.loc[df.time == 2019, "value"].item())
    assert df.loc[df.time == 2020, "value"].item() == 4.0


def test_bulk_tsv_plain_colon_and_flag_only(tmp_path):
    path = write_text(tmp_path, "freq,unit,geo\\TIME_PERIOD\t2019 \t2020 \nA,PC,AT\t12.3 u\t:\n", "x.tsv")
    df = read_eurostat(path)
    assert df["value"].tolist()[0] == 12.3 and np.isnan(df["value"].tolist()[1])
    assert df["flag"].tolist() == ["u", ""]
    assert list(df.columns) == ["freq", "unit", "geo", "time", "value", "flag"]


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(_sdmx1_lines()).encode())
    assert len(read_eurostat(path)) == len(OBS)


# --------------------------------------------------------------------------- errors name file and problem

def test_empty_file(tmp_path):
    raises_naming(write_text(tmp_path, "", "empty.csv"), read_eurostat, "empty")
    raises_naming(write_text(tmp_path, "\n \n", "blank.csv"), read_eurostat, "empty")


def test_header_only(tmp_path):
    path = write_text(tmp_path, SDMX1_HEADER + "\n", "header.csv")
    raises_naming(path, read_eurostat, "header but no rows")


def test_truncated_csv_cut_mid_line(tmp_path):
    text = "\n".join(_sdmx1_lines())
    cut = text[: text.rindex("EU27_2020") + 4]        # the last line stops inside its geo code
    err = raises_naming(write_text(tmp_path, cut, "cut.csv"), read_eurostat, "truncated")
    assert err.row == len(OBS) + 1                      # the last data line (header is row 1)
    assert f"row {len(OBS) + 1}" in str(err)


def test_html_error_page_saved_as_csv(tmp_path):
    page = "<!DOCTYPE html>\n<html><head><title>Error 503</title></head><body>Service unavailable</body></html>"
    raises_naming(write_text(tmp_path, page, "download.csv"), read_eurostat, "HTML")
    path = write_text(tmp_path, "\n  <html><body>404</body></html>", "lower.csv")
    raises_naming(path, read_eurostat, "HTML")


def test_missing_obs_value_column(tmp_path):
    text = "\n".join(line.rsplit(",", 2)[0] + "," + line.rsplit(",", 1)[1] for line in _sdmx1_lines())
    assert "OBS_VALUE" not in text
    path = write_text(tmp_path, text, "novalue.csv")
    raises_naming(path, read_eurostat, "missing column", "OBS_VALUE")


def test_missing_geo_column(tmp_path):
    lines = [",".join(c for i, c in enumerate(line.split(",")) if i != 7) for line in _sdmx1_lines()]
    assert ",geo," not in lines[0]
    path = write_text(tmp_path, "\n".join(lines), "nogeo.csv")
    err = raises_naming(path, read_eurostat, "missing column", "geo")
    assert "OBS_VALUE" not in err.problem


def test_missing_geo_dimension_in_jsonstat(tmp_path):
    doc = jsonstat_doc()
    doc["id"] = [d for d in doc["id"] if d != "geo"]
    doc["size"] = [1] * len(DIMS) + [2]
    del doc["dimension"]["geo"]
    doc["value"] = {"0": 1.0, "1": 2.0}
    doc["status"] = {}
    raises_naming(write_text(tmp_path, json.dumps(doc), "nogeo.json"), read_eurostat, "geo")


def test_non_numeric_value_names_row_and_column(tmp_path):
    obs = [("AT", 2019, "12.3", ""), ("AT", 2020, "abc", ""), ("DE", 2019, ":", "")]
    err = raises_naming(sdmx1(tmp_path, obs), read_eurostat, "'abc'", "not a number")
    assert err.row == 3 and err.column == "OBS_VALUE"
    assert "row 3" in str(err) and "OBS_VALUE" in str(err)


def test_non_numeric_value_in_bulk_tsv(tmp_path):
    path = write_text(tmp_path, "freq,unit,geo\\TIME_PERIOD\t2019 \t2020 \nA,PC,AT\t12.3 u\tn/a\n", "bad.tsv")
    raises_naming(path, read_eurostat, "'n/a'", "not a number")


def test_duplicated_key(tmp_path):
    obs = [("AT", 2019, "1", ""), ("AT", 2020, "2", ""), ("AT", 2019, "3", "")]
    err = raises_naming(sdmx1(tmp_path, obs), read_eurostat, "duplicated observation", "geo=AT", "time=2019")
    assert err.row == 4


def test_wrong_encoding_latin1(tmp_path):
    text = "\n".join(_sdmx1_lines()).replace("LAST UPDATE", "LAST UPDATE é")
    path = tmp_path / "latin1.csv"
    path.write_bytes(text.encode("latin-1"))
    raises_naming(path, read_eurostat, "not UTF-8")


def test_unknown_label_in_label_only_file(tmp_path):
    path = labels_only(tmp_path, {**GEO_LABELS, "AT": "Atlantis"})
    err = raises_naming(path, read_eurostat, "unknown label 'Atlantis'", "geo")
    assert err.column == "geo" and err.row == 2


def test_unknown_dimension_label(tmp_path):
    path = labels_only(tmp_path)
    path.write_text(path.read_text().replace("Foreign country", "Martians"))
    err = raises_naming(path, read_eurostat, "'Martians'", "c_birth")
    assert err.column == "c_birth"


def test_truncated_jsonstat(tmp_path):
    text = json.dumps(jsonstat_doc())
    path = write_text(tmp_path, text[: len(text) // 2], "cut.json")
    raises_naming(path, read_eurostat, "invalid JSON", "truncated")


def test_jsonstat_without_value_member(tmp_path):
    doc = jsonstat_doc()
    del doc["value"]
    raises_naming(write_text(tmp_path, json.dumps(doc), "novalue.json"), read_eurostat, "'value'")


def test_jsonstat_index_outside_cube(tmp_path):
    doc = jsonstat_doc()
    doc["value"]["99"] = 1.0
    path = write_text(tmp_path, json.dumps(doc), "cube.json")
    raises_naming(path, read_eurostat, "outside the cube")


def test_bulk_tsv_ragged_line(tmp_path):
    path = write_text(tmp_path, "freq,unit,geo\\TIME_PERIOD\t2019 \t2020 \nA,PC,AT\t12.3 u\n", "ragged.tsv")
    err = raises_naming(path, read_eurostat, "tab-separated")
    assert err.row == 2


def test_missing_file(tmp_path):
    raises_naming(tmp_path / "nowhere.csv", read_eurostat, "not found")
