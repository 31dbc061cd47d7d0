"""The face check's operating point, calibrated by ``bench/face.py`` (docs/biometrics.md).

The distance is the Euclidean distance between two dlib embeddings. dlib's own operating point is
0.6 (99.38 % accuracy on LFW's pairs); on Gerbang's labelled set (small and synthetic: see the
docs) the measured rates at 0.6 and at the chosen value are in docs/biometrics.md. An operator may set another value
with ``BIOMETRIC_FACE_THRESHOLD`` after measuring it on its own data.
"""

from __future__ import annotations

from django.conf import settings

# The value bench/face.py chose: the largest (in hundredths) whose false match rate on its set is
# at most 0.1 % (lower: fewer false matches, more pictures of the same person called "no match").
# At dlib's 0.6 the set's false match rate was 6 %: its impostors are small, blurred faces.
FACE_THRESHOLD = 0.44
# Within this of the threshold, the page says the picture alone says little either way.
BORDERLINE_MARGIN = 0.06


def face_threshold() -> float:
    value = getattr(settings, "BIOMETRIC_FACE_THRESHOLD", None)
    return float(value) if value else FACE_THRESHOLD


# Two application photos this close are taken for one face (a risk flag for an officer). Far
# stricter than the counter's threshold: one new photo is compared with every other, so the
# false match rate per pair must be tiny (bench/face.py: no impostor pair of its set came this
# close; its nearest was 0.34).
DUPLICATE_THRESHOLD = 0.30
