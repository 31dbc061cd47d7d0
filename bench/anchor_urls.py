"""Gerbang's URLs and the benchmark's one-read anchor (see bench/anchor.py)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from gerbang.appointments.models import Slot


def one_read(request: HttpRequest, pk: int) -> JsonResponse:
    booked = Slot.objects.filter(pk=pk).values_list("booked", flat=True).first()
    return JsonResponse({"booked": booked})


urlpatterns = [
    path("bench/read/<int:pk>", one_read),
    path("", include("gerbang.urls")),
]
