"""The public application form, its receipt and the applicant's status page.

Works without JavaScript: every action is a plain form post answered by a redirect or a page.
Nothing personal goes into a URL (steps are named, typed values are posted) or stays in the
browser (the session cookie only points to the server-side draft; quick exit ends it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepassage.cases.models import DocumentKind
from safepassage.cases.stages import Stage
from safepassage.core.errors import DomainError, InvalidInputError
from safepassage.core.models import CASE_ROLES, Membership, Organization
from safepassage.engine.dates import Calendar, PartialDate, gregorian_to_solar_hijri
from safepassage.intake import limits, selectors, services
from safepassage.intake.errors import (
    ApplicationIncompleteError,
    NoReceivingOrganizationError,
    RateLimitedError,
    SuspectedRobotError,
)
from safepassage.intake.forms import (
    FORMSET_LIMITS,
    STEP_NAMES,
    STEPS,
    STEPS_BY_NAME,
    ConsentForm,
    ContactUpdateForm,
    DocumentsForm,
    ResumeForm,
    StatusSignInForm,
    StatusUploadForm,
    as_data,
    formset_add,
    formset_compact,
    raw_answers,
)
from safepassage.intake.models import ApplicationDraft
from safepassage.intake.stages import stage_explanation
from safepassage.protection.uploads import UploadRejectedError

View = Callable[..., HttpResponse]

LANGUAGE_KEY = "intake_language"
DRAFT_KEY = "intake_draft"
STATUS_KEY = "intake_status"
STATUS_SECONDS = 30 * 60
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
LANGUAGE_NAMES = {"en": "English", "fa": "دری", "ps": "پښتو"}


# --- plumbing --------------------------------------------------------------------------------


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _staff_organization(request: HttpRequest) -> Organization | None:
    """The organisation of a signed-in, verified staff member who works cases: they may fill
    the form for someone (on the phone); the case is then theirs, channel "staff"."""
    if hasattr(request, "_intake_staff"):
        cached: Organization | None = request._intake_staff
        return cached
    user: Any = request.user
    organization = None
    if user.is_authenticated and getattr(user, "is_verified", lambda: False)():
        membership = (
            Membership.objects.filter(user_id=user.pk, role__in=list(CASE_ROLES))
            .select_related("organization")
            .order_by("organization__name")
            .first()
        )
        organization = membership.organization if membership else None
    request._intake_staff = organization  # type: ignore[attr-defined]
    return organization


def _language_of(request: HttpRequest) -> str:
    chosen = request.session.get(LANGUAGE_KEY)
    if chosen in LANGUAGE_CODES:
        return str(chosen)
    current = (translation.get_language() or "en").split("-")[0]
    return current if current in LANGUAGE_CODES else "en"


def _session_draft(request: HttpRequest) -> ApplicationDraft | None:
    draft_id = request.session.get(DRAFT_KEY)
    if not draft_id:
        return None
    draft = selectors.draft_get(draft_id=draft_id)
    if draft is None:
        request.session.pop(DRAFT_KEY, None)
    return draft


def _limited(request: HttpRequest, error: RateLimitedError) -> HttpResponse:
    response = render(request, "intake/limited.html", _context(request), status=429)
    response["Retry-After"] = str(error.retry_after_seconds)
    return response


def intake_view(view: View) -> View:
    """Language from the session, abuse checks on every post, friendly refusal pages."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = _language_of(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        with selectors.unaccounted_reads():
            try:
                if request.method == "POST":
                    limits.honeypot_check(request)
                    if _staff_organization(request) is None:
                        limits.hit("posts_per_address", limits.address_key(request))
                response = view(request, *args, **kwargs)
            except RateLimitedError as error:
                response = _limited(request, error)
            except SuspectedRobotError as error:
                context = {**_context(request), "message": error.message}
                response = render(request, "intake/rejected.html", context, status=400)
        response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response

    return wrapper


