"""Is a new file the same publication as the installed one? Told from content, never from the name.

A user who gives ``add-data`` the wrong file of a family (MIPEX's EU 2020-2024
workbook for the core 2007-2019 one, FRA's question T1Q2 for T1Q1, ILGA's family
criteria for asylum) passes every format check: the files have the same layout.
What differs is what they are about. :func:`fingerprint` reads those features
(the question asked, the criteria columns, the years covered) and
:func:`check_identity` compares them with the installed file's.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from inclusion_evidence.core.errors import DataError


def _csv_header(path: Path) -> list[str]:
    from inclusion_evidence.ingest.readers._common import read_text

    first = read_text(path).split("\n", 1)[0]
    return [c.strip() for c in next(csv.reader(io.StringIO(first)), [])]


def fingerprint(path: Path, fmt: str) -> dict[str, set]:
    """The features that tell one publication from another of the same layout ({} when none)."""
    path = Path(path)
    if fmt == "csv":
        return {"columns": set(_csv_header(path)) - {"", "country"}}
    if fmt != "xlsx":
        return {}
    from inclusion_evidence.ingest.readers._common import load_xlsx_sheets

    questions: set = set()
    years: set = set()
    for grid in load_xlsx_sheets(path).values():
        if not grid:
            continue
        header = [str(c).strip() if c is not None else "" for c in grid[0]]
        if "question_label" in header:                       # FRA: one question per workbook
            i = header.index("question_label")
            questions |= {str(row[i]).strip() for row in grid[1:] if row[i] is not None}
        in_years = False
        for row in grid:                                     # MIPEX: 'Year' blocks of years
            first = row[0] if row else None
            if isinstance(first, str):
                in_years = first.strip() == "Year"
            elif in_years and isinstance(first, int) and 1900 < first < 2200:
                years.add(first)
    out = {}
    if questions:
        out["question"] = questions
    if years:
        out["years"] = years
    return out


def _shown(values: set, limit: int = 3) -> str:
    items = sorted(map(str, values))
    text = ", ".join(repr(v) if len(v) < 90 else repr(v[:87] + "...") for v in items[:limit])
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")


def check_identity(source, new: Path, installed: Path, shown: str) -> None:
    """Refuse ``new`` when its content says it is another publication than the installed file."""
    if not installed.is_file():
        return
    try:
        before = fingerprint(installed, source.format)
    except DataError:
        return                                               # the installed file itself is unreadable
    after = fingerprint(new, source.format)
    wrong = f"; is it the right file for source '{source.id}' ({source.title})?"
    if "columns" in before and "columns" in after:
        lost = before["columns"] - after["columns"]
        if lost and len(lost) * 2 >= len(before["columns"]):
            raise DataError(shown, f"its columns ({_shown(after['columns'])}) are not those of the installed file "
                                   f"({_shown(before['columns'])}){wrong}", row=1)
    if "question" in before and "question" in after and not before["question"] & after["question"]:
        raise DataError(shown, f"asks {_shown(after['question'], 1)}, but the installed file asks "
                               f"{_shown(before['question'], 1)}{wrong}", column="question_label")
    if "years" in before and "years" in after and 2 * len(before["years"] & after["years"]) < len(before["years"]):
        common = len(before["years"] & after["years"])
        share = f"only {common} of its {len(before['years'])} years" if common else "no year"
        raise DataError(shown, f"covers the years {min(after['years'])}-{max(after['years'])}, the installed file "
                               f"{min(before['years'])}-{max(before['years'])}: {share} in common{wrong}")
