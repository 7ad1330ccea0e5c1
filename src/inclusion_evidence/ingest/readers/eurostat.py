"""One reader for every shape in which Eurostat publishes a dataset.

Whatever the shape (SDMX-CSV 1.0, SDMX-CSV 2.0 with labels, a label-only
Data Browser export, JSON-stat 2.0 or the bulk TSV), :func:`read_eurostat`
returns the same tidy frame: one column per dimension holding Eurostat
*codes*, then ``geo``, ``time``, ``value`` and ``flag``. Flags such as ``u``
(low reliability) or ``b`` (break in series) are kept, never dropped; ``:``
becomes a missing value.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from inclusion_evidence.core.errors import DataError
from inclusion_evidence.ingest.readers._common import read_text

TIDY_TAIL = ["geo", "time", "value", "flag"]

# Columns that describe the dataset or the observation, not a dimension.
_SDMX_META = {
    "DATAFLOW", "LAST UPDATE", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME",
    "TIME_PERIOD", "Time", "OBS_VALUE", "Observation value", "OBS_FLAG",
    "Observation status (Flag) V2 structure", "CONF_STATUS",
    "Confidentiality status (flag)",
}
_DIMENSION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FREQ_LABELS = {"Annual": "A", "Monthly": "M", "Quarterly": "Q", "Semi-annual": "S"}

# Label-only exports carry labels instead of codes. These are the labels met
# in the book's files; an unknown label stops the reader rather than
# producing a half-coded frame.
LABEL_CODES: dict[str, dict[str, str]] = {
    "citizen": {
        "Total": "TOTAL",
        "Reporting country": "NAT",
        "Foreign country": "FOR",
        "Foreign country and stateless": "FOR_STLS",
        "EU27 countries (from 2020) except reporting country": "EU27_2020_FOR",
        "Non-EU27 countries (from 2020) nor reporting country": "NEU27_2020_FOR",
        "EU28 countries (2013-2020) except reporting country": "EU28_FOR",
        "Non-EU28 countries (2013-2020) nor reporting country": "NEU28_FOR",
        "European Free Trade Association except reporting country": "EFTA_FOR",
        "Non-EU27 countries (from 2020) nor EFTA countries": "NEU27_2020_NEFTA",
    },
    "lev_perc": {
        "Very good": "VG", "Good": "G", "Fair": "F", "Bad": "B", "Very bad": "VB",
        "Very good or good": "VG_G", "Bad or very bad": "B_VB",
    },
    "sex": {"Total": "T", "Males": "M", "Females": "F"},
    "age": {"Total": "TOTAL", "16 years or over": "Y_GE16", "18 years or over": "Y_GE18",
            "From 15 to 64 years": "Y15-64"},
    "unit": {"Percentage": "PC", "Euro": "EUR", "Person": "PER", "Number": "NR"},
    "indic_il": {"Median equivalised net income": "MED_E",
                 "Mean equivalised net income": "MEI_E"},
    "reason": {"Total": "TOTAL"},
    "duration": {"Total": "TOTAL"},
}
LABEL_CODES["c_birth"] = {
    k.replace("Foreign country and stateless", "Foreign country"): v.replace("FOR_STLS", "FOR")
    for k, v in LABEL_CODES["citizen"].items()
}

# Aggregates named in label-only exports; countries come from geo_codes.
GEO_AGGREGATES = {
    "European Union - 27 countries (from 2020)": "EU27_2020",
    "European Union - 28 countries (2013-2020)": "EU28",
    "European Union - 27 countries (2007-2013)": "EU27_2007",
    "European Union (EU6-1958, EU9-1973, EU10-1981, EU12-1986, EU15-1995, EU25-2004, "
    "EU27-2007, EU28-2013, EU27-2020)": "EU",
    "Euro area (EA11-1999, EA12-2001, EA13-2007, EA15-2008, EA16-2009, EA17-2011, "
    "EA18-2014, EA19-2015, EA20-2023)": "EA",
    "Euro area - 18 countries (2014)": "EA18",
    "Euro area - 19 countries  (2015-2022)": "EA19",
    "Euro area – 20 countries (from 2023)": "EA20",
}


def read_eurostat(path: str | Path) -> pd.DataFrame:
    """Read a Eurostat file of any supported shape into the tidy frame.

    Parameters
    ----------
    path
        An SDMX-CSV (1.0, 2.0 with labels, or label-only), JSON-stat 2.0
        (``.json``) or bulk TSV (``.tsv``) file.

    Returns
    -------
    pandas.DataFrame
        Dimension columns (codes), then ``geo``, ``time`` (int for annual
        data, str otherwise), ``value`` (float, NaN for ``:``) and ``flag``
        (str, ``""`` when none). ``attrs['dataset']`` holds the dataset code.
    """
    path = Path(path)
    text = read_text(path, "Eurostat files are UTF-8: download again, or re-save the file as UTF-8")
    head = text.lstrip()[:200].lower()
    if head.startswith("<!doctype html") or head.startswith("<html"):
        raise DataError(path, "is an HTML page, not data (a failed download saved under a data name?)")
    if head.startswith("{"):
        frame = _read_jsonstat(path, text)
    elif "\\time_period" in text.split("\n", 1)[0].lower():
        frame = _read_bulk_tsv(path, text)
    else:
        frame = _read_sdmx_csv(path, text)
    return _finish(path, frame)


def _read_sdmx_csv(path: Path, text: str) -> pd.DataFrame:
    header = next(csv.reader(io.StringIO(text)))
    first_line = text.split("\n", 1)[0]
    if first_line.count(";") > first_line.count(","):
        raise DataError(path, "is separated by semicolons (as a spreadsheet in some locales saves a CSV); "
                              "Eurostat's SDMX-CSV is comma-separated: download it again, or save it with commas",
                        row=1)
    missing = [c for c in ("TIME_PERIOD", "OBS_VALUE") if c not in header]
    if "geo" not in header:
        missing.insert(0, "geo")
    if missing:
        raise DataError(path, f"not an SDMX-CSV file: missing column(s) {', '.join(missing)}", column=missing[0])
    # pandas pads a short line with empty cells, so a download cut off after the
    # time period would pass as a missing value: count the last line's cells.
    lines = text.rstrip("\r\n").split("\n")
    last = next(csv.reader([lines[-1]])) if len(lines) > 1 else header
    if len(last) < len(header):
        raise DataError(path, f"the last line has {len(last)} of {len(header)} cells (truncated file?)",
                        row=len(lines))
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise DataError(path, f"malformed CSV ({exc})") from None
    dims = [c for c in header if c not in _SDMX_META and _DIMENSION_ID.match(c)]
    dataset = _dataset_code(df)
    if df.empty:
        raise DataError(path, "has a header but no rows")
    # A download cut off mid-line leaves a row without its time period.
    incomplete = df["TIME_PERIOD"].str.strip() == ""
    if incomplete.any():
        row = int(np.flatnonzero(incomplete.to_numpy())[0]) + 2
        raise DataError(path, "incomplete line without a time period (truncated file?)", row=row)
    out = df[dims].copy()
    labelled = "freq" in dims and set(df["freq"]).issubset(_FREQ_LABELS)
    if labelled:
        out = _labels_to_codes(path, out)
    out["time"] = df["TIME_PERIOD"]
    out["value"] = df["OBS_VALUE"]
    out["flag"] = df["OBS_FLAG"] if "OBS_FLAG" in df else ""
    out.attrs["dataset"] = dataset
    # pandas skips blank lines: keep each row's line in the file, so messages name the right one.
    numbers = [n for n, line in enumerate(lines, start=1) if n > 1 and line.strip()]
    if len(numbers) == len(out):
        out.attrs["lines"] = numbers
    out.attrs["shape"] = "sdmx-csv-labels" if labelled else (
        "sdmx-csv-2.0" if "STRUCTURE" in header else "sdmx-csv-1.0")
    return out


def _dataset_code(df: pd.DataFrame) -> str:
    for col in ("DATAFLOW", "STRUCTURE_ID"):
        if col in df and len(df):
            m = re.search(r"ESTAT:([A-Z0-9_]+)", df[col].iloc[0])
            if m:
                return m.group(1).lower()
    return ""


def _labels_to_codes(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    from inclusion_evidence.core.geo_codes import name_to_eurostat

    out = frame.copy()
    for dim in frame.columns:
        labels = frame[dim].unique()
        if dim == "freq":
            mapping = _FREQ_LABELS
        elif dim == "geo":
            mapping = {}
            for label in labels:
                if label in GEO_AGGREGATES:
                    mapping[label] = GEO_AGGREGATES[label]
                    continue
                try:
                    mapping[label] = name_to_eurostat(label.rstrip("*"))
                except KeyError:
                    pass
        else:
            mapping = LABEL_CODES.get(dim, {})
        unknown = [lab for lab in labels if lab not in mapping]
        if unknown:
            row = int(np.flatnonzero(frame[dim].isin(unknown))[0]) + 2
            raise DataError(path, f"unknown label {unknown[0]!r} for dimension '{dim}'",
                            row=row, column=dim)
        out[dim] = frame[dim].map(mapping)
    return out


def _read_bulk_tsv(path: Path, text: str) -> pd.DataFrame:
    lines = text.splitlines()
    header = lines[0].split("\t")
    dims = header[0].split("\\")[0].split(",")
    periods = [p.strip() for p in header[1:]]
    records = []
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            raise DataError(path, f"expected {len(header)} tab-separated cells, found {len(cells)}",
                            row=lineno)
        keys = cells[0].split(",")
        if len(keys) != len(dims):
            raise DataError(path, "key has the wrong number of dimensions", row=lineno)
        for period, cell in zip(periods, cells[1:]):
            value, _, flag = cell.strip().partition(" ")
            records.append((*keys, period, value, flag.strip()))
    df = pd.DataFrame(records, columns=[*dims, "time", "value", "flag"])
    df.attrs["dataset"] = path.name.split(".")[0].lower()
    df.attrs["shape"] = "bulk-tsv"
    return df


def _read_jsonstat(path: Path, text: str) -> pd.DataFrame:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(path, f"invalid JSON at line {exc.lineno} (truncated file?)") from None
    for key in ("id", "size", "dimension", "value"):
        if key not in doc:
            raise DataError(path, f"not JSON-stat 2.0: no '{key}' member")
    ids, sizes = doc["id"], doc["size"]
    codes = []
    for dim in ids:
        index = doc["dimension"][dim]["category"]["index"]
        if isinstance(index, list):
            order = index
        else:
            order = sorted(index, key=index.get)
        codes.append(order)
    total = int(np.prod(sizes))
    values = doc["value"]
    status = doc.get("status", {}) or {}
    if isinstance(values, list):
        values = {str(i): v for i, v in enumerate(values) if v is not None}
    if isinstance(status, list):
        status = {str(i): s for i, s in enumerate(status) if s}
    positions = sorted({int(k) for k in values} | {int(k) for k in status})
    if positions and positions[-1] >= total:
        raise DataError(path, f"value index {positions[-1]} outside the cube of {total} cells")
    grid = np.array(np.unravel_index(positions, sizes)).T if positions else np.empty((0, len(ids)), int)
    df = pd.DataFrame({dim: np.asarray(codes[i], dtype=object)[grid[:, i]] if len(grid) else []
                       for i, dim in enumerate(ids)})
    if "time" not in df:
        raise DataError(path, "no 'time' dimension")
    df = df.rename(columns={"time": "TIME"})
    df["time"] = df.pop("TIME")
    df["value"] = [values.get(str(p)) for p in positions]
    df["flag"] = [status.get(str(p), "") for p in positions]
    # JSON-stat responses do not always name their dataset; the catalogue does.
    df.attrs["dataset"] = str(doc.get("extension", {}).get("id", "")).lower()
    df.attrs["shape"] = "json-stat-2.0"
    return df


# Beyond any figure Eurostat publishes (counts of people stop far below; money is in millions).
MAX_MAGNITUDE = 1e15
COUNT_UNITS = {"NR": 1e10, "PER": 1e10, "THS": 1e7, "THS_PER": 1e7}   # more people than on Earth
_MISSING_WORDS = {"nan", "none", "null", "na", "n/a"}


def line_of(df: pd.DataFrame, i: int) -> int:
    """The file line of the frame's ``i``-th row (header on line 1; blank lines counted)."""
    lines = df.attrs.get("lines")
    return int(lines[i]) if lines is not None and i < len(lines) else i + 2


