"""Technical terms on screen: a plain name with its definition on hover, and the help page's list.

Every page that shows a term (a measure, "broker", a phase, a kind of gap, T(UIG)) calls
:func:`term`, which renders an ``<abbr title="…">``: the browser shows the definition on hover and
screen readers read it, with no tooltip library. The same words are listed on the help page
(``/help``), one entry per term with an anchor (``/help#term-constraint``) that a page can link to.

Usage::

    from webapp.glossary import term, definition
    html.Th(term("constraint", lang))            # 制約度（Burt） with its meaning on hover
    html.Span(term("gap.isolated", lang, "…"))    # own wording, the glossary's definition
    title=definition("triple_helix", lang)        # the text alone, e.g. for a chart's hover
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from graph.words import t
from reports.glossary import GLOSSARY, SECTIONS, definition, find, term_name
from webapp.state import encode_query

__all__ = ["anchor", "definition", "glossary_sections", "help_href", "help_link", "term", "term_name"]


def help_href(lang: str, key: str | None = None) -> str:
    """The help page's address in ``lang``, at term ``key``'s entry when given."""
    query = encode_query({"lang": lang if lang != "ja" else None})
    return f"/help{query}" + (f"#{anchor(key)}" if key else "")


def anchor(key: str) -> str:
    """The element id of term ``key``'s entry on the help page (``phase.launch`` → ``term-phase-launch``)."""
    return "term-" + key.replace(".", "-").replace("_", "-")


def term(key: str, lang: str, text: Any = None, *, method: bool = True) -> html.Abbr:
    """``text`` (default: the term's plain name) with the term's definition on hover.

    The class ``term`` draws the dotted underline that says "hover me"; the definition includes
    the method the number rests on unless ``method=False``.
    """
    find(key)  # an unknown term is a bug: fail here, not with an empty tooltip
    return html.Abbr(
        term_name(key, lang) if text is None else text,
        title=definition(key, lang, method=method),
        className="term",
    )


def glossary_sections(lang: str) -> list[Any]:
    """Every term of the glossary, section by section, as a definition list (the help page's body)."""
    out: list[Any] = []
    for section in SECTIONS:
        entries: list[Any] = []
        for item in (g for g in GLOSSARY if g.section == section):
            entries += [
                html.Dt(item.name(lang), id=anchor(item.key)),
                html.Dd(
                    [
                        html.P(item.meaning(lang)),
                        html.P(t("help.method", lang, method=item.cite(lang)), className="method"),
                    ]
                ),
            ]
        out += [html.H3(t(f"help.sec.{section}", lang)), html.Dl(entries, className="glossary")]
    return out


def help_link(lang: str, key: str | None = None) -> dcc.Link:
    """A "Glossary" link to the help page (at ``key``'s entry when given)."""
    return dcc.Link(t("help.link", lang), href=help_href(lang, key), className="help-link")
