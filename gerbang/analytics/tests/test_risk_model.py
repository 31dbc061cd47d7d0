"""The anomaly model: it finds the unusual case, explains it by the features that make it so, is
rebuilt identically from what is stored (no pickle), and refuses a stored model that was changed."""

from __future__ import annotations

import random

import pytest

from gerbang.analytics.models import RiskModel
from gerbang.analytics.risk import model
from gerbang.analytics.risk.features import FEATURES
from gerbang.analytics.risk.texts import describe

NAMES = [feature.name for feature in FEATURES]


def _usual(generator: random.Random) -> list[float]:
    """One ordinary application, in raw units (the order of ``FEATURES``)."""
    child = 1.0 if generator.random() < 0.2 else 0.0
    return [
        generator.lognormvariate(3.4, 0.6),  # fill_minutes, about 30
        float(generator.choice(range(7, 23))),  # submit_hour
        1.0 if generator.random() < 0.2 else 0.0,  # weekend
        generator.lognormvariate(5.0, 1.0),  # account_age_days
        child,  # account_cases_365d
        1.0 + child,  # account_subjects_365d
        child,  # for_child
        1.0 if generator.random() < 0.1 else 0.0,  # phone_accounts_90d
        generator.choice((350_000.0, 650_000.0)),  # fee
        0.0,  # replaced_documents
    ]


@pytest.fixture
def stored(db: None) -> RiskModel:
    generator = random.Random(7)
    rows = [_usual(generator) for _ in range(400)]
    return RiskModel.objects.create(**model.fit(rows, NAMES))


def _case(**changes: float) -> list[float]:
    row = [30.0, 11.0, 0.0, 150.0, 0.0, 1.0, 0.0, 0.0, 350_000.0, 0.0]
    for name, value in changes.items():
        row[NAMES.index(name)] = value
    return row


def test_a_typical_case_is_usual_and_an_odd_one_is_not(stored: RiskModel) -> None:
    fitted = model.fitted(stored)
    assert not fitted.is_unusual(fitted.score(_case()))
    odd = _case(fill_minutes=1, account_cases_365d=6, account_subjects_365d=6, phone_accounts_90d=5)
    assert fitted.is_unusual(fitted.score(odd))
    assert fitted.more_unusual_than(fitted.score(odd)) > 0.98
    # About ANOMALY_SHARE of the training cases are below the threshold.
    below = sum(1 for s in stored.training_scores if s < stored.threshold)
    assert below <= len(stored.training_scores) * model.ANOMALY_SHARE + 1


def test_the_explanation_names_what_was_changed_first(stored: RiskModel) -> None:
    fitted = model.fitted(stored)
    for name, value in (("phone_accounts_90d", 6.0), ("account_cases_365d", 8.0), ("fill_minutes", 0.5)):
        contributions = fitted.explain(_case(**{name: value}))
        assert contributions, name
        assert contributions[0].features == (name,)
        assert contributions[0].values == (value,)
        assert contributions[0].typical == (stored.typical[NAMES.index(name)],)
        assert contributions[0].gain > 0
        # Gains are in order, most first.
        gains = [c.gain for c in contributions]
        assert gains == sorted(gains, reverse=True)


class _EitherIsEnough:
    """A forest for whom a case is unusual when it applied from a busy account or a shared phone,
    either one: resetting one alone changes nothing (the other still makes it unusual)."""

    def __init__(self, typical_input: list[float]) -> None:
        self.typical = typical_input

    def score_samples(self, rows: list[list[float]]) -> list[float]:
        cases, phone = NAMES.index("account_cases_365d"), NAMES.index("phone_accounts_90d")
        return [
            -0.9 if row[cases] > self.typical[cases] + 2 or row[phone] > self.typical[phone] + 2 else -0.5
            for row in rows
        ]


def test_when_no_single_feature_explains_the_pair_is_named(stored: RiskModel) -> None:
    fitted = model.Fitted(stored)
    fitted.forest = _EitherIsEnough(fitted.typical_input)
    (contribution,) = fitted.explain(_case(account_cases_365d=7, phone_accounts_90d=6))
    assert set(contribution.features) == {"account_cases_365d", "phone_accounts_90d"}
    assert contribution.gain == pytest.approx(0.4)
    # One of them alone: that one is named.
    (alone, *_rest) = fitted.explain(_case(account_cases_365d=7))
    assert alone.features == ("account_cases_365d",)


def test_explanations_read_as_sentences() -> None:
    single = {
        "code": "anomaly.features",
        "params": {"features": ["fill_minutes"], "values": [2.0], "typical": [31.0], "gain": 0.1},
    }
    assert (
        describe(single)
        == "Time from starting the application to submitting it: 2 minutes (usually 31 minutes)."
    )
    pair = {
        "code": "anomaly.features",
        "params": {
            "features": ["submit_hour", "for_child"],
            "values": [3.0, 1.0],
            "typical": [13.0, 0.0],
            "gain": 0.05,
        },
    }
    assert describe(pair) == (
        "The combination of “Hour of submission (office time): 03:00” (usually 13:00) and "
        "“Applied for a child: yes” (usually no)."
    )
    assert "erased" in describe({"code": "anomaly.features"})


def test_every_process_rebuilds_the_same_forest(stored: RiskModel) -> None:
    first = model.Fitted(stored)
    second = model.Fitted(RiskModel.objects.get(pk=stored.pk))
    rows = [_case(), _case(fill_minutes=2), _case(phone_accounts_90d=4)]
    assert first.scores(rows) == second.scores(rows)
    assert model.fitted(stored) is model.fitted(stored)  # built once per process


def test_the_stored_model_is_numbers_only(stored: RiskModel) -> None:
    assert stored.features == NAMES
    assert all(isinstance(value, float) for row in stored.training for value in row)
    assert len(stored.training) == 400 and len(stored.typical) == len(NAMES)


def test_a_changed_model_is_refused(stored: RiskModel) -> None:
    RiskModel.objects.filter(pk=stored.pk).update(threshold=0.0)
    with pytest.raises(model.ModelRefused, match="digest"):
        model.Fitted(RiskModel.objects.get(pk=stored.pk))
    stored.refresh_from_db()
    fields = {name: getattr(stored, name) for name in model.DIGESTED}
    fields["features"] = [*NAMES[:-1], "sex"]
    tampered = RiskModel.objects.create(**fields, digest=model.digest_of(fields))
    with pytest.raises(model.ModelRefused, match="protected"):
        model.Fitted(tampered)


def test_too_few_cases_fit_nothing() -> None:
    with pytest.raises(ValueError, match="too few"):
        model.fit([[0.0] * len(NAMES)] * (model.MIN_TRAINING - 1), NAMES)
