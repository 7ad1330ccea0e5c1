"""Readers for MIPEX policy-indicator workbooks and the CITRIX/MIPEX compilation.

MIPEX (Migrant Integration Policy Index, CIDOB and MPG) publishes one workbook
sheet per country. Each sheet holds an "Overall Scores" block and one block per
policy strand, each block a row of (Year, Score, Comments) column triples. The
readers find the blocks by their labels, so shifted layouts still read.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.geo_codes import UnknownCountryError, iso3_to_eurostat
from inclusion_evidence.ingest.readers._common import check_file, load_xlsx_sheets

# MIPEX sheet codes -> Eurostat geo codes. Only GR and TU differ; UK stays UK.
MIPEX_TO_GEO: dict[str, str] = {
    code: code
    for code in (
        "AE AL AR AT AU BE BG BR CA CH CL CN CY CZ DE DK EE ES FI FR HR HU ID IE "
        "IL IN IS IT JO JP KR LT LU LV MD MK MT MX NL NO NZ PL PT RO RS RU SA SE "
        "SI SK UA UK US ZA"
    ).split()
}
MIPEX_TO_GEO.update({"GR": "EL", "TU": "TR"})

STRANDS: tuple[str, ...] = (
    "labour_market_mobility",
    "family_reunion",
    "education",
    "political_participation",
    "permanent_residence",
    "access_to_nationality",
    "anti_discrimination",
    "health",
)

# Strand block labels as MIPEX writes them ("Citizenship Strand", ...), matched
# on a distinctive word so spacing and case changes do not matter.
_STRAND_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"labou?r market", "labour_market_mobility"),
    (r"family", "family_reunion"),
    (r"education", "education"),
    (r"political", "political_participation"),
    (r"permanent", "permanent_residence"),
    (r"citizenship|nationality", "access_to_nationality"),
    (r"discrimination", "anti_discrimination"),
    (r"health", "health"),
)

OVERALL_VARIANTS: tuple[str, ...] = (
    "overall_with_health",
    "overall_without_health",
    "overall_without_health_education",
)

EDITIONS: dict[str, str] = {"core": "core_2007_2019", "eu": "eu_2020_2024"}

# Excel writes these when a formula fails; MIPEX leaves them where a country
# was not scored, so they mean "no score", not a broken file.
_EXCEL_ERROR = re.compile(r"^#(DIV/0!|N/A|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!)$")
# Known template text pasted into score cells of the 2007-2019 workbook:
# the health-strand instruction and answer-option text (e.g. "100 - After ...").
_TEMPLATE_TEXT = re.compile(r"^(don'?t fill|\d+\s*-\s+\S)", re.IGNORECASE)

_COLUMNS = [
    "country", "mipex_code", "year", "strand", "indicator", "indicator_title",
    "score", "note", "comment",
]

# ISO3 -> 2-letter code for the non-European countries of the CITRIX/MIPEX
# file; European ones go through inclusion_evidence.core.geo_codes.
NON_EUROPEAN_ISO3: dict[str, str] = {
    "ARG": "AR", "AUS": "AU", "BRA": "BR", "CAN": "CA", "CHL": "CL", "CHN": "CN",
    "IND": "IN", "IDN": "ID", "ISR": "IL", "JPN": "JP", "KOR": "KR", "MEX": "MX",
    "NZL": "NZ", "USA": "US",
}

# CITRIX columns that hold identifiers or free text, not values to melt.
_CITRIX_ID_COLUMNS = ("year", "iso3", "cntry", "country_name", "cntryID")
_CITRIX_TEXT = re.compile(r"^(period|var\d+_corrected(_justification)?)$")


# --------------------------------------------------------------------------- helpers


def _norm(value: object) -> str:
    """Lower-case text with runs of whitespace collapsed, '' for blanks."""
    return " ".join(str(value).split()).lower() if value is not None else ""


def _cell_name(row: int, col: int) -> str:
    """Excel-style address (1-based) for messages, e.g. 'B17'."""
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row + 1}"


def _as_year(value: object) -> int | None:
    """The year in a cell (2014, 2014.0 or '2014'), else None."""
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() and 1990 <= number <= 2100 else None


def _year(path: Path, sheet: str, value: object, r: int, c: int) -> int | None:
    """Parse a year cell; None for a blank cell, DataError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    year = _as_year(value)
    if year is None:
        raise DataError(path, f"sheet '{sheet}', cell {_cell_name(r, c)}: "
                              f"'{value}' is not a year", row=r + 1)
    return year


