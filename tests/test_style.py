"""The book's style sheet is seaborn's theme, frozen so notebooks need not import seaborn."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import matplotlib.pyplot as plt
from matplotlib.colors import to_hex

from inclusion_evidence.core import paths
from inclusion_evidence.present.figures import BOOK_STYLE, seaborn_theme_rcparams, use_style


def _make_style():
    spec = importlib.util.spec_from_file_location("make_style", paths.ROOT / "scripts" / "make_style.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _comparable(key, value):
    if key == "axes.prop_cycle":
        return [to_hex(entry["color"]) for entry in value]
    return value


def test_committed_sheet_is_what_seaborn_gives_today():
    # Fails when seaborn's theme or the overrides change: re-run scripts/make_style.py.
    assert BOOK_STYLE.read_text(encoding="utf-8") == _make_style().style_sheet_text()


def test_sheet_reproduces_every_theme_setting():
    theme = seaborn_theme_rcparams()
    assert "axes.grid" in theme and theme["axes.grid"] is True  # whitegrid really applied
    with plt.rc_context():
        plt.rcdefaults()
        use_style()
        different = {key: (value, plt.rcParams[key]) for key, value in theme.items()
                     if _comparable(key, plt.rcParams[key]) != _comparable(key, value)}
    assert different == {}


def test_use_style_does_not_import_seaborn():
    code = ("import sys; from inclusion_evidence.present.figures import use_style; use_style(); "
            "import inclusion_evidence.present.maps, inclusion_evidence.present.charts; "
            "print(sorted(m for m in ('seaborn', 'scipy.stats', 'mapclassify', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
