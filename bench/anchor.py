"""The server the booking benchmark measures: Gerbang's own WSGI application, plus one trivial
endpoint, ``/bench/read/<slot>``, that does a single primary-key read behind the same middleware
(sessions, authentication, CSRF, ...). Booking throughput is reported against it, measured by
the same server in the same run. Benchmark use only: never deployed."""

from __future__ import annotations

import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gerbang.settings")
django.setup()
settings.ROOT_URLCONF = "bench.anchor_urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after the URL switch

application = get_wsgi_application()