def _score(path: Path, sheet: str, value: object, r: int, c: int) -> tuple[float | None, str | None]:
    """Parse a score cell into (score, note); (None, None) for a blank cell."""
    where = f"sheet '{sheet}', cell {_cell_name(r, c)}"
    if value is None:
        return None, None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None, None
        if _EXCEL_ERROR.match(text):
            return math.nan, f"Excel error {text} in source cell (not scored)"
        if _TEMPLATE_TEXT.match(text):
            return math.nan, f"template text in score cell: {text[:40]!r}"
        try:
            value = float(text)
        except ValueError:
            raise DataError(path, f"{where}: non-numeric score {text[:40]!r}", row=r + 1) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataError(path, f"{where}: non-numeric score {value!r}", row=r + 1)
    if not 0 <= value <= 100:
        raise DataError(path, f"{where}: score {value} outside 0-100", row=r + 1)
    return float(value), None


def _strand_key(path: Path, sheet: str, label: str, r: int) -> str:
    for pattern, key in _STRAND_PATTERNS:
        if re.search(pattern, label):
            return key
    raise DataError(path, f"sheet '{sheet}': unknown policy strand {label!r}", row=r + 1)


def _overall_key(label: str) -> str | None:
    if not label.startswith("overall score"):
        return None
    if "education" in label:
        return "overall_without_health_education"
    if "with/out" in label or "without" in label:
        return "overall_without_health"
    if "with health" in label:
        return "overall_with_health"
    return None


# ------------------------------------------------------------------- sheet parsing


def _find(grid: list[list[object]], label: str) -> list[tuple[int, int]]:
    """Positions of cells whose normalised text equals ``label``, first per row."""
    found = []
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if _norm(value) == label:
                found.append((r, c))
                break
    return found


def _header_row(grid, start: int, stop: int, col: int) -> int | None:
    """First row in [start, stop) whose cell in ``col`` reads 'Year'."""
    for r in range(start, stop):
        if _norm(grid[r][col]).startswith("year"):
            return r
    return None


def _row_years(path, sheet, grid, start, stop, c0, triples) -> dict[int, int]:
    """Year of each data row of a strand block, keyed by row index.

    The block's first Year column is authoritative: in a few sheets the Year
    cells of single indicators are wrong (IL health repeats 2019 in its 2014
    row; AU, PL and PT have similar slips). When the first cell is blank the
    most common year among the row's other Year cells is used (AE has a
    partial 2021 row like that); rows with no year at all are dropped.
    """
    years = {}
    for r in range(start, stop):
        year = _year(path, sheet, grid[r][c0], r, c0)
        if year is None:
            votes = [y for y in (_as_year(grid[r][c]) for c in triples if c != c0) if y]
            year = max(set(votes), key=votes.count) if votes else None
        if year is not None:
            years[r] = year
    return years


def _overall_block(path, sheet, grid, stop_row) -> list[dict]:
    found = _find(grid, "overall scores")
    if not found:
        raise DataError(path, f"sheet '{sheet}': no 'Overall Scores' block")
    r0, c0 = found[0]
    header = _header_row(grid, r0 + 1, stop_row, c0)
    if header is None:
        raise DataError(path, f"sheet '{sheet}': 'Overall Scores' block has no 'Year' header row",
                        row=r0 + 1)
    columns = {}
    for c in range(c0 + 1, len(grid[header])):
        key = _overall_key(_norm(grid[header][c]))
        if key and key not in columns:
            columns[key] = c
    missing = [key for key in OVERALL_VARIANTS if key not in columns]
    if missing:
        raise DataError(path, f"sheet '{sheet}': 'Overall Scores' block lacks {', '.join(missing)}",
                        row=header + 1)
    records = []
    for r in range(header + 1, stop_row):
        year = _year(path, sheet, grid[r][c0], r, c0)
        if year is None:
            continue
        for key, c in columns.items():
            score, note = _score(path, sheet, grid[r][c], r, c)
            if score is None:
                continue
            records.append({"year": year, "strand": key, "indicator": "overall",
                            "indicator_title": grid[header][c], "score": score,
                            "note": note, "comment": None})
    return records


