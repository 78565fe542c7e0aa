"""Shared handles on Material's header search box for the browser tests."""

INPUT = "input.md-search__input"
META = ".md-search-result__meta"
ITEM = "ol.md-search-result__list > li.md-search-result__item"
LINK = "a.md-search-result__link"

# Counts the messages exchanged with Material's search worker (each message the page posts
# -- set up the index, run a query -- is answered by exactly one), so a test can wait for
# the results of the *last* keystroke instead of reading those of a prefix of the query.
WORKER_PROBE = """
(() => {
  const Native = window.Worker;
  const stats = (window.__imrWorker = { posted: 0, received: 0 });
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => { stats.received += 1; });
    }
    postMessage(...args) {
      stats.posted += 1;
      return super.postMessage(...args);
    }
  };
})();
"""
