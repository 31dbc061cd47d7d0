"""HTTP clients for calls to outside parties (SMS gateways, push services, the payment
provider). Building an httpx client loads the system's certificate authorities each time,
about 50 ms of CPU on these machines: every client shares one TLS context, made once."""

from __future__ import annotations

import ssl
from functools import cache

import httpx


@cache
def tls_context() -> ssl.SSLContext:
    """What httpx would make for each client (certifi's authorities), made once."""
    return httpx.create_ssl_context()


def http_client(*, timeout: float = 10.0) -> httpx.Client:
    return httpx.Client(timeout=timeout, verify=tls_context())