def _strand_block(path, sheet, grid, r0, c0, stop_row) -> tuple[str, list[dict]]:
    label = next((_norm(v) for v in grid[r0][c0 + 1:] if v is not None), "")
    strand = _strand_key(path, sheet, label, r0)
    header = _header_row(grid, r0 + 1, stop_row, c0)
    if header is None:
        raise DataError(path, f"sheet '{sheet}': strand block {label!r} has no 'Year' header row",
                        row=r0 + 1)
    # The label rows (Indicator, Sub-indicator, Title) sit between the strand
    # label and the Year header; find them by their text in the block's column.
    rows = {_norm(grid[r][c0]): r for r in range(r0 + 1, header)}
    for needed in ("indicator", "title"):
        if needed not in rows:
            raise DataError(path, f"sheet '{sheet}': strand block {label!r} has no "
                                  f"'{needed.title()}' row", row=r0 + 1)
    sub_row = rows.get("sub-indicator")
    triples = [c for c in range(c0, len(grid[header]) - 1)
               if _norm(grid[header][c]).startswith("year")
               and _norm(grid[header][c + 1]).startswith("score")]
    if not triples or triples[0] != c0:
        raise DataError(path, f"sheet '{sheet}': strand block {label!r} has no "
                              f"Year/Score columns at its start", row=header + 1)
    row_years = _row_years(path, sheet, grid, header + 1, stop_row, c0, triples)
    records = []
    for c in triples:
        if c == c0:
            # MIPEX puts the strand average in the first column pair.
            code, title = "strand_average", grid[rows["title"]][c + 1]
        else:
            # The 2007-2019 file writes indicator codes in the Indicator row and
            # sub-indicator codes in the Sub-indicator row; the 2020-2024 file
            # uses the Sub-indicator row for both, so fall back to it.
            code = grid[rows["indicator"]][c + 1]
            if code is None and sub_row is not None:
                code = grid[sub_row][c + 1]
            code = str(code).strip() if code is not None else None
            title = grid[rows["title"]][c + 1]
        comment_col = c + 2 if c + 2 < len(grid[header]) and \
            _norm(grid[header][c + 2]).startswith("comment") else None
        for r, year in row_years.items():
            score, note = _score(path, sheet, grid[r][c + 1], r, c + 1)
            if score is None:
                continue
            if not code:
                raise DataError(path, f"sheet '{sheet}', strand {strand}, cell "
                                      f"{_cell_name(r, c + 1)}: score has no indicator code",
                                row=r + 1)
            own = grid[r][c]
            if own is not None and _as_year(own) != year:
                mismatch = f"year cell {_cell_name(r, c)} reads {str(own).strip()!r}; row year used"
                note = f"{note}; {mismatch}" if note else mismatch
            comment = grid[r][comment_col] if comment_col is not None else None
            records.append({"year": year, "strand": strand, "indicator": code,
                            "indicator_title": str(title).strip() if title else None,
                            "score": score, "note": note,
                            "comment": str(comment).strip() if comment else None})
    return strand, records


def _parse_sheet(path: Path, sheet: str, grid: list[list[object]]) -> list[dict]:
    blocks = _find(grid, "policy strand")
    first_block = blocks[0][0] if blocks else len(grid)
    records = _overall_block(path, sheet, grid, first_block)
    seen = set()
    for k, (r0, c0) in enumerate(blocks):
        stop = blocks[k + 1][0] if k + 1 < len(blocks) else len(grid)
        strand, block_records = _strand_block(path, sheet, grid, r0, c0, stop)
        if strand in seen:
            raise DataError(path, f"sheet '{sheet}': strand {strand} appears twice", row=r0 + 1)
        seen.add(strand)
        records.extend(block_records)
    missing = [s for s in STRANDS if s not in seen]
    if missing:
        raise DataError(path, f"sheet '{sheet}': missing strand block(s) {', '.join(missing)}")
    return records


