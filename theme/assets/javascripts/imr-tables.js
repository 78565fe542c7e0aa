/* IMR Archive: tables on narrow screens: stacked when they have a few columns, else
   scrollable with the keyboard.
   Material wraps every table of a page in a scroll container (.md-typeset__scrollwrap).
   When a table is wider than its container (a cross-tab on a phone), the container
   becomes a focusable region named after the table's heading (tabindex=0, role=region),
   with a shadow at the edge it continues past (.imr-scrolls, layout.css) and a line
   above it saying so; when it fits again, it is an ordinary block. Checked by
   tests/browser/test_layout.py at 390 px. */
(function () {
  "use strict";
  function heading(el) {
    var caption = el.querySelector("caption");
    if (caption) return caption.textContent.trim();
    for (var n = el.previousElementSibling; n; n = n.previousElementSibling) {
      if (/^H[1-6]$/.test(n.tagName)) return n.textContent.replace(/[¶#]\s*$/, "").trim();
    }
    var h = document.querySelector(".md-typeset h1");
    return h ? h.textContent.replace(/[¶#]\s*$/, "").trim() : "Table";
  }
  // On a narrow screen a table of a few columns that does not fit is stacked: one block
  // per row, each cell after its column's name (data-label, layout.css). A wider table
  // (a cross-tab) scrolls instead.
  var STACK_BELOW = 720;
  var STACK_MAX_COLUMNS = 6;
  function stack(table, on) {
    var heads = table.querySelectorAll("thead th");
    if (on) {
      var rows = table.querySelectorAll("tbody tr");
      for (var r = 0; r < rows.length; r++) {
        var cells = rows[r].children;
        for (var c = 0; c < cells.length && c < heads.length; c++) {
          cells[c].setAttribute("data-label", heads[c].textContent.trim());
        }
      }
    }
    table.classList.toggle("imr-stacked", on);
    // Material styles only tables without a class attribute (table:not([class]))
    if (!table.className) table.removeAttribute("class");
  }
  function fit(wrap) {
    var table = wrap.querySelector("table");
    if (!table) return;
    if (table.classList.contains("imr-stacked")) stack(table, false);
    var columns = table.querySelectorAll("thead th").length;
    if (window.innerWidth < STACK_BELOW && columns <= STACK_MAX_COLUMNS
        && wrap.scrollWidth > wrap.clientWidth + 1) {
      stack(table, true);
    }
  }
  function mark(wrap) {
    fit(wrap);
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    var hint = wrap.previousElementSibling;
    var hasHint = hint && hint.classList.contains("imr-scroll-hint");
    if (scrolls) {
      wrap.classList.add("imr-scrolls");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", heading(wrap) + " (table, scrolls sideways)");
      if (!hasHint) {
        hint = document.createElement("p");
        hint.className = "imr-scroll-hint";
        hint.textContent = "Scroll the table sideways for more columns \u2192";
        wrap.parentNode.insertBefore(hint, wrap);
      }
    } else {
      wrap.classList.remove("imr-scrolls");
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
      if (hasHint) hint.remove();
    }
  }
  function setup() {
    var wraps = document.querySelectorAll(".md-typeset .md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) mark(wraps[i]);
    document.documentElement.setAttribute("data-imr-tables", String(wraps.length));
  }
  var timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(setup, 100);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { setTimeout(setup, 0); });
  } else {
    document.addEventListener("DOMContentLoaded", later);
  }
  window.addEventListener("load", later);
  window.addEventListener("resize", later);
})();
