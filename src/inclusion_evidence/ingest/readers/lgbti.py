"""Readers for LGBTI data: ILGA-Europe Rainbow Map criteria and FRA LGBT(I) surveys.

All three sources come through the ``r-lgbtq/tidyrainbow`` repository, which
cleaned the publishers' exports (see its README files). Countries are given by
English name; the readers add Eurostat geo codes (Greece ``EL``, United
Kingdom ``UK``) through :mod:`inclusion_evidence.core.geo_codes`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.geo_codes import UnknownCountryError, name_to_eurostat
from inclusion_evidence.ingest.readers._common import check_file, load_xlsx_frames

# FRA's EU aggregate (EU-28 in both surveys) in Eurostat style.
AGGREGATE_TO_GEO: dict[str, str] = {"EU-28": "EU28", "EU28": "EU28"}

# ILGA category files and the category names used in the output.
ILGA_CATEGORIES: dict[str, str] = {
    "Equality&non_Discrimination.csv": "equality_non_discrimination",
    "Family.csv": "family",
    "HateSpeech-HateCrime.csv": "hate_crime_hate_speech",
    "LegalGenderRecognition.csv": "legal_gender_recognition",
    "Intersex_bodily_integrity.csv": "intersex_bodily_integrity",
    "Civil_society.csv": "civil_society_space",
    "Asylum.csv": "asylum",
}
_ILGA_KEY_FILE = "Equality&non_Discrimination.csv"
# The Equality file ends with the map legend, not countries.
_LEGEND = re.compile(r"^(symbols|[xo]\s*-\s)", re.IGNORECASE)
# 1 = criterion met nationally, 0.5 = met in some regions only ("o" in the
# legend: federal or devolved states), blank/NA = not met.
_ILGA_VALUES = {1.0, 0.5, 0.0}

# FRA EU-LGBTI II sheet names -> breakdown.
_FRA_BREAKDOWNS: tuple[tuple[str, str], ...] = (
    (r"-age$", "age"),
    (r"-edu$", "education"),
    (r"-emp$", "employment"),
    (r"-open$", "openness"),
    (r"-partner$", "partner"),
    (r"-res$", "residence"),
    (r"(^|-)T-gender$", "trans_subgroup"),
)
_FRA_COLUMNS = ("CountryCode", "question_label", "target_group", "answer", "percentage")
_MISSING = {"", ":", "NA", "nan"}

# FRA 2012 notes column.
FRA_2012_NOTES: dict[str, str | None] = {
    "": None,
    "[0]": "small sample",
    "[1]": "NA: small sample",
    "[2]": "missing",
}
_FRA_2012_COLUMNS = ("CountryCode", "subset", "question_code", "question_label", "answer",
                     "percentage", "notes")


# --------------------------------------------------------------------------- helpers


def _read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV as text, blanks and 'NA' kept as strings for explicit checks."""
    check_file(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError as exc:
        raise DataError(path, "file is empty") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(path, f"cannot parse CSV (truncated or corrupt?): {exc}") from exc
    return frame.apply(lambda col: col.str.strip())


def _geo(path: Path, name: str, row: int | None, column: str,
         aggregates: dict[str, str] | None = None) -> str:
    """Eurostat code for a country name (or an aggregate such as 'EU-28')."""
    if aggregates and name in aggregates:
        return aggregates[name]
    try:
        return name_to_eurostat(name)
    except UnknownCountryError:
        raise DataError(path, f"unknown country {name!r}", row=row, column=column) from None


def _percentages(path: Path, values: pd.Series, column: str, sheet: str = "") -> pd.Series:
    """Parse percentages; ':' and blanks (FRA's "not available") become NaN."""
    text = values.astype("string").str.strip()
    missing = (text.isna() | text.isin(_MISSING)).fillna(True).astype(bool)
    # Plain float64 so comparisons give booleans, not <NA>.
    numbers = pd.to_numeric(text.where(~missing), errors="coerce").astype(float)
    where = f"sheet '{sheet}': " if sheet else ""
    bad = numbers.isna() & ~missing
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(path, f"{where}non-numeric percentage {text.iloc[i]!r}",
                        row=int(values.index[i]) + 2, column=column)
    out_of_range = (numbers < 0) | (numbers > 100)
    if out_of_range.any():
        i = int(out_of_range.to_numpy().argmax())
        raise DataError(path, f"{where}percentage {numbers.iloc[i]} outside 0-100",
                        row=int(values.index[i]) + 2, column=column)
    return numbers


# ----------------------------------------------------------------------------- ILGA


def _ilga_values(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    """Criterion flags as floats: 1, 0.5 or 0 (blank / NA = not met)."""
    values = frame.replace({"": "0", "NA": "0"}).apply(pd.to_numeric, errors="coerce")
    bad = values.isna() | ~values.isin(_ILGA_VALUES)
    if bad.any().any():
        column = bad.any().idxmax()
        i = int(bad[column].to_numpy().argmax())
        raise DataError(path, f"value {frame[column].iloc[i]!r} is not 1, 0.5 or NA",
                        row=i + 2, column=column)
    return values.astype(float)


def read_ilga_rainbow(folder: str | Path) -> pd.DataFrame:
    """Read the seven ILGA-Europe Rainbow Map category files into one table.

    Parameters
    ----------
    folder : str or Path
        Folder holding the seven category CSVs (``Equality&non_Discrimination.csv``,
        ``Family.csv``, ``HateSpeech-HateCrime.csv``, ``LegalGenderRecognition.csv``,
        ``Intersex_bodily_integrity.csv``, ``Civil_society.csv``, ``Asylum.csv``).

    Returns
    -------
    pandas.DataFrame
        One row per country, category and criterion: ``country`` (name as
        published), ``geo`` (Eurostat code), ``category``, ``criterion``,
        ``value`` (1 = met nationally, 0.5 = met in some regions only,
        0 = not met), ``met`` (value > 0) and ``regional_only`` (value 0.5).

    Raises
    ------
    DataError
        If a file is missing or empty; a country name is unknown; a value is
        not 1, 0.5 or NA; or a category file does not line up with the
        Equality file's countries.

    Notes
    -----
    Only the Equality file has a ``country`` column. The other six list the
    same countries in the same order, so they are joined by row position: the
    legend lines at the end of the Equality file ("Symbols", "x - national /
    federal application", ...) and the blank row before them are dropped, the
    rows at the same positions in the other files must be empty, and every
    file must then have the same number of rows.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(folder, "folder not found")
    frames = {name: _read_csv(folder / name) for name in ILGA_CATEGORIES}

    key_path = folder / _ILGA_KEY_FILE
    key = frames[_ILGA_KEY_FILE]
    if "country" not in key.columns:
        raise DataError(key_path, "missing required column", column="country")
    names = key["country"]
    # Legend block: blank/'NA' country names and legend lines at the end.
    legend = names.isin(["", "NA"]) | names.str.match(_LEGEND)
    countries = int((~legend).sum())
    if legend.any() and legend.to_numpy().argmax() < countries:
        i = int(legend.to_numpy().argmax())
        raise DataError(key_path, f"legend or blank line {names.iloc[i]!r} before the last "
                                  f"country", row=i + 2, column="country")
    if countries == 0:
        raise DataError(key_path, "no country rows")
    geo = [_geo(key_path, name, i + 2, "country") for i, name in enumerate(names[:countries])]

    parts = []
    for name, category in ILGA_CATEGORIES.items():
        path = folder / name
        frame = frames[name].drop(columns=["country"], errors="ignore")
        if len(frame.columns) == 0:
            raise DataError(path, "no criterion columns")
        if len(frame) not in (countries, len(key)):
            raise DataError(path, f"has {len(frame)} rows; {_ILGA_KEY_FILE} has {len(key)} "
                                  f"rows ({countries} countries): rows cannot be matched "
                                  f"by position")
        values = _ilga_values(path, frame)
        tail = values.iloc[countries:]
        if (tail != 0).any().any():
            i = countries + int((tail != 0).any(axis=1).to_numpy().argmax())
            raise DataError(path, f"row {i + 2} holds values but lies beyond the "
                                  f"{countries} countries of {_ILGA_KEY_FILE} "
                                  f"(rows misaligned?)", row=i + 2)
        values = values.iloc[:countries]
        values.insert(0, "geo", geo)
        values.insert(0, "country", list(names[:countries]))
        long = values.melt(id_vars=["country", "geo"], var_name="criterion", value_name="value")
        long.insert(2, "category", category)
        parts.append(long)

    out = pd.concat(parts, ignore_index=True)
    out["met"] = out["value"] > 0
    out["regional_only"] = out["value"] == 0.5
    return out


def ilga_category_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Count criteria met per country and category.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`read_ilga_rainbow`.

    Returns
    -------
    pandas.DataFrame
        Columns ``country``, ``geo``, ``category``, ``met`` (criteria met,
        including regionally), ``regional_only``, ``total`` (criteria in the
        category), ``share`` (met / total) and ``weighted_share`` (sum of
        values / total, counting regional criteria as one half).

    Notes
    -----
    These are unweighted criterion counts, not ILGA's weighted Rainbow Map
    percentages.
    """
    missing = {"country", "geo", "category", "value", "met"} - set(df.columns)
    if missing:
        raise ValueError(f"not an ILGA table: missing column(s) {sorted(missing)}")
    regional = df["regional_only"] if "regional_only" in df.columns else df["value"] == 0.5
    out = (df.assign(regional_only=regional)
             .groupby(["country", "geo", "category"], sort=True)
             .agg(met=("met", "sum"), regional_only=("regional_only", "sum"),
                  total=("met", "size"), value=("value", "sum"))
             .reset_index())
    out["share"] = out["met"] / out["total"]
    out["weighted_share"] = out.pop("value") / out["total"]
    return out


# ------------------------------------------------------------------------------ FRA


def _breakdown(path: Path, sheet: str) -> str:
    for pattern, name in _FRA_BREAKDOWNS:
        if re.search(pattern, sheet.strip(), re.IGNORECASE):
            return name
    raise DataError(path, f"sheet '{sheet}': unknown breakdown (expected age, edu, emp, open, "
                          f"partner, res or T-gender)")


def read_fra_lgbti_2019(path: str | Path) -> pd.DataFrame:
    """Read one FRA EU-LGBTI II (2019) question workbook into a tidy table.

    Parameters
    ----------
    path : str or Path
        ``FRA_EU-T1Q1.xlsx`` ... ``FR_EU-T1Q5.xlsx``: one sheet per breakdown
        (``LGBTI-age``, ``LGBTI-edu``, ``LGBTI-emp``, ``LGBTI-open``,
        ``LGBTI-partner``, ``LGBTI-res``, ``T-gender``).

    Returns
    -------
    pandas.DataFrame
        Columns ``geo`` (Eurostat code; ``EU28`` for the EU-28 aggregate),
        ``country`` (name as published), ``question_id`` (e.g. ``'T1Q1'``,
        from the file name), ``question``, ``target_group``, ``breakdown``
        (``age``, ``education``, ``employment``, ``openness``, ``partner``,
        ``residence``, ``trans_subgroup``), ``subgroup``, ``answer`` and
        ``percentage`` (``NaN`` where FRA gives no figure). Rows repeated
        verbatim in the source are kept once.

    Raises
    ------
    DataError
        If the file is missing, empty or unreadable; a sheet is not a known
        breakdown or lacks a column; a country is unknown; or a percentage is
        non-numeric or outside 0-100.
    """
    path = Path(path)
    check_file(path)
    sheets = load_xlsx_frames(path)
    if not sheets:
        raise DataError(path, "workbook has no sheets")
    match = re.search(r"T\d+Q\d+", path.name)
    question_id = match.group(0) if match else path.stem

    parts = []
    for sheet, frame in sheets.items():
        breakdown = _breakdown(path, sheet)
        frame.columns = [str(c).strip() for c in frame.columns]
        for column in _FRA_COLUMNS:
            if column not in frame.columns:
                raise DataError(path, f"sheet '{sheet}': missing required column", column=column)
        # The subgroup column is named after the breakdown ('age',
        # 'LGBTI_openness', 'gender_id', sometimes 'subset'): take the one left.
        others = [c for c in frame.columns if c not in _FRA_COLUMNS]
        if len(others) != 1:
            raise DataError(path, f"sheet '{sheet}': expected one subgroup column besides "
                                  f"{', '.join(_FRA_COLUMNS)}, found {others}")
        frame = frame.dropna(how="all")  # keep the index: it gives the sheet row
        text = {c: frame[c].astype("string").str.strip()
                for c in (*_FRA_COLUMNS[:-1], others[0])}
        geo = [_geo(path, name, int(i) + 2, f"{sheet}!CountryCode", AGGREGATE_TO_GEO)
               for i, name in text["CountryCode"].fillna("").items()]
        parts.append(pd.DataFrame({
            "geo": geo,
            "country": text["CountryCode"],
            "question_id": question_id,
            "question": text["question_label"],
            "target_group": text["target_group"],
            "breakdown": breakdown,
            "subgroup": text[others[0]],
            "answer": text["answer"],
            "percentage": _percentages(path, frame["percentage"], "percentage", sheet),
        }).reset_index(drop=True))
    # The Q5 openness sheet repeats 42 rows verbatim: drop exact copies, but
    # refuse two different figures for the same cell.
    out = pd.concat(parts, ignore_index=True).drop_duplicates(ignore_index=True)
    key = ["geo", "target_group", "breakdown", "subgroup", "answer"]
    clash = out.duplicated(key, keep=False)
    if clash.any():
        first = out[clash].iloc[0]
        raise DataError(path, f"conflicting percentages for {first.geo}, {first.target_group}, "
                              f"{first.breakdown} {first.subgroup!r}, answer {first.answer!r}")
    return out


def read_fra_lgbt_2012(path: str | Path) -> pd.DataFrame:
    """Read the FRA EU LGBT Survey (2012) discrimination table.

    Parameters
    ----------
    path : str or Path
        ``LGBT_Survey_Discrimination.csv`` with columns CountryCode, subset,
        question_code, question_label, answer, percentage and notes.

    Returns
    -------
    pandas.DataFrame
        Columns ``geo`` (Eurostat code; the survey's ``Average`` row becomes
        ``EU28``), ``country``, ``subset`` (Lesbian, Gay, Bisexual women,
        Bisexual men, Transgender), ``question_code``, ``question``,
        ``answer``, ``percentage`` (``NaN`` for ':') and ``note`` decoded from
        the notes flags: ``[0]`` "small sample", ``[1]`` "NA: small sample",
        ``[2]`` "missing", blank -> ``None``.

    Raises
    ------
    DataError
        If the file is missing, empty or unparsable; a column is missing; a
        country or notes flag is unknown; or a percentage is non-numeric or
        outside 0-100.
    """
    path = Path(path)
    raw = _read_csv(path)
    for column in _FRA_2012_COLUMNS:
        if column not in raw.columns:
            raise DataError(path, "missing required column", column=column)
    if raw.empty:
        raise DataError(path, "no data rows")
    # The EU average of the 28 surveyed countries (EU-27 and Croatia).
    aggregates = {**AGGREGATE_TO_GEO, "Average": "EU28"}
    geo = [_geo(path, name, i + 2, "CountryCode", aggregates)
           for i, name in enumerate(raw["CountryCode"])]
    unknown = ~raw["notes"].isin(list(FRA_2012_NOTES))
    if unknown.any():
        i = int(unknown.to_numpy().argmax())
        raise DataError(path, f"unknown notes flag {raw['notes'].iloc[i]!r}", row=i + 2,
                        column="notes")
    return pd.DataFrame({
        "geo": geo,
        "country": raw["CountryCode"],
        "subset": raw["subset"],
        "question_code": raw["question_code"],
        "question": raw["question_label"],
        "answer": raw["answer"],
        "percentage": _percentages(path, raw["percentage"], "percentage"),
        "note": raw["notes"].map(FRA_2012_NOTES),
    })
