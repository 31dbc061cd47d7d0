"""sitemap.xml: the public pages search engines should know."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gerbang.catalog.models import Office, Service
from gerbang.content.models import Guide


class StaticPages(Sitemap[str]):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> list[str]:
        return [
            "core:home",
            "catalog:service_list",
            "catalog:guide",
            "catalog:office_list",
            "content:faq",
            "content:guide_list",
            "content:notices",
            "content:official_channels",
            "content:rights",
            "content:campaigns",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class Services(Sitemap[Service]):
    changefreq = "weekly"
    priority = 0.9

    def items(self) -> Any:
        return Service.objects.filter(is_active=True).order_by("code")

    def location(self, item: Service) -> str:
        return reverse("catalog:service_detail", args=[item.code])


class Offices(Sitemap[Office]):
    changefreq = "weekly"
    priority = 0.7

    def items(self) -> Any:
        return Office.objects.public().order_by("code")

    def location(self, item: Office) -> str:
        return reverse("catalog:office_detail", args=[item.code])

    def lastmod(self, item: Office) -> Any:
        return item.updated_at


class Guides(Sitemap[Guide]):
    changefreq = "monthly"
    priority = 0.6

    def items(self) -> Any:
        return Guide.objects.published().order_by("slug")

    def location(self, item: Guide) -> str:
        return reverse("content:guide_detail", args=[item.slug])

    def lastmod(self, item: Guide) -> Any:
        return item.updated_at


SITEMAPS = {"pages": StaticPages, "services": Services, "offices": Offices, "guides": Guides}
