"""Eurostat observation flags, counted one way throughout the book.

Eurostat attaches flags to values: ``b`` break in time series, ``c``
confidential, ``d`` definition differs, ``e`` estimated, ``n`` not significant,
``p`` provisional, ``r`` revised, ``s`` Eurostat estimate, ``u`` low
reliability, ``z`` not applicable. A value may carry several (``"bu"``).

The book counts a value as **of low reliability** when its flags hold one of
:data:`LOW_RELIABILITY` (only ``u``): such a value is drawn apart on figures and
never headlines a sentence without saying so (:func:`headline_extreme`,
:func:`with_reliability`). ``b`` (break in series) is marked on trend charts,
not counted as low reliability.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

LOW_RELIABILITY: frozenset[str] = frozenset("u")
BREAK_IN_SERIES: frozenset[str] = frozenset("b")
LOW_RELIABILITY_PHRASE = "low reliability"
FLAG_MEANINGS = {"b": "break in time series", "c": "confidential", "d": "definition differs",
                 "e": "estimated", "n": "not significant", "p": "provisional", "r": "revised",
                 "s": "Eurostat estimate", "u": "low reliability", "z": "not applicable"}


def is_low_reliability(flag: object) -> bool:
    """Whether one value's flags (``"u"``, ``"bu"``, ``None``) mark it as of low reliability."""
    if flag is None or (not isinstance(flag, str) and pd.isna(flag)):
        return False
    return any(ch in LOW_RELIABILITY for ch in str(flag).strip().lower())


def low_reliability(flags: pd.Series) -> pd.Series:
    """Boolean mask of the values of low reliability, for a Series of flag strings (missing: reliable)."""
    return pd.Series([is_low_reliability(f) for f in flags], index=flags.index, dtype=bool)


def with_reliability(text: str, flag: object) -> str:
    """``text`` followed by " (low reliability)" when ``flag`` marks its value so."""
    return f"{text} ({LOW_RELIABILITY_PHRASE})" if is_low_reliability(flag) else text


@dataclass(frozen=True)
class Extreme:
    """The extreme of a column for a headline.

    ``reliable`` is the row of the extreme among values of good reliability
    (``None`` when every value is flagged); ``overall`` is the row of the extreme
    among all values; ``warning`` is ``"low reliability"`` when ``overall`` is
    flagged, else ``""``.
    """

    reliable: pd.Series | None
    overall: pd.Series
    warning: str

    @property
    def overall_is_reliable(self) -> bool:
        return not self.warning


def headline_extreme(frame: pd.DataFrame, value: str, flag: str | None = "flag", how: str = "max") -> Extreme:
    """The largest (``how="max"``) or smallest (``"min"``) value for a headline, reliability apart.

    Rows whose ``value`` is missing are ignored. ``flag`` names the column of
    Eurostat flags (``None``, or a column that is absent, means every value is
    reliable).

    Raises
    ------
    ValueError
        If ``how`` is neither ``"max"`` nor ``"min"``, ``value`` is not a column,
        or no row has a value.
    """
    if how not in ("max", "min"):
        raise ValueError(f"headline_extreme: how={how!r}; use 'max' or 'min'")
    if value not in frame:
        raise ValueError(f"headline_extreme: no column {value!r} (columns: {', '.join(map(str, frame.columns))})")
    rows = frame[frame[value].notna()]
    if rows.empty:
        raise ValueError(f"headline_extreme: column {value!r} has no values")
    low = low_reliability(rows[flag]) if flag is not None and flag in rows else pd.Series(False, index=rows.index)
    pick = (lambda s: s.idxmax()) if how == "max" else (lambda s: s.idxmin())
    overall_index = pick(rows[value].astype(float))
    good = rows.loc[~low, value].astype(float)
    reliable = rows.loc[pick(good)] if len(good) else None
    warning = LOW_RELIABILITY_PHRASE if bool(low.loc[overall_index]) else ""
    return Extreme(reliable=reliable, overall=rows.loc[overall_index], warning=warning)
