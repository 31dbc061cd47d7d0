"""The partner simulators as the tests start them: a real server on a free port, in a thread,
with the demo's three agencies registered with its keys and Gerbang's key given to it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gerbang.core import exchange_protocol as protocol
from gerbang.core.actors import SystemActor
from gerbang.integrations import keys, services
from gerbang.integrations.models import Agency, InboundService
from gerbang.simulators.partners import App, serve

TESTS = SystemActor("tests")
POLICE_BASIS = "UU 2/2002 Pasal 14 ayat (1) huruf g"


@dataclass
class Simulator:
    url: str
    app: App

    def control(self, path: str, data: Any = None) -> Any:
        with httpx.Client(timeout=5) as client:
            response = (
                client.post(f"{self.url}/_control/{path}", json=data)
                if data is not None
                else client.get(f"{self.url}/_control/{path}")
            )
            response.raise_for_status()
            return response.json()

    def mode(self, agency: str, mode: str, **extra: Any) -> None:
        self.control(f"{agency}/mode", {"mode": mode, **extra})

    @property
    def state(self) -> Any:
        return self.app.state


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    server = serve("127.0.0.1", 0, None)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Simulator(url=f"http://127.0.0.1:{server.server_port}", app=server.get_app())  # type: ignore[arg-type]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def partners(db: None, simulator: Simulator, settings: Any) -> Simulator:
    """The agencies registered as the demo registers them, against this simulator."""
    settings.PARTNER_SIMULATOR_URL = simulator.url
    settings.EXCHANGE_RETRY_SECONDS = 0
    published = simulator.app.keys()
    for code in ("dukcapil", "polri", "kemlu"):
        agency = services.agency_register(
            code=code, name=code.upper(), base_url=f"{simulator.url}/{code}", actor=TESTS
        )
        services.agency_key_add(
            agency=agency, key_id=published[code]["key_id"], public_pem=published[code]["pem"], actor=TESTS
        )
    services.grant_set(
        agency=Agency.objects.get(code="polri"),
        service=InboundService.PASSPORT_CANCELLATION,
        legal_basis=POLICE_BASIS,
        per_minute=30,
        actor=TESTS,
    )
    simulator.control("clients", {keys.own_key_id(): protocol.public_pem(keys.own_key())})
    return simulator
