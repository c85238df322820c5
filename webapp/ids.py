"""Component ids of the web app, in one place.

Callbacks, layouts and the browser tests all refer to these constants, so renaming a component is
a one-line change and a typo is an ``AttributeError`` at import time rather than a silent dead
callback.
"""

from __future__ import annotations

from typing import Final

# --- shell (app.py) ----------------------------------------------------------------------------
URL: Final = "url"
NAV: Final = "nav"
NAV_MAP: Final = "nav-map"
NAV_COMPARE: Final = "nav-compare"
NAV_GAPS: Final = "nav-gaps"
NAV_SUGGEST: Final = "nav-suggest"
NAV_QUERY: Final = "nav-query"
NAV_LINKS: Final = (NAV_MAP, NAV_COMPARE, NAV_GAPS, NAV_SUGGEST, NAV_QUERY)
LANG_LINK: Final = "lang-link"
TITLE: Final = "app-title"
STORE_BANNER: Final = "store-banner"
SYNTHETIC_BANNER: Final = "synthetic-banner"
HEALTH_INTERVAL: Final = "health-interval"
URL_SYNC: Final = "url-sync"
#: Pattern-matching type of each page's view-state store: ``{"type": VIEW, "page": name}``.
VIEW: Final = "view-state"

# --- map page ------------------------------------------------------------------------------------
LANG: Final = "lang-store"
REGION: Final = "map-region"
ROLE: Final = "map-role"
PHASE: Final = "map-phase"
PROGRAMME: Final = "map-programme"
FISCAL_YEAR: Final = "map-fiscal-year"
TIE: Final = "map-tie"
DATA: Final = "map-data"
LAYOUT: Final = "map-layout"
SIZE_BY: Final = "map-size-by"
COLOR_BY: Final = "map-color-by"
AGGREGATE_BY: Final = "map-aggregate-by"
SEARCH: Final = "map-search"
CYTO: Final = "map-cyto"
LEGEND: Final = "map-legend"
NOTICE: Final = "map-notice"
DETAIL: Final = "map-detail"
SELECTED: Final = "map-selected"
GROUP: Final = "map-group"
EXPAND: Final = "map-expand"
EXPAND_BTN: Final = "map-expand-btn"
OVERVIEW_BTN: Final = "map-overview-btn"
PATH_TO: Final = "map-path-to"
PATH_INFO: Final = "map-path-info"
NODE_LIST: Final = "map-node-list"
#: Pattern-matching type of a "select this node" button: ``{"type": PICK, "node": id}``.
PICK: Final = "pick-node"

# --- compare page --------------------------------------------------------------------------------
COMPARE_TABLE: Final = "compare-table"
COMPARE_CHARTS: Final = "compare-charts"
COMPARE_THUMBS: Final = "compare-thumbs"
COMPARE_REAL: Final = "compare-real"

# --- gaps page -----------------------------------------------------------------------------------
GAPS_REGION: Final = "gaps-region"
GAPS_KIND: Final = "gaps-kind"
GAPS_PHASE: Final = "gaps-phase"
GAPS_LIST: Final = "gaps-list"
GAPS_COMPLETENESS: Final = "gaps-completeness"

# --- suggest page --------------------------------------------------------------------------------
SUGGEST_REGION: Final = "suggest-region"
SUGGEST_ORG: Final = "suggest-org"
SUGGEST_RESULT: Final = "suggest-result"
