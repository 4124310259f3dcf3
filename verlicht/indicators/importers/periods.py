"""CBS period codes and StatLine period titles as workspace periods.

CBS codes a period in eight characters: the year, two letters for the kind and two digits
(``2023JJ00`` a year, ``2023KW01`` a quarter, ``2023MM03`` a month, ``2023HJ01`` a half year,
``20230101`` a peildatum). Workspace periods are what people write: ``2023``, ``2023Q1``,
``2023-03``, ``2023H1``, ``2023-01-01``. Other CBS kinds (multi-year averages ``G2``–``G5``,
school years ``SJ``, ``X0`` …) are kept as CBS wrote them.
"""

from __future__ import annotations

import datetime
import re

_CODE = re.compile(r"^(\d{4})([A-Z][A-Z0-9])(\d{2})$")
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_KEPT_KINDS = {"G2", "G3", "G4", "G5", "SJ", "VJ", "VS", "M3", "W1", "W4", "X0", "X1", "X2", "X3", "X4", "X5"}
MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
}
_QUARTER = re.compile(r"^(\d{4}) ([1-4])(?:e|st|nd|rd|th) (?:kwartaal|quarter)$")
_MONTH = re.compile(r"^(\d{4}) ([a-z]+)$")
_YEAR_IN = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")


def cbs_period(code: str) -> str | None:
    """The workspace period for a CBS period code, or None when ``code`` is not a valid one.

    >>> cbs_period("2023JJ00"), cbs_period("2023KW01"), cbs_period("2023MM03"), cbs_period("20230101")
    ('2023', '2023Q1', '2023-03', '2023-01-01')
    """
    code = code.strip()
    date = _DATE.match(code)
    if date:
        year, month, day = (int(part) for part in date.groups())
        try:
            datetime.date(year, month, day)
        except ValueError:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}"
    found = _CODE.match(code)
    if not found:
        return None
    year, kind, number = found.group(1), found.group(2), int(found.group(3))
    if kind == "JJ":
        return year if number == 0 else None
    if kind == "KW":
        return f"{year}Q{number}" if 1 <= number <= 4 else None
    if kind == "MM":
        return f"{year}-{number:02d}" if 1 <= number <= 12 else None
    if kind == "HJ":
        return f"{year}H{number}" if number in (1, 2) else None
    return code if kind in _KEPT_KINDS else None


def statline_period(title: str) -> str | None:
    """The workspace period for a period as StatLine's CSV download writes it, or None.

    Titles such as ``2023``, ``2023*`` (provisional), ``2023 1e kwartaal``, ``2023 maart`` become
    ``2023``, ``2023``, ``2023Q1``, ``2023-03``; CBS codes are read as codes; other titles holding
    a year (a peildatum such as ``1 januari 2023``) are kept as written.
    """
    text = " ".join(title.replace("\u00a0", " ").split()).rstrip("*").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}", text):
        return text
    coded = cbs_period(text)
    if coded is not None:
        return coded
    lowered = text.casefold()
    quarter = _QUARTER.match(lowered)
    if quarter:
        return f"{quarter.group(1)}Q{quarter.group(2)}"
    month = _MONTH.match(lowered)
    if month and month.group(2) in MONTHS:
        return f"{month.group(1)}-{MONTHS[month.group(2)]:02d}"
    return text if _YEAR_IN.search(text) else None
