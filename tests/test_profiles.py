"""Country profiles: one notebook expanded over a list of values, each page cached on its own inputs."""

from __future__ import annotations

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml
from test_runner import PINNED_CODE, REAL_CATALOGUE, REAL_RAW, write_notebook

from inclusion_evidence.core import codehash, paths
from inclusion_evidence.core.errors import ParameterError
from inclusion_evidence.core.geo_codes import EU27
from inclusion_evidence.orchestration import pipeline, runner, toc

SHARED = "tmp_fan_shared"


def write_params(profiles: dict, notebooks: dict | None = None) -> None:
    doc = {"epoch": 1, "notebooks": notebooks if notebooks is not None else
           {"demo": {"title": "Demo", "inputs": [], "parameters": {}}}, "profiles": profiles}
    paths.PARAMS.write_text(yaml.safe_dump(doc, sort_keys=False))


def write_table(name: str, geos: list[str], value: float) -> None:
    pd.DataFrame({"geo": geos, "value": [value] * len(geos)}).to_parquet(paths.PROCESSED / f"{name}.parquet",
                                                                         index=False)


def entry(values, **more) -> dict:
    return {"tiny": {"title": "Tiny profiles", "notebook": "tiny", "parameter": "country", "values": values,
                     "output": "tiny_{value}", "inputs": [SHARED, "tmp_fan_{value}"],
                     "parameters": {"year": 2021}, **more}}


@pytest.fixture
def fan(project, monkeypatch):
    """The conftest project with a demo chapter, a tiny profile notebook and its input tables."""
    monkeypatch.setattr(paths, "RAW", REAL_RAW)
    monkeypatch.setattr(paths, "CATALOGUE", REAL_CATALOGUE)
    monkeypatch.setattr(codehash, "notebook_code_hashes", lambda notebook, code_cells=None: dict(PINNED_CODE))
    write_notebook(paths.CHAPTER_SOURCES / "demo.ipynb")
    write_notebook(paths.CHAPTER_SOURCES / "tiny.ipynb", param_source="country = 'AT'\nyear = 2020",
                   body="print(f'profile of {country}, {year}')")
    write_table(SHARED, ["AT", "DE", "FR"], 1.0)
    for geo in ("AT", "DE", "FR"):
        write_table(f"tmp_fan_{geo}", [geo], 1.0)
    write_params(entry(["AT", "DE"]))
    return project


# --------------------------------------------------------------------------- expansion

def test_one_spec_per_value_with_the_shared_source_and_its_own_parameters_and_inputs(fan):
    _, specs = runner.load_params()
    assert list(specs) == ["demo", "tiny_AT", "tiny_DE"]
    at = specs["tiny_AT"]
    assert (at.kind, at.title, at.notebook) == ("profile", "Austria", "tiny")
    assert at.source == paths.CHAPTER_SOURCES / "tiny.ipynb"
    assert at.executed == paths.EDITION / "tiny_AT.ipynb"
    assert at.parameters == {"year": 2021, "country": "AT"}
    assert at.inputs == [SHARED, "tmp_fan_AT"]
    assert specs["tiny_DE"].inputs == [SHARED, "tmp_fan_DE"]
    runner.validate_parameters(at)      # the shared notebook declares 'country'


def test_scope_values_are_the_member_states_in_book_order(fan):
    write_params(entry({"scope": "EU27"}))
    _, specs = runner.load_params()
    assert [s.parameters["country"] for s in specs.values() if s.notebook == "tiny"] == list(EU27)


def test_covered_by_keeps_the_countries_of_a_scope_that_the_data_hold(fan):
    write_table("tmp_fan_geos", ["AT", "NO", "TR", "EU27_2020"], 1.0)
    write_params(entry({"scope": "EU27+EFTA+candidates", "covered_by": {"table": "tmp_fan_geos", "column": "geo"}}))
    _, specs = runner.load_params()
    assert [s.parameters["country"] for s in specs.values() if s.notebook == "tiny"] == ["AT", "NO", "TR"]


def test_a_disabled_entry_expands_to_nothing(fan):
    write_params(entry(["AT"], enabled=False))
    assert list(runner.load_params()[1]) == ["demo"]


@pytest.mark.parametrize("bad, words", [
    ({"values": []}, ["empty list"]),
    ({"values": {"scope": "EU99"}}, ["unknown part"]),
    ({"values": {"scope": "EU27", "covered_by": {"table": "absent", "column": "geo"}}}, ["absent", "missing"]),
    ({"output": "tiny"}, ["{value}"]),
    ({"colour": "red"}, ["unknown key", "colour"]),
])
def test_a_bad_profiles_entry_is_an_error_naming_the_file_and_the_entry(fan, params_error, bad, words):
    e = entry(["AT"])
    e["tiny"].update(bad)
    write_params(e)
    params_error("profiles 'tiny'", words)