# ------------------------------------------------------------------------ readers


def read_mipex_workbook(path: str | Path) -> pd.DataFrame:
    """Read a MIPEX policy-indicator workbook into one tidy table.

    Parameters
    ----------
    path : str or Path
        ``mipex_core_2007-2019.xlsx`` or ``mipex_EU_2020-2024.xlsx``: one sheet
        per country, named by its MIPEX 2-letter code.

    Returns
    -------
    pandas.DataFrame
        One row per country, year, strand and indicator, with columns
        ``country`` (Eurostat geo code: GR -> EL, TU -> TR), ``mipex_code``
        (the sheet name), ``year``, ``strand`` (``overall_with_health``,
        ``overall_without_health``, ``overall_without_health_education`` or
        one of :data:`STRANDS`), ``indicator`` (``'overall'``,
        ``'strand_average'`` or the MIPEX code such as ``'aa1'``),
        ``indicator_title``, ``score`` (0-100), ``note`` and ``comment``
        (the national expert's comment, when there is one).

    Raises
    ------
    DataError
        If the file is missing, empty or not an xlsx workbook; a sheet is not a
        known MIPEX country code; a block, label or strand is missing; a year
        or score is not a number (Excel errors excepted); or a score lies
        outside 0-100.

    Notes
    -----
    Cells holding an Excel error (``#DIV/0!``) mark a country not scored: they
    become ``NaN`` with a ``note``. Two kinds of template text found in score
    cells of the 2007-2019 file (the "DON'T FILL THESE YEARS FOR HEALTH"
    instruction and pasted answer-option text) are treated the same way.
    Blank years and blank score cells are dropped.
    """
    path = Path(path)
    frames = []
    for sheet, grid in load_xlsx_sheets(path).items():
        code = sheet.strip().upper()
        if code not in MIPEX_TO_GEO:
            raise DataError(path, f"sheet '{sheet}': unknown MIPEX country code")
        records = _parse_sheet(path, sheet, grid)
        frame = pd.DataFrame.from_records(records)
        frame.insert(0, "mipex_code", code)
        frame.insert(0, "country", MIPEX_TO_GEO[code])
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)[_COLUMNS]
    duplicated = out.duplicated(["country", "year", "strand", "indicator"], keep=False)
    if duplicated.any():
        first = out[duplicated].iloc[0]
        raise DataError(path, f"sheet '{first.mipex_code}': indicator {first.indicator!r} of "
                              f"{first.strand} appears twice for {first.year}")
    out["year"] = out["year"].astype(int)
    out["score"] = out["score"].astype(float)
    return out.sort_values(["country", "year", "strand", "indicator"], ignore_index=True)


def read_mipex_scores(core_path: str | Path, eu_path: str | Path) -> pd.DataFrame:
    """Combine the MIPEX 2007-2019 core workbook with the 2020-2024 EU update.

    Parameters
    ----------
    core_path : str or Path
        ``mipex_core_2007-2019.xlsx``; only its years up to 2019 are kept.
    eu_path : str or Path
        ``mipex_EU_2020-2024.xlsx``; only its years from 2020 are kept.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`read_mipex_workbook` plus ``edition``
        (``'core_2007_2019'`` or ``'eu_2020_2024'``).

    Notes
    -----
    A few non-European sheets of the core file (AE, JO, SA, ZA) carry 2020 or
    2021 rows; they are dropped so each year comes from one edition only.
    """
    core = read_mipex_workbook(core_path)
    eu = read_mipex_workbook(eu_path)
    core = core[core["year"] <= 2019].assign(edition=EDITIONS["core"])
    eu = eu[eu["year"] >= 2020].assign(edition=EDITIONS["eu"])
    out = pd.concat([core, eu], ignore_index=True)
    return out.sort_values(["country", "year", "strand", "indicator"], ignore_index=True)


