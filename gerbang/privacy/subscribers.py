"""What data protection does when other apps' events happen."""

from __future__ import annotations

from gerbang.core.consents import ConsentGiven
from gerbang.privacy import services


def consent_record(event: ConsentGiven) -> None:
    services.consent_record(subject=event.person, purpose_key=event.purpose, via=event.via)
