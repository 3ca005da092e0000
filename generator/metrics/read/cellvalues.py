"""A cell's text to a value: amounts as spreadsheets write them ($1,234.50, (120), 1.234,50) and months.

Parsed into real types at the edge (`Decimal`, first-of-month `date`), so a bad value fails at load.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from generator.limits import NUMBER_MAX_DIGITS

_POINT_NUMBER = re.compile(r"\d{1,3}(?:[,']\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")
_COMMA_NUMBER = re.compile(r"\d{1,3}(?:[.']\d{3})+(?:,\d+)?|\d+(?:,\d+)?|,\d+")
MAX_NUMBER = Decimal(10) ** 15
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_ISO_CODES = re.compile(r"([A-Z]{3})?(.*?)([A-Z]{3})?")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_MINUS = "-\u2212\u2013"


def parse_number(text: str, *, decimal_comma: bool = False) -> Decimal:
    """Return the number a spreadsheet cell shows: '12,500.50', '$12,500', '¥12,500', '(1,200)', '-1200'.

    Raises:
        ValueError: the text is not a number; the message says how to write it.
    """
    if _PLAIN_NUMBER.fullmatch(text):  # most cells: skip the peeling below (see bench/bench_metrics.py)
        return _bounded(Decimal(_few_digits(text)))
    compact = _SPACES.sub("", text)
    if len(_strip_currency(compact)) == 1 and _strip_currency(compact) in _MINUS:
        return Decimal(0)  # Excel's accounting format shows zero as '-' or '$ -'
    body, negative = _strip_sign_and_currency(compact)
    pattern = _COMMA_NUMBER if decimal_comma else _POINT_NUMBER
    if not pattern.fullmatch(body):
        raise ValueError(_number_hint(body, decimal_comma))
    digits = body.replace("'", "")
    digits = digits.replace(".", "").replace(",", ".") if decimal_comma else digits.replace(",", "")
    try:
        value = Decimal(_few_digits(digits))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digit strings
        raise ValueError(_number_hint(body, decimal_comma)) from None
    return _bounded(-value if negative else value)


def _few_digits(text: str) -> str:
    """Refuse a number with more digits than any amount needs (generator.limits.NUMBER_MAX_DIGITS)."""
    count = sum(c.isdigit() for c in text)
    if count > NUMBER_MAX_DIGITS:
        raise ValueError(f"a number of {count:,} digits (the limit is {NUMBER_MAX_DIGITS}): round it, e.g. 0.1234")
    return text


def _bounded(value: Decimal) -> Decimal:
    """Refuse absurd magnitudes, which are typos and would overflow later arithmetic."""
    if abs(value) >= MAX_NUMBER:
        raise ValueError("numbers must stay below 1,000,000,000,000,000")
    return value


def _strip_sign_and_currency(text: str) -> tuple[str, bool]:
    """Peel parentheses, signs, currency symbols and ISO codes off both ends, in any order."""
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    previous = None
    while text != previous:
        previous = text
        if text[:1] in _MINUS and len(text) > 1:
            negative, text = not negative, text[1:]
        elif text[-1:] in _MINUS and len(text) > 1:  # '1200-' as some ledgers write it
            negative, text = not negative, text[:-1]
        text = text.lstrip("+")
        text = _strip_currency(text)
    return text, negative


def _strip_currency(text: str) -> str:
    while text and unicodedata.category(text[0]) == "Sc":
        text = text[1:]
    while text and unicodedata.category(text[-1]) == "Sc":
        text = text[:-1]
    match = _ISO_CODES.fullmatch(text)
    return match.group(2) if match else text


def _number_hint(body: str, decimal_comma: bool) -> str:
    if not decimal_comma and _COMMA_NUMBER.fullmatch(body) and "," in body:
        return "this looks like a decimal comma: add 'decimal_comma: true' under metrics: in site.yaml"
    if decimal_comma:
        return "write a number such as 12500, 12.500,50 or (1.200) (decimal_comma is on)"
    return "write a number such as 12500, 12,500.50, $12,500 or (1,200)"


# Months ------------------------------------------------------------------------------------------

_MONTH_NAMES = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), 1) for name in names}

_MONTH_FORMATS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})(?:[T ][\d:.]+)?)?"),
    re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})(?:/(?P<d>\d{1,2}))?"),
    re.compile(r"(?P<name>[A-Za-z]+)\.?[\s\-]+(?P<y>\d{4})"),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?"),
)

MONTH_HINT = "write months as 2024-03 (also read: 2024-03-17, 2024/3, Mar 2024, March 2024, 2024年3月)"


@functools.lru_cache(maxsize=4096)
def parse_month(text: str) -> date:
    """Return the first day of the month a cell names: '2024-03', '2024-03-17', '2024/3', 'Mar 2024'.

    Raises:
        ValueError: the text names no month; the message says how to write one.
    """
    text = text.strip()
    for pattern in _MONTH_FORMATS:
        match = pattern.fullmatch(text)
        if match:
            return _month_of(match)
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}/\d{4}", text):
        raise ValueError(MONTH_HINT + "; day/month orders differ between locales, so write the year first")
    raise ValueError(MONTH_HINT)


def _month_of(match: re.Match[str]) -> date:
    groups = match.groupdict()
    month = _MONTH_NAMES.get(groups["name"].lower()) if groups.get("name") else int(groups["m"])
    if month is None or not 1 <= month <= 12:
        raise ValueError(MONTH_HINT)
    try:
        date(int(groups["y"]), month, int(groups.get("d") or 1))  # a real day, when one is given
    except ValueError:
        raise ValueError(f"{match.group(0)!r} is not a real date; " + MONTH_HINT) from None
    return date(int(groups["y"]), month, 1)
