"""New data for a catalogue source: a file the user has (``add-data``) or the publisher's latest (``refresh``).

Both go through one path. The new file is read by its format's reader and
checked against the schemas of the tables it feeds (:mod:`.schemas`); every
processing step that reads it is run on it in a scratch folder and its
output tables are validated too. Only then is the file installed in
``data/raw/`` and its checksum, size and retrieval date written to the
catalogue; if the catalogue cannot be saved, the previous file is put back.
A bad file changes nothing and the error names the file, the row or column,
and the problem.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.ingest.catalogue import Source, load_catalogue, today

EUROSTAT_FORMATS = ("sdmx", "json-stat", "bulk-tsv")


def is_eurostat(fmt: str) -> bool:
    return fmt.startswith(EUROSTAT_FORMATS)


# --------------------------------------------------------------------------- validation

def validate_file(source: Source, path: str | Path, shown: str | Path | None = None,
                  catalogue: dict[str, Source] | None = None, allow_shrink: bool = False) -> str:
    """Check ``path`` as the new content of ``source``; raise :class:`DataError` if it is bad.

    ``shown`` is the name messages give the file (default ``path``). Returns
    what was checked, e.g. ``"1080 rows; tables migr_asyappctza checked"``.
    """
    catalogue = catalogue or load_catalogue()
    with tempfile.TemporaryDirectory(prefix="inclusion-check-") as tmp:
        # The reader and the steps see the file under the source's own name (readers
        # look at suffixes; the ILGA reader looks for its siblings in the same folder).
        probe = Path(tmp) / source.path
        probe.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, probe)
        return _validate_in_tree(source, probe, Path(tmp), str(shown or path), catalogue, allow_shrink)


def _validate_in_tree(source: Source, probe: Path, tree: Path, shown: str,
                      catalogue: dict[str, Source], allow_shrink: bool = False) -> str:
    from inclusion_evidence.ingest.identity import check_identity

    renames = {str(probe): shown}
    try:
        # First: a file of another publication is named as such, not by what breaks on it later.
        check_identity(source, probe, source.local_path, shown)
        rows = _read_and_check(source, probe, shown)
        frames = _run_steps(source, probe, tree, shown, catalogue, renames)
        check_parameters(frames, shown)
        if not allow_shrink:
            check_coverage(frames, shown)
    except DataError as exc:
        raise _renamed(exc, renames) from None
    tables = list(frames)
    if rows is None and not tables:
        raise DataError(shown, f"no validator for format '{source.format}' of source '{source.id}' yet, and "
                               "no processing step can read it: add the file by hand and record its checksum")
    checked = f"tables {', '.join(tables)} checked" if tables else ""
    return "; ".join(part for part in (f"{rows} rows" if rows is not None else "", checked) if part)


def _renamed(exc: DataError, renames: dict[str, str]) -> DataError:
    """The same error, naming the user's file (or the installed sibling) instead of the scratch copy."""
    path = renames.get(exc.path, exc.path)
    return type(exc)(path, exc.problem, row=exc.row, column=exc.column)


def _read_and_check(source: Source, probe: Path, shown: str) -> int | None:
    """Read the file with its format's reader and validate the frame; ``None`` when no reader exists."""
    from inclusion_evidence.ingest.schemas import EUROSTAT, validate_table

    if is_eurostat(source.format):
        from inclusion_evidence.ingest.readers.eurostat import read_eurostat
        from inclusion_evidence.steps.base import DECLARED_EUROSTAT, EUROSTAT_TABLES

        frame = read_eurostat(probe)
        shape = frame.attrs.get("shape", "")
        code = frame.attrs.get("dataset", "")
        # The bulk TSV names no dataset inside (the reader takes the file name).
        if code and shape != "bulk-tsv" and code != source.dataset.lower():
            raise DataError(shown, f"holds Eurostat dataset '{code}', but source '{source.id}' is dataset "
                                   f"'{source.dataset}' (the wrong download?)",
                            column="DATAFLOW" if shape.startswith("sdmx") else "extension.id")
        if frame["value"].notna().sum() == 0:
            raise DataError(shown, "holds no values at all")
        table = {**EUROSTAT_TABLES, **DECLARED_EUROSTAT}.get(source.id, EUROSTAT)
        # SDMX-CSV rows are file lines after the header, and its columns have their own names;
        # the other shapes have no lines: messages name the observation by geo and time too.
        if shape.startswith("sdmx"):
            validate_table(table, frame, shown, first_row=frame.attrs.get("lines", 2),
                           column_names={"time": "TIME_PERIOD", "value": "OBS_VALUE", "flag": "OBS_FLAG"})
        else:
            validate_table(table, frame, shown)
        return len(frame)
    if source.format == "geojson":
        from inclusion_evidence.ingest.readers.gisco import read_borders, read_nuts

        return len(read_borders(probe) if "NUTS_BN" in probe.name else read_nuts(probe))
    return None


