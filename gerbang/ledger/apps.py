from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "gerbang.ledger"
    label = "ledger"
    verbose_name = _("Public ledger")

    def ready(self) -> None:
        from gerbang.core import backups
        from gerbang.ledger import (
            checks,  # noqa: F401 - registers the system checks
            selectors,
        )

        # A restored backup's log must recompute to the checkpoint signed before the backup.
        backups.register_check("ledger", snapshot=selectors.backup_facts, verify=selectors.backup_problems)
