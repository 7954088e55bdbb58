"""Provinces and districts for synthetic people, read once from the gazetteer shipped in
``safepassage.data`` (gazetteer/provinces.csv and districts.csv; see SOURCES.md there)."""

from __future__ import annotations

import bisect
import csv
import functools
import io
import itertools
import random
from dataclasses import dataclass
from importlib import resources

__all__ = ["Province", "pick_district", "pick_province", "province_by_code", "provinces"]

# Rough relative weights of where applicants come from: population (largest provinces) plus
# the provinces with the big foreign bases and offices (Kabul, Kandahar, Helmand, Parwan for
# Bagram, Nangarhar, Khost). An assumption for test data, not a statistic. Default 1.
_PROVINCE_WEIGHTS: dict[str, float] = {
    "AF-KAB": 14.0,
    "AF-KAN": 6.0,
    "AF-HEL": 5.0,
    "AF-NAN": 5.0,
    "AF-HER": 5.0,
    "AF-BAL": 4.0,
    "AF-GHA": 3.0,
    "AF-KDZ": 3.0,
    "AF-PAR": 3.0,
    "AF-KHO": 2.5,
    "AF-PIA": 2.0,
    "AF-TAK": 2.0,
    "AF-BDS": 2.0,
    "AF-BGL": 2.0,
    "AF-LOG": 1.5,
    "AF-WAR": 1.5,
    "AF-LAG": 1.5,
    "AF-FYB": 1.5,
    "AF-KNR": 1.5,
    "AF-NIM": 0.5,
    "AF-NUR": 0.5,
    "AF-PAN": 0.7,
}

# Share of a province's people who live in (or give as birthplace) the capital's district.
_CAPITAL_DISTRICT_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class Province:
    """A province with its district codes; ``capital_district`` is the code of the district
    nearest the provincial capital, or "" when the gazetteer has no capital coordinates."""

    code: str
    name_en: str
    weight: float
    districts: tuple[str, ...]
    capital_district: str


def _read_csv(name: str) -> list[dict[str, str]]:
    text = (resources.files("safepassage.data") / "gazetteer" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _nearest(districts: list[tuple[str, float, float]], point: tuple[float, float]) -> str:
    """Code of the district whose centroid is nearest ``point`` (lat, lon); flat distance is
    enough to tell neighbouring districts apart."""
    lat, lon = point
    return min(districts, key=lambda d: (d[1] - lat) ** 2 + (d[2] - lon) ** 2)[0]


@functools.cache
def provinces() -> tuple[Province, ...]:
    """The 34 provinces, in gazetteer order, each with its districts. Read once, then cached."""
    districts_by_province: dict[str, list[tuple[str, float, float]]] = {}
    for row in _read_csv("districts.csv"):
        districts_by_province.setdefault(row["province_iso_3166_2"], []).append(
            (row["code"], float(row["lat"]), float(row["lon"]))
        )
    result = []
    for row in _read_csv("provinces.csv"):
        code = row["iso_3166_2"]
        districts = districts_by_province.get(code, [])
        capital_district = ""
        if row["capital_lat"] and row["capital_lon"] and districts:
            point = float(row["capital_lat"]), float(row["capital_lon"])
            capital_district = _nearest(districts, point)
        result.append(
            Province(
                code=code,
                name_en=row["name_en"],
                weight=_PROVINCE_WEIGHTS.get(code, 1.0),
                districts=tuple(d[0] for d in districts),
                capital_district=capital_district,
            )
        )
    return tuple(result)


@functools.cache
def _cumulative_weights() -> tuple[float, ...]:
    return tuple(itertools.accumulate(province.weight for province in provinces()))


def pick_province(rng: random.Random) -> Province:
    """A province, weighted by where applicants tend to come from."""
    cumulative = _cumulative_weights()
    index = bisect.bisect(cumulative, rng.random() * cumulative[-1])
    return provinces()[min(index, len(cumulative) - 1)]


def province_by_code(code: str) -> Province:
    """The province with ISO 3166-2 ``code``; KeyError if there is none."""
    return _by_code()[code]


@functools.cache
def _by_code() -> dict[str, Province]:
    return {province.code: province for province in provinces()}


def pick_district(rng: random.Random, province: Province) -> str:
    """A district code in ``province``; the capital's district takes a larger share."""
    if province.capital_district and rng.random() < _CAPITAL_DISTRICT_SHARE:
        return province.capital_district
    return rng.choice(province.districts) if province.districts else ""
