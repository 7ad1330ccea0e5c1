"""Steps for the non-Eurostat publishers' files: one tidy table per file or family."""

from __future__ import annotations

import pandas as pd

from inclusion_evidence.steps.registry import step

ILGA_SOURCES = ["ilga_rainbow_asylum", "ilga_rainbow_civil_society", "ilga_rainbow_equality_non_discrimination",
                "ilga_rainbow_family", "ilga_rainbow_hatespeech_hatecrime", "ilga_rainbow_intersex_bodily_integrity",
                "ilga_rainbow_legalgenderrecognition"]
FRA_2019_SOURCES = ["fra_lgbti2019_t1q1", "fra_lgbti2019_t1q2", "fra_lgbti2019_t1q3", "fra_lgbti2019_t1q4",
                    "fra_lgbti2019_t1q5"]


@step("mipex", inputs=["mipex_core_2007_2019", "mipex_eu_2020_2024", "mipex_citrix_vink2022"],
      outputs=["mipex_indicators", "mipex_strands", "citrix_mipex"])
def mipex(sources):
    from inclusion_evidence.ingest.readers.mipex import mipex_strands, read_citrix_mipex, read_mipex_scores

    scores = read_mipex_scores(sources["mipex_core_2007_2019"], sources["mipex_eu_2020_2024"])
    return {"mipex_indicators": scores, "mipex_strands": mipex_strands(scores),
            "citrix_mipex": read_citrix_mipex(sources["mipex_citrix_vink2022"])}


@step("ilga", inputs=ILGA_SOURCES, outputs=["ilga_rainbow"])
def ilga(sources):
    from inclusion_evidence.ingest.readers.lgbti import read_ilga_rainbow

    # The reader joins the seven files by row position; it needs their common folder.
    folder = sources["ilga_rainbow_equality_non_discrimination"].parent
    return {"ilga_rainbow": read_ilga_rainbow(folder)}


@step("fra_lgbti", inputs=FRA_2019_SOURCES + ["fra_lgbt2012_discrimination"],
      outputs=["fra_lgbti_2019", "fra_lgbt_2012"])
def fra_lgbti(sources):
    from inclusion_evidence.ingest.readers.lgbti import read_fra_lgbt_2012, read_fra_lgbti_2019

    frames = [read_fra_lgbti_2019(sources[s]) for s in FRA_2019_SOURCES]
    return {"fra_lgbti_2019": pd.concat(frames, ignore_index=True),
            "fra_lgbt_2012": read_fra_lgbt_2012(sources["fra_lgbt2012_discrimination"])}


@step("funding", inputs=["esif_2014_2020_planned", "eu_budget_spending_2000_2023"],
      outputs=["esif_planned", "eu_budget_migration"], optional=["cohesion_2021_2027_amif"])
def funding(sources):
    from inclusion_evidence.ingest.readers.esif import read_esif_planned
    from inclusion_evidence.ingest.readers.eu_budget import read_eu_budget_payments

    return {"esif_planned": read_esif_planned(sources["esif_2014_2020_planned"]),
            "eu_budget_migration": read_eu_budget_payments(sources["eu_budget_spending_2000_2023"])}


@step("population", inputs=["worldbank_sp_pop_totl", "undesa_ims_2024", "unhcr_refugee_population"],
      outputs=["population_worldbank", "undesa_migrant_stock", "unhcr_population"])
def population(sources):
    from inclusion_evidence.ingest.readers.population import (
        read_undesa_migrant_stock,
        read_unhcr_population,
        read_worldbank_population,
    )

    return {"population_worldbank": read_worldbank_population(sources["worldbank_sp_pop_totl"]),
            "undesa_migrant_stock": read_undesa_migrant_stock(sources["undesa_ims_2024"]),
            "unhcr_population": read_unhcr_population(sources["unhcr_refugee_population"])}


@step("cities", inputs=["eurocities_members"], outputs=["eurocities"])
def cities(sources):
    from inclusion_evidence.ingest.readers.cities import read_eurocities

    return {"eurocities": read_eurocities(sources["eurocities_members"])}


@step("children", inputs=["uam_news_release_2017", "uam_top_citizenships_2016", "migrationsverket_monthly"],
      outputs=["uam_2015_2016", "uam_top_citizenships_2016", "sweden_asylum_monthly"])
def children(sources):
    from inclusion_evidence.ingest.readers.children import (
        read_migrationsverket_monthly,
        read_uam_news_release,
        read_uam_top_citizenships,
    )

    return {"uam_2015_2016": read_uam_news_release(sources["uam_news_release_2017"]),
            "uam_top_citizenships_2016": read_uam_top_citizenships(sources["uam_top_citizenships_2016"]),
            "sweden_asylum_monthly": read_migrationsverket_monthly(sources["migrationsverket_monthly"])}


@step("regional_population", inputs=["europe_locals_nuts2_2023"],
      outputs=["regional_population_2023", "regional_population_trend", "regional_origins"])
def regional_population(sources):
    from inclusion_evidence.ingest.readers.regional import read_europe_locals

    data = read_europe_locals(sources["europe_locals_nuts2_2023"])
    return {"regional_population_2023": data.regions, "regional_population_trend": data.trend,
            "regional_origins": data.origins}
