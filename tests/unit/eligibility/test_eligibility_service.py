"""Qualifying service days: unit cases and properties checked against a brute-force count of
every day."""

from __future__ import annotations

import datetime as dt

from eligibility_builders import d, job
from hypothesis import given, settings
from hypothesis import strategies as st

from safepassage.engine.dates import PartialDate
from safepassage.engine.eligibility import EmployerKind, Employment, qualifying_service_days

TODAY = dt.date(2025, 6, 1)
days = st.dates(min_value=dt.date(1999, 1, 1), max_value=dt.date(2026, 12, 31))


def brute_force(
    periods: list[tuple[dt.date, dt.date | None]],
    *,
    today: dt.date,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
    latest_start: dt.date | None = None,
) -> int:
    """Count, one day at a time, the days some job covers inside the window."""
    counted = set()
    for start, end in periods:
        if latest_start is not None and start > latest_start:
            continue
        last = min(end or today, today)
        day = start
        while day <= last:
            inside = (window_start is None or day >= window_start) and (
                window_end is None or day <= window_end
            )
            if inside:
                counted.add(day)
            day += dt.timedelta(days=1)
    return len(counted)


def exact(day: dt.date) -> PartialDate:
    return PartialDate(day.year, day.month, day.day)


@st.composite
def exact_periods(draw: st.DrawFn) -> tuple[dt.date, dt.date | None]:
    start = draw(days)
    if draw(st.booleans()):
        return start, None
    return start, draw(st.dates(min_value=start, max_value=dt.date(2026, 12, 31)))


def employment_of(periods: list[tuple[dt.date, dt.date | None]]) -> list[Employment]:
    return [
        Employment(EmployerKind.US_MILITARY, exact(start), exact(end) if end else None)
        for start, end in periods
    ]


# --- unit cases ---------------------------------------------------------------------------


def test_first_and_last_day_both_count() -> None:
    assert qualifying_service_days([job("2018-01-01", "2018-01-01")], today=TODAY) == (1, 1)


def test_overlapping_jobs_count_shared_days_once() -> None:
    jobs = [job("2018-01-01", "2018-06-30"), job("2018-04-01", "2018-12-31")]
    assert qualifying_service_days(jobs, today=TODAY) == (365, 365)


def test_a_job_inside_another_adds_nothing() -> None:
    jobs = [job("2018-01-01", "2018-12-31"), job("2018-03-01", "2018-03-31")]
    assert qualifying_service_days(jobs, today=TODAY) == (365, 365)


def test_gaps_between_jobs_do_not_count() -> None:
    jobs = [job("2018-01-01", "2018-01-10"), job("2018-02-01", "2018-02-10")]
    assert qualifying_service_days(jobs, today=TODAY) == (20, 20)


def test_the_window_clips_both_ends() -> None:
    jobs = [job("2001-10-01", "2001-10-10"), job("2020-12-25", "2021-01-05")]
    counted = qualifying_service_days(
        jobs, today=TODAY, window_start=d("2001-10-07"), window_end=d("2020-12-31")
    )
    assert counted == (4 + 7, 4 + 7)


def test_ongoing_job_counts_to_today_and_future_end_is_cut() -> None:
    ongoing = qualifying_service_days([job("2025-05-01", None)], today=TODAY)
    future = qualifying_service_days([job("2025-05-01", "2026-01-01")], today=TODAY)
    assert ongoing == future == (32, 32)


def test_a_job_starting_after_today_counts_nothing() -> None:
    assert qualifying_service_days([job("2025-07-01", None)], today=TODAY) == (0, 0)


def test_a_month_only_start_gives_a_range() -> None:
    assert qualifying_service_days([job("2020-01", "2020-12-31")], today=TODAY) == (336, 366)


def test_a_year_only_start_and_end_in_the_same_year() -> None:
    assert qualifying_service_days([job("2018", "2018")], today=TODAY) == (0, 365)


def test_an_unknown_start_is_at_least_the_known_end_day() -> None:
    least, most = qualifying_service_days(
        [job(None, "2018-12-31")], today=TODAY, window_start=d("2001-10-07")
    )
    assert least == 1
    assert most == (d("2018-12-31") - d("2001-10-07")).days + 1


def test_an_approximate_date_is_widened() -> None:
    assert qualifying_service_days([job("~2018-01-01", "2018-12-31")], today=TODAY) == (
        365 - 31,
        365 + 31,
    )


def test_a_start_that_may_be_after_the_latest_start_counts_only_in_the_upper_bound() -> None:
    least, most = qualifying_service_days(
        [job("2024-12", None)], today=TODAY, latest_start=d("2024-12-15")
    )
    assert least == 0
    assert most == (TODAY - d("2024-12-01")).days + 1


