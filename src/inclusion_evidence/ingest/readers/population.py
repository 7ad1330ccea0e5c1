"""Population denominators from publishers other than Eurostat.

Three readers, one per publisher file:

* :func:`read_worldbank_population`: World Bank WDI ``SP.POP.TOTL`` as the raw
  API v2 JSON response (``[metadata, records]``).
* :func:`read_undesa_migrant_stock`: UN DESA *International Migrant Stock
  2024: Destination* workbook, Tables 1 (stock, both sexes) and 3 (% of
  population).
* :func:`read_unhcr_population`: UNHCR Refugee Data Finder CSV export of the
  population-figure totals.

Each returns a tidy DataFrame with a ``geo`` column of Eurostat geo codes
(see :mod:`inclusion_evidence.core.geo_codes`) and raises
:class:`~inclusion_evidence.core.errors.DataError` naming the file and the problem
when the file cannot be used as it is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.geo_codes import UnknownCountryError, iso3_to_eurostat, m49_to_eurostat
from inclusion_evidence.ingest.readers._common import load_xlsx_sheets, read_bytes, read_csv_strings, read_json

# Cells that mean "no number here" in UN DESA tables: '..' not available,
# '…' not meaningful, '~' suppressed (< 5), '—' rounds to zero but is not zero.
_UN_MISSING = {"", "..", "...", "…", "~", "—", "-"}
_UNDESA_TABLES = {"Table 1": "migrant_stock", "Table 3": "share_pct"}
# The stock and the population come from different estimates, so a territory
# where everyone is a migrant can show 100.005% (Bonaire 2010): kept as
# published, not an error.
_SHARE_TOLERANCE = 0.01

UNHCR_COLUMNS = {
    "Year": "year",
    "Country of Asylum": "country",
    "Country of Asylum ISO": "iso3",
    "Country of Origin": "origin",
    "Country of Origin ISO": "origin_iso3",
    "Refugees": "refugees",
    "Returned Refugees": "returned_refugees",
    "Asylum Seekers": "asylum_seekers",
    "IDPs": "idps",
    "Returned IDPs": "returned_idps",
    "Stateless": "stateless",
    "HST": "hst",
    "OOC": "ooc",
}
_UNHCR_REQUIRED = ["Year", "Country of Asylum", "Country of Asylum ISO",
                   "Refugees", "Asylum Seekers", "Stateless"]


# --------------------------------------------------------------------------- helpers

def _count(path: Path, value: Any, row: int, column: str) -> float:
    """A non-negative number of people, or NaN when the cell is empty."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    if isinstance(value, bool):
        raise DataError(path, f"{value!r} is not a number", row=row, column=column)
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if text in ("", "-"):
            return np.nan
        if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
            text = text.replace(",", "")
        try:
            value = float(text)
        except ValueError:
            raise DataError(path, f"{value!r} is not a number", row=row, column=column) from None
    number = float(value)
    if not np.isfinite(number):
        raise DataError(path, f"{value!r} is not a finite number", row=row, column=column)
    if number < 0:
        raise DataError(path, f"negative count {value!r}", row=row, column=column)
    if number != int(number):
        raise DataError(path, f"{value!r} is not a whole number of people", row=row, column=column)
    return number


# --------------------------------------------------------------------------- World Bank

