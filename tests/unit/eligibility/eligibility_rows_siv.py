"""Rows of the eligibility table about the SIV principal applicant: service time, partial
dates, ISAF duties, each change of the law, documents and the principal's own facts."""

from __future__ import annotations

from eligibility_builders import NO, PENDING, UNSURE, E, case, d, job, row, sh

YEAR_JOB = job("2018-01-01", "2018-12-31")  # exactly 365 days
COM_2021 = "2021-09-01"  # essaa-2021: one year, window to 2022-12-31
LONG_JOB = job("2013-01-01", "2014-06-30")  # 546 days: one year, not two


SERVICE_ROWS = [
    row(
        "exactly_twelve_months_is_eligible",
        case(jobs=[YEAR_JOB], com=COM_2021),
        E,
        version="essaa-2021",
        criteria={"qualifying_service": "met"},
    ),
    row(
        "one_day_short_of_twelve_months_is_not_eligible",
        case(jobs=[job("2018-01-02", "2018-12-31")], com=COM_2021),
        NO,
        criteria={"qualifying_service": "not_met"},
    ),
    row(
        "a_leap_year_of_365_days_is_enough",
        case(jobs=[job("2020-01-01", "2020-12-30")], com=COM_2021),
        E,
        criteria={"qualifying_service": "met"},
    ),
    row(
        "two_overlapping_employers_count_shared_days_once",
        case(jobs=[job("2018-01-01", "2018-08-31"), job("2018-06-01", "2018-12-30")], com=COM_2021),
        NO,
        criteria={"qualifying_service": "not_met"},
    ),
    row(
        "two_overlapping_employers_covering_a_year_are_eligible",
        case(jobs=[job("2018-01-01", "2018-08-31"), job("2018-06-01", "2018-12-31")], com=COM_2021),
        E,
        criteria={"qualifying_service": "met"},
    ),
    row(
        "two_employers_with_a_gap_are_added_up",
        case(jobs=[job("2015-01-01", "2015-06-30"), job("2016-01-01", "2016-07-03")], com=COM_2021),
        E,
        criteria={"qualifying_service": "met"},
    ),
    row(
        "service_before_7_october_2001_does_not_count",
        case(jobs=[job("2000-06-01", "2002-06-30")], com=COM_2021),
        NO,
        criteria={"qualifying_service": "not_met"},
    ),
    row(
        "employment_ending_after_the_window_counts_only_to_its_end",
        case(jobs=[job("2019-06-01", "2021-06-30")], com="2021-03-01"),
        NO,
        version="ndaa-two-year",
        criteria={"qualifying_service": "not_met"},
    ),
    row(
        "the_same_employment_after_the_2021_law_is_eligible",
        case(jobs=[job("2019-06-01", "2021-06-30")], com="2021-08-01"),
        E,
        version="essaa-2021",
    ),
    row(
        "ongoing_employment_counts_to_the_assessment_date",
        case(jobs=[job("2020-08-01", None)]),
        E,
        version="essaa-2021",
        criteria={"program_in_force": "met", "qualifying_service": "met"},
        variants={"program_in_force": "assumed_date"},
        today=d("2021-08-15"),
    ),
    row(
        "ongoing_employment_short_of_a_year_is_not_yet_eligible",
        case(jobs=[job("2020-09-01", None)]),
        NO,
        criteria={"qualifying_service": "not_met"},
        today=d("2021-08-15"),
    ),
    row(
        "grantee_work_does_not_count_for_the_siv",
        case(jobs=[job(kind="us_funded_grantee")], com=COM_2021),
        NO,
        criteria={"qualifying_service": "not_met"},
        variants={"qualifying_service": "none_counted"},
    ),
    row(
        "us_based_ngo_work_does_not_count_for_the_siv",
        case(jobs=[job(kind="us_based_ngo")], com=COM_2021),
        NO,
        criteria={"qualifying_service": "not_met"},
    ),
    row(
        "solar_hijri_dates_of_a_full_year_are_eligible",
        case(jobs=[job(sh("1397-01-01"), sh("1397-12-29"))], com=COM_2021),
        E,
        criteria={"qualifying_service": "met"},
    ),
]

