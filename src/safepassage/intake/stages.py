"""What each stage of a case means, in plain words for the applicant."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safepassage.cases.stages import Stage

_EXPLANATIONS: dict[str, Promise] = {
    Stage.INTAKE: _("We have received your application. A caseworker will look at it soon."),
    Stage.ELIGIBILITY_REVIEW: _(
        "A caseworker is checking which program you may qualify for and what is still needed."
    ),
    Stage.COM_PREPARATION: _(
        "We are preparing your application to the US embassy's Chief of Mission (COM)."
    ),
    Stage.COM_SUBMITTED: _(
        "Your Chief of Mission (COM) application has been sent. We are waiting for the decision."
    ),
    Stage.COM_APPROVED: _("Your Chief of Mission (COM) application was approved."),
    Stage.COM_DENIED: _(
        "Your Chief of Mission (COM) application was refused. Your caseworker will tell you "
        "whether an appeal is possible."
    ),
    Stage.APPEAL: _("An appeal against the refusal is being prepared or waits for a decision."),
    Stage.PETITION: _("Your petition (I-360) is being handled."),
    Stage.VISA_APPLICATION: _("Your visa application is being prepared or handled."),
    Stage.REFERRAL: _("You have been referred to the refugee program. We wait for the next step."),
    Stage.PRESCREENING: _("Your case is in prescreening: an interview about your details."),
    Stage.INTERVIEW: _("The next step is an interview. You will be told the date and place."),
    Stage.SECURITY: _("Security checks are being done. This can take a long time."),
    Stage.MEDICAL: _("The next step is a medical examination."),
    Stage.ADMINISTRATIVE_PROCESSING: _(
        "Your case is in administrative processing. This can take a long time."
    ),
    Stage.CULTURAL_ORIENTATION: _("The next step is a course about life in the new country."),
    Stage.SPONSORSHIP: _("An organisation in the new country is preparing to receive you."),
    Stage.VISA_ISSUED: _("Your visa has been issued."),
    Stage.READY_TO_TRAVEL: _("You are ready to travel. You will be told when and how."),
    Stage.TRAVELLED: _("You have travelled."),
    Stage.ARRIVED: _("You have arrived."),
    Stage.WITHDRAWN: _("This application was withdrawn."),
    Stage.CLOSED: _("This case is closed."),
}


def stage_explanation(stage: str, *, erased: bool = False) -> Promise:
    if erased:
        return _("This case is closed and its information has been erased.")
    return _EXPLANATIONS.get(stage, _("Your application is being worked on."))
