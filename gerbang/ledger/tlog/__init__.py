"""A transparency log's formats and proofs, with no dependency but `cryptography`.

- `gerbang.ledger.tlog.merkle`: RFC 9162 Merkle tree hashes, inclusion and consistency proofs.
- `gerbang.ledger.tlog.note`: C2SP signed notes (Ed25519), verifier and signer keys, and the
  C2SP tlog-cosignature v1 (timestamped Ed25519) that witnesses add to checkpoints.
- `gerbang.ledger.tlog.checkpoint`: C2SP tlog-checkpoint bodies, and opening a signed one.
- `gerbang.ledger.tlog.tiles`: C2SP tlog-tiles paths, tiles, entry bundles, a tile hash reader.
- `gerbang.ledger.tlog.keyring`: a log's keys over time (the current one and the retired ones,
  each valid for the checkpoint sizes of its period), Gerbang's key list format, and opening a
  checkpoint against them.
- `gerbang.ledger.tlog.errors`: the errors they raise (all `TlogError`, a `ValueError`).

Nothing here imports Django or any other part of Gerbang: a standalone verifier can vendor this
package as it is.
"""
