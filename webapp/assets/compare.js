/* Compare page: its body (table, notes, chart, networks) is drawn on the server as one HTML string
   (webapp/pages/compare.py, body_html) and reaches the page in a div's data-html attribute: one
   innerHTML instead of some 370 Dash components, which took Chromium about 150 ms to mount. Put each
   such string in place as the div appears (first render, or the "real data only" toggle's new
   body). A data-svg attribute (an SVG string, Dash has no SVG components) is put in place the same way.
   Links in the HTML marked data-dash-link navigate without a reload, as the dcc.Link they were. */
(function () {
  "use strict";
  var KINDS = ["data-html", "data-svg"];
  var shown = new WeakMap();
  function fill() {
    for (var k = 0; k < KINDS.length; k++) {
      var kind = KINDS[k];
      var holders = document.querySelectorAll("[" + kind + "]");
      for (var i = 0; i < holders.length; i++) {
        var holder = holders[i];
        var text = holder.getAttribute(kind);
        // what was put in place is remembered on the element, not copied into another attribute
        if (shown.get(holder) !== text) {
          holder.innerHTML = text;
          shown.set(holder, text);
        }
      }
    }
  }
  function start() {
    fill();
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        if (records[i].type === "attributes" || records[i].addedNodes.length) {
          fill();
          return;
        }
      }
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: KINDS });
  }
  document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest ? event.target : null;
    var link = target && target.closest(".compare-body a[data-dash-link]");
    if (!link || event.defaultPrevented || event.button !== 0 || link.target) { return; }
    if (event.metaKey || event.shiftKey || event.altKey || event.ctrlKey) { return; }
    event.preventDefault();
    window.history.pushState({}, "", link.getAttribute("href"));
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  });
  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
