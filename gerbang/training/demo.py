"""The training office in the demo (docs/training.md): its synthetic set, and the demo's Mesuji
staff as members too, so the demo officer can practise and the Mesuji administrator can reset
it. Loaded last: nothing done there counts anywhere, so it needs nothing after it."""

from __future__ import annotations

from django.db import transaction

from gerbang.accounts.models import User
from gerbang.core import demo
from gerbang.training import services
from gerbang.training.services import TrainingSet

# The demo's staff who also belong to the training office (the README says so).
MEMBERS = ("petugas.mesuji@gerbang.test", "supervisor.mesuji@gerbang.test", "admin.mesuji@gerbang.test")


@transaction.atomic
def load() -> TrainingSet:
    made = services.training_set_make(actor=services.TRAINING)
    for user in User.objects.filter(email__in=MEMBERS):
        if made.office.pk not in user.office_ids():
            services.training_members_add(user=user, actor=services.TRAINING)
    return made


demo.register(
    "training",
    load,
    after=["catalog", "accounts", "applications", "appointments", "payments", "queueing"],
    summary=lambda made: f"training office: {made.cases} synthetic cases",
)
