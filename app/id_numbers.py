"""居民身份证号: checksum and birth-date validation, and masking for logs and third parties."""

from __future__ import annotations

import re
from datetime import date

from stdnum.cn import ric

ID_NUMBER = re.compile(r"(?<![0-9])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_MASKABLE = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")


def is_valid_id_number(number: str) -> bool:
    """Check digit and birth date of an 18-digit ID number.

    Not `ric.validate`: it also rejects real numbers whose birthplace code was later abolished.
    """
    if not ID_NUMBER.fullmatch(number):
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return bool(ric.calc_check_digit(number[:17]) == number[17].upper())


def mask_id_numbers(text: str) -> str:
    """5324011990…1548 → 532401********1548 wherever an ID number appears in text."""
    return _MASKABLE.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)


def mask_personal_numbers(text: str) -> str:
    """ID numbers and mobile numbers masked (138****1234), for text kept from citizens."""
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", mask_id_numbers(text))
