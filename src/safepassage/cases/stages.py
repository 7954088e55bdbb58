"""The stages a case passes through, per program. Guards and clocks come with the pipeline."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Program(models.TextChoices):
    UNDETERMINED = "undetermined", _("Not yet determined")
    SIV = "siv", _("Special Immigrant Visa (SIV)")
    P2 = "p2", _("Refugee referral, Priority 2 (P-2)")
    P1 = "p1", _("Refugee referral, Priority 1 (P-1)")


class Stage(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ELIGIBILITY_REVIEW = "eligibility_review", _("Eligibility review")
    COM_PREPARATION = "com_preparation", _("COM package in preparation")
    COM_SUBMITTED = "com_submitted", _("COM application submitted")
    COM_APPROVED = "com_approved", _("COM approved")
    COM_DENIED = "com_denied", _("COM denied")
    APPEAL = "appeal", _("Appeal")
    PETITION = "petition", _("Petition (I-360)")
    VISA_APPLICATION = "visa_application", _("Visa application")
    REFERRAL = "referral", _("Referral")
    PRESCREENING = "prescreening", _("Prescreening")
    INTERVIEW = "interview", _("Interview")
    SECURITY = "security", _("Security checks")
    MEDICAL = "medical", _("Medical examination")
    ADMINISTRATIVE_PROCESSING = "administrative_processing", _("Administrative processing")
    CULTURAL_ORIENTATION = "cultural_orientation", _("Cultural orientation")
    SPONSORSHIP = "sponsorship", _("Sponsorship assurance")
    VISA_ISSUED = "visa_issued", _("Visa issued")
    READY_TO_TRAVEL = "ready_to_travel", _("Ready to travel")
    TRAVELLED = "travelled", _("Travelled")
    ARRIVED = "arrived", _("Arrived")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


S = Stage
_COMMON_START = [S.INTAKE, S.ELIGIBILITY_REVIEW]
_CLOSURES = [S.WITHDRAWN, S.CLOSED]
STAGES_BY_PROGRAM: dict[str, list[Stage]] = {
    Program.UNDETERMINED: [*_COMMON_START, *_CLOSURES],
    Program.SIV: [
        *_COMMON_START,
        S.COM_PREPARATION,
        S.COM_SUBMITTED,
        S.COM_APPROVED,
        S.COM_DENIED,
        S.APPEAL,
        S.PETITION,
        S.VISA_APPLICATION,
        S.INTERVIEW,
        S.MEDICAL,
        S.ADMINISTRATIVE_PROCESSING,
        S.VISA_ISSUED,
        S.READY_TO_TRAVEL,
        S.TRAVELLED,
        S.ARRIVED,
        *_CLOSURES,
    ],
    Program.P2: [
        *_COMMON_START,
        S.REFERRAL,
        S.PRESCREENING,
        S.INTERVIEW,
        S.SECURITY,
        S.MEDICAL,
        S.CULTURAL_ORIENTATION,
        S.SPONSORSHIP,
        S.READY_TO_TRAVEL,
        S.TRAVELLED,
        S.ARRIVED,
        *_CLOSURES,
    ],
    Program.P1: [
        *_COMMON_START,
        S.REFERRAL,
        S.PRESCREENING,
        S.INTERVIEW,
        S.SECURITY,
        S.MEDICAL,
        S.CULTURAL_ORIENTATION,
        S.SPONSORSHIP,
        S.READY_TO_TRAVEL,
        S.TRAVELLED,
        S.ARRIVED,
        *_CLOSURES,
    ],
}


def stages_for(program: str) -> list[Stage]:
    return STAGES_BY_PROGRAM[Program(program)]
