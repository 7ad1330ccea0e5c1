"""Derived tables for chapters 6 and 7: AMIF 2021-2027 planned amounts (declared source).

The catalogue declares ``cohesion_2021_2027_amif``: the AMIF rows of the
Cohesion Open Data dataset ``9qee-iv7c`` ("2021-2027 Financial Plan details by
year (All CPR funds)"). It is not in this edition's mirror. Until a user adds
the CSV export, the step writes an empty ``amif_2021_2027_planned`` table with
the same columns, and chapter 6 says what is missing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.geo_codes import UnknownCountryError, to_eurostat
from inclusion_evidence.steps.registry import step

AMIF_PLAN_COLUMNS = {"geo": "string", "ms": "string", "cci": "string", "programme": "string",
                     "fund": "string", "year": "int64", "eur": "float64"}

_ALIASES = {
    "ms": ("ms", "member_state", "ms_code", "country_code"),
    "fund": ("fund",),
    "cci": ("cci", "programme_cci", "cci_code"),
    "programme": ("cci_title", "title", "programme_title", "programme_name"),
}
_YEAR_COLUMN = re.compile(r"^y?(20[2-3]\d)$")


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def _empty_plan() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in AMIF_PLAN_COLUMNS.items()})


def read_cohesion_financial_plan(path: str | Path, fund: str = "AMIF") -> pd.DataFrame:
    """Read a Cohesion Open Data 2021-2027 financial-plan CSV (dataset ``9qee-iv7c``) into long form.

    The export has one row per programme (``cci``) × fund × allocation
    category, with the EU amount per year in columns ``y2021`` … ``y2027``
    (API field names) or ``2021`` … ``2027`` (display names). Column names are
    matched case- and punctuation-insensitively.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file.
    fund : str
        Fund code kept (``AMIF``); rows of other funds are dropped.

    Returns
    -------
    pandas.DataFrame
        ``geo`` (Eurostat code), ``ms``, ``cci``, ``programme``, ``fund``,
        ``year``, ``eur`` (EU amount, EUR), one row per programme × year
        (allocation categories summed).

    Raises
    ------
    DataError
        File missing or empty, a required column absent, an unknown Member
        State code or a non-numeric amount (the message names row and column).
    """
    path = Path(path)
    if not path.exists():
        raise DataError(path, "file not found")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(path, f"not a readable CSV ({exc})") from None
    if raw.empty:
        raise DataError(path, "has a header but no rows")
    raw.columns = [_snake(c) for c in raw.columns]
    found = {}
    for key, names in _ALIASES.items():
        hit = next((n for n in names if n in raw.columns), None)
        if hit is None and key in ("ms", "fund"):
            raise DataError(path, f"no '{key}' column (looked for {', '.join(names)})", column=key)
        found[key] = hit
    years = {c: int(_YEAR_COLUMN.match(c).group(1)) for c in raw.columns if _YEAR_COLUMN.match(c)}
    if not years:
        raise DataError(path, "no yearly amount columns (y2021 … y2027)")
    df = raw[raw[found["fund"]].str.strip().str.upper() == fund.upper()].copy()
    if df.empty:
        return _empty_plan()
    geos = []
    for i, ms in df[found["ms"]].items():
        try:
            geos.append(to_eurostat(ms.strip()))
        except UnknownCountryError:
            raise DataError(path, f"unknown Member State code {ms!r}", row=i + 2, column=found["ms"]) from None
    df["geo"] = geos
    rows = []
    for col, year in years.items():
        text = df[col].str.replace(",", "", regex=False).str.strip()
        amount = pd.to_numeric(text.replace("", "0"), errors="coerce")
        bad = amount.isna()
        if bad.any():
            i = bad.idxmax()
            raise DataError(path, f"amount {df.at[i, col]!r} is not a number", row=i + 2, column=col)
        rows.append(pd.DataFrame({
            "geo": df["geo"], "ms": df[found["ms"]].str.strip(),
            "cci": df[found["cci"]] if found["cci"] else "",
            "programme": df[found["programme"]] if found["programme"] else "",
            "fund": fund.upper(), "year": year, "eur": amount.astype(float)}))
    long = pd.concat(rows, ignore_index=True)
    long = long.groupby(["geo", "ms", "cci", "programme", "fund", "year"], as_index=False)["eur"].sum()
    return long.astype(AMIF_PLAN_COLUMNS).sort_values(["geo", "cci", "year"]).reset_index(drop=True)


@step("amif_2021_2027", inputs=[], outputs=["amif_2021_2027_planned"], optional=["cohesion_2021_2027_amif"])
def amif_2021_2027(sources):
    if "cohesion_2021_2027_amif" in sources:
        return {"amif_2021_2027_planned": read_cohesion_financial_plan(sources["cohesion_2021_2027_amif"])}
    return {"amif_2021_2027_planned": _empty_plan()}