# --- properties ---------------------------------------------------------------------------


window_bounds = st.tuples(st.none() | days, st.none() | days, st.none() | days)


@settings(max_examples=200, deadline=None)
@given(st.lists(exact_periods(), max_size=5), window_bounds, days)
def test_exact_dates_give_the_brute_force_count(
    periods: list[tuple[dt.date, dt.date | None]],
    window: tuple[dt.date | None, dt.date | None, dt.date | None],
    today: dt.date,
) -> None:
    window_start, window_end, latest_start = window
    periods = [(start, end) for start, end in periods if end is None or end >= start]
    counted = qualifying_service_days(
        employment_of(periods),
        today=today,
        window_start=window_start,
        window_end=window_end,
        latest_start=latest_start,
    )
    expected = brute_force(
        [(s, e) for s, e in periods if s <= today],
        today=today,
        window_start=window_start,
        window_end=window_end,
        latest_start=latest_start,
    )
    assert counted == (expected, expected)


@settings(max_examples=200, deadline=None)
@given(st.lists(exact_periods(), max_size=4), days)
def test_the_order_of_jobs_does_not_matter(
    periods: list[tuple[dt.date, dt.date | None]], today: dt.date
) -> None:
    jobs = employment_of(periods)
    assert qualifying_service_days(jobs, today=today) == qualifying_service_days(
        list(reversed(jobs)), today=today
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(exact_periods(), min_size=1, max_size=4), days)
def test_adding_a_job_never_lowers_the_count(
    periods: list[tuple[dt.date, dt.date | None]], today: dt.date
) -> None:
    jobs = employment_of(periods)
    fewer = qualifying_service_days(jobs[:-1], today=today)
    more = qualifying_service_days(jobs, today=today)
    assert more[0] >= fewer[0] and more[1] >= fewer[1]


@st.composite
def partial_job(draw: st.DrawFn) -> tuple[Employment, tuple[dt.date, dt.date | None]]:
    """A job with partial dates and one concrete reading of them."""
    start_precision = draw(st.sampled_from(["year", "month", "day"]))
    start_day = draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2024, 12, 31)))
    start = PartialDate(
        start_day.year,
        None if start_precision == "year" else start_day.month,
        start_day.day if start_precision == "day" else None,
    )
    first, last = start.gregorian_range()
    concrete_start = draw(st.dates(min_value=first, max_value=last))
    if draw(st.booleans()):
        return Employment(EmployerKind.US_MILITARY, start, None), (concrete_start, None)
    end_day = draw(st.dates(min_value=concrete_start, max_value=dt.date(2025, 12, 31)))
    end_precision = draw(st.sampled_from(["year", "month", "day"]))
    end = PartialDate(
        end_day.year,
        None if end_precision == "year" else end_day.month,
        end_day.day if end_precision == "day" else None,
    )
    end_first, end_last = end.gregorian_range()
    concrete_end = draw(st.dates(min_value=max(end_first, concrete_start), max_value=end_last))
    return Employment(EmployerKind.US_MILITARY, start, end), (concrete_start, concrete_end)


@settings(max_examples=300, deadline=None)
@given(st.lists(partial_job(), max_size=4), window_bounds, days)
def test_every_reading_of_partial_dates_lies_within_the_bounds(
    jobs: list[tuple[Employment, tuple[dt.date, dt.date | None]]],
    window: tuple[dt.date | None, dt.date | None, dt.date | None],
    today: dt.date,
) -> None:
    window_start, window_end, latest_start = window
    least, most = qualifying_service_days(
        [employment for employment, _ in jobs],
        today=today,
        window_start=window_start,
        window_end=window_end,
        latest_start=latest_start,
    )
    reading = brute_force(
        [period for _, period in jobs if period[0] <= today],
        today=today,
        window_start=window_start,
        window_end=window_end,
        latest_start=latest_start,
    )
    assert least <= reading <= most


@settings(max_examples=200, deadline=None)
@given(st.lists(partial_job(), min_size=1, max_size=3), days)
def test_the_upper_bound_is_reached_by_the_widest_reading(
    jobs: list[tuple[Employment, tuple[dt.date, dt.date | None]]], today: dt.date
) -> None:
    employment = [job for job, _ in jobs]
    widest = []
    for job_ in employment:
        assert job_.start is not None
        start = job_.start.gregorian_range()[0]
        end = None if job_.end is None else job_.end.gregorian_range()[1]
        widest.append((start, end))
    expected = brute_force([p for p in widest if p[0] <= today], today=today)
    assert qualifying_service_days(employment, today=today)[1] == expected
