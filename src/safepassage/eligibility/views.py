"""Pages of the eligibility app: rule files and their revisions for program officers, the
progress and counts of a rule change, and a case's referrals. Thin views over services and
selectors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepassage.cases import selectors as case_selectors
from safepassage.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from safepassage.eligibility import selectors, services
from safepassage.eligibility.errors import RuleChangeError
from safepassage.eligibility.forms import ReferralForm, RuleDraftForm
from safepassage.eligibility.models import RuleChangeRun, RuleRevision

View = Callable[..., HttpResponse]
REFRESH_SECONDS = 2


def eligibility_view(view: View) -> View:
    """Login required; out-of-scope records are 404, actions the role does not allow 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFoundError as exc:
            raise Http404(str(exc.message)) from exc
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc

    return wrapper


def rules_view(view: View) -> View:
    """Rule pages are for program officers and administrators only."""

    @eligibility_view
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.may_change_rules(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@rules_view
def program_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "eligibility/program_list.html",
        {"programs": selectors.rule_programs(), "counts": selectors.outcome_counts()},
    )


@rules_view
def revision_list(request: HttpRequest, program: str) -> HttpResponse:
    revisions = list(selectors.rule_revisions_for(program=program))
    return render(
        request, "eligibility/revision_list.html", {"program": program, "revisions": revisions}
    )


@rules_view
def revision_detail(request: HttpRequest, program: str, number: int) -> HttpResponse:
    revision = selectors.rule_revision_get(program=program, number=number)
    against_number = request.GET.get("against", "")
    against: RuleRevision | None = None
    if against_number.isdigit():
        against = selectors.rule_revision_get(program=program, number=int(against_number))
    elif revision.based_on_id:
        against = revision.based_on
    return render(
        request,
        "eligibility/revision_detail.html",
        {
            "revision": revision,
            "rules": selectors.revision_rules(revision),
            "against": against,
            "diff": selectors.revision_diff(old=against, new=revision) if against else [],
            "others": list(selectors.rule_revisions_for(program=program).exclude(pk=revision.pk)),
            "runs": list(selectors.runs_for(revision=revision)[:10]),
        },
    )


@rules_view
@require_http_methods(["GET", "POST"])
def draft_new(request: HttpRequest, program: str) -> HttpResponse:
    revisions = selectors.rule_revisions_for(program=program)
    source_number = request.GET.get("from", "")
    source = (
        revisions.filter(number=int(source_number)).first()
        if source_number.isdigit()
        else revisions.filter(status=RuleRevision.Status.PUBLISHED).first()
    )
    if source is None:
        raise Http404
    form = RuleDraftForm(request.POST or None, initial={"text": source.text})
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.rule_draft_create(
                actor=request.user,
                program=program,
                text=form.cleaned_data["text"],
                note=form.cleaned_data["note"],
                based_on=source,
            )
        except InvalidInputError as exc:
            for field, field_messages in (exc.errors or {"text": [str(exc.message)]}).items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Draft saved. Preview it before publishing."))
            return redirect("eligibility:revision", program=program, number=revision.number)
    return render(
        request,
        "eligibility/draft_form.html",
        {"program": program, "form": form, "source": source},
    )


@rules_view
@require_POST
def revision_preview(request: HttpRequest, program: str, number: int) -> HttpResponse:
    revision = selectors.rule_revision_get(program=program, number=number)
    try:
        run = services.rule_preview_start(actor=request.user, revision=revision)
    except RuleChangeError as exc:
        messages.error(request, str(exc.message))
        return redirect("eligibility:revision", program=program, number=number)
    return redirect("eligibility:run", run_id=run.pk)


@rules_view
@require_POST
def revision_retire(request: HttpRequest, program: str, number: int) -> HttpResponse:
    revision = selectors.rule_revision_get(program=program, number=number)
    try:
        services.rule_retire(actor=request.user, revision=revision)
    except RuleChangeError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Draft retired."))
    return redirect("eligibility:revision", program=program, number=number)


@rules_view
def run_detail(request: HttpRequest, run_id: Any) -> HttpResponse:
    run = selectors.run_get(run_id=run_id)
    response = render(
        request,
        "eligibility/run_detail.html",
        {
            "run": run,
            "transitions": selectors.run_transitions(run),
            "became": sorted(run.summary.get("became_eligible", {}).items()),
            "lost": sorted(run.summary.get("lost_eligibility", {}).items()),
            "members": sorted(run.summary.get("members_became_eligible", {}).items()),
            "affected": (
                selectors.run_affected_references(user=request.user, run=run)
                if run.kind == RuleChangeRun.Kind.PREVIEW and run.finished
                else []
            ),
            "can_accept": (
                run.kind == RuleChangeRun.Kind.PREVIEW and run.status == RuleChangeRun.Status.DONE
            ),
            "refresh_seconds": REFRESH_SECONDS,
        },
    )
    if not run.finished:
        # Reloads itself while the run works, without JavaScript.
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@rules_view
@require_POST
def run_accept(request: HttpRequest, run_id: Any) -> HttpResponse:
    run = selectors.run_get(run_id=run_id)
    try:
        reassessment = services.rule_publish(actor=request.user, run=run)
    except RuleChangeError as exc:
        messages.error(request, str(exc.message))
        return redirect("eligibility:run", run_id=run.pk)
    messages.success(request, _("Published. Every case is being re-assessed."))
    return redirect("eligibility:run", run_id=reassessment.pk)


@rules_view
@require_POST
def run_discard(request: HttpRequest, run_id: Any) -> HttpResponse:
    run = selectors.run_get(run_id=run_id)
    try:
        services.rule_preview_discard(actor=request.user, run=run)
    except RuleChangeError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Preview discarded; the rules in force are unchanged."))
    return redirect("eligibility:run", run_id=run.pk)


@eligibility_view
@require_http_methods(["GET", "POST"])
def case_referrals(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_selectors.case_get_for(user=request.user, reference=reference)
    if case_selectors.case_access_for(user=request.user, case=case) != "work":
        raise Http404
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_add(actor=request.user, case=case, **form.cleaned_data)
        except InvalidInputError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Referral recorded; the case will be re-assessed."))
            return redirect("eligibility:referrals", reference=case.reference)
    return render(
        request,
        "eligibility/referrals.html",
        {
            "case": case,
            "form": form,
            "referrals": list(case.eligibility_referrals.all()),
        },
    )
