"""The shipped gazetteer: provinces, districts, cities and towns, names and boundaries."""

from __future__ import annotations

import pytest

from safepassage.engine import places
from safepassage.engine.places import PlaceKind


def test_there_are_34_provinces_with_iso_codes_and_names_in_three_languages() -> None:
    provinces = places.provinces()
    assert len(provinces) == 34
    for code, province in provinces.items():
        assert code.startswith("AF-")
        assert province.name_en and province.name_fa and province.name_ps


def test_there_are_398_districts_each_in_a_known_province() -> None:
    districts = places.districts()
    assert len(districts) == 398
    assert {d.province_code for d in districts.values()} == set(places.provinces())


def test_every_district_with_a_dari_name_has_a_pashto_name_curated_or_dari() -> None:
    districts = places.districts().values()
    for district in districts:
        if district.name_fa:
            assert district.name_ps
            if district.name_ps_is_dari:
                assert district.name_ps == district.name_fa
    lashkar_gah = next(d for d in districts if d.name_en == "Lashkar Gah")
    assert lashkar_gah.name("ps") == "لښکرګاه"
    assert not lashkar_gah.name_ps_is_dari
    assert lashkar_gah.name("fa") == "لشکرگاه"


def test_every_province_has_its_capital_among_the_cities() -> None:
    capitals = [c for c in places.cities().values() if c.kind == "provincial_capital"]
    assert {c.province_code for c in capitals} == set(places.provinces())
    assert len(capitals) == 34


@pytest.mark.parametrize(
    ("name", "province_code"),
    [
        ("Lashkar Gah", "AF-HEL"),
        ("Kandahar", "AF-KAN"),
        ("Mazar-i-Sharif", "AF-BAL"),
        ("Kunduz", "AF-KDZ"),
        ("Herat", "AF-HER"),
        ("Jalalabad", "AF-NAN"),
        ("Ghazni", "AF-GHA"),
        ("Khost", "AF-KHO"),
        ("Sangin", "AF-HEL"),
        ("Musa Qala", "AF-HEL"),
        ("Spin Boldak", "AF-KAN"),
        ("Pul-i-Khumri", "AF-BGL"),
    ],
)
def test_larger_towns_are_listed_in_their_province(name: str, province_code: str) -> None:
    town = next(c for c in places.cities().values() if c.name_en == name)
    assert town.province_code == province_code
    assert places.district(town.district_code) is not None
    assert places.districts()[town.district_code].province_code == province_code
    assert town.name_fa and town.name_ps


def test_every_city_lies_inside_afghanistan_and_inside_its_district_province() -> None:
    for town in places.cities().values():
        assert 29.0 <= town.latitude <= 39.0
        assert 60.0 <= town.longitude <= 75.5
        assert places.districts()[town.district_code].province_code == town.province_code


def test_lookups_by_code_return_the_place_or_none() -> None:
    assert places.province("AF-HEL") is not None
    assert places.province("AF-HEL").name_en == "Helmand"  # type: ignore[union-attr]
    assert places.province("AF-XXX") is None
    assert places.city("lashkar-gah") is not None
    assert places.city("washington") is None
    some_district = next(iter(places.districts()))
    assert places.district(some_district) is places.districts()[some_district]
    assert places.district("nope") is None
    assert {c.code for c in places.cities_of("AF-HEL")} >= {"lashkar-gah", "sangin", "musa-qala"}


def test_the_existing_loaders_keep_working_for_intake_and_cases() -> None:
    helmand_districts = places.districts_of("AF-HEL")
    assert len(helmand_districts) == 13
    assert all(d.province_code == "AF-HEL" for d in helmand_districts)
    assert places.provinces()["AF-KAB"].name("fa") == "کابل"


def test_boundaries_cover_every_province_and_district() -> None:
    province_shapes = places.boundaries("province")
    district_shapes = places.boundaries("district")
    assert province_shapes["type"] == "FeatureCollection"
    assert {f["properties"]["iso_3166_2"] for f in province_shapes["features"]} == set(
        places.provinces()
    )
    assert {f["properties"]["code"] for f in district_shapes["features"]} == set(places.districts())


def test_place_names_list_english_variants_dari_and_pashto() -> None:
    names = places.place_names()
    lashkar_gah = {n.text for n in names if n.kind is PlaceKind.CITY and n.code == "lashkar-gah"}
    assert {"Lashkar Gah", "Lashkargah", "لشکرگاه", "لښکرګاه"} <= lashkar_gah
    assert any(n.language == "ps" for n in names)
