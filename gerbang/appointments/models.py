"""Appointments: when an office receives visitors, how many, and who booked which time.

An office sets, per service group (passports, visas, stay permits, ...), a weekly schedule
(hours, slot length, places per slot, shares kept for priority and same-day visitors) and a
release policy (how many days ahead, from what local time). Slots are rows generated from it
ahead of time; each slot counts its own bookings, and a booking takes a place with one
conditional update, so a slot can never hold more bookings than its capacity.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.catalog.models import ServiceCategory


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ScheduleTemplate(models.Model):
    """One block of opening time for visits on one weekday, cut into slots of equal length."""

    office = models.ForeignKey("catalog.Office", on_delete=models.CASCADE, related_name="schedules")
    group = models.CharField(_("service group"), max_length=16, choices=ServiceCategory.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    capacity = models.PositiveSmallIntegerField(_("places per slot"))
    priority_share = models.PositiveSmallIntegerField(_("share kept for priority visitors (%)"), default=10)
    same_day_share = models.PositiveSmallIntegerField(_("share released on the day itself (%)"), default=0)

    class Meta:
        ordering = ["office", "group", "weekday", "starts"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "group", "weekday", "starts"], name="one_block_per_start"
            ),
            models.CheckConstraint(condition=Q(starts__lt=F("ends")), name="schedule_starts_before_end"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="schedule_weekday_valid"),
            models.CheckConstraint(
                condition=Q(priority_share__lte=100) & Q(same_day_share__lte=100),
                name="schedule_shares_are_percentages",
            ),
        ]
        verbose_name = _("visiting hours")
        verbose_name_plural = _("visiting hours")

    def __str__(self) -> str:
        return f"{self.office_id}/{self.group} {self.weekday} {self.starts}-{self.ends}"

    def slot_starts(self) -> list[dt.time]:
        """The local start times of the slots of this block (a last slot must fit before the end)."""
        times = []
        base = dt.datetime.combine(dt.date(2000, 1, 1), self.starts)
        end = dt.datetime.combine(dt.date(2000, 1, 1), self.ends)
        step = dt.timedelta(minutes=self.slot_minutes)
        while base + step <= end:
            times.append(base.time())
            base += step
        return times


class LatePolicy(models.TextChoices):
    REFUSE = "refuse", _("Refused: book a new time")
    END_OF_QUEUE = "end_of_queue", _("Served after the visitors on time")


class BookingPolicy(models.Model):
    """An office's rules for one service group; offices without a row use the defaults below."""

    office = models.ForeignKey("catalog.Office", on_delete=models.CASCADE, related_name="booking_policies")
    group = models.CharField(_("service group"), max_length=16, choices=ServiceCategory.choices)
    release_days_ahead = models.PositiveSmallIntegerField(_("days bookable ahead"), default=14)
    release_time = models.TimeField(_("new day released at (local time)"), default=dt.time(8, 0))
    hold_minutes = models.PositiveSmallIntegerField(_("minutes a chosen time is held"), default=5)
    change_cutoff_hours = models.PositiveSmallIntegerField(
        _("changes allowed until (hours before)"), default=24
    )
    max_reschedules = models.PositiveSmallIntegerField(_("times a booking may be moved"), default=2)
    checkin_before_minutes = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before)"), default=60
    )
    checkin_after_minutes = models.PositiveSmallIntegerField(_("check-in closes (minutes after)"), default=30)
    late_policy = models.CharField(
        _("after check-in closes"), max_length=16, choices=LatePolicy.choices, default=LatePolicy.REFUSE
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "group"], name="one_policy_per_group")]
        verbose_name = _("booking rules")
        verbose_name_plural = _("booking rules")

    def __str__(self) -> str:
        return f"{self.office_id}/{self.group} rules"


class ServiceQuota(models.Model):
    """At most this many bookings a day for one service at one office (on top of slot capacity)."""

    office = models.ForeignKey("catalog.Office", on_delete=models.CASCADE, related_name="service_quotas")
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="quotas")
    daily_limit = models.PositiveIntegerField(_("bookings per day"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "service"], name="one_quota_per_service")]
        verbose_name = _("daily quota")
        verbose_name_plural = _("daily quotas")

    def __str__(self) -> str:
        return f"{self.office_id}/{self.service_id} {self.daily_limit} a day"


class GeneratedDay(models.Model):
    """Marks that the slots of one office, group and day were made (a day may rightly have none)."""

    office = models.ForeignKey("catalog.Office", on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=16, choices=ServiceCategory.choices)
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "group", "day"], name="one_generation_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.group} {self.day} made"


