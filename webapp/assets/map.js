/* ipeco map: labels by importance as there is room, focus on a node, print-ready exports.
 *
 * The server sends positions (preset layout) and, per node, a label rank and tier (webapp/layout.py).
 * Here, after every zoom or pan, labels keep one on-screen size and are placed greedily in rank
 * order: a label is shown only when its box overlaps no label already shown, so zooming in reveals
 * more names and there is never a wall of overlapping text. Tier 0 (support bodies, universities,
 * 公設試, government, banks, top organisations) is placed from the opening zoom, tier 1 (programmes,
 * networks) from 1.3× and tier 2 (other firms) from 2× the opening zoom.
 *
 * Motion: a selection is framed with a short animation, unless the visitor asked the system for
 * reduced motion (`prefers-reduced-motion: reduce`): then the view jumps to the frame at once.
 *
 * Exports: the PNG is cytoscape's own (core `cy.png`); the SVG is drawn on the server
 * (webapp/map_svg.py) from the positions and label places this script sends (`svgView`).
 */
(function () {
  "use strict";
  var FONT = '"Noto Sans CJK JP", "Noto Sans JP", sans-serif';
  var PX = [12, 12, 11];          // on-screen font size per tier
  var TIER_ZOOM = [0, 1.3, 2.0];  // tier shown from this multiple of the opening zoom
  var MAX_LABEL = 150;            // on-screen label width before an ellipsis
  var SHORT_LABEL = 84;           // ... and when a tier-0 name fits nowhere at full length
  /* Where a label may go, in order of preference: under, above, right of, left of its node. */
  var PLACES = [
    { valign: "bottom", halign: "center", box: function (p, r, w, h) { return { x1: p.x - w / 2, x2: p.x + w / 2, y1: p.y + r, y2: p.y + r + h }; } },
    { valign: "top", halign: "center", box: function (p, r, w, h) { return { x1: p.x - w / 2, x2: p.x + w / 2, y1: p.y - r - h, y2: p.y - r }; } },
    { valign: "center", halign: "right", box: function (p, r, w, h) { return { x1: p.x + r, x2: p.x + r + w, y1: p.y - h / 2, y2: p.y + h / 2 }; } },
    { valign: "center", halign: "left", box: function (p, r, w, h) { return { x1: p.x - r - w, x2: p.x - r, y1: p.y - h / 2, y2: p.y + h / 2 }; } },
    { valign: "bottom", halign: "right", box: function (p, r, w, h) { return { x1: p.x + r, x2: p.x + r + w, y1: p.y + r, y2: p.y + r + h }; } },
    { valign: "top", halign: "right", box: function (p, r, w, h) { return { x1: p.x + r, x2: p.x + r + w, y1: p.y - r - h, y2: p.y - r }; } },
    { valign: "bottom", halign: "left", box: function (p, r, w, h) { return { x1: p.x - r - w, x2: p.x - r, y1: p.y + r, y2: p.y + r + h }; } },
    { valign: "top", halign: "left", box: function (p, r, w, h) { return { x1: p.x - r - w, x2: p.x - r, y1: p.y - r - h, y2: p.y - r }; } },
  ];
  /* The system's reduced-motion setting, read at each move so that a change applies at once. */
  var REDUCED_MOTION = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  var state = { passes: 0, cy: null, base: null, focus: {}, timer: null, measure: null, widths: {}, placed: {} };

  function textWidth(text, px) {
    var key = px + "|" + text;
    if (state.widths[key] === undefined) {
      if (!state.measure) { state.measure = document.createElement("canvas").getContext("2d"); }
      state.measure.font = px + "px " + FONT;
      state.widths[key] = state.measure.measureText(text).width;
    }
    return state.widths[key];
  }

  /* The name cut with an ellipsis to fit ``max`` on-screen pixels (measured, and cached, at the
   * label's on-screen size, so zooming never measures a name again). */
  function fit(text, px, max) {
    if (textWidth(text, px) <= max) { return text; }
    var low = 0, high = text.length;
    while (low < high) {
      var mid = Math.ceil((low + high) / 2);
      if (textWidth(text.slice(0, mid) + "…", px) <= max) { low = mid; } else { high = mid - 1; }
    }
    return text.slice(0, low) + "…";
  }

  function overlaps(a, list) {
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (a.x1 < b.x2 + 4 && b.x1 < a.x2 + 4 && a.y1 < b.y2 + 3 && b.y1 < a.y2 + 3) { return true; }
    }
    return false;
  }

  /* Show or hide each node's label (class "nolabel") and keep its on-screen size. */
  function relabel() {
    var cy = state.cy;
    if (!cy || cy.destroyed() || cy.nodes().length === 0) { return; }
    var zoom = cy.zoom();
    if (!state.base) { state.base = zoom; }
    var ratio = zoom / state.base;
    var width = cy.width(), height = cy.height();
    var nodes = cy.nodes().toArray().sort(function (a, b) {
      var fa = state.focus[a.id()] ? 0 : 1, fb = state.focus[b.id()] ? 0 : 1;
      return fa - fb || (a.data("rank") || 0) - (b.data("rank") || 0);
    });
    var shown = [];
    state.placed = {};
    cy.batch(function () {
      nodes.forEach(function (n) {
        var tier = n.data("tier");
        tier = tier === undefined ? (n.hasClass("aggregate") ? 0 : 2) : tier;
        var px = PX[tier] || 11;
        var focused = !!state.focus[n.id()];
        n.style({
          "font-size": px / zoom,
          "text-margin-y": 0,
          "text-background-padding": 1 / zoom,
        });
        var label = n.data("short") || n.data("label") || "";
        var p = n.renderedPosition();
        var half = n.renderedOuterHeight() / 2;
        var w = Math.min(textWidth(label, px), MAX_LABEL) + 6;
        var h = px * 1.45 + 4;
        var allowed = focused || ratio >= (TIER_ZOOM[tier] || 0) - 1e-6;
        var visible = n.visible() && !n.hasClass("faded");
        var placed = null;
        // the most important names get a second chance, shortened with an ellipsis
        var widths = tier === 0 || focused ? [w, Math.min(w, SHORT_LABEL)] : [w];
        for (var k = 0; k < widths.length && !placed && label && allowed && visible; k++) {
          for (var i = 0; i < PLACES.length && !placed; i++) {
            var box = PLACES[i].box(p, half, widths[k], h);
            var inside = box.x1 >= 0 && box.x2 <= width && box.y1 >= 0 && box.y2 <= height;
            if (inside && !overlaps(box, shown)) { placed = { box: box, place: PLACES[i], index: i, width: widths[k] }; }
          }
        }
        if (placed) {
          shown.push(placed.box);
          // the name may not grow past the box reserved for it: cut here (the map's stylesheet does not wrap)
          var room = placed.width === w && w < MAX_LABEL ? MAX_LABEL : placed.width - 6;
          state.placed[n.id()] = [placed.index, room];
          n.style({
            "label": fit(label, px, room),
            "text-valign": placed.place.valign,
            "text-halign": placed.place.halign,
          });
          n.removeClass("nolabel");
        } else {
          n.style("label", "");
          n.addClass("nolabel");
        }
      });
    });
    state.passes += 1;
    window.ipecoMap.labelled = shown.length;
    window.ipecoMap.passes = state.passes;
  }

  function schedule() {
    if (state.timer) { clearTimeout(state.timer); }
    state.timer = setTimeout(relabel, 60);
  }

  /* Until the visitor moves the view (or a selection is framed), the opening view follows the
   * canvas: the map arrives with the page, and the sidebar's menus, drawn a moment later, can still
   * change the canvas's height, so the graph is fitted again to the canvas's final size. */
  function refitUntouched() {
    var cy = state.cy;
    if (cy && !state.touched && cy.nodes().length > 0) {
      cy.fit(undefined, 40);
      state.base = cy.zoom();
    }
    schedule();
  }

  function attach(cy) {
    if (state.cy === cy) { return; }
    state.cy = cy;
    state.base = null;
    state.touched = false;
    var box = cy.container();
    ["wheel", "mousedown", "touchstart", "keydown"].forEach(function (name) {
      box.addEventListener(name, function () { state.touched = true; }, { passive: true });
    });
    cy.on("viewport", schedule);
    cy.on("resize", refitUntouched);
    cy.on("add remove", function () { state.base = null; schedule(); });
    cy.on("layoutstop", function () { state.base = cy.zoom(); schedule(); });
    schedule();
  }

  /* Wait for dash-cytoscape's instance (window.cy) and keep watching it. */
  function isMap(cy) {
    var box = cy && cy.container && cy.container();
    return !!(box && box.closest && box.closest("#map-cyto"));
  }

  setInterval(function () {
    if (window.cy && window.cy !== state.cy && isMap(window.cy)) { attach(window.cy); }
  }, 200);

  /* The map now arrives with the page, often before the CJK web font: widths measured with a
   * fallback font are wrong, so measure and place again once the fonts are in. */
  if (document.fonts && document.fonts.addEventListener) {
    document.fonts.addEventListener("loadingdone", function () { state.widths = {}; schedule(); });
  }

  /* The path's nodes and the edges between consecutive ones, marked with the class "path". */
  function markPath(cy, ids) {
    var keep = cy.collection();
    ids.forEach(function (id, i) {
      var node = cy.getElementById(id);
      keep = keep.union(node);
      if (i > 0) { keep = keep.union(node.edgesWith(cy.getElementById(ids[i - 1]))); }
    });
    keep.addClass("path");
    return keep.union(keep.nodes().edgesWith(keep.nodes()));
  }

  /* Centre on a node and fade what is not its neighbourhood (or the path, when there is one).
   * Highlighting is done here with classes (styled by the map's one stylesheet), so a click never
   * sends a new stylesheet or new elements through Dash: the canvas is not re-rendered. */
  function focusOn(sel, path) {
    var cy = window.cy;
    if (!cy || !isMap(cy)) { return false; }
    attach(cy);
    var node = sel ? cy.getElementById(sel) : null;
    if (node && node.empty()) { return false; }
    var ids = (path || []).filter(function (id) { return id; });
    var keep = null;
    cy.batch(function () {
      cy.elements().removeClass("faded focus path");
      state.focus = {};
      if (!node) { return; }
      keep = ids.length > 1 ? markPath(cy, ids) : node.closedNeighborhood();
      cy.elements().not(keep).addClass("faded");
      keep.nodes().forEach(function (n) { state.focus[n.id()] = true; });
      node.addClass("focus");
    });
    if (!node) { schedule(); return true; }
    state.touched = true;
    var target = ids.length > 1 ? keep.nodes() : node;
    var centre = target.boundingBox();
    var cx = (centre.x1 + centre.x2) / 2, cyy = (centre.y1 + centre.y2) / 2;
    var around = keep.nodes().boundingBox();
    var dx = Math.max(cx - around.x1, around.x2 - cx, 60), dy = Math.max(cyy - around.y1, around.y2 - cyy, 60);
    var zoom = Math.min(cy.width() / (2 * dx + 120), cy.height() / (2 * dy + 120));
    var base = state.base || cy.zoom();
    zoom = Math.max(Math.min(zoom, 1.2, cy.maxZoom()), base * 1.3);
    var pan = { x: cy.width() / 2 - cx * zoom, y: cy.height() / 2 - cyy * zoom };
    cy.stop(true, true);
    if (REDUCED_MOTION && REDUCED_MOTION.matches) {
      cy.viewport({ zoom: zoom, pan: pan });  // fires "viewport": the names are placed again
    } else {
      cy.animate({ zoom: zoom, pan: pan }, { duration: 350, complete: schedule });
    }
    return true;
  }

  function focusWhenReady(sel, path, tries) {
    if (focusOn(sel, path) || tries <= 0) { return; }
    setTimeout(function () { focusWhenReady(sel, path, tries - 1); }, 150);
  }

  /* A print-ready PNG: the whole graph at ≥ 2400 px wide, a title above and the legend beside it. */
  function exportPng(spec) {
    var cy = window.cy;
    var saved = { zoom: cy.zoom(), pan: cy.pan() };
    cy.fit(undefined, 20);
    state.base = cy.zoom();
    relabel();  // labels as at the opening zoom, so the printed names are the ones that fit
    var graphWidth = 2400 - 560;
    var bb = cy.elements().boundingBox({ includeLabels: true });
    var scale = graphWidth / bb.w;
    var uri = cy.png({ full: true, scale: scale, bg: "#ffffff", output: "base64uri" });
    var image = new Image();
    image.onload = function () {
      var pad = 48, titleH = 120, legendW = 520;
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(2400, image.width + legendW + 2 * pad);
      canvas.height = Math.max(image.height, 60 * (spec.items.length + 2)) + titleH + 2 * pad;
      var g = canvas.getContext("2d");
      g.fillStyle = "#ffffff";
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.fillStyle = "#1a1a1a";
      g.font = "bold 56px " + FONT;
      g.fillText(spec.title, pad, pad + 56);
      g.font = "30px " + FONT;
      g.fillStyle = "#555555";
      g.fillText(spec.subtitle, pad, pad + 104);
      g.drawImage(image, pad, pad + titleH);
      var lx = canvas.width - legendW, ly = pad + titleH + 20;
      g.fillStyle = "#1a1a1a";
      g.font = "bold 34px " + FONT;
      g.fillText(spec.legendTitle, lx, ly);
      g.font = "30px " + FONT;
      spec.items.forEach(function (item, i) {
        var y = ly + 56 + i * 52;
        g.fillStyle = item.color;
        g.strokeStyle = "#333333";
        g.lineWidth = 2;
        g.beginPath();
        shapePath(g, item.shape, lx + 16, y - 10, 15);
        g.fill();
        g.stroke();
        g.fillStyle = "#1a1a1a";
        g.fillText(item.label, lx + 44, y);
      });
      var link = document.createElement("a");
      link.href = canvas.toDataURL("image/png");
      link.download = spec.filename + ".png";
      document.body.appendChild(link);
      link.click();
      link.remove();
      cy.viewport(saved);
      schedule();
      window.ipecoLastExport = { width: canvas.width, height: canvas.height };
    };
    image.src = uri;
  }

  function shapePath(g, shape, x, y, r) {
    var pts = null;
    if (shape === "diamond") { pts = [[0, -1], [1, 0], [0, 1], [-1, 0]]; }
    else if (shape === "triangle") { pts = [[0, -1], [1, 0.8], [-1, 0.8]]; }
    else if (shape === "hexagon") { pts = [[1, 0], [0.5, 0.87], [-0.5, 0.87], [-1, 0], [-0.5, -0.87], [0.5, -0.87]]; }
    else if (shape === "star") {
      pts = [];
      for (var i = 0; i < 10; i++) {
        var a = -Math.PI / 2 + i * Math.PI / 5, k = i % 2 ? 0.45 : 1;
        pts.push([Math.cos(a) * k, Math.sin(a) * k]);
      }
    }
    if (!pts) { g.arc(x, y, r, 0, 2 * Math.PI); return; }
    pts.forEach(function (p, i) { (i ? g.lineTo : g.moveTo).call(g, x + p[0] * r, y + p[1] * r); });
    g.closePath();
  }

  /* What the server needs to draw the SVG export (webapp/map_svg.py) as the map shows: at the fitted
   * view, each drawn node's position (model units), where its name was placed (-1: none) and how wide
   * it may be (screen px), and the selection's classes; plus that view's zoom. */
  var VIEW_CLASSES = ["faded", "focus", "path"];
  function viewClasses(ele) {
    return VIEW_CLASSES.filter(function (c) { return ele.hasClass(c); }).join(" ");
  }
  function svgView() {
    var cy = window.cy;
    var saved = { zoom: cy.zoom(), pan: cy.pan() };
    cy.fit(undefined, 20);
    state.base = cy.zoom();
    relabel();  // names as at the opening zoom, so the printed names are the ones that fit
    var view = { zoom: cy.zoom(), nodes: {}, edges: {} };
    cy.nodes(":visible").forEach(function (n) {
      var p = n.position(), placed = state.placed[n.id()] || [-1, MAX_LABEL];
      view.nodes[n.id()] = [p.x, p.y, placed[0], placed[1], viewClasses(n)];
    });
    cy.edges(".faded, .path").forEach(function (e) { view.edges[e.id()] = viewClasses(e); });
    cy.viewport(saved);
    schedule();
    return view;
  }

  /* The detail panel arrives as one HTML string (webapp/static_html.py): put it in its place,
   * once the page's elements are there (on a first visit the callback may run before). */
  function showHtml(id, text, tries) {
    var body = document.getElementById(id);
    if (!body) {
      if (tries > 0) { requestAnimationFrame(function () { showHtml(id, text, tries - 1); }); }
      return;
    }
    body.innerHTML = text || "";
  }

  /* Clicks inside the panel's HTML do what the components did: a neighbour's button selects it, an
   * in-app link navigates without a reload (as dcc.Link does). */
  document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest ? event.target : null;
    var panel = target && target.closest(".html-panel");
    if (!panel) { return; }
    var button = target.closest("[data-dash-id]");
    if (button) {
      var id = JSON.parse(button.getAttribute("data-dash-id"));
      if (id.type === "pick-node" && window.dash_clientside.set_props) {
        window.dash_clientside.set_props("map-selected", { data: id.node });
      }
      return;
    }
    var link = target.closest("a[data-dash-link]");
    if (link && !(event.metaKey || event.shiftKey || event.altKey || event.ctrlKey) && !link.target) {
      event.preventDefault();
      window.history.pushState({}, "", link.getAttribute("href"));
      window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
      window.scrollTo(0, 0);
    }
  });

  window.ipecoMap = { relabel: relabel, focus: focusOn, exportPng: exportPng, svgView: svgView };
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    ipeco_map: {
      // on a selection (and when the elements arrive): at once, without waiting for the detail panel
      focus: function (sel, elements) {
        var path = state.path && state.path.sel === sel ? state.path.ids : [];
        setTimeout(function () { focusWhenReady(sel || "", path, 40); }, 0);
        return window.dash_clientside.no_update;
      },
      // a tap selects in the browser (no server round trip): the node, or an aggregate's group
      tap: function (data) {
        var no = window.dash_clientside.no_update;
        if (!data) { return [no, no, no]; }
        if (data.aggregate) { return ["", data.group || "", null]; }
        return [data.id, no, no];
      },
      // when the server has found a shortest path: frame the whole path
      focusPath: function (path, sel) {
        var had = !!(state.path && state.path.ids.length > 1);
        state.path = { sel: sel, ids: path || [] };
        if (sel && ((path && path.length > 1) || had)) {
          setTimeout(function () { focusWhenReady(sel, path, 40); }, 80);
        }
        return window.dash_clientside.no_update;
      },
      // the detail panel and the suggestions, each one HTML string from the server
      showDetail: function (text) {
        showHtml("map-detail-body", text, 60);
        return window.dash_clientside.no_update;
      },
      showSuggestions: function (text) {
        showHtml("map-detail-suggest", text, 60);
        return window.dash_clientside.no_update;
      },
      exportImage: function (png, spec) {
        if (png && spec && window.cy) { exportPng(spec); }
        return window.dash_clientside.no_update;
      },
      // the SVG is drawn on the server: send it what the map shows
      svgView: function (clicks) {
        if (!clicks || !window.cy || !isMap(window.cy)) { return window.dash_clientside.no_update; }
        return svgView();
      },
    },
  });
})();
