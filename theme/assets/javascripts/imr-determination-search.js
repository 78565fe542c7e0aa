/* IMR Archive: the "Search determinations" page (/search/).

   Searches every determination through the static index the build wrote at
   <site>/search-index/ (window.IMRSearch, imr-search-engine.js), with facet filters:
   choices within a facet match any of them, facets must all match. The search lives in
   the page address:
   ?q=words&region=knee&outcome=overturned (a facet may repeat), so a search can be
   bookmarked or shared and loading such an address runs it again. Everything is
   loaded from this site. Configuration (the index folder, facets and their labels) comes from
   the JSON in #imr-dsearch-config, written by generator/searchindex.py. */
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
  var PAGE = 20;
  var FACETS = config.facets;

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
    var sort = params.get("sort");
    return {
      q: (params.get("q") || "").trim(),
      filters: filters,
      sort: sort === "newest" || sort === "oldest" ? sort : ""
    };
  }

  function writeUrl() {
    if (!settled) return;
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (state.sort) params.set("sort", state.sort);
    FACETS.forEach(function (f) {
      (state.filters[f.name] || []).forEach(function (v) { params.append(f.name, v); });
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
    Object.keys(state.filters).forEach(function (f) { n += state.filters[f].length; });
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

  function renderResult(card, query) {
    var li = el("li", "imr-dsearch__result");
    var head = el("div", "imr-dsearch__result-head");
    var a = el("a", "imr-dsearch__result-link", card.id);
    a.href = baseUrl + card.url;
    head.appendChild(a);
    if (card.year) head.appendChild(el("span", "imr-dsearch__year", String(card.year)));
    if (card.synthetic) head.appendChild(el("span", "imr-synthetic", "synthetic"));
    li.appendChild(head);
    if (card.services && card.services.length) {
      var ul = el("ul", "imr-dsearch__services");
      card.services.forEach(function (pair) {
        var item = el("li");
        item.appendChild(el("span", "imr-dsearch__service", pair[0]));
        item.appendChild(document.createTextNode(" "));
        var decision = pair[1] === "overturned" ? "overturned" : "upheld";
        item.appendChild(el("span", "imr-badge imr-badge--" + decision,
          decision === "overturned" ? "Overturned" : "Upheld"));
        ul.appendChild(item);
      });
      li.appendChild(ul);
    }
    if (query) {
      var p = snippet(card.text, query);
      if (p) li.appendChild(p);
    }
    return li;
  }

  // The next page of the current search's results. Pages are shown in order (one chain
  // per search), each card as soon as it and the cards before it have arrived.
  function showMore() {
    var search = current;
    if (!search) return Promise.resolve();
    var slice = search.results.slice(search.shown, search.shown + PAGE);
    search.shown += slice.length;
    moreButton.hidden = search.shown >= search.results.length;
    slice.map(function (doc) { return engine.card(doc); }).forEach(function (loading) {
      search.chain = search.chain.then(function () { return loading; }).then(function (card) {
        if (search === current) list.appendChild(renderResult(card, search.query));
      });
    });
    return search.chain;
  }

  function describe(n, query) {
    var parts = [];
    if (query) parts.push("“" + query + "”");
    FACETS.forEach(function (f) {
      var chosen = state.filters[f.name];
      if (chosen) {
        parts.push(f.label.toLowerCase() + ": " + chosen.map(function (v) {
          return f.values[v] || v;
        }).join(" or "));
      }
    });
    var what = n === 1 ? "1 determination" : n.toLocaleString("en-US") + " determinations";
    return what + (parts.length ? " for " + parts.join(", ") : "");
  }

  function showTotals(message) {
    list.textContent = "";
    moreButton.hidden = true;
    renderFacets(engine.totals());
    statusBox.textContent = message;
    root.setAttribute("data-state", "idle");
    root.setAttribute("data-counts", "ready");
  }

  function run() {
    writeUrl();
    summarizeFilters();
    var gen = ++generation;
    current = null; // a "Show more" from here on belongs to the new search
    moreButton.hidden = true;
    if (!engine) return;
    var query = state.q;
    var active = Object.keys(state.filters).length > 0;
    if (!query && !active) {
      showTotals("Type words or choose filters to search all determinations.");
      return;
    }
    if (!active && !engine.searchable(query).length) {
      showTotals("“" + query + "” is too short or too common to search for: type more.");
      return;
    }
    statusBox.textContent = "Searching…";
    root.setAttribute("data-state", "searching");
    root.removeAttribute("data-counts");
    engine.search(query, state.filters, state.sort).then(function (search) {
      if (gen !== generation) return;
      current = { results: search.results, shown: 0, query: query, chain: Promise.resolve() };
      list.textContent = "";
      var shown = showMore().then(function () {
        if (gen !== generation) return;
        statusBox.textContent = describe(search.results.length, query);
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

  // --- wiring ---------------------------------------------------------------------

  input.value = state.q;
  var sortBox = document.getElementById("imr-dsearch-sort");
  sortBox.value = state.sort;
  sortBox.addEventListener("change", function () {
    state.sort = sortBox.value;
    run();
  });
  input.addEventListener("input", function () {
    state.q = input.value.trim();
    if (engine && state.q) engine.preload(state.q);
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
    state = { q: "", filters: {}, sort: "" };
    setTimeout(run, 0);
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
