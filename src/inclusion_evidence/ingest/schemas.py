"""Schemas of the processed tables, declared once and checked with pandera.

Every tidy Eurostat table shares one schema built from its dimension columns
(declared per table in :data:`EUROSTAT_DIMENSIONS`); every other processed
table has its own entry in :data:`TABLE_SCHEMAS`. The same check runs in two
places, so a bad table is never installed:

* ``process`` validates each table a step returns before writing any of them;
* ``add-data`` and ``refresh`` validate the frame a reader makes of a new raw
  file before it replaces the old one.

:func:`validate_table` turns pandera's failure cases into one
:class:`~inclusion_evidence.core.errors.DataError` naming the file, the first
failing row and column, the value and the rule it breaks, and the next few
failures.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from inclusion_evidence.core import paths
from inclusion_evidence.core.errors import DataError
from inclusion_evidence.core.geo_codes import COUNTRIES

MIN_YEAR = 1950                      # no series of the book starts earlier
MAX_YEAR = dt.date.today().year + 1  # provisional data can be dated next year, never later
SHOWN = 4                            # failures spelled out in one message

# Eurostat codes are upper case, digits, "_" and "-" (TOTAL, Y15-64, EU27_2020_FOR);
# a label such as "Foreign country" in a code column means a label-only export went wrong.
CODE = r"[A-Z0-9][A-Z0-9_\-]*"
# Eurostat observation flags, alone or combined ("bu", "bep"); "" = no flag.
EUROSTAT_FLAGS = r"[bcdefmnprsuz]*"
PERCENT_UNITS = ("PC", "PC_POP", "PC_ACT", "PC_EMP")
COUNT_UNITS = ("NR", "PER", "THS_PER", "THS", "EUR", "PPS")
CLOSED_CODE_LISTS = {"sex": ("F", "M", "T", "UNK"), "freq": ("A", "D", "M", "Q", "S", "W")}

# Aggregates Eurostat and the survey publishers put in geo columns.
AGGREGATES = frozenset({"EU", "EU15", "EU25", "EU27_2007", "EU27_2020", "EU28", "EA", "EA18", "EA19", "EA20",
                        "EFTA"})
# NUTS-2 codes discontinued before NUTS 2021 that Eurostat's regional back series
# (lfst_r_lfur2gac, 1999-2022) still carry; the GISCO files only hold 2021 and 2024.
EARLIER_NUTS = frozenset({
    "HR04",                          # NUTS 2016, split into HR02, HR05, HR06 in 2021
    "HU10",                          # NUTS 2016, split into HU11, HU12 in 2021
    "IE01", "IE02",                  # NUTS 2013
    "LT00",                          # NUTS 2013, split into LT01, LT02 in 2016
    "NO01", "NO03", "NO04", "NO05",  # NUTS 2016
    "SI01", "SI02",                  # NUTS 2013, recoded SI03, SI04 in 2016
    "UKI1", "UKI2", "UKM2", "UKM3",  # NUTS 2010/2013
})
COUNTRY_CODES = frozenset(c.geo for c in COUNTRIES)


# --------------------------------------------------------------------------- geo codes

@functools.lru_cache(maxsize=8)
def _nuts_codes(catalogue: str, stamp: int) -> frozenset[str]:
    """NUTS codes of every GISCO region file of the catalogue that is present (all versions, levels)."""
    import pyogrio

    from inclusion_evidence.ingest.catalogue import load_catalogue

    codes: set[str] = set()
    for src in load_catalogue(catalogue).values():
        if src.format == "geojson" and "NUTS_RG" in src.path and src.local_path.exists():
            frame = pyogrio.read_dataframe(src.local_path, columns=["NUTS_ID"], read_geometry=False)
            codes.update(frame["NUTS_ID"].astype(str))
    return frozenset(codes)


def nuts_codes() -> frozenset[str]:
    """NUTS codes from the GISCO files in ``data/raw/`` (empty when they are not fetched)."""
    catalogue = Path(paths.CATALOGUE)
    if not catalogue.exists():
        return frozenset()
    return _nuts_codes(str(catalogue), catalogue.stat().st_mtime_ns)


def known_geo(series: pd.Series) -> pd.Series:
    """True where a geo code is a country, an aggregate or a NUTS region of the fetched GISCO files.

    Without the GISCO files (a fresh checkout before ``fetch``, or a test's own
    catalogue) a regional code is accepted when it has a known country prefix
    and the shape of a NUTS code; country codes are always checked in full.
    """
    nuts = nuts_codes()
    ok = series.isin(COUNTRY_CODES | AGGREGATES | EARLIER_NUTS | nuts)
    if not nuts:
        ok |= series.str[:2].isin(COUNTRY_CODES) & series.str.fullmatch(r"[A-Z]{2}[0-9A-Z]{1,3}")
    return ok


# --------------------------------------------------------------------------- column kinds

def _numbers(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def text(nullable: bool = True) -> pa.Column:
    return pa.Column(str, nullable=nullable)


def code(pattern: str = CODE, nullable: bool = False, what: str = "code") -> pa.Column:
    return pa.Column(str, pa.Check(lambda s: s.str.fullmatch(pattern), error=f"is not a {what}"),
                     nullable=nullable)


def one_of(values, nullable: bool = False) -> pa.Column:
    values = tuple(values)
    return pa.Column(str, pa.Check(lambda s: s.isin(values), error=f"is not one of: {', '.join(values)}"),
                     nullable=nullable)


def geo(nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check(known_geo, error="is not a known geo code (country, EU aggregate or "
                                                    "NUTS 2021/2024 region)"), nullable=nullable)


def number(low: float | None = None, high: float | None = None, nullable: bool = True,
           what: str = "") -> pa.Column:
    """A numeric column (any int/float dtype), optionally within [low, high]."""
    checks = [pa.Check(lambda s: _numbers(s).notna(), error="is not a number")]
    if low is not None or high is not None:
        lo = float("-inf") if low is None else low
        hi = float("inf") if high is None else high
        bounds = f"outside {low:g}-{high:g}" if low is not None and high is not None else (
            f"below {low:g}" if low is not None else f"above {high:g}")
        checks.append(pa.Check(lambda s: _numbers(s).between(lo, hi),
                               error=f"is {bounds}" + (f" ({what})" if what else "")))
    return pa.Column(None, checks, nullable=nullable)


def percent(nullable: bool = True, slack: float = 0.0) -> pa.Column:
    return number(-slack, 100 + slack, nullable, "a percentage")


def count(nullable: bool = True) -> pa.Column:
    return number(0, None, nullable, "a count or amount cannot be negative")


def year(nullable: bool = False) -> pa.Column:
    return number(MIN_YEAR, MAX_YEAR, nullable, "plausible years")


def flags(pattern: str = EUROSTAT_FLAGS) -> pa.Column:
    return pa.Column(str, pa.Check(lambda s: s.str.fullmatch(pattern),
                                   error="is not a Eurostat flag (letters b c d e f m n p r s u z)"))


def geometry() -> pa.Column:
    return pa.Column(None, pa.Check(lambda s: ~s.is_empty, error="is an empty geometry"), nullable=False)


def _period_ok(series: pd.Series) -> pd.Series:
    """Annual periods as ints, others as text ("2020-01", "2020-Q1"); the year must be plausible."""
    if pd.api.types.is_integer_dtype(series):
        return series.between(MIN_YEAR, MAX_YEAR)
    text_ = series.astype(str)
    years = pd.to_numeric(text_.str.extract(r"^(\d{4})(?:-?[A-Z]?\d{1,2})?$")[0], errors="coerce")
    return years.between(MIN_YEAR, MAX_YEAR)


# --------------------------------------------------------------------------- Eurostat family

# Dimension columns of each tidy Eurostat table (besides geo and time). For
# files in this edition the set is exact: a renamed or extra dimension stops
# the update. For declared sources only the dimensions the chapters use are
# required; others are allowed.
EUROSTAT_DIMENSIONS: dict[str, tuple[tuple[str, ...], bool]] = {
    "lfst_r_lfur2gac": (("freq", "unit", "c_birth", "sex", "age"), True),
    "lfsa_ergan": (("freq", "unit", "sex", "age", "citizen"), True),
    "lfsa_urgan": (("freq", "unit", "sex", "age", "citizen"), True),
    "hlth_silc_24": (("freq", "sex", "age", "citizen", "lev_perc", "unit"), True),
    "demo_poppcctb": (("freq", "c_birth", "age", "unit", "sex"), True),
    "demo_poppcctz": (("freq", "citizen", "age", "unit", "sex"), True),
    "migr_asyappctza": (("freq", "citizen", "sex", "unit", "age", "asyl_app"), True),
    "tps00170": (("freq", "reason", "citizen", "duration", "unit"), True),
    "migr_pop1ctz": (("freq", "citizen", "age", "unit", "sex"), True),
    "migr_pop3ctb": (("freq", "c_birth", "age", "unit", "sex"), True),
    "ilc_di15": (("freq", "unit", "indic_il", "citizen", "sex", "age"), True),
    "edat_lfs_9911": (("freq", "unit", "sex", "isced11", "citizen", "age"), True),
    # Declared sources: an empty table (geo, time, value, flag) until the file is added.
    "lfst_r_lfe2emprc": (("c_birth",), False),
    "lfst_r_lfp2actrc": (("c_birth",), False),
    "lfst_r_ergau": (("citizen", "deg_urb"), False),
    "hlth_silc_30": (("citizen", "reason"), False),
    "hlth_silc_29": (("c_birth", "reason"), False),
    "hlth_ehis_mh1c": (("citizen",), False),
    "hlth_ehis_mh1b": (("c_birth",), False),
    "migr_asyunaa": (("citizen", "sex", "age"), False),
    "migr_asyappctza_age": (("citizen", "sex", "age"), False),
    "migr_pop1ctz_non_eu": (("citizen", "age", "unit", "sex"), False),
    "ilc_scp_culture": (("citizen",), False),
}
EUROSTAT = "eurostat"   # any other Eurostat file: the family rules on whatever dimensions it has
TIDY_TAIL = ("geo", "time", "value", "flag")


def eurostat_schema(name: str, frame: pd.DataFrame) -> pa.DataFrameSchema:
    """The tidy Eurostat schema for ``frame``: dimension codes, geo, period, value rules, flags, unique keys."""
    dims = [c for c in frame.columns if c not in TIDY_TAIL]
    declared, exact = EUROSTAT_DIMENSIONS.get(name, ((), False))
    # A table still empty (declared source not supplied) has no dimension columns yet.
    required = set(declared) if len(frame) or exact else set()
    names = required if exact else set(dims) | required   # exact: other columns are "unexpected"
    columns = {d: one_of(CLOSED_CODE_LISTS[d]) if d in CLOSED_CODE_LISTS else
               code(what="Eurostat code (a label instead of a code?)") for d in sorted(names)}
    columns["geo"] = geo()
    columns["time"] = pa.Column(None, pa.Check(_period_ok, error=f"is not a plausible period ({MIN_YEAR}-{MAX_YEAR})"))
    value_checks = [pa.Check(lambda s: _numbers(s).notna(), error="is not a number")]
    if "unit" in frame:
        # The rule depends on the row's unit; the masks are taken from this frame (same index).
        pct = frame["unit"].isin(PERCENT_UNITS)
        cnt = frame["unit"].isin(COUNT_UNITS)
        value_checks += [
            pa.Check(lambda s: ~pct.loc[s.index] | _numbers(s).between(0, 100),
                     error="is outside 0-100 (a percentage, unit PC)"),
            pa.Check(lambda s: ~cnt.loc[s.index] | (_numbers(s) >= 0),
                     error="is negative (a count or amount cannot be)"),
        ]
    columns["value"] = pa.Column(None, value_checks, nullable=True)
    columns["flag"] = flags()
    keys = [c for c in (*dims, "geo", "time") if c in frame.columns] if len(frame) else None
    return pa.DataFrameSchema(columns, unique=keys, strict=exact, name=name)


# --------------------------------------------------------------------------- other tables

def _nuts_regions(version: str) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        "nuts_id": code(r"[A-Z]{2}[0-9A-Z]{0,3}", what="NUTS code"),
        "level": number(0, 3, nullable=False, what="NUTS levels"),
        "country": one_of(sorted(COUNTRY_CODES)),
        "name": text(nullable=False),
        "nuts_version": one_of([version]),
        "geometry": geometry(),
    }, unique=["nuts_id"])


_RATE_GROUPS = ("TOTAL", "FOR", "EU27_2020_FOR", "NEU27_2020_FOR")
_FOREIGN = ("FOR", "EU27_2020_FOR", "NEU27_2020_FOR")


def _regional(extra: dict | None = None) -> pa.DataFrameSchema:
    columns = {"geo": geo(), "time": year()}
    for g in _RATE_GROUPS:
        columns[f"rate_{g}"] = percent()
        columns[f"flag_{g}"] = flags()
    for g in _FOREIGN:
        columns[f"gap_{g}"] = number(-100, 100, what="a gap of two percentages")
        columns[f"gap_flag_{g}"] = flags()
    columns |= {"country": code(r"[A-Z]{2}", what="country code"), "name": text(False),
                "nuts_version": text(False), "country_name": text(False)}
    return pa.DataFrameSchema(columns | (extra or {}), unique=["geo", "time"])


def _national_gaps() -> pa.DataFrameSchema:
    columns = {"geo": geo(), "time": year(), "country_name": text(False)}
    for prefix in ("emp", "unemp"):
        for c in ("NAT", "FOR", "TOTAL"):
            columns[f"{prefix}_{c}"] = percent()
            columns[f"{prefix}_flag_{c}"] = flags()
        columns[f"{prefix}_gap"] = number(-100, 100, what="a gap of two percentages")
        columns[f"{prefix}_gap_flag"] = flags()
    return pa.DataFrameSchema(columns, unique=["geo", "time"])


COUNTRY2 = r"[A-Z]{2}"   # ISO-like two-letter codes, also of non-European countries (MIPEX, CITRIX)

TABLE_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "amif_2021_2027_planned": pa.DataFrameSchema({
        "geo": geo(), "ms": text(False), "cci": text(), "programme": text(), "fund": one_of(["AMIF"]),
        "year": year(), "eur": count(nullable=False)}, unique=["geo", "ms", "cci", "programme", "fund", "year"]),
    "citrix_mipex": pa.DataFrameSchema({
        "country": code(COUNTRY2, what="country code"), "country_name": text(False), "year": year(),
        "variable": text(False), "value": number(nullable=False)}, unique=["country", "year", "variable"]),
    "esif_planned": pa.DataFrameSchema({
        "ms": code(COUNTRY2, what="Member State code"), "cci": text(False), "fund": code(),
        "to_code": text(False), "eu_amount": count(False), "national_amount": count(False),
        "total_amount": count(False), "eu_co_financing": percent(False),
        "geo": geo(nullable=True)},   # none for cross-border programmes (ms "TC")
        unique=["cci", "fund", "priority", "to_code", "category_of_region", "eafrd_measure_code",
                "eafrd_focus_area_code"]),
    "eu_budget_migration": pa.DataFrameSchema({
        "year": year(), "programme": text(False), "line_code": text(False), "member_state": geo(),
        "eur_million": count(False)}, unique=["year", "programme", "line_code", "member_state"]),
    "eurocities": pa.DataFrameSchema({
        "name": text(False), "lat": number(20, 75, False, "latitude in Europe"),
        "lon": number(-35, 70, False, "longitude in Europe"), "population": count(), "geo": geo()},
        unique=["name"]),
    "fra_lgbt_2012": pa.DataFrameSchema({
        "geo": geo(), "subset": text(False), "question_code": text(False), "answer": text(False),
        "percentage": percent()}, unique=["geo", "subset", "question_code", "answer"]),
    "fra_lgbti_2019": pa.DataFrameSchema({
        "geo": geo(), "question_id": code(r"T\dQ\d+", what="survey item"), "target_group": text(False),
        "breakdown": text(False), "subgroup": text(False), "answer": text(False), "percentage": percent()},
        unique=["geo", "question_id", "target_group", "breakdown", "subgroup", "answer"]),
    "ilga_rainbow": pa.DataFrameSchema({
        "geo": geo(), "category": one_of(["equality_non_discrimination", "family", "hate_crime_hate_speech",
                                          "legal_gender_recognition", "intersex_bodily_integrity",
                                          "civil_society_space", "asylum"]),
        "criterion": text(False), "value": number(0, 1, False, "the share of a criterion met"),
        "met": pa.Column(bool), "regional_only": pa.Column(bool)}, unique=["geo", "category", "criterion"]),
    "mipex_indicators": pa.DataFrameSchema({
        "country": code(COUNTRY2, what="country code"), "year": year(), "strand": text(False),
        "indicator": text(False), "score": percent(),
        "edition": one_of(["core_2007_2019", "eu_2020_2024"])},
        unique=["country", "year", "strand", "indicator"]),
    "mipex_strands": pa.DataFrameSchema({
        "country": code(COUNTRY2, what="country code"), "year": year(), "strand": text(False),
        "score": percent(False)}, unique=["country", "year", "strand"]),
    "national_gaps": _national_gaps(),
    "nuts2021_2024_recode": pa.DataFrameSchema({
        "nuts2021": code(r"[A-Z]{2}[0-9A-Z]{2}", nullable=True, what="NUTS-2 code"),
        "nuts2024": code(r"[A-Z]{2}[0-9A-Z]{2}", nullable=True, what="NUTS-2 code"),
        "share_of_2021": number(0, 1), "share_of_2024": number(0, 1),
        "relation": one_of(["unchanged", "recoded", "split/merged", "not in NUTS 2024", "new in NUTS 2024"])},
        unique=["nuts2021", "nuts2024"]),
    "nuts2021_borders0": pa.DataFrameSchema({
        **{f: one_of(["T", "F"]) for f in ("EU_FLAG", "EFTA_FLAG", "CC_FLAG", "COAS_FLAG", "OTHR_FLAG")},
        "geometry": geometry()}),
    "nuts2021_level0": _nuts_regions("NUTS 2021"),
    "nuts2021_level1": _nuts_regions("NUTS 2021"),
    "nuts2021_level2": _nuts_regions("NUTS 2021"),
    "nuts2024_level0": _nuts_regions("NUTS 2024"),
    "nuts2024_level2": _nuts_regions("NUTS 2024"),
    "nuts2024_level3": _nuts_regions("NUTS 2024"),
    "population_worldbank": pa.DataFrameSchema({
        "iso3": code(r"[A-Z0-9]{3}", nullable=True, what="ISO3 code"), "geo": geo(nullable=True),
        "country": text(False), "year": year(), "population": count()}, unique=["country", "year"]),
    "regional_unemployment": _regional(),
    "regional_indicators": _regional({"foreign_born_share": percent(), "fb_share_geo24": geo(nullable=True)}),
    "regional_origins": pa.DataFrameSchema({
        "geo": geo(), "rank": number(1, None, False), "origin_code": text(False), "persons": count(False),
        "share_pct": percent(False)}, unique=["geo", "rank"]),
    "regional_population_2023": pa.DataFrameSchema({
        "geo": geo(), "name": text(False), "parent": geo(), "year": year(),
        **{c: count() for c in ("total_population", "local_born", "foreign_born", "non_citizen")},
        "foreign_born_share": percent(), "non_citizen_share": percent()}, unique=["geo"]),
    "regional_population_trend": pa.DataFrameSchema({
        "geo": geo(), "year": year(), "foreign_born": count(), "local_born": count(),
        "foreign_born_share": percent(), "lfs_population": count()}, unique=["geo", "year"]),
    "sweden_asylum_monthly": pa.DataFrameSchema({
        "month": pa.Column(None, pa.Check(lambda s: s.dt.year.between(MIN_YEAR, MAX_YEAR),
                                          error="is not a plausible month")),
        **{c: count(c not in ("total", "male", "female", "minors", "unacc_minors"))
           for c in ("total", "male", "female", "minors", "unacc_minors", "decisions", "granted", "rejected",
                     "dublin", "others", "avg_time")}}, unique=["month"]),
    "uam_2015_2016": pa.DataFrameSchema({
        "geo": geo(), "country": text(False), "uam_2015": count(), "uam_2016": count(),
        **{c: percent() for c in ("share_male_2016", "share_under14_2016", "share_in_minor_applicants_2016")}},
        unique=["geo"]),
    "uam_top_citizenships_2016": pa.DataFrameSchema({
        "geo": geo(), "uam_2016": count(), "rank": number(1, 3, False), "citizenship": text(),
        "number": count(), "share": percent(), "flag": one_of(["", "-", "^"])}, unique=["geo", "rank"]),
    "undesa_migrant_stock": pa.DataFrameSchema({
        "location": text(False), "location_code": number(0, None, False), "geo": geo(nullable=True),
        "year": year(), "migrant_stock": count(),
        # Stock and population are estimated apart: Bonaire's share comes out at 100.005 %.
        "share_pct": percent(slack=0.01)}, unique=["location_code", "year"]),
    "unhcr_population": pa.DataFrameSchema({
        "year": year(), "geo": geo(), "country": text(False),
        **{c: count() for c in ("refugees", "returned_refugees", "asylum_seekers", "idps", "returned_idps",
                                "stateless", "hst", "ooc")}}, unique=["year", "geo", "origin"]),
}


def has_schema(name: str) -> bool:
    return name in TABLE_SCHEMAS or name in EUROSTAT_DIMENSIONS or name == EUROSTAT


def schema_for(name: str, frame: pd.DataFrame) -> pa.DataFrameSchema | None:
    if name in TABLE_SCHEMAS:
        return TABLE_SCHEMAS[name]
    if name in EUROSTAT_DIMENSIONS or name == EUROSTAT:
        return eurostat_schema(name, frame)
    return None


# --------------------------------------------------------------------------- validation and messages

def validate_table(name: str, frame: pd.DataFrame, path: str | Path, first_row: int | list[int] = 1,
                   column_names: dict[str, str] | None = None) -> None:
    """Check ``frame`` against the schema of table ``name``; raise :class:`DataError` on any failure.

    ``path`` is the file the message names; ``first_row`` is the row number of
    the frame's first row in that file (2 for a CSV whose line 1 is the header,
    1 for a processed table), or the file line of every row (a CSV with blank lines); ``column_names`` maps the frame's columns to the
    file's (``value`` -> ``OBS_VALUE``). Tables without a declared schema pass
    unchecked (temporary steps in tests); a test makes sure every real table
    has one.
    """
    frame = frame.reset_index(drop=True)   # failure cases then carry positions
    schema = schema_for(name, frame)
    if schema is None:
        return
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        failures = _failures(exc.failure_cases, frame, schema, first_row)
        raw = str(exc).splitlines()[0]
    else:
        return
    if not failures:   # pandera found something this module does not spell out: show it raw
        failures = [(None, None, raw)]
    names = column_names or {}
    failures = [(r, names.get(c, c) if c else c, p) for r, c, p in failures]
    row, column, problem = failures[0]
    more = [_where(r, c) + p for r, c, p in failures[1:SHOWN]]
    if more:
        extra = len(failures) - SHOWN
        problem += "; also " + "; ".join(more) + (f"; and {extra} more" if extra > 0 else "")
    raise DataError(path, f"{problem} [table {name}]", row=row, column=column)


def _where(row: int | None, column: str | None) -> str:
    parts = ([f"row {row}"] if row is not None else []) + ([f"column '{column}'"] if column else [])
    return ", ".join(parts) + (": " if parts else "")


def _context(frame: pd.DataFrame, i: int, column: str | None) -> str:
    """Name the observation by its geo and period too: JSON-stat files have no line numbers."""
    keys = [f"{c} {frame.at[i, c]}" for c in ("geo", "time") if c in frame.columns and c != column]
    return f" ({', '.join(keys)})" if keys else ""


def _failures(cases: pd.DataFrame, frame: pd.DataFrame, schema: pa.DataFrameSchema,
              first_row: int | list[int]) -> list[tuple[int | None, str | None, str]]:
    """(row, column, problem) for each failure: whole-table problems first, then by row."""
    out: list[tuple[int | None, str | None, str]] = []
    seen: set = set()
    table_level = cases[cases["index"].isna()]
    table_level = table_level.sort_values("check", key=lambda c: c != "column_in_dataframe", kind="stable")
    for case in table_level.itertuples():
        check = str(case.check)
        if check == "column_in_dataframe":
            out.append((None, str(case.failure_case), "missing column (renamed or dropped?)"))
        elif check == "column_in_schema":
            out.append((None, str(case.failure_case), "unexpected column (renamed, or a new dimension?)"))
        elif check.startswith("dtype("):
            out.append((None, case.column, f"has type {case.failure_case}, expected {check[6:-1]}"))
        elif check not in ("multiple_fields_uniqueness",):
            out.append((None, case.column, f"fails {check}"))
    if isinstance(first_row, int):
        def line(i) -> int:
            return int(i) + first_row
    else:
        def line(i) -> int:
            return int(first_row[int(i)])
    if (cases["check"] == "multiple_fields_uniqueness").any():
        keys = list(schema.unique or [])
        dup = frame.duplicated(keys, keep=False)
        first = frame.loc[dup, keys].iloc[0]
        same = frame.index[dup & (frame[keys] == first).all(axis=1)]
        rows = " and ".join(str(line(i)) for i in same[:3])
        key = ", ".join(f"{k}={first[k]}" for k in keys)
        out.append((line(same[1]), None, f"duplicated key ({key}): rows {rows} have the same key"))
    row_level = cases[cases["index"].notna() & (cases["check"] != "multiple_fields_uniqueness")]
    row_level = row_level.assign(pos=row_level["index"].astype(int)).sort_values(["pos", "check_number"], kind="stable")
    for case in row_level.itertuples():
        if (case.pos, case.column) in seen:   # one problem per cell is enough
            continue
        seen.add((case.pos, case.column))
        check = str(case.check)
        if check.startswith("dtype("):
            check = f"is not of type {check[6:-1]}"
        elif check == "not_nullable":
            check = "is missing (an empty cell)"
        value = case.failure_case
        shown = "an empty value" if value is None or value == "" or (isinstance(value, float) and value != value) \
            else repr(value.item() if hasattr(value, "item") else value)
        out.append((line(case.pos), case.column, f"{shown}{_context(frame, case.pos, case.column)} {check}"))
    # Whole-table problems first, then the uniqueness one where it sits, then cells by row.
    out.sort(key=lambda f: -1 if f[0] is None else f[0])
    return out
