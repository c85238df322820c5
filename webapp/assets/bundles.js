/* Pages without a graph are served without dash-cytoscape (webapp/bundles.py), which then sets
 * window.ipecoGraphPages to the addresses of the pages that need it. A move from such a page to a
 * graph page (a link, or the back and forward buttons) is made a full page load, which brings the
 * bundle with it; on a graph page, or once the bundle is there, links work as Dash makes them. */
(function () {
  "use strict";
  function plain(path) { return "/" + path.replace(/^\/+|\/+$/g, ""); }
  function needsLoad(url) {
    var pages = window.ipecoGraphPages;
    if (!pages || window.dash_cytoscape) { return false; }
    var target = new URL(url, window.location.href);
    return target.origin === window.location.origin && pages.indexOf(plain(target.pathname)) >= 0;
  }
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    if (link.target && link.target !== "_self") { return; }
    if (needsLoad(link.href)) {
      event.preventDefault();
      event.stopPropagation();
      window.location.assign(link.href);
    }
  }, true);
  window.addEventListener("popstate", function (event) {
    if (needsLoad(window.location.href)) {
      event.stopImmediatePropagation();
      window.location.reload();
    }
  }, true);
})();
