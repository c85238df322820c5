"""Numbers and values as a reader sees them in a report (the templates' filters).

Thousands separators, at most three decimals and no float noise (0.9607843137254902 is 0.961),
shares as whole percentages, a dash for a value that could not be computed.
"""

from __future__ import annotations

import math
from typing import Any

from analytics.results import Text
from graph.words import t

__all__ = ["css_string", "is_number", "number", "percent"]


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number(value: Any, lang: str) -> str:
    """A count, a measure or an indicator cell: ``1,234``, ``0.427``, a phrase in ``lang``, or ``—``."""
    if isinstance(value, bool):
        return t("common.yes", lang) if value else t("common.none", lang)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return t("common.none", lang)
        if value.is_integer() and abs(value) >= 1:
            return f"{int(value):,}"
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    if value is None:
        return t("common.none", lang)
    if isinstance(value, Text):
        return value[lang]
    return str(value)


def percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, every character that could end it or the style element escaped.

    Inside ``<style>`` HTML entities are not decoded, so HTML escaping would print ``&amp;``
    literally; CSS hex escapes (``\\3c``) are both safe and shown as the character.
    """
    safe = "".join(ch if ch.isalnum() or ch in " ·-_.:/()," else f"\\{ord(ch):x} " for ch in text)
    return f'"{safe}"'
