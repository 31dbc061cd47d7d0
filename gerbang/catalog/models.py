"""The catalogue: offices and their hours, the holiday calendar, services with requirements,
and fees and service standards versioned by the date they take effect."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.catalog import regions
from gerbang.core.bilingual import Bilingual


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7, Asia/Jakarta)")
    WITA = "Asia/Makassar", _("WITA (UTC+8, Asia/Makassar)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9, Asia/Jayapura)")


class OfficeClass(models.TextChoices):
    CLASS_I_TPI = "I_TPI", _("Class I, port of entry (TPI)")
    CLASS_I = "I", _("Class I")
    CLASS_II_TPI = "II_TPI", _("Class II, port of entry (TPI)")
    CLASS_II = "II", _("Class II")
    CLASS_III = "III", _("Class III")
    ULP = "ULP", _("Passport service unit (ULP)")


class OfficeQuerySet(models.QuerySet["Office"]):
    def public(self) -> OfficeQuerySet:
        """The offices the public may see and deal with: open, and not the training office."""
        return self.filter(is_active=True, is_training=False)

    def real(self) -> OfficeQuerySet:
        """Every office but the training office (open or not): what statistics count."""
        return self.filter(is_training=False)


class Office(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    office_class = models.CharField(
        _("class"), max_length=8, choices=OfficeClass.choices, default=OfficeClass.CLASS_I
    )
    province = models.CharField(_("province"), max_length=100)
    regency = models.CharField(_("regency or city"), max_length=100)
    address = models.TextField(_("address"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=32, choices=TimeZone.choices, default=TimeZone.WIB
    )
    # The working area: the regencies and cities the office serves, as their codes in the
    # Kemendagri/BPS list of regional codes (Permendagri 72/2019 on kode wilayah): 4 digits,
    # 2 of the province and 2 of the regency, comma-separated ("1811,1805,1812"). A KTP's NIK
    # starts with the code of the regency that issued it, so the area tells who resides there.
    area_codes = models.CharField(
        _("working area (regency and city codes)"),
        max_length=300,
        blank=True,
        help_text=_(
            "The 4-digit Kemendagri/BPS codes of the regencies and cities the office serves,"
            " separated by commas, e.g. 1811, 1805."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The training office (docs/training.md): synthetic cases and people that staff learn on.
    # It is never shown to the public, counted in a statistic, open data or the ledger, and
    # nothing sent about it leaves the system. Set when the office is made, never changed.
    is_training = models.BooleanField(_("training office"), default=False, editable=False)
    services: models.ManyToManyField[Service, OfficeService] = models.ManyToManyField(
        "Service", through="OfficeService", related_name="offices"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    name = Bilingual("name")

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["name_id"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return str(self.name)

    @property
    def area_code_list(self) -> list[str]:
        """The working area's codes, in the order given ([] when none is set)."""
        return [code for code in (part.strip() for part in self.area_codes.split(",")) if code]

    @property
    def area_labels(self) -> list[str]:
        """The working area as people read it: "Kabupaten Mesuji (1811)", ..."""
        return [regions.area_label(code) for code in self.area_code_list]

    @property
    def coordinates(self) -> str:
        """'-2.533, 140.717': as maps and GPS write them, the same in every language (never
        through localisation, which would write '-2,533' and make the pair ambiguous)."""
        if self.latitude is None or self.longitude is None:
            return ""
        return ", ".join(format(Decimal(value).normalize(), "f") for value in (self.latitude, self.longitude))

    @property
    def geo_uri(self) -> str:
        """The office's place as a ``geo:`` address (RFC 5870) that phones open in a map."""
        return "geo:" + self.coordinates.replace(", ", ",") if self.coordinates else ""