def _steps(draft: ApplicationDraft | None, current: str | None) -> list[dict[str, Any]]:
    states = selectors.step_states(draft)
    return [
        {
            "name": step.name,
            "title": step.title,
            "number": number,
            "state": states[step.name],
            "current": step.name == current,
            "url": reverse("intake:step", args=[step.name]),
        }
        for number, step in enumerate(STEPS, start=1)
    ]


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    staff = _staff_organization(request)
    return {
        "languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in LANGUAGE_CODES],
        "language": translation.get_language(),
        "staff_organization": staff,
        "show_exit": staff is None,
        "here": request.path,
        "honeypot": limits.HONEYPOT_FIELD,
        **extra,
    }


def _expiry_display(draft: ApplicationDraft) -> str:
    from safepassage.core.templatetags.safepassage import partial_date

    day = draft.expires_at.date()
    language = translation.get_language() or "en"
    if language in ("fa", "ps"):
        year, month, day_of_month = gregorian_to_solar_hijri(day)
        return partial_date(PartialDate(year, month, day_of_month, Calendar.SOLAR_HIJRI))
    return partial_date(PartialDate(day.year, day.month, day.day, Calendar.GREGORIAN))


def _switch_language(request: HttpRequest, draft: ApplicationDraft | None) -> bool:
    language = request.POST.get("_language", "")
    if language not in LANGUAGE_CODES:
        return False
    request.session[LANGUAGE_KEY] = language
    translation.activate(language)
    if draft is not None:
        services.draft_set_language(draft=draft, language=language)
    return True


def _first_open_step(draft: ApplicationDraft) -> str:
    states = selectors.step_states(draft)
    for name in STEP_NAMES:
        if states[name] != "complete" and name != "review":
            return name
    return "review"


# --- language, start, exit -------------------------------------------------------------------


@intake_view
@require_http_methods(["GET", "POST"])
def language(request: HttpRequest) -> HttpResponse:
    """First page: the language, chosen with three big buttons."""
    if request.method == "POST":
        draft = _session_draft(request)
        _switch_language(request, draft)
        target = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        if not (safe and target.startswith("/apply/")):
            target = reverse("intake:start")
        return _see_other(target)
    return render(request, "intake/language.html", _context(request, hide_languages=True))


@intake_view
def start(request: HttpRequest) -> HttpResponse:
    draft = _session_draft(request)
    context = _context(request, draft=draft, steps=_steps(draft, None))
    if draft is not None and draft.case_id is None:
        context["continue_url"] = reverse("intake:step", args=[_first_open_step(draft)])
    return render(request, "intake/start.html", context)


@intake_view
@require_POST
def new_application(request: HttpRequest) -> HttpResponse:
    """Forget the draft in this session (it stays resumable by its code until it expires)."""
    request.session.pop(DRAFT_KEY, None)
    return _see_other(reverse("intake:step", args=["about"]))


