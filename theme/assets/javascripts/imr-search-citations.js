/* IMR Archive: citations typed into the determination search (window.IMRCitations).

   "ACOEM ch. 12 p. 303", "CPMTG opioids 76-80", "MTUS chronic pain page 79", "ODG knee"
   -> {key: hub key, pages: [lo, hi] or null, rest: words left} or null. The same steps as
   generator/search/citequery.py `parse`, over the same table (the catalogue's search
   spellings, written into the index as c-<hash>.bin); a browser test runs both over the
   same queries. */
(function () {
  "use strict";

  var QUERY_TOKEN = /\d+\s*-\s*\d+|[a-z0-9]+/g;
  var NUMBER = /^\d+(?:-\d+)?$/;
  var CHAPTER_WORDS = ["chapter", "chap", "ch"];
  var PAGE_WORDS = ["page", "pages", "p", "pp", "pg", "pgs"];
  var MIN_PLAIN = 3;
  var MAX_PAGE = 999;

  // The tokens' rules have one owner, the engine (imr-search-engine.js, loaded after this
  // file, before any query is read), as generator/search/tokens.py has in Python.
  function fold(text) { return window.IMRSearch.fold(text); }
  function stem(word) { return window.IMRSearch.stem(word); }

  function rawTokens(text) {
    return (fold(text || "").match(QUERY_TOKEN) || []).map(function (t) {
      return t.replace(/\s+/g, "");
    });
  }

  function takeNumberAfter(toks, used, words) {
    for (var i = 0; i < toks.length - 1; i++) {
      if (!used[i] && !used[i + 1] && words.indexOf(toks[i]) >= 0 && NUMBER.test(toks[i + 1])) {
        used[i] = used[i + 1] = true;
        return toks[i + 1];
      }
    }
    return null;
  }

  function range(tok) {
    if (!tok) return null;
    var parts = tok.split("-");
    var a = parseInt(parts[0], 10), b = parseInt(parts[1] || parts[0], 10);
    return [Math.min(a, b), Math.max(a, b)];
  }

  function longest(toks, used, tab) {
    var names = new Set(tab.names);
    var best = null;
    tab.spellings.forEach(function (entry) {
      var spelled = entry[0], key = entry[1], n = spelled.length;
      var named = spelled.some(function (t) { return names.has(t); });
      if (!named && (key.indexOf("/") >= 0 || n < MIN_PLAIN)) return;
      for (var i = 0; i + n <= toks.length; i++) {
        var same = true;
        for (var k = 0; k < n; k++) {
          if (toks[i + k] !== spelled[k] || used[i + k]) { same = false; break; }
        }
        if (same) {
          if (best === null || n > best.n) {
            var at = [];
            for (k = 0; k < n; k++) at.push(i + k);
            best = { n: n, key: key, at: at };
          }
          break;
        }
      }
    });
    return best;
  }

  function chapterKey(chapter, tab) {
    if (chapter === null) return null;
    var keys = Object.keys(tab.sections).sort();
    for (var i = 0; i < keys.length; i++) {
      var sec = tab.sections[keys[i]];
      if (keys[i].lastIndexOf("acoem-2004/", 0) === 0 && String(sec.chapter) === chapter) {
        return keys[i];
      }
    }
    return null;
  }

  function width(sec, pages) {
    var best = 1e6;
    sec.pages.forEach(function (r) {
      if (pages && r[0] <= pages[0] && pages[1] <= r[1]) best = Math.min(best, r[1] - r[0]);
    });
    return best;
  }

  function greater(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) return a[i] > b[i];
    }
    return false;
  }

  function bestSection(gid, query, pages, tab) {
    var best = null;
    Object.keys(tab.sections).sort().forEach(function (key) {
      if (key.lastIndexOf(gid + "/", 0) !== 0) return;
      var sec = tab.sections[key];
      var shared = sec.words.filter(function (w) { return query.has(w); }).length;
      var rank = [shared, -width(sec, pages), -sec.words.length];
      if (shared && (best === null || greater(rank, best.rank))) best = { rank: rank, key: key };
    });
    return best ? best.key : null;
  }

  function bare(toks, used) {
    for (var i = 0; i < toks.length; i++) {
      if (!used[i] && NUMBER.test(toks[i]) && parseInt(toks[i], 10) <= MAX_PAGE) {
        used[i] = true;
        return range(toks[i]);
      }
    }
    return null;
  }

  function parse(query, tab, stopwords) {
    var stop = stopwords instanceof Set ? stopwords : new Set(stopwords || []);
    var raw = rawTokens(query);
    var toks = raw.map(stem);
    var used = toks.map(function () { return false; });
    var chapter = chapterKey(takeNumberAfter(toks, used, CHAPTER_WORDS), tab);
    var pages = range(takeNumberAfter(toks, used, PAGE_WORDS));
    var found = longest(toks, used, tab);
    if (!found && !chapter) return null;
    var key = found ? found.key : "";
    if (found) found.at.forEach(function (i) { used[i] = true; });
    if (chapter && (!key || key.split("/")[0] === "acoem-2004")) key = chapter;
    pages = pages || bare(toks, used);
    var gid = key.split("/")[0];
    if (key.indexOf("/") < 0) {
      var left = new Set(toks.filter(function (t, i) { return !used[i]; }));
      key = bestSection(gid, left, pages, tab) || key;
    }
    var own = new Set((tab.sections[key] || { words: [] }).words);
    tab.spellings.forEach(function (entry) {
      if (entry[1] === gid) entry[0].forEach(function (w) { own.add(w); });
    });
    toks.forEach(function (t, i) { used[i] = used[i] || own.has(t) || stop.has(t); });
    var rest = raw.filter(function (t, i) { return !used[i]; }).join(" ");
    return { key: key, pages: pages, rest: rest };
  }

  window.IMRCitations = { parse: parse };
})();
