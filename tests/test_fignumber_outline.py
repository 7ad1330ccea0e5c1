"""Figure numbering from page outlines (book/_ext/fignumber_outline.py) numbers as Sphinx does.

Real Sphinx builds of a small book: the numbers match Sphinx's own (figures, tables, captioned
code blocks; an uncaptioned figure left out), and after a figure is added to the first chapter
the unchanged second chapter (figures numbered through the book), numbered from its kept outline,
is renumbered and rewritten.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from inclusion_evidence.core import paths

CONF = """import sys
sys.path.insert(0, {ext!r})
extensions = {extensions!r}
numfig = True
"""
INDEX = "Book\n====\n\n.. toctree::\n{option}\n   alpha\n   beta\n"
ALPHA = """Alpha
=====

.. figure:: pic.png

   A first figure.

Part
----

.. table:: A table

   ===  ===
   a    b
   ===  ===
   1    2
   ===  ===

.. code-block:: python
   :caption: Some code

   print(1)
"""
EXTRA_FIGURE = "\n.. figure:: pic.png\n\n   An added figure.\n"
BETA = """Beta
====

.. figure:: pic.png

   A figure of beta.

.. figure:: pic.png

   :name: no-caption
"""


def make_book(root: Path, outline: bool, numbered: bool = True) -> Path:
    src = root / "src"
    src.mkdir(parents=True)
    exts = ["fignumber_outline"] if outline else []
    (src / "conf.py").write_text(CONF.format(ext=str(paths.ROOT / "book" / "_ext"), extensions=exts))
    (src / "index.rst").write_text(INDEX.format(option="   :numbered:\n" if numbered else ""))
    (src / "alpha.rst").write_text(ALPHA)
    (src / "beta.rst").write_text(BETA)
    (src / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return src


def sphinx(src: Path) -> str:
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(src / "_build"),
                           "-d", str(src / "_doctrees")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def fignumbers(src: Path) -> dict:
    with open(src / "_doctrees" / "environment.pickle", "rb") as f:
        env = pickle.load(f)
    return env.toc_fignumbers


def test_outline_numbers_as_sphinx_does(tmp_path):
    plain, outlined = make_book(tmp_path / "plain", False), make_book(tmp_path / "outlined", True)
    sphinx(plain)
    sphinx(outlined)
    numbers = fignumbers(outlined)
    assert numbers == fignumbers(plain)
    assert set(numbers["alpha"]) == {"figure", "table", "code-block"}
    assert numbers["beta"]["figure"] == {"id1": (2, 1)}   # the uncaptioned figure has no number


def test_unchanged_page_is_renumbered_from_its_outline(tmp_path):
    src = make_book(tmp_path, True, numbered=False)
    sphinx(src)
    assert "Fig. 2" in (src / "_build" / "beta.html").read_text()
    with open(src / "_doctrees" / "environment.pickle", "rb") as f:
        assert "beta" in pickle.load(f).fignumber_outlines
    (src / "alpha.rst").write_text(ALPHA.replace("Part\n", EXTRA_FIGURE + "\nPart\n"))
    log = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", str(src), str(src / "_build"),
                          "-d", str(src / "_doctrees")], capture_output=True, text=True, check=True).stdout
    assert "1 changed" in log   # only alpha re-read: beta numbered from its kept outline
    numbers = fignumbers(src)
    assert numbers["alpha"]["figure"] == {"id1": (1,), "id2": (2,)}
    assert numbers["beta"]["figure"] == {"id1": (3,)}
    beta = (src / "_build" / "beta.html").read_text()
    assert "Fig. 3" in beta and "Fig. 2" not in beta
