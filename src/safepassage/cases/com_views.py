"""The DS-157 data page and the COM package pages: thin views over ``cases/ds157.py`` and
``cases/com_package.py``."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepassage.accounts.reauth import is_recently_authenticated, reauth_url
from safepassage.cases import com_package, ds157
from safepassage.cases.com_forms import ComPackageForm, Ds157Form
from safepassage.cases.views import _apply_errors, _work_case, workspace_view
from safepassage.core.errors import DomainError, InvalidInputError

# Where the digest of the password just shown waits for the download (never the password).
_SESSION_KEY = "cases_com_package_pending"
_PENDING_SECONDS = 15 * 60


@workspace_view
@require_http_methods(["GET", "POST"])
def ds157_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = _work_case(request, reference)
    values = ds157.ds157_values(ds157.ds157_data_for(case=case))
    form = Ds157Form(request.POST or None, initial=Ds157Form.initial_from(values))
    if request.method == "POST" and form.is_valid():
        try:
            ds157.ds157_save(actor=request.user, case=case, data=form.to_data())
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("DS-157 data saved."))
            detail = reverse("cases:detail", kwargs={"reference": case.reference})
            return redirect(f"{detail}#ds157")
    missing = ds157.ds157_missing(case=case)
    return render(
        request,
        "cases/ds157_form.html",
        {
            "case": case,
            "form": form,
            "missing": [ds157.SECTIONS[code] for code in missing],
        },
        status=422 if form.errors else 200,
    )


def _page_context(case: Any, form: ComPackageForm) -> dict[str, Any]:
    missing = ds157.ds157_missing(case=case)
    return {
        "case": case,
        "form": form,
        "missing": [ds157.SECTIONS[code] for code in missing],
        "documents": com_package.com_package_documents(case=case),
        "packages": com_package.com_packages_for(case=case),
    }


@workspace_view
@require_http_methods(["GET", "POST"])
def com_package_page(request: HttpRequest, reference: str) -> HttpResponse:
    """What goes into the package and its history (GET); issue the one-time password and
    show it with the download button (POST, after a recent re-authentication)."""
    case = _work_case(request, reference)
    form = ComPackageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not is_recently_authenticated(request):
            page = reverse("cases:com_package", kwargs={"reference": case.reference})
            return redirect(reauth_url(request, page))
        key = form.cleaned_data["recipient_age_key"].strip()
        try:
            password, digest = com_package.com_password_issue(
                actor=request.user, case=case, recipient_age_key=key, recent_auth=True
            )
        except InvalidInputError as exc:
            _apply_errors(form, exc)
        else:
            request.session[_SESSION_KEY] = {
                "case": str(case.pk),
                "digest": digest,
                "age": key,
                "at": time.time(),
            }
            return render(
                request,
                "cases/com_package_ready.html",
                {"case": case, "password": password, "age": bool(key)},
            )
    return render(
        request,
        "cases/com_package.html",
        _page_context(case, form),
        status=422 if form.errors else 200,
    )


@workspace_view
@require_POST
def com_package_download(request: HttpRequest, reference: str) -> HttpResponse:
    """Make the package with the password shown on the previous page and send it."""
    case = _work_case(request, reference)
    page = reverse("cases:com_package", kwargs={"reference": case.reference})
    if not is_recently_authenticated(request):
        return redirect(reauth_url(request, page))
    pending = request.session.pop(_SESSION_KEY, None)
    if (
        not isinstance(pending, dict)
        or pending.get("case") != str(case.pk)
        or time.time() - float(pending.get("at", 0)) > _PENDING_SECONDS
    ):
        messages.error(request, str(com_package.ComPasswordError.default_message))
        return redirect(page)
    try:
        bundle = com_package.com_package_generate(
            actor=request.user,
            case=case,
            password=request.POST.get("password", ""),
            password_digest=str(pending.get("digest", "")),
            recipient_age_key=str(pending.get("age", "")),
            recent_auth=True,
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(page)
    response = HttpResponse(bundle.content, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{bundle.filename}"'
    response["Cache-Control"] = "no-store"
    return response
