"""The offline map of district risk: an inline SVG drawn on the server from the simplified
district boundaries shipped in ``safepassage.data`` (no tiles, no external requests, no
script or style attributes, so the page's content security policy holds).

Colour is never the only carrier: each district has a ``<title>`` (name, level, score) read
by screen readers and shown on hover, districts at high and critical risk are labelled on
the map, the legend names every level, and the page lists the districts in a table.
Without the boundary file the map falls back to a dot per district centroid.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from safepassage.engine import places

WIDTH = 960
_LON = (60.45, 74.95)
_LAT = (29.35, 38.52)
_COS = math.cos(math.radians((_LAT[0] + _LAT[1]) / 2))
_SCALE = WIDTH / ((_LON[1] - _LON[0]) * _COS)
HEIGHT = round((_LAT[1] - _LAT[0]) * _SCALE)

# Colour-blind-safe sequential scale (light to dark), and text that reads on each.
LEVEL_COLOURS: Mapping[str, str] = {
    "low": "#fef0d9",
    "medium": "#fdcc8a",
    "high": "#fc8d59",
    "critical": "#b30000",
}
NO_DATA_COLOUR = "#f4f4f4"
LABELLED_LEVELS = frozenset({"high", "critical"})


def _point(lon: float, lat: float) -> tuple[float, float]:
    return (round((lon - _LON[0]) * _COS * _SCALE, 1), round((_LAT[1] - lat) * _SCALE, 1))


def _rings(geometry: Mapping[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _path(geometry: Mapping[str, Any]) -> str:
    parts = []
    for ring in _rings(geometry):
        points = [_point(lon, lat) for lon, lat, *_ in ring]
        if len(points) < 3:
            continue
        head, *tail = points
        parts.append(f"M{head[0]} {head[1]}" + "".join(f"L{x} {y}" for x, y in tail) + "Z")
    return "".join(parts)


@functools.cache
def district_paths() -> dict[str, str]:
    """District code -> SVG path data (empty when no boundary file is shipped)."""
    try:
        collection = places.boundaries("district")
    except FileNotFoundError:
        return {}
    return {
        str(feature["properties"]["code"]): _path(feature["geometry"])
        for feature in collection.get("features", [])
    }


@functools.cache
def province_paths() -> dict[str, str]:
    try:
        collection = places.boundaries("province")
    except FileNotFoundError:
        return {}
    return {
        str(feature["properties"]["iso_3166_2"]): _path(feature["geometry"])
        for feature in collection.get("features", [])
    }


@dataclass(frozen=True)
class MapDistrict:
    code: str
    level: str | None  # None: no risk computed
    score: float | None


def level_label(level: str | None) -> str:
    from safepassage.threat.models import RiskLevelChoice

    if level is None:
        return _("not computed")
    return str(RiskLevelChoice(level).label)


def risk_map_svg(risks: Mapping[str, MapDistrict], *, language: str, title: str) -> SafeString:
    """The SVG of every district coloured by its level; ``risks`` by district code."""
    paths = district_paths()
    items: list[str] = []
    labels: list[str] = []
    for code, district in places.districts().items():
        risk = risks.get(code)
        level = risk.level if risk else None
        colour = LEVEL_COLOURS.get(level or "", NO_DATA_COLOUR)
        name = district.name(language)
        province = places.provinces()[district.province_code].name(language)
        if risk and risk.score is not None:
            tooltip = _("%(district)s (%(province)s): %(level)s risk, score %(score)s") % {
                "district": name,
                "province": province,
                "level": level_label(level),
                "score": f"{risk.score:.0f}",
            }
        else:
            tooltip = _("%(district)s (%(province)s): risk not computed") % {
                "district": name,
                "province": province,
            }
        href = reverse("threat:district", args=[code])
        x, y = _point(district.longitude, district.latitude)
        shape = (
            f'<path d="{paths[code]}"' if paths.get(code) else f'<circle cx="{x}" cy="{y}" r="5"'
        )
        items.append(
            f'<a href="{escape(href)}" data-level="{level or "none"}">'
            f'{shape} fill="{colour}" stroke="#6b6b6b" stroke-width="0.4">'
            f"<title>{escape(tooltip)}</title>"
            f"{'</path>' if paths.get(code) else '</circle>'}</a>"
        )
        if level in LABELLED_LEVELS:
            labels.append(
                f'<text x="{x}" y="{y}" font-size="11" text-anchor="middle" '
                f'fill="#000" stroke="#fff" stroke-width="3" paint-order="stroke">'
                f"{escape(name)}</text>"
            )
    outlines = "".join(
        f'<path d="{d}" fill="none" stroke="#333" stroke-width="1"/>'
        for d in province_paths().values()
    )
    svg = (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="risk-map-title" class="risk-map">'
        f'<title id="risk-map-title">{escape(title)}</title>'
        f'<g class="districts">{"".join(items)}</g>'
        f'<g class="provinces" aria-hidden="true">{outlines}</g>'
        f'<g class="labels" aria-hidden="true" font-family="sans-serif">{"".join(labels)}</g>'
        "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text inside is escaped above


def legend() -> list[tuple[str, str, str]]:
    """(level, colour, label) for the legend, lowest first, then "not computed"."""
    rows = [(level, colour, level_label(level)) for level, colour in LEVEL_COLOURS.items()]
    return [*rows, ("none", NO_DATA_COLOUR, level_label(None))]
