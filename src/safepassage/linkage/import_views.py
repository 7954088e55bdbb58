"""Pages of the partner import: upload (with the column layout and a template to download),
the preview of every row's class, and its confirmation. Thin: they parse, call one selector
or service, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from safepassage.cases.views import workspace_view
from safepassage.core.errors import DomainError, InvalidInputError
from safepassage.core.models import Organization
from safepassage.linkage import import_selectors, selectors
from safepassage.linkage.import_forms import ImportUploadForm
from safepassage.linkage.import_layout import COLUMNS, MAX_FILE_BYTES, template_csv
from safepassage.linkage.import_models import ImportBatch, RowClass
from safepassage.linkage.import_rows import check_households, check_row
from safepassage.linkage.import_services import import_batch_confirm, import_batch_create

UPLOAD_OVERHEAD = 64 * 1024
"""Room for the multipart envelope and the other fields around the file."""


class _MemoryOnlyUploadHandler(MemoryFileUploadHandler):
    """Keeps the uploaded file in memory whatever its size (the default handlers spill a
    large upload to a temporary file, in clear): the view refuses a body over the limit
    before it is read."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        super().handle_raw_input(*args, **kwargs)
        self.activated = True


@csrf_exempt  # the upload handlers must be set before the CSRF check reads the body...
@workspace_view
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    organization = selectors.organization_for(user=request.user, slug=request.GET.get("org"))
    if request.method == "POST" and (
        int(request.META.get("CONTENT_LENGTH") or 0) > MAX_FILE_BYTES + UPLOAD_OVERHEAD
    ):
        # Refused unread (nothing is changed, so the CSRF check is not needed for it).
        form = ImportUploadForm(data={}, files=MultiValueDict())
        form.is_valid()
        form.errors["file"] = form.error_class(
            [_("The file is larger than 5 MB. Split it into smaller files.")]
        )
        return _upload_page(request, organization, form, status=422)
    request.upload_handlers = [_MemoryOnlyUploadHandler(request)]
    return _import_upload(request, organization)


@csrf_protect  # ...and the check is made here, as for every other form
def _import_upload(request: HttpRequest, organization: Organization) -> HttpResponse:
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if not posted:
        return _upload_page(request, organization, form)
    if form.is_valid():
        try:
            batch = import_batch_create(
                actor=request.user, organization=organization, content=form.cleaned_data["file"]
            )
        except InvalidInputError as error:
            form.add_error("file", str(error.message))
        else:
            return redirect("linkage:import_preview", batch_id=batch.pk)
    return _upload_page(request, organization, form, status=422)


def _upload_page(
    request: HttpRequest, organization: Organization, form: ImportUploadForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "linkage/import_upload.html",
        {
            "organization": organization,
            "organizations": selectors.organizations_for_desk(user=request.user),
            "form": form,
            "columns": COLUMNS,
            "imports": list(
                import_selectors.imports_for(user=request.user, organization=organization)[:20]
            ),
        },
        status=status,
    )


@workspace_view
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="safepassage-import-template.csv"'
    return response


def _shown_rows(batch: ImportBatch) -> list[dict[str, Any]]:
    rows = import_selectors.import_rows_of(batch)
    if batch.status != ImportBatch.Status.PREVIEW:
        # Written: the file's values were erased with the batch's key; the outcome remains.
        return [
            {"row": row, "household": "", "latin": "", "arabic": "", "errors": []} for row in rows
        ]
    checked = [check_row(row.number, row.cells) for row in rows]
    check_households(checked)  # the errors in the reader's language, as at upload
    shown = []
    for row, result in zip(rows, checked, strict=True):
        cells = row.cells
        shown.append(
            {
                "row": row,
                "household": cells.get("household", ""),
                "latin": " ".join(
                    part for part in (cells.get("given_name"), cells.get("father_name")) if part
                ),
                "arabic": " ".join(
                    part
                    for part in (cells.get("given_name_dari"), cells.get("father_name_dari"))
                    if part
                ),
                "errors": result.errors if row.row_class == RowClass.INVALID else [],
            }
        )
    return shown


@workspace_view
def import_preview(request: HttpRequest, batch_id: str) -> HttpResponse:
    batch = import_selectors.import_get_for(user=request.user, batch_id=batch_id)
    return render(
        request,
        "linkage/import_preview.html",
        {
            "batch": batch,
            "organization": batch.organization,
            "rows": _shown_rows(batch),
            "summary": batch.summary,
            "confirmable": batch.status == ImportBatch.Status.PREVIEW,
        },
    )


@workspace_view
@require_POST
def import_confirm(request: HttpRequest, batch_id: str) -> HttpResponse:
    batch = import_selectors.import_get_for(user=request.user, batch_id=batch_id)
    try:
        import_batch_confirm(actor=request.user, batch=batch)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The import is done. Each row shows what became of it."))
    return redirect("linkage:import_preview", batch_id=batch.pk)