class OpeningHours(models.Model):
    """One opening period of an office on a weekday (0 = Monday); several allow a break."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"))
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [
            models.UniqueConstraint(fields=["office", "weekday", "opens"], name="unique_opening_period"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="weekday_0_to_6"),
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="opens_before_closes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"


class HolidayKind(models.TextChoices):
    NATIONAL = "national", _("National holiday")
    COLLECTIVE_LEAVE = "cuti_bersama", _("Collective leave day (cuti bersama)")


class Holiday(models.Model):
    """The national calendar: no office works on these days."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=HolidayKind.choices, default=HolidayKind.NATIONAL
    )
    name_id = models.CharField(_("name (Indonesian)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)

    name = Bilingual("name")

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class OfficeClosure(models.Model):
    """Days one office is closed besides the national calendar (e.g. a local event, a move)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    reason_id = models.CharField(_("reason (Indonesian)"), max_length=200)
    reason_en = models.CharField(_("reason (English)"), max_length=200, blank=True)

    reason = Bilingual("reason")

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")), name="closure_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id} closed {self.start_date}..{self.end_date}"


class ServiceCategory(models.TextChoices):
    PASSPORT = "passport", _("Passports")
    VISA = "visa", _("Visas")
    STAY_PERMIT = "stay_permit", _("Stay permits")
    AFFIDAVIT = "affidavit", _("Dual-citizenship children")


class Audience(models.TextChoices):
    CITIZEN = "citizen", _("Indonesian citizens (WNI)")
    FOREIGNER = "foreigner", _("Foreign nationals (WNA)")


class Service(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    category = models.CharField(_("category"), max_length=16, choices=ServiceCategory.choices)
    audience = models.CharField(_("for"), max_length=16, choices=Audience.choices)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    summary_id = models.TextField(_("summary (Indonesian)"))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    eligibility_id = models.TextField(_("who may apply (Indonesian)"))
    eligibility_en = models.TextField(_("who may apply (English)"), blank=True)
    # One step per line.
    steps_id = models.TextField(_("steps (Indonesian)"))
    steps_en = models.TextField(_("steps (English)"), blank=True)
    office_visit_required = models.BooleanField(_("office visit needed"), default=True)
    online_only = models.BooleanField(_("fully online"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    name = Bilingual("name")
    summary = Bilingual("summary")
    eligibility = Bilingual("eligibility")
    steps = Bilingual("steps")

    class Meta:
        ordering = ["category", "order", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return str(self.name)

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in str(self.steps).splitlines() if line.strip()]


class RequirementCase(models.TextChoices):
    ALWAYS = "always", _("Everyone")
    ADULT = "adult", _("Applicants aged 17 or over")
    MINOR = "minor", _("Children under 17")
    LOST = "lost", _("When the passport was lost")
    DAMAGED = "damaged", _("When the passport is damaged")
    HAS_OLD_PASSPORT = "has_passport", _("When you have a previous passport")


class Requirement(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveSmallIntegerField(default=0)
    applies_to = models.CharField(
        _("applies to"), max_length=16, choices=RequirementCase.choices, default=RequirementCase.ALWAYS
    )
    name_id = models.CharField(_("document (Indonesian)"), max_length=200)
    name_en = models.CharField(_("document (English)"), max_length=200, blank=True)
    format_id = models.CharField(_("format (Indonesian)"), max_length=200, blank=True)
    format_en = models.CharField(_("format (English)"), max_length=200, blank=True)
    # The applicant's photo: uploaded once, into the photo slot, checked by the photo rules
    # (a picture only), never as a second, ordinary document.
    is_photo = models.BooleanField(_("is the applicant's photo"), default=False)

    name = Bilingual("name")
    format = Bilingual("format")

    class Meta:
        ordering = ["service", "order", "id"]

    def __str__(self) -> str:
        return str(self.name)


class ServiceTerms(models.Model):
    """Fee and service standard of a service from a date on; a new row is a new version.

    The version in force on a day is the one with the latest ``effective_from`` not after it.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="terms")
    effective_from = models.DateField(_("effective from"))
    fee = models.PositiveIntegerField(_("fee (rupiah)"))
    # What the fee is made of, for display: [{"label_id": ..., "label_en": ..., "amount": int}]
    fee_breakdown = models.JSONField(_("fee breakdown"), default=list, blank=True)
    standard_working_days = models.PositiveSmallIntegerField(_("service standard (working days)"))
    payment_deadline_hours = models.PositiveSmallIntegerField(_("payment deadline (hours)"), default=2)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["service", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["service", "effective_from"], name="one_terms_version_per_day"),
            models.CheckConstraint(
                condition=models.Q(payment_deadline_hours__gte=1), name="payment_deadline_at_least_an_hour"
            ),
        ]
        verbose_name = _("fee and service standard")
        verbose_name_plural = _("fees and service standards")

    def __str__(self) -> str:
        return f"{self.service.code} from {self.effective_from}"


