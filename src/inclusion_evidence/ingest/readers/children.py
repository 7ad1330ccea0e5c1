"""Unaccompanied minors and child asylum applicants.

* :func:`read_uam_news_release`: table 1 of Eurostat news release 80/2017,
  unaccompanied minors (UAM) by member state, 2015-2016, extracted from the
  PDF with tabula (three header lines, English country names, ``-`` = not
  available, ``%`` signs).
* :func:`read_uam_top_citizenships`: table 2 of the same release, the three
  main citizenships of UAM applicants per member state in 2016.
* :func:`read_migrationsverket_monthly`: Sweden's monthly asylum applications
  with minors and unaccompanied minors, 2009-01 to 2017-05 (an unofficial
  extraction of Migrationsverket's statistics).

All shares are percentages (0-100), as the release prints them. Every
reader raises :class:`~inclusion_evidence.core.errors.DataError` naming the file
and the problem.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.geo_codes import UnknownCountryError, country_name, name_to_eurostat
from inclusion_evidence.ingest.readers._common import read_csv_strings, read_text

# Aggregate rows of the release: in 2016 "EU" meant the 28 member states.
_AGGREGATES = {"EU": ("EU28", "EU-28"), "EU-28": ("EU28", "EU-28"), "EU28": ("EU28", "EU-28")}
_NOT_AVAILABLE = {"-", "–", "—", ":", ""}

# Header words of the news-release table, matched in each column's joined
# header text, and the column each becomes.
_RELEASE_COLUMNS = {
    "uam_2015": ("2015",),
    "uam_2016": ("2016",),
    "share_male_2016": ("males",),
    "share_under14_2016": ("below 14",),
    "share_in_minor_applicants_2016": ("minor", "applicants"),
}

SWEDEN_COUNTS = ["total", "male", "female", "minors", "unacc_minors", "decisions",
                 "granted", "rejected", "dublin", "others"]


# --------------------------------------------------------------------------- helpers

def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """CSV records with the file line on which each ends (quoted cells span lines)."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [" ".join(c.split()) for c in cells]))
    except csv.Error as exc:
        raise DataError(path, f"malformed CSV ({exc}; truncated file?)",
                        row=reader.line_num) from None
    return rows


def _count(path: Path, text: str, row: int, column: str) -> float:
    """A count of persons; NaN for '-' (not available)."""
    cell = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if cell in _NOT_AVAILABLE or cell.upper() == "NA":
        return np.nan
    # Thousands separators: "63 290", "63,290" (never decimals in a count).
    if re.fullmatch(r"\d{1,3}([ ,]\d{3})+", cell):
        cell = re.sub(r"[ ,]", "", cell)
    try:
        value = float(cell)
    except ValueError:
        raise DataError(path, f"{text!r} is not a number", row=row, column=column) from None
    if value < 0:
        raise DataError(path, f"negative count {text!r}", row=row, column=column)
    if value != int(value):
        raise DataError(path, f"{text!r} is not a whole number of persons", row=row, column=column)
    return value


def _share(path: Path, text: str, row: int, column: str) -> float:
    """A percentage 0-100, with or without a '%' sign; NaN for '-'."""
    cell = text.strip().rstrip("%").strip()
    if cell in _NOT_AVAILABLE:
        return np.nan
    try:
        value = float(cell.replace(",", "."))
    except ValueError:
        raise DataError(path, f"{text!r} is not a percentage", row=row, column=column) from None
    if not 0 <= value <= 100:
        raise DataError(path, f"share {text!r} outside 0-100%", row=row, column=column)
    return value


def _geo_and_name(path: Path, label: str, row: int) -> tuple[str, str]:
    key = label.strip().rstrip("*").strip()
    if key in _AGGREGATES:
        return _AGGREGATES[key]
    try:
        geo = name_to_eurostat(key)
    except UnknownCountryError as exc:
        raise DataError(path, str(exc), row=row, column="country") from None
    return geo, country_name(geo)


