"""Conflict event files (ACLED CSV export, UCDP GED CSV): columns to events, names to places.

Pure Python. A file is parsed row by row: good rows become :class:`ImportedEvent` values,
bad rows are reported by physical line number and a stable code (never by their contents),
and rows outside Afghanistan are reported as such and left out. Names of provinces and
districts (``admin1``/``admin2`` in ACLED, ``adm_1``/``adm_2`` in UCDP) are matched against
the shipped gazetteer (``engine.places``) with spelling variants; where a district name is
missing or unknown, the nearest district centroid to the row's coordinates stands in.

Column lists follow the publishers' codebooks: ACLED's export (``event_id_cnty``,
``event_date``, ``year``, ``time_precision``, ``disorder_type``, ``event_type``,
``sub_event_type``, ``actor1`` ... ``iso``, ``region``, ``country``, ``admin1`` ...
``latitude``, ``longitude``, ``geo_precision``, ``source``, ``source_scale``, ``notes``,
``fatalities``, ``tags``, ``timestamp``) and UCDP GED's (``id``, ``relid``, ``year``,
``type_of_violence``, ``side_a``, ``side_b``, ``source_article``, ``where_prec``,
``where_coordinates``, ``adm_1``, ``adm_2``, ``latitude``, ``longitude``, ``country``,
``country_id``, ``date_prec``, ``date_start``, ``date_end``, ``best``, ``high``, ``low`` ...).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import io
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from safepassage.engine.places import District, districts, provinces
from safepassage.engine.threat import EventKind

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000


class ConflictFormat(StrEnum):
    ACLED = "acled"
    UCDP = "ucdp"


class RowProblem(StrEnum):
    """Why a row was not kept; stable codes shown to staff and stored with the batch."""

    MISSING_ID = "missing_id"
    DUPLICATE_ID = "duplicate_id"  # the same event id twice in one file
    MISSING_DATE = "missing_date"
    BAD_DATE = "bad_date"
    NOT_AFGHANISTAN = "not_afghanistan"
    UNKNOWN_PROVINCE = "unknown_province"
    BAD_FATALITIES = "bad_fatalities"
    BAD_ROW = "bad_row"  # wrong number of fields, unreadable text


class FileProblem(StrEnum):
    """Why a whole file cannot be read."""

    NOT_TEXT = "not_text"
    TOO_LARGE = "too_large"
    EMPTY = "empty"
    UNKNOWN_FORMAT = "unknown_format"
    MISSING_COLUMNS = "missing_columns"
    TOO_MANY_ROWS = "too_many_rows"


class ConflictFileError(ValueError):
    """The file as a whole cannot be read; ``problem`` says why."""

    def __init__(self, problem: FileProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class ImportedEvent:
    """One event of a conflict file, placed in the gazetteer."""

    line: int
    source_event_id: str
    day: dt.date
    province: str  # ISO 3166-2:AF
    district: str | None  # gazetteer code, None when unknown
    place_text: str  # the place as the file names it
    kind: EventKind
    fatalities: int
    targets_affiliates: bool
    confidence: float  # 0..1
    notes: str


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    problem: RowProblem


@dataclass(frozen=True, slots=True)
class ParsedConflictFile:
    format: ConflictFormat
    events: tuple[ImportedEvent, ...]
    bad_rows: tuple[BadRow, ...]

    @property
    def rows(self) -> int:
        return len(self.events) + len(self.bad_rows)


ACLED_REQUIRED = frozenset(
    {
        "event_id_cnty",
        "event_date",
        "event_type",
        "sub_event_type",
        "admin1",
        "admin2",
        "location",
        "latitude",
        "longitude",
        "fatalities",
        "notes",
    }
)
UCDP_REQUIRED = frozenset(
    {
        "id",
        "date_start",
        "type_of_violence",
        "adm_1",
        "adm_2",
        "where_coordinates",
        "latitude",
        "longitude",
        "best",
        "country",
    }
)

# ACLED (event_type, sub_event_type) -> kind; sub-event types are ACLED's codebook names.
_ACLED_SUB_EVENT_KIND: Mapping[str, EventKind] = {
    "armed clash": EventKind.ARMED_CLASH,
    "government regains territory": EventKind.CONTROL_CHANGE,
    "non-state actor overtakes territory": EventKind.CONTROL_CHANGE,
    "non-violent transfer of territory": EventKind.CONTROL_CHANGE,
    "abduction/forced disappearance": EventKind.ABDUCTION,
    "arrests": EventKind.CHECKPOINT_ARREST,
}
_ACLED_EVENT_KIND: Mapping[str, EventKind] = {
    "battles": EventKind.ARMED_CLASH,
    "explosions/remote violence": EventKind.EXPLOSION,
}
# UCDP type_of_violence: 1 state-based, 2 non-state, 3 one-sided (against civilians).
_UCDP_VIOLENCE_KIND: Mapping[str, EventKind] = {
    "1": EventKind.ARMED_CLASH,
    "2": EventKind.ARMED_CLASH,
    "3": EventKind.TARGETED_KILLING,
}

# Neither publisher codes whether the victims were affiliated with foreign forces; their
# notes and headlines often say so ("a former ANA soldier", "an interpreter for US forces").
_AFFILIATE_WORDS = re.compile(
    r"\b(?:interpreters?|translators?|SIV|"
    r"former (?:ANDSF|ANA|ANP|NDS|ALP|soldiers?|police(?:m[ae]n)?|army|government|"
    r"security|military|intelligence|commandos?|officials?|members?)|"
    r"(?:worked|working|work) (?:for|with) (?:the )?"
    r"(?:US|U\.S\.|American|foreign|coalition|NATO|ISAF|international)\b)",
    re.IGNORECASE,
)
_THREAT_LETTER_WORDS = re.compile(r"\b(?:night letters?|threat(?:ening)? letters?)\b", re.I)
_HOUSE_SEARCH_WORDS = re.compile(
    r"\b(?:house searche?s?|searched (?:the |his |her |their )?homes?|door-to-door)\b", re.I
)
_CHECKPOINT_WORDS = re.compile(r"\bcheckpoints?\b", re.I)

# Afghanistan's extent with a margin: coordinates outside it cannot place a row.
_LATITUDES = (29.0, 39.0)
_LONGITUDES = (60.0, 75.5)


# --- places -------------------------------------------------------------------------------

_SUFFIXES = re.compile(
    r"\b(?:province|provinces|district|districts|city|town|wilayat|welayat|woluswali|"
    r"wuluswali|uluswali|center|centre|markaz)\b"
)
_LINKING_VOWELS = frozenset({"e", "i", "ye", "yi"})


def place_key(name: str) -> str:
    """A spelling-tolerant key: no accents, case, punctuation, suffixes such as "district",
    Persian linking vowels ("Nad-e Ali" = "Nad Ali") or doubled letters."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[\-'`’‘_.,()/]", " ", text)
    text = _SUFFIXES.sub(" ", text)
    words = [w for w in text.split() if w not in _LINKING_VOWELS]
    compact = "".join(words)
    return re.sub(r"(.)\1+", r"\1", compact)


