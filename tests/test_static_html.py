"""Dash components written as one HTML string (webapp.static_html): the map's detail panel is sent so."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from dash import dcc, html
from hypothesis import given
from hypothesis import strategies as st

from webapp.static_html import NotStatic, safe_href, split_static, to_html


class _Reader(HTMLParser):
    """The text and the (tag, attributes) a browser's parser reads from a string."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(markup: str) -> _Reader:
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    return reader


def test_elements_attributes_and_text() -> None:
    markup = to_html(
        html.Div(
            ["a < b & c", html.Abbr("制約度", title='"quoted"', className="term"), 3],
            className="kv",
            style={"backgroundColor": "#fff"},
            **{"aria-label": "表"},
        )
    )
    assert markup == (
        '<div class="kv" aria-label="表" style="background-color: #fff">a &lt; b &amp; c'
        '<abbr class="term" title="&quot;quoted&quot;">制約度</abbr>3</div>'
    )


def test_pattern_ids_and_links_are_marked_for_the_browser() -> None:
    markup = to_html(
        [
            html.Button("INPIT", id={"type": "pick-node", "node": "org:inpit"}, n_clicks=0, className="link-button"),
            dcc.Link("help", href="/help#constraint", className="help-link"),
            html.Td("x", colSpan=2),
            html.Br(),
        ]
    )
    tags = read(markup).tags
    assert tags[0] == ("button", {"class": "link-button", "data-dash-id": '{"node": "org:inpit", "type": "pick-node"}'})
    assert tags[1] == ("a", {"href": "/help#constraint", "class": "help-link", "data-dash-link": None})
    assert tags[2] == ("td", {"colspan": "2"})
    assert markup.endswith("<br>")
    assert "n_clicks" not in markup


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:x", "java\tscript:x", "data:text/html,x"])
def test_script_urls_are_not_written(url: str) -> None:
    assert safe_href(url) == "about:blank"
    assert read(to_html(html.A("x", href=url))).tags == [("a", {"href": "about:blank"})]


def test_components_that_need_dash_stay_components() -> None:
    edit = html.Section([dcc.Store(id="edit-target", data={}), html.Button("edit")])
    with pytest.raises(NotStatic):
        to_html(edit)
    body, rest = split_static([html.H3("name"), html.P("text"), edit, html.P("after")])
    assert body == "<h3>name</h3><p>text</p>"
    assert len(rest) == 2 and rest[0] is edit  # order kept: the edit section and what follows stay components
    assert split_static([html.P("only")]) == ("<p>only</p>", [])


@given(st.text(), st.text())
def test_any_text_reads_back_unchanged(text: str, title: str) -> None:
    """Whatever a registry's record holds, the browser reads it as text, never as markup."""
    reader = read(to_html(html.P(text, title=title)))
    assert [tag for tag, _ in reader.tags] == ["p"]
    assert reader.tags[0][1] == {"title": title}
    assert "".join(reader.text) == text
