"""The one throwaway project that tests needing a project of their own start from."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusion_evidence.core import paths

# The project's folders (created) and files (not created), relative to its root, as in core/paths.py.
FOLDERS = {"DATA": "data", "RAW": "data/raw", "PROCESSED": "data/processed", "BOOK": "book",
           "EDITION": "book/chapters", "CHAPTER_SOURCES": "chapters"}
NOT_CREATED = {"BUILD": "book/_build", "CATALOGUE": "data/raw/sources.yml", "PARAMS": "book/params.yml"}


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """An empty project with the real layout at ``tmp_path / "project"``; returns its root.

    Every folder and file of :mod:`inclusion_evidence.core.paths` points into it
    (the folders exist; the catalogue, params.yml and the build do not), and
    ``INCLUSION_ROOT`` names it, so a command run in a subprocess uses it too.
    The Action Plan facts stay the real ones, read only. Test modules extend
    this fixture with the files they need (pytest lets a module's fixture of
    the same name request this one).
    """
    root = tmp_path / "project"
    monkeypatch.setattr(paths, "ROOT", root)
    for name, sub in FOLDERS.items():
        monkeypatch.setattr(paths, name, root / sub)
        (root / sub).mkdir(parents=True, exist_ok=True)
    for name, sub in NOT_CREATED.items():
        monkeypatch.setattr(paths, name, root / sub)
    monkeypatch.setenv("INCLUSION_ROOT", str(root))
    return root


@pytest.fixture
def params_error():
    """A check for a bad ``book/params.yml``: ``params_error("profiles 'x'", ["empty list"])``.

    Loading the parameters must raise :class:`ParameterError` whose message names the
    file, the entry and every one of the words; returns the message.
    """
    from inclusion_evidence.core.errors import ParameterError
    from inclusion_evidence.orchestration import runner

    def check(entry: str, words) -> str:
        with pytest.raises(ParameterError) as exc:
            runner.load_params()
        message = str(exc.value)
        assert "params.yml" in message and entry in message, message
        assert all(w in message for w in words), message
        return message

    return check
