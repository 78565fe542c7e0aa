/* IMR Archive: "Copy citation" on a determination page.
   The page holds the citation without an address (data-imr-citation, written by
   generator/pages/determination.py); the button adds the page's permalink (its
   canonical link when the site knows its public address, else this page's address
   without query or fragment) and copies the whole as plain text. */
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
})();
