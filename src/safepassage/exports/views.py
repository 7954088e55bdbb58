"""Export pages: request, list, approve or reject, and download with a one-time password.
Thin views over the exports services and selectors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepassage.accounts.reauth import is_recently_authenticated, reauth_url
from safepassage.core.errors import DomainError, InvalidInputError, NotFoundError
from safepassage.core.models import Organization
from safepassage.core.selectors import case_organization_ids_for, memberships_for
from safepassage.exports import selectors, services
from safepassage.exports.columns import COLUMNS
from safepassage.exports.errors import ReauthenticationRequiredError
from safepassage.exports.forms import AgreementForm, ExportRequestForm, RejectForm
from safepassage.exports.models import ExportRequest, ExportStatus

View = Callable[..., HttpResponse]


def exports_view(view: View) -> View:
    """Login required; out-of-scope records are 404 (existence must not leak)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFoundError as exc:
            raise Http404(str(exc.message)) from exc

    return wrapper


def _reauth_redirect(request: HttpRequest, next_path: str) -> HttpResponse | None:
    """A redirect to re-authentication when the last one is too old, else None. Checked
    after the record is found, so a stranger gets "not found" either way."""
    if is_recently_authenticated(request):
        return None
    response = HttpResponseRedirect(reauth_url(request, next_path))
    response.status_code = 303
    if request.headers.get("HX-Request"):
        response["HX-Redirect"] = response["Location"]
    return response


# The services' argument names where the form's fields are named differently.
_FORM_FIELD = {"fields": "columns"}


def _apply_errors(form: Any, error: InvalidInputError) -> None:
    def target(name: str | None) -> str | None:
        name = _FORM_FIELD.get(name or "", name)
        return name if name in form.fields else None

    if error.errors:
        for field, field_messages in error.errors.items():
            for message in field_messages:
                form.add_error(target(field), message)
    else:
        form.add_error(target(error.field), str(error.message))


def _organization_for(request: HttpRequest) -> Organization:
    """The organisation a request is made in: the user's first one where they work cases."""
    allowed = case_organization_ids_for(user=request.user)
    for membership in memberships_for(user=request.user):
        if membership.organization_id in allowed:
            return membership.organization
    raise Http404


def _detail(export: ExportRequest) -> str:
    return reverse("exports:detail", kwargs={"export_id": export.pk})


@exports_view
def export_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "mine": list(selectors.export_list_for(user=user)[:100]),
        "pending": list(selectors.export_approvals_pending_for(user=user)[:100]),
        "can_request": bool(case_organization_ids_for(user=user)),
        "supervises": bool(selectors.supervised_organization_ids(user=user)),
    }
    return render(request, "exports/export_list.html", context)


@exports_view
@require_http_methods(["GET", "POST"])
def export_new(request: HttpRequest) -> HttpResponse:
    organization = _organization_for(request)
    if (response := _reauth_redirect(request, reverse("exports:new"))) is not None:
        return response
    agreements = selectors.agreements_active_for(user=request.user, organization=organization)
    form = ExportRequestForm(request.POST or None, agreements=agreements)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            export = services.export_request(
                actor=request.user,
                organization=organization,
                scope=services.ExportScope(
                    stage=data["stage"],
                    program=data["program"],
                    references=data["references"],
                    people=data["people"],
                ),
                fields=form.chosen_fields(),
                recipient_name=data["recipient_name"],
                purpose=data["purpose"],
                legal_basis=data["legal_basis"],
                agreement=form.chosen_agreement(),
                file_format=data["file_format"],
                identity_numbers_confirmed=data["identity_numbers_confirmed"],
                recipient_age_key=data["recipient_age_key"],
                recent_auth=is_recently_authenticated(request),
            )
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        except ReauthenticationRequiredError:
            return redirect(reauth_url(request, reverse("exports:new")))
        else:
            if export.approval_required:
                messages.success(
                    request,
                    _("Export requested. A supervisor or administrator must approve it."),
                )
            else:
                messages.success(request, _("Export ready to download."))
            return redirect(_detail(export))
    return render(request, "exports/export_form.html", {"form": form, "organization": organization})


