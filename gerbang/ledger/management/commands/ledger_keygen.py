"""``manage.py ledger_keygen``: a new key pair for the public log (docs/operations.md, "The
public ledger's key"): the secret signer key for ``LEDGER_SIGNING_KEY`` and its public verifier
key, to publish. Nothing is stored; the database never holds a key."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gerbang.ledger import keys
from gerbang.ledger.tlog.keyring import utc_text
from gerbang.ledger.tlog.note import generate_signer


class Command(BaseCommand):
    help = "Make a new Ed25519 key pair for the public log, named for LEDGER_ORIGIN."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--signer-key-file",
            type=Path,
            help="Write the secret signer key to this new file (mode 0600, never over an existing "
            "file) instead of printing it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        signer = generate_signer(keys.origin())
        path: Path | None = options["signer_key_file"]
        if path is not None:
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except OSError as error:
                raise CommandError(f"cannot create {path}: {error}") from error
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(signer.signer_key() + "\n")
            self.stdout.write(f"LEDGER_SIGNING_KEY written to {path} (give it as LEDGER_SIGNING_KEY_FILE).")
        else:
            self.stdout.write(f"LEDGER_SIGNING_KEY={signer.signer_key()}")
            self.stderr.write("The line above is secret: put it in the key store, nowhere else.")
        self.stdout.write(f"New verifier key (publish it): {signer.verifier().verifier_key()}")
        # What the key being replaced becomes, for LEDGER_PREVIOUS_VERIFIER_KEYS (public).
        try:
            current = keys.verifier().verifier_key()
        except ImproperlyConfigured:  # no usable current key: nothing to retire
            return
        self.stdout.write(
            "When the new key is deployed, add the current one to LEDGER_PREVIOUS_VERIFIER_KEYS: "
            f"'{current} {utc_text(timezone.now())}' (with the time it stops being the log's key)."
        )
