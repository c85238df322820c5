"""The words of the provenance audit (``ipeco audit``): what each kind of finding means."""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "audit.kind.no_evidence": {"ja": "出典なし", "en": "no source"},
    "audit.kind.evidence_not_url": {"ja": "出典がURLでない", "en": "source is not a web address"},
    "audit.kind.no_date": {"ja": "日付なし", "en": "no date"},
    "audit.kind.duplicate": {"ja": "重複", "en": "duplicate"},
    "audit.kind.bad_corporate_number": {
        "ja": "法人番号の検査用数字が不正",
        "en": "corporate number fails its check digit",
    },
}
