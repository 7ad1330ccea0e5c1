"""The state of integration at a glance: Eurostat's core migrant integration indicators.

Pure computation on the processed Eurostat tables (no drawing): the core
indicators of Eurostat's migrant integration statistics in four families
(employment, education, social inclusion, health), for the EU-27 aggregate
and each member state, for a group of non-nationals compared with
**nationals** (citizen code ``NAT``).

The compared group is **non-EU citizens** (``NEU27_2020_FOR``) wherever the
table holds it. A table that holds only all foreign citizens (``FOR``, EU and
non-EU together) is used with that group instead, and every output row says
which group it is (``group`` and ``group_label``): no number is presented
under a group it does not measure. In the same way the age band is the first
of a list of preferred bands that the table holds (Eurostat's integration
indicators use 20-64 for employment, 25-64 for attainment), and the chosen
code is in every row (``age``).

Functions:

* :func:`core_indicators` builds one tidy long table (indicator, family, unit,
  geo, group, year, value, flag, ...) from the processed tables; a geo with no
  value gets one row with a missing value and the reason, never silently
  dropped;
* :func:`indicator_summary` gives one row per indicator for one geo: latest
  year, the values of both groups with their flags, the gap to nationals, the
  value about ten years before (with its actual year), the changes, the
  series breaks inside that window and a low-reliability mark;
* :func:`country_table` ranks the member states on one indicator, with the
  EU-27 row beside them;
* :func:`headline_numbers` gives the EU-27 latest values and gaps as a flat
  dict with stable keys for myst-nb ``glue``;
* :func:`beside_eu27` puts the EU-27's values beside a member state's summary
  (for the country profiles).

Gaps and changes: for rates and shares the gap is the group's value minus
the nationals' value in percentage points (``pp``); for median income it is
the group's median as a percentage difference from the nationals' median
(``%``), and the change of a value over the window is then a relative change
(``%``) while the change of the gap is in percentage points. An outcome gap is
not in itself a measure of policy effect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.geo_codes import EU27, country_name
from inclusion_evidence.core.tables import read_table

EU27_AGGREGATE = "EU27_2020"
DEFAULT_GEOS: tuple[str, ...] = (*EU27, EU27_AGGREGATE)

NATIONALS = "NAT"
NON_EU = "NEU27_2020_FOR"
FOREIGN = "FOR"
#: Labels of the citizenship groups compared here (Eurostat's code list names them).
GROUP_LABELS = {
    NON_EU: "Non-EU citizens",
    FOREIGN: "Foreign citizens (EU and non-EU)",
    NATIONALS: "Nationals",
}
#: Groups compared with nationals, in order of preference.
COMPARED_GROUPS: tuple[str, ...] = (NON_EU, FOREIGN)

#: Eurostat observation flags that change how a value can be read.
LOW_RELIABILITY = "u"
BREAK = "b"

UNIT_LABELS = {"PC": "%", "EUR": "EUR", "PPS": "PPS"}
AGE_LABELS = {"Y15-64": "15-64", "Y20-64": "20-64", "Y15-74": "15-74", "Y25-64": "25-64",
              "Y_GE16": "16 or over", "Y_GE18": "18 or over"}
FAMILIES = ("Employment", "Education", "Social inclusion", "Health")

#: Columns of the long table, in order.
LONG_COLUMNS = ["indicator", "name", "family", "table", "unit", "age", "geo", "group", "group_label",
                "year", "value", "flag", "reason"]


@dataclass(frozen=True)
class Indicator:
    """One core indicator: where it comes from and how its gap is measured.

    ``dims`` maps each dimension of the table to the codes acceptable for it,
    in order of preference; the first code the table holds is used (the same
    for every geo and year, so member states stay comparable).
    """

    key: str
    name: str
    family: str
    table: str
    dims: Mapping[str, tuple[str, ...]]
    gap: str = "pp"                       # "pp" (difference) or "%" (relative difference)
    higher_is_better: bool = True
    description: str = ""
    groups: tuple[str, ...] = field(default=COMPARED_GROUPS)


#: The core indicators, named as Eurostat's migrant integration statistics name them.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("employment_rate", "Employment rate", "Employment", "lfsa_ergan",
              {"unit": ("PC",), "sex": ("T",), "age": ("Y20-64", "Y15-64")},
              description="Employed persons as a share of the population of the age band (EU-LFS)."),
    Indicator("unemployment_rate", "Unemployment rate", "Employment", "lfsa_urgan",
              {"unit": ("PC",), "sex": ("T",), "age": ("Y20-64", "Y15-74", "Y15-64")}, higher_is_better=False,
              description="Unemployed persons as a share of the labour force of the age band (EU-LFS)."),
    Indicator("low_attainment", "Highest educational attainment: at most lower secondary (ISCED 0-2)",
              "Education", "edat_lfs_9911",
              {"unit": ("PC",), "sex": ("T",), "isced11": ("ED0-2",), "age": ("Y25-64", "Y15-64")},
              higher_is_better=False,
              description="Share of the population of the age band whose highest level completed is "
                          "ISCED 0-2 (EU-LFS)."),
    Indicator("tertiary_attainment", "Highest educational attainment: tertiary (ISCED 5-8)",
              "Education", "edat_lfs_9911",
              {"unit": ("PC",), "sex": ("T",), "isced11": ("ED5-8",), "age": ("Y25-64", "Y15-64")},
              description="Share of the population of the age band with a tertiary qualification (EU-LFS)."),
    Indicator("median_income", "Median equivalised net income", "Social inclusion", "ilc_di15",
              {"unit": ("PPS", "EUR"), "indic_il": ("MED_E",), "sex": ("T",), "age": ("Y_GE18",)}, gap="%",
              description="Median equivalised net income of persons aged 18 or over (EU-SILC), in "
                          "purchasing power standards when the table holds them, else in euro."),
    Indicator("good_health", "Self-perceived health: good or very good", "Health", "hlth_silc_24",
              {"unit": ("PC",), "sex": ("T",), "lev_perc": ("VG_G",), "age": ("Y_GE16",)},
              description="Share of persons aged 16 or over who rate their health as good or very good "
                          "(EU-SILC)."),
)
BY_KEY = {ind.key: ind for ind in INDICATORS}
#: Processed tables the overview reads (for ``book/params.yml`` inputs).
TABLES: tuple[str, ...] = tuple(dict.fromkeys(ind.table for ind in INDICATORS))


# --------------------------------------------------------------------------- helpers

def _geo_name(geo: str) -> str:
    if geo == EU27_AGGREGATE:
        return "EU-27"
    try:
        return country_name(geo)
    except KeyError:
        return geo


def _flag_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _join_flags(*flags: str) -> str:
    out: list[str] = []
    for f in flags:
        for ch in _flag_text(f):
            if ch not in out:
                out.append(ch)
    return "".join(out)


def _check_columns(name: str, frame: pd.DataFrame, needed: Sequence[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise DataError(name, f"processed table is a {type(frame).__name__}, not a table ({what})")
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise DataError(name, f"processed table lacks column(s) {', '.join(repr(c) for c in missing)} "
                              f"needed for {what}; it has {', '.join(map(str, frame.columns))}",
                        column=missing[0])
    values = pd.to_numeric(frame["value"], errors="coerce")
    bad = frame["value"].notna() & values.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(name, f"value {frame['value'].iloc[row]!r} is not a number ({what})", row=row,
                        column="value")
    years = pd.to_numeric(frame["time"], errors="coerce")
    bad = years.isna() | (years != years.round())
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(name, f"time {frame['time'].iloc[row]!r} is not a year ({what})", row=row,
                        column="time")


def _choose(frame: pd.DataFrame, dim: str, preferred: tuple[str, ...]) -> str | None:
    present = set(frame[dim].astype(str))
    return next((code for code in preferred if code in present), None)


def _indicator_rows(ind: Indicator, frame: pd.DataFrame, geos: Sequence[str]) -> pd.DataFrame:
    """Long rows of one indicator: observed values, and one row with a reason per missing geo/group."""
    what = f"the indicator '{ind.name}'"
    _check_columns(ind.table, frame, [*ind.dims, "citizen", "geo", "time", "value", "flag"], what)
    # Codes are chosen among the rows of the compared groups and nationals, when the table has any,
    # so that an age band held only for the total population is not chosen.
    compared = frame["citizen"].astype(str).isin([*ind.groups, NATIONALS])
    d = frame[compared] if compared.any() else frame
    chosen: dict[str, str | None] = {}
    problem = ""
    for dim, preferred in ind.dims.items():
        code = _choose(d, dim, preferred)
        chosen[dim] = code
        if code is None:
            problem = (f"{ind.table} holds no {dim} {' or '.join(preferred)}"
                       + (f" (it has {', '.join(sorted(set(d[dim].astype(str))))})" if len(d) else " (no rows)"))
            d = d.iloc[0:0]
            break
        d = d[d[dim].astype(str) == code]
    group = _choose(d, "citizen", ind.groups) if not problem else None
    if group is None and not problem:
        present = ", ".join(sorted(set(frame["citizen"].astype(str)))) or "none"
        problem = f"{ind.table} holds no citizen {' or '.join(ind.groups)} (it has {present})"
    groups = [group or ind.groups[0], NATIONALS]
    no_nationals = ""
    if not problem and NATIONALS not in set(d["citizen"].astype(str)):
        present = ", ".join(sorted(set(d["citizen"].astype(str))))
        no_nationals = f"{ind.table} holds no citizen {NATIONALS} (nationals) to compare with (it has {present})"
    unit_code = chosen.get("unit") or ind.dims.get("unit", ("",))[0]
    age_code = chosen.get("age") or ind.dims.get("age", ("",))[0]
    base = {"indicator": ind.key, "name": ind.name, "family": ind.family, "table": ind.table,
            "unit": UNIT_LABELS.get(unit_code, unit_code), "age": age_code}

    d = d[d["citizen"].astype(str).isin(groups) & d["geo"].astype(str).isin(list(geos))]
    obs = pd.DataFrame({
        "geo": d["geo"].astype(str).to_numpy(),
        "group": d["citizen"].astype(str).to_numpy(),
        "year": pd.to_numeric(d["time"]).astype("int64").to_numpy(),
        "value": pd.to_numeric(d["value"], errors="coerce").astype(float).to_numpy(),
        "flag": [_flag_text(f) for f in d["flag"]],
    })
    observed = obs.dropna(subset=["value"])
    if observed.duplicated(["geo", "group", "year"]).any():
        dup = observed[observed.duplicated(["geo", "group", "year"], keep=False)].iloc[0]
        raise DataError(ind.table, f"two values for {dup['geo']}, citizen {dup['group']}, {dup['year']} after "
                                   f"selecting {', '.join(f'{k} {v}' for k, v in chosen.items())} ({what})")
    observed = observed.assign(reason="")

    missing = []
    all_geos = set(frame["geo"].astype(str))
    for geo in geos:
        for grp in groups:
            if ((observed["geo"] == geo) & (observed["group"] == grp)).any():
                continue
            if problem:
                reason = problem
            elif grp == NATIONALS and no_nationals:
                reason = no_nationals
            elif geo not in all_geos:
                reason = f"{geo} is not in {ind.table}"
            else:
                empty = obs[(obs["geo"] == geo) & (obs["group"] == grp)]
                if len(empty):
                    flags = _join_flags(*empty["flag"])
                    reason = f"{ind.table} has only empty values for {geo}, citizen {grp}" + (
                        f" (flags {flags})" if flags else "")
                else:
                    reason = f"{ind.table} has no value for {geo}, citizen {grp}"
            missing.append({"geo": geo, "group": grp, "year": pd.NA, "value": np.nan, "flag": "",
                            "reason": reason})
    rows = pd.concat([observed, pd.DataFrame(missing, columns=observed.columns)], ignore_index=True) \
        if missing else observed
    for k, v in base.items():
        rows[k] = v
    rows["group_label"] = rows["group"].map(GROUP_LABELS).fillna(rows["group"])
    return rows


# --------------------------------------------------------------------------- the long table

def core_indicators(tables: Mapping[str, pd.DataFrame] | None = None,
                    geos: Sequence[str] = DEFAULT_GEOS,
                    indicators: Sequence[Indicator] = INDICATORS) -> pd.DataFrame:
    """The core integration indicators as one tidy long table.

    Parameters
    ----------
    tables
        Processed tables by name (``lfsa_ergan``, ``lfsa_urgan``,
        ``edat_lfs_9911``, ``ilc_di15``, ``hlth_silc_24``); a table not given
        is read from ``data/processed/``.
    geos
        Geo codes to keep; default the EU-27 member states and ``EU27_2020``.
    indicators
        The indicators to build (default :data:`INDICATORS`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LONG_COLUMNS`: ``indicator`` (key), ``name``,
        ``family``, ``table``, ``unit`` (``%``, ``EUR`` or ``PPS``), ``age``
        (Eurostat code), ``geo``, ``group`` (``NEU27_2020_FOR`` or ``FOR``, and
        ``NAT``), ``group_label``, ``year`` (nullable Int64), ``value``,
        ``flag`` (Eurostat flags, ``""`` for none) and ``reason`` (empty for an
        observed value; for a geo and group with no value, one row with a
        missing year and value says why).

    Raises
    ------
    DataError
        A table lacks a column the indicator needs, holds a value that is not
        a number or a period that is not a year, or two values for one cell;
        the message names the table.
    """
    cache: dict[str, pd.DataFrame] = {}
    parts = []
    for ind in indicators:
        if ind.table not in cache:
            if tables is not None and ind.table in tables:
                cache[ind.table] = tables[ind.table]
            else:
                cache[ind.table] = read_table(ind.table)
        parts.append(_indicator_rows(ind, cache[ind.table], list(geos)))
    long = pd.concat(parts, ignore_index=True)
    long["year"] = long["year"].astype("Int64")
    order = {ind.key: i for i, ind in enumerate(indicators)}
    geo_order = {g: i for i, g in enumerate(geos)}
    long = long.sort_values(["indicator", "geo", "group", "year"],
                            key=lambda s: s.map(order) if s.name == "indicator" else
                            s.map(geo_order) if s.name == "geo" else s).reset_index(drop=True)
    return long[LONG_COLUMNS]


# --------------------------------------------------------------------------- summaries

SUMMARY_COLUMNS = [
    "indicator", "name", "family", "unit", "age", "geo", "group", "group_label", "year",
    "value_group", "flag_group", "value_nationals", "flag_nationals", "gap_vs_nationals", "gap_unit",
    "base_year", "span_years", "base_value_group", "base_flag_group", "base_value_nationals",
    "base_flag_nationals", "base_gap_vs_nationals", "change_group", "change_nationals", "change_unit",
    "change_gap_pp", "break_years", "break_in_window", "low_reliability", "flags", "reason",
]


def _check_long(long: pd.DataFrame) -> None:
    if not isinstance(long, pd.DataFrame):
        raise DataError("core indicators table", f"is a {type(long).__name__}, not a table")
    missing = [c for c in LONG_COLUMNS if c not in long.columns]
    if missing:
        raise DataError("core indicators table", f"lacks column(s) {', '.join(map(repr, missing))}: build it "
                                                 "with core_indicators()", column=missing[0])


def _difference(group: float, nationals: float, kind: str) -> float:
    if pd.isna(group) or pd.isna(nationals):
        return np.nan
    if kind == "%":
        return (group / nationals - 1.0) * 100.0 if nationals else np.nan
    return group - nationals


def _change(latest: float, base: float, kind: str) -> float:
    if pd.isna(latest) or pd.isna(base):
        return np.nan
    if kind == "%":
        return (latest / base - 1.0) * 100.0 if base else np.nan
    return latest - base


def _summarise(rows: pd.DataFrame, ind: Indicator | None, geo: str, *, span: int, min_span: int,
               year: int | None) -> dict:
    """One summary row from the long rows of one indicator and one geo."""
    first = rows.iloc[0]
    kind = ind.gap if ind else ("%" if first["unit"] in ("EUR", "PPS") else "pp")
    compared = [g for g in rows["group"].unique() if g != NATIONALS]
    group = compared[0] if compared else ""
    out = {c: np.nan for c in SUMMARY_COLUMNS}
    out.update({"indicator": first["indicator"], "name": first["name"], "family": first["family"],
                "unit": first["unit"], "age": first["age"], "geo": geo, "group": group,
                "group_label": GROUP_LABELS.get(group, group), "year": pd.NA, "base_year": pd.NA,
                "span_years": pd.NA, "gap_unit": kind, "change_unit": kind, "flag_group": "",
                "flag_nationals": "", "base_flag_group": "", "base_flag_nationals": "", "break_years": "",
                "break_in_window": False, "low_reliability": False, "flags": "", "reason": ""})
    obs = rows[rows["value"].notna()]
    if year is not None:
        obs = obs[obs["year"] <= year]
    g = obs[obs["group"] == group].set_index("year")
    n = obs[obs["group"] == NATIONALS].set_index("year")
    reasons = [r for r in rows["reason"].unique() if r]
    both = sorted(set(g.index) & set(n.index))
    years = both or sorted(g.index)
    if not years:
        out["reason"] = "; ".join(reasons) or f"no value for {geo}" + (f" up to {year}" if year else "")
        return out
    if not both:
        nat_reasons = rows.loc[(rows["group"] == NATIONALS) & (rows["reason"] != ""), "reason"].unique()
        out["reason"] = "; ".join(nat_reasons) or f"no year with values for both {group} and {NATIONALS} for {geo}"
    latest = int(years[-1])

    def at(frame: pd.DataFrame, y: int) -> tuple[float, str]:
        if y in frame.index:
            return float(frame.at[y, "value"]), _flag_text(frame.at[y, "flag"])
        return np.nan, ""

    vg, fg = at(g, latest)
    vn, fn = at(n, latest)
    out.update({"year": latest, "value_group": vg, "flag_group": fg, "value_nationals": vn,
                "flag_nationals": fn, "gap_vs_nationals": _difference(vg, vn, kind)})
    target = latest - span
    earlier = [int(y) for y in years if y <= latest - min_span]
    used_flags = [fg, fn]
    if earlier:
        base = min(earlier, key=lambda y: (abs(y - target), y))
        bg, bfg = at(g, base)
        bn, bfn = at(n, base)
        used_flags += [bfg, bfn]
        breaks = sorted({int(y) for frame in (g, n) for y, f in frame["flag"].items()
                         if base < y <= latest and BREAK in _flag_text(f)})
        out.update({"base_year": base, "span_years": latest - base, "base_value_group": bg, "base_flag_group": bfg,
                    "base_value_nationals": bn, "base_flag_nationals": bfn,
                    "base_gap_vs_nationals": _difference(bg, bn, kind),
                    "change_group": _change(vg, bg, kind), "change_nationals": _change(vn, bn, kind),
                    "break_years": ", ".join(map(str, breaks)), "break_in_window": bool(breaks)})
        out["change_gap_pp"] = out["gap_vs_nationals"] - out["base_gap_vs_nationals"]
    else:
        note = f"no year {min_span} or more years before {latest} for {geo}"
        out["reason"] = "; ".join(r for r in (out["reason"], note) if r)
    out["flags"] = _join_flags(*used_flags)
    out["low_reliability"] = LOW_RELIABILITY in out["flags"]
    return out


def indicator_summary(long: pd.DataFrame, geo: str = EU27_AGGREGATE, *, span: int = 10, min_span: int = 5,
                      year: int | None = None) -> pd.DataFrame:
    """One row per indicator for ``geo``: latest values, gap to nationals, change over about ten years.

    Parameters
    ----------
    long
        The table of :func:`core_indicators`.
    geo
        A geo code of ``long`` (``EU27_2020`` or a member state).
    span
        Years back for the change: the base is the year ``span`` years before
        the latest, or, when that year has no value, the available year
        nearest to it (the earlier of two equally near), at least
        ``min_span`` years before the latest; its actual year is in
        ``base_year`` and the distance in ``span_years``.
    year
        Latest year to consider (default: the latest with data).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUMMARY_COLUMNS`. ``year`` is the latest year with values
        for both the compared group and nationals (or, when the table has no
        value for nationals, the latest year of the group); ``gap_vs_nationals``
        is in ``gap_unit`` (``pp`` or ``%``); ``change_group`` and
        ``change_nationals`` are in ``change_unit``; ``change_gap_pp`` is the
        change of the gap in percentage points. ``flags`` joins the flags of
        the four values used; ``low_reliability`` is True when one of them is
        ``u``; ``break_years`` lists the years after ``base_year`` up to the
        latest year flagged ``b`` (a break in the series) for either group.
        An indicator without a value keeps its row, with missing values and a
        ``reason``.
    """
    _check_long(long)
    if geo not in set(long["geo"]):
        raise DataError("core indicators table", f"has no rows for geo {geo!r}: build it with "
                                                 f"core_indicators(geos=[..., {geo!r}])", column="geo")
    rows = []
    for key, sub in long[long["geo"] == geo].groupby("indicator", sort=False):
        rows.append(_summarise(sub, BY_KEY.get(key), geo, span=span, min_span=min_span, year=year))
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for col in ("year", "base_year", "span_years"):
        out[col] = out[col].astype("Int64")
    return out


def country_table(long: pd.DataFrame, indicator: str, *, by: str = "value_group", span: int = 10,
                  min_span: int = 5, year: int | str | None = "eu27") -> pd.DataFrame:
    """Member states ranked on one indicator, with the EU-27 row last.

    Parameters
    ----------
    long
        The table of :func:`core_indicators`.
    indicator
        An indicator key (see :data:`INDICATORS`).
    by
        Summary column to rank on: ``value_group`` (default) or
        ``gap_vs_nationals``. Rank 1 is the best outcome for the compared
        group (highest employment rate, attainment, income or good health;
        lowest unemployment rate or share with at most lower secondary
        education); for the gap, rank 1 is the most favourable gap.
    year
        Latest year to consider. ``"eu27"`` (default): the EU-27's latest year
        with data, so that member states are ranked on one year (a member state
        without a value that year shows its latest earlier one, with its year);
        when the EU-27 has no value, each geo's latest. ``None``: each geo's
        latest. An int: that year.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`indicator_summary` plus ``country`` (name) and
        ``rank`` (nullable; missing for the EU-27 row and for member states
        without a value, which keep their row and ``reason``), member states in
        rank order, those without a value after them, the EU-27 row last.
    """
    _check_long(long)
    if indicator not in set(long["indicator"]):
        known = ", ".join(dict.fromkeys(long["indicator"]))
        raise DataError("core indicators table", f"has no indicator {indicator!r} (it has {known})",
                        column="indicator")
    if by not in ("value_group", "gap_vs_nationals"):
        raise ValueError(f"by must be 'value_group' or 'gap_vs_nationals', not {by!r}")
    sub = long[long["indicator"] == indicator]
    ind = BY_KEY.get(indicator)
    if year == "eu27":
        year = None
        if EU27_AGGREGATE in set(sub["geo"]):
            eu = _summarise(sub[sub["geo"] == EU27_AGGREGATE], ind, EU27_AGGREGATE, span=span,
                            min_span=min_span, year=None)
            year = None if pd.isna(eu["year"]) else int(eu["year"])
    elif year is not None and not isinstance(year, (int, np.integer)):
        raise ValueError(f"year must be an int, 'eu27' or None, not {year!r}")
    rows = [_summarise(g, ind, geo, span=span, min_span=min_span, year=year)
            for geo, g in sub.groupby("geo", sort=False)]
    table = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for col in ("year", "base_year", "span_years"):
        table[col] = table[col].astype("Int64")
    table.insert(table.columns.get_loc("geo") + 1, "country", table["geo"].map(_geo_name))
    is_eu = table["geo"] == EU27_AGGREGATE
    higher = ind.higher_is_better if ind else True
    members = table[~is_eu].copy()
    members["rank"] = members[by].rank(ascending=not higher, method="min").astype("Int64")
    members = members.sort_values(["rank", "geo"], na_position="last")
    eu = table[is_eu].assign(rank=pd.NA)
    eu["rank"] = eu["rank"].astype("Int64")
    return pd.concat([members, eu], ignore_index=True)


def headline_numbers(long: pd.DataFrame, geo: str = EU27_AGGREGATE, *, span: int = 10,
                     min_span: int = 5) -> dict[str, object]:
    """Latest values and gaps of ``geo`` (default the EU-27) as a flat dict for ``glue``.

    Keys are ``<prefix>_<indicator>_<field>`` with prefix ``eu27`` for the
    EU-27 aggregate (else the geo code in lower case) and fields ``year``,
    ``group_label``, ``group``, ``nationals``, ``gap``, ``gap_unit``,
    ``unit``, ``age`` (e.g. ``20-64``), ``flags``, ``base_year``, ``change_gap_pp``,
    ``break_years`` and ``missing`` (the reason when a value is missing, else
    ``""``). Missing numbers are NaN; the keys are always there.
    """
    summary = indicator_summary(long, geo, span=span, min_span=min_span)
    prefix = "eu27" if geo == EU27_AGGREGATE else geo.lower()
    out: dict[str, object] = {}
    fields = {"year": "year", "group_label": "group_label", "group": "value_group",
              "nationals": "value_nationals", "gap": "gap_vs_nationals", "gap_unit": "gap_unit", "unit": "unit",
              "age": "age_label", "flags": "flags", "base_year": "base_year", "change_gap_pp": "change_gap_pp",
              "break_years": "break_years", "missing": "reason"}
    summary["age_label"] = summary["age"].map(AGE_LABELS).fillna(summary["age"])
    for row in summary.itertuples(index=False):
        for name, col in fields.items():
            value = getattr(row, col)
            if col in ("year", "base_year"):
                value = int(value) if not pd.isna(value) else np.nan
            elif isinstance(value, (np.floating, float)):
                value = float(value)
            out[f"{prefix}_{row.indicator}_{name}"] = value
    return out


#: Columns of the EU-27 that :func:`beside_eu27` adds to a member state's summary.
EU27_COLUMNS = ["eu27_year", "eu27_value_group", "eu27_flag_group", "eu27_value_nationals", "eu27_flag_nationals",
                "eu27_gap_vs_nationals", "eu27_change_gap_pp", "eu27_reason"]


def beside_eu27(long: pd.DataFrame, geo: str, *, span: int = 10, min_span: int = 5) -> pd.DataFrame:
    """A geo's :func:`indicator_summary` with the EU-27's values beside it (for country profiles).

    The EU-27 values are those of the geo's latest year when the EU-27 has it,
    else of the EU-27's latest earlier year (the year is in ``eu27_year``);
    when the geo has no value, the EU-27's latest. When ``long`` holds no
    EU-27 row the ``eu27_`` columns are missing values with the reason.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`indicator_summary` followed by :data:`EU27_COLUMNS`.
    """
    own = indicator_summary(long, geo, span=span, min_span=min_span)
    has_eu = EU27_AGGREGATE in set(long["geo"])
    extra = []
    for row in own.itertuples(index=False):
        if not has_eu:
            extra.append({c: np.nan for c in EU27_COLUMNS} | {
                "eu27_year": pd.NA, "eu27_flag_group": "", "eu27_flag_nationals": "",
                "eu27_reason": f"the core indicators table has no {EU27_AGGREGATE} rows"})
            continue
        rows = long[(long["geo"] == EU27_AGGREGATE) & (long["indicator"] == row.indicator)]
        year = None if pd.isna(row.year) else int(row.year)
        eu = _summarise(rows, BY_KEY.get(row.indicator), EU27_AGGREGATE, span=span, min_span=min_span, year=year)
        extra.append({f"eu27_{k}": eu[k] for k in ("year", "value_group", "flag_group", "value_nationals",
                                                   "flag_nationals", "gap_vs_nationals", "change_gap_pp", "reason")})
    out = pd.concat([own, pd.DataFrame(extra, columns=EU27_COLUMNS)], axis=1)
    out["eu27_year"] = out["eu27_year"].astype("Int64")
    return out
