"""The IP layer's records as the patent loaders write them: an ``IPRight`` node and a ``HOLDS`` tie per holder.

``ipeco load jplatpat`` and ``ipeco load gbiz-patent`` write a producer's patents in the very shape
the bundled seeds use (``seeds/real/<region>/ip/``): one ``IPRight`` per right (``kind``, ``number``,
``title``, ``filed_on``, ``tech_fields``), and one ``HOLDS`` from each resolved holder, so co-held
rights have several holders. The map, ``ipeco ip`` and the IP indicators then count them with the
seeds' facts.

Ids are stable across both sources where they can be: a right with a registration number is
``ip:<kind>-jp<number>`` (``ip:pat-jp7123456``) whichever file it came from; a J-PlatPat document
without one is named by its document number (``ip:pat-jp-kokai-2023-012345``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Final

from graph.batch import NodeRecord, Origin, RelRecord

__all__ = ["KIND_PREFIX", "holds_record", "ip_right_id", "ip_right_record", "iso_date", "right_kind"]

#: Short id prefix of each right kind.
KIND_PREFIX: Final[dict[str, str]] = {
    "patent": "pat",
    "utility_model": "um",
    "design": "des",
    "trademark": "tm",
    "regional_collective_trademark": "rct",
    "geographical_indication": "gi",
    "plant_variety": "pv",
}
#: Japanese document-number prefixes and how an id spells them.
_DOC_PREFIXES: Final = (
    ("特開", "kokai-"),
    ("特表", "kohyo-"),
    ("再表", "saiko-"),
    ("特公", "kokoku-"),
    ("特許", ""),
    ("実開", "jikkai-"),
    ("実登", "jitsuto-"),
    ("実公", "jikko-"),
    ("意登", ""),
    ("商標", ""),
)
_UNSAFE: Final = re.compile(r"[^a-z0-9-]+")
_GBIZ_KINDS: Final = {"特許": "patent", "実用新案": "utility_model", "意匠": "design", "商標": "trademark"}


def right_kind(text: str, number: str = "") -> str:
    """The schema kind of a right from gBizINFO's 特許/意匠/商標 cell or J-PlatPat's document number.

    >>> right_kind("意匠"), right_kind("", "実開2020-001234"), right_kind("", "特開2023-012345")
    ('design', 'utility_model', 'patent')
    """
    cell = unicodedata.normalize("NFKC", text).strip()
    if cell in _GBIZ_KINDS:
        return _GBIZ_KINDS[cell]
    return "utility_model" if unicodedata.normalize("NFKC", number).startswith(("実開", "実登", "実公")) else "patent"


def ip_right_id(kind: str, number: str) -> str:
    """A right's stable id from its kind and number (registration number, else document number).

    >>> ip_right_id("patent", "特許7123456"), ip_right_id("patent", "特開2023-012345")
    ('ip:pat-jp7123456', 'ip:pat-jp-kokai-2023-012345')
    >>> ip_right_id("design", "1234567")
    'ip:des-jp1234567'
    """
    text = unicodedata.normalize("NFKC", number).strip()
    spelled = ""
    for prefix, word in _DOC_PREFIXES:
        if text.startswith(prefix):
            text, spelled = text[len(prefix) :], word
            break
    slug = _UNSAFE.sub("-", text.casefold()).strip("-")
    joiner = "-" if spelled else ""
    return f"ip:{KIND_PREFIX[kind]}-jp{joiner}{spelled}{slug}"


def iso_date(text: str) -> str | None:
    """``2021/07/01``, ``2021-07-01`` or ``20210701`` as ``2021-07-01``; None when it is not a date."""
    digits = re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", text))
    if len(digits) != 8:
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError:
        return None


def ip_right_record(
    right_id: str,
    kind: str,
    number: str,
    *,
    title: str,
    filed_on: str | None,
    tech_fields: Iterable[str],
    evidence: str,
    origin: Origin,
) -> NodeRecord:
    """The ``IPRight`` node: named by its title where the file gives one, else by its number."""
    props: dict[str, object] = {"name": title or number, "kind": kind, "number": number, "evidence": evidence}
    props["confidence"] = "src"
    if title:
        props["title"] = title
    if filed_on:
        props["filed_on"] = filed_on
    fields = sorted(dict.fromkeys(tech_fields))
    if fields:
        props["tech_fields"] = fields
    return NodeRecord(right_id, ("IPRight",), props, origin)


def holds_record(holder: str, right_id: str, evidence: str, origin: Origin) -> RelRecord:
    """One holder's ``HOLDS`` tie; its date is the right's (``filed_on``), as in the seeds."""
    return RelRecord("HOLDS", holder, right_id, {"evidence": evidence, "confidence": "src"}, origin)
