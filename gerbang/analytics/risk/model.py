"""The anomaly model: an Isolation Forest (scikit-learn) over the allowlisted features of recent
applications, and the explanation of each unusual case by the features that make it so.

**Storing it without pickles.** A fitted forest is not stored: ``RiskModel`` keeps the rows it
was fitted on (feature values only, no identifiers), the seed and the number of trees, and a
SHA-256 digest of all of it. Any process builds the very same forest from that row (the fit is
deterministic for the same rows, seed and scikit-learn version) in a fraction of a second and
keeps it in memory; a row whose digest does not match, or that names a feature outside the
allowlist, is refused. Nothing is ever unpickled, so nobody who can write a file (or a row) can
make the server run code.

**Explanations.** For a case x, each feature j in turn is set to its typical value (the median
over the training rows) and the case scored again: the rise in the score (towards "normal") is
feature j's contribution. The features whose reset helps most, in order, are the reasons given
("Time from starting to submitting: 2 minutes; usually about 40 minutes"). When no single feature
explains the score (interactions: only the combination is unusual), the two features whose joint
reset helps most are given together (the candidates: the four with the largest single gains,
ties broken by how far each value is from typical in its feature's usual spread). Contributions are not additive (the forest is not a sum),
so they are shown as an order and a size, never as shares of a total.

scikit-learn is imported inside the functions that use it: importing it takes seconds, and only
the worker's scans and the nightly refit need it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import statistics
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from gerbang.analytics.models import RiskModel
from gerbang.analytics.risk.features import Feature, check_allowed, model_input

logger = logging.getLogger(__name__)

# The share of recent applications the model calls unusual: the threshold is this quantile of
# the training cases' scores (bench/risk_eval.py measures what it finds and how often it is wrong).
ANOMALY_SHARE = 0.03
# Fewer recent applications than this and no model is fitted (its "usual" would mean little).
MIN_TRAINING = 50
# At most this many (the most recent) are fitted on: plenty for ten features, and a small row.
MAX_TRAINING = 5000
TREES = 200
SEED = 2126
# A single feature explains the score when resetting it raises the score at least this much;
# below, the best pair of features is named instead.
SINGLE_EXPLAINS = 0.01
# Contributions smaller than this are not worth naming.
NEGLIGIBLE = 0.002
TOP_REASONS = 3


class ModelRefused(RuntimeError):
    """A stored model that must not be used (its digest does not match, or a feature is not allowed)."""


@dataclass(frozen=True)
class Contribution:
    features: tuple[str, ...]  # one, or two when only the pair explains
    values: tuple[float, ...]  # the case's values (raw units)
    typical: tuple[float, ...]  # the typical values (raw units)
    gain: float  # how much the score rises when these are set to typical


def _canonical(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


DIGESTED = (
    "features",
    "training",
    "typical",
    "threshold",
    "training_scores",
    "seed",
    "trees",
    "sklearn_version",
)


def digest_of(fields: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical({name: fields[name] for name in DIGESTED}).encode()).hexdigest()


def _forest(inputs: Sequence[Sequence[float]], *, seed: int, trees: int) -> Any:
    from sklearn.ensemble import IsolationForest

    return IsolationForest(n_estimators=trees, random_state=seed, n_jobs=1).fit(inputs)


def _inputs(features: Sequence[Feature], rows: Sequence[Sequence[float]]) -> list[list[float]]:
    return [[model_input(f, v) for f, v in zip(features, row, strict=True)] for row in rows]


def fit(
    rows: Sequence[Sequence[float]], names: Sequence[str], *, seed: int = SEED, trees: int = TREES
) -> dict[str, Any]:
    """The fields of a ``RiskModel`` fitted on ``rows`` (raw feature values in ``names`` order)."""
    import sklearn

    features = check_allowed(names)
    if len(rows) < MIN_TRAINING:
        raise ValueError(f"{len(rows)} cases are too few to fit on (at least {MIN_TRAINING})")
    training = [[round(float(v), 3) for v in row] for row in rows]
    forest = _forest(_inputs(features, training), seed=seed, trees=trees)
    scores = sorted(round(float(s), 6) for s in forest.score_samples(_inputs(features, training)))
    # The ANOMALY_SHARE quantile (nearest rank): that share of the training cases scores below it.
    threshold = scores[max(0, min(len(scores) - 1, int(len(scores) * ANOMALY_SHARE)))]
    fields: dict[str, Any] = {
        "features": list(names),
        "training": training,
        "typical": [round(statistics.median(column), 3) for column in zip(*training, strict=True)],
        "threshold": threshold,
        "training_scores": scores,
        "seed": seed,
        "trees": trees,
        "sklearn_version": sklearn.__version__,
    }
    fields["digest"] = digest_of(fields)
    return fields


class Fitted:
    """A stored model, rebuilt and ready to score and explain."""

    def __init__(self, row: RiskModel) -> None:
        import sklearn

        fields = {name: getattr(row, name) for name in DIGESTED}
        if digest_of(fields) != row.digest:
            raise ModelRefused(f"risk model {row.pk}: its digest does not match what it holds")
        if row.sklearn_version != sklearn.__version__:
            logger.warning(
                "risk model %s was fitted with scikit-learn %s, this is %s: scores may differ slightly",
                row.pk,
                row.sklearn_version,
                sklearn.__version__,
            )
        try:
            self.features = check_allowed(row.features)
        except ValueError as exc:
            raise ModelRefused(str(exc)) from exc
        self.row = row
        self.names: list[str] = list(row.features)
        self.threshold = float(row.threshold)
        self.typical: list[float] = [float(v) for v in row.typical]
        self.typical_input = [model_input(f, v) for f, v in zip(self.features, self.typical, strict=True)]
        self.training_scores: list[float] = [float(s) for s in row.training_scores]
        inputs = _inputs(self.features, row.training)
        # How far from typical a value is, in each feature's usual spread (median absolute
        # deviation; 1 where the feature hardly varies): ranks features whose reset alone helps
        # nothing (see ``explain``).
        self.spread = [
            statistics.median(abs(v - usual) for v in column) or 1.0
            for column, usual in zip(zip(*inputs, strict=True), self.typical_input, strict=True)
        ]
        self.forest = _forest(inputs, seed=row.seed, trees=row.trees)

    def scores(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """Scores of rows of raw values (lower: more unusual)."""
        if not rows:
            return []
        return [float(s) for s in self.forest.score_samples(_inputs(self.features, rows))]

    def score(self, row: Sequence[float]) -> float:
        return self.scores([row])[0]

    def is_unusual(self, score: float) -> bool:
        return score < self.threshold

    def more_unusual_than(self, score: float) -> float:
        """The share of the training cases that score higher (are more usual) than ``score``."""
        above = len(self.training_scores) - bisect_right(self.training_scores, score)
        return above / len(self.training_scores) if self.training_scores else 0.0

    def explain(self, row: Sequence[float], *, top: int = TOP_REASONS) -> list[Contribution]:
        """The features that make ``row`` unusual, most first (see the module's docstring)."""
        raw = [float(v) for v in row]
        x = _inputs(self.features, [raw])[0]
        n = len(x)
        variants = [x]
        for j in range(n):
            changed = list(x)
            changed[j] = self.typical_input[j]
            variants.append(changed)
        scored = [float(s) for s in self.forest.score_samples(variants)]
        base, singles = scored[0], scored[1:]
        # By gain; among equal gains (often none at all), the value furthest from typical first.
        gains = sorted(
            ((singles[j] - base, abs(x[j] - self.typical_input[j]) / self.spread[j], j) for j in range(n)),
            reverse=True,
        )
        named = [
            Contribution((self.names[j],), (raw[j],), (self.typical[j],), round(gain, 4))
            for gain, _distance, j in gains[:top]
            if gain >= NEGLIGIBLE
        ]
        if named and named[0].gain >= SINGLE_EXPLAINS:
            return named
        # No single feature explains it: the pair (among the four that help most) whose joint
        # reset helps most.
        candidates = [j for _gain, _distance, j in gains[:4]]
        pairs = list(combinations(candidates, 2))
        if not pairs:
            return named
        pair_rows = []
        for a, b in pairs:
            changed = list(x)
            changed[a], changed[b] = self.typical_input[a], self.typical_input[b]
            pair_rows.append(changed)
        pair_scores = [float(s) for s in self.forest.score_samples(pair_rows)]
        best = max(range(len(pairs)), key=lambda i: pair_scores[i])
        gain = pair_scores[best] - base
        if gain < NEGLIGIBLE:
            return named
        a, b = pairs[best]
        return [
            Contribution(
                (self.names[a], self.names[b]),
                (raw[a], raw[b]),
                (self.typical[a], self.typical[b]),
                round(gain, 4),
            )
        ]


_BUILT: dict[tuple[int, str], Fitted] = {}


def fitted(row: RiskModel) -> Fitted:
    """The model of ``row``, built once per process."""
    key = (row.pk, row.digest)
    if key not in _BUILT:
        _BUILT.clear()  # one model at a time: the newest
        _BUILT[key] = Fitted(row)
    return _BUILT[key]
