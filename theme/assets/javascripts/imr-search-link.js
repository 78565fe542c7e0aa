/* IMR Archive: the header search offers "Search all determinations for …".
   The link (theme/partials/search.html) leads to the determination search page
   with the query filled in (/search/?q=…); it follows what is typed. */
(function () {
  "use strict";
  var link = document.querySelector("[data-imr-search-all]");
  var input = document.querySelector("input.md-search__input");
  if (!link || !input) return;
  var base = link.getAttribute("href");
  var shown = link.querySelector(".imr-search-all__query");
  function update() {
    var q = input.value.trim();
    link.hidden = !q;
    link.setAttribute("href", q ? base + "?q=" + encodeURIComponent(q) : base);
    shown.textContent = q;
  }
  input.addEventListener("input", update);
  input.addEventListener("change", update);
  input.form && input.form.addEventListener("reset", function () { setTimeout(update, 0); });
  update();
})();
