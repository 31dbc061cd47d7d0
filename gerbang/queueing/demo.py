"""Demo queue: every demo office has lane A for passport interviews, B for visas and stay
permits, C for collecting documents and D for information and walk-ins, and four counters
(1-2: passports and collection, 3: visas and stay permits, 4: information and everything)."""

from __future__ import annotations

from django.db import transaction

from gerbang.catalog.models import Office
from gerbang.core import demo
from gerbang.queueing.models import Counter, Lane, QueuePolicy

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
    made = 0
    for office in Office.objects.filter(is_active=True):
        lanes = {}
        for letter, name_id, name_en, group, purpose in LANES:
            lane, created = Lane.objects.get_or_create(
                office=office,
                letter=letter,
                defaults={"name_id": name_id, "name_en": name_en, "group": group, "purpose": purpose},
            )
            lanes[letter] = lane
            made += created
        for number, letters in COUNTERS:
            counter, created = Counter.objects.get_or_create(office=office, number=number)
            if created:
                counter.lanes.set([lanes[letter] for letter in letters])
        QueuePolicy.objects.get_or_create(office=office, defaults={"priority_every": 3})
    return made


demo.register("queueing", load, after=["catalog"])
