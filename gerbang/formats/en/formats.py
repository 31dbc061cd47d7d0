"""English: "3 December 2026", "Thursday, 3 December 2026", "23:29", "3 December 2026, 23:29"."""

DATE_FORMAT = "j F Y"
WEEKDAY_DATE_FORMAT = "l, j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
