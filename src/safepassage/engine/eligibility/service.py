"""Qualifying service time: days worked inside a rule's window, with overlapping jobs counted
once, gaps left out, and partial or approximate dates giving a lower and an upper bound.

Hand-written because no library counts service the way these programs do: the union of
inclusive day ranges (the first and the last day worked both count), clipped to a window and
to the assessment date, where each range's ends are themselves ranges (a start known only to
the month may be any day of that month). The bounds are exact, not estimates: the union of
day sets only grows when a range grows, so the fewest days come from every job starting as
late and ending as early as its dates allow, and the most from the opposite. A job whose
start and end ranges cross (both in the same month, say) may be a single day long; its lower
bound is counted as zero, which keeps the bound safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from safepassage.engine.dates import PartialDate
from safepassage.engine.eligibility.facts import Employment

__all__ = [
    "APPROXIMATE_TOLERANCE_DAYS",
    "ServicePeriod",
    "ServiceWindow",
    "date_bounds",
    "qualifying_service_days",
    "service_bounds",
    "service_period",
]

# An approximate date ("~2015-03") is widened by about a month on each side, a year when only
# the year was given, so that a guess can never decide eligibility.
APPROXIMATE_TOLERANCE_DAYS: Final = {"day": 31, "month": 31, "year": 366}
# Earliest day an unknown start may stand for: before any window the programs use.
UNKNOWN_START: Final = dt.date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class ServiceWindow:
    """Which days count: from ``start`` to ``end`` (inclusive; ``None`` is unbounded), and only
    for jobs that started by ``latest_start``."""

    start: dt.date | None = None
    end: dt.date | None = None
    latest_start: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ServicePeriod:
    """A job's possible first and last days. ``certain`` is False when it is not known
    whether the job counts at all (its duties are unknown, say)."""

    earliest_start: dt.date
    latest_start: dt.date
    earliest_end: dt.date
    latest_end: dt.date
    certain: bool = True


def date_bounds(date: PartialDate) -> tuple[dt.date, dt.date]:
    """Earliest and latest day ``date`` may be, widened when it is approximate."""
    first, last = date.gregorian_range()
    if date.approximate:
        tolerance = dt.timedelta(days=APPROXIMATE_TOLERANCE_DAYS[date.precision])
        first, last = first - tolerance, last + tolerance
    return first, last


def service_period(
    employment: Employment, *, today: dt.date, certain: bool = True
) -> ServicePeriod | None:
    """The possible days of ``employment`` up to ``today``; ``None`` if it cannot have begun
    by ``today``. A job still going on ends ``today``; an end date in the future is cut to
    ``today``, since service not yet given does not count."""
    if employment.end is None:
        earliest_end = latest_end = today
    else:
        earliest_end, latest_end = date_bounds(employment.end)
        earliest_end, latest_end = min(earliest_end, today), min(latest_end, today)
    if employment.start is None:
        earliest_start, latest_start = UNKNOWN_START, latest_end
    else:
        earliest_start, latest_start = date_bounds(employment.start)
    if earliest_start > today:
        return None
    return ServicePeriod(earliest_start, latest_start, earliest_end, latest_end, certain)


def _union_days(ranges: Iterable[tuple[int, int]]) -> int:
    total = 0
    covered_until: int | None = None
    for first, last in sorted(ranges):
        if covered_until is not None and first <= covered_until:
            if last > covered_until:
                total += last - covered_until
                covered_until = last
            continue
        total += last - first + 1
        covered_until = last
    return total


def _clip(first: dt.date, last: dt.date, window: ServiceWindow) -> tuple[int, int] | None:
    if window.start is not None:
        first = max(first, window.start)
    if window.end is not None:
        last = min(last, window.end)
    if first > last:
        return None
    return first.toordinal(), last.toordinal()


def service_bounds(periods: Iterable[ServicePeriod], window: ServiceWindow) -> tuple[int, int]:
    """Least and greatest number of distinct days inside ``window`` the ``periods`` can cover.

    A period that may have started after ``window.latest_start`` counts only in the upper
    bound, with its start held to that day; an uncertain period likewise.
    """
    shortest: list[tuple[int, int]] = []
    longest: list[tuple[int, int]] = []
    for period in periods:
        latest_start = period.latest_start
        counts_for_sure = period.certain
        if window.latest_start is not None:
            if period.earliest_start > window.latest_start:
                continue
            if latest_start > window.latest_start:
                counts_for_sure = False
                latest_start = window.latest_start
        if counts_for_sure and (inner := _clip(latest_start, period.earliest_end, window)):
            shortest.append(inner)
        if outer := _clip(period.earliest_start, period.latest_end, window):
            longest.append(outer)
    return _union_days(shortest), _union_days(longest)


def qualifying_service_days(
    employment: Sequence[Employment],
    *,
    today: dt.date,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
    latest_start: dt.date | None = None,
) -> tuple[int, int]:
    """Least and greatest number of distinct days of ``employment`` inside the window
    ``window_start``..``window_end`` (inclusive) and up to ``today``, counting only jobs that
    started by ``latest_start``.

    Every job given counts; the caller chooses which employers and duties qualify. With exact
    dates both numbers are equal. Days worked for two employers at once count once.
    """
    window = ServiceWindow(window_start, window_end, latest_start)
    periods = [
        period for job in employment if (period := service_period(job, today=today)) is not None
    ]
    return service_bounds(periods, window)
