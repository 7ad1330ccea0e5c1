"""Render the executed edition: generated pages, HTML and PDF, each swapped in atomically."""

from __future__ import annotations

import importlib.metadata as md
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from inclusion_evidence.core import paths
from inclusion_evidence.core.atomic import atomic_dir, atomic_write_text
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.ingest.catalogue import load_catalogue
from inclusion_evidence.orchestration.lineage import chapters_by_source

PDF_NAME = "inclusion-of-migrants-evidence-book.pdf"
PACKAGES = ("jupyter-book", "sphinx", "myst-nb", "papermill", "nbval", "pandas", "numpy", "geopandas",
            "matplotlib", "seaborn", "scikit-learn", "statsmodels", "pyarrow", "python-calamine", "pandera")


def _version(pkg: str) -> str:
    try:
        return md.version(pkg)
    except md.PackageNotFoundError:
        return "not installed"


def write_generated_pages() -> None:
    """Pages made from the project's data files: the table of contents and the fan-out parts' index
    pages (from params.yml), data sources, glossary, this edition, how to cite."""
    from inclusion_evidence.orchestration.toc import write_toc

    write_toc()
    write_data_publishers_bib()
    write_data_sources_page()
    write_glossary_page()
    write_edition_page()
    write_cite_page()


def book_config() -> dict:
    from inclusion_evidence.core.yamlio import load_yaml

    return load_yaml((paths.BOOK / "_config.yml").read_text(encoding="utf-8")) or {}


def site_url() -> str:
    """The published site's address (``html.baseurl`` in _config.yml), ending in '/'."""
    url = str((book_config().get("html") or {}).get("baseurl") or "").strip()
    if not url.startswith(("https://", "http://")):
        raise DataError(paths.BOOK / "_config.yml", f"html.baseurl must be the published site's address, "
                                                    f"http(s)://...; it is {url!r}")
    return url.rstrip("/") + "/"


DATA_BIB = "_data_publishers.bib"


def _bib_escape(text: str) -> str:
    return (str(text).replace("\\", "").replace("{", "").replace("}", "")
            .replace("&", "\\&").replace("%", "\\%").replace("_", "\\_").replace("#", "\\#"))


def data_source_groups() -> dict[str, list]:
    """Available sources grouped by publisher and dataset, keyed by their citation key."""
    groups: dict[tuple[str, str], list] = {}
    for s in load_catalogue().values():
        if s.status == "available":
            groups.setdefault((s.publisher, s.dataset), []).append(s)
    return {"data-" + re.sub(r"[^a-z0-9]+", "-", members[0].id.lower()).strip("-"): members
            for members in groups.values()}


def citation_key(source_id: str) -> str | None:
    for key, members in data_source_groups().items():
        if any(m.id == source_id for m in members):
            return key
    return None


def write_data_publishers_bib() -> None:
    """One bibliography entry per dataset the edition uses, from the catalogue."""
    entries = []
    for key, members in data_source_groups().items():
        first = members[0]
        author = re.split(r" \(|, ", first.publisher)[0].strip()
        title = first.title if len(members) == 1 else f"{first.dataset} ({len(members)} files)"
        year = str(first.retrieved)[:4]
        note = (f"Dataset {first.dataset}, published by {first.publisher}; retrieved {first.retrieved}. "
                f"Licence: {first.licence}")
        entries.append("\n".join([
            f"@misc{{{key},",
            f"  author = {{{{{_bib_escape(author)}}}}},",
            f"  title = {{{{{_bib_escape(title)}}}}},",
            f"  howpublished = {{Dataset {_bib_escape(first.dataset)}}},",
            f"  year = {{{year}}},",
            f"  url = {{{first.url}}},",
            f"  note = {{{_bib_escape(note)}}}",
            "}"]))
    atomic_write_text(paths.BOOK / DATA_BIB, "% Generated from data/raw/sources.yml at every build.\n\n"
                      + "\n\n".join(entries) + "\n")


