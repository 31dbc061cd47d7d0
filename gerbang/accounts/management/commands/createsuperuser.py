"""``manage.py createsuperuser`` with Django's interface, creating the account through
``accounts.services.superuser_create``.

It asks for the email address, the full name and the password (twice), or with ``--noinput``
takes them from ``--email``, ``--full_name`` and the ``DJANGO_SUPERUSER_EMAIL``,
``DJANGO_SUPERUSER_FULL_NAME`` and ``DJANGO_SUPERUSER_PASSWORD`` variables (without a password
the account cannot sign in until ``manage.py changepassword`` gives it one). Unlike Django's
command it offers no way around the password rules: the service checks the password by the
same rules as every other, and records the new account as an event.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.contrib.auth.management.commands import createsuperuser
from django.core import exceptions
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS

from gerbang.accounts import services
from gerbang.accounts.models import User
from gerbang.core.actors import COMMAND
from gerbang.core.exceptions import ApplicationError


class Command(createsuperuser.Command):
    help = "Create a superuser (a national administrator who may open the technical admin)."

    def handle(self, *args: Any, **options: Any) -> None:
        if options["database"] != DEFAULT_DB_ALIAS:
            raise CommandError("The accounts services write to the default database only.")
        try:
            if options["interactive"]:
                if hasattr(self.stdin, "isatty") and not self.stdin.isatty():
                    raise createsuperuser.NotRunningInTTYException
                user = self._create_asking(options)
            else:
                user = self._create_without_input(options)
        except KeyboardInterrupt:
            self.stderr.write("\nOperation cancelled.")
            sys.exit(1)
        except exceptions.ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except createsuperuser.NotRunningInTTYException:
            self.stdout.write(
                "Superuser creation skipped due to not running in a TTY. "
                "You can run `manage.py createsuperuser` in your project to create one manually."
            )
            return
        if options["verbosity"] >= 1:
            self.stdout.write(f"Superuser created successfully: {user.email}")

    def _create_without_input(self, options: dict[str, Any]) -> User:
        email = options["email"] or os.environ.get("DJANGO_SUPERUSER_EMAIL")
        if not email:
            raise CommandError("You must use --email with --noinput.")
        problem = self._email_problem(email)
        if problem:
            raise CommandError(problem)
        full_name = options["full_name"] or os.environ.get("DJANGO_SUPERUSER_FULL_NAME")
        if not full_name:
            raise CommandError("You must use --full_name with --noinput.")
        full_name = self._field("full_name").clean(full_name, None)
        try:
            return services.superuser_create(
                email=email,
                full_name=full_name,
                password=os.environ.get("DJANGO_SUPERUSER_PASSWORD"),
                actor=COMMAND,
            )
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc

    def _create_asking(self, options: dict[str, Any]) -> User:
        email = options["email"]
        if email == "":
            raise CommandError("Email address cannot be blank.")
        if email:
            problem = self._email_problem(email)
            if problem:
                self.stderr.write(problem)
                email = None
        while not email:
            email = self.get_input_data(self.username_field, "Email address: ")
            if email:
                problem = self._email_problem(email)
                if problem:
                    self.stderr.write(problem)
                    email = None
        full_name = options["full_name"]
        if full_name is not None:
            full_name = self._field("full_name").clean(full_name, None)
        while full_name is None:
            full_name = self.get_input_data(self._field("full_name"), "Full name: ")
        while True:
            password = getpass.getpass()
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("Error: Your passwords didn't match.")
                continue
            if not password.strip():
                self.stderr.write("Error: Blank passwords aren't allowed.")
                continue
            try:
                return services.superuser_create(
                    email=email, full_name=full_name, password=password, actor=COMMAND
                )
            except ApplicationError as exc:
                if exc.field != "password":
                    raise CommandError(str(exc.message)) from exc
                # Too short, too common, too like the name or address: ask again.
                self.stderr.write(str(exc.message))

    def _field(self, name: str) -> Any:
        return User._meta.get_field(name)

    def _email_problem(self, email: str) -> str | None:
        """What is wrong with this address for a new account (taken, or not an address)."""
        try:
            self.username_field.clean(email, None)
        except exceptions.ValidationError as exc:
            return "; ".join(exc.messages)
        if User.objects.filter(email__iexact=services.normalize_email(email)).exists():
            return "Error: That email address is already taken."
        return None
