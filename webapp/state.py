"""The view as a URL: page state <-> query string.

A producer sends a colleague exactly what they see by copying the address bar, so every view
setting that changes what is drawn lives in the query string. Defaults are left out, which keeps
links short and lets a default change reach old links. Lists are comma-joined (ids never contain
commas; names are not put in URLs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any
from urllib.parse import parse_qsl, urlencode

from graph.words import DEFAULT_LANG, normalise_lang

__all__ = ["DEFAULT_LAYOUT", "LAYOUTS", "MapState", "decode_query", "encode_query"]

LAYOUTS = ("fcose", "cose", "concentric", "breadthfirst", "preset")
DEFAULT_LAYOUT = "fcose"
DATA_CHOICES = ("all", "real", "synthetic")
AGGREGATE_CHOICES = ("role", "community")


def encode_query(params: Mapping[str, Any]) -> str:
    """``{"region": "kobe", "roles": ["Company"]}`` → ``?region=kobe&roles=Company`` (empties dropped)."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None or value == "" or value == [] or value == ():
            continue
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        pairs.append((key, str(value)))
    return "?" + urlencode(pairs, safe=":,") if pairs else ""


def decode_query(search: str | None) -> dict[str, str]:
    """``?a=1&b=x`` → ``{"a": "1", "b": "x"}`` (the shape Dash passes to page layouts)."""
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if str(v)]
    return [part for part in str(value).split(",") if part]


@dataclass
class MapState:
    """Everything that defines a map view. Empty filter lists mean "no restriction"."""

    region: str = ""
    roles: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    ties: list[str] = field(default_factory=list)
    data: str = "all"
    layout: str = DEFAULT_LAYOUT
    size: str = "degree"
    color: str = "role"
    agg: str = "role"
    #: The 知財 layer: "1" shows rights and marks IP holders and IP support bodies (issue 19).
    ip: str = ""
    #: The fiscal year the map shows the region as of (issue 21); "" is today's view.
    year: str = ""
    sel: str = ""
    group: str = ""
    expand: list[str] = field(default_factory=list)
    path: str = ""
    lang: str = DEFAULT_LANG

    _LISTS = ("roles", "phases", "programmes", "years", "ties", "expand")

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> MapState:
        """Build from query parameters, ignoring unknown keys and repairing invalid choices."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, raw in params.items():
            if key not in known:
                continue
            values[key] = _split(raw) if key in cls._LISTS else ("" if raw is None else str(raw))
        state = cls(**values)
        state.lang = normalise_lang(state.lang)
        if state.layout not in LAYOUTS:
            state.layout = DEFAULT_LAYOUT
        if state.data not in DATA_CHOICES:
            state.data = "all"
        if state.agg not in AGGREGATE_CHOICES:
            state.agg = "role"
        state.ip = "1" if state.ip in ("1", "on", "true") else ""
        state.year = state.year if state.year.isdigit() and len(state.year) == 4 else ""
        return state

    def to_params(self) -> dict[str, Any]:
        """Only the settings that differ from the defaults, ``region`` and ``lang`` first."""
        default = asdict(MapState())
        return {k: v for k, v in asdict(self).items() if v != default[k] or k == "region"}

    def to_query(self) -> str:
        return encode_query(self.to_params())
