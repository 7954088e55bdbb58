"""Seeded synthetic data: realistic Afghan households (principal, family, employment) with
planted duplicates of known truth, for tests, demos and load runs. Pure Python, no Django.

Name tables come from general knowledge of common Afghan names (see ``names.py``); the
naming, date and document conventions modelled are those of /work/shared/DOMAIN.md.
"""

from __future__ import annotations

from safepassage.synth.generator import generate_households, generate_people_count
from safepassage.synth.records import SynthEmployment, SynthHousehold, SynthPerson

__all__ = [
    "SynthEmployment",
    "SynthHousehold",
    "SynthPerson",
    "generate_households",
    "generate_people_count",
]