PARTIAL_DATE_ROWS = [
    row(
        "start_known_to_the_month_straddling_the_threshold_is_undetermined",
        case(jobs=[job("2020-01", "2020-12-31")], com=COM_2021),
        UNSURE,
        criteria={"qualifying_service": "unknown"},
        missing=(("fact", "exact_start_date", 0),),
    ),
    row(
        "start_known_to_the_year_but_clearly_enough_is_eligible",
        case(jobs=[job("2015", "2018-06-30")], com=COM_2021),
        E,
        criteria={"qualifying_service": "met"},
    ),
    row(
        "start_known_to_the_year_but_clearly_too_short_is_not_eligible",
        case(jobs=[job("2018", "2018-10-31")], com=COM_2021),
        NO,
        criteria={"qualifying_service": "not_met"},
    ),
    row(
        "end_known_to_the_month_straddling_the_threshold_is_undetermined",
        case(jobs=[job("2018-01-01", "2018-12")], com=COM_2021),
        UNSURE,
        missing=(("fact", "exact_end_date", 0),),
    ),
    row(
        "solar_hijri_year_only_start_is_undetermined",
        case(jobs=[job(sh("1397"), sh("1398-06-31"))], com=COM_2021),
        UNSURE,
        missing=(("fact", "exact_start_date", 0),),
    ),
    row(
        "an_approximate_exact_date_cannot_decide_alone",
        case(jobs=[job("~2018-01-01", "2018-12-31")], com=COM_2021),
        UNSURE,
        missing=(("fact", "exact_start_date", 0),),
    ),
    row(
        "an_unknown_start_date_is_undetermined",
        case(jobs=[job(None, "2018-12-31")], com=COM_2021),
        UNSURE,
        missing=(("fact", "exact_start_date", 0),),
    ),
    row(
        "an_exact_job_that_suffices_makes_a_vague_second_job_irrelevant",
        case(jobs=[YEAR_JOB, job("2012", "2013")], com=COM_2021),
        E,
        criteria={"qualifying_service": "met"},
    ),
]

ISAF_INTERPRETER = job("2012-01-01", "2013-12-31", kind="isaf_member_force", interpreter=True)
ISAF_COOK = job("2012-01-01", "2013-12-31", kind="isaf_member_force")

ISAF_ROWS = [
    row(
        "isaf_interpreter_before_the_fy2015_ndaa_does_not_count",
        case(jobs=[ISAF_INTERPRETER], com="2014-12-18"),
        NO,
        version="aapa-2009",
        criteria={"qualifying_service": "not_met"},
    ),
    row(
        "isaf_interpreter_from_the_fy2015_ndaa_counts",
        case(jobs=[ISAF_INTERPRETER], com="2014-12-19"),
        E,
        version="ndaa-fy2015",
        criteria={"qualifying_service": "met", "application_deadline": "met"},
    ),
    row(
        "isaf_employee_without_interpreter_duties_before_the_change",
        case(jobs=[ISAF_COOK], com="2014-12-18"),
        NO,
        criteria={"qualifying_service": "not_met"},
    ),
    row(
        "isaf_employee_without_interpreter_duties_after_the_change",
        case(jobs=[ISAF_COOK], com="2014-12-19"),
        NO,
        version="ndaa-fy2015",
        criteria={"qualifying_service": "not_met"},
    ),
    row(
        "isaf_employee_without_interpreter_duties_under_the_2021_law",
        case(jobs=[ISAF_COOK], com=COM_2021),
        NO,
        criteria={"qualifying_service": "not_met"},
    ),
    row(
        "isaf_sensitive_and_trusted_duties_count",
        case(
            jobs=[job("2012-01-01", "2013-12-31", kind="isaf_member_force", trusted=True)],
            com=COM_2021,
        ),
        E,
    ),
    row(
        "isaf_duties_unknown_are_undetermined",
        case(
            jobs=[
                job(
                    "2012-01-01",
                    "2013-12-31",
                    kind="isaf_member_force",
                    interpreter=None,
                    trusted=None,
                )
            ],
            com=COM_2021,
        ),
        UNSURE,
        criteria={"qualifying_service": "unknown"},
        missing=(("fact", "role_duties", 0),),
    ),
]

