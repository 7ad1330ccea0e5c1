"""Add a new or corrected raw file for a catalogue source, validated before anything changes."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .atomic import atomic_write_bytes
from .catalogue import load_catalogue, save_catalogue, sha256_of, today
from .errors import DataError


def validate_file(fmt: str, path: Path) -> int:
    """Read ``path`` with the reader for its format; return its row count or raise DataError."""
    if fmt.startswith("sdmx") or fmt.startswith("json-stat") or fmt == "bulk-tsv":
        from .readers.eurostat import read_eurostat

        frame = read_eurostat(path)
        if frame["value"].notna().sum() == 0:
            raise DataError(path, "holds no values at all")
        return len(frame)
    if fmt == "geojson":
        from .readers.gisco import read_nuts

        return len(read_nuts(path))
    raise DataError(path, f"no validator for format '{fmt}' yet; add the file by hand and record its checksum")


def add_data(source_id: str, file: str | Path) -> None:
    """Validate ``file`` as the new content of ``source_id``, install it and update the lock."""
    from .build import chapters_by_source

    catalogue = load_catalogue()
    if source_id not in catalogue:
        raise DataError(file, f"unknown source id '{source_id}'; see data/raw/sources.yml")
    src = catalogue[source_id]
    file = Path(file)
    if not file.is_file():
        raise DataError(file, "file not found")
    # Validate a private copy under the source's own file name (readers look at suffixes).
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / Path(src.path).name
        shutil.copy2(file, probe)
        rows = validate_file(src.format, probe)
    data = file.read_bytes()
    atomic_write_bytes(src.local_path, data)
    src.sha256 = sha256_of(src.local_path)
    src.bytes = len(data)
    src.retrieved = today()
    src.status = "available"
    save_catalogue(catalogue)
    feeds = chapters_by_source().get(source_id, [])
    print(f"  installed {file} as '{source_id}' ({rows} rows, sha256 {src.sha256[:16]}...)")
    print("  feeds: " + (", ".join(feeds) or "no notebook yet"))
    print("  next: `make book` re-processes and re-executes only what this file feeds")
