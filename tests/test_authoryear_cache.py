"""The author-year bibliography style keeps formatted entries between builds, never a stale one.

sphinxcontrib-bibtex formats every reference at every build; the style (book/_ext/authoryear.py)
serves an entry formatted by the last build when nothing it reads (label, type, fields, people)
changed, and formats it again when anything did.
"""

from __future__ import annotations

import importlib.util
from types import SimpleNamespace

import pytest
from pybtex.backends.plaintext import Backend
from pybtex.database import Entry, Person

from inclusion_evidence.core import paths


@pytest.fixture
def authoryear():
    spec = importlib.util.spec_from_file_location("authoryear_under_test", paths.ROOT / "book" / "_ext" / "authoryear.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def report(title: str, surname: str = "Solano") -> Entry:
    return Entry("techreport", fields={"title": title, "institution": "MPG", "year": "2020"},
                 persons={"author": [Person(f"Giacomo {surname}")]})


def new_build(module, env):
    """What Sphinx does at start-up: the environment of the last build comes back from its pickle."""
    module._bind_cache(SimpleNamespace(env=env))


def text(formatted) -> str:
    return formatted.text.render(Backend())


def test_unchanged_entry_is_served_from_the_last_build(authoryear, monkeypatch):
    env = SimpleNamespace()
    new_build(authoryear, env)
    first = authoryear.AuthorYearStyle().format_entry("Solano 2020", report("Mipex"))
    assert "Mipex" in text(first)
    new_build(authoryear, env)
    calls = []
    monkeypatch.setattr(authoryear.PlainStyle, "format_entry",
                        lambda self, *a, **k: calls.append(a) or first)
    again = authoryear.AuthorYearStyle().format_entry("Solano 2020", report("Mipex"))
    assert again is first and calls == []


@pytest.mark.parametrize("changed", [
    lambda: ("Solano 2020", report("Mipex 2020")),              # a field
    lambda: ("Solano 2020", report("Mipex", surname="Huddleston")),  # a person
    lambda: ("Solano 2020a", report("Mipex")),                  # the label
])
def test_any_change_is_formatted_again(authoryear, changed):
    env = SimpleNamespace()
    new_build(authoryear, env)
    authoryear.AuthorYearStyle().format_entry("Solano 2020", report("Mipex"))
    new_build(authoryear, env)
    label, entry = changed()
    formatted = authoryear.AuthorYearStyle().format_entry(label, entry)
    fresh = authoryear.PlainStyle().format_entry(label, entry)
    assert text(formatted) == text(fresh) and formatted.label == label


def test_kept_set_holds_only_what_the_last_build_used(authoryear):
    env = SimpleNamespace()
    new_build(authoryear, env)
    style = authoryear.AuthorYearStyle()
    style.format_entry("Solano 2020", report("Mipex"))
    style.format_entry("Solano 2021", report("Other"))
    new_build(authoryear, env)
    style.format_entry("Solano 2020", report("Mipex"))
    new_build(authoryear, env)
    assert len(env.authoryear_formatted) == 0 and len(authoryear._previous) == 1
