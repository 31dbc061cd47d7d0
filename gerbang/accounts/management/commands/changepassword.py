"""``manage.py changepassword`` with Django's interface, changing the password through
``accounts.services.password_change``: the same rules as every other password, an event
recorded (the operator at the console acts as the system), the account's other sessions ended
and its count of failed sign-ins started again."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.management.commands import changepassword
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS

from gerbang.accounts import services
from gerbang.accounts.models import User
from gerbang.core.actors import COMMAND
from gerbang.core.exceptions import ApplicationError

MAX_TRIES = 3


class Command(changepassword.Command):
    help = "Change an account's password (by the accounts' password rules, recorded as an event)."

    def handle(self, *args: Any, **options: Any) -> str:
        if options["database"] != DEFAULT_DB_ALIAS:
            raise CommandError("The accounts services write to the default database only.")
        email = options["username"] or getpass.getuser()
        user = User.objects.filter(email__iexact=services.normalize_email(email)).first()
        if user is None:
            raise CommandError(f"user '{email}' does not exist")
        self.stdout.write(f"Changing password for user '{user}'")
        for _attempt in range(MAX_TRIES):
            password = self._get_pass()
            if password != self._get_pass("Password (again): "):
                self.stdout.write("Passwords do not match. Please try again.")
                continue
            try:
                services.password_change(user=user, new_password=password, actor=COMMAND)
            except ApplicationError as exc:
                self.stderr.write(str(exc.message))
                continue
            return f"Password changed successfully for user '{user}'"
        raise CommandError(f"Aborting password change for user '{user}' after {MAX_TRIES} attempts")

    def _get_pass(self, prompt: str = "Password: ") -> str:
        password = getpass.getpass(prompt=prompt)
        if not password:
            raise CommandError("aborted")
        return password