def read_worldbank_population(path: str | Path) -> pd.DataFrame:
    """Read the World Bank API v2 JSON response for ``SP.POP.TOTL``.

    Parameters
    ----------
    path
        A file holding ``[metadata, records]`` as returned by
        ``api.worldbank.org/v2/country/all/indicator/SP.POP.TOTL?format=json``.

    Returns
    -------
    pandas.DataFrame
        One row per economy or aggregate and year: ``iso3`` (the World Bank's
        three-letter code, ISO 3166-1 alpha-3 for economies, ``XKX`` for
        Kosovo, NA for the income groups that have none), ``geo`` (Eurostat
        code, NA outside the European table), ``country`` (World Bank name),
        ``year`` (int) and ``population`` (nullable Int64; NA where the Bank
        has no value). Sorted by ``iso3`` and ``year``. ``attrs`` holds
        ``indicator`` and ``last_updated``.

    Raises
    ------
    DataError
        If the file is missing, empty, not JSON (e.g. truncated), an API
        error message, only one page of several, or has records with missing
        keys, non-numeric, negative or duplicated values.
    """
    path = Path(path)
    doc = read_json(path)
    if isinstance(doc, list) and doc and isinstance(doc[0], dict) and "message" in doc[0]:
        raise DataError(path, f"is a World Bank API error message, not data: {doc[0]['message']}")
    if not (isinstance(doc, list) and len(doc) == 2 and isinstance(doc[0], dict)
            and isinstance(doc[1], list)):
        raise DataError(path, "not a World Bank API v2 response: expected [metadata, records]")
    meta, records = doc
    if not records:
        raise DataError(path, "holds no records")
    # A response cut at per_page silently loses countries: refuse it.
    try:
        pages, total = int(meta.get("pages", 1)), int(meta.get("total", len(records)))
    except (TypeError, ValueError):
        raise DataError(path, "metadata 'pages' or 'total' is not a number") from None
    if pages > 1 or total != len(records):
        raise DataError(path, f"holds {len(records)} of {total} records (page {meta.get('page')} "
                              f"of {pages}); download again with a larger per_page")

    rows = []
    indicators = set()
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            raise DataError(path, "record is not an object", row=i)
        for key in ("country", "countryiso3code", "date", "value"):
            if key not in rec:
                raise DataError(path, f"record has no '{key}' key", row=i, column=key)
        country = rec["country"]
        name = country.get("value") if isinstance(country, dict) else country
        if not isinstance(name, str) or not name.strip():
            raise DataError(path, "record has no country name", row=i, column="country")
        date = str(rec["date"]).strip()
        if not re.fullmatch(r"\d{4}", date):
            raise DataError(path, f"date {rec['date']!r} is not a year", row=i, column="date")
        iso3 = str(rec["countryiso3code"] or "").strip().upper() or None
        try:
            geo = iso3_to_eurostat(iso3) if iso3 else None
        except UnknownCountryError:
            geo = None  # the file covers the world; only Europe gets a geo code
        if isinstance(rec.get("indicator"), dict):
            indicators.add(rec["indicator"].get("id"))
        rows.append((iso3, geo, name.strip(), int(date), _count(path, rec["value"], i, "value")))

    df = pd.DataFrame(rows, columns=["iso3", "geo", "country", "year", "population"])
    dup = df.duplicated(["iso3", "country", "year"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(path, f"duplicated record for {df.at[i, 'country']} {df.at[i, 'year']}",
                        row=i + 1)
    if len(indicators) > 1:
        raise DataError(path, f"mixes indicators {sorted(map(str, indicators))}")
    df["population"] = df["population"].astype("Int64")
    for col in ("iso3", "geo"):
        df[col] = df[col].astype("string")
    df = df.sort_values(["iso3", "year"], na_position="last", kind="stable").reset_index(drop=True)
    df.attrs["indicator"] = next(iter(indicators), None)
    df.attrs["last_updated"] = meta.get("lastupdated")
    return df


# --------------------------------------------------------------------------- UN DESA

def read_undesa_migrant_stock(path: str | Path) -> pd.DataFrame:
    """Read UN DESA *International Migrant Stock 2024: Destination*.

    Table 1 (migrant stock at mid-year, both sexes) and Table 3 (migrant
    stock as a percentage of the total population, both sexes) are read and
    joined. Header rows are found by content (the row holding "Location
    code" and the years), not by position, and only the first block of
    years (both sexes; males and females follow) is taken.

    Parameters
    ----------
    path
        The ``undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx`` workbook.

    Returns
    -------
    pandas.DataFrame
        One row per location and year: ``location`` (name without footnote
        marks), ``location_code`` (UN M49, int), ``geo`` (Eurostat code for
        European countries, NA otherwise, including regions),
        ``data_type`` (UN DESA estimate basis, e.g. ``"B R"``; NA for
        regions and groups), ``year`` (int), ``migrant_stock`` (nullable
        Int64, persons) and ``share_pct`` (float, percent 0-100; values up
        to 100.01 from the publisher's rounding are kept as published).

    Raises
    ------
    DataError
        If the file is not a workbook, a table or its header is missing, a
        value is not a number, a stock is negative, a share is outside
        0-100, or the two tables list different locations.
    """
    path = Path(path)
    read_bytes(path)
    sheets = load_xlsx_sheets(path)
    frames = {}
    for sheet, value_name in _UNDESA_TABLES.items():
        if sheet not in sheets:
            raise DataError(path, f"no sheet '{sheet}' (sheets: {', '.join(sheets)})")
        frames[value_name] = _undesa_table(path, sheet, sheets[sheet], value_name)

    stock, share = frames["migrant_stock"], frames["share_pct"]
    only = set(stock["location_code"]) ^ set(share["location_code"])
    if only:
        raise DataError(path, f"Table 1 and Table 3 list different locations (M49 {sorted(only)[:5]})")
    df = stock.merge(share[["location_code", "year", "share_pct"]],
                     on=["location_code", "year"], how="inner", validate="one_to_one")
    too_high = df["share_pct"] > 100 + _SHARE_TOLERANCE
    if too_high.any():
        bad = df.loc[too_high].iloc[0]
        raise DataError(path, f"share {bad['share_pct']} above 100% for {bad['location']} "
                              f"{bad['year']}", column="Table 3")
    df["migrant_stock"] = df["migrant_stock"].astype("Int64")
    df["geo"] = df["geo"].astype("string")
    df["data_type"] = df["data_type"].astype("string")
    return df[["location", "location_code", "geo", "data_type", "year",
               "migrant_stock", "share_pct"]]


def _undesa_table(path: Path, sheet: str, rows: list[tuple], value_name: str) -> pd.DataFrame:
    """One UN DESA table, both sexes block, long format."""
    header_at = None
    for i, row in enumerate(rows):
        texts = [str(c).strip().lower() for c in row if isinstance(c, str)]
        if "location code" in texts:
            header_at = i
            break
    if header_at is None:
        raise DataError(path, f"sheet '{sheet}': no header row with 'Location code'")
    header = rows[header_at]
    labels = [str(c).strip().lower() if isinstance(c, str) else c for c in header]
    code_col = labels.index("location code")
    name_col = next((j for j, c in enumerate(labels)
                     if isinstance(c, str) and c.startswith("region")), None)
    if name_col is None:
        raise DataError(path, f"sheet '{sheet}': no 'Region, ... country or area' column",
                        row=header_at + 1)
    type_col = labels.index("data type") if "data type" in labels else None

    # The first run of increasing years is "both sexes"; males and females repeat them.
    year_cols: list[tuple[int, int]] = []
    for j, cell in enumerate(header):
        year = cell if isinstance(cell, int) else (
            int(cell) if isinstance(cell, str) and cell.strip().isdigit() else None)
        if year is None or not 1900 <= year <= 2100:
            if year_cols:
                break
            continue
        if year_cols and year <= year_cols[-1][1]:
            break
        year_cols.append((j, year))
    if not year_cols:
        raise DataError(path, f"sheet '{sheet}': no year columns in the header", row=header_at + 1)
    # Where the block title exists, it must sit over the first year column.
    for row in rows[:header_at]:
        for j, cell in enumerate(row):
            if isinstance(cell, str) and "both sexes" in cell.lower() and j != year_cols[0][0]:
                raise DataError(path, f"sheet '{sheet}': the 'both sexes' block does not start "
                                      f"at the first year column", row=header_at + 1)

    records = []
    seen: set[int] = set()
    for i in range(header_at + 1, len(rows)):
        row = rows[i]
        name = row[name_col] if name_col < len(row) else None
        if name is None or not str(name).strip():
            continue
        lineno = i + 1
        location = re.sub(r"\*+$", "", str(name).strip()).strip()
        code = row[code_col]
        try:
            code = int(code)
        except (TypeError, ValueError):
            raise DataError(path, f"sheet '{sheet}': location code {code!r} of {location!r} "
                                  "is not a number", row=lineno, column="Location code") from None
        if code in seen:
            raise DataError(path, f"sheet '{sheet}': location code {code} appears twice",
                            row=lineno, column="Location code")
        seen.add(code)
        try:
            geo = m49_to_eurostat(code)
        except UnknownCountryError:
            geo = None
        data_type = row[type_col] if type_col is not None else None
        data_type = str(data_type).strip() if data_type not in (None, "") else None
        for j, year in year_cols:
            cell = row[j] if j < len(row) else None
            value = _un_number(path, sheet, cell, lineno, str(year))
            if value < 0:
                raise DataError(path, f"sheet '{sheet}': negative value {cell!r} for {location}",
                                row=lineno, column=str(year))
            records.append((location, code, geo, data_type, year, value))
    if not records:
        raise DataError(path, f"sheet '{sheet}': no data rows under the header")
    return pd.DataFrame(records, columns=["location", "location_code", "geo", "data_type",
                                          "year", value_name])


def _un_number(path: Path, sheet: str, cell: Any, row: int, column: str) -> float:
    if cell is None:
        return np.nan
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell)
    text = str(cell).strip()
    if text in _UN_MISSING:
        return np.nan
    try:
        return float(text.replace(" ", "").replace("\u00a0", "").replace(",", ""))
    except ValueError:
        raise DataError(path, f"sheet '{sheet}': {cell!r} is not a number",
                        row=row, column=column) from None


# --------------------------------------------------------------------------- UNHCR

def read_unhcr_population(path: str | Path) -> pd.DataFrame:
    """Read a UNHCR Refugee Data Finder export of population-figure totals.

    Parameters
    ----------
    path
        CSV with columns ``Year``, ``Country of Asylum``, ``Country of
        Origin``, their ``ISO`` codes and the population types (``Refugees``,
        ``Returned Refugees``, ``Asylum Seekers``, ``IDPs``, ``Returned
        IDPs``, ``Stateless``, ``HST``, ``OOC``).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``geo`` (Eurostat code of the country of asylum),
        ``iso3``, ``country`` (UNHCR's name), ``origin`` and ``origin_iso3``
        (NA where UNHCR writes ``-``, i.e. all origins), then one nullable
        Int64 column per population type present, in snake case
        (``refugees``, ``returned_refugees``, ``asylum_seekers``, ``idps``,
        ``returned_idps``, ``stateless``, ``hst``, ``ooc``).

    Raises
    ------
    DataError
        If the file is missing or empty, lacks a required column, has a
        country of asylum outside the European table, a non-numeric or
        negative count, or a duplicated (year, asylum, origin) row.
    """
    path = Path(path)
    df = read_csv_strings(path, _UNHCR_REQUIRED)

    out = pd.DataFrame(index=df.index)
    years = df["Year"].str.strip()
    bad = ~years.str.fullmatch(r"\d{4}")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(path, f"year {df['Year'].iloc[i]!r} is not a year (truncated line?)",
                        row=i + 2, column="Year")
    out["year"] = years.astype(int)
    geos = []
    for i, code in enumerate(df["Country of Asylum ISO"].str.strip(), start=2):
        try:
            geos.append(iso3_to_eurostat(code))
        except UnknownCountryError as exc:
            raise DataError(path, str(exc), row=i, column="Country of Asylum ISO") from None
    out["geo"] = pd.array(geos, dtype="string")
    out["iso3"] = df["Country of Asylum ISO"].str.strip().astype("string")
    out["country"] = df["Country of Asylum"].str.strip()
    for source, target in (("Country of Origin", "origin"),
                           ("Country of Origin ISO", "origin_iso3")):
        values = df[source].str.strip() if source in df else pd.Series("-", index=df.index)
        out[target] = values.where(~values.isin(["-", ""])).astype("string")
    for source, target in UNHCR_COLUMNS.items():
        if target in out.columns or source not in df.columns:
            continue
        values = [_count(path, v, i, source) for i, v in enumerate(df[source], start=2)]
        out[target] = pd.array(values, dtype="float").astype("Int64")

    dup = out.duplicated(["year", "iso3", "origin_iso3"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(path, f"duplicated row for {out['country'].iloc[i]} {out['year'].iloc[i]}",
                        row=i + 2)
    return out.sort_values(["year", "geo"], kind="stable").reset_index(drop=True)
