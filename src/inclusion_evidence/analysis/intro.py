"""Context numbers for the introduction."""

from __future__ import annotations

import pandas as pd

from inclusion_evidence.core.tables import read_table


def eu_foreign_population(geo: str = "EU27_2020") -> pd.DataFrame:
    """Foreign-born (migr_pop3ctb) and foreign-citizen (migr_pop1ctz) residents of ``geo`` by year."""
    born = read_table("migr_pop3ctb").query("geo == @geo and c_birth == 'FOR'").assign(group="Foreign-born")
    citizens = read_table("migr_pop1ctz").query("geo == @geo and citizen == 'FOR_STLS'").assign(group="Foreign citizens")
    out = pd.concat([born, citizens], ignore_index=True)[["group", "time", "value", "flag"]].dropna(subset=["value"])
    if out.empty:
        raise ValueError(f"no foreign-born or foreign-citizen counts for {geo}")
    out["value_m"] = out["value"] / 1e6
    return out.sort_values(["group", "time"]).reset_index(drop=True)


# --------------------------------------------------------------------------- the state of integration at a glance

def member_state_table(long: pd.DataFrame, span: int = 10) -> pd.DataFrame:
    """Every core indicator for each member state and the EU-27: latest year, values, gap, change of the gap.

    One row per indicator and geo (from :func:`~inclusion_evidence.analysis.overview.country_table`,
    ranked on the gap to nationals, the EU-27 row last within each indicator), with
    ``higher_is_better`` and ``measure``: ``"gap"`` when nationals are there to compare with,
    ``"level"`` when the table gives only the compared group's value (then ``gap_vs_nationals``
    is missing and ``value_group`` is what can be shown).
    """
    from inclusion_evidence.analysis import overview as ov

    parts = []
    for ind in ov.INDICATORS:
        if ind.key not in set(long["indicator"]):
            continue
        t = ov.country_table(long, ind.key, by="gap_vs_nationals", span=span)
        t["higher_is_better"] = ind.higher_is_better
        t["measure"] = "gap" if t["value_nationals"].notna().any() else "level"
        parts.append(t)
    if not parts:
        raise ValueError("the core indicators table has none of the overview's indicators")
    return pd.concat(parts, ignore_index=True)


def gap_spread(table: pd.DataFrame, indicator: str) -> dict:
    """How the member states' gaps to nationals on one indicator spread, for a headline.

    ``n`` member states with a gap; ``n_worse``: those where the compared group fares worse than
    nationals (gap below zero when higher is better, above zero otherwise); ``worst``/``best``:
    the member state with the least/most favourable gap **among values of good reliability**
    (no ``u`` flag on the values used), with ``worst_value``/``best_value``; ``worst_any_low``
    is True when the least favourable gap of all is of low reliability (named in
    ``worst_any``/``worst_any_value``); ``year`` is the latest year most of them share.
    """
    rows = table[(table["indicator"] == indicator) & (table["geo"] != "EU27_2020")].dropna(subset=["gap_vs_nationals"])
    nan = float("nan")
    out = {"n": int(len(rows)), "n_worse": 0, "worst": "", "worst_value": nan, "best": "", "best_value": nan,
           "worst_any": "", "worst_any_value": nan, "worst_any_low": False, "year": nan, "n_low": 0}
    if rows.empty:
        return out
    higher = bool(rows["higher_is_better"].iloc[0])
    gap = rows["gap_vs_nationals"].astype(float)
    # Order from the least to the most favourable gap for the compared group.
    ordered = rows.assign(_g=gap if higher else -gap).sort_values(["_g", "geo"])
    low = ordered["low_reliability"].astype(bool)
    good = ordered[~low.to_numpy()]
    out.update({"n_worse": int(((gap < 0) if higher else (gap > 0)).sum()), "n_low": int(low.sum()),
                "year": int(rows["year"].mode().max()),
                "worst_any": str(ordered.iloc[0]["country"]),
                "worst_any_value": float(ordered.iloc[0]["gap_vs_nationals"]),
                "worst_any_low": bool(low.iloc[0])})
    if len(good):
        out.update({"worst": str(good.iloc[0]["country"]), "worst_value": float(good.iloc[0]["gap_vs_nationals"]),
                    "best": str(good.iloc[-1]["country"]), "best_value": float(good.iloc[-1]["gap_vs_nationals"])})
    return out


