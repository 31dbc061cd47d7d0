"""The tamper-evident log of case events (issue 20).

`gerbang.ledger.tlog` holds the log's formats and proofs in plain Python (the standard library and
`cryptography` only, no Django), so that an outside auditor can run the same code to verify what
the log publishes. See docs/ledger.md.
"""
