"""Interactive figures in a real browser (the machine's Chromium, driven by Playwright).

A one-page book (tests/interactive_minibook.py) is built from the processed tables and
checked: hovering a region shows the value its CSV holds; the figures render with no
console error and no request to another host; the PNG is not downloaded when the chart
replaces it, and is what a reader without JavaScript sees; the LaTeX build keeps the PNG.
The same checks run on the built chapter 5 page when `make html` has built it.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from inclusion_evidence.core import paths

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")

# Printed by the Jupyter Book theme itself on every page of the book (sphinx-thebe declares
# THEBE_JS_URL twice; the theme warns about an empty stored mode): not the figures' doing.
THEME_NOISE = ("Identifier 'THEBE_JS_URL' has already been declared", "Got invalid theme mode")
CHAPTER5 = paths.BUILD / "html" / "chapters" / "action_5_evidence_policymaking.html"
CHAPTER5_FIGURES = paths.EDITION / "figures" / "action_5_evidence_policymaking"


@pytest.fixture(scope="module")
def minibook(tmp_path_factory) -> Path:
    for table in ("regional_unemployment", "nuts2021_level2", "nuts2021_level0"):
        if not (paths.PROCESSED / f"{table}.parquet").exists():
            pytest.skip(f"processed table {table} missing: run `make process`")
    import interactive_minibook

    return interactive_minibook.build(tmp_path_factory.mktemp("minibook"))


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


class Visit:
    """A page opened in a fresh context, with its console messages and requests recorded."""

    def __init__(self, browser, url: str, *, javascript: bool = True, width: int = 1280):
        self.context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.errors, self.requests, self.bytes = [], [], {}
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfinished", self._size)
        start = time.perf_counter()
        self.page.goto(url)
        if javascript:
            self.page.wait_for_selector("html[data-ie-ready]", timeout=30_000)
            # a figure is drawn when it comes near the screen: go to the first one and time it
            first = self.page.evaluate("document.querySelector('script.ie-spec').getAttribute('data-figure')")
            self.page.locator(f"[id='{first}']").scroll_into_view_if_needed()
            self.page.wait_for_selector(f"[id='{first}'][data-ie-state]", state="attached", timeout=30_000)
            self.first_figure_seconds = time.perf_counter() - start
            # the others are drawn as the reader scrolls to them: draw them all now
            self.page.evaluate("window.inclusionFigures.renderAll().then(() => true)")

    def _size(self, request):
        try:
            self.bytes[request.url] = len(request.response().body())
        except Exception:  # a request without a body (redirect, cache)
            self.bytes[request.url] = 0

    def figure_errors(self) -> list[str]:
        return [e for e in self.errors if not any(noise in e for noise in THEME_NOISE)]

    def close(self):
        self.context.close()


def _hover_region(page, figure: str, name: str, code: str) -> str:
    region = page.locator(f"[id='{figure}'] path[aria-label^=\"{name} ({code})\"]")
    assert region.count() == 1, f"no single region {name} ({code}) on the map"
    region.scroll_into_view_if_needed()
    region.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5_000)
    return tooltip.inner_text()


def _csv_region(csv: Path, value: str, code_column: str = "geo") -> pd.Series:
    data = pd.read_csv(csv, keep_default_na=False, na_values=[""]).dropna(subset=[value])
    return data.sort_values(code_column).iloc[len(data) // 2]  # a region from the middle of the list


# ------------------------------------------------------------------ the one-page book


def test_hovering_a_region_shows_the_value_of_the_csv(minibook, browser):
    row = _csv_region(minibook.parents[2] / "figures" / "page" / "nuts2-map.csv", "rate_FOR")
    visit = Visit(browser, minibook.as_uri())
    try:
        text = _hover_region(visit.page, "fig-page-nuts2-map", row["name"], row["nuts_id"])
        assert f"{row['nuts_id']}" in text
        assert f"{row['rate_FOR']:.1f}%" in text, text
        assert str(int(row["time"])) in text, text
        assert ("u (low reliability)" in text) == ("u" in str(row["flag_FOR"])), text
    finally:
        visit.close()


def test_figures_render_without_console_errors_or_other_hosts(minibook, browser):
    visit = Visit(browser, minibook.as_uri())
    try:
        states = visit.page.eval_on_selector_all("figure", "els => els.map(e => e.getAttribute('data-ie-state'))")
        assert states == ["ready"] * 4, states  # choropleth, trend, category map, points map
        assert visit.figure_errors() == []
        foreign = [u for u in visit.requests if not u.startswith("file://")]
        assert foreign == [], foreign
        names = [u.split("?")[0].rsplit("/", 1)[-1] for u in visit.requests]
        assert {"vega.min.js", "vega-lite.min.js", "vega-embed.min.js"} <= set(names)
        assert not [n for n in names if n.endswith(".png")], "a PNG was downloaded although the chart replaced it"
    finally:
        visit.close()


def test_trend_chart_has_one_legend_that_toggles_series(minibook, browser):
    names = sorted(pd.read_csv(minibook.parents[2] / "figures" / "page" / "trend.csv")["name"].unique())
    visit = Visit(browser, minibook.as_uri())
    try:
        legend = visit.page.locator("#fig-page-trend .ie-host svg .role-legend")
        assert legend.count() == 1
        labels = sorted(visit.page.eval_on_selector_all(
            "#fig-page-trend .role-legend-label text", "els => els.map(e => e.textContent)"))
        assert labels == names
        line_opacity = ("els => els.map(e => e.getAttribute('stroke-opacity') || e.getAttribute('opacity') || '1')")
        before = visit.page.eval_on_selector_all("#fig-page-trend .mark-line path", line_opacity)
        visit.page.locator("#fig-page-trend .role-legend-symbol path").first.click()
        visit.page.wait_for_timeout(300)
        after = visit.page.eval_on_selector_all("#fig-page-trend .mark-line path", line_opacity)
        assert before != after, "clicking a legend entry changed nothing"
    finally:
        visit.close()


def test_keyboard_reads_out_regions(minibook, browser):
    visit = Visit(browser, minibook.as_uri())
    try:
        chart = visit.page.locator("#fig-page-nuts2-map .ie-chart")
        chart.focus()
        visit.page.keyboard.press("ArrowRight")
        readout = visit.page.locator("#fig-page-nuts2-map .ie-readout").inner_text()
        assert re.match(r".+ \([A-Z]{2}[0-9A-Z]{2}\): .+; flag: ", readout), readout
        # the caption and the CSV link stay with the interactive figure
        assert visit.page.locator("#fig-page-nuts2-map figcaption a[href$='.csv']").count() == 1
    finally:
        visit.close()


def test_at_phone_width_the_map_and_its_legend_fit(minibook, browser):
    visit = Visit(browser, minibook.as_uri(), width=390)
    try:
        svg = visit.page.locator("#fig-page-nuts2-map .ie-host svg")
        box = svg.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        sizes = visit.page.eval_on_selector_all(
            "#fig-page-nuts2-map .ie-host svg .role-legend text",
            "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert sizes and min(sizes) >= 11, sizes
    finally:
        visit.close()


def test_without_javascript_the_png_shows(minibook, browser):
    visit = Visit(browser, minibook.as_uri(), javascript=False)
    try:
        img = visit.page.locator("#fig-page-nuts2-map img")
        assert img.count() == 1
        assert len(img.get_attribute("alt")) > 15
        assert visit.page.evaluate("document.querySelector('#fig-page-nuts2-map img').complete")
        img.scroll_into_view_if_needed()
        visit.page.wait_for_function("document.querySelector('#fig-page-nuts2-map img').naturalWidth > 0")
    finally:
        visit.close()


def test_the_latex_build_takes_the_png(minibook):
    tex = (minibook.parents[1] / "latex" / "book.tex").read_text()
    assert "{nuts2-map}.png" in tex and "{trend}.png" in tex
    assert "ie-spec" not in tex and "application/json" not in tex


# ------------------------------------------------------------------ the built chapter 5


@pytest.mark.book
def test_chapter5_hover_weight_and_errors(browser):
    if not CHAPTER5.exists() or "ie-spec" not in CHAPTER5.read_text(encoding="utf-8"):
        pytest.skip("chapter 5 is not built with interactive figures: run `make run html`")
    row = _csv_region(CHAPTER5_FIGURES / "map-rate.csv", "rate")
    visit = Visit(browser, CHAPTER5.as_uri())
    try:
        text = _hover_region(visit.page, "fig-action-5-evidence-policymaking-map-rate", row["name"], row["geo"])
        assert f"{row['rate']:.1f}%" in text, text
        assert visit.figure_errors() == []
        assert [u for u in visit.requests if not u.startswith("file://")] == []
        failed = visit.page.eval_on_selector_all("figure[data-ie-state='failed']", "els => els.map(e => e.id)")
        assert failed == []
        own = sum(n for u, n in visit.bytes.items() if "/_static/" not in u)
        assert own <= 1_500_000, f"chapter 5 page weighs {own / 1e6:.2f} MB of its own"
    finally:
        visit.close()


def test_hovering_a_category_map_and_a_points_map_shows_category_and_label(minibook, browser):
    regions = pd.read_csv(minibook.parents[2] / "figures" / "page" / "category-map.csv")
    words = {"AT": "Austria", "BE": "Belgium", "NL": "Netherlands"}
    counts = regions["country"].value_counts()
    row = regions.sort_values("nuts_id").iloc[len(regions) // 2]
    visit = Visit(browser, minibook.as_uri())
    try:
        text = _hover_region(visit.page, "fig-page-category-map", row["name"], row["nuts_id"])
        assert f"{words[row['country']]} ({counts[row['country']]})" in text, text
        point = pd.read_csv(minibook.parents[2] / "figures" / "page" / "points-map.csv").iloc[0]
        mark = visit.page.locator(f"[id='fig-page-points-map'] path[aria-label^=\"{point['name']}: \"]")
        assert mark.count() == 1
        mark.scroll_into_view_if_needed()
        mark.hover()
        tooltip = visit.page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible", timeout=5_000)
        assert point["name"] in tooltip.inner_text() and words[point["country"]] in tooltip.inner_text()
        assert visit.figure_errors() == []
    finally:
        visit.close()
