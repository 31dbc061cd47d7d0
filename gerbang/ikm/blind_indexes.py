"""How the IKM's one blind index is re-keyed under a new key (see ``gerbang.core.blind_indexes``).

A response keeps only a keyed hash of its invitation's id, never the id: going from a response
to its invitation needs the key. Re-keying therefore walks the invitations, hashes each id
under the previous keys to recognise its response, and writes the hash under the current key;
the link is computed in memory, a batch at a time, and stored nowhere.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db import transaction

from gerbang.core.blind_indexes import register_rekeyed
from gerbang.core.crypto import blind_index
from gerbang.ikm.models import Response
from gerbang.ikm.selectors import INVITATION_PURPOSE
from gerbang.satisfaction.models import Invitation


def rekey_responses(previous_keys: Sequence[str], batch_size: int, dry_run: bool) -> Iterator[int]:
    after = 0
    while True:
        with transaction.atomic():
            ids = list(
                Invitation.objects.filter(pk__gt=after)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return
            current = {}
            for pk in ids:
                new = blind_index(str(pk), purpose=INVITATION_PURPOSE)
                for key in previous_keys:
                    current[blind_index(str(pk), purpose=INVITATION_PURPOSE, key=key)] = new
            changed = 0
            for response_pk, old in Response.objects.filter(key__in=current).values_list("pk", "key"):
                if current[old] == old:
                    continue
                if dry_run:
                    changed += 1
                else:
                    changed += Response.objects.filter(pk=response_pk, key=old).update(key=current[old])
        after = ids[-1]
        yield changed


register_rekeyed("ikm.Response.key", rekey_responses)
