/* IMR Archive: a determination page's "Copy citation" and "Back to search".
   The page holds the citation without an address (data-imr-citation, written by
   generator/pages/determination.py); the button adds the page's permalink (its
   canonical link when the site knows its public address, else this page's address
   without query or fragment) and copies the whole as plain text. "Back to search"
   (hidden) is shown when the reader came from the determination search page, and
   leads back to that very search (its query and filters are in its address). */
(function () {
  "use strict";
  function permalink() {
    var canonical = document.querySelector('link[rel="canonical"]');
    if (canonical && canonical.href) return canonical.href;
    return location.origin + location.pathname;
  }
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }
  document.querySelectorAll("[data-imr-citation]").forEach(function (box) {
    var button = box.querySelector("button");
    var status = box.querySelector(".imr-cite__status");
    if (!button) return;
    button.addEventListener("click", function () {
      var text = box.getAttribute("data-imr-citation") + ", " + permalink();
      copy(text).then(function () {
        if (status) status.textContent = "Citation copied";
      }, function () {
        if (status) status.textContent = "Could not copy; the citation is: " + text;
      });
    });
  });
  var back = document.querySelector("[data-imr-back]");
  if (back && document.referrer) {
    try {
      var from = new URL(document.referrer);
      var search = new URL(back.getAttribute("href"), location.href);
      if (from.origin === location.origin && from.pathname === search.pathname) {
        back.setAttribute("href", from.href);
        back.hidden = false;
      }
    } catch (e) { /* an unreadable referrer: the link stays hidden */ }
  }
})();