def _no_duplicate_geo(path: Path, df: pd.DataFrame, lines: list[int]) -> None:
    dup = df["geo"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(path, f"{df['country'].iloc[i]} appears twice", row=lines[i])


# --------------------------------------------------------------------------- news release

def read_uam_news_release(path: str | Path) -> pd.DataFrame:
    """Read table 1 of Eurostat news release 80/2017 (UAM by member state).

    The header lines are recognised by content: the last one holds the
    years, and each column is identified by the words of its joined header
    text ("2015", "2016", "Males", "Aged below 14", "Share in all minor
    applicants (%)").

    Parameters
    ----------
    path
        The tabula CSV extract of the release's table.

    Returns
    -------
    pandas.DataFrame
        One row per reporting country in file order, the EU aggregate first
        (``geo`` ``EU28``, ``country`` ``EU-28``): ``country`` (the book's
        English name), ``geo``, ``uam_2015`` and ``uam_2016`` (nullable
        Int64, persons; NA where the release prints ``-``),
        ``share_male_2016``, ``share_under14_2016`` and
        ``share_in_minor_applicants_2016`` (float, percent 0-100).

    Raises
    ------
    DataError
        If the file is missing or empty, a header column is missing, a row
        is short (truncated), a count is not a whole non-negative number, a
        share is outside 0-100, or a country is unknown or repeated.
    """
    path = Path(path)
    rows = _csv_rows(path)
    header_end = next((k for k, (_, cells) in enumerate(rows)
                       if "2015" in cells and "2016" in cells), None)
    if header_end is None:
        raise DataError(path, "no header line with the years 2015 and 2016")
    width = max(len(cells) for _, cells in rows[: header_end + 1])
    joined = [" ".join(cells[j] for _, cells in rows[: header_end + 1] if j < len(cells)).lower()
              for j in range(width)]
    columns: dict[str, int] = {}
    for name, words in _RELEASE_COLUMNS.items():
        found = [j for j, text in enumerate(joined) if j > 0 and all(w in text for w in words)]
        if len(found) != 1:
            raise DataError(path, f"cannot find the header column for {name} "
                                  f"({' '.join(words)!r})", row=rows[header_end][0])
        columns[name] = found[0]

    records, lines = [], []
    for line, cells in rows[header_end + 1:]:
        if not any(cells):
            continue
        if len(cells) < width:
            raise DataError(path, f"row has {len(cells)} cells, expected {width} (truncated?)",
                            row=line)
        geo, name = _geo_and_name(path, cells[0], line)
        record = {"country": name, "geo": geo}
        for col, j in columns.items():
            parse = _count if col.startswith("uam_") else _share
            record[col] = parse(path, cells[j], line, col)
        records.append(record)
        lines.append(line)
    if not records:
        raise DataError(path, "no data rows under the header")
    df = pd.DataFrame.from_records(records)
    _no_duplicate_geo(path, df, lines)
    for col in ("uam_2015", "uam_2016"):
        df[col] = df[col].astype("Int64")
    return df[["country", "geo", *_RELEASE_COLUMNS]]


def read_uam_top_citizenships(path: str | Path) -> pd.DataFrame:
    """Read table 2 of Eurostat news release 80/2017 (top three citizenships).

    Tabula left the first column empty and shifted the second header line
    one cell to the left of the data, so the columns are taken by position
    from the data rows (country, applicants, then three times citizenship,
    number, %) after checking that the header names applicants and the
    first, second and third citizenships.

    Parameters
    ----------
    path
        The tabula CSV extract (quoted header cells with line breaks).

    Returns
    -------
    pandas.DataFrame
        Long format, three rows per reporting country (EU aggregate first,
        ``geo`` ``EU28``): ``geo``, ``country``, ``uam_2016`` (nullable
        Int64), ``rank`` (1-3), ``citizenship`` (name as printed, footnote
        marks such as ``Kosovo*`` removed), ``number`` (nullable Int64),
        ``share`` (float, percent of the country's UAM applicants) and
        ``flag``: ``""`` for a value, ``"^"`` (not among the three: fewer
        citizenships to report) or ``"-"`` (not available); citizenship,
        number and share are NA when flagged.

    Raises
    ------
    DataError
        If the header is not the expected one, a row has the wrong number of
        cells, a number or share is invalid, a citizenship count exceeds the
        country's total or the counts do not fall with rank, or a country is
        unknown or repeated.
    """
    path = Path(path)
    rows = _csv_rows(path)
    header_end = next((k for k, (_, cells) in enumerate(rows)
                       if any("third citizenship" in c.lower() for c in cells)), None)
    if header_end is None:
        raise DataError(path, "no header line naming the 'Third citizenship'")
    header_cells = [c.lower() for _, cells in rows[: header_end + 1] for c in cells]
    for words in ("applicants", "first citizenship", "second citizenship"):
        if words not in header_cells:
            raise DataError(path, f"header has no {words!r} cell", row=rows[header_end][0])
    body = [(line, cells) for line, cells in rows[header_end + 1:] if any(cells)]
    if not body:
        raise DataError(path, "no data rows under the header")
    # The PDF's first column came out empty: drop it when it is empty throughout.
    if all(not cells[0] for _, cells in body):
        body = [(line, cells[1:]) for line, cells in body]

    records, lines, countries = [], [], []
    for line, cells in body:
        while cells and not cells[-1]:
            cells = cells[:-1]
        if len(cells) != 11:
            raise DataError(path, f"row has {len(cells)} filled cells, expected 11 (country, "
                                  "applicants, 3 x citizenship/number/%)", row=line)
        geo, name = _geo_and_name(path, cells[0], line)
        total = _count(path, cells[1], line, "applicants")
        countries.append({"geo": geo, "country": name})
        lines.append(line)
        previous = np.inf
        for rank in (1, 2, 3):
            cit, num, pct = cells[3 * rank - 1: 3 * rank + 2]
            flag = cit if cit in ("^", "-") else ""
            if flag:
                if {num, pct} - {flag}:
                    raise DataError(path, f"citizenship {rank} is {flag!r} but its number or "
                                          "share is not", row=line)
                records.append((geo, name, total, rank, None, np.nan, np.nan, flag))
                continue
            number = _count(path, num, line, f"number {rank}")
            if not np.isnan(total) and number > total:
                raise DataError(path, f"{cit}: {num} applicants, more than the total {cells[1]}",
                                row=line, column=f"number {rank}")
            if number > previous:
                raise DataError(path, f"citizenship {rank} has more applicants than the one "
                                      "ranked above it", row=line, column=f"number {rank}")
            previous = number
            records.append((geo, name, total, rank, cit.rstrip("*").strip(), number,
                            _share(path, pct, line, f"% {rank}"), flag))
    _no_duplicate_geo(path, pd.DataFrame.from_records(countries), lines)
    df = pd.DataFrame(records, columns=["geo", "country", "uam_2016", "rank", "citizenship",
                                        "number", "share", "flag"])
    for col in ("uam_2016", "number"):
        df[col] = df[col].astype("Int64")
    df["citizenship"] = df["citizenship"].astype("string")
    return df


# --------------------------------------------------------------------------- Sweden

def read_migrationsverket_monthly(path: str | Path) -> pd.DataFrame:
    """Read Sweden's monthly asylum applications (Migrationsverket extraction).

    Parameters
    ----------
    path
        CSV with ``year_month`` (``YYYY-MM``), ``total``, ``minors`` (including
        unaccompanied) and ``unacc_minors``, and optionally ``male``,
        ``female``, ``decisions``, ``granted``, ``rejected``, ``dublin``,
        ``others`` and ``avg_time``; ``NA`` marks a missing value.

    Returns
    -------
    pandas.DataFrame
        One row per month, sorted: ``month`` (Timestamp, first day of the
        month), the counts present (nullable Int64, persons or decisions)
        and ``avg_time`` (float, average processing days) when present.

    Raises
    ------
    DataError
        If the file is missing or empty, a required column is missing, a
        month is malformed or repeated, a count is not a whole non-negative
        number, ``unacc_minors <= minors <= total`` fails, ``male + female``
        differs from ``total`` or the decision outcomes do not add up to
        ``decisions``.
    """
    path = Path(path)
    raw = read_csv_strings(path, ("year_month", "total", "minors", "unacc_minors"))

    df = pd.DataFrame(index=raw.index)
    months = pd.to_datetime(raw["year_month"].str.strip(), format="%Y-%m", errors="coerce")
    if months.isna().any():
        i = int(np.flatnonzero(months.isna().to_numpy())[0])
        raise DataError(path, f"{raw['year_month'].iloc[i]!r} is not a month (YYYY-MM)",
                        row=i + 2, column="year_month")
    df["month"] = months
    for col in SWEDEN_COUNTS:
        if col in raw:
            values = [_count(path, v, i, col) for i, v in enumerate(raw[col], start=2)]
            df[col] = pd.Series(values, index=raw.index).astype("Int64")
    if "avg_time" in raw:
        days = [_count_days(path, v, i) for i, v in enumerate(raw["avg_time"], start=2)]
        df["avg_time"] = np.array(days, dtype=float)

    dup = df["month"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(path, f"month {raw['year_month'].iloc[i]} appears twice", row=i + 2)
    _check(path, df, df["unacc_minors"] > df["minors"], "unacc_minors > minors", "unacc_minors")
    _check(path, df, df["minors"] > df["total"], "minors > total", "minors")
    if {"male", "female"} <= set(df):
        _check(path, df, df["male"] + df["female"] != df["total"], "male + female != total",
               "total")
    outcomes = ["granted", "rejected", "dublin", "others"]
    if {"decisions", *outcomes} <= set(df):
        _check(path, df, df[outcomes].sum(axis=1, min_count=4) != df["decisions"],
               "granted + rejected + dublin + others != decisions", "decisions")
    return df.sort_values("month").reset_index(drop=True)


def _count_days(path: Path, text: str, row: int) -> float:
    cell = text.strip()
    if cell in ("", "NA"):
        return np.nan
    try:
        value = float(cell)
    except ValueError:
        raise DataError(path, f"{text!r} is not a number of days", row=row,
                        column="avg_time") from None
    if value < 0:
        raise DataError(path, f"negative processing time {text!r}", row=row, column="avg_time")
    return value


def _check(path: Path, df: pd.DataFrame, broken: pd.Series, rule: str, column: str) -> None:
    """Raise on the first row where a consistency rule fails (NA never fails)."""
    broken = broken.fillna(False).astype(bool)
    if broken.any():
        i = int(np.flatnonzero(broken.to_numpy())[0])
        raise DataError(path, f"{rule} in {df['month'].iloc[i]:%Y-%m}", row=i + 2, column=column)
