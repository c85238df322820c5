/* Compare page: the key-indicator chart is drawn on the server as one SVG string (webapp/svg_charts.py)
   and reaches the page in a div's data-svg attribute, since Dash has no SVG components. Put each such
   string in place as the div appears (first render, or the "real data only" toggle's new body): one
   innerHTML, no chart library. */
(function () {
  "use strict";
  function fill(root) {
    var holders = (root.querySelectorAll ? root : document).querySelectorAll("[data-svg]");
    for (var i = 0; i < holders.length; i++) {
      var holder = holders[i];
      var svg = holder.getAttribute("data-svg");
      if (holder.getAttribute("data-svg-shown") !== svg) {
        holder.innerHTML = svg;
        holder.setAttribute("data-svg-shown", svg);
      }
    }
  }
  function start() {
    fill(document);
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        if (records[i].type === "attributes" || records[i].addedNodes.length) {
          fill(document);
          return;
        }
      }
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-svg"] });
  }
  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