def _run_steps(source: Source, probe: Path, tree: Path, shown: str, catalogue: dict[str, Source],
               renames: dict[str, str]) -> dict:
    """Run every step that reads ``source`` on the new file and validate what it would write.

    A step runs only when its other required inputs are in ``data/raw/``; they
    are linked into the scratch tree beside the new file. Returns the names of
    the tables checked (none when no step could run).
    """
    from inclusion_evidence.ingest.schemas import validate_table
    from inclusion_evidence.orchestration.process import load_steps

    checked: dict = {}
    for st in load_steps().values():
        if source.id not in st.inputs + st.optional:
            continue
        others = [sid for sid in st.inputs if sid != source.id]
        if any(sid not in catalogue or not catalogue[sid].local_path.exists() for sid in others):
            continue
        sources = {source.id: probe}
        present = [s for s in st.optional if s != source.id and s in catalogue and catalogue[s].local_path.exists()]
        for sid in others + present:
            link = tree / catalogue[sid].path
            if not link.exists():
                link.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(catalogue[sid].local_path.resolve(), link)
                renames[str(link)] = str(catalogue[sid].local_path)
            sources[sid] = link
        try:
            tables = st.func(sources)
        except DataError:
            raise
        except Exception as exc:  # a step that breaks on the new file is a bad file for the book
            raise DataError(shown, f"processing step '{st.name}' fails on it: {type(exc).__name__}: {exc}") from None
        for name, frame in tables.items():
            validate_table(name, frame, f"{shown} (as processed into table {name})")
            checked[name] = frame
    return checked


# --------------------------------------------------------------------------- coverage and parameters

SHRINK_OPTION = "--allow-shrink"
MIN_ROWS_KEPT = 0.8          # a new file keeping fewer rows than this share of the installed table's ...
MAX_LOST = 0.1               # ... or losing more than this share of its countries or years, is refused


def _coverage(frame) -> dict[str, set]:
    out = {}
    for label, names in (("countries", ("geo", "country")), ("years", ("time", "year"))):
        column = next((c for c in names if c in frame.columns), None)
        if column is not None:
            out[label] = {v for v in frame[column].dropna().unique().tolist()}
    return out


def check_coverage(frames: dict, shown: str) -> None:
    """Refuse a new file whose tables keep much less than the installed ones (rows, countries, years).

    A release that really covers less can be installed with ``--allow-shrink``.
    """
    import pandas as pd

    from inclusion_evidence.core.tables import table_path

    for name, frame in frames.items():
        path = table_path(name)
        if not path.exists():
            continue
        old = pd.read_parquet(path)
        problems = []
        if len(old) and len(frame) < MIN_ROWS_KEPT * len(old):
            problems.append(f"{len(frame)} rows instead of {len(old)}")
        before, after = _coverage(old), _coverage(frame)
        for label in ("countries", "years"):
            if label in before and label in after:
                lost = before[label] - after[label]
                if lost and len(lost) > MAX_LOST * len(before[label]):
                    items = sorted(map(str, lost))
                    more = f" and {len(items) - 5} more" if len(items) > 5 else ""
                    problems.append(f"{len(lost)} of its {len(before[label])} {label} lost "
                                    f"({', '.join(items[:5])}{more})")
        if problems:
            raise DataError(shown, f"would shrink table {name}: {'; '.join(problems)}. If the new release "
                                   f"really covers less, run again with {SHRINK_OPTION} "
                                   f"(make add-data ... ARGS={SHRINK_OPTION})")