def test_an_output_name_taken_by_a_chapter_is_an_error(fan):
    write_params(entry(["AT"]), notebooks={"tiny_AT": {"title": "Clash", "inputs": [], "parameters": {}}})
    with pytest.raises(ParameterError, match="already taken"):
        runner.load_params()


def test_the_profiles_get_a_part_of_their_own_with_an_index_page(fan):
    e = entry(["AT", "DE"], intro="One page per country.", columns={"Foreign-born (%)": "pf_fb_share"})
    write_params(e)
    parts = toc.toc_parts()
    assert parts["Tiny profiles"] == ["tiny_index", ("chapters/tiny_AT", "Austria"), ("chapters/tiny_DE", "Germany")]
    assert not any("tiny" in str(f) for caption, files in parts.items() if caption != "Tiny profiles" for f in files)
    toc.write_toc()
    index = (paths.BOOK / "tiny_index.md").read_text(encoding="utf-8")
    assert index.startswith("# Tiny profiles\n\nOne page per country.\n")
    assert "| {doc}`Austria <chapters/tiny_AT>` | AT | {glue:text}`chapters/tiny_AT.ipynb::pf_fb_share:s` |" in index
    assert "chapters/tiny_DE>`" in index and "FR" not in index
    listed = [(c["file"], c.get("title")) for p in yaml.safe_load((paths.BOOK / "_toc.yml").read_text())["parts"]
              for c in p["chapters"]]
    assert listed[-3:] == [("tiny_index", None), ("chapters/tiny_AT", "Austria"), ("chapters/tiny_DE", "Germany")]


# --------------------------------------------------------------------------- caching

@pytest.mark.slow
def test_only_the_profiles_whose_inputs_changed_are_executed_again(fan):
    quiet = dict(jobs=2, log=lambda _: None)

    def run() -> dict[str, str]:
        report = pipeline.update(steps=[], notebooks=None, **quiet)["notebooks"]
        return {r["notebook"]: r["status"] for r in report}

    assert run() == {"demo": "executed", "tiny_AT": "executed", "tiny_DE": "executed"}
    out = nbformat.read(paths.EDITION / "tiny_DE.ipynb", as_version=4)
    assert "profile of DE, 2021" in out.cells[-1].outputs[0]["text"]
    assert run() == {"demo": "cached", "tiny_AT": "cached", "tiny_DE": "cached"}

    write_table("tmp_fan_DE", ["DE"], 2.0)                 # one profile's own input
    report = pipeline.update(steps=[], notebooks=None, **quiet)["notebooks"]
    assert {r["notebook"]: r["status"] for r in report} == {"demo": "cached", "tiny_AT": "cached",
                                                             "tiny_DE": "executed"}
    assert next(r for r in report if r["notebook"] == "tiny_DE")["reason"] == "table:tmp_fan_DE"

    write_params(entry(["AT", "DE", "FR"]))                # a new value: only its page runs
    assert run() == {"demo": "cached", "tiny_AT": "cached", "tiny_DE": "cached", "tiny_FR": "executed"}

    write_table(SHARED, ["AT", "DE", "FR"], 3.0)           # the input every profile reads
    assert run() == {"demo": "cached", "tiny_AT": "executed", "tiny_DE": "executed", "tiny_FR": "executed"}

    e = entry(["AT", "DE", "FR"])
    e["tiny"]["parameters"] = {"year": 2022}               # the shared parameters: every profile
    write_params(e)
    assert set(run().values()) == {"cached", "executed"}
    assert "profile of FR, 2022" in nbformat.read(paths.EDITION / "tiny_FR.ipynb", as_version=4) \
        .cells[-1].outputs[0]["text"]


# --------------------------------------------------------------------------- the profile's selections

def test_a_country_the_minors_release_lists_without_a_count_keeps_its_other_year():
    from inclusion_evidence.analysis import profile

    release = pd.DataFrame({"country": ["EU-28", "Czechia", "Estonia"], "geo": ["EU28", "CZ", "EE"],
                            "uam_2015": [96465, 15, pd.NA], "uam_2016": [63290, pd.NA, pd.NA]}).astype(
        {"uam_2015": "Int64", "uam_2016": "Int64"})
    empty = pd.DataFrame(columns=["geo", "time", "value", "flag"])
    cz, source = profile.unaccompanied_minors(empty, release, "CZ")
    assert source == "uam_news_release_2017"  # the catalogue id of the release's table, for source_line
    assert cz.to_dict("records") == [{"series": "Czechia", "time": 2015, "value": 15.0},
                                     {"series": "EU-28", "time": 2015, "value": 96465.0},
                                     {"series": "EU-28", "time": 2016, "value": 63290.0}]
    assert profile.unaccompanied_minors(empty, release, "EE")[0].empty     # listed, no count: said plainly
    assert profile.unaccompanied_minors(empty, release, "FR")[0].empty     # not listed


