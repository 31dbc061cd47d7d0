"""Clients for outside parties share one TLS context: building one loaded the certificate
authorities each time (about 50 ms of CPU per SMS, push or payment call)."""

from __future__ import annotations

import ssl
from typing import Any

import pytest

from gerbang.core import outgoing


def test_clients_load_the_certificate_authorities_once(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[Any] = []
    real = ssl.SSLContext.load_verify_locations

    def counting(self: ssl.SSLContext, *args: Any, **kwargs: Any) -> None:
        loads.append(args or kwargs)
        real(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    outgoing.tls_context.cache_clear()
    try:
        for _ in range(3):
            with outgoing.http_client(timeout=5.0) as client:
                assert client.timeout.connect == 5.0
    finally:
        outgoing.tls_context.cache_clear()
    assert len(loads) == 1
