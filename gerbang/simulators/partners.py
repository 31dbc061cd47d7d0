"""Simulators of the partner agencies (the civil registry, the police, the foreign ministry):
a separate small server that speaks the exchange protocol (``gerbang.core.exchange_protocol``)
from the other side, for development and tests only, never in production.

    python -m gerbang.simulators.partners --port 8002 --state var/partner-simulator.json

Each agency has its own Ed25519 key (made on first start, kept in the state file, published at
``GET /keys``). It trusts only the client keys it was given (``POST /_control/clients``), checks
every question's signature, digest, age and nonce, and signs every answer, bound to the question.

Failure modes, per agency (``POST /_control/<agency>/mode``): ``up``; ``down`` (its security
server answers 503); ``slow`` (answers after ``slow_seconds``, beyond Gerbang's timeout);
``wrong`` (answers fields it was not asked: a record dump Gerbang must refuse); ``forged`` (an
answer signed with a key nobody registered); ``partial`` (leaves the last field asked out).

It also plays a partner asking Gerbang (``POST /_control/ask``): a signed question to one of
Gerbang's inbound services, optionally spoiled on purpose (``tamper``: bad_signature,
out_of_scope, replay), and reports Gerbang's answer and whether its signature verified.

The control endpoints listen on the same (loopback) port; they are a test harness.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx

from gerbang.core import exchange_protocol as protocol

AGENCIES = ("dukcapil", "polri", "kemlu")
MODES = ("up", "down", "slow", "wrong", "forged", "partial")
JSON = [("Content-Type", "application/json")]


class State:
    """What the simulated agencies hold, kept in a JSON file so that it survives a restart."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.data: dict[str, Any] = {}
        if path is not None and path.exists():
            self.data = json.loads(path.read_text())
        self.data.setdefault("keys", {})
        self.data.setdefault("clients", {})
        self.data.setdefault("modes", {})
        self.data.setdefault("people", {})
        self.data.setdefault("watchlist", [])
        self.data.setdefault("sponsors", {})
        self.data.setdefault("official_passports", {})
        self.data.setdefault("slow_seconds", 8.0)
        self.data.setdefault("questions", [])
        self.data.setdefault("nonces", {})
        for agency in AGENCIES:
            if agency not in self.data["keys"]:
                self.data["keys"][agency] = {
                    "key_id": f"{agency}-sim-{int(time.time())}",
                    "pem": protocol.generate_private_pem(),
                }
            self.data["modes"].setdefault(agency, "up")
        self.save()

    def save(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(self.data, indent=1, sort_keys=True))
            temporary.chmod(0o600)
            temporary.replace(self.path)

    def private_key(self, agency: str) -> Any:
        return protocol.private_key(self.data["keys"][agency]["pem"])

    def key_id(self, agency: str) -> str:
        return str(self.data["keys"][agency]["key_id"])

    def client_key(self, key_id: str) -> Any:
        pem = self.data["clients"].get(key_id)
        return protocol.public_key(pem) if pem else None

    def remember(self, entry: dict[str, Any]) -> None:
        with self.lock:
            self.data["questions"] = ([entry] + self.data["questions"])[:50]
            self.save()

    def nonce_once(self, nonce: str) -> bool:
        """False when this nonce was seen in the last few minutes (a replay)."""
        now = time.time()
        with self.lock:
            nonces = {n: at for n, at in self.data["nonces"].items() if now - at < 600}
            if nonce in nonces:
                return False
            nonces[nonce] = now
            self.data["nonces"] = nonces
            return True


def _identity(state: State, question: dict[str, Any], mode: str) -> dict[str, Any]:
    """The civil registry's NIK verification: match or no match per field asked, never more."""
    nik = str(question.get("nik", ""))
    fields = question.get("fields")
    if not isinstance(fields, dict):
        raise ValueError("fields must be an object")
    person = state.data["people"].get(nik)
    if person is None:
        return {"nik": "not_found"}
    answered = {
        name: "match"
        if str(person.get(name, "")).strip().casefold() == str(value).strip().casefold()
        else "no_match"
        for name, value in fields.items()
    }
    if mode == "partial" and answered:
        answered.pop(sorted(answered)[-1])
    if mode == "wrong":
        # A registry that answers with the record itself: more than was asked.
        answered.update({"address": person.get("address", "Jl. Merdeka 1"), "religion": "-"})
    return {"nik": "found", "fields": answered}


def _same(a: Any, b: Any) -> bool:
    return " ".join(str(a or "").split()).casefold() == " ".join(str(b or "").split()).casefold()


