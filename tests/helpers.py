"""Checks and fixture writers shared by the reader tests.

tests/ is not a package: pytest (rootdir-based "prepend" import mode) puts this
folder on sys.path, so test modules import it as ``from helpers import ...``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inclusion_evidence.core.errors import DataError


def raises_naming(path, call, *words) -> DataError:
    """``call(path)`` raises a DataError naming the file and containing every word."""
    with pytest.raises(DataError) as exc:
        call(path)
    message = str(exc.value)
    assert str(path) in message
    for word in words:
        assert word in message, message
    return exc.value


def write_text(folder: Path, text: str, name: str = "table.csv") -> Path:
    """``text`` saved as UTF-8 in ``folder / name``."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def write_json(folder: Path, doc, name: str = "table.json") -> Path:
    """``doc`` saved as JSON (UTF-8, non-ASCII kept as is) in ``folder / name``."""
    return write_text(folder, json.dumps(doc, ensure_ascii=False), name)


def write_workbook(path: Path, sheets: dict, offset=(0, 0)) -> Path:
    """{sheet name: rows} saved as an xlsx, shifted by (rows, columns); None cells left empty."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1 + offset[0]):
            for c, value in enumerate(row, start=1 + offset[1]):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
    workbook.save(path)
    return path


def bad_workbooks_raise(tmp_path: Path, read, book: Path, cut_at: int) -> None:
    """``read`` names the file for a missing, an empty and a truncated (at ``cut_at`` bytes) xlsx."""
    raises_naming(tmp_path / "absent.xlsx", read, "file not found")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    raises_naming(empty, read, "file is empty")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(book.read_bytes()[:cut_at])
    raises_naming(cut, read, "not a readable xlsx")


def write_sdmx(path: Path, dims: list[str], rows: list, dataset: str) -> Path:
    """A small Eurostat SDMX-CSV 1.0 file: ``dims`` then geo, year, value, flag per row."""
    header = f"DATAFLOW,LAST UPDATE,freq,{','.join(dims)},geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"
    lines = [header] + [f"ESTAT:{dataset.upper()}(1.0),01/01/25 23:00:00,A," + ",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def processed_table(name: str):
    """A processed table of this checkout; the test is skipped when it has not been built."""
    from inclusion_evidence.core import paths
    from inclusion_evidence.core.tables import read_table

    if not (paths.PROCESSED / f"{name}.parquet").exists():
        pytest.skip(f"processed table {name} not built (run `make process`)")
    return read_table(name)


def run_chapter(tmp_path: Path, name: str, parameters: dict) -> tuple[dict, dict]:
    """Execute ``chapters/<name>.ipynb`` with ``parameters`` in ``tmp_path``.

    Returns the executed notebook (as JSON) and its glued values by name (their
    text/plain form). Figures land in ``tmp_path / "figures" / name``.
    """
    import papermill as pm

    from inclusion_evidence.core.paths import CHAPTER_SOURCES

    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(str(CHAPTER_SOURCES / f"{name}.ipynb"), str(out), parameters=parameters,
                        cwd=str(tmp_path), kernel_name="python3", progress_bar=False)
    nb = json.loads(out.read_text(encoding="utf-8"))
    glued = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            meta = o.get("metadata", {}).get("scrapbook", {})
            if meta.get("name"):
                glued[meta["name"]] = next((v for k, v in o.get("data", {}).items() if k.endswith("text/plain")), None)
    return nb, glued
