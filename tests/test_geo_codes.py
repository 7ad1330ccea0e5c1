"""Tests for the European country-code table and its lookups."""

from __future__ import annotations

import json
import math

import pytest

from inclusion_evidence.core import geo_codes
from inclusion_evidence.core.geo_codes import (
    CANDIDATES,
    EFTA,
    EU27,
    UnknownCountryError,
    country_name,
    country_table,
    iso3_to_eurostat,
    m49_to_eurostat,
    name_to_eurostat,
    to_eurostat,
)
from inclusion_evidence.core.paths import ROOT

SHARED = ROOT.parent / "shared" / "data"
needs_mirror = pytest.mark.skipif(not SHARED.is_dir(), reason="data mirror not present")


def test_eu27_is_the_27_member_states_with_eurostat_codes():
    assert len(EU27) == 27 == len(set(EU27))
    assert "EL" in EU27 and "GR" not in EU27
    assert "UK" not in EU27 and EU27[0] == "BE" and EU27[-1] == "SE"


def test_groups_do_not_overlap_and_have_their_sizes():
    assert set(EFTA) == {"IS", "LI", "NO", "CH"}
    assert set(CANDIDATES) == {"AL", "BA", "GE", "MD", "ME", "MK", "RS", "TR", "UA"}
    assert not set(EU27) & set(EFTA) and not set(EU27) & set(CANDIDATES)


def test_table_keys_are_unique():
    table = country_table()
    for col in ("geo", "iso2", "iso3", "name"):
        assert table[col].is_unique, col
    assert table["m49"].dropna().is_unique
    assert list(table.columns) == ["geo", "iso2", "iso3", "m49", "name", "eu27_2020", "efta",
                                   "candidate"]


@pytest.mark.parametrize("geo", ["RU", "BY", "MD", "UA", "GE", "AM", "AZ", "XK", "AD", "MC",
                                 "SM", "LI", "VA", "UK", "TR", "CH"])
def test_covers_the_wider_europe(geo):
    assert country_name(geo)


@pytest.mark.parametrize("given, geo", [
    ("EL", "EL"), ("GR", "EL"), ("GRC", "EL"), ("gr", "EL"), ("Greece", "EL"),
    ("UK", "UK"), ("GB", "UK"), ("gbr", "UK"), ("United Kingdom", "UK"),
    ("XK", "XK"), ("XKX", "XK"), ("DEU", "DE"), (" de ", "DE"),
])
def test_to_eurostat_accepts_codes_and_names(given, geo):
    assert to_eurostat(given) == geo


@pytest.mark.parametrize("name, geo", [
    ("Czechia", "CZ"), ("Czech Republic", "CZ"), ("czech republic", "CZ"),
    ("Türkiye", "TR"), ("Turkiye", "TR"), ("Turkey", "TR"),
    ("Netherlands (the)", "NL"), ("Netherlands (Kingdom of the)", "NL"), ("The Netherlands", "NL"),
    ("Republic of Moldova*", "MD"), ("Moldova, Republic of", "MD"), ("Moldova", "MD"),
    ("Russian Federation", "RU"), ("Russia", "RU"), ("Slovak Republic", "SK"),
    ("bosnia-herzegovina", "BA"), ("Bosnia & Herzegovina", "BA"),
    ("Kosovo*", "XK"), ("Kosovo (under United Nations Security Council Resolution 1244/99)", "XK"),
    ("Holy See*", "VA"), ("Vatican City", "VA"), ("North Macedonia", "MK"),
    ("The former Yugoslav Republic of Macedonia", "MK"),
    ("Germany (until 1990 former territory of the FRG)", "DE"),
    ("United Kingdom of Great Britain and Northern Ireland", "UK"),
])
def test_name_to_eurostat_is_tolerant(name, geo):
    assert name_to_eurostat(name) == geo


def test_iso3_and_m49():
    assert iso3_to_eurostat("GRC") == "EL"
    assert iso3_to_eurostat("nld") == "NL"
    assert m49_to_eurostat(826) == "UK"
    assert m49_to_eurostat("300") == "EL"


def test_country_name():
    assert country_name("EL") == "Greece"
    assert country_name("tr") == "Türkiye"


@pytest.mark.parametrize("call, value", [
    (name_to_eurostat, "Narnia"), (to_eurostat, "ZZ"), (iso3_to_eurostat, "USA"),
    (m49_to_eurostat, 840), (m49_to_eurostat, "abc"), (country_name, "GR"),
    (name_to_eurostat, ""), (to_eurostat, None), (to_eurostat, math.nan),
])
def test_unknown_raises_a_clear_key_error(call, value):
    with pytest.raises(KeyError) as exc:
        call(value)
    assert isinstance(exc.value, UnknownCountryError)
    message = str(exc.value)
    assert "unknown country" in message and repr(value) in message
    assert not message.startswith("\"")  # a sentence, not a quoted KeyError repr


def test_is_known():
    assert geo_codes.is_known("Czech Republic")
    assert not geo_codes.is_known("Atlantis")


@needs_mirror
def test_every_country_label_of_the_eurostat_json_files_resolves():
    for name in ("migr_pop1ctz_foreign_citizens_total_2010-2022_jsonstat.json",
                 "migr_pop3ctb_foreign_born_total_2010-2022_jsonstat.json"):
        doc = json.loads((SHARED / "eurostat" / name).read_text(encoding="utf-8"))
        labels = doc["dimension"]["geo"]["category"]["label"]
        for code, label in labels.items():
            if code.startswith(("EU", "EA")):
                continue
            assert to_eurostat(code) == code
            assert name_to_eurostat(label) == code, label


@needs_mirror
def test_every_country_of_the_rainbow_europe_list_resolves():
    rainbow = SHARED / "lgbti" / "ilga_rainbow_europe_tidyrainbow" / "Equality&non_Discrimination.csv"
    names = [line.split(",")[0] for line in rainbow.read_text(encoding="utf-8").splitlines()[1:50]]
    assert len(names) == 49
    assert len({name_to_eurostat(n) for n in names}) == 49
