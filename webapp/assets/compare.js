/* Compare page: start loading plotly.js's basic bundle (bar, scatter and pie charts; 1.2 MB) as the
   page opens. dcc.Graph draws with window.Plotly when it is defined and only otherwise fetches
   the full bundle (4.8 MB), whose parsing alone took the browser seconds on a first visit. The
   compare page's only chart is a bar figure. Reached by an in-app link, or before this bundle has
   run, the page falls back to the full bundle: slower, never wrong. Same version as Dash's own. */
(function () {
  "use strict";
  var path = window.location.pathname.replace(/\/+$/, "");
  if (!/\/compare$/.test(path) || window.Plotly) {
    return;
  }
  var script = document.createElement("script");
  script.src = path.slice(0, -"compare".length) + "assets/vendor/plotly-basic-4.1.1.min.js";
  document.head.appendChild(script);
})();
