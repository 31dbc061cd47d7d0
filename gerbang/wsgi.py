"""WSGI entry point, served by granian (``granian --interface wsgi gerbang.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gerbang.settings")

application = get_wsgi_application()
