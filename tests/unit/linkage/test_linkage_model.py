"""The Fellegi-Sunter model: EM without labels, reviewers' labels, storage, thresholds."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from safepassage.engine.linkage import COMPARISONS, LinkageModel, Thresholds, train_model
from safepassage.engine.linkage.comparisons import MISSING
from safepassage.engine.linkage.training import estimate_m_by_em

from .conftest import LinkedSample


def test_em_converges_on_synthetic_data(linked_sample: LinkedSample) -> None:
    training = linked_sample.result.training

    assert training is not None
    assert training.sessions
    assert all(session.converged for session in training.sessions)
    assert 0.0 < training.match_share < 0.5


def test_agreement_is_likelier_for_the_same_person_than_for_different_people(
    linked_sample: LinkedSample,
) -> None:
    model = linked_sample.result.model

    for spec, m, u in zip(COMPARISONS, model.m, model.u, strict=True):
        assert m[0] > u[0], spec.name  # the strongest level: exact agreement
        assert m[-1] < u[-1], spec.name  # the weakest: disagreement
        assert sum(m) == pytest.approx(1.0)
        assert sum(u) == pytest.approx(1.0)


def test_the_prior_is_about_the_planted_duplicates_over_all_pairs(
    linked_sample: LinkedSample,
) -> None:
    records = len(linked_sample.records)
    planted = len(linked_sample.truth) / (records * (records - 1) / 2)

    assert planted / 3 < linked_sample.result.model.prior < planted * 3


def test_reviewers_labels_fix_the_posterior_of_their_pairs() -> None:
    agree = (0, 0, 0, MISSING, 0, 0, MISSING, 0, 0, 0)
    disagree = (3, 3, 3, MISSING, 3, 2, MISSING, 1, 1, 1)
    unlabelled = estimate_m_by_em(Counter({agree: 5, disagree: 500}))
    labelled = estimate_m_by_em(
        Counter({agree: 5, disagree: 500}), labelled={agree: (200, 0), disagree: (0, 200)}
    )

    assert labelled.converged
    assert labelled.m[0][0] >= unlabelled.m[0][0] - 1e-6
    assert labelled.m[0][0] > 0.9


def test_a_model_survives_storage_as_json(linked_sample: LinkedSample) -> None:
    model = linked_sample.result.model

    stored = json.dumps(model.to_dict())

    assert LinkageModel.from_dict(json.loads(stored)) == model
    assert "given_name" in stored


def test_a_stored_model_of_another_format_is_refused() -> None:
    with pytest.raises(ValueError, match="format"):
        LinkageModel.from_dict({"format": 99})


def test_train_model_alone_fits_the_same_model_as_a_batch_run(
    linked_sample: LinkedSample,
) -> None:
    assert train_model(linked_sample.records) == linked_sample.result.model


def test_thresholds_refuse_auto_link_below_review() -> None:
    with pytest.raises(ValueError, match="auto-link"):
        Thresholds(auto_link=0.0, review=5.0)
