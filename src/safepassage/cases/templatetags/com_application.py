"""The case page's "DS-157 data" and "COM package" sections, as one inclusion tag, so the case
page's view stays as it is."""

from __future__ import annotations

from typing import Any

from django import template

from safepassage.cases import com_package, ds157
from safepassage.cases.stages import Program

register = template.Library()

# The COM application belongs to the SIV; a case whose program is not set yet may become one.
_COM_PROGRAMS = (Program.SIV, Program.UNDETERMINED)


@register.inclusion_tag("cases/_com_application.html", takes_context=True)
def com_application_sections(context: template.Context) -> dict[str, Any]:
    """DS-157 completeness and the packages made, for a case the user works (nothing for a
    partner or an emergency view, nor outside the SIV)."""
    case = context.get("case")
    if case is None or context.get("access") != "work" or case.program not in _COM_PROGRAMS:
        return {"show": False}
    missing = ds157.ds157_missing(case=case)
    return {
        "show": True,
        "case": case,
        "missing": [ds157.SECTIONS[code] for code in missing],
        "packages": com_package.com_packages_for(case=case)[:5],
        "can_edit": context.get("can_edit", False),
    }
