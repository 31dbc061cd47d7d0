"""The on-site queue: lanes of tickets (A-017), counters that call them, and the office's rules.

A visitor checks in at the kiosk with their booking (or an officer issues a walk-in ticket) and
gets a ticket in the lane of their service. Counters call the next ticket of the lanes they
serve; priority visitors (aged 60 or over, with a disability, pregnant, with a small child) are
called first or at every Nth call, as the office decides. Every ticket ends completed, as a
no-show, or transferred (its successor, with the same number, waits in another lane or for one
counter).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerbang.appointments.models import PriorityReason, Purpose
from gerbang.catalog.models import ServiceCategory
from gerbang.core.bilingual import Bilingual


class QueuePolicy(models.Model):
    """An office's queue rules; offices without a row use the defaults."""

    office = models.OneToOneField("catalog.Office", on_delete=models.CASCADE, related_name="queue_policy")
    priority_every = models.PositiveSmallIntegerField(
        _("priority visitors are called at every … call"),
        default=1,
        help_text=_("1: priority visitors always first. 3: every third call goes to a priority visitor."),
    )
    wait_target_minutes = models.PositiveSmallIntegerField(
        _("service level: longest wait (minutes)"), default=30
    )
    default_service_minutes = models.PositiveSmallIntegerField(
        _("minutes per visitor, until the office has its own figures"), default=8
    )

    class Meta:
        verbose_name = _("queue rules")
        verbose_name_plural = _("queue rules")
        constraints = [
            models.CheckConstraint(condition=Q(priority_every__gte=1), name="priority_every_at_least_one")
        ]

    def __str__(self) -> str:
        return f"{self.office_id} queue rules"


letter_validator = RegexValidator(r"^[A-Z]$", _("One capital letter, A to Z."))


class Lane(models.Model):
    """A line of tickets with its own letter. Bookings go to the lane of their service group and
    purpose (the most specific one that fits); walk-in tickets to the lane the officer chooses."""

    office = models.ForeignKey("catalog.Office", on_delete=models.CASCADE, related_name="lanes")
    letter = models.CharField(_("letter"), max_length=1, validators=[letter_validator])
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    group = models.CharField(
        _("service group"),
        max_length=16,
        choices=ServiceCategory.choices,
        blank=True,
        help_text=_("Empty: every group."),
    )
    purpose = models.CharField(
        _("visit"), max_length=16, choices=Purpose.choices, blank=True, help_text=_("Empty: every visit.")
    )
    is_active = models.BooleanField(_("in use"), default=True)

    name = Bilingual("name")

    class Meta:
        ordering = ["office", "letter"]
        constraints = [models.UniqueConstraint(fields=["office", "letter"], name="one_lane_per_letter")]
        verbose_name = _("lane")
        verbose_name_plural = _("lanes")

    def __str__(self) -> str:
        return f"{self.letter} · {self.name}"


class Counter(models.Model):
    """A service counter (loket). An officer opens it and calls the lanes it serves."""

    office = models.ForeignKey("catalog.Office", on_delete=models.CASCADE, related_name="counters")
    number = models.PositiveSmallIntegerField(_("counter number"))
    lanes = models.ManyToManyField(Lane, related_name="counters", verbose_name=_("lanes served"))
    is_active = models.BooleanField(_("in use"), default=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["office", "number"]
        constraints = [models.UniqueConstraint(fields=["office", "number"], name="one_counter_per_number")]
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return str(_("Counter %(number)s") % {"number": self.number})

    @property
    def is_open(self) -> bool:
        return self.opened_by_id is not None


class LaneDay(models.Model):
    """One lane on one day: the last ticket number given, and the calls since the last priority
    visitor (the "every Nth call" rule counts them)."""

    lane = models.ForeignKey(Lane, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)
    regular_since_priority = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lane", "day"], name="one_count_per_lane_day")]

    def __str__(self) -> str:
        return f"{self.lane_id} {self.day}: {self.last_number}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called to a counter")
    PARKED = "parked", _("Set aside for a moment")
    COMPLETED = "completed", _("Served")
    NO_SHOW = "no_show", _("Did not come when called")
    TRANSFERRED = "transferred", _("Sent to another lane or counter")


FINAL = frozenset({TicketStatus.COMPLETED, TicketStatus.NO_SHOW, TicketStatus.TRANSFERRED})


class TicketSource(models.TextChoices):
    BOOKING = "booking", _("Checked in with a booking")
    WALK_IN = "walk_in", _("Walk-in")
    TRANSFER = "transfer", _("Transferred")


class Ticket(models.Model):
    office = models.ForeignKey("catalog.Office", on_delete=models.CASCADE, related_name="tickets")
    lane = models.ForeignKey(Lane, on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField()  # the office's local date
    number = models.CharField(_("ticket number"), max_length=8)
    # The address of the visitor's phone page: unguessable, and the only key to it.
    token = models.CharField(max_length=32, unique=True)
    source = models.CharField(max_length=12, choices=TicketSource.choices)
    booking = models.ForeignKey(
        "appointments.Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    priority_reason = models.CharField(
        _("priority"), max_length=16, choices=PriorityReason.choices, blank=True, default=""
    )
    # Came after the check-in window and is served after those on time.
    late = models.BooleanField(default=False)
    # Place in the lane: the appointment time, or the arrival time (walk-ins, late arrivals).
    order_at = models.DateTimeField()
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=TicketStatus.choices)
    # The counter serving (or that served, or set aside) the ticket; for a transfer to one
    # counter, the only counter that may call it.
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    for_counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    called_at = models.DateTimeField(null=True, blank=True)
    first_called_at = models.DateTimeField(null=True, blank=True)
    last_called_at = models.DateTimeField(null=True, blank=True)
    calls = models.PositiveSmallIntegerField(default=0)
    # From the ticket to the first call, set at that call (the figures add these up).
    waited_seconds = models.PositiveIntegerField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    service_seconds = models.PositiveIntegerField(null=True, blank=True)
    transferred_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="transferred_to"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["order_at", "id"]
        constraints = [
            # Numbers are unique within the office's day (a transfer keeps its visitor's number).
            models.UniqueConstraint(
                fields=["office", "day", "number"],
                condition=~Q(source="transfer"),
                name="one_ticket_per_number",
            ),
            # A booking checks in once.
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(booking__isnull=False) & ~Q(source="transfer"),
                name="one_ticket_per_booking",
            ),
            # A counter serves one visitor at a time.
            models.UniqueConstraint(
                fields=["counter"], condition=Q(status="called"), name="one_visitor_per_counter"
            ),
        ]
        indexes = [
            models.Index(fields=["office", "day", "status"]),
            models.Index(fields=["lane", "status", "order_at"]),
        ]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")

    def __str__(self) -> str:
        return f"{self.number} ({self.status})"

    @property
    def priority(self) -> bool:
        return bool(self.priority_reason)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL


class KioskDevice(models.Model):
    """A browser at the office (a kiosk) that may check visitors in without a staff sign-in. An
    office administrator registers it once; it carries a signed cookie naming this row, and
    revoking the row stops it at once."""

    office = models.ForeignKey("catalog.Office", on_delete=models.CASCADE, related_name="kiosks")
    name = models.CharField(_("name"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["office", "name"]
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosks")

    def __str__(self) -> str:
        return self.name
