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
