"""The live relay as an ASGI application: ``granian --interface asgi gerbang.live.asgi:app``."""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gerbang.settings")
django.setup()

from gerbang.live.relay import Relay  # noqa: E402 - Django must be set up first

app = Relay()
