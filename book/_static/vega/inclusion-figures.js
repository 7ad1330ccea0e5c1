/* Interactive figures of the evidence book.
 *
 * Every figure of the book is a MyST figure holding a PNG, its alt text, caption, source
 * line and CSV link. A figure that also has an interactive form is preceded on the page by
 * <script type="application/json" class="ie-spec" data-figure="FIGURE-ID">, a Vega or
 * Vega-Lite spec written by inclusion_evidence.present.interactive. This script, loaded on
 * every page, does nothing on pages without such a spec. Elsewhere it loads Vega, Vega-Lite
 * and vega-embed from this same folder (never from another site), and in each figure puts
 * the interactive chart in place of the PNG, keeping the caption and the CSV link (one
 * figure at a time, in page order, as each comes near the screen). Without
 * JavaScript, or if drawing fails, the PNG stays. Load this script in the page's head
 * without defer (it is small): it must watch the page while it is parsed.
 *
 * Keyboard: the chart is one tab stop; arrow keys move from region (or point) to region,
 * and the line under the chart reads out its name, value, year and flag. A click or tap
 * on a region reads it out too. Maps: the wheel or the slider zooms, dragging pans, a
 * double click resets.
 */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var base = here ? here.replace(/[^/]*$/, "") : "";

  // While the page is parsed: a figure that has an interactive form keeps its PNG out of
  // the download (the PNG comes after its spec on the page; its src moves to data-ie-src
  // before the browser fetches a lazy image). The PNG comes back if drawing fails.
  var pending = {};
  function holdImage(img) {
    var fig = img.closest && img.closest("figure");
    if (fig && pending[fig.id] && img.hasAttribute("src")) {
      img.setAttribute("data-ie-src", img.getAttribute("src"));
      img.removeAttribute("src");
    }
  }
  function releaseImage(img) {
    if (img && img.hasAttribute("data-ie-src")) img.setAttribute("src", img.getAttribute("data-ie-src"));
  }
  var watcher = null;
  if (document.readyState === "loading" && window.MutationObserver) {
    watcher = new MutationObserver(function (records) {
      records.forEach(function (r) {
        r.addedNodes.forEach(function (n) {
          if (n.nodeType !== 1) return;
          if (n.matches("script.ie-spec")) { pending[n.getAttribute("data-figure")] = true; libraries(); }
          else if (n.tagName === "IMG") holdImage(n);
          else n.querySelectorAll && n.querySelectorAll("img").forEach(holdImage);
        });
      });
    });
    watcher.observe(document.documentElement, { childList: true, subtree: true });
  }

  function load(name) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = base + name;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + name)); };
      document.head.appendChild(s);
    });
  }

  // The hatch of "no data" and the dots of "low reliability", as on the static maps;
  // the specs refer to them as url(#ie-hatch-nodata) and url(#ie-dots-u).
  function definePatterns() {
    if (document.getElementById("ie-patterns")) return;
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("id", "ie-patterns");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("width", "0");
    svg.setAttribute("height", "0");
    svg.style.position = "absolute";
    svg.innerHTML =
      '<defs>' +
      '<pattern id="ie-hatch-nodata" patternUnits="userSpaceOnUse" width="6" height="6">' +
      '<rect width="6" height="6" fill="#d9d9d9"/>' +
      '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#8c8c8c" stroke-width="0.9"/></pattern>' +
      '<pattern id="ie-dots-u" patternUnits="userSpaceOnUse" width="5" height="5">' +
      '<circle cx="2.5" cy="2.5" r="0.9" fill="#333333"/></pattern>' +
      '</defs>';
    document.body.insertBefore(svg, document.body.firstChild);
  }

  function geometries() {
    var out = {};
    document.querySelectorAll("script.ie-geometry").forEach(function (el) {
      out[el.getAttribute("data-key")] = el;
    });
    return out;
  }

  function resolveGeometry(spec, stores) {
    var meta = (spec.usermeta || {}).ie_geometry || {};
    if (!Array.isArray(spec.data)) return spec;
    spec.data.forEach(function (d) {
      var key = meta[d.name];
      if (key === undefined) return;
      var el = stores[key];
      if (!el) throw new Error("geometry " + key + " is not on the page");
      if (!el._parsed) el._parsed = JSON.parse(el.textContent);
      d.values = el._parsed;
    });
    return spec;
  }

  function findFigure(specEl) {
    var id = specEl.getAttribute("data-figure");
    var fig = id && document.getElementById(id);
    if (fig && fig.tagName.toLowerCase() !== "figure") fig = fig.closest("figure") || fig.querySelector("figure");
    if (fig) return fig;
    // fall back on the next figure in the same output
    var el = specEl.nextElementSibling;
    while (el && !(el.matches("figure") || el.querySelector("figure"))) el = el.nextElementSibling;
    return el ? (el.matches("figure") ? el : el.querySelector("figure")) : null;
  }

  function focusable(view, spec) {
    var name = (spec.usermeta || {}).ie_focus_data;
    if (!name) return [];
    try { return view.data(name).filter(function (r) { return r.description; }); } catch (e) { return []; }
  }

  function keyOf(row) { return row.geo !== undefined ? row.geo : row.key; }

  function attachKeyboard(chart, readout, view, rows) {
    var i = -1;
    function show(index) {
      i = (index + rows.length) % rows.length;
      readout.textContent = rows[i].description;
      view.signal("focused", keyOf(rows[i])).runAsync();
    }
    chart.addEventListener("keydown", function (ev) {
      if (!rows.length) return;
      var k = ev.key;
      if (k === "ArrowRight" || k === "ArrowDown") show(i + 1);
      else if (k === "ArrowLeft" || k === "ArrowUp") show(i - 1);
      else if (k === "Home") show(0);
      else if (k === "End") show(rows.length - 1);
      else if (k === "Escape") { i = -1; readout.textContent = ""; view.signal("focused", null).runAsync(); return; }
      else return;
      ev.preventDefault();
    });
    chart.addEventListener("blur", function () { view.signal("focused", null).runAsync(); });
    // A click or a tap on a mark reads it out (on a phone there is no hover). The SVG
    // renderer keeps each element's scenegraph item in __data__.
    function readTarget(ev) {
      var el = ev.target;
      while (el && el !== chart && !el.__data__) el = el.parentNode;
      var item = el && el.__data__;
      var d = item && item.datum;
      var row = d && (d.d || d);
      if (row && row.description) {
        readout.textContent = row.description;
        view.signal("focused", keyOf(row)).runAsync();
      }
    }
    chart.addEventListener("click", readTarget);
    chart.addEventListener("touchend", readTarget, { passive: true });
  }

  function render(specEl, stores) {
    var fig = findFigure(specEl);
    if (!fig) { console.error("interactive figure: no figure " + specEl.getAttribute("data-figure")); return null; }
    if (!window.vegaEmbed) { releaseImage(fig.querySelector("img")); return null; }
    var img = fig.querySelector("img");
    var spec = resolveGeometry(JSON.parse(specEl.textContent), stores);
    var chart = document.createElement("div");
    chart.className = "ie-chart";
    chart.tabIndex = 0;
    chart.setAttribute("role", "group");
    var alt = img ? img.getAttribute("alt") : spec.description;
    chart.setAttribute("aria-label", (alt || "") + " Interactive: use the arrow keys to read the values.");
    var host = document.createElement("div");
    host.className = "ie-host";
    chart.appendChild(host);
    var readout = document.createElement("p");
    readout.className = "ie-readout";
    readout.setAttribute("aria-live", "polite");
    fig.classList.add("ie-figure");
    if (img) { img.style.display = "none"; img.parentNode.insertBefore(chart, img); }
    else fig.insertBefore(chart, fig.firstChild);
    chart.insertAdjacentElement("afterend", readout);
    return window.vegaEmbed(host, spec, { renderer: "svg", actions: false, tooltip: { theme: "light" } })
      .then(function (result) {
        if (img) img.remove();
        attachKeyboard(chart, readout, result.view, focusable(result.view, spec));
        fig.setAttribute("data-ie-state", "ready");
        return result;
      })
      .catch(function (err) {
        console.error("interactive figure " + specEl.getAttribute("data-figure") + ": " + err);
        chart.remove(); readout.remove();
        if (img) { releaseImage(img); img.style.display = ""; }
        fig.setAttribute("data-ie-state", "failed");
      });
  }

  // Figures are drawn one at a time, in page order, when they come near the screen: the
  // first figure is interactive soon even on a page with many maps.
  var queue = Promise.resolve();
  function enqueue(el, stores) {
    if (el._ieQueued) return el._ieQueued;
    el._ieQueued = queue = queue.then(function () {
      try { return render(el, stores); } catch (err) {
        console.error("interactive figure " + el.getAttribute("data-figure") + ": " + err);
        releaseImage((findFigure(el) || document).querySelector("img[data-ie-src]"));
        return null;
      }
    });
    return el._ieQueued;
  }

  // The libraries start loading as soon as the first spec is parsed, while the rest of the
  // page is still arriving. (Vega-Lite is loaded with them: most pages have charts too.)
  var librariesLoading = null;
  function libraries() {
    if (!librariesLoading) {
      librariesLoading = load("vega.min.js")
        .then(function () { return load("vega-lite.min.js"); })
        .then(function () { return load("vega-embed.min.js"); });
    }
    return librariesLoading;
  }

  function start() {
    if (watcher) watcher.disconnect();
    var specs = Array.prototype.slice.call(document.querySelectorAll("script.ie-spec"));
    if (!specs.length) return;
    definePatterns();
    libraries()
      .then(function () {
        var stores = geometries();
        var renderAll = function () { return Promise.all(specs.map(function (el) { return enqueue(el, stores); })); };
        // for tests and for printing: draw every figure now
        window.inclusionFigures = { renderAll: renderAll };
        window.addEventListener("beforeprint", renderAll);
        if (!window.IntersectionObserver) { renderAll(); }
        else {
          var io = new IntersectionObserver(function (entries) {
            entries.forEach(function (e) {
              if (!e.isIntersecting) return;
              io.unobserve(e.target);
              enqueue(e.target._ieSpec, stores);
            });
          }, { rootMargin: "600px 0px" });
          specs.forEach(function (el) {
            var fig = findFigure(el);
            if (!fig) { console.error("interactive figure: no figure " + el.getAttribute("data-figure")); return; }
            fig._ieSpec = el;
            io.observe(fig);
          });
        }
        document.documentElement.setAttribute("data-ie-ready", "1");
      })
      .catch(function (err) {
        console.error("interactive figures: " + err);
        document.querySelectorAll("img[data-ie-src]").forEach(releaseImage);
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