@dataclass(frozen=True, slots=True)
class _PlaceIndex:
    province_by_key: Mapping[str, str]
    district_by_key: Mapping[tuple[str, str], str]  # (province, key) -> district code
    districts_by_key: Mapping[str, tuple[str, ...]]  # key -> district codes, any province


@functools.cache
def _index() -> _PlaceIndex:
    province_by_key: dict[str, str] = {}
    for province in provinces().values():
        for name in (province.name_en, province.name_fa, province.name_ps, *province.variants):
            if name:
                province_by_key.setdefault(place_key(name), province.code)
        province_by_key.setdefault(place_key(province.code), province.code)
    district_by_key: dict[tuple[str, str], str] = {}
    districts_by_key: dict[str, list[str]] = {}
    for district in districts().values():
        for name in (district.name_en, district.name_fa, *district.variants):
            if not name:
                continue
            key = place_key(name)
            district_by_key.setdefault((district.province_code, key), district.code)
            codes = districts_by_key.setdefault(key, [])
            if district.code not in codes:
                codes.append(district.code)
    return _PlaceIndex(
        province_by_key=province_by_key,
        district_by_key=district_by_key,
        districts_by_key={key: tuple(codes) for key, codes in districts_by_key.items()},
    )


def province_code_for(name: str) -> str | None:
    """The ISO 3166-2:AF code of a province name (any listed spelling), or None."""
    key = place_key(name)
    if not key:
        return None
    return _index().province_by_key.get(key)


