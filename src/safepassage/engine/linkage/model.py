"""The Fellegi-Sunter linkage model: for every comparison level, the probability m that two
records of the same person land there and the probability u that two records of different
people do, and the prior probability that two records picked at random are the same person.

A pair's match weight is the prior's log-odds plus log2(m/u) of each comparison's level (its
Bayes factor in bits); a missing field contributes nothing. The model holds parameters only,
never values from the records (term frequencies are supplied at scoring time), so it can be
stored with the rest of the configuration and shown to reviewers. Splink's model is the same
mathematics; this one is small enough to score an intake form in milliseconds without a
database engine.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from safepassage.engine.linkage.comparisons import COMPARISONS, MISSING

__all__ = ["MODEL_FORMAT", "LinkageModel", "probability_from_weight"]

MODEL_FORMAT: Final = 1
"""Version of :meth:`LinkageModel.to_dict`'s layout and of the comparison levels it names."""

_SMALLEST: Final = 1e-9

# Rough u probabilities for a model that has seen no data (every level's share among pairs of
# different people): enough to score before the first training run, not a substitute for it.
_UNTRAINED_U: Final = (
    (0.02, 0.01, 0.03, 0.94),
    (0.02, 0.01, 0.03, 0.94),
    (0.02, 0.01, 0.03, 0.94),
    (0.05, 0.01, 0.02, 0.92),
    (0.001, 0.03, 0.05, 0.919),
    (1e-6, 1e-5, 0.999989),
    (1e-6, 1e-5, 0.999989),
    (1e-5, 0.99999),
    (0.5, 0.5),
    (0.06, 0.94),
)


def probability_from_weight(weight: float) -> float:
    """The match probability of a match weight (log2 odds)."""
    if weight > 60:  # the probability rounds to 1.0 beyond
        return 1.0
    odds: float = 2.0**weight
    return odds / (1.0 + odds)


def _log2_ratio(m: float, u: float) -> float:
    return math.log2(max(m, _SMALLEST) / max(u, _SMALLEST))


@dataclass(frozen=True, slots=True)
class LinkageModel:
    """Parameters of the comparisons in :data:`~.comparisons.COMPARISONS`, in that order.

    ``m[c][level]`` and ``u[c][level]`` are the probabilities of comparison ``c`` landing on
    ``level`` for the same person and for different people; ``prior`` is the probability that
    two records picked at random are the same person; ``population`` is the number of records
    the model was trained on, the denominator of term-frequency adjustments. Construction
    checks the shape; :meth:`untrained` gives a starting point, :mod:`.training` a fitted one.
    """

    m: tuple[tuple[float, ...], ...]
    u: tuple[tuple[float, ...], ...]
    prior: float
    population: int
    weights: tuple[tuple[float, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.m) != len(COMPARISONS) or len(self.u) != len(COMPARISONS):
            raise ValueError("model does not have one parameter set per comparison")
        for spec, m, u in zip(COMPARISONS, self.m, self.u, strict=True):
            if len(m) != len(spec.levels) or len(u) != len(spec.levels):
                raise ValueError("model does not have one parameter per comparison level")
        if not 0.0 < self.prior < 1.0:
            raise ValueError("prior must be strictly between 0 and 1")
        if self.population < 2:  # pairs need two records
            raise ValueError("population must be at least 2")
        weights = tuple(
            tuple(_log2_ratio(m, u) for m, u in zip(ms, us, strict=True))
            for ms, us in zip(self.m, self.u, strict=True)
        )
        object.__setattr__(self, "weights", weights)

    @classmethod
    def untrained(cls, *, population: int = 100_000, prior: float | None = None) -> LinkageModel:
        """A model with EM's starting m probabilities and rough u probabilities, for scoring
        before any training (tests, a first intake on an empty database)."""
        return cls(
            m=tuple(spec.initial_m for spec in COMPARISONS),
            u=_UNTRAINED_U,
            prior=prior if prior is not None else 1.0 / population,
            population=population,
        )

    def for_population(self, population: int) -> LinkageModel:
        """This model applied to ``population`` records: the same m and u, the prior scaled
        so that each record still expects as many duplicates (the prior falls as 1/N: a model
        fitted on a sample of a large database keeps its odds per record), and the
        term-frequency denominator set to ``population``. Raises ValueError below 2."""
        if population < 2:
            raise ValueError("population must be at least 2")
        prior = min(self.prior * (self.population - 1) / (population - 1), 0.5)
        return LinkageModel(m=self.m, u=self.u, prior=prior, population=population)

    @property
    def prior_weight(self) -> float:
        """The prior as a match weight: log2 of the odds that two random records match."""
        return math.log2(self.prior / (1.0 - self.prior))

    def level_weight(self, comparison: int, level: int) -> float:
        """log2(m/u) of one comparison level; 0.0 for :data:`~.comparisons.MISSING`."""
        return 0.0 if level == MISSING else self.weights[comparison][level]

    def vector_weight(self, vector: Sequence[int]) -> float:
        """The match weight of a comparison vector, without term-frequency adjustments."""
        total = self.prior_weight
        for comparison, level in enumerate(vector):
            if level != MISSING:
                total += self.weights[comparison][level]
        return total

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description: comparisons by name with their levels' m and u."""
        return {
            "format": MODEL_FORMAT,
            "prior": self.prior,
            "population": self.population,
            "comparisons": {
                spec.name: {
                    level: {"m": m, "u": u} for level, m, u in zip(spec.levels, ms, us, strict=True)
                }
                for spec, ms, us in zip(COMPARISONS, self.m, self.u, strict=True)
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LinkageModel:
        """The model that :meth:`to_dict` described. Raises ValueError when the description
        is of another format or lacks a comparison or a level."""
        if data.get("format") != MODEL_FORMAT:
            raise ValueError("unknown linkage model format")
        try:
            described = data["comparisons"]
            m = tuple(
                tuple(float(described[spec.name][level]["m"]) for level in spec.levels)
                for spec in COMPARISONS
            )
            u = tuple(
                tuple(float(described[spec.name][level]["u"]) for level in spec.levels)
                for spec in COMPARISONS
            )
            return cls(m=m, u=u, prior=float(data["prior"]), population=int(data["population"]))
        except (KeyError, TypeError) as error:
            raise ValueError("incomplete linkage model") from error
