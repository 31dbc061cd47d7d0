from __future__ import annotations

import datetime as dt

import factory

from gerbang.catalog.models import Office, OpeningHours, TimeZone


class OfficeFactory(factory.django.DjangoModelFactory[Office]):
    class Meta:
        model = Office
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"office-{n}")
    name_id = factory.Sequence(lambda n: f"Kantor Imigrasi {n}")
    province = "Lampung"
    regency = "Kabupaten Mesuji"
    address = "Jl. Contoh No. 1"
    time_zone = TimeZone.WIB

    @factory.post_generation
    def hours(office: Office, create: bool, extracted: object, **kwargs: object) -> None:
        """Open every day, all day, unless a test passes ``hours=False`` or sets its own:
        visiting hours and tickets must lie within opening hours."""
        if create and extracted is not False and not office.opening_hours.exists():
            OpeningHours.objects.bulk_create(
                OpeningHours(office=office, weekday=day, opens=dt.time(0, 0), closes=dt.time(23, 59))
                for day in range(7)
            )