def district_code_for(name: str, province: str | None) -> str | None:
    """The gazetteer code of a district name within ``province`` (or anywhere, when the name
    is unique in the country). Close misspellings within the province match too."""
    key = place_key(name)
    if not key:
        return None
    index = _index()
    if province:
        exact = index.district_by_key.get((province, key))
        if exact:
            return exact
        candidates = {k: code for (p, k), code in index.district_by_key.items() if p == province}
        close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.85)
        return candidates[close[0]] if close else None
    codes = index.districts_by_key.get(key, ())
    return codes[0] if len(codes) == 1 else None


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def nearest_district(latitude: float, longitude: float, province: str | None = None) -> District:
    """The district whose centroid is nearest to a point (within ``province`` if given).

    Centroids, not polygons: conflict files place most events at a town or district centre,
    where the nearest centroid is the district itself; a border village may land next door.
    """
    pool = [d for d in districts().values() if province is None or d.province_code == province]
    if not pool:
        pool = list(districts().values())
    return min(pool, key=lambda d: _distance_km(latitude, longitude, d.latitude, d.longitude))


def _coordinates(latitude: str, longitude: str) -> tuple[float, float] | None:
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        return None
    if not (_LATITUDES[0] <= lat <= _LATITUDES[1] and _LONGITUDES[0] <= lon <= _LONGITUDES[1]):
        return None
    return lat, lon


def _place(
    admin1: str, admin2: str, point: tuple[float, float] | None
) -> tuple[str, str | None] | None:
    """(province, district or None) for a row, or None when no province can be had."""
    province = province_code_for(admin1) if admin1.strip() else None
    district = district_code_for(admin2, province) if admin2.strip() else None
    if district is not None:
        return districts()[district].province_code, district
    if point is not None:
        nearest = nearest_district(*point, province=province)
        if province is None or nearest.province_code == province:
            return nearest.province_code, nearest.code
    if province is None:
        return None
    return province, None


# --- values -------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%Y/%m/%d")


def _parse_day(text: str) -> dt.date:
    """A Gregorian date as ACLED (``04 August 2021`` in exports, ISO through the API) or
    UCDP (``2021-08-04`` or ``2021-08-04 00:00:00.000``) write it; ValueError otherwise."""
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", value):
        value = value[:10]
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    raise ValueError("not a date")


def _parse_count(text: str) -> int:
    value = text.strip()
    if not value:
        return 0
    if not re.fullmatch(r"\d{1,6}(\.0+)?", value):
        raise ValueError("not a count")
    return int(float(value))


def _refine_kind(kind: EventKind, text: str) -> EventKind:
    """The publishers' types are broad; a few words in the notes name the staff's kinds."""
    if _THREAT_LETTER_WORDS.search(text):
        return EventKind.THREAT_LETTER
    if _HOUSE_SEARCH_WORDS.search(text):
        return EventKind.HOUSE_SEARCH
    if kind is EventKind.CHECKPOINT_ARREST or (
        kind is EventKind.OTHER and _CHECKPOINT_WORDS.search(text)
    ):
        return EventKind.CHECKPOINT_ARREST
    return kind


