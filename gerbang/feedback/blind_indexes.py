"""The feedback app's blind index under a new key (see ``gerbang.core.blind_indexes``)."""

from __future__ import annotations

from gerbang.core.blind_indexes import register_kept

# Found through BLIND_INDEX_PREVIOUS_KEYS instead (``report_selectors.code_hashes``).
register_kept(
    "feedback.Report.code_hash", "an anonymous report's follow-up code is known only to its reporter"
)
