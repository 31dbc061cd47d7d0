"""Onboard and maintain partner agencies (docs/partners.md):

    manage.py exchange agency CODE --name NAME [--url URL]
    manage.py exchange key-add CODE KEY_ID PUBLIC_KEY.pem
    manage.py exchange key-retire KEY_ID
    manage.py exchange grant CODE SERVICE --basis "UU ... Pasal ..." [--per-minute N]
    manage.py exchange revoke CODE SERVICE
    manage.py exchange list
    manage.py exchange own-key          (Gerbang's public key and its fingerprint, to send)

Every change is recorded as an event of the public log, by the system ("exchange-command").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gerbang.core import exchange_protocol as protocol
from gerbang.core.actors import SystemActor
from gerbang.core.exceptions import ApplicationError
from gerbang.integrations import keys, services
from gerbang.integrations.models import Agency, AgencyKey, Grant, InboundService

ACTOR = SystemActor("exchange-command")


class Command(BaseCommand):
    help = "Register partner agencies, their keys and grants; show Gerbang's own key."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        agency = commands.add_parser("agency")
        agency.add_argument("code")
        agency.add_argument("--name", required=True)
        agency.add_argument("--url", default="")
        key_add = commands.add_parser("key-add")
        key_add.add_argument("code")
        key_add.add_argument("key_id")
        key_add.add_argument("pem_file", type=Path)
        key_retire = commands.add_parser("key-retire")
        key_retire.add_argument("key_id")
        grant = commands.add_parser("grant")
        grant.add_argument("code")
        grant.add_argument("service", choices=InboundService.values)
        grant.add_argument("--basis", required=True)
        grant.add_argument("--per-minute", type=int, default=60)
        revoke = commands.add_parser("revoke")
        revoke.add_argument("code")
        revoke.add_argument("service", choices=InboundService.values)
        commands.add_parser("list")
        commands.add_parser("own-key")

    def _agency(self, code: str) -> Agency:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(f"No agency has the code {code!r}; register it first (exchange agency).")
        return agency

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["command"]
        try:
            if command == "agency":
                agency = services.agency_register(
                    code=options["code"], name=options["name"], base_url=options["url"], actor=ACTOR
                )
                self.stdout.write(f"{agency.code}: {agency.name} {agency.base_url}")
            elif command == "key-add":
                pem = options["pem_file"].read_text()
                key = services.agency_key_add(
                    agency=self._agency(options["code"]),
                    key_id=options["key_id"],
                    public_pem=pem,
                    actor=ACTOR,
                )
                self.stdout.write(
                    f"{key.key_id} added; fingerprint {key.fingerprint} (read it back to the agency)"
                )
            elif command == "key-retire":
                found = AgencyKey.objects.filter(key_id=options["key_id"]).first()
                if found is None:
                    raise CommandError(f"No key has the id {options['key_id']!r}.")
                services.agency_key_retire(key=found, actor=ACTOR)
                self.stdout.write(f"{found.key_id} retired")
            elif command == "grant":
                grant = services.grant_set(
                    agency=self._agency(options["code"]),
                    service=options["service"],
                    legal_basis=options["basis"],
                    per_minute=options["per_minute"],
                    actor=ACTOR,
                )
                self.stdout.write(f"{options['code']} may ask {grant.service} ({grant.legal_basis})")
            elif command == "revoke":
                live = Grant.objects.filter(
                    agency=self._agency(options["code"]), service=options["service"], revoked_at__isnull=True
                ).first()
                if live is None:
                    raise CommandError("That agency holds no such grant.")
                services.grant_revoke(grant=live, actor=ACTOR)
                self.stdout.write("revoked")
            elif command == "list":
                for agency in Agency.objects.prefetch_related("keys", "grants"):
                    self.stdout.write(f"{agency.code}  {agency.name}  {agency.base_url or '-'}")
                    for key in agency.keys.all():
                        state = f"retired {key.retired_at:%Y-%m-%d}" if key.retired_at else "in use"
                        self.stdout.write(f"  key {key.key_id}  {key.fingerprint}  {state}")
                    for grant in agency.grants.filter(revoked_at__isnull=True):
                        self.stdout.write(
                            f"  may ask {grant.service}  {grant.legal_basis}  {grant.per_minute}/min"
                        )
            elif command == "own-key":
                for own in keys.published():
                    self.stdout.write(
                        f"{own['keyid']} ({own['status']}) fingerprint {protocol.fingerprint(own['pem'])}"
                    )
                    self.stdout.write(own["pem"])
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