def acled_kind(event_type: str, sub_event_type: str, fatalities: int, notes: str) -> EventKind:
    """ACLED's event and sub-event type as a kind of event.

    Violence against civilians that killed is a targeted killing; "Attack" without deaths,
    protests, riots and most strategic developments are "other".
    """
    sub = sub_event_type.strip().casefold()
    event = event_type.strip().casefold()
    kind = _ACLED_SUB_EVENT_KIND.get(sub) or _ACLED_EVENT_KIND.get(event)
    if kind is None:
        if event == "violence against civilians" and fatalities > 0:
            kind = EventKind.TARGETED_KILLING
        else:
            kind = EventKind.OTHER
    return _refine_kind(kind, notes)


def ucdp_kind(type_of_violence: str, text: str) -> EventKind:
    kind = _UCDP_VIOLENCE_KIND.get(type_of_violence.strip(), EventKind.OTHER)
    if re.search(r"\b(?:IED|bomb(?:ing)?|explosions?|suicide|blast|air ?strikes?)\b", text, re.I):
        kind = EventKind.EXPLOSION
    return _refine_kind(kind, text)


# Fighting between armed forces and a change of control target no one in particular.
_UNTARGETED_KINDS = frozenset({EventKind.ARMED_CLASH, EventKind.CONTROL_CHANGE})


def targets_affiliates(kind: EventKind, text: str) -> bool:
    """Whether an event aimed at people affiliated with foreign forces or the former
    government: its description names such victims (interpreters, former ANDSF members,
    people who worked for US forces) and it is not a clash or a change of control."""
    return kind not in _UNTARGETED_KINDS and bool(_AFFILIATE_WORDS.search(text))


def _precision_confidence(precision: str) -> float:
    """ACLED geo_precision / UCDP where_prec: 1 exact, 2 near, 3 district, 4+ province."""
    return {"1": 0.95, "2": 0.9, "3": 0.8}.get(precision.strip(), 0.7)


# --- files --------------------------------------------------------------------------------


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_FILE_BYTES:
        raise ConflictFileError(FileProblem.TOO_LARGE)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConflictFileError(FileProblem.NOT_TEXT) from exc


def detect_format(header: list[str]) -> ConflictFormat:
    columns = {c.strip().casefold() for c in header}
    if columns >= ACLED_REQUIRED:
        return ConflictFormat.ACLED
    if columns >= UCDP_REQUIRED:
        return ConflictFormat.UCDP
    if "event_id_cnty" in columns or "date_start" in columns:
        raise ConflictFileError(FileProblem.MISSING_COLUMNS)
    raise ConflictFileError(FileProblem.UNKNOWN_FORMAT)


