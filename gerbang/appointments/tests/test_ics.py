"""The appointment's calendar file: RFC 5545 that calendar apps read back as it was meant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from gerbang.appointments.ics import CalendarEvent, calendar_file

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
LOCATION = (
    "Kantor Imigrasi Kelas I TPI Makassar, Jl. Perintis Kemerdekaan Km. 13; Daya, Biringkanaya, "
    "Kota Makassar, Sulawesi Selatan\nLantai 2, loket paspor · pintu timur"
)


def event(**changes: object) -> CalendarEvent:
    values: dict[str, object] = {
        "uid": "GB-7K3QX@gerbang",
        "starts_at": datetime(2026, 12, 8, 9, 0, tzinfo=WITA),
        "ends_at": datetime(2026, 12, 8, 9, 30, tzinfo=WITA),
        "summary": "Interview, biometrics; photo · Makassar",
        "location": LOCATION,
        "description": "Booking code: GB-7K3QX.\nBring the original documents, please; thank you.",
        "url": "https://gerbang.example.id/applications/12/appointment/",
        "sequence": 2,
    }
    return CalendarEvent(**{**values, **changes})  # type: ignore[arg-type]


def parsed(text: str) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(text)
    (entry,) = calendar.events
    return calendar, entry


def test_the_file_reads_back_with_every_value_as_written() -> None:
    calendar, entry = parsed(calendar_file(event(), now=NOW))
    assert str(calendar.method) == "PUBLISH" and str(calendar.version) == "2.0"
    assert str(entry.uid) == "GB-7K3QX@gerbang"
    # Commas, semicolons and line breaks come back unchanged after escaping.
    assert str(entry.summary) == "Interview, biometrics; photo · Makassar"
    assert str(entry.location) == LOCATION
    assert str(entry.description) == event().description
    assert str(entry.url) == event().url
    assert entry.sequence == 2 and entry.status == "CONFIRMED"
    # 09:00 in Makassar (UTC+8) is 01:00 UTC: the same moment, written in UTC.
    starts = entry.start
    assert isinstance(starts, datetime) and starts.utcoffset() == timedelta(0)
    assert starts == datetime(2026, 12, 8, 9, 0, tzinfo=WITA)
    assert entry.end - starts == timedelta(minutes=30)
    (alarm,) = entry.subcomponents
    assert isinstance(alarm, Alarm)
    reminder = alarm.TRIGGER
    assert reminder == timedelta(hours=-2) and str(alarm["ACTION"]) == "DISPLAY"


def test_special_characters_are_escaped_and_long_lines_folded() -> None:
    text = calendar_file(event(), now=NOW)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert "SUMMARY:Interview\\, biometrics\\; photo · Makassar\r\n" in text
    assert "DTSTART:20261208T010000Z\r\n" in text
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    location = next(i for i, line in enumerate(lines) if line.startswith("LOCATION:"))
    assert lines[location + 1].startswith(" ")  # the long location goes on, folded
    unfolded = text.replace("\r\n ", "")
    assert "\\nLantai 2\\, loket paspor" in unfolded and "Km. 13\\; Daya" in unfolded


def test_a_cancelled_appointment_cancels_the_entry_and_has_no_reminder() -> None:
    calendar, entry = parsed(calendar_file(event(cancelled=True, url=""), now=NOW))
    assert str(calendar.method) == "CANCEL" and entry.status == "CANCELLED"
    assert "URL" not in entry
    assert entry.subcomponents == []
