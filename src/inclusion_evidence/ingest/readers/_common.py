"""Small checks and loaders that every reader needs, written once."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from inclusion_evidence.core.errors import DataError

if TYPE_CHECKING:
    import pandas as pd


MAX_INPUT_ENV = "INCLUSION_MAX_INPUT_MB"
DEFAULT_MAX_INPUT_MB = 200.0
# An xlsx is a zip: refuse one that would expand past this size or ratio (a decompression bomb).
MAX_XLSX_ENV = "INCLUSION_MAX_XLSX_MB"
DEFAULT_MAX_XLSX_MB = 500.0
MAX_XLSX_RATIO = 200


def _cap(env: str, default: float) -> float:
    try:
        return float(os.environ.get(env, default))
    except ValueError:
        raise DataError(f"${env}", f"must be a number of megabytes, got {os.environ[env]!r}") from None


def max_input_bytes() -> int:
    """The largest input file a reader (or add-data) accepts: ``$INCLUSION_MAX_INPUT_MB``, default 200."""
    return int(_cap(MAX_INPUT_ENV, DEFAULT_MAX_INPUT_MB) * 1e6)


def check_size(path: Path, size: int) -> None:
    limit = max_input_bytes()
    if size > limit:
        raise DataError(path, f"is {size:,} bytes, more than the cap of {limit:,} bytes on an input file "
                              f"(set {MAX_INPUT_ENV}, in MB, to raise it if the file is right)")


def check_file(path: Path) -> None:
    """Fail early, naming the file, when it is missing, a folder, empty or over the size cap."""
    if not path.exists():
        raise DataError(path, "file not found")
    if path.is_dir():
        raise DataError(path, "is a folder, not a file")
    size = path.stat().st_size
    if size == 0:
        raise DataError(path, "file is empty")
    check_size(path, size)


def check_zip(path: Path) -> None:
    """Refuse a workbook whose members would expand too far (a decompression bomb), before opening it.

    The sizes come from the zip's central directory, which costs nothing to read.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(path, f"not a readable xlsx workbook (truncated or corrupt?): {exc}") from None
    total = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    limit = _cap(MAX_XLSX_ENV, DEFAULT_MAX_XLSX_MB) * 1e6
    if total > limit or total / packed > MAX_XLSX_RATIO:
        raise DataError(path, f"expands from {packed / 1e6:.1f} MB to {total / 1e6:.0f} MB "
                              f"(ratio {total / packed:.0f}); refused as a possible decompression bomb "
                              f"(caps: {limit / 1e6:.0f} MB, ratio {MAX_XLSX_RATIO}; {MAX_XLSX_ENV} sets the size)")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, after :func:`check_file`; white space only counts as empty."""
    check_file(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(path, "file is empty")
    return raw


def read_text(path: Path, advice: str = "") -> str:
    """The file as UTF-8 text (a byte-order mark dropped); ``advice`` ends the encoding error."""
    raw = read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = f"not UTF-8 text (byte {exc.start}: {raw[exc.start:exc.start + 1]!r})"
        raise DataError(path, f"{problem}; {advice}" if advice else problem,
                        row=raw[:exc.start].count(b"\n") + 1) from None


def read_json(path: Path) -> Any:
    """The file parsed as JSON, after :func:`read_text`; a cut-off file says where it breaks."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(path, f"invalid JSON at line {exc.lineno}, column {exc.colno} "
                              f"({exc.msg}; truncated file?)") from None