@exports_view
def export_detail(request: HttpRequest, export_id: str) -> HttpResponse:
    export = selectors.export_get_for(user=request.user, export_id=export_id)
    user = request.user
    is_requester = export.requested_by_id == user.pk
    supervises = export.organization_id in selectors.supervised_organization_ids(user=user)
    pending = export.status == ExportStatus.PENDING and not export.is_request_expired()
    context = {
        "export": export,
        "columns": [COLUMNS[code].label for code in export.fields if code in COLUMNS],
        "is_requester": is_requester,
        "can_decide": pending and supervises and not is_requester,
        "can_cancel": is_requester
        and export.status in (ExportStatus.PENDING, ExportStatus.APPROVED),
        "can_download": is_requester and export.is_download_open(),
        "reject_form": RejectForm(),
    }
    return render(request, "exports/export_detail.html", context)


def _decision(
    request: HttpRequest, export_id: str, act: Callable[[ExportRequest], str]
) -> HttpResponse:
    export = selectors.export_get_for(user=request.user, export_id=export_id)
    try:
        message = act(export)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, message)
    return redirect(_detail(export))


@exports_view
@require_POST
def export_approve(request: HttpRequest, export_id: str) -> HttpResponse:
    export = selectors.export_get_for(user=request.user, export_id=export_id)
    if (response := _reauth_redirect(request, _detail(export))) is not None:
        return response

    def act(found: ExportRequest) -> str:
        services.export_approve(
            actor=request.user, export=found, recent_auth=is_recently_authenticated(request)
        )
        return _("Export approved. The requester can download it now.")

    return _decision(request, export_id, act)


@exports_view
@require_POST
def export_reject(request: HttpRequest, export_id: str) -> HttpResponse:
    form = RejectForm(request.POST)

    def act(found: ExportRequest) -> str:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.export_reject(actor=request.user, export=found, reason=reason)
        return _("Export rejected.")

    return _decision(request, export_id, act)


@exports_view
@require_POST
def export_cancel(request: HttpRequest, export_id: str) -> HttpResponse:
    def act(found: ExportRequest) -> str:
        services.export_cancel(actor=request.user, export=found)
        return _("Export request cancelled.")

    return _decision(request, export_id, act)


@exports_view
@require_POST
def export_prepare(request: HttpRequest, export_id: str) -> HttpResponse:
    """Issue the file's one-time password and show it, once, with the download button."""
    export = selectors.export_get_for(user=request.user, export_id=export_id)
    if (response := _reauth_redirect(request, _detail(export))) is not None:
        return response
    try:
        password = services.export_password_issue(
            actor=request.user, export=export, recent_auth=is_recently_authenticated(request)
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(_detail(export))
    return render(request, "exports/export_download.html", {"export": export, "password": password})


@exports_view
@require_POST
def export_file(request: HttpRequest, export_id: str) -> HttpResponse:
    """The encrypted file, made now from the current data."""
    export = selectors.export_get_for(user=request.user, export_id=export_id)
    if (response := _reauth_redirect(request, _detail(export))) is not None:
        return response
    try:
        exported = services.export_download(
            actor=request.user,
            export=export,
            password=request.POST.get("password", ""),
            recent_auth=is_recently_authenticated(request),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(_detail(export))
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@exports_view
def agreement_list(request: HttpRequest) -> HttpResponse:
    if not case_organization_ids_for(user=request.user):
        raise Http404
    context = {
        "agreements": list(selectors.agreement_list_for(user=request.user)[:200]),
        "supervised": selectors.supervised_organization_ids(user=request.user),
    }
    return render(request, "exports/agreement_list.html", context)


@exports_view
@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest) -> HttpResponse:
    organization = _organization_for(request)
    if organization.pk not in selectors.supervised_organization_ids(user=request.user):
        raise Http404
    if (response := _reauth_redirect(request, reverse("exports:agreement_new"))) is not None:
        return response
    form = AgreementForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_record(
                actor=request.user,
                organization=organization,
                recipient_organization=data["recipient_organization"],
                purpose=data["purpose"],
                legal_basis=data["legal_basis"],
                allowed_fields=data["allowed_fields"],
                expires_at=form.expires_at(),
                document_reference=data["document_reference"],
                recent_auth=is_recently_authenticated(request),
            )
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Sharing agreement recorded."))
            return redirect("exports:agreements")
    return render(
        request, "exports/agreement_form.html", {"form": form, "organization": organization}
    )


@exports_view
@require_POST
def agreement_revoke(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = selectors.agreement_get_for(user=request.user, agreement_id=agreement_id)
    try:
        services.agreement_revoke(actor=request.user, agreement=agreement)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Sharing agreement revoked."))
    return redirect("exports:agreements")
