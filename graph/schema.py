"""The one definition of the ipeco property graph (DESIGN §2).

Stores, loaders, validation, the Neo4j constraints and the schema docs page are all derived from
the tables below, so a label, relationship type or property is added here and nowhere else.

Identity: every node has a globally unique string ``id``. Every node has exactly one *primary
label* (``Organization``, ``Region``, ``Programme``, ``Network``, ``TechField``, ``IPRight``) that carries a
uniqueness constraint on ``id``; an organisation also has exactly one *role label*. Relationships
are identified by ``(source, type, target, key)`` where ``key`` joins the values of the type's key
properties (two SUPPORTS engagements between the same pair in different fiscal years are two
relationships; loading the same engagement twice is one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

__all__ = [
    "AWARD_LEVELS",
    "COLLABORATION_KINDS",
    "INDEXED_PROPERTIES",
    "IP_RIGHT_KINDS",
    "NODE_RESERVED_NAMES",
    "NODE_SPECS",
    "PHASES",
    "PRIMARY_LABELS",
    "PRODUCER_SOURCE",
    "PROGRAMME_TARGET_GROUPS",
    "PROVENANCE",
    "REL_RESERVED_NAMES",
    "REL_SPECS",
    "RESERVED_NAMES",
    "ROLE_LABELS",
    "SUPPORT_KINDS",
    "NodeSpec",
    "PropSpec",
    "PropType",
    "RelSpec",
    "node_spec_for",
    "primary_label",
    "relationship_key",
    "schema_markdown",
]

#: Business phases of the JPO model-region programme, in order (DESIGN §1).
PHASES: Final[tuple[str, ...]] = ("ideation", "launch", "expansion")


class PropType(StrEnum):
    """Value types a property may hold; each maps to one Neo4j property type."""

    STR = "string"
    INT = "integer"
    FLOAT = "float"
    BOOL = "boolean"
    STR_LIST = "list<string>"
    DATE = "date"  # ISO YYYY-MM-DD stored as string: portable across stores and exports


@dataclass(frozen=True)
class PropSpec:
    """One property: its type, whether it is required, and a one-line meaning for the docs."""

    name: str
    type: PropType
    required: bool = False
    doc: str = ""
    choices: tuple[str, ...] = ()


def _p(
    name: str,
    type_: PropType = PropType.STR,
    *,
    required: bool = False,
    doc: str = "",
    choices: tuple[str, ...] = (),
) -> PropSpec:
    return PropSpec(name, type_, required, doc, choices)


#: Provenance carried by every node and relationship (DESIGN §2).
PROVENANCE: Final[tuple[PropSpec, ...]] = (
    _p(
        "source",
        doc="dataset id the fact came from (e.g. seed:real, houjin, gbiz-patent); "
        "always set: a store fills in the load's dataset id",
    ),
    _p("evidence", doc="URL or record id behind the fact; empty when none is known"),
    _p("confidence", doc="'src' when a source confirms it, 'likely' when only expected", choices=("src", "likely")),
    _p("synthetic", PropType.BOOL, doc="true for generated demo data; always set: a store fills in false"),
    _p("loaded_at", doc="UTC timestamp of the load that last changed it (ISO 8601)"),
)

_ORG_PROPS: Final[tuple[PropSpec, ...]] = (
    _p("name", required=True, doc="Japanese name as registered"),
    _p("name_en", doc="English name"),
    _p("furigana", doc="reading in katakana (the furigana of the corporate-number record)"),
    _p("corporate_number", doc="corporate number (NTA): 13 digits, first is a check digit"),
    _p("prefecture_code", doc="JIS X0401 two-digit prefecture code"),
    _p("city_code", doc="JIS X0402 five-digit municipality code"),
    _p("industry", doc="industry in words"),
    _p("employees", PropType.INT, doc="headcount"),
    _p("capital", PropType.INT, doc="share capital in yen"),
    _p("size_evidence", doc="URL of the public page that states employees and capital"),
    _p("founded", PropType.DATE, doc="date of foundation"),
    _p("startup", PropType.BOOL, doc="true for a startup"),
    _p("support_kind", doc="for support bodies: ip_window, yorozu, chamber, invention_association, ..."),
    _p("tech_fields", PropType.STR_LIST, doc="IPC/FI subclasses the organisation works in"),
    _p("url", doc="home page"),
    _p(
        "jsic",
        doc=(
            "industry as a JSIC (Japan Standard Industrial Classification) code: "
            "division letter, or letter + major-group digits (E09)"
        ),
    ),
    _p("keywords", PropType.STR_LIST, doc="business and technology keywords in the source page's words"),
    _p("listed", PropType.BOOL, doc="true when a page states a stock-exchange listing (its own or its parent's)"),
    _p("profile_evidence", doc="URL(s) of the public page(s) stating jsic, keywords and listed"),
    _p("size_as_of", PropType.DATE, doc="the date the size page states employees and capital for"),
)

#: Kinds of intellectual-property right an ``IPRight`` node records (issue 19).
IP_RIGHT_KINDS: Final[tuple[str, ...]] = (
    "patent",
    "utility_model",
    "design",
    "trademark",
    "regional_collective_trademark",
    "geographical_indication",
    "plant_variety",
)

#: Who a programme is for, as its own page states it (issue 20).
PROGRAMME_TARGET_GROUPS: Final[tuple[str, ...]] = ("sme", "startup", "large", "university", "any")

ROLE_LABELS: Final[tuple[str, ...]] = (
    "Company",
    "University",
    "ResearchInstitute",
    "SupportOrganization",
    "GovernmentBody",
    "FinancialInstitution",
    "ProfessionalBody",
)


class _PropertyIndex:
    """Lookups over a spec's properties, built once: validation asks for them for every record.

    Plain attributes set at construction rather than ``functools.cached_property``, whose
    per-access lock (Python 3.11) costs a measurable share of validating 10^5 records.
    """

    all_props: tuple[PropSpec, ...]
    props_by_name: dict[str, PropSpec]
    #: Required properties other than ``id`` (which validation checks on its own).
    required_names: tuple[str, ...]

    def _index(self, all_props: tuple[PropSpec, ...]) -> None:
        object.__setattr__(self, "all_props", all_props)
        object.__setattr__(self, "props_by_name", {p.name: p for p in all_props})
        object.__setattr__(self, "required_names", tuple(p.name for p in all_props if p.required and p.name != "id"))

    def prop(self, name: str) -> PropSpec | None:
        return self.props_by_name.get(name)


@dataclass(frozen=True)
class NodeSpec(_PropertyIndex):
    """A primary label, the role labels it admits, and its properties."""

    label: str
    props: tuple[PropSpec, ...]
    roles: tuple[str, ...] = ()
    doc: str = ""

    def __post_init__(self) -> None:
        self._index((_p("id", required=True, doc="stable, globally unique id"), *self.props, *PROVENANCE))


NODE_SPECS: Final[dict[str, NodeSpec]] = {
    spec.label: spec
    for spec in (
        NodeSpec("Organization", _ORG_PROPS, ROLE_LABELS, "a company, university, support body, ..."),
        NodeSpec(
            "Region",
            (
                _p("name", required=True),
                _p("name_en"),
                _p("level", required=True, choices=("prefecture", "city", "nation")),
                _p("jis_code", doc="JIS X0401/X0402 code"),
                _p("model_region_fy", PropType.INT, doc="fiscal year it became a JPO model region"),
            ),
            doc="a prefecture or city",
        ),
        NodeSpec(
            "Programme",
            (
                _p("name", required=True),
                _p("name_en"),
                _p("phases", PropType.STR_LIST, required=True, choices=PHASES),
                _p("operator", doc="who runs it, in words"),
                _p("description"),
                _p(
                    "target_groups",
                    PropType.STR_LIST,
                    doc="who may take part, as the programme's page states it",
                    choices=PROGRAMME_TARGET_GROUPS,
                ),
                _p("fields", PropType.STR_LIST, doc="technology or business fields it is limited to (empty: any)"),
                _p("scope", doc="region id it is limited to, or 'national'"),
                _p("cost", doc="cost to the participant, in the page's words (e.g. free, 1/2 subsidised)"),
                _p("url", doc="the programme's own page"),
            ),
            doc="a public support programme",
        ),
        NodeSpec(
            "Network",
            (_p("name", required=True), _p("name_en"), _p("scope", choices=("national", "regional", "team"))),
            doc="a support network or producer team",
        ),
        NodeSpec(
            "TechField",
            (
                _p("scheme", required=True, choices=("IPC", "FI")),
                _p("code", required=True),
                _p("title"),
                _p("name", doc="display name (the code)"),
            ),
            doc="an IPC/FI subclass",
        ),
        NodeSpec(
            "IPRight",
            (
                _p("name", required=True, doc="display name: the mark, the title, or the right's number"),
                _p("name_en"),
                _p("kind", required=True, doc="kind of right", choices=IP_RIGHT_KINDS),
                _p("number", doc="registration or application number as the page gives it"),
                _p("title", doc="title of the invention or design, the mark's words, or the GI product"),
                _p("filed_on", PropType.DATE, doc="filing date, where the page states it"),
                _p("registered_on", PropType.DATE, doc="registration date, where the page states it"),
                _p("tech_fields", PropType.STR_LIST, doc="IPC/FI subclasses of a patent or utility model"),
            ),
            doc="a patent, utility model, design, trademark, regional collective trademark, GI or plant variety",
        ),
    )
}

PRIMARY_LABELS: Final[tuple[str, ...]] = tuple(NODE_SPECS)

_FY = _p("fiscal_year", PropType.INT, doc="Japanese fiscal year (April–March), western numbering")
_PHASE = _p("phase", choices=PHASES)
_SINCE = _p("since", PropType.INT, doc="first fiscal year")
_UNTIL = _p("until", PropType.INT, doc="last fiscal year")
#: The date the source page states for the tie (agreement signed, award given, programme start).
_STATED = _p("date", PropType.DATE, doc="date stated by the source page (YYYY-MM-DD)")

#: What a collaboration is, as its source describes it. The first four are analytic kinds from
#: patent and contract data; the rest are the kinds public pages state (issue 12).
COLLABORATION_KINDS: Final[tuple[str, ...]] = (
    "joint_research",
    "co_application",
    "contract",
    "consortium",
    "partnership_agreement",
    "award_collaboration",
    "programme_delivery",
    "membership",
    "incubation",
    "licence",
)
#: What a support engagement is, as its source describes it; ``ip_award`` (an IP award given by the
#: awarding body) and ``ip_support`` (an IP consultation, 知財金融 evaluation, brokered licence) are
#: the IP layer's kinds (issue 19).
SUPPORT_KINDS: Final[tuple[str, ...]] = (
    "supported_firm",
    "award_support",
    "incubation",
    "ip_award",
    "ip_support",
    "accompaniment",
)
#: Dataset id of a producer team's own records (issue 22): an ``accompaniment`` (伴走支援) they
#: recorded, with its ``author`` and ``date``. Not a public fact: every surface tells it apart.
PRODUCER_SOURCE: Final = "producer"
#: How far an award reaches.
AWARD_LEVELS: Final[tuple[str, ...]] = ("national", "regional", "prefectural", "municipal")


@dataclass(frozen=True)
class RelSpec(_PropertyIndex):
    """A relationship type: endpoint primary labels, properties and the identity key."""

    type: str
    source: str
    target: str
    props: tuple[PropSpec, ...] = ()
    key: tuple[str, ...] = ()
    doc: str = ""

    def __post_init__(self) -> None:
        own = {p.name for p in self.props}
        stated = () if "date" in own else (_STATED,)
        self._index((*self.props, _SINCE, _UNTIL, *stated, *PROVENANCE))


REL_SPECS: Final[dict[str, RelSpec]] = {
    spec.type: spec
    for spec in (
        RelSpec("LOCATED_IN", "Organization", "Region", doc="seat of the organisation"),
        RelSpec("SERVES", "Organization", "Region", doc="serves a region without sitting in it"),
        RelSpec("MEMBER_OF", "Organization", "Network", doc="member of a network or producer team"),
        RelSpec("OPERATES", "Organization", "Programme", doc="runs or delivers the programme"),
        RelSpec(
            "SUPPORTS",
            "Organization",
            "Organization",
            (
                _p("programme", doc="Programme id"),
                _PHASE,
                _FY,
                _p("kind", choices=SUPPORT_KINDS),
                _p("award", doc="name of the award (kind ip_award), e.g. the JPO's IP Achievement Award"),
                _p("level", doc="reach of the award", choices=AWARD_LEVELS),
                _p("author", doc="who recorded it (a producer's own record, source producer)"),
                _p("outcome", doc="the outcome of an accompaniment in a few words"),
            ),
            key=("programme", "phase", "fiscal_year"),
            doc="a support engagement",
        ),
        RelSpec(
            "REFERS_TO",
            "Organization",
            "Organization",
            (_p("weight", PropType.FLOAT),),
            doc="referral or liaison between support bodies",
        ),
        RelSpec(
            "COLLABORATES_WITH",
            "Organization",
            "Organization",
            (
                _p("kind", required=True, choices=COLLABORATION_KINDS),
                _p("weight", PropType.FLOAT),
                _FY,
            ),
            key=("kind",),
            doc="collaboration",
        ),
        RelSpec(
            "FINANCES",
            "Organization",
            "Organization",
            (
                _p("kind", required=True, choices=("loan", "investment", "subsidy", "ip_finance_report")),
                _p("amount", PropType.FLOAT, doc="yen"),
                _p("title", doc="name of the subsidy or product"),
                _FY,
                _p("date", PropType.DATE),
            ),
            key=("kind", "fiscal_year", "title"),
            doc="finance flow",
        ),
        RelSpec(
            "PARTICIPATES_IN",
            "Organization",
            "Programme",
            (_FY, _PHASE),
            key=("fiscal_year", "phase"),
            doc="a firm or university took part",
        ),
        RelSpec("ACTIVE_IN", "Organization", "TechField", (_p("patents", PropType.INT),), doc="patents in a field"),
        RelSpec("HOLDS", "Organization", "IPRight", doc="holds the right (several holders when co-held)"),
        RelSpec("PART_OF", "Organization", "Organization", doc="branch or office of a parent"),
        RelSpec(
            "SUCCEEDED_BY",
            "Organization",
            "Organization",
            (_p("date", PropType.DATE), _p("cause")),
            doc="merger or succession",
        ),
    )
}

#: Property names the stores, NetworkX and the exports use themselves, with who uses them (issue 26).
#: A loaded property of that name would collide: ``labels`` or ``node_for_adding`` made every read
#: of the graph die in ``add_node``, ``key`` in ``add_edge``; ``content_hash`` and ``rel_key`` would
#: overwrite Neo4j's bookkeeping. Validation refuses them before any write (unless the schema itself
#: defines the name for that kind of record, as it does a node's ``id``); a store that already
#: holds one still reads, with the property renamed (``graph.reserved``).
RESERVED_NAMES: Final[dict[str, str]] = {
    "labels": "a node's labels in every read of the graph",
    "label": "the label column of the template and the label of GEXF exports",
    "node_for_adding": "NetworkX's add_node argument",
    "u_for_edge": "NetworkX's add_edge argument",
    "v_for_edge": "NetworkX's add_edge argument",
    "key": "a relationship's identity key in every read of the graph and in exports",
    "type": "a relationship's type in every read of the graph and in exports",
    "id": "a node's id, and the element id of GraphML and GEXF exports",
    "source_id": "a relationship's start in CSV exports",
    "target_id": "a relationship's end in CSV exports",
    "content_hash": "the store's fingerprint of a record",
    "rel_key": "the store's identity key of a relationship",
}
#: Node properties the Neo4j store indexes (``id`` on every label, by its uniqueness constraint):
#: their values must fit the index's key size (``graph.batch.MAX_INDEXED_BYTES``) in both stores.
INDEXED_PROPERTIES: Final[frozenset[str]] = frozenset({"id", "name", "corporate_number"})
#: Reserved names a node property may not take: the ones its schema does not define itself.
NODE_RESERVED_NAMES: Final[frozenset[str]] = frozenset(RESERVED_NAMES) - {"id"}
#: Reserved names a relationship property may not take: all of them.
REL_RESERVED_NAMES: Final[frozenset[str]] = frozenset(RESERVED_NAMES)


#: Relationship types between organisations that analytics treat as ties (issue 4).
ORG_TIE_TYPES: Final[tuple[str, ...]] = ("SUPPORTS", "REFERS_TO", "COLLABORATES_WITH", "FINANCES", "PART_OF")


def primary_label(labels: tuple[str, ...] | list[str]) -> str | None:
    """Return the primary label among ``labels`` (None when there is none)."""
    return next((label for label in labels if label in NODE_SPECS), None)


def role_label(labels: tuple[str, ...] | list[str]) -> str | None:
    """Return the organisation role label among ``labels`` (None when there is none)."""
    return next((label for label in labels if label in ROLE_LABELS), None)


def ordered_labels(labels: Iterable[str]) -> list[str]:
    """Primary label first, then the role label: labels read the same from every store."""
    return sorted(set(labels), key=lambda label: (0 if label in NODE_SPECS else 1, label))


def node_spec_for(labels: tuple[str, ...] | list[str]) -> NodeSpec | None:
    label = primary_label(labels)
    return NODE_SPECS[label] if label else None


def relationship_key(rel_type: str, props: dict[str, object]) -> str:
    """The identity key of a relationship: its key properties' values joined by ``|``."""
    names = REL_SPECS[rel_type].key
    if not names:
        return ""
    return "|".join(["" if (value := props.get(name)) is None else str(value) for name in names])


