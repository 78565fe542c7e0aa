/* IMR Archive: the "Search determinations" page (/search/).

   Searches every disputed item through the static index the build wrote at
   <site>/search-index/ (window.IMRSearch, imr-search-engine.js), with facet filters:
   choices within a facet match any of them, facets must all match. Results are items,
   listed under their determination; counts and the overturn rate are item counts. A
   citation typed into the box ("ACOEM ch. 12 p. 303") is a citation filter. The search
   lives in the page address: ?q=words&wide=1&region=knee&outcome=overturned&by=reviewer
   &page=303&decided-from=2014-01-01 (a facet may repeat), so a search can be bookmarked or
   shared and loading such an address runs it again. "Download CSV" writes the selected
   items with the open-data CSV's columns, in the browser. Configuration comes from the
   JSON in #imr-dsearch-config, written by generator/search/header.py. */
(function () {
  "use strict";

  var root = document.getElementById("imr-dsearch");
  if (!root || root.getAttribute("data-ready")) return;
  root.setAttribute("data-ready", "1");
  var config = JSON.parse(document.getElementById("imr-dsearch-config").textContent);
  var input = document.getElementById("imr-dsearch-q");
  var form = root.querySelector("form");
  var facetsBox = document.getElementById("imr-dsearch-facets");
  var filtersBox = document.getElementById("imr-dsearch-filters");
  var filtersSummary = filtersBox.querySelector("summary");
  // narrow screens: the filters start folded, so the results come right after the box
  if (window.matchMedia("(max-width: 44.9375em)").matches) filtersBox.open = false;
  var statusBox = document.getElementById("imr-dsearch-status");
  var list = document.getElementById("imr-dsearch-results");
  var moreButton = document.getElementById("imr-dsearch-more");
  var PAGE = 20; // determinations per page of results
  var FACETS = config.facets;
  var SCALARS = ["by", "page", "decided-from", "decided-to", "injured-from", "injured-to"];
  var MIN_RATE = config.minRate || 10; // fewer items: counts, not a percentage
  var wideBox = document.getElementById("imr-dsearch-wide");
  var csvButton = document.getElementById("imr-dsearch-csv");

  var state = readUrl();
  // Material opens its header search for a `q` in the address (and drops it when that
  // closes): take it out before Material's script reads it, put it back once loaded.
  var settled = document.readyState === "complete";
  if (state.q) {
    var bare = new URLSearchParams(window.location.search);
    bare.delete("q");
    var rest = bare.toString();
    window.history.replaceState(null, "",
      window.location.pathname + (rest ? "?" + rest : "") + window.location.hash);
  }
  window.addEventListener("load", function () {
    setTimeout(function () { settled = true; writeUrl(); }, 0);
  });
  var engine = null;
  var current = null; // the shown search: {results, shown, query, chain}
  var generation = 0;
  var timer = null;

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    FACETS.forEach(function (f) {
      // values this archive does not have (an old or mistyped address) are dropped
      var values = params.getAll(f.name).filter(function (v) {
        return Object.prototype.hasOwnProperty.call(f.values, v);
      });
      if (values.length) filters[f.name] = values;
    });
    SCALARS.forEach(function (name) {
      var v = (params.get(name) || "").trim();
      if (v) filters[name] = v;
    });
    var sort = params.get("sort");
    return {
      q: (params.get("q") || "").trim(),
      wide: params.get("wide") === "1",
      filters: filters,
      sort: sort === "newest" || sort === "oldest" ? sort : ""
    };
  }

  function writeUrl() {
    if (!settled) return;
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (state.wide) params.set("wide", "1");
    if (state.sort) params.set("sort", state.sort);
    FACETS.forEach(function (f) {
      (state.filters[f.name] || []).forEach(function (v) { params.append(f.name, v); });
    });
    SCALARS.forEach(function (name) {
      if (state.filters[name]) params.set(name, state.filters[name]);
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(null, "", url);
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function absolute(path) {
    return new URL(path, window.location.href).href;
  }

  // --- facets ---------------------------------------------------------------------

  function renderFacets(counts) {
    facetsBox.textContent = "";
    FACETS.forEach(function (f) {
      var chosen = state.filters[f.name] || [];
      var values = Object.keys(f.values).filter(function (v) {
        return (counts[f.name] || {})[v] > 0 || chosen.indexOf(v) >= 0;
      });
      if (f.name === "year") {
        values.sort(function (a, b) { return a < b ? 1 : a > b ? -1 : 0; });
      } else {
        values.sort(function (a, b) {
          var d = ((counts[f.name] || {})[b] || 0) - ((counts[f.name] || {})[a] || 0);
          return d || f.values[a].localeCompare(f.values[b]);
        });
      }
      var box = el("fieldset", "imr-dsearch__facet");
      box.setAttribute("data-facet", f.name);
      box.appendChild(el("legend", "imr-dsearch__legend", f.label));
      var ul = el("ul", "imr-dsearch__values");
      values.forEach(function (v) {
        var li = el("li");
        var label = el("label", "imr-dsearch__value");
        var check = el("input");
        check.type = "checkbox";
        check.name = f.name;
        check.value = v;
        check.checked = chosen.indexOf(v) >= 0;
        check.addEventListener("change", onFacetChange);
        label.appendChild(check);
        label.appendChild(el("span", "imr-dsearch__value-label", f.values[v]));
        label.appendChild(el("span", "imr-dsearch__count", String((counts[f.name] || {})[v] || 0)));
        li.appendChild(label);
        ul.appendChild(li);
      });
      if (!values.length) ul.appendChild(el("li", "imr-dsearch__none", "None"));
      box.appendChild(ul);
      facetsBox.appendChild(box);
    });
  }

  function summarizeFilters() {
    var n = 0;
    Object.keys(state.filters).forEach(function (f) {
      n += Array.isArray(state.filters[f]) ? state.filters[f].length : 1;
    });
    filtersSummary.textContent = n ? "Filters (" + n + " chosen)" : "Filters";
  }

  function onFacetChange(event) {
    var name = event.target.name;
    var values = [];
    facetsBox.querySelectorAll('input[name="' + name + '"]').forEach(function (c) {
      if (c.checked) values.push(c.value);
    });
    if (values.length) state.filters[name] = values;
    else delete state.filters[name];
    run();
  }

  // --- results --------------------------------------------------------------------

  var SNIPPET = 26; // words

  // The card's text where the most different words of the query meet, matches marked.
  function snippet(text, query) {
    var words = (text || "").split(/\s+/).filter(function (w) { return w; });
    if (!words.length) return null;
    var match = engine.matcher(query);
    var hits = words.map(match);
    var from = 0, best = 0;
    hits.forEach(function (h, i) {
      if (h < 0) return;
      var start = Math.max(0, i - 8);
      var seen = {};
      for (var k = start; k < Math.min(words.length, start + SNIPPET); k++) {
        if (hits[k] >= 0) seen[hits[k]] = true;
      }
      var n = Object.keys(seen).length;
      if (n > best) { best = n; from = start; }
    });
    var to = Math.min(words.length, from + SNIPPET);
    var p = el("p", "imr-dsearch__excerpt");
    if (from > 0) p.appendChild(document.createTextNode("… "));
    words.slice(from, to).forEach(function (w, k) {
      if (k) p.appendChild(document.createTextNode(" "));
      if (hits[from + k] >= 0) p.appendChild(el("mark", null, w));
      else p.appendChild(document.createTextNode(w));
    });
    if (to < words.length) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  function badge(decision) {
    var d = decision === "overturned" ? "overturned" : "upheld";
    return el("span", "imr-badge imr-badge--" + d, d === "overturned" ? "Overturned" : "Upheld");
  }

  // A determination and, under it, its items the search selected (positions in the letter).
  function renderResult(card, positions, search) {
    var li = el("li", "imr-dsearch__result");
    var head = el("div", "imr-dsearch__result-head");
    var a = el("a", "imr-dsearch__result-link", card.id);
    a.href = baseUrl + card.url;
    head.appendChild(a);
    if (card.year) head.appendChild(el("span", "imr-dsearch__year", String(card.year)));
    if (card.synthetic) head.appendChild(el("span", "imr-synthetic", "synthetic"));
    var of = card.items.length;
    head.appendChild(el("span", "imr-dsearch__of",
      positions.length + " of " + of + (of === 1 ? " item" : " items")));
    li.appendChild(head);
    var ul = el("ul", "imr-dsearch__services");
    positions.forEach(function (k) {
      var entry = card.items[k] || ["", "upheld", ""];
      var item = el("li", "imr-dsearch__item");
      item.setAttribute("data-item", card.id + "#" + (k + 1));
      item.appendChild(el("span", "imr-dsearch__service", entry[0]));
      if (entry[2]) item.appendChild(el("span", "imr-dsearch__subcategory", " · " + entry[2]));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(badge(entry[1]));
      ul.appendChild(item);
    });
    li.appendChild(ul);
    if (search.wide && search.query) {
      var p = snippet(card.text, search.query);
      if (p) li.appendChild(p);
    }
    return li;
  }

  // Items grouped under their determination, in the order of each one's first item.
  function groupItems(results) {
    var groups = [], at = new Map();
    results.forEach(function (doc) {
      var det = engine.itemDet[doc];
      if (!at.has(det)) { at.set(det, groups.length); groups.push({ det: det, items: [] }); }
      groups[at.get(det)].items.push(doc - engine.detFirst[det]);
    });
    return groups;
  }

  // The next page of the current search's results. Pages are shown in order (one chain
  // per search), each card as soon as it and the cards before it have arrived.
  function showMore() {
    var search = current;
    if (!search) return Promise.resolve();
    var slice = search.groups.slice(search.shown, search.shown + PAGE);
    search.shown += slice.length;
    moreButton.hidden = search.shown >= search.groups.length;
    slice.forEach(function (group) {
      var loading = engine.card(group.det);
      search.chain = search.chain.then(function () { return loading; }).then(function (card) {
        if (search === current) list.appendChild(renderResult(card, group.items, search));
      });
    });
    return search.chain;
  }

  function n(x, one, many) {
    return x.toLocaleString("en-US") + " " + (x === 1 ? one : many);
  }

  // "N items in M determinations for …"
  function describe(search) {
    var parts = [];
    if (search.cite) parts.push("citing " + citeLabel(search.cite));
    if (search.rest) parts.push("“" + search.rest + "”" + (search.wide ? " (also in rationales and summaries)" : ""));
    FACETS.forEach(function (f) {
      var chosen = state.filters[f.name];
      if (chosen) {
        parts.push(f.label.toLowerCase() + ": " + chosen.map(function (v) {
          return f.values[v] || v;
        }).join(" or "));
      }
    });
    // who cited and the page apply to a citation: a typed one, or a guideline or section
    var cited = search.cite || (state.filters.section || state.filters.guideline);
    var unused = cited ? "" : " (not applied: choose a guideline or section, or type a citation)";
    if (state.filters.by) {
      parts.push("cited by the " + state.filters.by.replace("-", " ") + unused);
    }
    if (state.filters.page) parts.push("page " + state.filters.page + unused);
    ["decided", "injured"].forEach(function (what) {
      var from = state.filters[what + "-from"], to = state.filters[what + "-to"];
      if (from || to) {
        parts.push((what === "decided" ? "decided " : "injured ") +
          (from ? "from " + from : "") + (from && to ? " " : "") + (to ? "to " + to : ""));
      }
    });
    var s = search.stats;
    return n(s.items, "item", "items") + " in " + n(s.determinations, "determination", "determinations") +
      (parts.length ? " for " + parts.join(", ") : "");
  }

  function citeLabel(cite) {
    var label = config.sections[cite.key] || config.sections[cite.key.split("/")[0]] || cite.key;
    if (cite.pages) {
      label += cite.pages[0] === cite.pages[1] ? ", page " + cite.pages[0]
        : ", pages " + cite.pages[0] + "-" + cite.pages[1];
    }
    return label;
  }

  // The outcome of the selected items: counts always, a rate only from MIN_RATE items.
  function outcomeLine(s) {
    var counts = n(s.overturned, "overturned", "overturned") + ", " + n(s.upheld, "upheld", "upheld");
    if (!s.items) return "";
    if (s.items < MIN_RATE) {
      return counts + " (n = " + s.items + ": too few items for a rate).";
    }
    return counts + ": overturn rate " + percent(s.overturned / s.items) + " (n = " + s.items +
      " items).";
  }

  // A rate as the hubs print it (generator/pages/stats.py format_rate: Python's round(), half
  // to even, of rate * 100), so a hub and its search say the same number.
  function percent(rate) {
    var x = rate * 100, r = Math.round(x);
    if (x % 1 === 0.5 && r % 2 !== 0) r -= 1;
    return r + "%";
  }

  function showTotals(message) {
    list.textContent = "";
    moreButton.hidden = true;
    csvButton.hidden = true;
    outcomeBox.textContent = "";
    renderFacets(engine.totals());
    statusBox.textContent = message;
    root.setAttribute("data-state", "idle");
    root.setAttribute("data-counts", "ready");
  }

  function hasFilters() {
    return Object.keys(state.filters).some(function (f) {
      return f !== "by" && f !== "page";
    });
  }

  function run() {
    writeUrl();
    summarizeFilters();
    renderScalars();
    var gen = ++generation;
    current = null; // a "Show more" from here on belongs to the new search
    moreButton.hidden = true;
    if (!engine) return;
    var query = state.q;
    var read = engine.read(query, state.wide);
    if (!query && !hasFilters()) {
      showTotals("Type words or a citation, or choose filters, to search all disputed items.");
      return;
    }
    if (!hasFilters() && !read.cite && !read.words.length) {
      showTotals("“" + query + "” is too short or too common to search for: type more.");
      return;
    }
    statusBox.textContent = "Searching…";
    root.setAttribute("data-state", "searching");
    root.removeAttribute("data-counts");
    var options = { wide: state.wide, order: state.sort };
    engine.search(query, state.filters, options).then(function (search) {
      if (gen !== generation) return;
      current = {
        results: search.results, groups: groupItems(search.results), shown: 0,
        query: read.cite ? read.cite.rest : query, wide: state.wide, chain: Promise.resolve()
      };
      list.textContent = "";
      var view = { stats: search.stats, cite: search.cite, rest: current.query, wide: state.wide };
      root.setAttribute("data-items", String(search.stats.items));
      root.setAttribute("data-overturned", String(search.stats.overturned));
      var shown = showMore().then(function () {
        if (gen !== generation) return;
        statusBox.textContent = describe(view);
        outcomeBox.textContent = outcomeLine(search.stats);
        csvButton.hidden = !search.results.length;
        root.setAttribute("data-state", "done");
      });
      // the facet counts of this search: after the first results, not before them
      var counted = search.counts().then(function (counts) {
        if (gen === generation) renderFacets(counts);
      });
      return Promise.all([shown, counted]).then(function () {
        if (gen === generation) root.setAttribute("data-counts", "ready");
      });
    }).catch(function (error) {
      if (gen !== generation) return;
      statusBox.textContent = "The search failed: " + error;
      root.setAttribute("data-state", "error");
    });
  }

  // --- the CSV of the selection -----------------------------------------------------------

  // Every selected item's line of the open-data CSV, in its order (id, then letter order).
  function download() {
    var search = current;
    if (!search) return Promise.resolve();
    csvButton.disabled = true;
    var byDet = search.groups.slice().sort(function (a, b) { return a.det - b.det; });
    return Promise.all(byDet.map(function (g) { return engine.card(g.det); })).then(function (cards) {
      var rows = [];
      cards.forEach(function (card, i) {
        byDet[i].items.forEach(function (k) { rows.push([card.id, k, card.csv[k]]); });
      });
      rows.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]; });
      var text = config.csvHeader + rows.map(function (r) { return r[2]; }).join("");
      var url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
      var a = el("a");
      a.href = url;
      a.download = "imr-items.csv";
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }).finally(function () { csvButton.disabled = false; });
  }

  // --- wiring ---------------------------------------------------------------------

  var outcomeBox = document.getElementById("imr-dsearch-outcome");
  var scalarInputs = {};
  SCALARS.forEach(function (name) {
    var box = document.getElementById("imr-dsearch-" + name);
    if (!box) return;
    scalarInputs[name] = box;
    box.addEventListener("change", function () {
      var v = box.value.trim();
      if (v) state.filters[name] = v;
      else delete state.filters[name];
      run();
    });
  });
  function renderScalars() {
    Object.keys(scalarInputs).forEach(function (name) {
      scalarInputs[name].value = state.filters[name] || "";
    });
    wideBox.checked = state.wide;
  }

  input.value = state.q;
  var sortBox = document.getElementById("imr-dsearch-sort");
  sortBox.value = state.sort;
  sortBox.addEventListener("change", function () {
    state.sort = sortBox.value;
    run();
  });
  wideBox.addEventListener("change", function () {
    state.wide = wideBox.checked;
    run();
  });
  input.addEventListener("input", function () {
    state.q = input.value.trim();
    if (engine && state.q) engine.preload(state.q, state.wide);
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    state.q = input.value.trim();
    run();
  });
  form.addEventListener("reset", function () {
    clearTimeout(timer);
    state = { q: "", wide: false, filters: {}, sort: "" };
    setTimeout(run, 0);
  });
  csvButton.addEventListener("click", function () {
    download().catch(function (error) {
      statusBox.textContent = "The CSV could not be made: " + error;
    });
  });
  moreButton.addEventListener("click", function () {
    var search = current;
    root.setAttribute("data-state", "searching");
    showMore().then(function () {
      if (search === current) root.setAttribute("data-state", "done");
    }).catch(function (error) {
      if (search !== current) return;
      statusBox.textContent = "More results could not be loaded: " + error;
      root.setAttribute("data-state", "error");
    });
  });

  // result links: the site root, wherever the site is hosted (this page is <root>/search/)
  var baseUrl = new URL(config.root || "../", window.location.href).href;
  window.IMRSearch.open(absolute(config.index)).then(function (opened) {
    engine = opened;
    run();
  }).catch(function (error) {
    statusBox.textContent = "The search index could not be loaded: " + error;
    root.setAttribute("data-state", "error");
  });
})();