def test_the_eu27_share_needs_all_27_populations_and_uses_the_chapter_function():
    from inclusion_evidence.analysis import profile

    years = [2021, 2022]
    population = pd.DataFrame([{"geo": g, "year": y, "population": 1000.0} for g in EU27 for y in years])
    population = population[~((population["geo"] == "MT") & (population["year"] == 2021))]   # 26 states in 2021
    born = pd.DataFrame({"c_birth": "FOR", "geo": ["AT", "AT", "EU27_2020", "EU27_2020"], "time": years * 2,
                         "value": [100.0, 110.0, 2600.0, 2700.0], "flag": ["", "", "", "e"]})
    citizens = born.drop(columns="c_birth").assign(citizen="FOR_STLS", value=[50.0, 55.0, 1300.0, 1350.0])
    trend = profile.population_trend(born, citizens, population, "AT")
    eu = trend[(trend["geo"] == "EU27_2020") & (trend["group"] == "Foreign-born")]
    assert eu[["year", "share", "flag"]].to_dict("records") == [{"year": 2022, "share": 10.0, "flag": "e"}]
    assert profile.latest_pair(trend, "AT", "Foreign-born") == {"year": 2022, "value": 11.0, "flag": "", "eu27": 10.0}
    with pytest.raises(ValueError, match="not a Eurostat country code"):
        profile.population_trend(born, citizens, population, "EU27_2020")


def test_the_committed_index_page_is_the_generated_one():
    from inclusion_evidence.orchestration import fanout

    for entry_ in fanout.load_fanouts().values():
        if not entry_.enabled:          # a part left off (regional profiles) has no index page
            continue
        page = paths.BOOK / f"{entry_.index}.md"
        assert page.read_text(encoding="utf-8") == fanout.index_page_text(entry_), \
            f"{page.name} is out of date: run python -m inclusion_evidence.orchestration.toc"


def test_the_profiles_leave_the_main_pdf_and_make_a_book_of_their_own(fan, tmp_path):
    import shutil

    from inclusion_evidence.orchestration import fanout

    write_params(entry(["AT", "DE"]))
    toc.write_toc()
    (paths.BOOK / "_config.yml").write_text("title: The book\nlatex:\n  latex_engine: xelatex\n")
    main, own = tmp_path / "main", tmp_path / "own"
    shutil.copytree(paths.BOOK, main)
    shutil.copytree(paths.BOOK, own)

    fanout.strip_from_book(main)
    parts = yaml.safe_load((main / "_toc.yml").read_text())["parts"]
    assert [p["caption"] for p in parts] == ["The seven actions", "Reference"]

    fanout.as_own_book(own, "tiny")
    doc = yaml.safe_load((own / "_toc.yml").read_text())
    assert doc == {"format": "jb-book", "root": "tiny_index",
                   "chapters": [{"file": "chapters/tiny_AT", "title": "Austria"},
                                {"file": "chapters/tiny_DE", "title": "Germany"}]}
    config = yaml.safe_load((own / "_config.yml").read_text())
    assert config["title"] == "The book: Tiny profiles" and config["latex"] == {"latex_engine": "xelatex"}
    assert config["sphinx"]["config"]["latex_elements"]["extraclassoptions"] == "openany,oneside"


def test_a_country_outside_amif_gets_no_figure_and_no_error():
    from inclusion_evidence.analysis import profile

    budget = pd.DataFrame({"year": [2014, 2015], "programme": "AMIF", "line_code": "x", "line_label": "AMIF",
                           "member_state": ["AT", "AT"], "eur_million": [1.0, 2.0]})
    citizens = pd.DataFrame({"citizen": "FOR_STLS", "geo": ["AT", "AT", "NO", "EU27_2020", "EU27_2020"],
                             "time": [2014, 2015, 2014, 2014, 2015], "value": [1000.0, 1000.0, 500.0, 2e4, 2e4]})
    norway = profile.amif_per_citizen(budget, citizens, "NO")
    assert np.isnan(norway["value"]) and np.isnan(norway["eur_million"]) and norway["opt_out"] == ""
    assert norway["group"] == "foreign citizen (EU and non-EU)"         # the extract has no NEU27_2020_FOR
    austria = profile.amif_per_citizen(budget, citizens, "AT")
    assert austria["value"] == pytest.approx(3e6 / 1000) and austria["eu27"] == pytest.approx(3e6 / 2e4)


def test_the_profiles_pdf_is_linked_from_their_index_page_in_a_copy(fan, tmp_path):
    import shutil

    from inclusion_evidence.orchestration import fanout

    write_params(entry(["AT", "DE"]))
    toc.write_toc()
    copy = tmp_path / "copy"
    shutil.copytree(paths.BOOK, copy)
    before = (copy / "tiny_index.md").read_text()
    assert "_static/book-tiny.pdf" not in before
    fanout.link_pdf(copy, "tiny", "book-tiny.pdf")
    after = (copy / "tiny_index.md").read_text()
    assert after.splitlines()[0] == before.splitlines()[0]          # the title stays first
    assert 'href="_static/book-tiny.pdf"' in after and "all 2 pages" in after
    assert (paths.BOOK / "tiny_index.md").read_text() == before     # the live book is untouched
