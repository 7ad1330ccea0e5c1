"""European country codes and names used across the book, in one table.

The book keys every country by its **Eurostat geo code**. It equals the
ISO 3166-1 alpha-2 code except for Greece (``EL``, ISO ``GR``) and the
United Kingdom (``UK``, ISO ``GB``); Kosovo uses the user-assigned ``XK``
(ISO3-like ``XKX``, as the World Bank and the EU do).

Publishers name countries in many ways ("Czech Republic", "Türkiye",
"Netherlands (Kingdom of the)", "Republic of Moldova*", "bosnia-herzegovina"),
so :func:`name_to_eurostat` matches names after normalising case, accents,
punctuation, footnote marks and parenthesised qualifiers, and then through a
short list of known aliases.

Every lookup raises :class:`UnknownCountryError` (a :class:`KeyError`) for an
unknown code or name; readers turn it into a
:class:`~inclusion_evidence.core.errors.DataError` that names the file.

Membership flags are as of 2024: ``candidate`` marks the official EU
candidate countries (AL, BA, GE, MD, ME, MK, RS, TR, UA); Kosovo, a potential
candidate, is not flagged.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

import pandas as pd


class Country(NamedTuple):
    """One row of the country table."""

    geo: str
    iso2: str
    iso3: str
    m49: int | None
    name: str
    eu27_2020: bool = False
    efta: bool = False
    candidate: bool = False


class UnknownCountryError(KeyError):
    """A country code or name that is not in the book's country table."""

    def __str__(self) -> str:
        # KeyError quotes its message; a plain sentence reads better in DataError.
        return str(self.args[0]) if self.args else ""


def _eu(geo: str, iso2: str, iso3: str, m49: int, name: str) -> Country:
    return Country(geo, iso2, iso3, m49, name, eu27_2020=True)


def _efta(geo: str, iso2: str, iso3: str, m49: int, name: str) -> Country:
    return Country(geo, iso2, iso3, m49, name, efta=True)


def _cand(geo: str, iso2: str, iso3: str, m49: int, name: str) -> Country:
    return Country(geo, iso2, iso3, m49, name, candidate=True)


# EU members in Eurostat's protocol order, then EFTA, UK, candidates, others.
# m49 is the UN M49 / ISO 3166-1 numeric code (Kosovo has none).
COUNTRIES: tuple[Country, ...] = (
    _eu("BE", "BE", "BEL", 56, "Belgium"),
    _eu("BG", "BG", "BGR", 100, "Bulgaria"),
    _eu("CZ", "CZ", "CZE", 203, "Czechia"),
    _eu("DK", "DK", "DNK", 208, "Denmark"),
    _eu("DE", "DE", "DEU", 276, "Germany"),
    _eu("EE", "EE", "EST", 233, "Estonia"),
    _eu("IE", "IE", "IRL", 372, "Ireland"),
    _eu("EL", "GR", "GRC", 300, "Greece"),
    _eu("ES", "ES", "ESP", 724, "Spain"),
    _eu("FR", "FR", "FRA", 250, "France"),
    _eu("HR", "HR", "HRV", 191, "Croatia"),
    _eu("IT", "IT", "ITA", 380, "Italy"),
    _eu("CY", "CY", "CYP", 196, "Cyprus"),
    _eu("LV", "LV", "LVA", 428, "Latvia"),
    _eu("LT", "LT", "LTU", 440, "Lithuania"),
    _eu("LU", "LU", "LUX", 442, "Luxembourg"),
    _eu("HU", "HU", "HUN", 348, "Hungary"),
    _eu("MT", "MT", "MLT", 470, "Malta"),
    _eu("NL", "NL", "NLD", 528, "Netherlands"),
    _eu("AT", "AT", "AUT", 40, "Austria"),
    _eu("PL", "PL", "POL", 616, "Poland"),
    _eu("PT", "PT", "PRT", 620, "Portugal"),
    _eu("RO", "RO", "ROU", 642, "Romania"),
    _eu("SI", "SI", "SVN", 705, "Slovenia"),
    _eu("SK", "SK", "SVK", 703, "Slovakia"),
    _eu("FI", "FI", "FIN", 246, "Finland"),
    _eu("SE", "SE", "SWE", 752, "Sweden"),
    _efta("IS", "IS", "ISL", 352, "Iceland"),
    _efta("LI", "LI", "LIE", 438, "Liechtenstein"),
    _efta("NO", "NO", "NOR", 578, "Norway"),
    _efta("CH", "CH", "CHE", 756, "Switzerland"),
    Country("UK", "GB", "GBR", 826, "United Kingdom"),
    _cand("AL", "AL", "ALB", 8, "Albania"),
    _cand("BA", "BA", "BIH", 70, "Bosnia and Herzegovina"),
    _cand("GE", "GE", "GEO", 268, "Georgia"),
    _cand("MD", "MD", "MDA", 498, "Moldova"),
    _cand("ME", "ME", "MNE", 499, "Montenegro"),
    _cand("MK", "MK", "MKD", 807, "North Macedonia"),
    _cand("RS", "RS", "SRB", 688, "Serbia"),
    _cand("TR", "TR", "TUR", 792, "Türkiye"),
    _cand("UA", "UA", "UKR", 804, "Ukraine"),
    Country("XK", "XK", "XKX", None, "Kosovo"),
    Country("AM", "AM", "ARM", 51, "Armenia"),
    Country("AZ", "AZ", "AZE", 31, "Azerbaijan"),
    Country("BY", "BY", "BLR", 112, "Belarus"),
    Country("RU", "RU", "RUS", 643, "Russia"),
    Country("AD", "AD", "AND", 20, "Andorra"),
    Country("MC", "MC", "MCO", 492, "Monaco"),
    Country("SM", "SM", "SMR", 674, "San Marino"),
    Country("VA", "VA", "VAT", 336, "Holy See"),
)

