"""Colours of the organisation roles, shared by the web map and the printed figure.

Okabe & Ito (2008) colour-blind-safe colours, one per role; other kinds are greys told apart by
shape on the map. It lives beside the string table so that a reader moving between the map and a
brief sees the same colour for the same kind of organisation.
"""

from __future__ import annotations

from typing import Final

from graph.schema import ROLE_LABELS

__all__ = ["KIND_COLOURS", "OKABE_ITO", "OTHER_COLOUR", "ROLE_COLOURS"]

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO: Final = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")

#: One Okabe–Ito colour per organisation role; other kinds are greys told apart by shape.
KIND_COLOURS: Final[dict[str, str]] = {
    "Company": "#E69F00",
    "University": "#56B4E9",
    "ResearchInstitute": "#009E73",
    "SupportOrganization": "#0072B2",
    "GovernmentBody": "#D55E00",
    "FinancialInstitution": "#CC79A7",
    "ProfessionalBody": "#F0E442",
    "Region": "#000000",
    "Programme": "#7F7F7F",
    "Network": "#7F7F7F",
    "TechField": "#B3B3B3",
    "IPRight": "#C9A227",
    "Organization": "#7F7F7F",
}

#: The roles' colours alone (the printed figure draws organisations only).
ROLE_COLOURS: Final[dict[str, str]] = {role: KIND_COLOURS[role] for role in ROLE_LABELS}
OTHER_COLOUR: Final = "#7F7F7F"