def write_data_sources_page() -> None:
    catalogue = load_catalogue()
    used = chapters_by_source()
    keys = {m.id: key for key, members in data_source_groups().items() for m in members}
    lines = ["# Data sources", "",
             "Every raw file behind this book, generated from the catalogue `data/raw/sources.yml`. "
             "Files marked *available* are locked by their SHA-256 checksum; files marked *declared* are "
             "datasets the chapters can use but that this edition's inputs lack: download them from the "
             "address given and add them with `make add-data` (see the README).", ""]
    for status, heading in (("available", "Files used in this edition"), ("declared", "Declared, not yet in this edition")):
        lines += [f"## {heading}", ""]
        for s in catalogue.values():
            if s.status != status:
                continue
            where = ", ".join(used.get(s.id, [])) or "not used by a chapter yet"
            lines += [f"### {s.title}", "",
                      f"- **Publisher:** {s.publisher}; **dataset:** `{s.dataset}`; **format:** {s.format}",
                      # A Markdown link, not an autolink: MyST escapes the '&' of an autolink twice.
                      f"- **Address:** [{s.url}]({s.url})",
                      f"- **Licence:** {s.licence}",
                      f"- **Catalogue id:** `{s.id}`; **file:** `data/raw/{s.path}`"]
            if s.sha256:
                lines.append(f"- **SHA-256:** `{s.sha256}` ({s.bytes:,} bytes, retrieved {s.retrieved})")
            if s.note:
                lines.append(f"- **Note:** {s.note}")
            if s.id in keys:
                lines.append(f"- **Cite as:** {{cite:t}}`{keys[s.id]}`")
            lines += [f"- **Used in:** {where}", ""]
    atomic_write_text(paths.BOOK / "data_sources.md", "\n".join(lines))


def write_glossary_page() -> None:
    """The glossary: the Action Plan's own acronyms, then the terms this book uses (``glossary_book.yml``).

    A book term that is also an Action Plan acronym (MIPEX, AMIF, ...) stays one entry: the
    Action Plan's expansion, then how the book uses it.
    """
    from inclusion_evidence.core.yamlio import load_yaml
    from inclusion_evidence.present.escape import text

    def entries(file: str) -> list[dict]:
        path = paths.ACTION_PLAN / file
        return load_yaml(path.read_text(encoding="utf-8"))["glossary"] if path.exists() else []

    plan, book = entries("glossary.yml"), entries("glossary_book.yml")
    in_plan = {str(e["acronym"]).lower(): e for e in plan}
    notes = {str(e["acronym"]).lower(): e["expansion"] for e in book if str(e["acronym"]).lower() in in_plan}
    own = [e for e in book if str(e["acronym"]).lower() not in in_plan]
    lines = ["# Glossary", ""]
    for heading, lead, items in (("Acronyms of the Action Plan", "As the Action Plan's glossary gives them.", plan),
                                 ("Terms used in this book", "How this book uses them.", own)):
        if not items:
            continue
        lines += [f"## {heading}", "", lead, "", "```{glossary}"]
        for entry in sorted(items, key=lambda e: str(e["acronym"]).lower()):
            note = notes.get(str(entry["acronym"]).lower()) if items is plan else None
            lines += [text(entry["acronym"]), f"  {text(entry['expansion'])}"
                      + (f" In this book: {text(note)}" if note else ""), ""]
        lines += ["```", ""]
    atomic_write_text(paths.BOOK / "glossary.md", "\n".join(lines))


