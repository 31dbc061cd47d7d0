"""Print the current two-factor code of a demo account (DEBUG only), for trying the back office
without a phone."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (only with DEBUG on)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", nargs="?", default="petugas.mesuji@gerbang.test")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_totp works only in local development (DEBUG on).")
        device = TOTPDevice.objects.filter(user__email__iexact=options["email"], confirmed=True).first()
        if device is None:
            raise CommandError(f"{options['email']} has no authenticator set up.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        remaining = device.step - int(time.time()) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}  (valid for {remaining} more seconds)")