@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Ends the session at once and shows a page that has nothing to do with us."""
    request.session.flush()
    response = HttpResponseRedirect(reverse("intake:neutral"))
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


def neutral(request: HttpRequest) -> HttpResponse:
    """Where quick exit lands: a plain weather page, no name, no form, no trace of us."""
    return render(request, "intake/neutral.html", {"language": translation.get_language()})


# --- steps -----------------------------------------------------------------------------------


def _render_step(
    request: HttpRequest,
    name: str,
    draft: ApplicationDraft | None,
    form: Any,
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    spec = STEPS_BY_NAME[name]
    index = STEP_NAMES.index(name)
    context = _context(
        request,
        draft=draft,
        step=spec,
        steps=_steps(draft, name),
        step_number=index + 1,
        step_total=len(STEPS),
        form=form,
        form_id="step",
        is_first=index == 0,
        **extra,
    )
    if name == "documents":
        context["documents"] = selectors.draft_documents(draft)
        context["upload_form"] = form
        context["max_megabytes"] = settings.DOCUMENT_MAX_BYTES // (1024 * 1024)
    if name == "review":
        context.update(_review_context(request, draft))
    return render(request, f"intake/step_{name}.html", context, status=status)


def _review_context(request: HttpRequest, draft: ApplicationDraft | None) -> dict[str, Any]:
    parsed = selectors.draft_parsed(draft) if draft is not None else None
    sections = []
    if parsed is not None:
        for step_name, summary in parsed.sections:
            sections.append(
                {
                    "step": STEPS_BY_NAME[step_name],
                    "url": reverse("intake:step", args=[step_name]),
                    "rows": summary if step_name not in ("family", "employment") else [],
                    "groups": summary if step_name in ("family", "employment") else [],
                }
            )
    incomplete = (
        [STEPS_BY_NAME[name] for name in parsed.incomplete]
        if parsed is not None
        else [STEPS_BY_NAME[n] for n in ("about", "employment", "threat", "location", "contact")]
    )
    bits = limits.pow_bits()
    return {
        "sections": sections,
        "incomplete": incomplete,
        "review_documents": selectors.draft_documents(draft),
        "pow_bits": bits,
        "pow_challenge": limits.pow_challenge(request) if bits else "",
        "pow_field": limits.POW_FIELD,
    }


def _handle_documents(request: HttpRequest, draft: ApplicationDraft, kind: str) -> list[str]:
    """Removals and uploads of the documents step; returns the messages for refused files."""
    errors: list[str] = []
    remove = request.POST.get("remove")
    if remove:
        services.draft_document_remove(draft=draft, document_id=remove)
    if kind not in DocumentKind.values:
        kind = DocumentKind.OTHER
    for upload in request.FILES.getlist("files"):
        name = upload.name or "file"
        try:
            if upload.size is not None and upload.size > settings.DOCUMENT_MAX_BYTES:
                raise UploadRejectedError("too_large")
            services.draft_document_add(
                draft=draft, kind=kind, content=upload.read(), original_name=name
            )
        except UploadRejectedError as error:
            errors.append(_("%(file)s: %(reason)s") % {"file": name[-60:], "reason": error.message})
        except services.TooManyDocumentsError as error:
            errors.append(str(error.message))
            break
    return errors


@intake_view
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, name: str) -> HttpResponse:
    if name not in STEPS_BY_NAME:
        raise Http404
    draft = _session_draft(request)
    if draft is not None and draft.case_id is not None:
        return _see_other(reverse("intake:receipt"))
    if request.method == "GET":
        return _render_step(request, name, draft, selectors.step_bound(draft, name))

    spec = STEPS_BY_NAME[name]
    action = request.POST.get("action", "next")
    raw = raw_answers(request.POST)
    if spec.prefix is not None:
        limit = FORMSET_LIMITS[spec.prefix]
        raw = formset_compact(raw, spec.prefix, limit)
        if action == "add":
            raw = formset_add(raw, spec.prefix, limit)
    new_code = None
    if draft is None:
        staff = _staff_organization(request)
        if staff is None:
            limits.hit("drafts_per_address", limits.address_key(request))
        draft, new_code = services.draft_start(
            language=translation.get_language() or "en",
            assisted_by=request.user if staff is not None else None,
            organization=staff,
        )
        request.session.cycle_key()
        request.session[DRAFT_KEY] = str(draft.pk)
    limits.hit("saves_per_draft", limits.subject_key(str(draft.pk)))

    upload_errors: list[str] = []
    if name == "documents":
        upload_errors = _handle_documents(request, draft, request.POST.get("kind", ""))
    form = spec.bind(as_data(raw))
    valid = bool(form.is_valid())
    draft = services.draft_save_step(draft=draft, step=name, data=raw, complete=valid)

    index = STEP_NAMES.index(name)
    target = name
    if _switch_language(request, draft):
        target = name
    elif action == "back":
        target = STEP_NAMES[max(0, index - 1)]
    elif action == "code":
        new_code = new_code or services.draft_new_resume_code(draft=draft)
    elif action == "next" and valid and not upload_errors and not request.POST.get("remove"):
        target = STEP_NAMES[min(len(STEP_NAMES) - 1, index + 1)]
    if upload_errors:
        return _render_step(
            request, name, draft, DocumentsForm(), status=422, upload_errors=upload_errors
        )
    url = reverse("intake:step", args=[target])
    if new_code is not None:
        return _code_page(request, draft, new_code, url)
    return _see_other(url)


def _code_page(
    request: HttpRequest, draft: ApplicationDraft, code: str, continue_url: str
) -> HttpResponse:
    context = _context(
        request,
        code=code,
        continue_url=continue_url,
        expires=_expiry_display(draft),
        days=settings.INTAKE_DRAFT_DAYS,
    )
    return render(request, "intake/resume_code.html", context)


@intake_view
@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest) -> HttpResponse:
    """Continue a draft on this device with its resume code."""
    form = ResumeForm(request.POST or None)
    failed = False
    if request.method == "POST" and form.is_valid():
        address = limits.address_key(request)
        limits.check("resume_failures_per_address", address)
        draft = selectors.draft_by_resume_code(code=form.cleaned_data["code"])
        if draft is None:
            limits.hit("resume_failures_per_address", address)
            failed = True
        else:
            request.session.cycle_key()
            request.session[DRAFT_KEY] = str(draft.pk)
            if draft.case_id is not None:
                return _see_other(reverse("intake:receipt"))
            return _see_other(reverse("intake:step", args=[_first_open_step(draft)]))
    return render(request, "intake/resume.html", _context(request, form=form, failed=failed))


# --- submission and receipt ------------------------------------------------------------------


@intake_view
@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    draft = _session_draft(request)
    if draft is None:
        return _see_other(reverse("intake:start"))
    if draft.case_id is not None:
        return _see_other(reverse("intake:receipt"))
    raw = raw_answers(request.POST)
    form = ConsentForm(data=as_data(raw))
    valid = form.is_valid()
    action = request.POST.get("action", "next")
    switching = request.POST.get("_language", "") in LANGUAGE_CODES
    if not valid or switching or action in ("back", "code"):
        # Staying on the form: keep what was ticked. (A submission that goes through needs
        # no copy: the draft's answers are cleared as it becomes a case.)
        services.draft_save_step(draft=draft, step="review", data=raw, complete=valid)
    if _switch_language(request, draft):
        return _see_other(reverse("intake:step", args=["review"]))
    if action == "back":
        return _see_other(reverse("intake:step", args=["contact"]))
    if action == "code":
        code = services.draft_new_resume_code(draft=draft)
        return _code_page(request, draft, code, reverse("intake:step", args=["review"]))
    if not valid:
        return _render_step(request, "review", draft, form, status=422)
    limits.pow_check(request)
    staff = _staff_organization(request)
    if staff is None:
        limits.hit("submissions_per_address", limits.address_key(request))
    try:
        services.application_submit(
            actor=request.user if staff is not None else None,
            draft=draft,
            language=translation.get_language() or "en",
        )
    except ApplicationIncompleteError:
        draft = services.draft_save_step(draft=draft, step="review", data=raw, complete=valid)
        return _render_step(request, "review", draft, form, status=422)
    except NoReceivingOrganizationError as error:
        context = _context(request, message=error.message)
        return render(request, "intake/unavailable.html", context, status=503)
    return _see_other(reverse("intake:receipt"))


@intake_view
def receipt(request: HttpRequest) -> HttpResponse:
    """The case reference and, once only, the PIN."""
    draft = _session_draft(request)
    if draft is None or draft.case_id is None:
        return _see_other(reverse("intake:start"))
    pin = services.receipt_take_pin(draft=draft)
    case = draft.case
    assert case is not None  # noqa: S101 - case_id checked above
    context = _context(request, reference=case.reference, pin=pin, case=case)
    return render(request, "intake/receipt.html", context)


# --- status page -----------------------------------------------------------------------------


def _status_case(request: HttpRequest) -> Any:
    entry = request.session.get(STATUS_KEY)
    if not isinstance(entry, dict) or time.time() - float(entry.get("at", 0)) > STATUS_SECONDS:
        request.session.pop(STATUS_KEY, None)
        return None
    return selectors.case_for_status(case_id=entry.get("case"))


def _upload_kinds(case: Any) -> list[tuple[str, Any]]:
    labels = dict(DocumentKind.choices)
    kinds: list[tuple[str, Any]] = []
    for request in selectors.document_requests_open(case=case):
        if request.kind not in [k for k, _label in kinds]:
            kinds.append((request.kind, labels.get(request.kind, request.kind)))
    return kinds


def _status_page(
    request: HttpRequest,
    case: Any,
    *,
    upload_form: Any = None,
    contact_form: Any = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    kinds = _upload_kinds(case)
    context = _context(
        request,
        case=case,
        explanation=stage_explanation(case.stage, erased=case.erased_at is not None),
        stage_label=Stage(case.stage).label,
        requested=kinds,
        upload_form=upload_form or StatusUploadForm(kinds=kinds),
        contact_form=contact_form or ContactUpdateForm(),
        max_megabytes=settings.DOCUMENT_MAX_BYTES // (1024 * 1024),
        **extra,
    )
    return render(request, "intake/status.html", context, status=status)


@intake_view
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """Reference and PIN (posted, never in the URL) open the applicant's status page."""
    if request.method == "GET":
        case = _status_case(request)
        if case is not None:
            return _status_page(request, case, done=request.GET.get("done") == "1")
        context = _context(request, form=StatusSignInForm())
        return render(request, "intake/status_sign_in.html", context)
    form = StatusSignInForm(request.POST)
    error = None
    if form.is_valid():
        try:
            case = services.status_sign_in(
                reference=form.cleaned_data["reference"],
                pin=form.cleaned_data["pin"],
                address=limits.address_key(request),
            )
        except services.StatusSignInError as exc:
            error = exc.message
        else:
            request.session.cycle_key()
            request.session[STATUS_KEY] = {"case": str(case.pk), "at": time.time()}
            return _see_other(reverse("intake:status"))
    context = _context(request, form=form, error=error)
    return render(request, "intake/status_sign_in.html", context, status=403 if error else 422)


