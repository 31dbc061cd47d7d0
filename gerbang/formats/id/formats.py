"""Indonesian: "3 Desember 2026", "Kamis, 3 Desember 2026", "23.29" (PUEBI writes the time
with a dot), "3 Desember 2026, 23.29"."""

DATE_FORMAT = "j F Y"
WEEKDAY_DATE_FORMAT = "l, j F Y"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = "j F Y, H.i"