EU27: tuple[str, ...] = tuple(c.geo for c in COUNTRIES if c.eu27_2020)
EFTA: tuple[str, ...] = tuple(c.geo for c in COUNTRIES if c.efta)
CANDIDATES: tuple[str, ...] = tuple(c.geo for c in COUNTRIES if c.candidate)

_BY_GEO = {c.geo: c for c in COUNTRIES}
_BY_ISO2 = {c.iso2: c for c in COUNTRIES}
_BY_ISO3 = {c.iso3: c for c in COUNTRIES}
_BY_M49 = {c.m49: c for c in COUNTRIES if c.m49 is not None}

# Other names met in publishers' files, written as _normalise() leaves them.
_ALIASES = {
    "CZ": ("czech republic", "czech rep"),
    "EL": ("hellenic republic", "hellas"),
    "NL": ("the netherlands", "kingdom of the netherlands"),
    "SK": ("slovak republic",),
    "UK": ("united kingdom of great britain and northern ireland", "great britain",
           "britain", "u k", "uk"),
    "BA": ("bosnia herzegovina",),
    "MD": ("republic of moldova", "moldova republic of"),
    "MK": ("macedonia", "republic of north macedonia", "north macedonia republic of",
           "former yugoslav republic of macedonia", "fyr macedonia", "fyrom",
           "macedonia the former yugoslav republic of"),
    "TR": ("turkey", "republic of turkiye"),
    "RU": ("russian federation",),
    "VA": ("vatican", "vatican city", "vatican city state", "holy see vatican city state"),
    "XK": ("kosovo under unscr 1244 99", "republic of kosovo"),
}


