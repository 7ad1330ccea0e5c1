"""Reader for the ESIF 2014-2020 "Finances Planned Details" CSV (Cohesion Open Data).

One row per programme (CCI) x fund x priority x thematic objective x category
of region, amounts in EUR. The report uses thematic objective 09 (social
inclusion) for ESF and ERDF inclusion spending.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.geo_codes import EU27

REQUIRED_COLUMNS: tuple[str, ...] = (
    "ms", "ms_name", "cci", "programme_title", "fund", "priority", "to_code", "to_short",
    "category_of_region", "eu_amount", "national_amount", "total_amount",
)
AMOUNT_COLUMNS: tuple[str, ...] = ("eu_amount", "national_amount", "total_amount")

# ESIF writes Greece as GR (ISO); TC marks Interreg (territorial cooperation)
# programmes that span several countries, so it has no geo code.
_MEMBER_STATES = frozenset(EU27) | {"UK"}
_MS_TO_GEO: dict[str, str | None] = {geo: geo for geo in _MEMBER_STATES}
_MS_TO_GEO.update({"GR": "EL", "TC": None})

# EU + national should equal total; the file rounds each to the cent, so
# allow a couple of euros before calling it inconsistent.
_TOTAL_TOLERANCE_EUR = 2.0


def _snake(name: str) -> str:
    """'MS Name' -> 'ms_name', 'EU co-financing (%)' -> 'eu_co_financing'."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def _to_code(value: str) -> str:
    """Zero-pad numeric thematic-objective codes ('9' -> '09'); keep 'TA', 'VOID' etc."""
    value = value.strip()
    return value.zfill(2) if value.isdigit() else value


def _check_field_counts(path: Path) -> None:
    """Raise if a row has more or fewer fields than the header.

    pandas pads short rows silently, so a file cut off mid-row would read
    as a row with blank amounts; count the fields first to say what happened.
    """
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                raise DataError(path, "file is empty")
            for number, row in enumerate(reader, start=2):
                if row and len(row) != len(header):
                    raise DataError(path, f"row has {len(row)} fields, the header has "
                                          f"{len(header)} (truncated file?)", row=number)
    except csv.Error as exc:
        raise DataError(path, f"cannot parse CSV (truncated or corrupt?): {exc}") from exc
    except UnicodeDecodeError as exc:
        raise DataError(path, f"not UTF-8 text: {exc}") from exc


def read_esif_planned(path: str | Path) -> pd.DataFrame:
    """Read the ESIF 2014-2020 planned-finances CSV into a tidy table.

    Parameters
    ----------
    path : str or Path
        ``ESIF_2014-2020_FINANCES_PLANNED_DETAILS_190411.csv``.

    Returns
    -------
    pandas.DataFrame
        All source columns renamed to snake_case (``ms``, ``ms_name``, ``cci``,
        ``ver``, ``programme_title``, ``fund``, ``priority``, ``to_code``,
        ``to_short``, ``to_long``, ``category_of_region``, ...,
        ``eu_amount``, ``national_amount``, ``total_amount``,
        ``eu_co_financing``) plus ``geo`` (Eurostat code; Greece ``EL``,
        ``<NA>`` for the multi-country Interreg code ``TC``). Amounts are EUR,
        as floats. ``to_code`` is a 2-digit string (``'09'``) or the source
        text when not numeric (``'TA'``, ``'DM'``, ``'IPA-TA'``, ``'VOID'``).
        Text is kept as published, including ``'VOID'`` for not applicable.

    Raises
    ------
    DataError
        If the file is missing, empty or cannot be parsed; a required column is
        missing; a row is short (truncated file); an amount is blank,
        non-numeric or negative; EU + national differs from total; or ``ms``
        is not a known Member State code.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(path, "file not found")
    if path.stat().st_size == 0:
        raise DataError(path, "file is empty")
    _check_field_counts(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError as exc:
        raise DataError(path, "file is empty") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(path, f"cannot parse CSV (truncated or corrupt?): {exc}") from exc

    raw.columns = [_snake(c) for c in raw.columns]
    for column in REQUIRED_COLUMNS:
        if column not in raw.columns:
            raise DataError(path, "missing required column (names compared in snake_case)",
                            column=column)
    if raw.empty:
        raise DataError(path, "no data rows")

    out = raw.apply(lambda col: col.str.strip())
    for column in AMOUNT_COLUMNS + ("eu_co_financing",):
        if column not in out.columns:
            continue
        numbers = pd.to_numeric(out[column], errors="coerce")
        bad = numbers.isna()
        if bad.any():
            i = int(bad.idxmax())
            problem = "blank amount" if not out.at[i, column] else \
                f"amount {out.at[i, column]!r} is not a number"
            raise DataError(path, problem, row=i + 2, column=column)
        if (numbers < 0).any():
            i = int((numbers < 0).idxmax())
            raise DataError(path, f"negative planned amount {numbers[i]}", row=i + 2,
                            column=column)
        out[column] = numbers.astype(float)

    gap = (out["eu_amount"] + out["national_amount"] - out["total_amount"]).abs()
    if (gap > _TOTAL_TOLERANCE_EUR).any():
        i = int((gap > _TOTAL_TOLERANCE_EUR).idxmax())
        raise DataError(path, f"EU + national amount differs from total by {gap[i]:.2f} EUR",
                        row=i + 2, column="total_amount")

    unknown = ~out["ms"].isin(list(_MS_TO_GEO))
    if unknown.any():
        i = int(unknown.idxmax())
        raise DataError(path, f"unknown Member State code {out.at[i, 'ms']!r}", row=i + 2,
                        column="ms")
    out["geo"] = out["ms"].map(_MS_TO_GEO).astype("string")
    out["to_code"] = out["to_code"].map(_to_code)
    return out


def esif_by(df: pd.DataFrame, by: Sequence[str] = ("ms", "fund", "to_code")) -> pd.DataFrame:
    """Sum planned ESIF amounts by the given columns.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`read_esif_planned`.
    by : sequence of str, default ('ms', 'fund', 'to_code')
        Columns to group by.

    Returns
    -------
    pandas.DataFrame
        One row per group with ``eu_amount``, ``national_amount`` and
        ``total_amount`` summed (EUR), sorted by the group columns.
    """
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in [*by, *AMOUNT_COLUMNS] if c not in df.columns]
    if missing:
        raise ValueError(f"cannot group ESIF amounts: missing column(s) {missing}")
    return (df.groupby(by, dropna=False, sort=True)[list(AMOUNT_COLUMNS)]
              .sum().reset_index())
