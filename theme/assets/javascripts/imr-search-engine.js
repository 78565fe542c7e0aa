/* IMR Archive: the determination search engine (window.IMRSearch).

   Reads the static index generator/search/determinations.py writes at
   <site>/search-index/: meta.json (term directories, facet values and their item counts),
   postings chunks, facet columns, the items per determination, date columns, the
   citation spellings and one card per determination, each gzip'd (JSON, or bytes for the
   date columns: see inRange) and fetched only when a search needs it. Tokens follow
   generator/search/tokens.py (lower case, accents removed, letters and digits, stop words
   out, plurals folded); the last word of a query also matches as a prefix, so results
   come while typing.

   Documents are disputed ITEMS. Words must all match (AND) the item's own words (its
   service, category and subcategory, body regions, the guidelines it cites), or with
   `wide` also its statements, rationale and its determination's clinical summary. A
   citation in the query (window.IMRCitations) becomes a citation filter. Facet choices:
   any value within a facet, every facet; an item facet looks at the item, a
   determination facet at its determination. The counts of a facet are "disjunctive": how
   many items each value would give with the other facets' choices kept. */
(function () {
  "use strict";

  var PREFIX_MIN = 3; // the last word matches as a prefix from this length
  var PREFIX_CHUNKS = 3; // ...when its terms fit in this many chunks
  var PREFIX_FACTOR = 0.5; // a prefix match scores half an exact one

  /* A file of the index unpacked (a Promise of a Uint8Array). */
  function fetchBytes(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.arrayBuffer();
    }).then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (bytes.length > 1 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).arrayBuffer().then(function (unpacked) {
          return new Uint8Array(unpacked);
        }, function () {
          return bytes; // already unpacked by the server, and merely starting so
        });
      }
      return bytes; // a server that already unpacked it
    });
  }

  function fetchPacked(url) {
    return fetchBytes(url).then(function (bytes) {
      return JSON.parse(new TextDecoder().decode(bytes));
    });
  }

  // --- tokens (the rules of generator/search/tokens.py; imr-search-citations.js uses these) --

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{Mn}/gu, "");
  }

  function stem(word) {
    if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
    if (/ies$/.test(word) && !/[ea]ies$/.test(word)) return word.slice(0, -3) + "y";
    if (/es$/.test(word) && !/[aeo]es$/.test(word)) return word.slice(0, -1);
    if (/s$/.test(word) && !/(us|ss|is)$/.test(word)) return word.slice(0, -1);
    return word;
  }

  function words(text, stop) {
    return (fold(text).match(/[a-z0-9]+/g) || []).filter(function (w) {
      return w.length > 1 && !stop.has(w);
    });
  }

  function terms(text, stop) {
    return words(text, stop).map(stem);
  }

  // --- the engine -------------------------------------------------------------------------

  function Engine(base, meta, lists) {
    this.base = base;
    this.meta = meta;
    this.stop = new Set(meta.stopwords);
    this.firsts = {
      chunks: meta.chunks.map(function (c) { return c[0]; }),
      wide: meta.wide.map(function (c) { return c[0]; })
    };
    this.chunks = {}; // file -> Promise of {term: postings}
    this.columns = {}; // facet or list -> Promise of column
    this.cards = {}; // determination -> Promise of card
    this.facetNames = Object.keys(meta.facets);
    this.citations = lists.citations;
    var n = meta.documents;
    this.itemDet = new Int32Array(n); // item -> its determination
    this.detFirst = new Int32Array(lists.items.length + 1); // determination -> first item
    var item = 0;
    lists.items.forEach(function (count, det) {
      this.detFirst[det] = item;
      for (var k = 0; k < count; k++) this.itemDet[item++] = det;
    }, this);
    this.detFirst[lists.items.length] = item;
  }

  Engine.prototype.chunkIndex = function (term, dir) {
    var firsts = this.firsts[dir || "chunks"];
    var lo = 0, hi = firsts.length - 1, at = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (firsts[mid] <= term) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at;
  };

  /* A file of the index, fetched once (JSON, or bytes with fetchBytes); a failed fetch is
     forgotten, so a later search tries again. */
  function cached(cache, key, url, load) {
    if (!cache[key]) {
      cache[key] = (load || fetchPacked)(url).catch(function (error) {
        delete cache[key];
        throw error;
      });
    }
    return cache[key];
  }

  Engine.prototype.chunk = function (i, dir) {
    var file = this.meta[dir || "chunks"][i][1];
    return cached(this.chunks, file, this.base + file);
  };

  Engine.prototype.column = function (facet) {
    return cached(this.columns, facet, this.base + this.meta.facets[facet].column);
  };

  Engine.prototype.bytes = function (file) {
    return cached(this.columns, file, this.base + file, fetchBytes);
  };

  Engine.prototype.card = function (det) {
    return cached(this.cards, det, this.base + this.meta.cards + det + ".bin");
  };

  /* What a query asks: [{exact: stem or null, prefix: raw word or null}] for each word.
     The last word also matches as the start of a term; a stop word there counts as such
     a start only ("the" while typing "therapy"). */
  Engine.prototype.parse = function (query) {
    var stop = this.stop;
    var raw = fold(query || "").match(/[a-z0-9]+/g) || [];
    var out = [];
    raw.forEach(function (w, i) {
      var last = i === raw.length - 1;
      var prefix = last && w.length >= PREFIX_MIN ? w : null;
      if (w.length > 1 && !stop.has(w)) out.push({ exact: stem(w), prefix: prefix });
      else if (prefix) out.push({ exact: null, prefix: prefix });
    });
    return out;
  };

  /* The chunks of a directory a word needs: its exact term's, and its prefix range's
     when small (else the word's prefix is dropped). */
  Engine.prototype.chunksFor = function (word, dir) {
    var need = word.exact === null ? [] : [this.chunkIndex(word.exact, dir)];
    if (word.prefix) {
      var from = this.chunkIndex(word.prefix, dir);
      var to = this.chunkIndex(word.prefix + "\uffff", dir);
      if (to - from < PREFIX_CHUNKS) {
        for (var i = from; i <= to; i++) need.push(i);
      } else {
        word.prefix = null; // too many terms start so: exact only (a stop word: nothing)
      }
    }
    return need.filter(function (v, i, a) { return a.indexOf(v) === i; });
  };

  /* A query read: its citation (or null) and the words that can be looked up, each with
     the chunks it needs (`chunks`, and `wide` when the wider text is searched too). */
  Engine.prototype.read = function (query, wide) {
    var self = this;
    var cite = window.IMRCitations
      ? window.IMRCitations.parse(query || "", this.citations, this.stop) : null;
    var words = this.parse(cite ? cite.rest : query).filter(function (w) {
      w.chunks = self.chunksFor(w, "chunks");
      w.wide = wide ? self.chunksFor(w, "wide") : [];
      return w.exact !== null || w.prefix !== null;
    });
    return { cite: cite, words: words };
  };

  Engine.prototype.searchable = function (query, wide) {
    return this.read(query, wide).words;
  };

  Engine.prototype.preload = function (query, wide) {
    var self = this;
    this.searchable(query, wide).forEach(function (w) {
      w.chunks.forEach(function (i) { self.chunk(i, "chunks"); });
      (w.wide || []).forEach(function (i) { self.chunk(i, "wide"); });
    });
  };

  Engine.prototype.idf = function (df) {
    var n = this.meta.documents;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };

  /* item -> score of one word (Map), from loaded chunks (a list of {term: postings}). */
  Engine.prototype.scoreWord = function (word, loaded, scores) {
    var self = this;
    scores = scores || new Map();
    function add(postings, factor) {
      var idf = self.idf(postings.length / 2) * factor;
      var doc = 0;
      for (var i = 0; i < postings.length; i += 2) {
        doc += postings[i];
        var s = postings[i + 1] * idf;
        if (!(scores.get(doc) >= s)) scores.set(doc, s);
      }
    }
    loaded.forEach(function (chunk) {
      Object.keys(chunk).forEach(function (term) {
        if (term === word.exact) add(chunk[term], 1);
        else if (word.prefix && term.lastIndexOf(word.prefix, 0) === 0) {
          add(chunk[term], PREFIX_FACTOR);
        }
      });
    });
    return scores;
  };

  /* Does a facet value (an index or a list of them) meet a set of indexes? */
  function meets(value, chosen) {
    if (typeof value === "number") return chosen.has(value);
    for (var i = 0; i < value.length; i++) if (chosen.has(value[i])) return true;
    return false;
  }

  function each(value, fn) {
    if (typeof value === "number") fn(value);
    else for (var i = 0; i < value.length; i++) fn(value[i]);
  }

  var WHO = { reviewer: ["r"], "claims-administrator": ["c"] };
  // Pages of a query's range looked up, one term each (their terms sort together, so a
  // range costs a chunk or two). The whole range must be read: a range cut short missed
  // the items citing its last pages ("240-310" stopped at 300 and missed page 303).
  var MAX_QUERY_PAGES = 1000;

  function pageRange(text) {
    var m = /^(\d+)(?:-(\d+))?$/.exec(String(text || "").replace(/\s+/g, ""));
    if (!m) return null;
    var lo = parseInt(m[1], 10), hi = parseInt(m[2] || m[1], 10);
    return [Math.min(lo, hi), Math.max(lo, hi)];
  }

  /* The citation terms of a citation filter {keys, pages, who}: an item passes when its
     postings hold any of them. */
  function citeTerms(c) {
    var out = [];
    c.keys.forEach(function (key) {
      c.who.forEach(function (w) {
        if (!c.pages) { out.push("~" + w + key); return; }
        var hi = Math.min(c.pages[1], c.pages[0] + MAX_QUERY_PAGES);
        for (var p = c.pages[0]; p <= hi; p++) out.push("~" + w + key + "@" + p);
      });
    });
    return out;
  }

  function days(iso) {
    if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
    return Math.round(Date.parse(iso + "T00:00:00Z") / 86400000);
  }

  // --- date ranges over a date column (generator/search/datecolumn.py) ----------------------

  function yearSpan(year) { // its first and last day, as days() reads them
    var y = ("000" + year).slice(-4);
    return [days(y + "-01-01"), days(y + "-12-31")];
  }

  function bound(day, open) { return day === null || isNaN(day) ? open : day; }

  /* Some of a year's days in the range [from, to] and some not? */
  function cuts(span, from, to) {
    from = bound(from, -Infinity); to = bound(to, Infinity);
    return !(span[0] >= from && span[1] <= to) && span[1] >= from && span[0] <= to;
  }

  /* The determinations whose date is in [from, to] (days, inclusive; null or NaN: open):
     a Uint8Array, 1 for in. `column`: per determination the position of its year in
     `years`, `width` bytes little-endian, all ones for no date; `inYear[k]`: the uint16
     LE days in year k of its determinations in order, needed (else null) for the years
     the range cuts only, as a year wholly in or out decides its determinations alone. */
  function inRange(column, width, years, inYear, from, to) {
    from = bound(from, -Infinity); to = bound(to, Infinity);
    var spans = years.map(yearSpan), none = width === 1 ? 0xff : 0xffff;
    var n = column.length / width, out = new Uint8Array(n), seen = new Int32Array(years.length);
    for (var i = 0; i < n; i++) {
      var k = width === 1 ? column[i] : column[2 * i] | column[2 * i + 1] << 8;
      if (k === none) continue;
      var first = spans[k][0], at, day;
      if (inYear[k]) {
        at = 2 * seen[k]++;
        day = first + (inYear[k][at] | inYear[k][at + 1] << 8);
        out[i] = day >= from && day <= to ? 1 : 0;
      } else {
        out[i] = first >= from && spans[k][1] <= to ? 1 : 0;
      }
    }
    return out;
  }

  /* A Promise of inRange for a range of the plan: the column's years, and the days of the
     years it cuts. */
  Engine.prototype.dateRange = function (range) {
    var self = this, col = this.meta.dates[range.list];
    var years = col.days.map(function (y) { return y[0]; });
    var need = col.days.map(function (y) {
      return cuts(yearSpan(y[0]), range.from, range.to) ? self.bytes(y[1]) : null;
    });
    return Promise.all([this.bytes(col.years)].concat(need)).then(function (got) {
      return inRange(got[0], col.width, years, got.slice(1), range.from, range.to);
    });
  };

  /* What a search asks besides its words: facet choices (checked against columns),
     citation filters (against postings) and date ranges. */
  Engine.prototype.plan = function (read, filters) {
    var meta = this.meta;
    filters = filters || {};
    var who = WHO[filters.by] || ["r", "c"];
    var pages = pageRange(filters.page);
    var cites = [];
    if (read.cite) { // its pages, else those of the cited-page box
      cites.push({ keys: [read.cite.key], pages: read.cite.pages || pages, who: who });
    }
    // pages or who cited: the section's (else the guideline's) citation terms; that facet
    // is then read from the postings, the other stays a facet (groups narrow the search)
    var keysFacet = (filters.section && filters.section.length) ? "section" : "guideline";
    var keys = filters[keysFacet];
    var byPostings = keys && keys.length && (pages || WHO[filters.by]);
    if (byPostings) cites.push({ keys: keys, pages: pages, who: who });
    var active = Object.keys(meta.facets).filter(function (f) {
      if (byPostings && f === keysFacet) return false;
      return filters[f] && filters[f].length;
    }).map(function (f) {
      var values = meta.facets[f].values;
      var chosen = new Set();
      filters[f].forEach(function (v) {
        var i = values.indexOf(v);
        if (i >= 0) chosen.add(i);
      });
      return { facet: f, chosen: chosen, det: meta.facets[f].level !== "item" };
    });
    var ranges = [];
    [["decided", "decided"], ["injured", "injured"]].forEach(function (pair) {
      var from = days(filters[pair[0] + "-from"]), to = days(filters[pair[0] + "-to"]);
      if (from !== null || to !== null) ranges.push({ list: pair[1], from: from, to: to });
    });
    return { cites: cites, active: active, ranges: ranges };
  };

  /* The items holding any of some citation terms (a Promise of a Set). */
  Engine.prototype.citedItems = function (cite) {
    var self = this;
    var terms = citeTerms(cite);
    var need = terms.map(function (t) { return self.chunkIndex(t, "chunks"); })
      .filter(function (v, i, a) { return a.indexOf(v) === i; });
    return Promise.all(need.map(function (i) { return self.chunk(i, "chunks"); }))
      .then(function (chunks) {
        var out = new Set();
        chunks.forEach(function (chunk) {
          terms.forEach(function (t) {
            var postings = chunk[t];
            if (!postings) return;
            for (var i = 0, doc = 0; i < postings.length; i += 2) out.add(doc += postings[i]);
          });
        });
        return out;
      });
  };

  /* Search: a Promise of {results: [item, ...], cite, words, stats, counts()}. Results come
     best first, or (order "newest" / "oldest") by date; without words, newest first. */
  Engine.prototype.search = function (query, filters, options) {
    var self = this;
    options = options || {};
    var read = this.read(query, options.wide);
    var plan = this.plan(read, filters);
    var loading = read.words.map(function (w) {
      return Promise.all([
        Promise.all(w.chunks.map(function (i) { return self.chunk(i, "chunks"); })),
        Promise.all(w.wide.map(function (i) { return self.chunk(i, "wide"); }))
      ]);
    });
    return Promise.all([
      Promise.all(loading),
      Promise.all(plan.active.map(function (a) { return self.column(a.facet); })),
      Promise.all(plan.cites.map(function (c) { return self.citedItems(c); })),
      Promise.all(plan.ranges.map(function (r) { return self.dateRange(r); })),
      this.column("outcome")
    ]).then(function (got) {
      return self.finish(read, plan, got, options.order);
    });
  };

  Engine.prototype.finish = function (read, plan, got, order) {
    var self = this;
    var scores = null;
    read.words.forEach(function (w, i) {
      var s = self.scoreWord(w, got[0][i][0]);
      self.scoreWord(w, got[0][i][1], s);
      if (!scores) { scores = s; return; }
      var both = new Map();
      scores.forEach(function (v, doc) { if (s.has(doc)) both.set(doc, v + s.get(doc)); });
      scores = both;
    });
    var itemDet = this.itemDet;
    var cites = got[2], inRanges = got[3];
    function inBase(doc) { // words are checked by the caller
      for (var c = 0; c < cites.length; c++) if (!cites[c].has(doc)) return false;
      for (var r = 0; r < inRanges.length; r++) if (!inRanges[r][itemDet[doc]]) return false;
      return true;
    }
    var base = [];
    if (scores) scores.forEach(function (_v, doc) { if (inBase(doc)) base.push(doc); });
    else if (plan.cites.length || plan.ranges.length || plan.active.length) {
      for (var doc = 0; doc < this.meta.documents; doc++) if (inBase(doc)) base.push(doc);
    } else {
      base = null;
    }
    var active = plan.active, cols = got[1];
    var results = (base || []).filter(function (doc) {
      for (var k = 0; k < active.length; k++) {
        if (!meets(cols[k][active[k].det ? itemDet[doc] : doc], active[k].chosen)) return false;
      }
      return true;
    });
    if (scores && order !== "newest" && order !== "oldest") {
      results.sort(function (a, b) { return scores.get(b) - scores.get(a) || a - b; });
    } else {
      results.sort(function (a, b) { return a - b; }); // items are numbered newest first
    }
    if (order === "oldest") results.reverse();
    var outcome = got[4], overturned = this.meta.facets.outcome.values.indexOf("overturned");
    var stats = { items: results.length, overturned: 0, determinations: 0 };
    var seen = new Set();
    results.forEach(function (doc) {
      if (outcome[doc] === overturned) stats.overturned++;
      seen.add(itemDet[doc]);
    });
    stats.determinations = seen.size;
    stats.upheld = stats.items - stats.overturned;
    return {
      results: results,
      cite: read.cite,
      words: read.words,
      stats: stats,
      counts: function () { return self.counts(base, active); }
    };
  };

  /* Disjunctive item counts over the candidate items (null: all): {facet: {value: n}}. */
  Engine.prototype.counts = function (base, active) {
    var self = this;
    var names = this.facetNames;
    var itemDet = this.itemDet;
    return Promise.all(names.map(function (f) { return self.column(f); })).then(function (cols) {
      var byName = {};
      names.forEach(function (f, i) { byName[f] = cols[i]; });
      var isDet = names.map(function (f) { return self.meta.facets[f].level !== "item"; });
      var tallies = names.map(function (f) {
        return new Array(self.meta.facets[f].values.length).fill(0);
      });
      var activeCols = active.map(function (a) { return byName[a.facet]; });
      var activeAt = active.map(function (a) { return names.indexOf(a.facet); });
      function count(doc) {
        var failed = -1;
        for (var k = 0; k < active.length; k++) {
          if (!meets(activeCols[k][active[k].det ? itemDet[doc] : doc], active[k].chosen)) {
            if (failed >= 0) return; // fails two facets: counts nowhere
            failed = k;
          }
        }
        for (var i = 0; i < names.length; i++) {
          if (failed >= 0 && activeAt[failed] !== i) continue;
          var tally = tallies[i];
          each(cols[i][isDet[i] ? itemDet[doc] : doc], function (v) { tally[v]++; });
        }
      }
      if (base) base.forEach(count);
      else for (var doc = 0; doc < self.meta.documents; doc++) count(doc);
      var out = {};
      names.forEach(function (f, i) {
        out[f] = {};
        self.meta.facets[f].values.forEach(function (v, j) { out[f][v] = tallies[i][j]; });
      });
      return out;
    });
  };

  /* The counts over every item (in meta.json: nothing to load). */
  Engine.prototype.totals = function () {
    var out = {};
    var facets = this.meta.facets;
    Object.keys(facets).forEach(function (f) {
      out[f] = {};
      facets[f].values.forEach(function (v, j) { out[f][v] = facets[f].counts[j]; });
    });
    return out;
  };

  /* The items of a determination: [first, end). */
  Engine.prototype.itemsOf = function (det) {
    return [this.detFirst[det], this.detFirst[det + 1]];
  };

  /* Which word of the query a word of a text matches: its position, -1 if none
     (for cutting and marking snippets). */
  Engine.prototype.matcher = function (query) {
    var parsed = this.searchable(query);
    var stop = this.stop;
    return function (word) {
      var found = -1;
      terms(word, stop).forEach(function (t) {
        parsed.forEach(function (w, i) {
          if (found < 0 && (t === w.exact || (w.prefix && t.lastIndexOf(w.prefix, 0) === 0))) {
            found = i;
          }
        });
      });
      return found;
    };
  };

  window.IMRSearch = {
    open: function (base) {
      return fetch(base + "meta.json", { cache: "no-cache" }).then(function (response) {
        if (!response.ok) throw new Error(base + "meta.json: HTTP " + response.status);
        return response.json();
      }).then(function (meta) {
        return Promise.all([
          fetchPacked(base + meta.lists.items), fetchPacked(base + meta.lists.citations)
        ]).then(function (got) {
          return new Engine(base, meta, { items: got[0], citations: got[1] });
        });
      });
    },
    terms: function (text, stopwords) { return terms(text, new Set(stopwords)); },
    inRange: inRange,
    fold: fold,
    stem: stem
  };
})();
