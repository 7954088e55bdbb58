"""The partner import's upload form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.linkage.import_layout import MAX_FILE_BYTES


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("One row per person, with the columns of the template. At most 5 MB."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split it into smaller files.")
            )
        content: bytes = upload.read()
        return content