def check_parameters(frames: dict, shown: str) -> None:
    """Refuse a new file whose tables lack a value that a chapter's parameters use (book/params.yml)."""
    from inclusion_evidence.orchestration.runner import load_params

    if not paths.PARAMS.exists():
        return
    _, specs = load_params()
    for spec in specs.values():
        for key, rule in spec.allowed.items():
            if not isinstance(rule, dict) or rule.get("table") not in frames or key not in spec.parameters:
                continue
            frame = frames[rule["table"]]
            if rule.get("column") not in frame.columns:
                continue
            present = set(frame[rule["column"]].dropna().unique().tolist())
            value = spec.parameters[key]
            missing = [v for v in (value if isinstance(value, list) else [value]) if v not in present]
            if missing:
                raise DataError(shown, f"table {rule['table']} would no longer hold {rule['column']} "
                                       f"{missing[0]!r}, which notebook '{spec.name}' uses (parameter '{key}' "
                                       f"in {paths.PARAMS.name}): change the parameter first, or use a file "
                                       "that covers it")


# --------------------------------------------------------------------------- installing

@dataclass
class Checked:
    """A new file that passed validation, held in memory until it is installed."""

    source: Source
    data: bytes
    summary: str
    shown: str


def check(catalogue: dict[str, Source], source_id: str, file: str | Path, shown: str | None = None,
          allow_shrink: bool = False) -> Checked:
    """Validate ``file`` as the new content of ``source_id`` (nothing is changed)."""
    if source_id not in catalogue:
        raise DataError(shown or file, f"unknown source id '{source_id}'; see data/raw/sources.yml")
    from inclusion_evidence.ingest.readers._common import check_size

    file = Path(file)
    if not file.is_file():
        raise DataError(file, "file not found")
    check_size(Path(shown or file), file.stat().st_size)
    data = file.read_bytes()
    source = catalogue[source_id]
    with tempfile.TemporaryDirectory(prefix="inclusion-check-") as tmp:
        # Validate exactly the bytes that will be installed.
        probe = Path(tmp) / source.path
        probe.parent.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(data)
        summary = _validate_in_tree(source, probe, Path(tmp), str(shown or file), catalogue, allow_shrink)
    return Checked(source, data, summary, str(shown or file))


def install(catalogue: dict[str, Source], checked: list[Checked]) -> None:
    """Install validated files and record them in the catalogue: all of them, or none.

    Every new file and the new catalogue are first written beside their targets (a
    full disk fails here, with nothing changed); then they are put in place by
    renames, the previous files renamed aside. Undoing that needs renames only, no
    space on the disk.
    """
    from inclusion_evidence.core.atomic import disk_problem, write_new
    from inclusion_evidence.ingest.catalogue import render_catalogue
    from inclusion_evidence.orchestration.lineage import chapters_by_source

    for c in checked:
        c.source.sha256 = hashlib.sha256(c.data).hexdigest()
        c.source.bytes = len(c.data)
        c.source.retrieved = today()
        c.source.status = "available"
    staged: list[tuple[Path, Path]] = []                 # (new file, its target)
    try:
        for c in {c.source.local_path: c for c in checked}.values():
            staged.append((write_new(c.source.local_path, c.data), c.source.local_path))
        staged.append((write_new(paths.CATALOGUE, render_catalogue(catalogue).encode("utf-8")), paths.CATALOGUE))
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        cause = disk_problem(exc) or f"{type(exc).__name__}: {exc}"
        raise DataError(staged[-1][1] if staged else checked[0].source.local_path,
                        f"could not write the new file(s): {cause}; nothing changed") from None
    moved: list[tuple[Path, Path | None]] = []          # (target, where its previous file went)
    journal = paths.RAW / JOURNAL
    try:
        # Written while writing may still fail cleanly: a kill during the renames is undone on the next start.
        tmp_journal = write_new(journal, json.dumps({"staged": [[str(t), str(g)] for t, g in staged]}).encode())
        os.replace(tmp_journal, journal)
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise DataError(journal, f"could not write the install journal: {disk_problem(exc) or exc}; "
                                 "nothing changed") from None
    try:
        for tmp, target in staged:
            aside = None
            if target.exists():
                aside = _aside(target)
                os.replace(target, aside)
            moved.append((target, aside))
            os.replace(tmp, target)
    except BaseException as exc:
        for target, aside in reversed(moved):            # renames only: works on a full disk
            if aside is not None:
                os.replace(aside, target)
            elif target.exists():
                target.unlink()
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            cause = disk_problem(exc) or f"{type(exc).__name__}: {exc}"
            raise DataError(paths.CATALOGUE, f"could not be saved ({cause}); the previous raw file(s) and "
                                             "catalogue were put back by renames, nothing changed") from None
        raise
    for _, aside in moved:
        if aside is not None:
            aside.unlink(missing_ok=True)
    journal.unlink(missing_ok=True)
    feeds = chapters_by_source()
    for c in checked:
        print(f"  installed {c.shown} as '{c.source.id}' ({c.summary}; sha256 {c.source.sha256[:16]}...)")
        print("  feeds: " + (", ".join(feeds.get(c.source.id, [])) or "no notebook yet"))
    print("  next: `make book` re-processes and re-executes only what the new data feeds")


