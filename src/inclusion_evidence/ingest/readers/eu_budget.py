"""Reader for the Commission's "EU spending and revenue" workbook (DG BUDG).

The workbook has one sheet per year with payments (EUR million, current prices)
by budget line and Member State. The header row and the code/label columns move
between sheets, so the reader finds them by content: the header is the row
holding the Member State codes, the code column is the one holding budget-line
codes such as ``3.0.1``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.geo_codes import EU27, UnknownCountryError, to_eurostat
from inclusion_evidence.ingest.readers._common import load_xlsx_sheets

# Member State columns as Eurostat geo codes (EU-27 plus the UK up to 2020).
MEMBER_STATES: frozenset[str] = frozenset(EU27) | {"UK"}

# A header row must name at least this many Member States, so that a stray
# "BE" in a label cell is never taken for the header.
_MIN_STATES_IN_HEADER = 10
_LINE_CODE = re.compile(r"^\d+(\.[0-9A-Z]+)*\.?$")
_EU_AGGREGATE = re.compile(r"^EU-?\d+$")


@dataclass(frozen=True)
class BudgetLine:
    """A budget line to extract, valid for a range of years.

    Parameters
    ----------
    code : str
        Line code as printed in the sheet, e.g. ``'3.0.1'``.
    keywords : tuple of str
        Words the line label must contain (case-insensitive); they guard
        against a code being reused for another line in a later framework.
    first_year, last_year : int
        Years the line applies to; ``last_year=None`` means every later sheet.
    programme : str
        Short programme name written to the ``programme`` column.
    """

    code: str
    keywords: tuple[str, ...]
    first_year: int
    last_year: int | None
    programme: str

    def applies_to(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)


# The migration lines of the three multiannual financial frameworks. The codes
# recur with other meanings (3.1.1 is agriculture from 2021), hence the keywords.
MIGRATION_LINES: tuple[BudgetLine, ...] = (
    BudgetLine("3.1.1", ("solidarity", "migration"), 2007, 2013, "SOLID"),
    BudgetLine("3.0.1", ("asylum", "migration", "integration"), 2014, 2020, "AMIF"),
    BudgetLine("4.0.11", ("asylum", "migration", "integration"), 2021, None, "AMIF"),
)

_COLUMNS = ["year", "programme", "line_code", "line_label", "member_state", "eur_million"]


def _state_code(value: object) -> str | None:
    """Eurostat code for a header cell naming a Member State, else None."""
    if not isinstance(value, str):
        return None
    code = value.strip().rstrip("*").strip()  # 'LU*' carries a footnote mark
    if not re.fullmatch(r"[A-Z]{2}", code):
        return None
    try:
        code = to_eurostat(code)  # Greece may be written GR (ISO) instead of EL
    except UnknownCountryError:
        return None
    return code if code in MEMBER_STATES else None


def _header_rows(grid: list[list[object]]) -> list[int]:
    """Rows that name enough Member States to be a column header."""
    return [r for r, row in enumerate(grid)
            if sum(_state_code(v) is not None for v in row) >= _MIN_STATES_IN_HEADER]


def _state_columns(path: Path, sheet: str, header: list[object], r: int) -> dict[int, str]:
    """Map column index -> Member State code; reject unknown 2-letter codes."""
    columns = {}
    first = min(c for c, v in enumerate(header) if _state_code(v))
    for c, value in enumerate(header):
        code = _state_code(value)
        if code:
            if code in columns.values():
                raise DataError(path, f"sheet '{sheet}': Member State {code} appears twice "
                                      f"in the header", row=r + 1)
            columns[c] = code
        elif c > first and isinstance(value, str) and re.fullmatch(r"[A-Z]{2}\*?", value.strip()):
            raise DataError(path, f"sheet '{sheet}': unknown country code {value.strip()!r} "
                                  f"in the header", row=r + 1)
    return columns


def _code_column(grid, start: int, stop: int, before: int) -> int | None:
    """The column left of ``before`` holding the most budget-line codes."""
    counts = {}
    for c in range(before):
        counts[c] = sum(isinstance(grid[r][c], str) and bool(_LINE_CODE.match(grid[r][c].strip()))
                        for r in range(start, stop))
    best = max(counts, key=counts.get, default=None)
    return best if best is not None and counts[best] > 0 else None


def _label(row: list[object], code_col: int, before: int) -> str:
    """The first text cell right of the code column, before the numbers start."""
    for value in row[code_col + 1:before]:
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return ""


def _amount(path: Path, sheet: str, value: object, r: int, column: str) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return math.nan  # blank: nothing recorded for that Member State
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", ""))
        except ValueError:
            raise DataError(path, f"sheet '{sheet}': non-numeric amount {value.strip()!r}",
                            row=r + 1, column=column) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataError(path, f"sheet '{sheet}': non-numeric amount {value!r}", row=r + 1,
                        column=column)
    return float(value)


def _read_line(path, sheet, grid, line: BudgetLine) -> list[dict]:
    headers = _header_rows(grid)
    if not headers:
        raise DataError(path, f"sheet '{sheet}': no header row with Member State codes")
    # The expenditure table runs from the first header to the next one (the
    # 2021+ sheets repeat the header for NGEU and revenue tables below).
    header = headers[0]
    stop = headers[1] if len(headers) > 1 else len(grid)
    states = _state_columns(path, sheet, grid[header], header)
    # Codes and labels sit left of the first amount column ("Total").
    totals = [c for c, v in enumerate(grid[header])
              if isinstance(v, str) and v.strip().lower() == "total"]
    first_number = totals[0] if totals else min(states)
    code_col = _code_column(grid, header + 1, stop, first_number)
    if code_col is None:
        raise DataError(path, f"sheet '{sheet}': no column of budget-line codes")

    matches = [r for r in range(header + 1, stop)
               if isinstance(grid[r][code_col], str) and grid[r][code_col].strip() == line.code]
    if not matches:
        raise DataError(path, f"sheet '{sheet}': budget line {line.code} not found")
    labelled = [r for r in matches
                if all(k.lower() in _label(grid[r], code_col, first_number).lower()
                       for k in line.keywords)]
    if not labelled:
        found = _label(grid[matches[0]], code_col, first_number)
        raise DataError(path, f"sheet '{sheet}': budget line {line.code} is labelled {found!r}, "
                              f"expected the words {', '.join(line.keywords)}",
                        row=matches[0] + 1)
    if len(labelled) > 1:
        raise DataError(path, f"sheet '{sheet}': budget line {line.code} appears "
                              f"{len(labelled)} times", row=labelled[1] + 1)
    r = labelled[0]
    label = _label(grid[r], code_col, first_number)
    records = [{"line_code": line.code, "line_label": label, "member_state": code,
                "eur_million": _amount(path, sheet, grid[r][c], r, code)}
               for c, code in states.items()]

    # The EU aggregate column is the sum of the Member State columns; a
    # mismatch means a column was read from the wrong place.
    aggregate = [c for c, v in enumerate(grid[header])
                 if isinstance(v, str) and _EU_AGGREGATE.match(v.strip())]
    if aggregate:
        total = _amount(path, sheet, grid[r][aggregate[0]], r, str(grid[header][aggregate[0]]))
        summed = math.fsum(x["eur_million"] for x in records if not math.isnan(x["eur_million"]))
        if not math.isnan(total) and abs(summed - total) > 0.01 + 1e-6 * abs(total):
            raise DataError(path, f"sheet '{sheet}': Member State payments for line {line.code} "
                                  f"sum to {summed:.3f}, but the EU column says {total:.3f}",
                            row=r + 1)
    return records


def read_eu_budget_payments(path: str | Path,
                            lines: Sequence[BudgetLine] | None = None) -> pd.DataFrame:
    """Read EU budget payments per Member State for selected budget lines.

    Parameters
    ----------
    path : str or Path
        ``eu_budget_spending_and_revenue_2000-2023.xlsx``: one sheet per year.
    lines : sequence of BudgetLine, optional
        Lines to extract. Default :data:`MIGRATION_LINES`: 2007-2013 ``3.1.1``
        "Solidarity and management of migration flows" (programme ``SOLID``),
        2014-2020 ``3.0.1`` and 2021 onwards ``4.0.11`` (both ``AMIF``).

    Returns
    -------
    pandas.DataFrame
        Columns ``year``, ``programme``, ``line_code``, ``line_label``,
        ``member_state`` (Eurostat code: Greece is ``EL``, the UK ``UK``) and
        ``eur_million`` (payments made in the year, EUR million, current
        prices). A blank cell gives ``NaN``.

    Raises
    ------
    DataError
        If the file is missing, empty or unreadable; a year sheet a line needs
        is missing; a sheet has no Member State header or code column; a line
        is missing, ambiguous or carries an unexpected label; an amount is not
        numeric; a header names an unknown country; or the Member State
        amounts do not add up to the sheet's EU aggregate.
    """
    path = Path(path)
    lines = tuple(MIGRATION_LINES if lines is None else lines)
    if not lines:
        raise ValueError("lines must name at least one BudgetLine")
    sheets = load_xlsx_sheets(path)
    by_year = {int(name.strip()): name for name in sheets if re.fullmatch(r"\s*\d{4}\s*", name)}
    if not by_year:
        raise DataError(path, "no year sheets (named like '2014') in the workbook")

    records = []
    for line in lines:
        last = line.last_year if line.last_year is not None else max(by_year)
        years = range(line.first_year, last + 1)
        missing = [y for y in years if y not in by_year]
        if missing:
            raise DataError(path, f"no sheet for year(s) {', '.join(map(str, missing))}, "
                                  f"needed for budget line {line.code}")
        for year in years:
            for record in _read_line(path, by_year[year], sheets[by_year[year]], line):
                records.append({"year": year, "programme": line.programme, **record})
    out = pd.DataFrame.from_records(records, columns=_COLUMNS)
    out["eur_million"] = out["eur_million"].astype(float)
    return out.sort_values(["year", "line_code", "member_state"], ignore_index=True)
