"""YAML reading with libyaml's C parser when present (about ten times faster than pure Python).

The catalogue and the Action Plan files are read in every notebook, so the
parser's speed shows in every chapter's execution time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from inclusion_evidence.core.errors import DataError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """Parse YAML text safely; raises ``yaml.YAMLError`` like ``yaml.safe_load``."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


def read_yaml_file(path: str | Path, what: str, *, error: type[DataError] = DataError,
                   parse: Callable[[str], object] = load_yaml):
    """The parsed content of the YAML file ``path``, or ``error`` naming the file and its problem.

    ``what`` names the file in the "not found" message (e.g. ``"catalogue"``);
    ``parse`` turns the text into data (default :func:`load_yaml`; a caller may
    pass a cached parser). A missing or unreadable file, text that is not
    UTF-8 and text that is not YAML all raise ``error(path, problem)``.
    """
    path = Path(path)
    try:
        return parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(path, f"{what} not found") from None
    except UnicodeDecodeError as exc:
        raise error(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise error(path, f"{what} cannot be read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise error(path, f"not valid YAML ({exc})") from None
