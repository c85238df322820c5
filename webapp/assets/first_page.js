/* The layout answer may hold the first page's content (webapp/first_page.py), made for the address
 * the server read from the request's Referer. Dash's renderer calls this (its layout_post hook)
 * before it draws the layout: when that address is not the page's own (a proxy that strips or
 * shortens the Referer), the content and the router's location are taken out again, so the
 * location sets the page's own address once mounted and the pages router fetches the right page. */
(function () {
  "use strict";
  function find(node, id) {
    if (!node || typeof node !== "object") { return null; }
    if (Array.isArray(node)) {
      for (var i = 0; i < node.length; i++) {
        var hit = find(node[i], id);
        if (hit) { return hit; }
      }
      return null;
    }
    var props = node.props;
    if (!props) { return null; }
    if (props.id === id) { return node; }
    return find(props.children, id);
  }
  window.ipecoFirstPage = function (layout) {
    var location = find(layout, "_pages_location");
    if (!location || location.props.pathname === undefined) { return; }
    var same = location.props.pathname === window.location.pathname
      && (location.props.search || "") === window.location.search;
    if (same) { return; }
    delete location.props.pathname;
    delete location.props.search;
    var content = find(layout, "_pages_content");
    if (content) { content.props.children = null; }
  };
})();
