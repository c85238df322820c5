"""Identifiers that arrive from public data: 法人番号 (corporate numbers) and node ids."""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "corporate_number_check_digit",
    "is_valid_corporate_number",
    "org_id_for_corporate_number",
    "public_body_kind",
]

_DIGITS13: Final = re.compile(r"^[0-9]{13}$")


def corporate_number_check_digit(base12: str) -> int:
    """Check digit of a 法人番号 from its 12 base digits (NTA's published rule).

    With the base digits P1..P12 counted from the right, Q_n = 1 for odd n and 2 for even n;
    the check digit is ``9 - (sum(P_n * Q_n) mod 9)``.

    >>> corporate_number_check_digit("000011000005")
    1
    >>> corporate_number_check_digit("010801014350")
    4
    """
    if not re.fullmatch(r"[0-9]{12}", base12):
        msg = f"expected 12 digits, got {base12!r}"
        raise ValueError(msg)
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base12), start=1))
    return 9 - total % 9


def is_valid_corporate_number(value: str) -> bool:
    """True when ``value`` is 13 digits whose first digit is the check digit of the other 12."""
    return bool(_DIGITS13.match(value)) and int(value[0]) == corporate_number_check_digit(value[1:])


def org_id_for_corporate_number(corporate_number: str) -> str:
    """The node id every loader gives an organisation known by its corporate number."""
    return f"org:{corporate_number}"


def public_body_kind(corporate_number: str) -> str | None:
    """``"national"`` or ``"local"`` when the number is in the range of public bodies, else None.

    National bodies and local governments are not registered companies: their numbers are built
    from a fixed range rather than a registry number, with ``00001`` (national bodies) or ``000020``
    followed by the six-digit 全国地方公共団体コード (local governments) after the check digit, e.g.
    国立国会図書館 1000011000005, 経済産業省 4000012090001, 東京都 8000020130001 (団体コード 130001).
    Sources that give a number but no 法人種別 (gBizINFO) use this to tell a municipality from a
    company.

    >>> public_body_kind("1000011000005"), public_body_kind("8000020130001"), public_body_kind("4010801014350")
    ('national', 'local', None)
    """
    if not _DIGITS13.match(corporate_number):
        return None
    if corporate_number[1:7] == "000020":
        return "local"
    if corporate_number[1:6] == "00001":
        return "national"
    return None