class OfficeService(models.Model):
    """A service an office offers, and whether it can offer it right now (and why not)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="office_services")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="office_services")
    is_available = models.BooleanField(_("available now"), default=True)
    unavailable_reason_id = models.CharField(_("why not (Indonesian)"), max_length=300, blank=True)
    unavailable_reason_en = models.CharField(_("why not (English)"), max_length=300, blank=True)
    unavailable_until = models.DateField(_("expected back"), null=True, blank=True)
    # A suspension for a time (an emergency notice that stops the service), apart from the
    # office's own switch above, so it lifts by itself when its time ends.
    suspended_from = models.DateTimeField(_("suspended from"), null=True, blank=True)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    suspension_reason_id = models.CharField(_("why suspended (Indonesian)"), max_length=300, blank=True)
    suspension_reason_en = models.CharField(_("why suspended (English)"), max_length=300, blank=True)
    # What suspended it ("announcement:12"), so only that source lifts it.
    suspended_by = models.CharField(max_length=64, blank=True)

    unavailable_reason = Bilingual("unavailable_reason")
    suspension_reason = Bilingual("suspension_reason")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "service"], name="unique_office_service")]

    def __str__(self) -> str:
        return f"{self.office_id}:{self.service_id} {'available' if self.is_available else 'unavailable'}"

    def is_suspended(self, at: datetime | None = None) -> bool:
        if not self.suspended_by or self.suspended_from is None:
            return False
        moment = at or timezone.now()
        return self.suspended_from <= moment and (
            self.suspended_until is None or moment < self.suspended_until
        )

    def is_offered(self, at: datetime | None = None) -> bool:
        """The one answer to "can this office take this service now" (pages, API, applying,
        booking): switched on and not suspended."""
        return self.is_available and not self.is_suspended(at)

    def blocked_on(self, day: date) -> str | None:
        """Why visits on ``day`` (the office's calendar) cannot be booked for this service, or
        None when they can."""
        if not self.is_available and (self.unavailable_until is None or day < self.unavailable_until):
            return str(self.unavailable_reason) or "-"
        if self.suspended_by and self.suspended_from is not None:
            zone = ZoneInfo(self.office.time_zone)
            first = timezone.localtime(self.suspended_from, zone).date()
            last = (
                None
                if self.suspended_until is None
                else timezone.localtime(self.suspended_until - timedelta(microseconds=1), zone).date()
            )
            if first <= day and (last is None or day <= last):
                return str(self.suspension_reason) or "-"
        return None

    @property
    def offered_now(self) -> bool:
        return self.is_offered()

    @property
    def why_not(self) -> str:
        """Why it is not offered now, in the reader's language."""
        if self.is_suspended():
            return str(self.suspension_reason)
        return str(self.unavailable_reason)

    @property
    def back_by(self) -> date | None:
        """The day it is expected back, in the office's own calendar."""
        if self.is_suspended() and self.suspended_until is not None:
            return timezone.localtime(self.suspended_until, ZoneInfo(self.office.time_zone)).date()
        return None if self.is_available else self.unavailable_until
