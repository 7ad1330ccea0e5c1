"""The project's folders: the only place that knows where things live."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("INCLUSION_ROOT", Path(__file__).resolve().parents[3]))
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
ACTION_PLAN = RAW / "action_plan"
CATALOGUE = RAW / "sources.yml"
BOOK = ROOT / "book"
PARAMS = BOOK / "params.yml"
EDITION = BOOK / "chapters"
CHAPTER_SOURCES = ROOT / "chapters"
BUILD = BOOK / "_build"
