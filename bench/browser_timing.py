"""First figure interactive and own page weight, in headless Chromium (issue 17).

Used by ``bench.py`` (scenario ``browser``); also runnable alone on a built site::

    python bench/browser_timing.py book/_build/html --loads 5

Each page is loaded ``loads`` times from a local HTTP server, each time in a fresh
browser context (nothing cached: the reader's first visit). The time is read in the
page, ``performance.now()`` (milliseconds since navigation start) at the moment the
first interactive figure of the page is drawn (its figure carries
``data-ie-state="ready"``, set by ``_static/vega/inclusion-figures.js`` once Vega has
written the SVG or canvas). The page's own weight is its HTML plus the images it still
downloads once the interactive figures replaced theirs (``img[src]`` outside
``_static``), read from disk; the shared assets are the ``_static`` files the page
requested.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import statistics
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the bench prints its own lines
        pass


class Server:
    """``python -m http.server`` on the built site, in a thread, on a free port."""

    def __init__(self, site: Path):
        handler = functools.partial(_Quiet, directory=str(site))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def chapter_pages(site: Path) -> list[str]:
    """The chapter pages of the built site (the executed notebooks that are not country profiles)."""
    return sorted(f"chapters/{p.name}" for p in (site / "chapters").glob("*.html")
                  if not p.name.startswith("profile_"))


def _disk_size(site: Path, url: str) -> int:
    path = site / unquote(urlparse(url).path).lstrip("/")
    return path.stat().st_size if path.is_file() else 0


def measure_page(browser, site: Path, base: str, rel: str, timeout_ms: int = 30_000) -> dict:
    """One load: seconds to the first interactive figure (None when the page has none), weights in bytes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(base + rel, wait_until="domcontentloaded")
        first = page.evaluate("(() => { const s = document.querySelector('script.ie-spec');"
                              " return s ? s.getAttribute('data-figure') : null; })()")
        seconds = None
        if first:
            target = page.locator(f"[id='{first}']")
            target.scroll_into_view_if_needed()
            page.wait_for_selector(f"[id='{first}'][data-ie-state='ready']", state="attached", timeout=timeout_ms)
            seconds = page.evaluate("performance.now()") / 1000
            page.evaluate("window.inclusionFigures ? window.inclusionFigures.renderAll().then(() => true) : true")
        page.wait_for_load_state("load")
        images = page.evaluate("[...document.images].map(i => i.src).filter(s => s)")
    finally:
        context.close()
    own = (site / rel).stat().st_size + sum(_disk_size(site, u) for u in set(images) if "/_static/" not in u)
    shared = sum(_disk_size(site, u) for u in set(requested) if "/_static/" in u)
    return {"seconds": seconds, "own_bytes": own, "shared_bytes": shared}


def measure_site(site: Path, loads: int = 5, pages: list[str] | None = None, log=print) -> dict:
    """Per page: the seconds of every load, their median, and the page's weights."""
    from playwright.sync_api import sync_playwright

    site = Path(site)
    pages = pages or chapter_pages(site)
    out = {}
    with Server(site) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for rel in pages:
                runs = [measure_page(browser, site, server.url, rel) for _ in range(loads)]
                secs = [r["seconds"] for r in runs if r["seconds"] is not None]
                out[rel] = {"seconds": secs, "median": statistics.median(secs) if secs else None,
                            "own_bytes": runs[-1]["own_bytes"], "shared_bytes": runs[-1]["shared_bytes"]}
                med = f"{out[rel]['median']:.2f} s" if secs else "no interactive figure"
                log(f"  {rel}: first figure {med}, own {runs[-1]['own_bytes'] / 1e6:.2f} MB")
        finally:
            browser.close()
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built HTML folder")
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(measure_site(args.site, args.loads), indent=1))
