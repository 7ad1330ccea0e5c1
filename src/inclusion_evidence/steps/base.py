"""Steps shared by several chapters: Eurostat tables and NUTS geometries."""

from __future__ import annotations

from inclusion_evidence.ingest.readers.eurostat import read_eurostat
from inclusion_evidence.ingest.readers.gisco import read_borders, read_nuts
from inclusion_evidence.steps.registry import step

# Every Eurostat source of the catalogue becomes one tidy table named after it.
EUROSTAT_TABLES = {
    "eurostat_lfst_r_lfur2gac": "lfst_r_lfur2gac",
    "eurostat_lfsa_ergan": "lfsa_ergan",
    "eurostat_lfsa_urgan": "lfsa_urgan",
    "eurostat_hlth_silc_24": "hlth_silc_24",
    "eurostat_demo_poppcctb": "demo_poppcctb",
    "eurostat_demo_poppcctz": "demo_poppcctz",
    "eurostat_migr_asyappctza": "migr_asyappctza",
    "eurostat_tps00170": "tps00170",
    "eurostat_migr_pop1ctz": "migr_pop1ctz",
    "eurostat_migr_pop3ctb": "migr_pop3ctb",
    "eurostat_ilc_di15": "ilc_di15",
    "eurostat_edat_lfs_9911": "edat_lfs_9911",
}


def _eurostat_step(source_id: str, table: str):
    def load_and_tidy(sources):
        frame = read_eurostat(sources[source_id])
        frame.attrs.clear()  # parquet keeps no pandas attrs; the catalogue says what it is
        return {table: frame}
    load_and_tidy.__name__ = f"tidy_{table}"
    step(table, inputs=[source_id], outputs=[table])(load_and_tidy)


for _sid, _table in EUROSTAT_TABLES.items():
    _eurostat_step(_sid, _table)


# Declared Eurostat sources: a table when the user has supplied the file.
DECLARED_EUROSTAT = {
    "eurostat_lfst_r_lfe2emprc": "lfst_r_lfe2emprc",
    "eurostat_lfst_r_lfp2actrc": "lfst_r_lfp2actrc",
    "eurostat_lfst_r_ergau": "lfst_r_ergau",
    "eurostat_hlth_silc_30": "hlth_silc_30",
    "eurostat_hlth_silc_29": "hlth_silc_29",
    "eurostat_hlth_ehis_mh1c": "hlth_ehis_mh1c",
    "eurostat_hlth_ehis_mh1b": "hlth_ehis_mh1b",
    "eurostat_migr_asyunaa": "migr_asyunaa",
    "eurostat_migr_asyappctza_age": "migr_asyappctza_age",
    "eurostat_migr_pop1ctz_non_eu": "migr_pop1ctz_non_eu",
    "eurostat_ilc_scp_culture": "ilc_scp_culture",
}


def _optional_eurostat_step(source_id: str, table: str):
    """An empty table (same tidy columns) until the declared file is supplied."""
    import pandas as pd

    def load_if_present(sources):
        if source_id in sources:
            frame = read_eurostat(sources[source_id])
            frame.attrs.clear()
        else:
            frame = pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                                  (("geo", "str"), ("time", "int64"), ("value", "float64"), ("flag", "str"))})
        return {table: frame}
    load_if_present.__name__ = f"tidy_{table}"
    step(table, inputs=[], outputs=[table], optional=[source_id])(load_if_present)


for _sid, _table in DECLARED_EUROSTAT.items():
    _optional_eurostat_step(_sid, _table)


@step("nuts2021", inputs=["gisco_nuts2021_60m_levl0", "gisco_nuts2021_60m_levl1", "gisco_nuts2021_60m_levl2",
                          "gisco_nuts2021_60m_borders_levl0"],
      outputs=["nuts2021_level0", "nuts2021_level1", "nuts2021_level2", "nuts2021_borders0"])
def nuts2021(sources):
    return {
        "nuts2021_level0": read_nuts(sources["gisco_nuts2021_60m_levl0"], 0, "NUTS 2021"),
        "nuts2021_level1": read_nuts(sources["gisco_nuts2021_60m_levl1"], 1, "NUTS 2021"),
        "nuts2021_level2": read_nuts(sources["gisco_nuts2021_60m_levl2"], 2, "NUTS 2021"),
        "nuts2021_borders0": read_borders(sources["gisco_nuts2021_60m_borders_levl0"]),
    }


@step("nuts2024", inputs=["gisco_nuts2024_20m"], outputs=["nuts2024_level0", "nuts2024_level2", "nuts2024_level3"])
def nuts2024(sources):
    path = sources["gisco_nuts2024_20m"]
    level0 = read_nuts(path, 0, "NUTS 2024")
    level2 = read_nuts(path, 2, "NUTS 2024")
    # NUTS-3 (arrondissements, districts): places member cities that the city list lacks.
    level3 = read_nuts(path, 3, "NUTS 2024")
    # The 1:20M file is detailed; chapters draw small maps, so simplify once here.
    for gdf in (level0, level2, level3):
        gdf["geometry"] = gdf.geometry.simplify(2000, preserve_topology=True)
    return {"nuts2024_level0": level0, "nuts2024_level2": level2, "nuts2024_level3": level3}