def _watchlist(state: State, question: dict[str, Any], mode: str) -> dict[str, Any]:
    """The police's lists: a hit when name and birth date (or the document number) match a
    listing, a possible hit when only the name does; the listing's reference, never its record."""
    answer: dict[str, Any] = {"result": "no_hit"}
    for listing in state.data["watchlist"]:
        number = listing.get("number")
        if number and number in {question.get("nik"), question.get("passport_number")}:
            answer = {"result": "hit", "reference": listing["reference"]}
            break
        if _same(listing.get("full_name"), question.get("full_name")):
            if listing.get("date_of_birth") == question.get("date_of_birth"):
                answer = {"result": "hit", "reference": listing["reference"]}
                break
            answer = {"result": "possible_hit", "reference": listing["reference"]}
    if mode == "wrong":
        answer["listing"] = {"offence": "-", "issued_by": "-"}
    return answer


def _sponsor(state: State, question: dict[str, Any], mode: str) -> dict[str, Any]:
    """The foreign ministry's register of guarantors: good, suspended or unknown."""
    name = " ".join(str(question.get("sponsor_name", "")).split()).casefold()
    if not name:
        raise ValueError("sponsor_name is required")
    answer: dict[str, Any] = {"standing": state.data["sponsors"].get(name, "unknown")}
    if mode == "wrong":
        answer["tax_number"] = "00.000.000.0-000.000"
    return answer


def _official_passport(state: State, question: dict[str, Any], mode: str) -> dict[str, Any]:
    """The foreign ministry's register of diplomatic and service passport requests: the status
    of the request with this number, for this NIK and type; not_found otherwise (so a number
    alone tells nothing about someone else's request)."""
    number = str(question.get("request_number", "")).strip().upper()
    if not number:
        raise ValueError("request_number is required")
    request = state.data["official_passports"].get(number)
    known = (
        request is not None
        and request.get("nik") == question.get("nik")
        and request.get("type") == question.get("passport_type")
    )
    answer: dict[str, Any] = {"status": request["status"] if known and request else "not_found"}
    if mode == "wrong":
        answer["posting"] = "KBRI Den Haag"
    return answer


SERVICES: dict[tuple[str, str], Callable[[State, dict[str, Any], str], dict[str, Any]]] = {
    ("dukcapil", "/identity/verify"): _identity,
    ("polri", "/watchlist/check"): _watchlist,
    ("kemlu", "/sponsors/standing"): _sponsor,
    ("kemlu", "/passports/official/status"): _official_passport,
}


def _headers(environ: dict[str, Any]) -> protocol.Headers:
    headers = protocol.Headers()
    for name, value in environ.items():
        if name.startswith("HTTP_"):
            headers[name[5:].replace("_", "-").title()] = value
    for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(name):
            headers[name.replace("_", "-").title()] = environ[name]
    return headers


def _url(environ: dict[str, Any]) -> str:
    host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
    query = environ.get("QUERY_STRING", "")
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}{environ.get('PATH_INFO', '')}" + (
        f"?{query}" if query else ""
    )


