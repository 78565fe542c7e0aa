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


def type_query(page, query: str, *, open_with: str = "click") -> None:
    """Open the header search (click the field, or the "/" key), type `query` key by key,
    and wait until the search worker has answered its last keystroke."""
    import re

    from playwright.sync_api import expect

    box = page.locator(INPUT)
    if open_with == "key":
        page.keyboard.press("/")
    else:  # at desktop width the field itself is in the header (it covers its icon label)
        box.click()
    expect(box).to_be_focused()
    box.press_sequentially(query)
    expect(box).to_have_value(query)
    # the index is set up and every query typed so far has been answered
    page.wait_for_function(
        "() => { const s = window.__imrWorker;"
        " return s && s.posted >= 2 && s.received === s.posted; }"
    )
    expect(page.locator(META)).to_have_text(re.compile(r"matching document", re.I))
