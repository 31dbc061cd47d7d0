"""The index of the application photos' embeddings, for finding one face in several people's
applications (a risk flag, raised by the analytics: ``analytics.risk.rules.same_face``).

Exact nearest neighbours by brute force: every embedding in one float32 matrix held by the
process (512 MiB at a million faces), the squared distances to a query as one matrix-vector
product. ``bench/face.py`` measures it at a million faces. The matrix is filled on first use
and then only with the rows added since (by id), so each search costs one small query; rows
erased since are dropped from the answer by a check against the table. Embeddings are stored
encrypted; they are decrypted only into this memory, never written elsewhere.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Max

from gerbang.biometrics.models import FaceReference, ReferenceRole

DIMENSIONS = 128
# Rows read from the database per round trip when the index is filled.
CHUNK = 5000


@dataclass
class _Matrix:
    ids: np.ndarray[Any, Any] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    applications: np.ndarray[Any, Any] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    vectors: np.ndarray[Any, Any] = field(default_factory=lambda: np.zeros((0, DIMENSIONS), dtype=np.float32))
    norms: np.ndarray[Any, Any] = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    last_id: int = 0

    def extend(self, rows: list[tuple[int, int, tuple[float, ...]]]) -> None:
        if not rows:
            return
        vectors = np.asarray([row[2] for row in rows], dtype=np.float32)
        self.ids = np.concatenate([self.ids, np.asarray([row[0] for row in rows], dtype=np.int64)])
        self.applications = np.concatenate(
            [self.applications, np.asarray([row[1] for row in rows], dtype=np.int64)]
        )
        self.vectors = np.concatenate([self.vectors, vectors])
        self.norms = np.concatenate([self.norms, (vectors**2).sum(axis=1)])
        self.last_id = max(self.last_id, int(self.ids.max()))

    def within(self, query: np.ndarray[Any, Any], radius: float) -> list[tuple[int, int, float]]:
        """(reference id, application id, distance) of every row within ``radius`` of ``query``."""
        if not len(self.ids):
            return []
        squared = self.norms - 2 * (self.vectors @ query) + float(query @ query)
        near = np.nonzero(squared <= radius * radius)[0]
        return sorted(
            (
                (int(self.ids[i]), int(self.applications[i]), float(np.sqrt(max(squared[i], 0.0))))
                for i in near
            ),
            key=lambda row: row[2],
        )


_lock = threading.Lock()
_matrix = _Matrix()


def _photos() -> Any:
    return FaceReference.objects.filter(role=ReferenceRole.PHOTO).exclude(embedding_text="")


def _refresh() -> _Matrix:
    global _matrix
    with _lock:
        newest = FaceReference.objects.aggregate(newest=Max("pk"))["newest"] or 0
        if newest < _matrix.last_id:  # rows this process loaded were rolled back or deleted
            _matrix = _Matrix()
        while True:
            rows = list(
                _photos()
                .filter(pk__gt=_matrix.last_id)
                .order_by("pk")
                .values_list("pk", "application_id", "embedding_text")[:CHUNK]
            )
            _matrix.extend([(pk, case, tuple(_decoded(text))) for pk, case, text in rows])
            if len(rows) < CHUNK:
                return _matrix


def _decoded(text: str) -> list[float]:
    return list(json.loads(text))


def reset() -> None:
    """Forget what this process holds (tests; after the table was emptied)."""
    global _matrix
    with _lock:
        _matrix = _Matrix()


def faces_near(
    embedding: tuple[float, ...], *, radius: float, excluding_application: int
) -> list[tuple[int, float]]:
    """The applications whose photo is within ``radius`` of ``embedding`` (each once, nearest
    first), other than ``excluding_application``; rows erased since they were loaded are left out."""
    matrix = _refresh()
    query = np.asarray(embedding, dtype=np.float32)
    found = [row for row in matrix.within(query, radius) if row[1] != excluding_application]
    still_there = set(_photos().filter(pk__in=[row[0] for row in found]).values_list("pk", "application_id"))
    nearest: dict[int, float] = {}
    for reference, application, distance in found:
        if (reference, application) in still_there and application not in nearest:
            nearest[application] = distance
    return sorted(nearest.items(), key=lambda pair: pair[1])
