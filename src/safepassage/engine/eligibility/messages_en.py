"""English explanation templates for every criterion id, outcome, document, relationship,
referrer, missing item and flag of the eligibility engine.

Kept as Python data beside the Dari and Pashto catalogues (same keys, checked by a test)
because the engine must not depend on Django's gettext. Placeholders are filled by
:mod:`.explain`, which formats numbers and dates for the language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

CRITERIA: Final[Mapping[str, Mapping[str, str]]] = {
    "program_in_force": {
        "title": "Rules in force",
        "met": "Rules in force on {date}: version {version} (from {in_force_from}).",
        "met_assumed_date": "No application date yet: assessed as if applying today, {date}, "
        "under version {version}.",
        "not_met": "No version of the program's rules applies on {date}.",
        "not_met_before_first": "The program's rules start on {first_in_force}; "
        "the selecting date, {date}, is earlier.",
        "not_met_not_in_force": "No version of the program's rules is in force on {date}.",
        "unknown": "It is not known which rules apply.",
    },
    "afghan_national": {
        "title": "Afghan nationality",
        "met": "Is an Afghan national.",
        "not_met": "Is not an Afghan national.",
        "unknown": "Afghan nationality is not yet recorded.",
    },
    "principal_alive": {
        "title": "Principal applicant alive",
        "met": "The principal applicant is alive.",
        "met_surviving_family": "The principal applicant has died; the law lets the surviving "
        "spouse and children continue the case.",
        "not_met": "The principal applicant has died, and this version of the law does not let "
        "the family continue the case.",
        "unknown": "It is not known whether the principal applicant is alive.",
    },
    "qualifying_service": {
        "title": "Qualifying service",
        "met": "Qualifying service of at least {min_days} days; {minimum_days} required "
        "(counted up to {counted_until}).",
        "not_met": "Qualifying service of at most {max_days} days; {minimum_days} required "
        "(counted up to {counted_until}).",
        "not_met_none_counted": "No employment that counts for this program; {minimum_days} "
        "days of service required.",
        "unknown": "Qualifying service between {min_days} and {max_days} days, and "
        "{minimum_days} required: exact dates or duties are needed to decide.",
    },
    "ongoing_threat": {
        "title": "Ongoing serious threat",
        "met": "A serious threat because of this work has been reported.",
        "not_met": "No threat because of this work has been reported.",
        "unknown": "It is not yet known whether the applicant faces a threat because of this work.",
    },
    "application_deadline": {
        "title": "COM application deadline",
        "met": "Application dated {date}, by the deadline of {deadline}.",
        "met_assumed_date": "Not yet applied: an application made today, {date}, is by the "
        "deadline of {deadline}.",
        "not_met": "Application dated {date}, after the deadline of {deadline}.",
        "not_met_assumed_date": "Not yet applied, and the deadline of {deadline} has passed.",
        "unknown": "The application date is not known.",
    },
    "hr_letter": {
        "title": "HR employment verification letter",
        "met": "An HR employment letter is present for each employer whose service counts.",
        "met_written_explanation": "A written explanation stands in for an HR employment "
        "letter that cannot be obtained.",
        "met_satisfied_by": "COM approval shows the employment letters were accepted.",
        "not_met": "HR employment letter missing for employment {employments}.",
        "unknown": "It is not known whether the HR employment letters are present.",
    },
    "recommendation_letter": {
        "title": "Letter of recommendation",
        "met": "A supervisor's letter of recommendation is present.",
        "met_written_explanation": "A written explanation stands in for the letter of "
        "recommendation.",
        "met_satisfied_by": "COM approval shows the letter of recommendation was accepted.",
        "not_met": "The letter of recommendation from a direct supervisor is missing.",
        "unknown": "It is not known whether the letter of recommendation is present.",
    },
    "identity_document": {
        "title": "Copy of tazkira or passport",
        "met": "A copy of the tazkira or passport is present.",
        "met_written_explanation": "A written explanation stands in for the tazkira or passport.",
        "met_satisfied_by": "COM approval shows the identity document was accepted.",
        "not_met": "A copy of the tazkira or passport is missing.",
        "unknown": "It is not known whether a copy of the tazkira or passport is present.",
    },
    "threat_statement": {
        "title": "Statement or evidence of threat",
        "met": "A statement or evidence of the threat is present.",
        "met_written_explanation": "A written explanation stands in for the evidence of threat.",
        "met_satisfied_by": "COM approval shows the evidence of threat was accepted.",
        "not_met": "A statement or evidence of the threat is missing.",
        "unknown": "It is not known whether evidence of the threat is present.",
    },
    "p2_category": {
        "title": "P-2 category",
        "met": "Falls in a P-2 category.",
        "not_met": "Falls in none of the P-2 categories.",
        "unknown": "Whether a P-2 category applies is not yet known.",
    },
    "us_government_work": {
        "title": "Category 1: work with the US government or forces",
        "met": "Category 1: work for the US government, US forces, ISAF or Resolute Support "
        "(employment {employments}).",
        "not_met": "Category 1: no work for the US government, US forces, ISAF or Resolute "
        "Support is recorded.",
        "not_met_other_program_available": "Category 1 is for those who cannot use the SIV, "
        "and this applicant qualifies for the SIV.",
        "unknown": "Category 1: the duties in employment {employments} are not known.",
        "unknown_other_program_undetermined": "Category 1 depends on whether the applicant "
        "qualifies for the SIV, which is not yet known.",
    },
    "us_funded_program": {
        "title": "Category 2: US-funded program",
        "met": "Category 2: work on a program or project funded by the US government through "
        "a grant or cooperative agreement (employment {employments}).",
        "not_met": "Category 2: no work on a program funded by the US government is recorded.",
        "unknown": "Category 2: not yet known.",
    },
    "us_media_or_ngo": {
        "title": "Category 3: US-based media organisation or NGO",
        "met": "Category 3: employed in Afghanistan by a US-based media organisation or NGO "
        "(employment {employments}).",
        "not_met": "Category 3: no employment by a US-based media organisation or NGO is recorded.",
        "unknown": "Category 3: not yet known.",
    },
    "referral": {
        "title": "Referral",
        "met": "Referred by {referrer} on {date}.",
        "met_undated": "Referred by {referrer}.",
        "not_met": "A referral is needed.",
        "not_met_none": "Not referred yet; self-referral is not possible.",
        "not_met_self_referral": "A self-referral is not accepted; a referral by an authorised "
        "referrer is needed.",
        "not_met_referrer_not_allowed": "Referred by {referrer}, who cannot refer for this "
        "program or category.",
        "unknown": "It is not known who made the referral.",
    },
    "outside_afghanistan": {
        "title": "Outside Afghanistan",
        "met": "Is outside Afghanistan.",
        "not_met": "Is in Afghanistan: processing is possible only outside Afghanistan.",
        "unknown": "The current location is not recorded.",
    },
    "principal_qualifies": {
        "title": "Principal applicant qualifies",
        "met": "The principal applicant qualifies.",
        "not_met": "The principal applicant does not qualify.",
        "unknown": "Whether the principal applicant qualifies is not yet known.",
    },
    "derivative_relationship": {
        "title": "Relationship to the principal applicant",
        "met": "As {relationship}, may come as a family member.",
        "not_met": "As {relationship}, is not admitted as a family member by this program.",
        "not_met_deceased": "Has died.",
        "not_met_former_spouse": "The marriage has ended: no longer counted as a spouse.",
        "unknown": "The relationship is not known.",
    },
    "derivative_unmarried": {
        "title": "Child unmarried",
        "met": "Unmarried.",
        "not_met": "Married: a married child cannot come as a family member.",
        "unknown": "Marital status is not recorded.",
    },
    "derivative_age": {
        "title": "Child's age",
        "met": "Under {limit} on {date} ({max_age} at most).",
        "met_assumed_date": "Under {limit} today, {date}; the age is fixed when the "
        "application is filed.",
        "not_met": "At least {min_age} on {date}: {limit} or older.",
        "not_met_assumed_date": "At least {min_age} today, {date}: {limit} or older.",
        "unknown": "Between {min_age} and {max_age} on {date}: an exact birth date is needed "
        "to know whether under {limit}.",
        "unknown_no_birth_date": "Birth date not recorded; a child must be under {limit} on "
        "{date}.",
    },
    "derivative_outside_afghanistan": {
        "title": "Family member outside Afghanistan",
        "met": "Is outside Afghanistan.",
        "not_met": "Is in Afghanistan: processing is possible only outside Afghanistan.",
        "unknown": "The current location is not recorded.",
    },
}

WORDS: Final[Mapping[str, str]] = {
    "list_separator": ", ",
    "or": " or ",
    "outcome.eligible": "Eligible",
    "outcome.eligible_pending_documents": "Eligible; documents or conditions outstanding",
    "outcome.not_eligible": "Not eligible",
    "outcome.undetermined": "Undetermined: more facts needed",
    "program.siv": "SIV",
    "program.p2": "P-2",
    "program.p1": "P-1",
    "label.program": "{program}: {outcome}",
    "label.member": "Family member {number} ({relationship}): {outcome}",
    "label.missing": "Still needed: {item}",
    "label.flag": "Note: {flag}",
    "document.tazkira": "tazkira",
    "document.passport": "passport",
    "document.hr_letter": "HR employment letter",
    "document.recommendation": "letter of recommendation",
    "document.badge": "badge",
    "document.contract": "contract",
    "document.threat_evidence": "evidence of threat",
    "document.com_approval": "COM approval",
    "relationship.principal": "principal applicant",
    "relationship.spouse": "spouse",
    "relationship.child": "child",
    "relationship.child_spouse": "child's spouse",
    "relationship.grandchild": "grandchild",
    "relationship.parent": "parent",
    "relationship.sibling": "brother or sister",
    "relationship.other": "other relative",
    "referrer.us_government_agency": "a US government agency",
    "referrer.us_military": "the US military",
    "referrer.organisation_senior_us_citizen": "the organisation's senior-most US-citizen employee",
    "referrer.unhcr": "UNHCR",
    "referrer.us_embassy": "a US embassy",
    "referrer.designated_ngo": "a designated NGO",
    "referrer.self": "the applicant",
    "missing.document": "{document}",
    "missing.document.employment": "{document} for employment {employment}",
    "missing.fact.exact_start_date": "the exact start date of employment {employment}",
    "missing.fact.exact_end_date": "the exact end date of employment {employment}",
    "missing.fact.role_duties": "the duties in employment {employment} (interpreter? "
    "sensitive and trusted?)",
    "missing.fact.threat_reported": "whether the applicant faces a threat because of this work",
    "missing.fact.afghan_national": "the applicant's nationality",
    "missing.fact.current_location": "where the applicant is now",
    "missing.fact.current_location.member": "where family member {member} is now",
    "missing.fact.birth_date.member": "the birth date of family member {member}",
    "missing.fact.marital_status.member": "the marital status of family member {member}",
    "missing.fact.referrer": "who made the referral",
    "missing.fact.referral": "a referral",
    "missing.condition.referral": "a referral",
    "missing.condition.outside_afghanistan": "the applicant to be outside Afghanistan",
    "missing.condition.outside_afghanistan.member": "family member {member} to be outside "
    "Afghanistan",
    "flag.age_out_risk": "reaches the age limit within six months while the age is not yet "
    "fixed: file soon",
    "flag.more_than_one_spouse": "more than one spouse is listed: only one spouse can come "
    "as a family member",
    "flag.married_child": "married child",
    "flag.age_fixed_on_assumed_date": "age taken on today's date: the application that fixes "
    "it has not been filed",
    "flag.age_uncertain": "the birth date is too imprecise to know the age",
    "flag.age_unknown": "birth date not recorded",
    "flag.in_afghanistan": "is in Afghanistan",
}