def mipex_strands(df: pd.DataFrame) -> pd.DataFrame:
    """Keep the overall scores and strand averages of a MIPEX table.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`read_mipex_workbook` or :func:`read_mipex_scores`.

    Returns
    -------
    pandas.DataFrame
        Columns ``country``, ``year``, ``strand`` and ``score``; rows without a
        score (Excel errors in the source) are dropped.
    """
    missing = {"country", "year", "strand", "indicator", "score"} - set(df.columns)
    if missing:
        raise ValueError(f"not a MIPEX table: missing column(s) {sorted(missing)}")
    keep = df["indicator"].isin(["overall", "strand_average"]) & df["score"].notna()
    out = df.loc[keep, ["country", "year", "strand", "score"]]
    return out.sort_values(["country", "year", "strand"], ignore_index=True)


def read_citrix_mipex(path: str | Path) -> pd.DataFrame:
    """Read Vink's (2022) CITRIX / MIPEX access-to-nationality compilation.

    Parameters
    ----------
    path : str or Path
        ``citrix_mipex_ATN2020_vink2022.csv``: one row per country and year,
        CITRIX v1/v2 components and the MIPEX 2020 ``MIPEX_ATN_2020`` score.

    Returns
    -------
    pandas.DataFrame
        Columns ``country`` (Eurostat geo code), ``country_name``, ``year``,
        ``variable`` (the source column name) and ``value``; empty values
        dropped. Free-text columns (``period`` and the correction notes) and
        identifier columns are not melted.

    Raises
    ------
    DataError
        If the file is missing or empty, a required column is missing, a value
        column holds text, ``MIPEX_ATN_2020`` lies outside 0-100, or a country
        has no known ISO3 code.
    """
    path = Path(path)
    check_file(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(path, f"cannot parse CSV (truncated or corrupt?): {exc}") from exc
    for column in ("year", "iso3", "country_name", "MIPEX_ATN_2020"):
        if column not in raw.columns:
            raise DataError(path, "missing required column", column=column)
    if raw.empty:
        raise DataError(path, "no data rows")
    raw = raw.apply(lambda col: col.str.strip())

    # Some rows leave iso3 blank: take it from the country's other rows.
    iso_by_name = raw.loc[raw["iso3"] != ""].drop_duplicates("country_name")
    iso_by_name = dict(zip(iso_by_name["country_name"], iso_by_name["iso3"]))
    iso3 = raw["iso3"].where(raw["iso3"] != "", raw["country_name"].map(iso_by_name))
    geo = {}
    for code in iso3.dropna().unique():
        try:
            geo[code] = NON_EUROPEAN_ISO3.get(code) or iso3_to_eurostat(code)
        except UnknownCountryError:
            pass
    unknown = ~iso3.isin(list(geo))
    if unknown.any():
        i = int(unknown.idxmax())
        raise DataError(path, f"unknown country {raw.at[i, 'country_name']!r} "
                              f"(ISO3 {iso3.iloc[i]!r})", row=i + 2, column="iso3")

    years = pd.to_numeric(raw["year"], errors="coerce")
    if years.isna().any():
        i = int(years.isna().idxmax())
        raise DataError(path, f"year {raw.at[i, 'year']!r} is not a number", row=i + 2,
                        column="year")

    value_columns = [c for c in raw.columns
                     if c not in _CITRIX_ID_COLUMNS and not _CITRIX_TEXT.match(c)]
    values = raw[value_columns].replace({"": None, "NA": None})
    numeric = values.apply(pd.to_numeric, errors="coerce")
    bad = numeric.isna() & values.notna()
    if bad.any().any():
        column = bad.any().idxmax()
        i = int(bad[column].idxmax())
        raise DataError(path, f"non-numeric value {values.at[i, column]!r}", row=i + 2,
                        column=column)
    atn = numeric["MIPEX_ATN_2020"]
    if ((atn < 0) | (atn > 100)).any():
        i = int(((atn < 0) | (atn > 100)).idxmax())
        raise DataError(path, f"MIPEX score {atn[i]} outside 0-100", row=i + 2,
                        column="MIPEX_ATN_2020")

    numeric.insert(0, "year", years.astype(int))
    numeric.insert(0, "country_name", raw["country_name"])
    numeric.insert(0, "country", iso3.map(geo))
    out = numeric.melt(id_vars=["country", "country_name", "year"], var_name="variable",
                       value_name="value").dropna(subset=["value"])
    return out.sort_values(["country", "year", "variable"], ignore_index=True)