JOURNAL = ".install-journal.json"


def _aside(target: Path) -> Path:
    return target.with_name(f".{target.name}.previous")


def recover_install(log=print) -> None:
    """On start (under the project lock): undo or finish an install that a kill interrupted.

    The catalogue is renamed in last. If its new version is in place, the install
    finished and only the previous files are removed; otherwise every file is put
    back by renames, so raw files and catalogue always match. Temporary files of
    killed writes in ``data/raw/`` are removed too.
    """
    journal = paths.RAW / JOURNAL
    if journal.exists():
        try:
            staged = [(Path(t), Path(g)) for t, g in json.loads(journal.read_text())["staged"]]
        except (ValueError, KeyError, TypeError):
            staged = []
        finished = bool(staged) and not staged[-1][0].exists()   # the new catalogue was renamed in
        for tmp, target in reversed(staged):
            if finished:
                _aside(target).unlink(missing_ok=True)
                continue
            if _aside(target).exists():
                os.replace(_aside(target), target)
            elif not tmp.exists() and target.exists():
                target.unlink()                          # a new file that had no previous version
            tmp.unlink(missing_ok=True)
        journal.unlink()
        log("  " + ("finished" if finished else "undid") + " an add-data/refresh install that was interrupted")
    if paths.RAW.is_dir():
        for leftover in paths.RAW.rglob(".*.tmp"):
            leftover.unlink(missing_ok=True)


def add_data(source_id: str, file: str | Path, allow_shrink: bool = False) -> None:
    """Validate ``file`` as the new content of ``source_id``, install it and update the lock."""
    catalogue = load_catalogue()
    install(catalogue, [check(catalogue, source_id, file, allow_shrink=allow_shrink)])


def download(url: str, dest: Path, timeout: float = 60) -> None:
    """Fetch ``url`` (https only, size-capped) into ``dest``; a clear :class:`DataError` naming the URL on any failure."""
    from inclusion_evidence.ingest.fetch import read_url

    try:
        read_url(url, timeout, dest)
    except urllib.error.HTTPError as exc:
        raise DataError(url, f"download failed: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DataError(url, f"download failed ({reason}); are you offline? Download the file by hand "
                             "and use `make add-data`") from None


def refresh(source_ids: list[str], timeout: float = 60, allow_shrink: bool = False) -> None:
    """Download each source from its publisher's URL, validate all, then install all (or none)."""
    catalogue = load_catalogue()
    unknown = [s for s in source_ids if s not in catalogue]
    if unknown:
        raise DataError(paths.CATALOGUE, f"unknown source id(s): {', '.join(unknown)}")
    checked = []
    with tempfile.TemporaryDirectory(prefix="inclusion-refresh-") as tmp:
        for sid in dict.fromkeys(source_ids):
            src = catalogue[sid]
            dest = Path(tmp) / sid / Path(src.path).name
            dest.parent.mkdir()
            print(f"  downloading {sid} from {src.url}")
            download(src.url, dest, timeout)
            checked.append(check(catalogue, sid, dest, shown=f"{src.url} (download for '{sid}')",
                                 allow_shrink=allow_shrink))
    install(catalogue, checked)
