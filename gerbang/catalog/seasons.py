"""The seasons that move demand at an immigration office, as dates per year (reference data).

National holidays and collective leave are in the catalogue (``Holiday``); these are the other
calendar facts that change how many people apply for a passport in a week:

- **Ramadan** and **Idulfitri** (Eid al-Fitr): Umrah in Ramadan is the year's most sought-after,
  so passports are applied for in the weeks before it; around Idulfitri people travel home
  (mudik) and offices are quiet beyond the days they are closed.
- **Hajj embarkation**: the first to the last departure of the regular pilgrims; their passports
  are made in the months before.
- **School holidays**: the end of the school year (late June to mid July) and of the first
  semester (late December): families travel abroad, and apply a few weeks before.

Sources, to be checked and extended once a year (the forecast says so when a week it forecasts
falls outside the years listed here):

- Ramadan and Idulfitri: Kementerian Agama's *sidang isbat* of each year, and the SKB 3 Menteri
  on national holidays and collective leave (Idulfitri). Years not yet decided are the *hisab*
  estimates of Kementerian Agama's Taqwim Standar Indonesia (marked ``estimate``).
- Hajj: Kementerian Agama, *Rencana Perjalanan Haji* (the operational schedule of the year's
  Hajj), first and last departure of regular pilgrims from Indonesian embarkations.
- School holidays: *Kalender Pendidikan* of Dinas Pendidikan Provinsi DKI Jakarta; other
  provinces differ by up to a week or two.

``WINDOWS`` says when each season moves demand, relative to its dates (docs/analytics.md,
"Demand forecasts"): the forecast uses, per week, the share of the week's days inside each window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class SeasonKind(StrEnum):
    RAMADAN = "ramadan"
    IDULFITRI = "idulfitri"
    HAJJ = "hajj"
    SCHOOL = "school"


@dataclass(frozen=True)
class Season:
    kind: SeasonKind
    first: date
    last: date
    source: str
    estimate: bool = False


SEASONS: tuple[Season, ...] = (
    # Ramadan, first to last day of fasting (Indonesia's government dates).
    Season(SeasonKind.RAMADAN, date(2023, 3, 23), date(2023, 4, 21), "Kemenag, sidang isbat 1444 H"),
    Season(SeasonKind.RAMADAN, date(2024, 3, 12), date(2024, 4, 9), "Kemenag, sidang isbat 1445 H"),
    Season(SeasonKind.RAMADAN, date(2025, 3, 1), date(2025, 3, 30), "Kemenag, sidang isbat 1446 H"),
    Season(SeasonKind.RAMADAN, date(2026, 2, 19), date(2026, 3, 19), "Kemenag, sidang isbat 1447 H"),
    Season(SeasonKind.RAMADAN, date(2027, 2, 8), date(2027, 3, 9), "Taqwim Standar Indonesia 1448 H", True),
    Season(SeasonKind.RAMADAN, date(2028, 1, 28), date(2028, 2, 26), "Taqwim Standar Indonesia 1449 H", True),
    # Idulfitri, the first day (1 Syawal); its window reaches a week either side.
    Season(SeasonKind.IDULFITRI, date(2023, 4, 22), date(2023, 4, 22), "SKB 3 Menteri 2023"),
    Season(SeasonKind.IDULFITRI, date(2024, 4, 10), date(2024, 4, 10), "SKB 3 Menteri 2024"),
    Season(SeasonKind.IDULFITRI, date(2025, 3, 31), date(2025, 3, 31), "SKB 3 Menteri 2025"),
    Season(SeasonKind.IDULFITRI, date(2026, 3, 20), date(2026, 3, 20), "SKB 3 Menteri 2026"),
    Season(
        SeasonKind.IDULFITRI, date(2027, 3, 10), date(2027, 3, 10), "Taqwim Standar Indonesia 1448 H", True
    ),
    Season(
        SeasonKind.IDULFITRI, date(2028, 2, 27), date(2028, 2, 27), "Taqwim Standar Indonesia 1449 H", True
    ),
    # Hajj: first to last departure of regular pilgrims.
    Season(SeasonKind.HAJJ, date(2023, 5, 24), date(2023, 6, 22), "Kemenag, Rencana Perjalanan Haji 1444 H"),
    Season(SeasonKind.HAJJ, date(2024, 5, 12), date(2024, 6, 10), "Kemenag, Rencana Perjalanan Haji 1445 H"),
    Season(SeasonKind.HAJJ, date(2025, 5, 2), date(2025, 5, 31), "Kemenag, Rencana Perjalanan Haji 1446 H"),
    Season(SeasonKind.HAJJ, date(2026, 4, 22), date(2026, 5, 21), "Kemenag, Rencana Perjalanan Haji 1447 H"),
    Season(
        SeasonKind.HAJJ,
        date(2027, 4, 11),
        date(2027, 5, 10),
        "Estimate from wukuf 1448 H (15 May 2027)",
        True,
    ),
    Season(
        SeasonKind.HAJJ, date(2028, 3, 31), date(2028, 4, 29), "Estimate from wukuf 1449 H (4 May 2028)", True
    ),
    # School holidays (DKI Jakarta): the end of the school year, and of the first semester.
    Season(
        SeasonKind.SCHOOL, date(2023, 6, 26), date(2023, 7, 15), "Kalender Pendidikan DKI Jakarta 2022/2023"
    ),
    Season(
        SeasonKind.SCHOOL, date(2023, 12, 25), date(2024, 1, 6), "Kalender Pendidikan DKI Jakarta 2023/2024"
    ),
    Season(
        SeasonKind.SCHOOL, date(2024, 6, 24), date(2024, 7, 13), "Kalender Pendidikan DKI Jakarta 2023/2024"
    ),
    Season(
        SeasonKind.SCHOOL, date(2024, 12, 23), date(2025, 1, 4), "Kalender Pendidikan DKI Jakarta 2024/2025"
    ),
    Season(
        SeasonKind.SCHOOL, date(2025, 6, 30), date(2025, 7, 12), "Kalender Pendidikan DKI Jakarta 2024/2025"
    ),
    Season(
        SeasonKind.SCHOOL, date(2025, 12, 22), date(2026, 1, 3), "Kalender Pendidikan DKI Jakarta 2025/2026"
    ),
    Season(
        SeasonKind.SCHOOL, date(2026, 6, 29), date(2026, 7, 11), "Kalender Pendidikan DKI Jakarta 2025/2026"
    ),
    Season(
        SeasonKind.SCHOOL, date(2026, 12, 21), date(2027, 1, 2), "Kalender Pendidikan DKI Jakarta 2026/2027"
    ),
    Season(
        SeasonKind.SCHOOL,
        date(2027, 6, 28),
        date(2027, 7, 10),
        "Kalender Pendidikan 2026/2027 (pattern)",
        True,
    ),
    Season(
        SeasonKind.SCHOOL,
        date(2027, 12, 20),
        date(2028, 1, 1),
        "Kalender Pendidikan 2027/2028 (pattern)",
        True,
    ),
)

# The years the table covers: a week outside them has no known seasons.
FIRST_DAY = date(2023, 1, 1)
LAST_DAY = date(2028, 6, 30)


@dataclass(frozen=True)
class Window:
    """When a season moves demand: from ``starts`` days after the season's first day (negative:
    before it) to ``ends`` days after its last day (after its first, with ``ends_from_first``)."""

    starts: int
    ends: int
    ends_from_first: bool = False


WINDOWS: dict[SeasonKind, Window] = {
    # Passports for Umrah in Ramadan: from six weeks before it to two weeks before its end.
    SeasonKind.RAMADAN: Window(-42, -14),
    # Mudik: a week either side of Idulfitri.
    SeasonKind.IDULFITRI: Window(-7, 7),
    # The pilgrims' passports: from sixteen to four weeks before the first departure.
    SeasonKind.HAJJ: Window(-112, -28, ends_from_first=True),
    # Family trips: from three weeks before the holiday to its end.
    SeasonKind.SCHOOL: Window(-21, 0),
}
KINDS: tuple[SeasonKind, ...] = tuple(SeasonKind)


def _window_days(season: Season) -> tuple[date, date]:
    window = WINDOWS[season.kind]
    end_from = season.first if window.ends_from_first else season.last
    return season.first + timedelta(days=window.starts), end_from + timedelta(days=window.ends)


def in_window(kind: SeasonKind, day: date) -> bool:
    """Whether ``day`` lies in a window of a season of this kind."""
    for season in SEASONS:
        if season.kind is kind:
            first, last = _window_days(season)
            if first <= day <= last:
                return True
    return False


def shares(first: date, days: int = 7) -> tuple[float, ...]:
    """For the ``days`` days from ``first``: the share of them inside each kind's windows, in
    the order of ``KINDS``."""
    span = [first + timedelta(days=n) for n in range(days)]
    return tuple(sum(in_window(kind, day) for day in span) / days for kind in KINDS)


def known(day: date) -> bool:
    """Whether the table covers ``day`` (its seasons are known)."""
    return FIRST_DAY <= day <= LAST_DAY
