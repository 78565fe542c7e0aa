/* IMR Archive: the header search offers "Search all determinations for …".
   The link (theme/partials/search.html) leads to the determination search page
   with the query filled in (/search/?q=…); it follows what is typed.
   A case number typed ("CM16-0213037", "cm16 0213037") always gets an answer above the
   results: a link to its determination, or that the archive does not hold it. The
   lookup reads case-numbers/index.json and one bucket of it
   (generator/search/case_numbers.py); Enter follows the link. */
(function () {
  "use strict";
  var link = document.querySelector("[data-imr-search-all]");
  var input = document.querySelector("input.md-search__input");
  if (!link || !input) return;
  var base = link.getAttribute("href");
  var shown = link.querySelector(".imr-search-all__query");
  var box = document.querySelector("[data-imr-case]");
  var output = document.querySelector(".md-search__output");
  var CASE = /^\s*(?:imr\s*)?cm\s*(\d{2})\s*[-\u2010-\u2014\s]?\s*(\d{7})\s*$/i;
  var manifest = {}; // "index" -> Promise of case-numbers/index.json
  var buckets = {}; // bucket key -> Promise of its file
  var asked = "";

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  // A lookup file, fetched once; a failed fetch is forgotten, so the next lookup tries
  // again (a failure is not an answer: it must not say the archive lacks a case).
  function fetchOnce(cache, key, url) {
    if (!cache[key]) {
      var p = cache[key] = getJSON(url);
      p.catch(function () { if (cache[key] === p) delete cache[key]; });
    }
    return cache[key];
  }

  function lookup(cn) {
    var dir = box.getAttribute("data-lookup");
    return fetchOnce(manifest, "index", dir + "index.json").then(function (m) {
      var key = cn.slice(0, m.key_length);
      if (m.buckets.indexOf(key) < 0) return null;
      return fetchOnce(buckets, key, dir + key + ".json").then(function (ids) {
        return ids[cn] || null;
      });
    });
  }

  function show(cn, id, failed) {
    box.textContent = "";
    if (failed) {
      var q = document.createElement("p");
      q.className = "imr-search-case__none";
      q.textContent = "Could not look up determination " + cn + " just now; type it again " +
        "to retry.";
      box.appendChild(q);
    } else if (id) {
      var a = document.createElement("a");
      a.className = "imr-search-case__link";
      a.href = box.getAttribute("data-determinations") + encodeURIComponent(id) + "/";
      a.appendChild(document.createTextNode("Determination "));
      var b = document.createElement("strong");
      b.textContent = cn;
      a.appendChild(b);
      a.appendChild(document.createTextNode(" \u2192"));
      box.appendChild(a);
    } else {
      var p = document.createElement("p");
      p.className = "imr-search-case__none";
      p.textContent = "The archive does not hold determination " + cn + ".";
      box.appendChild(p);
    }
    box.hidden = false;
    if (output) output.classList.add("imr-case-mode");
  }

  function hide() {
    box.hidden = true;
    box.textContent = "";
    if (output) output.classList.remove("imr-case-mode");
  }

  function caseQuery(q) {
    if (!box) return;
    var m = CASE.exec(q);
    if (!m) { asked = ""; hide(); return; }
    var cn = "CM" + m[1] + "-" + m[2];
    if (cn === asked) return;
    asked = cn;
    lookup(cn).then(function (id) {
      if (asked === cn) show(cn, id);
    }, function () {
      if (asked !== cn) return;
      show(cn, null, true);
      asked = ""; // the same number typed again looks it up again
    });
  }

  function update() {
    var q = input.value.trim();
    link.hidden = !q;
    link.setAttribute("href", q ? base + "?q=" + encodeURIComponent(q) : base);
    shown.textContent = q;
    caseQuery(q);
  }
  input.addEventListener("input", update);
  input.addEventListener("change", update);
  input.addEventListener("keydown", function (ev) {
    var go = box && !box.hidden && box.querySelector("a.imr-search-case__link");
    if (ev.key === "Enter" && go) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
      window.location.href = go.href;
    }
  }, true);
  input.form && input.form.addEventListener("reset", function () { setTimeout(update, 0); });
  update();
})();
