"""The pipeline's codes in words: each check on a move, met or not, as a translated sentence.
The engine reports codes and parameters only; this is the one place that words them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from safepassage.cases.stages import Stage
from safepassage.engine.pipeline import Code, GuardResult, MoveKind, Owner, TimeSummary
from safepassage.pipeline.models import ComDocument
from safepassage.pipeline.selectors import MoveOption

# Which form field a failed check belongs beside.
FIELD_OF_CODE = {
    Code.REASON_REQUIRED: "reason",
    Code.EFFECTIVE_DATE_IN_FUTURE: "effective_on",
    Code.EFFECTIVE_DATE_BEFORE_CURRENT_STAGE: "effective_on",
    Code.OVERRIDE_NOT_ALLOWED: "override",
}


def owner_label(owner: Owner | str) -> str:
    return {
        Owner.APPLICANT: _("the applicant"),
        Owner.PROGRAM: _("our organisation"),
        Owner.GOVERNMENT: _("the US government"),
        Owner.NONE: _("nobody (the case has ended)"),
    }[Owner(owner)]


def owner_shares(summary: TimeSummary) -> list[tuple[str, int, int]]:
    """(whose move, days, percent of all days) for the owners that had any time."""
    return [
        (owner_label(owner), summary.days_by_owner[owner], summary.share(owner))
        for owner in (Owner.GOVERNMENT, Owner.APPLICANT, Owner.PROGRAM)
    ]


def kind_label(kind: MoveKind | str) -> str:
    return {
        MoveKind.FORWARD: _("next step"),
        MoveKind.OUTCOME: _("record a decision"),
        MoveKind.BACKWARD: _("move back"),
        MoveKind.WITHDRAW: _("withdraw"),
        MoveKind.CLOSE: _("close"),
        MoveKind.REOPEN: _("reopen"),
    }[MoveKind(kind)]


def stage_label(stage: str) -> str:
    return str(Stage(stage).label) if stage in Stage.values else stage


def _date(value: str | int) -> str:
    return date_format(dt.date.fromisoformat(str(value)), "Y-m-d")


def check_text(result: GuardResult) -> str:
    """The sentence for one check, worded for its state (met or not)."""
    p = result.params
    code = result.code
    if code is Code.COM_DOCUMENT_MISSING:
        document = str(ComDocument(str(p["document"])).label)
        if not result.met:
            return _("%(document)s: missing. Add it, or record a written explanation.") % {
                "document": document
            }
        if p.get("covered_by") == "explanation":
            return _("%(document)s: covered by a written explanation.") % {"document": document}
        return _("%(document)s: on file.") % {"document": document}
    if code is Code.APPEAL_LATE:
        values = {"days": p["days_since_denial"], "limit": p["limit_days"]}
        if p.get("overridden"):
            return (
                _(
                    "Late appeal (%(days)s days after the denial letter) accepted by a "
                    "supervisor's override."
                )
                % values
            )
        if result.met:
            return (
                _("Appeal within %(limit)s days of the denial letter (%(days)s days so far).")
                % values
            )
        return (
            _(
                "The denial letter is %(days)s days old; an appeal is due within %(limit)s days. "
                "A late appeal needs a supervisor's override with a reason; otherwise start a new "
                "COM application."
            )
            % values
        )
    if code is Code.TRANSITION_NOT_ALLOWED:
        return _("A case cannot move from “%(from)s” to “%(to)s”.") % {
            "from": stage_label(str(p["from_stage"])),
            "to": stage_label(str(p["to_stage"])),
        }
    if code is Code.ROLE_NOT_ALLOWED:
        if result.met:
            return _("Your role may make this move.")
        return _(
            "Your role cannot %(kind)s a case. Withdrawing, closing and reopening are for "
            "supervisors and administrators."
        ) % {"kind": kind_label(str(p["kind"]))}
    if code is Code.REASON_REQUIRED:
        if result.met:
            return _("A reason is given.")
        return _(
            "Give a reason: moving back, withdrawing, closing, reopening and overrides need one."
        )
    if code is Code.EFFECTIVE_DATE_IN_FUTURE:
        return _("The date it happened cannot be in the future.")
    if code is Code.EFFECTIVE_DATE_BEFORE_CURRENT_STAGE:
        return _(
            "The date it happened cannot be before the case entered its current stage (%(date)s)."
        ) % {"date": _date(p["stage_entered_on"])}
    if code is Code.OVERRIDE_NOT_ALLOWED:
        return _("Only a supervisor or an administrator can override this.")
    return _("This stage change is not possible.")  # pragma: no cover - every code is worded


def move_lines(moves: Iterable[MoveOption]) -> list[dict[str, Any]]:
    """The moves open to a user, each with its guards worded, for the case page."""
    return [
        {
            "to_stage": move.to_stage,
            "label": stage_label(move.to_stage),
            "kind": move.kind.value,
            "kind_label": kind_label(move.kind),
            "ready": move.ready,
            "guards": [{"met": g.met, "text": check_text(g)} for g in move.guards],
        }
        for move in moves
    ]


def failure_texts(failures: Iterable[GuardResult]) -> list[str]:
    return [check_text(failure) for failure in failures]