VERSION_ROWS = [
    row(
        "com_application_the_day_before_the_program_began",
        case(jobs=[job("2005-01-01", "2006-12-31")], com="2009-03-10"),
        NO,
        criteria={"program_in_force": "not_met"},
        variants={"program_in_force": "before_first"},
    ),
    row(
        "com_application_on_the_day_the_aapa_was_enacted",
        case(jobs=[job("2005-01-01", "2006-12-31")], com="2009-03-11"),
        E,
        version="aapa-2009",
    ),
    row(
        "one_year_suffices_the_day_before_the_two_year_cut_over",
        case(jobs=[LONG_JOB], com="2015-09-30"),
        E,
        version="ndaa-fy2015",
    ),
    row(
        "one_year_is_short_the_day_after_the_two_year_cut_over",
        case(jobs=[LONG_JOB], com="2015-10-01"),
        NO,
        version="ndaa-two-year",
        criteria={"qualifying_service": "not_met"},
    ),
    row(
        "one_year_is_short_the_day_before_the_2021_law",
        case(jobs=[LONG_JOB], com="2021-07-29"),
        NO,
        version="ndaa-two-year",
    ),
    row(
        "one_year_suffices_from_the_day_of_the_2021_law",
        case(jobs=[LONG_JOB], com="2021-07-30"),
        E,
        version="essaa-2021",
    ),
    row(
        "service_in_2023_does_not_count_the_day_before_the_fy2023_law",
        case(jobs=[job("2022-06-01", "2023-06-30")], com="2022-12-28"),
        NO,
        version="com-petition-2022",
    ),
    row(
        "service_in_2023_counts_from_the_fy2023_law",
        case(jobs=[job("2022-06-01", "2023-06-30")], com="2022-12-29"),
        E,
        version="fy2023",
    ),
    row(
        "service_in_2024_does_not_count_the_day_before_the_fy2024_law",
        case(jobs=[job("2023-06-01", "2024-12-31")], com="2024-03-22"),
        NO,
        version="fy2023",
    ),
    row(
        "service_in_2024_counts_from_the_fy2024_law",
        case(jobs=[job("2023-06-01", "2024-12-31")], com="2024-03-23"),
        E,
        version="fy2024",
    ),
    row(
        "employment_starting_after_2024_does_not_count",
        case(jobs=[job("2025-01-01", None)], com="2025-06-01"),
        NO,
        version="fy2024",
        criteria={"qualifying_service": "not_met"},
        today=d("2026-06-01"),
    ),
    row(
        "approximate_start_around_the_latest_start_date_is_undetermined",
        case(jobs=[job("~2024-12", None)], com="2025-06-01"),
        UNSURE,
        missing=(("fact", "exact_start_date", 0),),
        today=d("2026-01-01"),
    ),
    row(
        "com_application_on_the_last_day_is_in_time",
        case(jobs=[YEAR_JOB], com="2025-12-31"),
        E,
        criteria={"application_deadline": "met"},
        today=d("2026-02-01"),
    ),
    row(
        "com_application_after_the_deadline_is_not_eligible",
        case(jobs=[YEAR_JOB], com="2026-01-01"),
        NO,
        criteria={"application_deadline": "not_met"},
        today=d("2026-02-01"),
    ),
    row(
        "no_application_yet_and_the_deadline_has_passed",
        case(jobs=[YEAR_JOB]),
        NO,
        criteria={"application_deadline": "not_met"},
        variants={"application_deadline": "assumed_date"},
        today=d("2026-03-01"),
    ),
]

