"""Demo queue: every demo office has lane A for passport interviews, B for visas and stay
permits, C for collecting documents and D for information and walk-ins, and four counters
(1-2: passports and collection, 3: visas and stay permits, 4: information and everything).

Set through the same services as the back office, by the demo national administrator; then the
past weeks' visits (``demo_visits``)."""

from __future__ import annotations

from django.db import transaction

from gerbang.accounts.demo import DEMO_ADMINISTRATOR
from gerbang.accounts.models import User
from gerbang.catalog.models import Office
from gerbang.core import demo
from gerbang.queueing import demo_history, demo_visits, services
from gerbang.queueing.models import QueuePolicy

# (letter, Indonesian name, English name, service group, purpose)
LANES = (
    ("A", "Paspor: wawancara dan biometrik", "Passports: interview and biometrics", "passport", "interview"),
    ("B", "Visa dan izin tinggal", "Visas and stay permits", "", "interview"),
    ("C", "Pengambilan dokumen", "Collecting documents", "", "pickup"),
    ("D", "Informasi dan tanpa janji", "Information and walk-ins", "", ""),
)
COUNTERS = ((1, "AC"), (2, "AC"), (3, "B"), (4, "ABCD"))


@transaction.atomic
def load() -> int:
    administrator = User.objects.get(email=DEMO_ADMINISTRATOR)
    made = 0
    for office in Office.objects.filter(is_active=True):
        lanes = {lane.letter: lane for lane in office.lanes.all()}
        for letter, name_id, name_en, group, purpose in LANES:
            if letter not in lanes:
                lanes[letter] = services.lane_save(
                    office=office,
                    letter=letter,
                    name_id=name_id,
                    name_en=name_en,
                    group=group,
                    purpose=purpose,
                    actor=administrator,
                )
                made += 1
        numbers = set(office.counters.values_list("number", flat=True))
        for number, letters in COUNTERS:
            if number not in numbers:
                services.counter_save(
                    office=office,
                    number=number,
                    lanes=[lanes[letter] for letter in letters],
                    actor=administrator,
                )
        if not QueuePolicy.objects.filter(office=office).exists():
            defaults = QueuePolicy()
            services.queue_policy_set(
                office=office,
                priority_every=3,
                wait_target_minutes=defaults.wait_target_minutes,
                default_service_minutes=defaults.default_service_minutes,
                actor=administrator,
            )
    demo_history.load()  # the past visits' tickets, once the pickup lanes exist
    demo_visits.load()  # the past weeks' visits, for the figures per day and the dashboards
    return made


demo.register("queueing", load, after=["catalog", "accounts", "applications", "appointments"])
