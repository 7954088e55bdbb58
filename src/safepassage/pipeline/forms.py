"""Forms of the pipeline: a stage move, a written explanation for a missing COM document,
service levels, and supervisors' bulk actions. They parse; services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.cases.formfields import DigitsDateField, DigitsIntegerField
from safepassage.cases.stages import Stage
from safepassage.pipeline.messages import kind_label, stage_label
from safepassage.pipeline.models import ComDocument
from safepassage.pipeline.selectors import MoveOption, SlaLine


class StageChoiceField(forms.ChoiceField):
    """Offers the moves open to the user but accepts any stage, so that the pipeline (not
    the form) says why another one is refused."""

    def valid_value(self, value: Any) -> bool:
        return value in Stage.values


class StageMoveForm(forms.Form):
    to_stage = StageChoiceField(label=_("move to"))
    effective_on = DigitsDateField(
        label=_("date it happened"),
        required=False,
        help_text=_("The date on the letter, or the day it was sent. Leave empty for today."),
    )
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to move back, withdraw, close, reopen or override."),
    )
    override = forms.BooleanField(
        label=_("Override: accept a late appeal (supervisors, with a reason)"), required=False
    )

    def __init__(
        self, *args: Any, moves: Sequence[MoveOption] = (), may_override: bool = False, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        field = cast(forms.ChoiceField, self.fields["to_stage"])
        field.choices = [
            (move.to_stage, f"{stage_label(move.to_stage)} ({kind_label(move.kind)})")
            for move in moves
        ]
        if not may_override:
            del self.fields["override"]


class ExplanationForm(forms.Form):
    """Its own element ids: the notes form on the same page also has a "text" field."""

    document = forms.ChoiceField(label=_("missing document"), choices=ComDocument.choices)
    text = forms.CharField(
        label=_("written explanation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the document cannot be had, as it will be sent with the application."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "explanation_%s")
        super().__init__(*args, **kwargs)


class StageSLAForm(forms.Form):
    """One number of days per program and stage; empty means the default."""

    def __init__(self, *args: Any, lines: Sequence[SlaLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[self.name_of(line)] = DigitsIntegerField(
                label=stage_label(line.stage),
                required=False,
                min_value=1,
                max_value=3650,
                initial=line.days,
                help_text=_("default: %(days)s days") % {"days": line.default_days},
            )

    @staticmethod
    def name_of(line: SlaLine) -> str:
        return f"{line.program}__{line.stage}"

    def values(self) -> dict[tuple[str, str], int | None]:
        return {
            (line.program, line.stage): self.cleaned_data.get(self.name_of(line))
            for line in self.lines
        }


class BulkAssignForm(forms.Form):
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("assign to"), empty_label=_("nobody")
    )

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[Any], self.fields["assignee"]).queryset = workers


class BulkMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("move to"), choices=Stage.choices)
    effective_on = DigitsDateField(
        label=_("date it happened"),
        required=False,
        help_text=_("Leave empty for today."),
    )
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
