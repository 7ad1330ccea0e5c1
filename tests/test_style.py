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


# --- Contrast and colour-vision safety of the line and marker palette (issue 16) ---------------

import itertools  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from inclusion_evidence.present.figures import PALETTE  # noqa: E402

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
VISION = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _linear(colour) -> np.ndarray:
    c = np.array(to_rgb(colour))
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def contrast_with_white(colour) -> float:
    """WCAG 2.1 contrast ratio of ``colour`` against white."""
    luminance = float(np.dot([0.2126, 0.7152, 0.0722], _linear(colour)))
    return 1.05 / (luminance + 0.05)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(
        linear_rgb, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def closest_pair(palette) -> float:
    """The smallest CIELAB distance between two colours of ``palette``, over the four kinds of vision."""
    return min(float(np.linalg.norm(_lab(m @ _linear(a)) - _lab(m @ _linear(b))))
               for m in VISION.values() for a, b in itertools.combinations(palette, 2))


def test_contrast_formula_matches_wcag_examples():
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)
    # The failures issue 16 found: Okabe-Ito's orange, sky blue and yellow.
    assert [contrast_with_white(c) for c in ("#E69F00", "#56B4E9", "#F0E442")] == pytest.approx(
        [2.25, 2.31, 1.32], abs=0.01)


@pytest.mark.parametrize("colour", PALETTE)
def test_every_line_and_marker_colour_has_3_to_1_contrast_against_white(colour):
    assert contrast_with_white(colour) >= 3.0, colour


def test_palette_stays_as_distinguishable_under_colour_vision_deficiencies_as_okabe_ito():
    assert len(set(PALETTE)) == len(PALETTE) == len(OKABE_ITO)
    assert closest_pair(PALETTE) >= closest_pair(OKABE_ITO) - 0.5


def test_style_sheet_cycles_through_the_palette():
    with plt.rc_context():
        plt.rcdefaults()
        use_style()
        assert [to_hex(e["color"]).upper() for e in plt.rcParams["axes.prop_cycle"]] == [c.upper() for c in PALETTE]
