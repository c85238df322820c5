"""The glossary: every technical term a producer meets, with a plain name, a one-sentence meaning and its method.

One list serves every surface: the web app's tooltips (``webapp.glossary.term``), its help page,
and any report that wants to define a word. The words themselves live in :data:`graph.words.STRINGS`
(``term.<key>`` and ``term.<key>.def``, both languages, checked by the i18n tests) so a term is
named the same wherever it appears; where a term already has a label (a measure's ``measure.*``,
a gap kind's ``gapkind.*``, a phase's name from the schema) that label is its name, so the map's
menu and the glossary cannot drift apart. What stays here is the order, the grouping and the
method each term rests on, which is a citation and the same in both languages.

Keys: the measures of :data:`analytics.service.MEASURES` and ``community`` under their own name;
``broker``; ``triple_helix``; ``jaccard`` (the suggestions' field overlap); ``phase.<phase>`` for
the three business phases; ``gap.<kind>`` for the six kinds of gap; ``confidence`` and
``synthetic`` for the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from graph.words import STRINGS, gap_kind_name, phase_name, t

__all__ = ["GLOSSARY", "SECTIONS", "Term", "definition", "find", "term_name"]


@dataclass(frozen=True)
class Term:
    """A term of the glossary: where its name comes from, which section it belongs to, its method."""

    key: str
    section: str
    #: A citation (author year, or the method's name), the same in both languages …
    method: str = ""
    #: … or, where the method is described in words, the i18n key of that description.
    method_key: str = ""

    def name(self, lang: str) -> str:
        """The term's plain name in ``lang`` (the label the rest of the app already uses for it)."""
        if self.key.startswith("phase."):
            return phase_name(self.key.removeprefix("phase."), lang)
        if self.key.startswith("gap."):
            return gap_kind_name(self.key.removeprefix("gap."), lang)
        if f"term.{self.key}" in STRINGS:
            return t(f"term.{self.key}", lang)
        if f"measure.{self.key}" in STRINGS:
            return t(f"measure.{self.key}", lang)
        return t(f"prop.{self.key}", lang)

    def cite(self, lang: str) -> str:
        """What the term rests on: the citation, or its description in ``lang``."""
        return t(self.method_key, lang) if self.method_key else self.method

    def meaning(self, lang: str) -> str:
        """One sentence: what the term means for someone who accompanies firms."""
        return t(f"term.{self.key}.def", lang)


#: Sections of the help page, in order.
SECTIONS: Final[tuple[str, ...]] = ("network", "phase", "gap", "data")

#: Every term, in the order the help page lists them.
GLOSSARY: Final[tuple[Term, ...]] = (
    Term("broker", "network", "Burt 1992, Structural Holes; Gould & Fernandez 1989"),
    Term("degree", "network", method_key="method.degree"),
    Term("betweenness", "network", "Freeman 1977; Brandes 2001"),
    Term("constraint", "network", "Burt 1992, Structural Holes, ch. 2"),
    Term("effective_size", "network", "Burt 1992, Structural Holes"),
    Term("pagerank", "network", "Brin & Page 1998"),
    Term("harmonic", "network", method_key="method.harmonic"),
    Term("eigenvector", "network", "Bonacich 1972"),
    Term("core_number", "network", method_key="method.core_number"),
    Term("community", "network", method_key="method.community"),
    Term("participation", "network", method_key="method.participation"),
    Term("triple_helix", "network", method_key="method.triple_helix"),
    Term("jaccard", "network", method_key="method.jaccard"),
    Term("phase.ideation", "phase", method_key="method.jpo"),
    Term("phase.launch", "phase", method_key="method.jpo"),
    Term("phase.expansion", "phase", method_key="method.jpo"),
    Term("gap.phase_coverage", "gap", method_key="method.gaps"),
    Term("gap.missing_role", "gap", method_key="method.gaps"),
    Term("gap.isolated", "gap", method_key="method.gaps"),
    Term("gap.fragile_bridge", "gap", method_key="method.gaps"),
    Term("gap.liaison", "gap", method_key="method.gaps"),
    Term("gap.unmet_match", "gap", method_key="method.gaps"),
    Term("confidence", "data", method_key="method.confidence"),
    Term("synthetic", "data", method_key="method.synthetic"),
)

_BY_KEY: Final[dict[str, Term]] = {term.key: term for term in GLOSSARY}


def find(key: str) -> Term:
    """The term ``key``; an unknown key raises ``KeyError`` (a typo is a bug, not a blank tooltip)."""
    return _BY_KEY[key]


def term_name(key: str, lang: str) -> str:
    """The plain name of term ``key`` in ``lang``."""
    return find(key).name(lang)


def definition(key: str, lang: str, *, method: bool = True) -> str:
    """The one-sentence meaning of ``key`` in ``lang``, followed by its method unless ``method=False``.

    This is the text of a tooltip, so it is plain text (no markup) and fits on a few lines.
    """
    term = find(key)
    text = term.meaning(lang)
    return f"{text} {t('help.method', lang, method=term.cite(lang))}" if method else text
