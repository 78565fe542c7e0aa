/* IMR Archive: the determination search engine (window.IMRSearch).

   Reads the static index generator/textindex.py writes at <site>/search-index/:
   meta.json (term directory, facet values and their overall counts), postings chunks,
   facet columns and one card per determination, each gzip'd JSON fetched only when a
   search needs it. Tokens follow the same rules as textindex.py (lower case, accents
   removed, letters and digits, stop words out, plurals folded); the last word of a
   query also matches as a prefix, so results come while typing.

   Words must all match (AND). Facet choices: any value within a facet, every facet.
   The counts of a facet are "disjunctive": how many determinations each value would
   give with the other facets' choices kept. */
(function () {
  "use strict";

  var PREFIX_MIN = 3; // the last word matches as a prefix from this length
  var PREFIX_CHUNKS = 3; // ...when its terms fit in this many chunks
  var PREFIX_FACTOR = 0.5; // a prefix match scores half an exact one

  function fetchPacked(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.arrayBuffer();
    }).then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (bytes.length > 1 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).text();
      }
      return new TextDecoder().decode(bytes); // a server that already unpacked it
    }).then(JSON.parse);
  }

  // --- tokens (the rules of generator/textindex.py) ------------------------------------

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

  function Engine(base, meta) {
    this.base = base;
    this.meta = meta;
    this.stop = new Set(meta.stopwords);
    this.firsts = meta.chunks.map(function (c) { return c[0]; });
    this.chunks = {}; // file -> Promise of {term: postings}
    this.columns = {}; // facet -> Promise of column
    this.cards = {}; // doc -> Promise of card
    this.facetNames = Object.keys(meta.facets);
  }

  Engine.prototype.chunkIndex = function (term) {
    var lo = 0, hi = this.firsts.length - 1, at = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (this.firsts[mid] <= term) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at;
  };

  /* A file of the index, fetched once; a failed fetch is forgotten, so a later search
     tries again. */
  function cached(cache, key, url) {
    if (!cache[key]) {
      cache[key] = fetchPacked(url).catch(function (error) {
        delete cache[key];
        throw error;
      });
    }
    return cache[key];
  }

  Engine.prototype.chunk = function (i) {
    var file = this.meta.chunks[i][1];
    return cached(this.chunks, file, this.base + file);
  };

  Engine.prototype.column = function (facet) {
    return cached(this.columns, facet, this.base + this.meta.facets[facet].column);
  };

  Engine.prototype.card = function (doc) {
    return cached(this.cards, doc, this.base + this.meta.cards + doc + ".bin");
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

  /* The chunks a word needs: its exact term's, and its prefix range's when small. */
  Engine.prototype.chunksFor = function (word) {
    var need = word.exact === null ? [] : [this.chunkIndex(word.exact)];
    if (word.prefix) {
      var from = this.chunkIndex(word.prefix);
      var to = this.chunkIndex(word.prefix + "\uffff");
      if (to - from < PREFIX_CHUNKS) {
        for (var i = from; i <= to; i++) need.push(i);
      } else {
        word.prefix = null; // too many terms start so: exact only (a stop word: nothing)
      }
    }
    return need.filter(function (v, i, a) { return a.indexOf(v) === i; });
  };

  /* The words of a query that can be looked up, each with the chunks it needs
     (`chunks`); a stop word whose terms would fill too many chunks is left out. */
  Engine.prototype.searchable = function (query) {
    var self = this;
    return this.parse(query).filter(function (w) {
      w.chunks = self.chunksFor(w);
      return w.exact !== null || w.prefix !== null;
    });
  };

  Engine.prototype.preload = function (query) {
    var self = this;
    this.searchable(query).forEach(function (w) {
      w.chunks.forEach(function (i) { self.chunk(i); });
    });
  };

  Engine.prototype.idf = function (df) {
    var n = this.meta.documents;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };

  /* doc -> score of one word (Map), from the loaded chunks. */
  Engine.prototype.scoreWord = function (word, loaded) {
    var self = this;
    var scores = new Map();
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

  /* Does a document's facet value (an index or a list of them) meet a set of indexes? */
  function meets(value, chosen) {
    if (typeof value === "number") return chosen.has(value);
    for (var i = 0; i < value.length; i++) if (chosen.has(value[i])) return true;
    return false;
  }

  function each(value, fn) {
    if (typeof value === "number") fn(value);
    else for (var i = 0; i < value.length; i++) fn(value[i]);
  }

  /* filters: {facet: [values]} -> [{facet, chosen: Set of value indexes}] */
  Engine.prototype.active = function (filters) {
    var meta = this.meta;
    return Object.keys(filters || {}).filter(function (f) {
      return meta.facets[f] && filters[f] && filters[f].length;
    }).map(function (f) {
      var values = meta.facets[f].values;
      var chosen = new Set();
      filters[f].forEach(function (v) {
        var i = values.indexOf(v);
        if (i >= 0) chosen.add(i);
      });
      return { facet: f, chosen: chosen };
    });
  };

  /* Search: a Promise of {results: [doc, ...], counts(): Promise of counts}. Results come
     best first, or (order "newest" / "oldest") by date; without words, newest first. */
  Engine.prototype.search = function (query, filters, order) {
    var self = this;
    var parsed = this.searchable(query);
    var active = this.active(filters);
    var loading = parsed.map(function (w) {
      return Promise.all(w.chunks.map(function (i) { return self.chunk(i); }));
    });
    var columns = active.map(function (a) { return self.column(a.facet); });
    return Promise.all([Promise.all(loading), Promise.all(columns)]).then(function (got) {
      var base; // candidate docs (array) and their scores (Map), before the filters
      var scores = null;
      if (parsed.length) {
        parsed.forEach(function (w, i) {
          var s = self.scoreWord(w, got[0][i]);
          if (!scores) { scores = s; return; }
          var both = new Map();
          scores.forEach(function (v, doc) {
            if (s.has(doc)) both.set(doc, v + s.get(doc));
          });
          scores = both;
        });
        base = Array.from(scores.keys());
      } else {
        base = null; // every document
      }
      var cols = got[1];
      function passes(doc, skip) {
        for (var k = 0; k < active.length; k++) {
          if (k !== skip && !meets(cols[k][doc], active[k].chosen)) return false;
        }
        return true;
      }
      var results = [];
      var n = self.meta.documents;
      if (base) {
        base.forEach(function (doc) { if (passes(doc, -1)) results.push(doc); });
        if (order === "newest" || order === "oldest") {
          results.sort(function (a, b) { return a - b; }); // documents are numbered newest first
        } else {
          results.sort(function (a, b) { return scores.get(b) - scores.get(a) || a - b; });
        }
      } else if (active.length) {
        for (var doc = 0; doc < n; doc++) if (passes(doc, -1)) results.push(doc);
      }
      if (order === "oldest") results.reverse();
      return {
        results: results,
        counts: function () { return self.counts(base, active); }
      };
    });
  };

  /* Disjunctive counts over the candidate docs (null: all): {facet: {value: n}}. */
  Engine.prototype.counts = function (base, active) {
    var self = this;
    var names = this.facetNames;
    return Promise.all(names.map(function (f) { return self.column(f); })).then(function (cols) {
      var byName = {};
      names.forEach(function (f, i) { byName[f] = cols[i]; });
      var tallies = names.map(function (f) {
        return new Array(self.meta.facets[f].values.length).fill(0);
      });
      var activeCols = active.map(function (a) { return byName[a.facet]; });
      var activeAt = active.map(function (a) { return names.indexOf(a.facet); });
      function count(doc) {
        var failed = -1;
        for (var k = 0; k < active.length; k++) {
          if (!meets(activeCols[k][doc], active[k].chosen)) {
            if (failed >= 0) return; // fails two facets: counts nowhere
            failed = k;
          }
        }
        for (var i = 0; i < names.length; i++) {
          if (failed >= 0 && activeAt[failed] !== i) continue;
          var tally = tallies[i];
          each(cols[i][doc], function (v) { tally[v]++; });
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

  /* The counts over every determination (in meta.json: nothing to load). */
  Engine.prototype.totals = function () {
    var out = {};
    var facets = this.meta.facets;
    Object.keys(facets).forEach(function (f) {
      out[f] = {};
      facets[f].values.forEach(function (v, j) { out[f][v] = facets[f].counts[j]; });
    });
    return out;
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
      }).then(function (meta) { return new Engine(base, meta); });
    },
    terms: function (text, stopwords) { return terms(text, new Set(stopwords)); },
    stem: stem
  };
})();
