"""The environment descriptions agree: pyproject, requirements-lock.txt and environment.yml."""

from __future__ import annotations

import importlib.metadata as md
import re
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from inclusion_evidence.core.paths import ROOT

LOCK = ROOT / "requirements-lock.txt"
ENVIRONMENT = ROOT / "environment.yml"
NOT_IN_LOCK = {"python", "pip"}          # the interpreter and installer are not pip-locked


def lock_pins() -> dict[str, str]:
    pins = {}
    for lineno, line in enumerate(LOCK.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;]+)", line)
        assert m, f"{LOCK.name} line {lineno} is not pinned with '==': {line!r}"
        name = canonicalize_name(m.group(1))
        assert name not in pins, f"{LOCK.name}: {name} pinned twice"
        pins[name] = m.group(2)
    return pins


def pyproject_requirements() -> list[Requirement]:
    doc = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = list(doc["project"]["dependencies"])
    for extra in doc["project"].get("optional-dependencies", {}).values():
        reqs += extra
    return [Requirement(r) for r in reqs]


def test_lock_is_fully_pinned():
    pins = lock_pins()
    assert len(pins) > 20
    for name, version in pins.items():
        Version(version)                  # a real version, not a range or URL


def test_pyproject_dependencies_are_all_locked_within_their_ranges():
    pins = lock_pins()
    for req in pyproject_requirements():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} (pyproject.toml) is missing from {LOCK.name}"
        assert req.specifier.contains(pins[name], prereleases=True), \
            f"{LOCK.name} pins {name}=={pins[name]}, outside pyproject's '{req.specifier}'"


def test_installed_versions_match_the_lock():
    """The running environment is the locked one (for the project's direct dependencies)."""
    pins = lock_pins()
    for req in pyproject_requirements():
        name = canonicalize_name(req.name)
        try:
            installed = md.version(req.name)
        except md.PackageNotFoundError:
            pytest.fail(f"{req.name} is locked but not installed; run `make env`")
        assert Version(installed) == Version(pins[name]), f"{name}: installed {installed}, lock {pins[name]}"


def _environment_entries(doc) -> tuple[list[str], list[str]]:
    """(conda specs, pip specs) of an environment.yml."""
    conda, pip = [], []
    for dep in doc.get("dependencies") or []:
        if isinstance(dep, dict):
            pip += [str(x) for x in dep.get("pip") or []]
        else:
            conda.append(str(dep))
    return conda, pip


def _split_spec(spec: str) -> tuple[str, str | None, str]:
    """'pandas=2.2.3', 'pandas==2.2.3', 'conda-forge::pandas=2.2.3=py_0' -> (name, version, operator)."""
    spec = spec.split("::")[-1].split("#")[0].strip()
    m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(==|=|>=|<=|~=|>|<|!=)?\s*([^\s=,;]*)?.*", spec)
    assert m, f"cannot parse environment.yml entry {spec!r}"
    return m.group(1), (m.group(3) or None), (m.group(2) or "")


def test_environment_yml_matches_the_lock():
    if not ENVIRONMENT.exists():
        pytest.skip("environment.yml not written yet")
    doc = yaml.safe_load(ENVIRONMENT.read_text(encoding="utf-8"))
    assert isinstance(doc, dict) and doc.get("dependencies"), "environment.yml has no dependencies"
    pins = lock_pins()
    conda, pip = _environment_entries(doc)
    named: set[str] = set()
    for spec in conda + pip:
        if spec.startswith("-r") or spec.startswith("--requirement"):
            target = spec.split(None, 1)[1] if " " in spec else spec[2:]
            assert (ENVIRONMENT.parent / target.strip()).resolve() == LOCK.resolve(), \
                f"environment.yml installs {target}, not {LOCK.name}"
            named |= set(pins)
            continue
        if spec.startswith("-e") or spec.startswith("."):
            continue                                  # the project itself
        name, version, op = _split_spec(spec)
        key = canonicalize_name(name)
        if key in NOT_IN_LOCK:
            continue
        named.add(key)
        if key in pins:
            assert version is not None and op in ("=", "=="), \
                f"environment.yml names {name} without the locked pin {pins[key]}"
            assert Version(version) == Version(pins[key]), \
                f"environment.yml pins {name} {version}, {LOCK.name} pins {pins[key]}"
    # Every direct dependency is in the environment, so it builds the same book.
    for req in pyproject_requirements():
        if req.name in ("pytest", "pytest-xdist") and canonicalize_name(req.name) not in named:
            continue
        assert canonicalize_name(req.name) in named, f"environment.yml lacks {req.name}"