def _normalise(name: str) -> str:
    """Lower-case ASCII words: accents, footnote marks, brackets, punctuation gone."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("&", " and ")
    text = re.sub(r"\(.*?\)", " ", text)          # "Netherlands (Kingdom of the)"
    text = re.sub(r"[^a-z0-9]+", " ", text)        # *, hyphens, dots, commas, quotes
    text = re.sub(r"^the ", "", text.strip())
    return re.sub(r"\s+", " ", text).strip()


_BY_NAME: dict[str, str] = {}
for _c in COUNTRIES:
    _BY_NAME[_normalise(_c.name)] = _c.geo
for _geo, _names in _ALIASES.items():
    for _n in _names:
        _BY_NAME[_normalise(_n)] = _geo


def _unknown(kind: str, value: object) -> UnknownCountryError:
    return UnknownCountryError(
        f"unknown country {kind} {value!r}: not among the {len(COUNTRIES)} European "
        "countries of inclusion_evidence.core.geo_codes")


def _as_text(value: object, kind: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _unknown(kind, value)
    return value.strip()


def name_to_eurostat(name: str) -> str:
    """Eurostat geo code for an English country name, tolerant of variants.

    Parameters
    ----------
    name
        A country name as a publisher spells it, e.g. ``"Czech Republic"``,
        ``"Türkiye"``, ``"Netherlands (the)"``, ``"Republic of Moldova*"``,
        ``"Moldova, Republic of"`` or ``"bosnia-herzegovina"``.

    Returns
    -------
    str
        The Eurostat geo code, e.g. ``"CZ"``.

    Raises
    ------
    UnknownCountryError
        If the name matches no country of the table.
    """
    key = _normalise(_as_text(name, "name"))
    if key in _BY_NAME:
        return _BY_NAME[key]
    # "Moldova, Republic of" -> "Republic of Moldova".
    if "," in name:
        head, _, tail = name.partition(",")
        swapped = _normalise(f"{tail} {head}")
        if swapped in _BY_NAME:
            return _BY_NAME[swapped]
    raise _unknown("name", name)


def iso3_to_eurostat(iso3: str) -> str:
    """Eurostat geo code for an ISO 3166-1 alpha-3 code (``GRC`` -> ``EL``).

    Raises
    ------
    UnknownCountryError
        If the code is not in the table (including non-European countries).
    """
    code = _as_text(iso3, "ISO3 code").upper()
    if code in _BY_ISO3:
        return _BY_ISO3[code].geo
    raise _unknown("ISO3 code", iso3)


def m49_to_eurostat(m49: int | str) -> str:
    """Eurostat geo code for a UN M49 (ISO numeric) code (``300`` -> ``EL``).

    Raises
    ------
    UnknownCountryError
        If the code is not in the table.
    """
    try:
        number = int(str(m49).strip())
    except ValueError:
        raise _unknown("M49 code", m49) from None
    if number in _BY_M49:
        return _BY_M49[number].geo
    raise _unknown("M49 code", m49)


def to_eurostat(code_or_name: str) -> str:
    """Eurostat geo code for a Eurostat code, ISO2, ISO3 code or a name.

    Codes are matched case-insensitively (``"gr"``, ``"GRC"`` and ``"EL"`` all
    give ``"EL"``); anything else is looked up as a name.

    Raises
    ------
    UnknownCountryError
        If nothing matches.
    """
    text = _as_text(code_or_name, "code or name")
    upper = text.upper()
    if upper in _BY_GEO:
        return upper
    if upper in _BY_ISO2:
        return _BY_ISO2[upper].geo
    if upper in _BY_ISO3:
        return _BY_ISO3[upper].geo
    try:
        return name_to_eurostat(text)
    except UnknownCountryError:
        raise _unknown("code or name", code_or_name) from None


def country_name(geo: str) -> str:
    """English name of a Eurostat geo code (``"EL"`` -> ``"Greece"``).

    Raises
    ------
    UnknownCountryError
        If the code is not a Eurostat geo code of the table.
    """
    code = _as_text(geo, "geo code").upper()
    if code in _BY_GEO:
        return _BY_GEO[code].name
    raise _unknown("geo code", geo)


def is_known(code_or_name: str) -> bool:
    """Whether :func:`to_eurostat` would find the code or name."""
    try:
        to_eurostat(code_or_name)
    except UnknownCountryError:
        return False
    return True


def country_table() -> pd.DataFrame:
    """The country table as a DataFrame, one row per country.

    Returns
    -------
    pandas.DataFrame
        Columns ``geo``, ``iso2``, ``iso3``, ``m49`` (nullable Int64),
        ``name``, ``eu27_2020``, ``efta``, ``candidate``.
    """
    table = pd.DataFrame(COUNTRIES, columns=Country._fields)
    table["m49"] = table["m49"].astype("Int64")
    return table

# Outermost regions (Eurostat maps put them in insets or name them as left out).
OUTERMOST_NUTS2 = ("FRY1", "FRY2", "FRY3", "FRY4", "FRY5", "ES70", "PT20", "PT30")


# --- Scope: which countries a statistic, a model or a map's classes cover ---------------------
#
# The Partnership works in the EU: every statistic defaults to the EU-27 (2020
# composition). A scope is written as parts joined by "+": "EU27", "EFTA",
# "candidates", or single geo codes ("UK", "TR"), e.g. "EU27+EFTA+candidates".

DEFAULT_SCOPE = "EU27"
_SCOPE_PARTS = {"EU27": EU27, "EFTA": EFTA, "CANDIDATES": CANDIDATES}
_SCOPE_LABELS = {"EU27": "EU-27", "EFTA": "EFTA", "CANDIDATES": "candidate countries"}
# Codes of other systems that name the same country as a Eurostat geo code.
_PREFIX_ALIASES = {"GR": "EL", "GB": "UK"}


def scope_countries(scope: str = DEFAULT_SCOPE) -> frozenset[str]:
    """The Eurostat geo codes of a scope such as ``"EU27"`` or ``"EU27+EFTA+candidates"``.

    Raises
    ------
    ValueError
        If a part is neither a group (EU27, EFTA, candidates) nor a country code of the table.
    """
    if not isinstance(scope, str) or not scope.strip():
        raise ValueError(f"scope {scope!r}: give e.g. 'EU27' or 'EU27+EFTA+candidates'")
    codes: set[str] = set()
    for part in scope.split("+"):
        key = part.strip().upper().replace("-", "").replace("_", "").replace(" ", "")
        if key in _SCOPE_PARTS:
            codes.update(_SCOPE_PARTS[key])
        elif _PREFIX_ALIASES.get(key, key) in _BY_GEO:
            codes.add(_PREFIX_ALIASES.get(key, key))
        else:
            raise ValueError(f"scope {scope!r}: unknown part {part.strip()!r}; use EU27, EFTA, candidates "
                             "or a Eurostat country code, joined by '+'")
    return frozenset(codes)


def scope_label(scope: str = DEFAULT_SCOPE) -> str:
    """Words for a scope, for titles and notes: ``"EU27+EFTA"`` -> ``"EU-27 and EFTA"``."""
    scope_countries(scope)  # validates
    words = []
    for part in scope.split("+"):
        key = part.strip().upper().replace("-", "").replace("_", "").replace(" ", "")
        words.append(_SCOPE_LABELS.get(key) or country_name(_PREFIX_ALIASES.get(key, key)))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def country_of(code: object) -> str | None:
    """The Eurostat country of a country or NUTS code, by its first two letters.

    ``"EL30"`` and ``"GR"`` give ``"EL"``; ``"UKI3"`` and ``"GB"`` give ``"UK"``;
    aggregates (``"EU27_2020"``, ``"EA20"``) and anything unknown give ``None``.
    """
    if not isinstance(code, str) or len(code.strip()) < 2:
        return None
    prefix = code.strip()[:2].upper()
    prefix = _PREFIX_ALIASES.get(prefix, prefix)
    if prefix not in _BY_GEO:
        return None
    rest = code.strip()[2:]
    # A NUTS code continues with digits or letters; an aggregate such as EU27_2020 is no country.
    if rest and not rest.isalnum():
        return None
    return prefix


def in_scope(codes, scope: str = DEFAULT_SCOPE):
    """Whether country or NUTS codes lie in ``scope`` (by their country prefix).

    ``codes`` is one code (returns a bool) or a sequence / pandas Series (returns a
    boolean Series with the same index). Greek codes may be ``EL`` or ``GR``, the
    United Kingdom's ``UK`` or ``GB``.
    """
    members = scope_countries(scope)
    if isinstance(codes, str) or codes is None:
        return country_of(codes) in members
    series = codes if isinstance(codes, pd.Series) else pd.Series(list(codes))
    return series.map(lambda c: country_of(c) in members).astype(bool)
