"""Rows of the eligibility table about families (SIV derivatives) and the refugee programs
(P-2 and P-1)."""

from __future__ import annotations

from eligibility_builders import NO, PENDING, UNSURE, E, case, d, job, member, referral, row
from eligibility_rows_siv import COM_2021, ISAF_COOK

from safepassage.engine.eligibility import CaseFacts

FAMILY = [member("spouse"), member("child", "2003-05-01")]

SIV_FAMILY_ROWS = [
    row(
        "spouse_of_an_eligible_principal_is_eligible",
        case(jobs=[job()], com=COM_2021, members=FAMILY),
        E,
        member=0,
        criteria={"derivative_relationship": "met", "principal_qualifies": "met"},
    ),
    row(
        "unmarried_child_under_21_is_eligible",
        case(jobs=[job()], com=COM_2021, petition="2022-01-10", members=FAMILY),
        E,
        member=1,
        criteria={"derivative_age": "met", "derivative_unmarried": "met"},
    ),
    row(
        "child_turning_21_before_the_petition_is_not_a_derivative",
        case(
            jobs=[job()],
            com=COM_2021,
            petition="2022-04-01",
            members=[member("child", "2001-03-01")],
        ),
        NO,
        member=0,
        criteria={"derivative_age": "not_met"},
    ),
    row(
        "child_turning_21_after_the_com_application_since_july_2022_stays_a_derivative",
        case(jobs=[job()], com="2022-08-01", members=[member("child", "2001-09-01")]),
        E,
        member=0,
        criteria={"derivative_age": "met"},
        today=d("2023-06-01"),
    ),
    row(
        "child_turning_21_before_the_petition_the_day_before_july_2022",
        case(
            jobs=[job()],
            com="2022-07-19",
            petition="2022-10-01",
            members=[member("child", "2001-09-01")],
        ),
        NO,
        member=0,
        criteria={"derivative_age": "not_met"},
        today=d("2023-06-01"),
    ),
    row(
        "married_child_is_not_a_siv_derivative",
        case(jobs=[job()], com=COM_2021, members=[member("child", "2005-01-01", married=True)]),
        NO,
        member=0,
        criteria={"derivative_unmarried": "not_met"},
        flags=("married_child",),
    ),
    row(
        "child_marital_status_unknown_is_undetermined",
        case(jobs=[job()], com=COM_2021, members=[member("child", "2005-01-01", married=None)]),
        UNSURE,
        member=0,
        missing=(("fact", "marital_status", "member", 0),),
    ),
    row(
        "child_born_in_a_year_straddling_21_is_undetermined",
        case(jobs=[job()], com="2022-08-01", members=[member("child", "2001")]),
        UNSURE,
        member=0,
        criteria={"derivative_age": "unknown"},
        missing=(("fact", "birth_date", "member", 0),),
        flags=("age_uncertain",),
    ),
    row(
        "child_without_a_birth_date_is_undetermined",
        case(jobs=[job()], com="2022-08-01", members=[member("child")]),
        UNSURE,
        member=0,
        variants={"derivative_age": "no_birth_date"},
    ),
    row(
        "a_parent_is_not_a_siv_derivative",
        case(jobs=[job()], com=COM_2021, members=[member("parent", "1950")]),
        NO,
        member=0,
        criteria={"derivative_relationship": "not_met"},
    ),
    row(
        "child_about_to_turn_21_before_applying_is_flagged",
        case(jobs=[job()], members=[member("child", "2004-09-01")]),
        E,
        member=0,
        flags=("age_fixed_on_assumed_date", "age_out_risk"),
    ),
    row(
        "a_second_spouse_is_flagged",
        case(jobs=[job()], com=COM_2021, members=[member("spouse"), member("spouse")]),
        E,
        member=1,
        flags=("more_than_one_spouse",),
    ),
    row(
        "family_of_an_undetermined_principal_is_undetermined",
        case(jobs=[job()], com=COM_2021, threat=None, members=FAMILY),
        UNSURE,
        member=0,
        criteria={"principal_qualifies": "unknown"},
    ),
    row(
        "family_waits_for_the_principal_s_documents",
        case(jobs=[job(documents=[])], com=COM_2021, members=FAMILY),
        PENDING,
        member=0,
    ),
    row(
        "family_of_an_ineligible_principal_is_not_eligible",
        case(jobs=[job("2018-01-02", "2018-12-31")], com=COM_2021, members=FAMILY),
        NO,
        member=0,
        criteria={"principal_qualifies": "not_met"},
    ),
]

SHORT_CONTRACTOR = job("2020-01-01", "2020-06-30", kind="us_government_contractor")


def p2(*jobs: object, **kwargs: object) -> CaseFacts:
    options: dict[str, object] = {"referrals": [referral("p2", "us_government_agency")]}
    options.update(kwargs)
    return case(jobs=jobs, **options)  # type: ignore[arg-type]