def write_edition_page() -> None:
    """What produced this edition: each chapter's execution record, parameters, sources, versions."""
    from inclusion_evidence.orchestration.runner import execution_record, load_params, summarise_reason

    catalogue = load_catalogue()
    epoch, specs = load_params()
    lines = ["# This edition", "",
             "What produced the pages of this edition: when each notebook was last executed and why, "
             "the parameters, the checksums of the raw inputs and the versions of the software. "
             "A notebook is executed again only when something in its cache key changed: its source, "
             "its parameters, its input tables or the raw files behind them, the package code it runs, "
             f"the lock file or the cache epoch (now {epoch}). `make status` shows what is stale now.", "",
             "## Execution of the notebooks", "",
             "| Notebook | Executed (UTC) | Seconds | Why it was executed | Cache key |",
             "| --- | --- | --- | --- | --- |"]
    for spec in specs.values():
        record = execution_record(spec)
        when = executed_at(record)
        seconds = f"{record['seconds']:.1f}" if "seconds" in record else "-"
        reason = summarise_reason(record.get("reason", ""), code_style=True) or "-"
        key = f"`{record['key'][:12]}`" if "key" in record else "not executed"
        lines.append(f"| {spec.title} | {when} | {seconds} | {reason} | {key} |")
    lines += ["", "## Parameters", "", "| Notebook | Parameters |", "| --- | --- |"]
    for spec in specs.values():
        params = "; ".join(f"`{k}` = `{v}`" for k, v in spec.parameters.items()) or "-"
        lines.append(f"| {spec.title} | {params} |")
    lines += ["", "## Raw inputs", "", "| Source | SHA-256 (first 16) | Retrieved |", "| --- | --- | --- |"]
    for s in catalogue.values():
        if s.status == "available":
            lines.append(f"| `{s.id}` | `{s.sha256[:16]}` | {s.retrieved} |")
    lines += ["", "## Software", "", f"Python {sys.version.split()[0]}.", "",
              "| Package | Version |", "| --- | --- |"]
    lines += [f"| {p} | {_version(p)} |" for p in PACKAGES]
    atomic_write_text(paths.BOOK / "edition.md", "\n".join(lines) + "\n")


def executed_at(record: dict) -> str:
    """When the notebook was executed, as its execution record states it ("not recorded" if it does not)."""
    value = record.get("executed_at") or record.get("executed")
    if not value:
        return "not recorded"
    return str(value).replace("T", " ")[:16]


def _git(*args: str) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def write_cite_page() -> None:
    """"How to cite": the citation in CITATION.cff, with this edition's version, date and commit."""
    from inclusion_evidence.core.yamlio import load_yaml

    cff_path = paths.ROOT / "CITATION.cff"
    try:
        cff = load_yaml(cff_path.read_text(encoding="utf-8"))
        title, version, date = cff["title"], str(cff["version"]), str(cff["date-released"])
        authors = [a.get("name") or " ".join(p for p in (a.get("given-names"), a.get("family-names")) if p)
                   for a in cff["authors"]]
    except (OSError, KeyError, TypeError) as exc:
        raise DataError(cff_path, f"cannot read the citation (title, version, date-released, authors): {exc}") from exc
    commit = _git("rev-parse", "HEAD") or "not a git checkout"
    url = site_url()
    who = "; ".join(authors)
    short = commit[:12] if len(commit) == 40 else commit
    bibkey = "inclusionevidencebook" + date[:4]
    bib_authors = " and ".join("{" + a + "}" for a in authors)
    lines = ["# How to cite", "",
             "Cite this book as below (from `CITATION.cff`), and cite the data publishers named on the "
             "[Data sources](data_sources.md) page and in the [Bibliography](bibliography.md).", "",
             f"> {who} ({date[:4]}). *{title}*. Version {version}, released {date}, commit `{short}`. {url}", "",
             "| Item | Value |", "| --- | --- |",
             f"| Version | {version} |", f"| Released | {date} |", f"| Commit | `{commit}` |",
             f"| Licence of the code | {cff.get('license', 'see the repository')} |",
             f"| Address | <{url}> |", "",
             "## BibTeX", "",
             "```bibtex",
             f"@misc{{{bibkey},",
             f"  author = {{{bib_authors}}},",
             f"  title = {{{{{title}}}}},",
             f"  year = {{{date[:4]}}},",
             f"  version = {{{version}}},",
             f"  note = {{Commit {commit}}},",
             f"  url = {{{url}}}",
             "}",
             "```", ""]
    atomic_write_text(paths.BOOK / "cite.md", "\n".join(lines))


