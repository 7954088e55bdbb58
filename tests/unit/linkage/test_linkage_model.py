"""The Fellegi-Sunter model: EM without labels, reviewers' labels, storage, thresholds."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from safepassage.engine.linkage import COMPARISONS, LinkageModel, Thresholds, train_model
from safepassage.engine.linkage.comparisons import MISSING
from safepassage.engine.linkage.training import estimate_m_by_em, estimate_m_in_sessions

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


def test_a_model_applied_to_a_larger_population_keeps_the_duplicates_per_record(
    linked_sample: LinkedSample,
) -> None:
    model = linked_sample.result.model

    larger = model.for_population(model.population * 10)

    assert larger.population == model.population * 10
    assert (larger.m, larger.u) == (model.m, model.u)
    per_record = model.prior * (model.population - 1)
    assert larger.prior * (larger.population - 1) == pytest.approx(per_record)
    with pytest.raises(ValueError, match="population"):
        model.for_population(1)


def test_comparisons_no_session_can_fit_are_fitted_on_every_candidate_pair() -> None:
    # Records without fathers' or grandfathers' names (first and last name only): the
    # father-grandfather session finds no pairs, so it estimates nothing. Given names then
    # disagree for a fifth of the likely matches (same identity number and birth date).
    same = (0, MISSING, MISSING, 0, 0, 0, MISSING, 0, MISSING, 0)
    respelled = (3, MISSING, MISSING, 0, 0, 0, MISSING, 0, MISSING, 0)
    namesakes = (0, MISSING, MISSING, 3, 0, 2, MISSING, 1, MISSING, 1)
    strangers = (3, MISSING, MISSING, 3, 3, 2, MISSING, 1, MISSING, 1)
    rules = ["given_birth_year", "family", "father_grandfather"]
    given_year, family = 1, 2  # bit masks of the rules finding each pair
    vectors = Counter(
        {
            (same, given_year | family): 400,
            (respelled, family): 100,
            (namesakes, given_year): 300,
            (strangers, family): 2000,
        }
    )

    m, sessions = estimate_m_in_sessions(vectors, rules)

    assert len(sessions) == 1  # the father-grandfather session had no pairs
    given = COMPARISONS[0]
    assert m[0] != given.initial_m  # fitted although no session could fit it
    assert m[0][3] == pytest.approx(0.2, abs=0.05)  # a fifth of matches respelled
    assert m[1] == COMPARISONS[1].initial_m  # no data at all: left as it started