def schema_markdown() -> str:
    """Render the schema as the Markdown page ``docs/schema.md`` (kept in sync by a test)."""
    lines = ["# ipeco graph schema", "", "Generated from `graph/schema.py` by `ipeco schema`; do not edit.", ""]
    lines += ["## Node labels", ""]
    for spec in NODE_SPECS.values():
        roles = f" (+ one of {', '.join(f'`{r}`' for r in spec.roles)})" if spec.roles else ""
        lines += [f"### `{spec.label}`{roles}", "", spec.doc, "", "| property | type | required | meaning |"]
        lines += ["|---|---|---|---|"]
        for prop in spec.all_props:
            choices = f" One of: {', '.join(prop.choices)}." if prop.choices else ""
            lines.append(f"| `{prop.name}` | {prop.type} | {'yes' if prop.required else ''} | {prop.doc}{choices} |")
        lines.append("")
    lines += ["## Relationship types", "", "| type | from → to | key | properties | meaning |", "|---|---|---|---|---|"]
    for rel in REL_SPECS.values():
        props = ", ".join(f"`{p.name}`" for p in rel.props) or "—"
        key = ", ".join(rel.key) or "—"
        lines.append(f"| `{rel.type}` | {rel.source} → {rel.target} | {key} | {props} | {rel.doc} |")
    lines += ["", "Every relationship also has `since`, `until` and the provenance properties: "]
    lines += [", ".join(f"`{p.name}`" for p in PROVENANCE) + "."]
    return "\n".join(lines) + "\n"