class App:
    def __init__(self, state: State) -> None:
        self.state = state

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        if path == "/keys" and method == "GET":
            return self._json(start_response, 200, self.keys())
        if path.startswith("/_control/"):
            return self._control(start_response, method, path.removeprefix("/_control/"), body)
        agency, _, service_path = path.lstrip("/").partition("/")
        handler = SERVICES.get((agency, "/" + service_path))
        if handler is None or method != "POST":
            return self._json(start_response, 404, {"error": "not_found"})
        return self._answer(environ, start_response, agency, handler, body)

    def keys(self) -> dict[str, Any]:
        return {
            agency: {
                "key_id": self.state.key_id(agency),
                "pem": protocol.public_pem(self.state.private_key(agency)),
            }
            for agency in AGENCIES
        }

    def _json(self, start_response: Callable[..., Any], status: int, data: Any) -> list[bytes]:
        body = json.dumps(data).encode()
        start_response(
            f"{status} {'OK' if status < 400 else 'Error'}", [*JSON, ("Content-Length", str(len(body)))]
        )
        return [body]

    def _answer(
        self,
        environ: dict[str, Any],
        start_response: Callable[..., Any],
        agency: str,
        handler: Callable[[State, dict[str, Any], str], dict[str, Any]],
        body: bytes,
    ) -> list[bytes]:
        mode = self.state.data["modes"].get(agency, "up")
        request = protocol.Request(environ["REQUEST_METHOD"], _url(environ), _headers(environ))
        entry: dict[str, Any] = {"agency": agency, "at": dt.datetime.now(dt.UTC).isoformat(), "mode": mode}
        if mode == "down":
            entry["status"] = 503
            self.state.remember(entry)
            return self._json(start_response, 503, {"error": "provider_unreachable"})
        if mode == "slow":
            time.sleep(float(self.state.data["slow_seconds"]))
        status = 200
        try:
            verified = protocol.verify_request(request, body=body, lookup=self.state.client_key)
            entry.update(
                purpose=verified.purpose, legal_basis=verified.legal_basis, reference=verified.reference
            )
            if not self.state.nonce_once(verified.nonce):
                raise protocol.Refusal("replay", "This question was asked before.")
            data = handler(self.state, json.loads(body), mode)
        except protocol.Refusal as refusal:
            status, data = (
                (409 if refusal.reason == "replay" else 401),
                {"error": refusal.reason, "detail": refusal.detail},
            )
        except ValueError as error:
            status, data = 400, {"error": "invalid_request", "detail": str(error)}
        entry["status"] = status
        self.state.remember(entry)
        answer = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
        response = protocol.Response(status, protocol.Headers({"Content-Type": "application/json"}), request)
        key = (
            protocol.private_key(protocol.generate_private_pem())
            if mode == "forged"
            else self.state.private_key(agency)
        )
        with contextlib.suppress(Exception):
            protocol.sign_response(response, body=answer, key_id=self.state.key_id(agency), key=key)
        start_response(f"{status} X", [*list(response.headers.items()), ("Content-Length", str(len(answer)))])
        return [answer]

    def _control(
        self, start_response: Callable[..., Any], method: str, what: str, body: bytes
    ) -> list[bytes]:
        state = self.state
        try:
            data = json.loads(body) if body else {}
        except ValueError:
            return self._json(start_response, 400, {"error": "not JSON"})
        if what == "state" and method == "GET":
            return self._json(
                start_response,
                200,
                {
                    "modes": state.data["modes"],
                    "questions": state.data["questions"],
                    "people": len(state.data["people"]),
                },
            )
        if method != "POST":
            return self._json(start_response, 405, {"error": "POST"})
        with state.lock:
            if what == "clients":
                state.data["clients"].update({str(k): str(v) for k, v in data.items()})
            elif what == "people":
                state.data["people"].update({str(k): v for k, v in data.items()})
            elif what == "watchlist" and isinstance(data, list):
                state.data["watchlist"] = data
            elif what == "sponsors":
                state.data["sponsors"].update(
                    {" ".join(str(k).split()).casefold(): str(v) for k, v in data.items()}
                )
            elif what == "official-passports":
                state.data["official_passports"].update({str(k).upper(): v for k, v in data.items()})
            elif what.endswith("/mode") and what.split("/")[0] in AGENCIES and data.get("mode") in MODES:
                state.data["modes"][what.split("/")[0]] = data["mode"]
                if "slow_seconds" in data:
                    state.data["slow_seconds"] = float(data["slow_seconds"])
            elif what == "ask":
                return self._json(start_response, 200, ask_gerbang(state, data))
            else:
                return self._json(start_response, 404, {"error": "unknown control"})
            state.save()
        return self._json(start_response, 200, {"ok": True})


def ask_gerbang(state: State, order: dict[str, Any]) -> dict[str, Any]:
    """Play ``order["agency"]`` asking Gerbang's inbound ``order["service"]`` with
    ``order["payload"]``; ``tamper`` spoils it on purpose. Returns Gerbang's status and body and
    whether its answer's signature verified with Gerbang's published keys."""
    base = str(order["gerbang_url"]).rstrip("/")
    agency = str(order.get("agency", "polri"))
    body = json.dumps(order.get("payload", {}), separators=(",", ":")).encode()
    request = httpx.Request(
        "POST",
        f"{base}/api/v1/exchange/{order['service']}",
        content=body,
        headers={
            "Content-Type": "application/json",
            protocol.PURPOSE: str(order.get("purpose", "Pemeriksaan paspor yang ditemukan")),
            protocol.LEGAL_BASIS: str(order.get("legal_basis", "")),
            protocol.REFERENCE: str(order.get("reference", "LP/B/123/XII/2026")),
        },
    )
    tamper = order.get("tamper", "")
    protocol.sign_request(request, body=body, key_id=state.key_id(agency), key=state.private_key(agency))
    if tamper == "bad_signature":
        # The body changed after signing: the digest no longer matches.
        request = httpx.Request(request.method, request.url, content=body + b" ", headers=request.headers)
        request.headers["Content-Length"] = str(len(body) + 1)
    with httpx.Client(timeout=10) as client:
        response = client.send(request)
        if tamper == "replay":
            response = client.send(request)
        published = client.get(f"{base}/api/v1/exchange/keys").json()
    keys = {key["keyid"]: protocol.public_key(key["pem"]) for key in published["keys"]}
    try:
        protocol.verify_response(response, body=response.content, lookup=keys.get)
        verified = True
    except protocol.Refusal:
        verified = False
    return {"status": response.status_code, "body": response.json(), "answer_signature_verified": verified}


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(host: str, port: int, state_path: Path | None) -> _Server:
    """The server, not started (``serve_forever`` it, in a thread for tests)."""
    return make_server(host, port, App(State(state_path)), server_class=_Server, handler_class=_Quiet)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--state", type=Path, default=Path("var/partner-simulator.json"))
    arguments = parser.parse_args()
    server = serve(arguments.host, arguments.port, arguments.state)
    print(f"Partner agency simulators on http://{arguments.host}:{arguments.port}/ (keys at /keys)")
    server.serve_forever()


if __name__ == "__main__":
    main()