def _jupyter_book(args: list[str], log) -> None:
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), *args]
    log("  $ jupyter-book " + " ".join(args))
    proc = subprocess.run(cmd, cwd=paths.ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
        raise DataError(paths.BOOK, f"jupyter-book {' '.join(args[:2])} failed; the previous build is "
                                    f"unchanged. Last lines:\n{tail}")


# Not part of the book's sources: builds, staging folders, the latest run's report.
NOT_SOURCES = ("_build", ".staging-*", ".jupyter_cache", "_status.json")
KEY_FILE = ".inclusion-build-key"


def _book_copy(tmp: Path, builder: str) -> Path:
    """A copy of the book folder without its build, so a build never touches the live one.

    In the copy, each figure's and table's "Data (CSV)" link points at the CSV's stable
    address, ``data/<chapter>/<name>.csv`` on the site (see :func:`rewrite_csv_links`).
    """
    dst = tmp / "book"
    shutil.copytree(paths.BOOK, dst, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    for nb_path in (dst / "chapters").glob("*.ipynb"):
        text = nb_path.read_text(encoding="utf-8")
        if not CSV_LINK.search(text):
            continue
        new = rewrite_csv_links(text, builder, site_url())
        if new != text:
            nb_path.write_text(new, encoding="utf-8")
    return dst


# The link present/figures.py writes under every figure and table: a Sphinx download role,
# which copies the CSV into a hashed _downloads/<md5>/ folder (HTML) or prints plain text (PDF).
# Any download link to a CSV beside the executed chapters ("Data (CSV)" under figures and tables,
# and the full tables offered for download); nested folders included.
CSV_LINK = re.compile(r"\{download\}`([^`<]+?) <figures/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*\.csv)>`")


def csv_address(chapter: str, name: str) -> str:
    """Where a figure's data lives on the site, relative to the site's root."""
    return f"data/{chapter}/{name}"


def rewrite_csv_links(text: str, builder: str, base_url: str) -> str:
    """Point "Data (CSV)" links at data/<chapter>/<name>.csv.

    HTML: a relative link (chapters are one folder down), which works offline and on the
    site. PDF: the absolute address on the published site (``html.baseurl``).
    The text is an executed notebook's JSON, so quotes are escaped for JSON.
    """
    def html(m: re.Match) -> str:
        text, chapter, name = m.groups()
        return f'<a class=\\"reference external csv-link\\" href=\\"../{csv_address(chapter, name)}\\">{text}</a>'

    def latex(m: re.Match) -> str:
        text, chapter, name = m.groups()
        return f"[{text}]({base_url}{csv_address(chapter, name)})"

    return CSV_LINK.sub(html if builder == "html" else latex, text)


def publish_csvs(site: Path) -> int:
    """Copy every figure's and table's CSV to <site>/data/<chapter>/<name>.csv; returns how many."""
    count = 0
    figures = paths.EDITION / "figures"
    for csv in sorted(figures.rglob("*.csv")):
        chapter, *rest = csv.relative_to(figures).parts
        target = site / csv_address(chapter, "/".join(rest))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(csv, target)
        count += 1
    return count


def build_key(builder: str) -> str:
    """Hash of everything a build renders: the book's files (edition, figures, pages) and the lock file."""
    import fnmatch
    import hashlib

    digest = hashlib.sha256(builder.encode())
    for path in sorted(paths.BOOK.rglob("*")):
        rel = path.relative_to(paths.BOOK)
        if any(fnmatch.fnmatch(part, pattern) for part in rel.parts for pattern in NOT_SOURCES):
            continue
        if path.is_file():
            digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    lock = paths.ROOT / "requirements-lock.txt"
    if lock.exists():
        digest.update(lock.read_bytes())
    return digest.hexdigest()


def _up_to_date(out: Path, key: str) -> bool:
    marker = out / KEY_FILE
    return marker.exists() and marker.read_text() == key


# The HTML build's working copy, kept between builds: the prepared book folder and its Sphinx
# build (environment pickle, doctrees, output) as of the last good site. Sphinx re-reads only the
# pages whose files changed and writes only the pages that change.
HTML_STAGE = ".html-stage"
STAGE_KEY = ".inclusion-stage-key"


def _stage_key(src: Path) -> str:
    """What Sphinx does not track itself: the book's extensions, the package code they import, the lock file.

    Another value throws the kept build away: the next build is a full one.
    """
    import hashlib

    from inclusion_evidence.core import codehash

    digest = hashlib.sha256()
    for name, value in sorted(codehash.hashes(codehash.closure({"inclusion_evidence.present.sphinx_interactive"}))
                              .items()):
        digest.update(f"{name}={value}\n".encode())
    for path in sorted((src / "_ext").rglob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    lock = paths.ROOT / "requirements-lock.txt"
    if lock.exists():
        digest.update(lock.read_bytes())
    return digest.hexdigest()


def _same_file(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def _mirror(src: Path, dest: Path, *, unchanged, copy, keep=lambda rel: False) -> list[str]:
    """Make ``dest`` hold exactly the files of ``src``; returns the files written or removed.

    A file that ``unchanged(src_file, dest_file)`` accepts is not touched; any other is written
    anew with ``copy`` and renamed into place (never rewritten through a link). Files of ``dest``
    that ``src`` lacks are removed, except those under a path ``keep`` accepts.
    """
    changed, wanted = [], set()
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        wanted.add(rel)
        target = dest / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif not (target.is_file() and unchanged(path, target)):
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.new")
            copy(path, tmp)
            os.replace(tmp, target)
            changed.append(rel.as_posix())
    for path in sorted(dest.rglob("*"), reverse=True):   # deepest first: files, then their folders
        rel = path.relative_to(dest)
        if rel in wanted or keep(rel):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        changed.append(rel.as_posix())
    return changed


def sync_sources(fresh: Path, stage: Path) -> list[str]:
    """Make ``stage`` hold exactly the files of ``fresh`` (its ``_build`` left alone); returns what changed.

    An unchanged file is not touched, so its modification time tells Sphinx it is unchanged; a
    changed one is written anew with a new modification time.
    """
    return _mirror(fresh, stage, unchanged=_same_file, copy=shutil.copyfile,
                   keep=lambda rel: rel.parts[0] == "_build")


def _same_stat_or_bytes(a: Path, b: Path) -> bool:
    sa, sb = a.stat(), b.stat()
    return (sa.st_size, sa.st_mtime_ns) == (sb.st_size, sb.st_mtime_ns) or _same_file(a, b)


def publish_site(built: Path, site: Path, key: str) -> list[str]:
    """Make ``site`` a copy of ``built``, writing only the files that differ; returns them.

    The build key goes first and comes back last: a publish cut short leaves a site that the next
    build sees as out of date. Each file is replaced by a rename, never rewritten in place.
    """
    site.mkdir(parents=True, exist_ok=True)
    (site / KEY_FILE).unlink(missing_ok=True)
    built_files = {p.relative_to(built) for p in built.rglob("*")}
    changed = _mirror(built, site, unchanged=_same_stat_or_bytes, copy=shutil.copy2)
    atomic_write_text(site / KEY_FILE, key)
    # what was written (removed files are not reported, as before)
    return [rel for rel in changed if Path(rel) in built_files]


def linked_pdfs() -> list[Path]:
    """The PDFs the site carries and links: the main edition's and each enabled part's own, when built."""
    from inclusion_evidence.orchestration import fanout

    latex = paths.BUILD / "latex"
    pdfs = [latex / PDF_NAME]
    pdfs += [latex / profiles_pdf_name(name) for name, entry in fanout.load_fanouts().items() if entry.enabled]
    return [pdf for pdf in pdfs if pdf.exists()]


def html_key_prefix() -> str:
    """The site copies the PDFs into itself and links them: one that appeared or changed is a change."""
    import hashlib

    parts = ["html"]
    for pdf in linked_pdfs():
        parts.append(f"{pdf.name}:{hashlib.sha256(pdf.read_bytes()).hexdigest()}")
    return "+".join(parts)


def build_html(log=print, force: bool = False) -> Path:
    """Strict HTML build (warnings are errors), incremental, then published file by file.

    The book is prepared in a temporary folder, then synchronised into a working copy kept
    between builds (``_build/.html-stage``), where Sphinx rebuilds only what changed; the site
    then receives only the files that differ. A failed build publishes nothing and throws the
    working copy away (the next build is a full one, and reports the same warnings again).
    Skipped when nothing the book renders changed since the last build; ``force`` builds
    from nothing.
    """
    write_generated_pages()
    key = build_key(html_key_prefix())
    site = paths.BUILD / "html"
    if not force and _up_to_date(site, key):
        log("  HTML up to date: the book's files are unchanged since the last build; nothing built")
        return site
    pdf = paths.BUILD / "latex" / PDF_NAME
    if not pdf.exists():
        log("  no PDF yet (`make pdf` builds it): the HTML is built without the PDF download")
    stage = paths.BUILD / HTML_STAGE
    with tempfile.TemporaryDirectory(prefix=".build-", dir=paths.ROOT) as tmp:
        fresh = _book_copy(Path(tmp), "html")
        if pdf.exists():  # the header button and the front page link it only when it is there
            (fresh / "_static").mkdir(exist_ok=True)
            shutil.copy2(pdf, fresh / "_static" / PDF_NAME)
        from inclusion_evidence.orchestration import fanout

        for name, entry in fanout.load_fanouts().items():   # the profiles' own PDF, linked when it is there
            own = paths.BUILD / "latex" / profiles_pdf_name(name)
            if entry.enabled and own.exists():
                (fresh / "_static").mkdir(exist_ok=True)
                shutil.copy2(own, fresh / "_static" / own.name)
                fanout.link_pdf(fresh, name, own.name)
        stage_key = _stage_key(fresh)
        kept = stage / STAGE_KEY
        if force or not kept.exists() or kept.read_text() != stage_key:
            shutil.rmtree(stage, ignore_errors=True)
            log("  HTML: full build")
        stage.mkdir(parents=True, exist_ok=True)
        kept.unlink(missing_ok=True)   # written back only after a good build
        changed = sync_sources(fresh, stage / "book")
    log(f"  HTML: {len(changed)} source file(s) changed")
    try:
        _jupyter_book(["build", str(stage / "book"), "--builder", "html", "-W", "-n", "--keep-going"], log)
        publish_csvs(stage / "book" / "_build" / "html")
    except BaseException:
        # Sphinx saved what it read: kept, the next build would skip those pages and their warnings.
        shutil.rmtree(stage, ignore_errors=True)
        raise
    kept.write_text(stage_key)
    written = publish_site(stage / "book" / "_build" / "html", site, key)
    log(f"  HTML: {len(written)} file(s) of the site written")
    return site


# xdvipdfmx's compression level (0-9), chosen by measurement on the main edition (about 140 pages,
# 7.4 MB of RGBA PNG figures; CPU seconds of one conversion and the PDF's size): -z 9 (the default)
# 9.4 s, 7.05 MB; -z 6 3.5 s, 7.28 MB; -z 1 2.8 s, 8.39 MB; -z 0 1.0 s, 243 MB. Level 6 costs
# 0.6 s more than level 1 and saves 13 % of the file.
PDF_COMPRESSION = 6
# Books built at once by build_pdf: each is one single-threaded Sphinx, then one xelatex at a time.
PDF_JOBS = 2


# What LaTeX carries from one pass to the next, kept from the last good build: with them (and
# latexmk's record of the files it read), a build whose references and contents did not move
# needs one xelatex pass, not three. latexmk still re-runs while they change, so they are never trusted.
LATEX_STATE = (".aux", ".toc", ".out", ".idx", ".ind", ".fdb_latexmk")
STATE_DIR = ".latex-state"


def _latexmk(latex_dir: Path, log, label: str, state: Path | None = None) -> Path:
    """book.tex -> book.pdf: xelatex --no-pdf passes (latexmk re-runs it only while the .aux,
    .toc or .out files still change), then one xdvipdfmx conversion of the final XDV.

    ``state``: a folder holding the LaTeX state of the last good build of this book (see LATEX_STATE).
    """
    if state is not None and state.is_dir():
        for file in state.iterdir():
            if file.suffix in LATEX_STATE:
                shutil.copy2(file, latex_dir / file.name)
    cmd = ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
           "-e", f"$xdvipdfmx = q/xdvipdfmx -z {PDF_COMPRESSION} -E -o %D %O %S/", "book.tex"]
    started = time.perf_counter()
    # The folder's latexmkrc (written by Sphinx) sets xelatex --no-pdf and makeindex's style.
    proc = subprocess.run(cmd, cwd=latex_dir, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    pdf = latex_dir / "book.pdf"
    output = proc.stdout + proc.stderr
    if proc.returncode != 0 or not pdf.exists():
        tail = "\n".join(output.splitlines()[-40:])
        raise DataError(latex_dir / "book.tex", f"LaTeX failed for the {label} PDF; the previous PDF is "
                                                f"unchanged. Last lines:\n{tail}")
    passes = len(re.findall(r"Run number \d+ of rule '(?:xe)?latex'", output))
    log(f"  {label}: {passes} xelatex pass(es) and one conversion in {time.perf_counter() - started:.1f} s")
    return pdf


def _pdf_of(src: Path, log, label: str) -> Path:
    """One book folder -> its PDF: Sphinx's LaTeX writer, then :func:`_latexmk`."""
    started = time.perf_counter()
    _jupyter_book(["build", str(src), "--builder", "latex", "--keep-going"], log)
    log(f"  {label}: LaTeX written in {time.perf_counter() - started:.1f} s")
    return _latexmk(src / "_build" / "latex", log, label, paths.BUILD / "latex" / STATE_DIR / label)


def build_pdf(log=print, force: bool = False) -> Path:
    """PDF through Sphinx's LaTeX writer and latexmk (xelatex to XDV, one conversion); copied into the HTML.

    The main edition and each fan-out part's own PDF are independent books, built side by side
    (two at a time). Skipped when nothing the book renders changed since the last PDF (``force``
    builds anyway). A failed build leaves the previous PDFs in place.
    """
    if shutil.which("xelatex") is None or shutil.which("latexmk") is None:
        raise DataError("xelatex", "TeX is not installed. As root: apt-get install -y --no-install-recommends "
                                   "texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk "
                                   "fonts-freefont-otf")
    write_generated_pages()
    key = build_key("pdf")
    if not force and _up_to_date(paths.BUILD / "latex", key) and (paths.BUILD / "latex" / PDF_NAME).exists():
        log("  PDF up to date: the book's files are unchanged since the last build; nothing built")
        _copy_pdf_into_html()
        return paths.BUILD / "latex" / PDF_NAME
    from concurrent.futures import ThreadPoolExecutor

    from inclusion_evidence.orchestration import fanout

    with tempfile.TemporaryDirectory(prefix=".build-", dir=paths.ROOT) as tmp:
        src = _book_copy(Path(tmp), "latex")
        # The country profiles (6-8 pages each) get a PDF of their own: the main edition stays readable.
        fanout.strip_from_book(src)
        books = {PDF_NAME: (src, "main")}
        for name, entry in fanout.load_fanouts().items():
            if entry.enabled:
                own = _book_copy(Path(tmp) / name, "latex")
                fanout.as_own_book(own, name)
                books[profiles_pdf_name(name)] = (own, name)
        with ThreadPoolExecutor(max_workers=PDF_JOBS) as pool:
            jobs = {file: pool.submit(_pdf_of, book, log, label) for file, (book, label) in books.items()}
            built = {file: job.result() for file, job in jobs.items()}
        with atomic_dir(paths.BUILD / "latex") as out:
            for (file, pdf), (_, label) in zip(built.items(), books.values()):
                shutil.copy2(pdf, out / file)
                (out / STATE_DIR / label).mkdir(parents=True)
                for kept in pdf.parent.iterdir():
                    if kept.suffix in LATEX_STATE:
                        shutil.copy2(kept, out / STATE_DIR / label / kept.name)
            shutil.copy2(src / "_build" / "latex" / "book.tex", out / "book.tex")
            (out / KEY_FILE).write_text(key)
    _copy_pdf_into_html()
    return paths.BUILD / "latex" / PDF_NAME


def profiles_pdf_name(name: str) -> str:
    """The file name of a fan-out part's own PDF (e.g. the country profiles)."""
    return PDF_NAME.replace(".pdf", f"-{name}.pdf")


def _copy_pdf_into_html() -> None:
    html_static = paths.BUILD / "html" / "_static"
    if not html_static.exists():
        return
    for pdf in sorted((paths.BUILD / "latex").glob(PDF_NAME.replace(".pdf", "*.pdf"))):
        shutil.copy2(pdf, html_static / pdf.name)
