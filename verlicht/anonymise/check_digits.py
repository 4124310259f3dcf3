"""Check digits of Dutch identifiers: shared by the detector and the build's residual scan (which must stay
cheap to import)."""

from __future__ import annotations

import re


def elfproef(digits: str) -> bool:
    """Whether nine digits pass the BSN eleven-test."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0 and digits != "000000000"


def iban_valid(text: str) -> bool:
    """Whether an IBAN passes its mod-97 check (spaces and dots ignored)."""
    compact = re.sub(r"[\s.-]", "", text).upper()
    if len(compact) < 15 or not compact[:2].isalpha():
        return False
    moved = compact[4:] + compact[:4]
    try:
        return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1
    except ValueError:
        return False
