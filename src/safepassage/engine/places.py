"""Afghanistan's provinces, districts, cities and towns from the gazetteer shipped in
``safepassage.data`` (see ``data/gazetteer/SOURCES.md`` for where each file comes from)."""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any, Literal

__all__ = [
    "City",
    "District",
    "PlaceKind",
    "PlaceName",
    "Province",
    "boundaries",
    "cities",
    "cities_of",
    "city",
    "district",
    "districts",
    "districts_of",
    "place_names",
    "province",
    "provinces",
]


class PlaceKind(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    CITY = "city"


@dataclass(frozen=True, slots=True)
class Province:
    code: str  # ISO 3166-2:AF
    name_en: str
    name_fa: str
    name_ps: str
    variants: tuple[str, ...]
    latitude: float
    longitude: float
    capital_en: str = ""

    def name(self, language: str) -> str:
        if language == "fa" and self.name_fa:
            return self.name_fa
        if language == "ps" and self.name_ps:
            return self.name_ps
        return self.name_en


@dataclass(frozen=True, slots=True)
class District:
    code: str  # geoBoundaries shapeID (stable within the shipped release)
    province_code: str
    name_en: str
    name_fa: str
    variants: tuple[str, ...]
    latitude: float
    longitude: float
    # Pashto where a source or curation gives one, otherwise the Dari spelling (see
    # ``name_ps_is_dari``): most district names are written alike in both languages.
    name_ps: str = ""
    name_ps_is_dari: bool = True

    def name(self, language: str) -> str:
        if language == "ps" and self.name_ps:
            return self.name_ps
        if language in ("fa", "ps") and self.name_fa:
            return self.name_fa
        return self.name_en


@dataclass(frozen=True, slots=True)
class City:
    """A provincial capital or a larger town, inside one district of one province."""

    code: str  # a stable slug, "lashkar-gah"
    name_en: str
    name_fa: str
    name_ps: str
    variants: tuple[str, ...]
    kind: Literal["provincial_capital", "town"]
    province_code: str
    district_code: str
    latitude: float
    longitude: float
    geonameid: int | None
    population: int | None

    def name(self, language: str) -> str:
        if language == "fa" and self.name_fa:
            return self.name_fa
        if language == "ps" and self.name_ps:
            return self.name_ps
        return self.name_en


@dataclass(frozen=True, slots=True)
class PlaceName:
    """One way of writing one place: what the situation-report finder looks for."""

    text: str
    kind: PlaceKind
    code: str  # ISO code for a province, district code, city slug
    province_code: str
    district_code: str | None  # the district itself, or the city's district
    language: Literal["en", "fa", "ps"]


def _rows(filename: str) -> list[dict[str, str]]:
    source = resources.files("safepassage.data").joinpath("gazetteer", filename)
    with source.open("r", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _variants(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.split("|") if v)


@functools.cache
def provinces() -> dict[str, Province]:
    """All 34 provinces by ISO 3166-2:AF code, in English alphabetical order."""
    return {
        row["iso_3166_2"]: Province(
            code=row["iso_3166_2"],
            name_en=row["name_en"],
            name_fa=row["name_fa"],
            name_ps=row["name_ps"],
            variants=_variants(row["name_en_variants"]),
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
            capital_en=row["capital_en"],
        )
        for row in sorted(_rows("provinces.csv"), key=lambda r: r["name_en"])
    }


@functools.cache
def districts() -> dict[str, District]:
    """All 398 districts by code, ordered by province then name."""
    return {
        row["code"]: District(
            code=row["code"],
            province_code=row["province_iso_3166_2"],
            name_en=row["name_en"],
            name_fa=row["name_fa"],
            variants=_variants(row["name_en_variants"]),
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
            name_ps=row.get("name_ps", ""),
            name_ps_is_dari=not row.get("name_ps_source", "").startswith("curated"),
        )
        for row in sorted(
            _rows("districts.csv"), key=lambda r: (r["province_name_en"], r["name_en"])
        )
    }


def districts_of(province_code: str) -> list[District]:
    return [d for d in districts().values() if d.province_code == province_code]


def _optional_int(value: str) -> int | None:
    return int(value) if value else None


@functools.cache
def cities() -> dict[str, City]:
    """Every provincial capital and the larger towns, by code, ordered by English name."""
    return {
        row["code"]: City(
            code=row["code"],
            name_en=row["name_en"],
            name_fa=row["name_fa"],
            name_ps=row["name_ps"],
            variants=_variants(row["name_en_variants"]),
            kind="provincial_capital" if row["kind"] == "provincial_capital" else "town",
            province_code=row["province_iso_3166_2"],
            district_code=row["district_code"],
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
            geonameid=_optional_int(row["geonameid"]),
            population=_optional_int(row["population"]),
        )
        for row in sorted(_rows("cities.csv"), key=lambda r: r["name_en"])
    }


def cities_of(province_code: str) -> list[City]:
    return [c for c in cities().values() if c.province_code == province_code]


def province(code: str) -> Province | None:
    """The province with ISO 3166-2:AF ``code`` ("AF-HEL"), or None."""
    return provinces().get(code)


def district(code: str) -> District | None:
    """The district with gazetteer ``code``, or None."""
    return districts().get(code)


def city(code: str) -> City | None:
    """The city or town with ``code`` ("lashkar-gah"), or None."""
    return cities().get(code)


@functools.cache
def boundaries(level: Literal["province", "district"]) -> Mapping[str, Any]:
    """The simplified boundaries of every province or district as a GeoJSON
    FeatureCollection (properties: ``iso_3166_2``/``name_en`` for provinces,
    ``code``/``name_en``/``province_iso_3166_2`` for districts), for drawing maps offline.
    The mapping is shared: do not modify it."""
    filename = {"province": "provinces.geojson", "district": "districts.geojson"}[level]
    source = resources.files("safepassage.data").joinpath("gazetteer", filename)
    with source.open("r", encoding="utf-8") as handle:
        collection: dict[str, Any] = json.load(handle)
    return collection


@functools.cache
def place_names() -> tuple[PlaceName, ...]:
    """Every spelling of every province, district and city: English name and variants,
    Dari and Pashto names (a Pashto name equal to the Dari one is listed once, as Dari)."""
    names: list[PlaceName] = []

    def add(
        kind: PlaceKind,
        code: str,
        province_code: str,
        district_code: str | None,
        english: tuple[str, ...],
        dari: str,
        pashto: str,
    ) -> None:
        names.extend(
            PlaceName(text, kind, code, province_code, district_code, "en")
            for text in dict.fromkeys(english)
        )
        if dari:
            names.append(PlaceName(dari, kind, code, province_code, district_code, "fa"))
        if pashto and pashto != dari:
            names.append(PlaceName(pashto, kind, code, province_code, district_code, "ps"))

    for p in provinces().values():
        add(
            PlaceKind.PROVINCE, p.code, p.code, None, (p.name_en, *p.variants), p.name_fa, p.name_ps
        )
    for d in districts().values():
        add(
            PlaceKind.DISTRICT,
            d.code,
            d.province_code,
            d.code,
            (d.name_en, *d.variants),
            d.name_fa,
            d.name_ps,
        )
    for c in cities().values():
        add(
            PlaceKind.CITY,
            c.code,
            c.province_code,
            c.district_code,
            (c.name_en, *c.variants),
            c.name_fa,
            c.name_ps,
        )
    return tuple(names)
