"""Afghanistan's provinces and districts from the gazetteer shipped in ``safepassage.data``."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True, slots=True)
class Province:
    code: str  # ISO 3166-2:AF
    name_en: str
    name_fa: str
    name_ps: str
    variants: tuple[str, ...]
    latitude: float
    longitude: float

    def name(self, language: str) -> str:
        if language == "fa" and self.name_fa:
            return self.name_fa
        if language == "ps" and self.name_ps:
            return self.name_ps
        return self.name_en


@dataclass(frozen=True, slots=True)
class District:
    code: str
    province_code: str
    name_en: str
    name_fa: str
    variants: tuple[str, ...]
    latitude: float
    longitude: float

    def name(self, language: str) -> str:
        if language in ("fa", "ps") and self.name_fa:
            return self.name_fa
        return self.name_en


def _rows(filename: str) -> list[dict[str, str]]:
    source = resources.files("safepassage.data").joinpath("gazetteer", filename)
    with source.open("r", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def provinces() -> dict[str, Province]:
    return {
        row["iso_3166_2"]: Province(
            code=row["iso_3166_2"],
            name_en=row["name_en"],
            name_fa=row["name_fa"],
            name_ps=row["name_ps"],
            variants=tuple(v for v in row["name_en_variants"].split("|") if v),
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
        )
        for row in sorted(_rows("provinces.csv"), key=lambda r: r["name_en"])
    }


@functools.cache
def districts() -> dict[str, District]:
    return {
        row["code"]: District(
            code=row["code"],
            province_code=row["province_iso_3166_2"],
            name_en=row["name_en"],
            name_fa=row["name_fa"],
            variants=tuple(v for v in row["name_en_variants"].split("|") if v),
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
        )
        for row in sorted(
            _rows("districts.csv"), key=lambda r: (r["province_name_en"], r["name_en"])
        )
    }


def districts_of(province_code: str) -> list[District]:
    return [d for d in districts().values() if d.province_code == province_code]