@intake_view
@require_POST
def status_upload(request: HttpRequest) -> HttpResponse:
    case = _status_case(request)
    if case is None:
        return _see_other(reverse("intake:status"))
    form = StatusUploadForm(request.POST, kinds=_upload_kinds(case))
    upload = request.FILES.get("file")
    if form.is_valid() and upload is not None:
        try:
            if upload.size is not None and upload.size > settings.DOCUMENT_MAX_BYTES:
                raise UploadRejectedError("too_large")
            services.status_document_upload(
                case=case,
                kind=form.cleaned_data["kind"],
                content=upload.read(),
                original_name=upload.name or "file",
            )
        except (UploadRejectedError, InvalidInputError) as error:
            form.add_error(None, str(error.message))
        else:
            return _see_other(reverse("intake:status") + "?done=1")
    elif upload is None:
        form.add_error(None, _("Choose a file or take a photo first."))
    return _status_page(request, case, upload_form=form, status=422)


@intake_view
@require_POST
def status_contact(request: HttpRequest) -> HttpResponse:
    case = _status_case(request)
    if case is None:
        return _see_other(reverse("intake:status"))
    form = ContactUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.status_contact_update(
                case=case,
                phone=form.cleaned_data.get("phone", ""),
                email=form.cleaned_data.get("email", ""),
            )
        except InvalidInputError as error:
            for field, messages in error.errors.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        except (DomainError, ValidationError) as error:
            form.add_error(None, str(error))
        else:
            return _see_other(reverse("intake:status") + "?done=1")
    return _status_page(request, case, contact_form=form, status=422)


@intake_view
@require_POST
def status_leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(STATUS_KEY, None)
    return _see_other(reverse("intake:start"))
