"""The page of the partner agency simulators (``gerbang.simulators.partners``, a separate small
server): take an agency down, make it slow or answer wrongly, see the questions it received;
and play a partner asking Gerbang, properly or with a spoiled question, to see it answered or
refused and logged. A developer tool: English only, mounted only when ``settings.SIMULATORS``."""

from __future__ import annotations

import json
from typing import Any

import httpx
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gerbang.simulators.partners import AGENCIES, MODES

# What the page lets a tester ask Gerbang, as which agency, and how spoiled.
QUESTIONS = {
    "police": ("polri", ""),
    "police-bad-signature": ("polri", "bad_signature"),
    "police-replay": ("polri", "replay"),
    "ministry-out-of-scope": ("kemlu", ""),
}


def _control(path: str, data: dict[str, Any] | None = None) -> Any:
    base = settings.PARTNER_SIMULATOR_URL.rstrip("/")
    with httpx.Client(timeout=15) as client:
        response = (
            client.post(f"{base}/_control/{path}", json=data)
            if data is not None
            else client.get(f"{base}/_control/{path}")
        )
        response.raise_for_status()
        return response.json()


def page(request: HttpRequest) -> HttpResponse:
    if not settings.PARTNER_SIMULATOR_URL:
        return render(request, "simulators/partners.html", {"unreachable": True})
    outcome = None
    if request.method == "POST":
        try:
            if request.POST.get("agency") in AGENCIES and request.POST.get("mode") in MODES:
                _control(f"{request.POST['agency']}/mode", {"mode": request.POST["mode"]})
                messages.success(
                    request,
                    _("%(agency)s is now %(mode)s.")
                    % {"agency": request.POST["agency"], "mode": request.POST["mode"]},
                )
                return redirect("simulators:partners")
            if request.POST.get("question") in QUESTIONS and not request.POST.get("legal_basis", "").strip():
                # A partner's own client signs nothing without a purpose and a legal basis.
                messages.error(
                    request,
                    _("Give the legal basis the agency states; a question is not signed without one."),
                )
            elif request.POST.get("question") in QUESTIONS:
                agency, tamper = QUESTIONS[request.POST["question"]]
                outcome = _control(
                    "ask",
                    {
                        "gerbang_url": settings.SITE_URL,
                        "agency": agency,
                        "service": "passport-cancellation",
                        "legal_basis": request.POST.get("legal_basis", ""),
                        "tamper": tamper,
                        "payload": {
                            "passport_number": request.POST.get("passport_number", ""),
                            "date_of_birth": request.POST.get("date_of_birth", ""),
                        },
                    },
                )
        except httpx.HTTPError:
            return render(request, "simulators/partners.html", {"unreachable": True}, status=502)
    if outcome is not None:
        outcome["body_text"] = json.dumps(outcome.get("body"), indent=2, ensure_ascii=False)
    try:
        state = _control("state")
    except httpx.HTTPError:
        return render(request, "simulators/partners.html", {"unreachable": True}, status=502)
    return render(
        request,
        "simulators/partners.html",
        {
            "state": state,
            "modes": MODES,
            "outcome": outcome,
            "posted": request.POST if request.method == "POST" else {},
            "url": settings.PARTNER_SIMULATOR_URL,
        },
    )
