"""Offices (Kantor Imigrasi). Services, fees and calendars join them in the portal issue."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7, Asia/Jakarta)")
    WITA = "Asia/Makassar", _("WITA (UTC+8, Asia/Makassar)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9, Asia/Jayapura)")


class Office(models.Model):
    code = models.SlugField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    province = models.CharField(_("province"), max_length=100)
    regency = models.CharField(_("regency or city"), max_length=100)
    address = models.TextField(_("address"))
    time_zone = models.CharField(
        _("time zone"), max_length=32, choices=TimeZone.choices, default=TimeZone.WIB
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name
