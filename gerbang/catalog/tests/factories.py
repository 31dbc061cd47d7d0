from __future__ import annotations

import factory

from gerbang.catalog.models import Office, TimeZone


class OfficeFactory(factory.django.DjangoModelFactory[Office]):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"office-{n}")
    name_id = factory.Sequence(lambda n: f"Kantor Imigrasi {n}")
    province = "Lampung"
    regency = "Kabupaten Mesuji"
    address = "Jl. Contoh No. 1"
    time_zone = TimeZone.WIB