def _records(text: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str] | None]]]:
    """The header and, per record, its first physical line and its fields (None when the
    record has the wrong number of fields)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [c.strip().casefold() for c in next(reader)]
    except StopIteration as exc:
        raise ConflictFileError(FileProblem.EMPTY) from exc
    except csv.Error as exc:
        raise ConflictFileError(FileProblem.NOT_TEXT) from exc

    def rows() -> Iterator[tuple[int, dict[str, str] | None]]:
        last_line = reader.line_num
        count = 0
        while True:
            start = last_line + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error:
                yield start, None
                return
            last_line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            count += 1
            if count > MAX_ROWS:
                raise ConflictFileError(FileProblem.TOO_MANY_ROWS)
            if len(fields) != len(header):
                yield start, None
                continue
            yield start, dict(zip(header, fields, strict=True))

    return header, rows()


def parse_conflict_file(
    data: bytes | str, expected: ConflictFormat | None = None
) -> ParsedConflictFile:
    """Parse an ACLED or UCDP GED CSV file (its format is read from the header).

    Raises :class:`ConflictFileError` when the file as a whole cannot be read (not UTF-8
    text, too large, no header, missing columns, or not the ``expected`` format).
    """
    header, rows = _records(_text(data))
    found = detect_format(header)
    if expected is not None and found is not expected:
        raise ConflictFileError(FileProblem.UNKNOWN_FORMAT)
    parse_row = _acled_row if found is ConflictFormat.ACLED else _ucdp_row
    events: list[ImportedEvent] = []
    bad: list[BadRow] = []
    seen: set[str] = set()
    for line, row in rows:
        if row is None:
            bad.append(BadRow(line, RowProblem.BAD_ROW))
            continue
        result = parse_row(line, row)
        if isinstance(result, RowProblem):
            bad.append(BadRow(line, result))
        elif result.source_event_id in seen:
            bad.append(BadRow(line, RowProblem.DUPLICATE_ID))
        else:
            seen.add(result.source_event_id)
            events.append(result)
    return ParsedConflictFile(format=found, events=tuple(events), bad_rows=tuple(bad))


def _acled_row(line: int, row: dict[str, str]) -> ImportedEvent | RowProblem:
    event_id = row["event_id_cnty"].strip()
    if not event_id:
        return RowProblem.MISSING_ID
    country = row.get("country", "").strip().casefold()
    iso = row.get("iso", "").strip()
    if (country and country != "afghanistan") or (iso and iso not in ("4", "004")):
        return RowProblem.NOT_AFGHANISTAN
    if not row["event_date"].strip():
        return RowProblem.MISSING_DATE
    try:
        day = _parse_day(row["event_date"])
    except ValueError:
        return RowProblem.BAD_DATE
    try:
        fatalities = _parse_count(row["fatalities"])
    except ValueError:
        return RowProblem.BAD_FATALITIES
    point = _coordinates(row["latitude"], row["longitude"])
    if row.get("geo_precision", "").strip() == "3" and not row["admin2"].strip():
        point = None  # "a general region": the coordinates do not name a district
    place = _place(row["admin1"], row["admin2"], point)
    if place is None:
        return RowProblem.UNKNOWN_PROVINCE
    notes = row["notes"].strip()
    described = " ".join((notes, row.get("actor2", ""), row.get("assoc_actor_2", "")))
    place_text = ", ".join(
        part.strip()
        for part in (row["location"], row.get("admin3", ""), row["admin2"], row["admin1"])
        if part.strip()
    )
    kind = acled_kind(row["event_type"], row["sub_event_type"], fatalities, notes)
    return ImportedEvent(
        line=line,
        source_event_id=event_id,
        day=day,
        province=place[0],
        district=place[1],
        place_text=place_text,
        kind=kind,
        fatalities=fatalities,
        targets_affiliates=targets_affiliates(kind, described),
        confidence=_precision_confidence(row.get("geo_precision", "")),
        notes=notes,
    )


def _ucdp_row(line: int, row: dict[str, str]) -> ImportedEvent | RowProblem:
    event_id = row["id"].strip()
    if not event_id:
        return RowProblem.MISSING_ID
    country_id = row.get("country_id", "").strip()
    if row["country"].strip().casefold() != "afghanistan" or country_id not in ("", "700"):
        return RowProblem.NOT_AFGHANISTAN
    if not row["date_start"].strip():
        return RowProblem.MISSING_DATE
    try:
        day = _parse_day(row["date_start"])
    except ValueError:
        return RowProblem.BAD_DATE
    try:
        fatalities = _parse_count(row["best"])
    except ValueError:
        return RowProblem.BAD_FATALITIES
    place = _place(row["adm_1"], row["adm_2"], _coordinates(row["latitude"], row["longitude"]))
    if place is None:
        return RowProblem.UNKNOWN_PROVINCE
    headline = row.get("source_headline", "").strip()
    article = row.get("source_article", "").strip()
    text = " ".join((headline, row.get("where_description", ""), row.get("side_b", "")))
    place_text = ", ".join(
        part.strip()
        for part in (row["where_coordinates"], row["adm_2"], row["adm_1"])
        if part.strip()
    )
    where_prec = row.get("where_prec", "")
    district = place[1] if where_prec.strip() not in ("4", "5", "6", "7") else None
    kind = ucdp_kind(row["type_of_violence"], text)
    return ImportedEvent(
        line=line,
        source_event_id=event_id,
        day=day,
        province=place[0],
        district=district,
        place_text=place_text,
        kind=kind,
        fatalities=fatalities,
        targets_affiliates=targets_affiliates(kind, text),
        confidence=_precision_confidence(where_prec),
        notes="; ".join(part for part in (headline, article) if part),
    )
