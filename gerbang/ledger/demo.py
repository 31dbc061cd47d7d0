"""The demo's events go into the public log as soon as the demo is loaded (as the worker would
a few seconds later), so that /ledger/ shows them at once; and a demo witness, "Ombudsman RI
(demo)", cosigns the latest checkpoint through the witness program's own code
(``gerbang.ledger.witness.follow``), so that the checkpoint is shown co-signed.

The demo witness's secret key lives in the var folder like the other local secrets; its state
(the checkpoint it cosigned last) is read back from its stored cosignatures, so loading the demo
again checks that the log only grew since.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from gerbang.core import demo
from gerbang.core.actors import DEMO
from gerbang.ledger import keys, selectors, services
from gerbang.ledger.models import Cosignature, Witness
from gerbang.ledger.services import log_integrate
from gerbang.ledger.tlog.note import SIG_COSIGNATURE_V1, CosignatureSigner, generate_signer, parse_signer_key
from gerbang.ledger.witness import Outcome, State, follow
from gerbang.ledger.witness import Witness as WitnessProgram

DEMO_WITNESS_NAME = "Ombudsman RI (demo)"
DEMO_WITNESS_KEY_NAME = "ombudsman-ri.demo/witness"


def demo_witness_signer() -> CosignatureSigner:
    """The demo witness's key, generated once into the var folder (never into the database)."""
    path = Path(settings.VAR_DIR) / "ledger_demo_witness_key"
    if not path.exists():
        try:
            with path.open("x") as handle:
                handle.write(generate_signer(DEMO_WITNESS_KEY_NAME, SIG_COSIGNATURE_V1).signer_key())
            path.chmod(0o600)
        except FileExistsError:
            pass
    signer = parse_signer_key(path.read_text().strip())
    if not isinstance(signer, CosignatureSigner):
        raise ValueError(f"{path} holds no cosignature/v1 key")
    return signer


class InProcessLog:
    """The witness program's view of the log (``witness.LogClient``), read and written through
    the same selectors and service as ``/ledger/checkpoint``, the proof API and ``/ledger/cosign``."""

    def checkpoint(self) -> str:
        latest = selectors.latest_checkpoint()
        if latest is None:
            raise ValueError("the log has no checkpoint")
        return selectors.cosigned_note(latest)

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        return selectors.consistency_proof_between(old_size, new_size).hashes

    def submit(self, cosigned_note: str) -> str:
        stored = services.cosignature_submit(note=cosigned_note, actor=DEMO)
        return f"stored {len(stored)} cosignature(s)"


def _state(witness: Witness) -> State | None:
    last = (
        Cosignature.objects.filter(witness=witness, checkpoint__origin=keys.origin())
        .select_related("checkpoint")
        .order_by("-checkpoint__size", "-pk")
        .first()
    )
    if last is None:
        return None
    checkpoint = last.checkpoint
    return State(checkpoint.origin, checkpoint.size, bytes(checkpoint.root), checkpoint.note, submitted=True)


def demo_witness_cosign() -> Outcome | None:
    """Register the demo witness if need be, and let it cosign the latest checkpoint."""
    signer = demo_witness_signer()
    vkey = signer.verifier().verifier_key()
    witness = Witness.objects.filter(name=DEMO_WITNESS_NAME).first()
    if witness is None:
        witness = services.witness_register(
            name=DEMO_WITNESS_NAME,
            verifier_key=vkey,
            # Staff-authored text, in the office's language (Indonesian) like the rest of the demo.
            note="Saksi demo: kuncinya tersimpan di folder var, dan pemuat data demo memakainya "
            "untuk ikut menandatangani checkpoint terbaru.",
            actor=DEMO,
        )
    if witness.verifier_key != vkey or not witness.active:
        return None  # registered with another key (the var folder was reset) or retired
    # The log's keys as /ledger/key lists them: the demo witness follows a change of key too.
    program = WitnessProgram(signer, selectors.key_ring(), keys.origin(), _state(witness))
    return follow(InProcessLog(), program, save=lambda state: None)


def load() -> int:
    log_integrate(actor=DEMO)
    demo_witness_cosign()
    return log_size()


def log_size() -> int:
    return selectors.log_size()


demo.register("ledger", load, summary=lambda size: f"{size} ledger entries")
