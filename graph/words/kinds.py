"""The words of the schema's enumerations: business phases and organisation roles.

The codes (``ideation``, ``Company``, ...) live in :mod:`graph.schema`; their names for a reader live
here, as ``phase.<code>`` and ``kind.<role>`` (the same ``kind.`` family as the other node kinds).
"""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "phase.ideation": {"ja": "事業構想", "en": "Ideation"},
    "phase.launch": {"ja": "事業立上", "en": "Launch"},
    "phase.expansion": {"ja": "事業拡大", "en": "Expansion"},
    "kind.Company": {"ja": "企業", "en": "Company"},
    "kind.University": {"ja": "大学・高専", "en": "University"},
    "kind.ResearchInstitute": {"ja": "研究機関・公設試", "en": "Research institute"},
    "kind.SupportOrganization": {"ja": "支援機関", "en": "Support organisation"},
    "kind.GovernmentBody": {"ja": "行政機関", "en": "Government body"},
    "kind.FinancialInstitution": {"ja": "金融機関", "en": "Financial institution"},
    "kind.ProfessionalBody": {"ja": "士業団体", "en": "Professional body"},
}
