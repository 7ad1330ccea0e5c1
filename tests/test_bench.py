"""The bench's helpers: scenario selection, the least-squares slope, and the params.yml edits it makes
in its scratch copy, checked against the runner's own parsing of the real book/params.yml."""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

from inclusion_evidence.orchestration.fanout import expand_fanouts, parse_fanouts
from inclusion_evidence.orchestration.runner import load_params

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "book" / "params.yml"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_under_test", ROOT / "bench" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def doc():
    return yaml.safe_load(PARAMS.read_text(encoding="utf-8"))


def test_only_selects_in_run_order_and_rejects_unknown_names(bench):
    assert bench.parse_only("floors,cold") == ["cold", "floors"]
    assert bench.parse_only("") == list(bench.SCENARIOS)
    with pytest.raises(SystemExit, match="colld"):
        bench.parse_only("colld")


def test_slope_is_least_squares(bench):
    assert bench.slope([(10, 30.0), (37, 84.0), (64, 138.0)]) == pytest.approx(2.0)
    assert bench.slope([(0, 1.0), (1, 2.0), (1, 4.0), (2, 3.0)]) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        bench.slope([(10, 1.0), (10, 2.0)])


def test_notebook_count_matches_the_runner(bench, doc):
    assert bench.notebook_count(doc) == len(load_params(PARAMS)[1])


def test_profiles_fanned_out_twice_are_valid_distinct_pages(bench, doc):
    chapters = set(doc["notebooks"])
    doubled = bench.multiply_profiles(copy.deepcopy(doc), 2)
    specs = expand_fanouts(doubled["profiles"], PARAMS, taken=chapters)
    single = expand_fanouts(doc["profiles"], PARAMS, taken=chapters)
    assert len(specs) == 2 * len(single) > 0
    assert bench.notebook_count(doubled) == len(chapters) + len(specs)
    # every copy executes the same source notebook with the same parameters
    assert {s["notebook"] for s in specs.values()} == {s["notebook"] for s in single.values()}
    fanouts = parse_fanouts(doubled["profiles"], PARAMS)
    assert len({f.index for f in fanouts.values()}) == len({f.title for f in fanouts.values()}) == len(fanouts)


def test_disable_then_enable_profiles(bench, doc):
    off = bench.disable_profiles(copy.deepcopy(doc))
    assert expand_fanouts(off["profiles"], PARAMS) == {}
    assert bench.notebook_count(off) == len(doc["notebooks"])
    on = bench.enable_profiles(off, book=doc)
    assert len(expand_fanouts(on["profiles"], PARAMS)) == bench.notebook_count(doc) - len(doc["notebooks"])
    # an option the book leaves off (regional profiles) stays off, and no bench edit touches it
    options = [name for name, entry in doc["profiles"].items() if entry.get("enabled", True) is False]
    assert options and all(on["profiles"][name]["enabled"] is False for name in options)
    doubled = bench.bump_profiles(bench.multiply_profiles(copy.deepcopy(doc), 2))
    assert all(doubled["profiles"][name] == doc["profiles"][name] for name in options)
    assert not any(name.startswith(tuple(f"{o}_x" for o in options)) for name in doubled["profiles"])


def test_bump_changes_only_a_declared_profile_parameter_within_its_bounds(bench, doc):
    key, choices = bench.PROFILE_BUMP
    entry = next(iter(doc["profiles"].values()))
    assert key in entry["parameters"] and key in entry["allowed"]
    before = copy.deepcopy(doc)
    first = bench.bump_profiles(copy.deepcopy(doc))
    second = bench.bump_profiles(copy.deepcopy(first))
    a, b = (next(iter(d["profiles"].values()))["parameters"][key] for d in (first, second))
    assert a != b and a != entry["parameters"][key] and {a, b} <= set(choices)
    assert entry["allowed"][key].get("max", 9999) >= max(choices)
    assert first["notebooks"] == before["notebooks"]


def test_report_states_targets_met_and_not_met(bench):
    r = {"notebooks": {"cold": 37},
         "one": [{"total": 6.0, "run": 3.0, "html": 3.0, "seconds": {}}] * 3,
         "pdf": [20.0, 21.0, 22.0],
         "floors": {"papermill": [2.5] * 5, "latex_writer": [6.0] * 3, "xelatex": [1.5] * 3,
                    "xdvipdfmx": [9.0] * 3, "xdvipdfmx_z1": [3.0] * 3, "pdf_sizes": [{}]}}
    text = "\n".join(bench.report(r, 3))
    assert "PDF floor (LaTeX writer + 3 xelatex passes + xdvipdfmx -z 1): 13.5 s" in text
    assert "PDF / its floor: 1.56 (at most 1.3): **NOT met**" in text
    assert "HTML rebuild: 3.00 s (at most 2 s): **NOT met**" in text
    r["one"] = [{"total": 3.0, "run": 1.5, "html": 1.5, "seconds": {}}] * 3
    assert "HTML rebuild: 1.50 s (at most 2 s): **met**" in "\n".join(bench.report(r, 3))


def test_scaling_copy_is_the_same_64_notebooks_in_every_run(bench, doc):
    """The scaling point is measured in every run on a copy earlier runs edited: fanning out twice again, or
    after the chapters-only scenario disabled every entry, must give the same notebooks, not 91 or 10."""
    first = bench.profiles_twice(bench.set_epoch(copy.deepcopy(doc), 1002), book=doc)
    n = bench.notebook_count(first)
    assert n == len(doc["notebooks"]) + 2 * (bench.notebook_count(doc) - len(doc["notebooks"]))
    again = bench.profiles_twice(bench.set_epoch(copy.deepcopy(first), 1012), book=doc)
    after_off = bench.profiles_twice(bench.set_epoch(bench.disable_profiles(copy.deepcopy(first)), 1022), book=doc)
    for edited, epoch in ((again, 1012), (after_off, 1022)):
        assert bench.notebook_count(edited) == n and edited["epoch"] == epoch
        assert edited["profiles"] == first["profiles"]
    assert len(expand_fanouts(first["profiles"], PARAMS, taken=set(doc["notebooks"]))) == n - len(doc["notebooks"])


def test_scaling_is_measured_every_run_and_counted_so_in_the_estimate(bench):
    assert "scaling" not in bench.ONCE
    one, three = (bench.estimate_seconds({"scaling": 100.0}, ["scaling"], runs) for runs in (1, 3))
    assert three - one == pytest.approx(200.0)
    r = {"notebooks": {"noprofiles": 10, "scaling": 64},
         "noprofiles": [{"run": 30.0, "total": 40.0, "html": 10.0}] * 3,
         "scaling": [{"run": x, "total": x, "html": 0.0} for x in (150.0, 140.0, 160.0)]}
    text = "\n".join(bench.report(r, 3))
    assert "| 64 notebooks: cold run (process + execute) | 150.0 | 140.0-160.0 | 3 |" in text
    assert "measured once" not in text
