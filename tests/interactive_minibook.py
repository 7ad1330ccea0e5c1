"""A one-page Jupyter Book whose figures go through show_figure, as the chapters' do.

Used by tests/test_interactive_browser.py: the page holds a NUTS-2 choropleth (regional
unemployment), a trend chart, a category map and a points map from the processed tables, so the
browser tests run in seconds without building the whole book.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from inclusion_evidence.core import paths

PAGE = "page"
NOTEBOOK_CODE = r'''
from inclusion_evidence.core.tables import read_table
from inclusion_evidence.present import charts, maps
from inclusion_evidence.present.chapter import setup
from inclusion_evidence.present.figures import show_figure

setup("page")
ru = read_table("regional_unemployment")
YEAR = int(ru["time"].max())
latest = ru[ru["time"] == YEAR][["geo", "time", "rate_FOR", "flag_FOR"]]
regions = maps.mainland(read_table("nuts2021_level2").merge(latest, left_on="nuts_id", right_on="geo", how="left"))
fig = maps.choropleth(regions, "rate_FOR", flag_column="flag_FOR", legend_title="Unemployment rate, foreign citizens (%)",
                      unit="%", year=YEAR, background=read_table("nuts2021_level0"))
show_figure(fig, "nuts2-map", title=f"Unemployment rate of foreign citizens by NUTS-2 region, {YEAR}",
            source=f"Eurostat, lfst_r_lfur2gac ({YEAR}); boundaries: GISCO NUTS 2021",
            alt="Choropleth of the unemployment rate of foreign citizens by NUTS-2 region in five quantile classes.",
            data=regions.drop(columns="geometry"))
trend = ru[ru["geo"].isin(["AT13", "BE10", "DE30"])][["geo", "name", "time", "rate_TOTAL", "flag_TOTAL"]]
fig = charts.trend_lines(trend, x="time", y="rate_TOTAL", hue="name", ylabel="Unemployment rate (%)",
                         flag="flag_TOTAL")
show_figure(fig, "trend", title="Unemployment rate in three capital regions",
            source="Eurostat, lfst_r_lfur2gac", alt="Three lines of the unemployment rate over time.", data=trend)
# a category map (regions of three countries by country) and a points map (their regions' centres)
three = regions[regions["nuts_id"].str[:2].isin(["AT", "BE", "NL"])].assign(country=lambda d: d["nuts_id"].str[:2])
fig = maps.category_map(three, "country", ["AT", "BE", "NL"], ["#1b9e77", "#d95f02", "#7570b3"],
                        labels={"AT": "Austria", "BE": "Belgium", "NL": "Netherlands"}, legend_title="Country")
show_figure(fig, "category-map", title="NUTS-2 regions of three countries", source="GISCO NUTS 2021",
            alt="Map of the NUTS-2 regions of Austria, Belgium and the Netherlands coloured by country.",
            data=three.drop(columns="geometry")[["nuts_id", "name", "country"]])
centres = three.to_crs(3035).geometry.representative_point().to_crs(4326)
points = three[["nuts_id", "name", "country"]].assign(lon=centres.x.to_numpy(), lat=centres.y.to_numpy())
fig = maps.points_map(points, background=read_table("nuts2021_level0"), hue="country",
                      labels={"AT": "Austria", "BE": "Belgium", "NL": "Netherlands"}, shade={"AT"})
show_figure(fig, "points-map", title="A point inside each NUTS-2 region of three countries", source="GISCO NUTS 2021",
            alt="Map of one point inside each NUTS-2 region of Austria, Belgium and the Netherlands.",
            data=points)
'''



def build(root: Path) -> Path:
    """Build the mini book in ``root``; return the HTML page's path."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(paths.BOOK / "_static" / "vega", root / "_static" / "vega", dirs_exist_ok=True)
    (root / "_toc.yml").write_text(f"format: jb-book\nroot: {PAGE}\n")
    (root / "_config.yml").write_text(CONFIG)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Interactive figures\n\nA test page."),
                nbformat.v4.new_code_cell(NOTEBOOK_CODE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(root)}}).execute()
    nbformat.write(nb, root / f"{PAGE}.ipynb")
    for builder in ("html", "latex"):
        proc = subprocess.run([str(Path(sys.executable).with_name("jupyter-book")), "build", "--builder", builder, "-W", "-n",
                               "--keep-going", str(root)], capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(f"mini book ({builder}) failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return root / "_build" / "html" / f"{PAGE}.html"


CONFIG = """title: Interactive figures test
author: tests
only_build_toc_files: true
execute:
  execute_notebooks: "off"
latex:
  latex_engine: xelatex
  use_jupyterbook_latex: false
  latex_documents:
    targetname: book.tex
sphinx:
  config:
    nb_render_markdown_format: myst
    nb_mime_priority_overrides:
      - [latex, text/html, null]
      - [latex, image/svg+xml, null]
    suppress_warnings: ["mystnb.unknown_mime_type"]
  extra_extensions: [inclusion_evidence.present.sphinx_interactive]
"""
