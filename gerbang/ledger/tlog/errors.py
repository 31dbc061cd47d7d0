"""The errors of the log's formats and proofs; each says precisely what was wrong."""

from __future__ import annotations


class TlogError(ValueError):
    """Something read or given does not follow the log's formats, or does not verify."""


class InvalidProofError(TlogError):
    """An inclusion or consistency proof does not prove what it claims."""


class MalformedError(TlogError):
    """Bytes or text that do not follow the format they claim (note, checkpoint, key, tile)."""