P2_ROWS = [
    row(
        "p2_via_a_us_based_ngo_referred_by_its_senior_us_citizen",
        p2(
            job(kind="us_based_ngo"),
            referrals=[referral("p2", "organisation_senior_us_citizen")],
        ),
        E,
        program="p2",
        version="p2-afghan-2021",
        criteria={"us_media_or_ngo": "met", "p2_category": "met", "referral": "met"},
    ),
    row(
        "p2_via_a_us_based_ngo_needs_the_organisation_s_referral",
        p2(job(kind="us_based_ngo")),
        PENDING,
        program="p2",
        criteria={"referral": "not_met"},
        variants={"referral": "referrer_not_allowed"},
        missing=(("condition", "referral"),),
    ),
    row(
        "p2_for_work_on_a_us_funded_grant",
        p2(job(kind="us_funded_grantee")),
        E,
        program="p2",
        criteria={"us_funded_program": "met"},
    ),
    row(
        "p2_for_a_contractor_short_of_the_siv_minimum",
        p2(SHORT_CONTRACTOR, referrals=[referral("p2", "us_military")], location="TR"),
        E,
        program="p2",
        criteria={"us_government_work": "met"},
    ),
    row(
        "p2_category_1_is_closed_to_someone_eligible_for_the_siv",
        p2(job(), com=COM_2021),
        NO,
        program="p2",
        criteria={"us_government_work": "not_met", "p2_category": "not_met"},
        variants={"us_government_work": "other_program_available"},
    ),
    row(
        "p2_for_an_isaf_cook_who_cannot_use_the_siv",
        p2(ISAF_COOK),
        E,
        program="p2",
        criteria={"us_government_work": "met"},
    ),
    row(
        "p2_inside_afghanistan_waits_to_leave",
        p2(job(kind="us_funded_grantee"), location="afghanistan"),
        PENDING,
        program="p2",
        criteria={"outside_afghanistan": "not_met"},
        missing=(("condition", "outside_afghanistan"),),
    ),
    row(
        "p2_location_unknown_is_pending",
        p2(job(kind="us_funded_grantee"), location=None),
        PENDING,
        program="p2",
        missing=(("fact", "current_location"),),
    ),
    row(
        "p2_without_a_referral_is_pending",
        p2(job(kind="us_funded_grantee"), referrals=[]),
        PENDING,
        program="p2",
        variants={"referral": "none"},
        missing=(("condition", "referral"),),
    ),
    row(
        "p2_self_referral_is_not_accepted",
        p2(job(kind="us_funded_grantee"), referrals=[referral("p2", "self")]),
        PENDING,
        program="p2",
        variants={"referral": "self_referral"},
    ),
    row(
        "p2_referral_before_the_designation_is_not_eligible",
        p2(
            job(kind="us_funded_grantee"),
            referrals=[referral("p2", "us_government_agency", "2021-08-01")],
        ),
        NO,
        program="p2",
        criteria={"program_in_force": "not_met"},
    ),
    row(
        "p2_referral_on_the_day_of_the_designation",
        p2(
            job(kind="us_funded_grantee"),
            referrals=[referral("p2", "us_government_agency", "2021-08-02")],
        ),
        E,
        program="p2",
    ),
    row(
        "p2_married_adult_child_comes_along",
        p2(job(kind="us_funded_grantee"), members=[member("child", "1990-01-01", married=True)]),
        E,
        program="p2",
        member=0,
        criteria={"derivative_relationship": "met"},
    ),
    row(
        "p2_child_s_spouse_is_not_yet_admitted",
        p2(job(kind="us_funded_grantee"), members=[member("child_spouse", "1992")]),
        NO,
        program="p2",
        member=0,
        criteria={"derivative_relationship": "not_met"},
    ),
    row(
        "p2_family_member_in_afghanistan_waits_to_leave",
        p2(job(kind="us_funded_grantee"), members=[member("spouse", location="AF")]),
        PENDING,
        program="p2",
        member=0,
        missing=(("condition", "outside_afghanistan", "member", 0),),
        flags=("in_afghanistan",),
    ),
    row(
        "p2_other_employment_is_no_category",
        p2(job(kind="other")),
        NO,
        program="p2",
        criteria={"p2_category": "not_met"},
    ),
    row(
        "p2_category_1_waits_for_the_siv_answer",
        p2(job(), com=COM_2021, threat=None),
        UNSURE,
        program="p2",
        criteria={"us_government_work": "unknown"},
        variants={"us_government_work": "other_program_undetermined"},
        missing=(("fact", "threat_reported"),),
    ),
]

P1_ROWS = [
    row(
        "p1_referred_by_unhcr_outside_afghanistan",
        case(referrals=[referral("p1", "unhcr")]),
        E,
        program="p1",
        criteria={"referral": "met"},
    ),
    row(
        "p1_without_a_referral_is_not_eligible",
        case(),
        NO,
        program="p1",
        criteria={"referral": "not_met"},
    ),
    row(
        "p1_referred_by_a_designated_ngo_inside_afghanistan",
        case(referrals=[referral("p1", "designated_ngo")], location="AF"),
        PENDING,
        program="p1",
    ),
    row(
        "p1_child_over_21_at_referral_is_not_a_derivative",
        case(referrals=[referral("p1", "us_embassy")], members=[member("child", "1999-01-01")]),
        NO,
        program="p1",
        member=0,
        criteria={"derivative_age": "not_met"},
    ),
    row(
        "p1_referrer_unknown_is_undetermined",
        case(referrals=[referral("p1", None)]),
        UNSURE,
        program="p1",
        missing=(("fact", "referrer"),),
    ),
]


FAMILY_ROWS = SIV_FAMILY_ROWS + P2_ROWS + P1_ROWS