def _finish(path: Path, df: pd.DataFrame) -> pd.DataFrame:
    """Common checks: numbers are finite numbers, periods match the frequency, keys are unique."""
    attrs = dict(df.attrs)
    if "geo" not in df.columns:
        raise DataError(path, "no 'geo' dimension")
    raw = df["value"].astype(object)
    absent = raw.isna()                          # JSON null: no value, as ':' in a CSV
    text = raw.where(~absent, "").astype(str).str.strip()
    words = text.str.lower().isin(_MISSING_WORDS)
    if words.any():
        i = int(np.flatnonzero(words.to_numpy())[0])
        raise DataError(path, f"value {text.iloc[i]!r} is not a number: Eurostat marks a missing value with "
                              "':' (a spreadsheet or script wrote its own word for it?)",
                        row=line_of(df, i), column="OBS_VALUE")
    numeric = pd.to_numeric(text.replace({"": np.nan, ":": np.nan}), errors="coerce")
    bad = numeric.isna() & ~text.isin(["", ":"])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(path, f"value {text.iloc[i]!r} is not a number", row=line_of(df, i), column="OBS_VALUE")
    limit = pd.Series(MAX_MAGNITUDE, index=df.index)
    if "unit" in df.columns:
        limit = df["unit"].map(COUNT_UNITS).fillna(MAX_MAGNITUDE)
    absurd = ~np.isfinite(numeric.fillna(0)) | (numeric.abs() > limit)
    if absurd.any():
        i = int(np.flatnonzero(absurd.to_numpy())[0])
        what = "not a finite number" if not np.isfinite(numeric.iloc[i]) else (
            f"implausibly large for unit {df['unit'].iloc[i]} (over {limit.iloc[i]:.0e})"
            if "unit" in df.columns and df["unit"].iloc[i] in COUNT_UNITS
            else f"implausibly large (over {MAX_MAGNITUDE:.0e})")
        raise DataError(path, f"value {text.iloc[i]!r} is {what}", row=line_of(df, i), column="OBS_VALUE")
    df = df.copy()
    df["value"] = numeric.astype(float)
    df["flag"] = df["flag"].fillna("").astype(str).str.strip()
    times = df["time"].astype(str).str.strip()
    yearly = times.str.fullmatch(r"\d{4}")
    annual = "freq" in df.columns and (df["freq"] == "A").all()
    if (annual or yearly.any()) and not yearly.all():
        i = int(np.flatnonzero(~yearly.to_numpy())[0])
        why = "the file is annual (freq A)" if annual else "other rows of the file are years"
        raise DataError(path, f"time period {times.iloc[i]!r} is not a year, but {why}",
                        row=line_of(df, i), column="TIME_PERIOD")
    df["time"] = times.astype(int) if yearly.all() else times
    dims = [c for c in df.columns if c not in TIDY_TAIL]
    df = df[dims + TIDY_TAIL]
    keys = dims + ["geo", "time"]
    dup = df.duplicated(subset=keys)
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        same = (df[keys] == df.iloc[i][keys]).all(axis=1).to_numpy()
        first = int(np.flatnonzero(same)[0])
        key = ", ".join(f"{c}={df.iloc[i][c]}" for c in keys)
        raise DataError(path, f"duplicated observation ({key}): rows {line_of(df, first)} and "
                              f"{line_of(df, i)} hold the same observation", row=line_of(df, i))
    df = df.reset_index(drop=True)
    df.attrs.update(attrs)
    return df
