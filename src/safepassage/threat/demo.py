"""Demo threat picture: where the demo households are now, a generated conflict-event file
imported through the real ACLED importer, a few changes of district control, then the risk of
every district and the priority of every case computed as the background jobs would.

Demo only: the events are invented (realistic kinds, places and dates of the summer of
2021, moved to the last four months so recency counts); nothing here describes real people.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import Any

from django.utils import timezone

from safepassage.cases.household import case_household_set
from safepassage.cases.models import Case
from safepassage.core.models import Organization
from safepassage.engine.places import districts, provinces

# (province, district name, weight): where demo households and events are, most of them in
# the south and in Kabul as in 2021.
_PLACES = (
    ("AF-HEL", "Lashkar Gah", 6),
    ("AF-HEL", "Nad Ali", 2),
    ("AF-HEL", "Sangin", 1),
    ("AF-KAN", "Kandahar", 4),
    ("AF-KAB", "Kabul", 8),
    ("AF-NAN", "Jalalabad", 3),
    ("AF-KDZ", "Kunduz", 3),
    ("AF-BAL", "Mazar-e Sharif", 2),
    ("AF-HER", "Hirat", 2),
    ("AF-GHA", "Ghazni", 2),
    ("AF-KHO", "Khost", 1),
    ("AF-BAM", "Bamyan", 1),
)
# ACLED (event_type, sub_event_type, fatalities range, note) of the kinds the risk counts.
_EVENTS = (
    ("Battles", "Armed clash", (0, 15), "Taliban fighters clashed with ANDSF."),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", (0, 6), "An IED exploded."),
    (
        "Violence against civilians",
        "Attack",
        (1, 1),
        "Unidentified gunmen shot dead a man who had worked as an interpreter for US forces.",
    ),
    (
        "Violence against civilians",
        "Abduction/forced disappearance",
        (0, 0),
        "Taliban abducted a former interpreter of foreign forces.",
    ),
    (
        "Strategic developments",
        "Non-violent transfer of territory",
        (0, 0),
        "Taliban took over the district centre.",
    ),
)
_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "fatalities",
    "notes",
    "source",
]


def _district_code(province: str, name: str) -> str:
    wanted = name.casefold()
    for district in districts().values():
        names = {district.name_en.casefold(), *(v.casefold() for v in district.variants)}
        if district.province_code == province and wanted in names:
            return district.code
    # A city that is not a district name: the province's first district (demo only).
    return next(d.code for d in districts().values() if d.province_code == province)


def _acled_file(rng: random.Random, places: list[tuple[str, str]], today: dt.date) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_COLUMNS)
    for number in range(120):
        province, code = rng.choices(places, weights=[w for *_x, w in _PLACES])[0]
        district = districts()[code]
        event_type, sub_type, (low, high), note = rng.choice(_EVENTS)
        day = today - dt.timedelta(days=rng.randint(0, 120))
        writer.writerow(
            [
                f"DEMO{number:05d}",
                day.strftime("%d %B %Y"),
                event_type,
                sub_type,
                "Afghanistan",
                provinces()[province].name_en,
                district.name_en,
                district.name_en,
                f"{district.latitude:.4f}",
                f"{district.longitude:.4f}",
                rng.randint(low, high),
                note,
                "Demo data",
            ]
        )
    return out.getvalue().encode()


def demo_threat(*, organization: Organization, actor: Any, seed: int = 2021) -> None:
    """Give the organisation's demo cases a place and threats, import generated events,
    record changes of control, and compute risk and priority."""
    from safepassage.threat.priority import priority_recompute_all
    from safepassage.threat.risk import district_risk_refresh
    from safepassage.threat.services import conflict_file_import, control_change_record

    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    places = [(province, _district_code(province, name)) for province, name, _w in _PLACES]
    categories = ("threat_letter", "phone_threats", "house_search", "family_attack", "detained")
    for case in Case.objects.filter(organization=organization, erased_at__isnull=True):
        province, code = rng.choices(places, weights=[w for *_x, w in _PLACES])[0]
        case_household_set(
            actor=actor,
            case=case,
            data={
                "current_province": province,
                "current_district": code,
                "threat_categories": rng.sample(categories, rng.randint(0, 3)),
                "medical_needs": rng.random() < 0.1,
                "disability": rng.random() < 0.05,
            },
        )
    conflict_file_import(
        actor=actor,
        organization=organization,
        file_name="demo-acled.csv",
        content=_acled_file(rng, places, today),
    )
    for (_province, code), state, days_ago in zip(
        places[:6],
        ("contested", "taliban", "contested", "government", "taliban", "contested"),
        (40, 25, 60, 90, 10, 30),
        strict=True,
    ):
        control_change_record(
            actor=actor,
            organization=organization,
            district=code,
            day=today - dt.timedelta(days=days_ago),
            state=state,
            source="Demo data",
        )
    district_risk_refresh(district_codes=None, day=today)
    priority_recompute_all(today=today)