SHORT_NAMES = {"employment_rate": "Employment rate", "unemployment_rate": "Unemployment rate",
               "low_attainment": "At most lower secondary", "tertiary_attainment": "Tertiary education",
               "median_income": "Median net income", "good_health": "Good health"}


_NOTE_NAMES = {"low_attainment": "at most lower secondary education (ISCED 0-2)",
               "tertiary_attainment": "tertiary education (ISCED 5-8)",
               "median_income": "median equivalised net income", "good_health": "good or very good health"}
#: One-word column names of :func:`glance_table` (what each measures is in its notes).
COLUMN_NAMES = {"employment_rate": "Employment", "unemployment_rate": "Unemployment",
                "low_attainment": "Low education", "tertiary_attainment": "Tertiary education",
                "median_income": "Income", "good_health": "Health"}


def glance_table(table: pd.DataFrame, show: str = "both") -> pd.DataFrame:
    """Member states × indicators for display: each cell "gap (change)" or, without nationals, the level.

    Gaps are signed (``+1.5``) in the indicator's gap unit, the change of the gap over about ten
    years in brackets (pp), and ``u`` after a value of low reliability; ``–`` where there is no
    value. Column names are one word (:data:`COLUMN_NAMES`). ``show="gap"`` gives the gaps (and levels) alone, ``show="change"`` the changes of the
    gaps alone (indicators with a gap only), for pages too narrow for both. Column names are
    short; ``attrs["notes"]`` says for each what it measures, for which group, age and years.
    """
    if show not in ("both", "gap", "change"):
        raise ValueError(f"show={show!r}: use 'both', 'gap' or 'change'")
    from inclusion_evidence.analysis.overview import AGE_LABELS

    columns = {}
    notes: list[str] = []
    short_group = {"NEU27_2020_FOR": "non-EU citizens", "FOR": "foreign citizens"}
    for key, t in table.groupby("indicator", sort=False):
        first = t.iloc[0]
        age = AGE_LABELS.get(first["age"], first["age"])
        years = sorted(int(y) for y in t["year"].dropna().unique())
        bases = sorted(int(y) for y in t["base_year"].dropna().unique())
        span = f"{years[-1]}" if years else ""
        label = SHORT_NAMES.get(key, first["name"])
        what = _NOTE_NAMES.get(key, label[0].lower() + label[1:])
        group = short_group.get(first["group"], first["group_label"])
        if first["measure"] == "gap":
            unit = "pp" if first["gap_unit"] == "pp" else "% of the nationals' median"
            base = (f"{min(bases)}" if min(bases) == max(bases) else f"{min(bases)}-{max(bases)}") if bases else ""
            name = COLUMN_NAMES.get(key, label)
            if show == "change":
                notes.append(f"{name}: {what}, {group} aged {age}, change of the gap to nationals from {base or '–'} "
                             f"to {span}, pp")
            else:
                notes.append(f"{name}: {what}, {group} aged {age}, gap to nationals in {unit}, {span}"
                             + (f", change since {base}" if base and show == "both" else ""))

            def cell(r):
                if show == "change":
                    if pd.isna(r["change_gap_pp"]):
                        return "–"
                    return f"{r['change_gap_pp']:+.1f}" + (" u" if r["low_reliability"] else "")
                if pd.isna(r["gap_vs_nationals"]):
                    return "–"
                text = f"{r['gap_vs_nationals']:+.1f}"
                if show == "both" and not pd.isna(r["change_gap_pp"]):
                    text += f" ({r['change_gap_pp']:+.1f})"
                return text + (" u" if r["low_reliability"] else "")
        elif show == "change":
            continue
        else:
            name = COLUMN_NAMES.get(key, label)
            notes.append(f"{name}: {what}, share of {group} aged {age}, %, {span} (no values for nationals)")

            def cell(r):
                if pd.isna(r["value_group"]):
                    return "–"
                return f"{r['value_group']:.1f}" + (" u" if "u" in str(r["flag_group"]) else "")
        columns[name] = t.set_index("country").apply(cell, axis=1)
    wide = pd.DataFrame(columns)
    order = [c for c in table["country"].drop_duplicates() if c != "EU-27"]
    order = sorted(order) + (["EU-27"] if "EU-27" in wide.index else [])
    out = wide.reindex(order).fillna("–").rename_axis("Country").reset_index()
    out.attrs["notes"] = notes
    return out
