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
NAV_CHANGES: Final = "nav-changes"
NAV_GAPS: Final = "nav-gaps"
NAV_SUGGEST: Final = "nav-suggest"
NAV_QUERY: Final = "nav-query"
NAV_REPORT: Final = "nav-report"
NAV_HELP: Final = "nav-help"
NAV_WORKBENCH: Final = "nav-workbench"
NAV_HISTORY: Final = "nav-history"
NAV_LINKS: Final = (
    NAV_MAP,
    NAV_COMPARE,
    NAV_CHANGES,
    NAV_GAPS,
    NAV_SUGGEST,
    NAV_QUERY,
    NAV_REPORT,
    NAV_HELP,
    NAV_WORKBENCH,
    NAV_HISTORY,
)
LANG_LINK: Final = "lang-link"
TITLE: Final = "app-title"
STORE_BANNER: Final = "store-banner"
SYNTHETIC_BANNER: Final = "synthetic-banner"
HEALTH_INTERVAL: Final = "health-interval"
URL_SYNC: Final = "url-sync"
#: Pattern-matching type of each page's view-state store: ``{"type": VIEW, "page": name}``.
VIEW: Final = "view-state"
#: The notice naming query-string values the page cannot show (``webapp.notices``), and its parts.
LINK_NOTICE: Final = "link-notice"
LINK_NOTICE_TEXT: Final = "link-notice-text"
LINK_NOTICE_CLOSE: Final = "link-notice-close"
#: The 404 page's body.
NOT_FOUND: Final = "not-found"
#: The skip link to the page's content (for keyboard and screen-reader users).
SKIP_LINK: Final = "skip-link"
#: The error page's body (``webapp.error_page``).
ERROR_PAGE: Final = "error-page"

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
IP_LAYER: Final = "map-ip-layer"
SEARCH: Final = "map-search"
CYTO: Final = "map-cyto"
LEGEND: Final = "map-legend"
NOTICE: Final = "map-notice"
DETAIL: Final = "map-detail"
#: The detail panel's HTML (one string, see webapp.static_html), the element ``assets/map.js`` puts
#: it in, and the panel's parts that need Dash (an editor's edit button), after it.
DETAIL_HTML: Final = "map-detail-html"
DETAIL_BODY: Final = "map-detail-body"
DETAIL_EXTRA: Final = "map-detail-extra"
DETAIL_SUGGEST: Final = "map-detail-suggest"
#: The suggestions' HTML, put into DETAIL_SUGGEST by ``assets/map.js``.
SUGGEST_HTML: Final = "map-suggest-html"
SELECTED: Final = "map-selected"
GROUP: Final = "map-group"
EXPAND: Final = "map-expand"
EXPAND_BTN: Final = "map-expand-btn"
OVERVIEW_BTN: Final = "map-overview-btn"
PATH_TO: Final = "map-path-to"
PATH_INFO: Final = "map-path-info"
NODE_LIST: Final = "map-node-list"
NODE_LIST_SUMMARY: Final = "map-node-list-summary"
NODE_LIST_ITEMS: Final = "map-node-list-items"
#: Pattern-matching type of a "select this node" button: ``{"type": PICK, "node": id}``.
PICK: Final = "pick-node"
MAP_PNG_BTN: Final = "map-png-btn"
MAP_SVG_BTN: Final = "map-svg-btn"
MAP_EXPORT_FORMAT: Final = "map-export-format"
MAP_EXPORT_BTN: Final = "map-export-btn"
MAP_EXPORT_STATUS: Final = "map-export-status"
MAP_DOWNLOAD: Final = "map-download"
#: The drawn path (node ids) for the browser's focus script, what the image export prints, and the
#: dummy output of the clientside callbacks.
MAP_PATH: Final = "map-path"
MAP_EXPORT_SPEC: Final = "map-export-spec"
MAP_FOCUS: Final = "map-focus"
#: What the browser shows (positions, label places) for the server-drawn SVG export, and its download.
MAP_SVG_VIEW: Final = "map-svg-view"
MAP_SVG_DOWNLOAD: Final = "map-svg-download"

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
GAPS_SECTION: Final = "gaps-section"
GAPS_PROGRAMME: Final = "gaps-programme"
GAPS_PAGE: Final = "gaps-page"
GAPS_PREV: Final = "gaps-prev"
GAPS_NEXT: Final = "gaps-next"
GAPS_COUNT: Final = "gaps-count"
GAPS_XLSX_BTN: Final = "gaps-xlsx-btn"
GAPS_DOWNLOAD: Final = "gaps-download"

# --- suggest page --------------------------------------------------------------------------------
SUGGEST_REGION: Final = "suggest-region"
SUGGEST_ORG: Final = "suggest-org"
SUGGEST_RESULT: Final = "suggest-result"

# --- query page (analyst console) ----------------------------------------------------------------
QUERY_LANG: Final = "query-lang"
QUERY_EDITOR: Final = "query-editor"
QUERY_HIGHLIGHT: Final = "query-highlight"
QUERY_SAVED_LIST: Final = "query-saved-list"
#: Pattern-matching type of a saved-query button: ``{"type": QUERY_SAVED, "query": id}``.
QUERY_SAVED: Final = "query-saved"
QUERY_SELECTED: Final = "query-selected"
QUERY_PARAMS: Final = "query-params"
#: Pattern-matching type of a parameter input: ``{"type": QUERY_PARAM, "name": name}``.
QUERY_PARAM: Final = "query-param"
QUERY_EXTRA_PARAMS: Final = "query-extra-params"
QUERY_ROW_LIMIT: Final = "query-row-limit"
QUERY_RUN: Final = "query-run"
QUERY_STATUS: Final = "query-status"
QUERY_NOTICE: Final = "query-notice"
QUERY_ERROR: Final = "query-error"
QUERY_TABLE: Final = "query-table"
QUERY_GRAPH: Final = "query-graph"
QUERY_GRAPH_BOX: Final = "query-graph-box"
QUERY_RESULT: Final = "query-result"
QUERY_CSV_BTN: Final = "query-csv-btn"
QUERY_DOWNLOAD: Final = "query-download"

# --- report page ---------------------------------------------------------------------------------
REPORT_LANG_STORE: Final = "report-lang-store"
REPORT_KIND: Final = "report-kind"
REPORT_REGION: Final = "report-region"
REPORT_LANG: Final = "report-lang"
REPORT_FORMAT: Final = "report-format"
REPORT_BTN: Final = "report-btn"
REPORT_STATUS: Final = "report-status"
REPORT_DOWNLOAD: Final = "report-download"