DOCUMENT_ROWS = [
    row(
        "contractor_with_a_badge_and_an_hr_letter_is_eligible",
        case(
            jobs=[job(kind="us_government_contractor", documents=["hr_letter", "badge"])],
            com=COM_2021,
        ),
        E,
        criteria={"hr_letter": "met"},
    ),
    row(
        "a_badge_does_not_replace_the_hr_letter",
        case(jobs=[job(kind="us_government_contractor", documents=["badge"])], com=COM_2021),
        PENDING,
        criteria={"hr_letter": "not_met", "qualifying_service": "met"},
        missing=(("document", "hr_letter", 0),),
    ),
    row(
        "a_written_explanation_replaces_a_missing_hr_letter",
        case(
            jobs=[job(documents=[])],
            com=COM_2021,
            documents=[
                *sorted({"recommendation", "tazkira", "threat_evidence"}),
                "written_explanation_for:hr_letter",
            ],
        ),
        E,
        criteria={"hr_letter": "met"},
        variants={"hr_letter": "written_explanation"},
    ),
    row(
        "each_employer_needs_its_own_hr_letter",
        case(
            jobs=[job("2015-01-01", "2015-06-30"), job("2016-01-01", "2016-07-03", documents=[])],
            com=COM_2021,
        ),
        PENDING,
        missing=(("document", "hr_letter", 1),),
    ),
    row(
        "a_single_employer_may_have_its_hr_letter_filed_with_the_case",
        case(
            jobs=[job(documents=[])],
            com=COM_2021,
            documents=["hr_letter", "recommendation", "tazkira", "threat_evidence"],
        ),
        E,
    ),
    row(
        "com_approval_shows_the_package_was_complete",
        case(jobs=[job(documents=[])], com=COM_2021, documents=["com_approval"]),
        E,
        criteria={"hr_letter": "met", "recommendation_letter": "met"},
    ),
    row(
        "a_missing_recommendation_leaves_the_case_pending",
        case(jobs=[job()], com=COM_2021, documents=["tazkira", "threat_evidence"]),
        PENDING,
        criteria={"recommendation_letter": "not_met"},
        missing=(("document", "recommendation"),),
    ),
    row(
        "a_passport_serves_instead_of_a_tazkira",
        case(
            jobs=[job()], com=COM_2021, documents=["passport", "recommendation", "threat_evidence"]
        ),
        E,
        criteria={"identity_document": "met"},
    ),
    row(
        "without_tazkira_or_passport_the_case_is_pending",
        case(jobs=[job()], com=COM_2021, documents=["recommendation", "threat_evidence"]),
        PENDING,
        missing=(("document", "tazkira|passport"),),
    ),
    row(
        "the_threat_statement_is_no_longer_asked_for_from_july_2022",
        case(jobs=[job()], com="2022-08-01", documents=["recommendation", "tazkira"]),
        E,
        version="com-petition-2022",
    ),
]

PRINCIPAL_ROWS = [
    row(
        "no_threat_reported_is_not_eligible",
        case(jobs=[job()], com=COM_2021, threat=False),
        NO,
        criteria={"ongoing_threat": "not_met"},
    ),
    row(
        "threat_not_yet_asked_is_undetermined",
        case(jobs=[job()], com=COM_2021, threat=None),
        UNSURE,
        missing=(("fact", "threat_reported"),),
    ),
    row(
        "nationality_unknown_is_undetermined",
        case(jobs=[job()], com=COM_2021, national=None),
        UNSURE,
        missing=(("fact", "afghan_national"),),
    ),
    row(
        "a_non_afghan_is_not_eligible",
        case(jobs=[job()], com=COM_2021, national=False),
        NO,
        criteria={"afghan_national": "not_met"},
    ),
    row(
        "a_deceased_applicant_under_the_two_year_rule_ends_the_case",
        case(jobs=[job("2015-01-01", "2018-12-31")], com="2021-06-01", deceased=True),
        NO,
        criteria={"principal_alive": "not_met"},
    ),
    row(
        "the_family_of_a_deceased_applicant_may_continue_from_2021",
        case(jobs=[job("2015-01-01", "2018-12-31")], com="2021-08-01", deceased=True),
        E,
        criteria={"principal_alive": "met"},
        variants={"principal_alive": "surviving_family"},
    ),
]


SIV_ROWS = (
    SERVICE_ROWS + PARTIAL_DATE_ROWS + ISAF_ROWS + VERSION_ROWS + DOCUMENT_ROWS + PRINCIPAL_ROWS
)