def read_csv_strings(path: Path, required: Iterable[str]) -> pd.DataFrame:
    """The CSV after :func:`read_text`, every cell a string (``""`` when blank), names stripped.

    Fails when a ``required`` column is missing or there are no rows.
    """
    import pandas as pd

    try:
        frame = pd.read_csv(io.StringIO(read_text(path)), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(path, f"malformed CSV ({exc})") from None
    frame.columns = [c.strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(path, f"missing column(s) {', '.join(missing)}")
    if frame.empty:
        raise DataError(path, "has a header but no rows")
    return frame


def load_xlsx_sheets(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet of an xlsx workbook as a list of equally long rows; ``None`` for empty cells.

    Calamine (Rust) reads these workbooks about eight times faster than
    openpyxl, but it turns error cells such as ``#DIV/0!`` into blanks. An error
    cell is not a blank (MIPEX: "not scored"; elsewhere, a broken formula that
    must stop the reader), so error values are put back from the sheets' XML.
    """
    path = Path(path)
    check_file(path)
    check_zip(path)
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                  for name in book.sheet_names}
    except (CalamineError, OSError, ValueError, zipfile.BadZipFile) as exc:
        raise DataError(path, f"not a readable xlsx workbook (truncated or corrupt?): {exc}") from None
    grids = {name: [[_as_openpyxl_would(cell) for cell in row] for row in rows]
             for name, rows in sheets.items()}
    for name, cells in _error_cells(path).items():
        grid = grids.get(name, [])
        for r, c, value in cells:
            if r < len(grid) and c < len(grid[r]):
                grid[r][c] = value
    return {name: _pad(grid) for name, grid in grids.items()}


# Only error cells (t="e"); the regex engine skips the others without Python work per cell.
_ERROR_CELL = re.compile(r'<c\s([^>]*\bt="e"[^>]*)>(.*?)</c>', re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_VALUE = re.compile(r"<v>([^<]*)</v>")
_ADDRESS = re.compile(r"([A-Z]+)(\d+)")


def _error_cells(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    """(row, column, '#DIV/0!') of every error cell, by sheet name, both 0-based."""
    import xml.etree.ElementTree as ET

    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        with zipfile.ZipFile(path) as archive:
            book = ET.fromstring(archive.read("xl/workbook.xml"))
            rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {rel.get("Id"): rel.get("Target") for rel in rels}
            found = {}
            for sheet in book.iter():
                if not sheet.tag.endswith("}sheet"):
                    continue
                target = targets[sheet.get(f"{rel_ns}id")].lstrip("/")
                member = target if target.startswith("xl/") else f"xl/{target}"
                xml = archive.read(member).decode("utf-8")
                cells = []
                for attrs, body in _ERROR_CELL.findall(xml):
                    attr = dict(_ATTR.findall(attrs))
                    value = _VALUE.search(body)
                    if value and "r" in attr:
                        col, row = _ADDRESS.fullmatch(attr["r"]).groups()
                        cells.append((int(row) - 1, _column_index(col), value.group(1)))
                found[sheet.get("name")] = cells
    except (zipfile.BadZipFile, KeyError, ET.ParseError, AttributeError, UnicodeDecodeError) as exc:
        raise DataError(path, f"not a readable xlsx workbook (truncated or corrupt?): {exc}") from None
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _as_openpyxl_would(cell: object) -> object:
    # xlsx stores every number as text; like openpyxl, give whole numbers back as int.
    if cell == "":
        return None
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


def _pad(rows: list[list[object]]) -> list[list[object]]:
    # Drop trailing empty rows (openpyxl reports formatted-but-empty ones) and square the grid.
    while rows and all(cell is None for cell in rows[-1]):
        rows.pop()
    width = max((len(row) for row in rows), default=0)
    return [row + [None] * (width - len(row)) for row in rows]


def load_xlsx_frames(path: Path) -> dict:
    """Every sheet as a text-and-number frame, its first row the header; empty rows dropped."""
    import pandas as pd

    frames = {}
    for name, rows in load_xlsx_sheets(path).items():
        header = [f"Unnamed: {i}" if cell is None else cell for i, cell in enumerate(rows[0])] if rows else []
        body = [row for row in rows[1:] if any(cell is not None for cell in row)]
        frames[name] = pd.DataFrame(body, columns=header, dtype=object)
    return frames