class Slot(models.Model):
    office = models.ForeignKey("catalog.Office", on_delete=models.CASCADE, related_name="slots")
    group = models.CharField(_("service group"), max_length=16, choices=ServiceCategory.choices)
    day = models.DateField(_("date"))  # the office's local date
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    # Places only priority visitors may take, and places released on the day itself.
    reserved_priority = models.PositiveSmallIntegerField(default=0)
    reserved_same_day = models.PositiveSmallIntegerField(default=0)
    booked = models.PositiveSmallIntegerField(default=0)
    booked_priority = models.PositiveSmallIntegerField(default=0)
    # Closed by an office closure after it was made: nothing more is booked on it.
    closed = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "group", "starts_at"], name="one_slot_per_start"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_never_overbooked"),
            models.CheckConstraint(
                condition=Q(booked_priority__lte=F("booked")), name="slot_priority_within"
            ),
            models.CheckConstraint(
                condition=Q(reserved_priority__lte=F("capacity") - F("reserved_same_day")),
                name="slot_reserves_within_capacity",
            ),
        ]
        indexes = [models.Index(fields=["office", "group", "day"])]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")

    def __str__(self) -> str:
        return (
            f"{self.office_id}/{self.group} {self.starts_at:%Y-%m-%d %H:%M} ({self.booked}/{self.capacity})"
        )

    def free_for(self, *, priority: bool, same_day: bool) -> int:
        """Places left for a visitor of this kind; the same rule as the booking's update
        (``services._take_place``). Before the day, the same-day share is held back from
        everybody and the priority share from regular visitors; on the day itself every
        place left is open to anyone."""
        if same_day:
            return max(0, self.capacity - self.booked)
        room = self.capacity - self.reserved_same_day - self.booked
        if priority:
            return max(0, room)
        regular_room = self.capacity - self.reserved_same_day - self.reserved_priority
        return max(0, min(room, regular_room - (self.booked - self.booked_priority)))


class QuotaDay(models.Model):
    """The count of one day against a service's daily quota (made with the day's slots)."""

    office = models.ForeignKey("catalog.Office", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    limit = models.PositiveIntegerField()
    booked = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "service", "day"], name="one_quota_count_per_day"),
            models.CheckConstraint(condition=Q(booked__lte=F("limit")), name="quota_never_exceeded"),
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.service_id} {self.day} ({self.booked}/{self.limit})"


class Purpose(models.TextChoices):
    INTERVIEW = "interview", _("Interview and biometrics")
    PICKUP = "pickup", _("Collecting the document")


class PriorityReason(models.TextChoices):
    NONE = "", _("None")
    ELDERLY = "elderly", _("Aged 60 or over")
    DISABILITY = "disability", _("Person with a disability")
    PREGNANT = "pregnant", _("Pregnant")
    SMALL_CHILD = "small_child", _("Coming with a child under five")


class BookingStatus(models.TextChoices):
    HELD = "held", _("Held, not yet confirmed")
    CONFIRMED = "confirmed", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    LAPSED = "lapsed", _("Not confirmed in time")
    CHECKED_IN = "checked_in", _("Checked in")
    NO_SHOW = "no_show", _("Did not come")
    DONE = "done", _("Visit done")


# Statuses that keep a place in a slot (and of which a case may have only one).
ACTIVE = (BookingStatus.HELD, BookingStatus.CONFIRMED)


class Booking(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="bookings"
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    # Short code typed at the kiosk and carried by the QR token (XXXX-XXXX-C).
    code = models.CharField(_("booking code"), max_length=12, unique=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    priority_reason = models.CharField(
        _("priority"), max_length=16, choices=PriorityReason.choices, blank=True, default=""
    )
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    reschedules = models.PositiveSmallIntegerField(default=0)
    # Whether the service's daily quota (QuotaDay) counted this booking, so a release gives it back.
    counted_in_quota = models.BooleanField(default=False)
    # The first free day the applicant was shown before choosing (``seen``): the public
    # statistics' lead time. None when it was not noted (then it is not counted).
    first_free_day = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["held", "confirmed"]),
                name="one_active_booking_per_case",
            )
        ]
        indexes = [
            models.Index(fields=["slot", "status"]),
            models.Index(fields=["status", "hold_expires_at"]),
        ]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"{self.code} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def priority(self) -> bool:
        return bool(self.priority_reason)
