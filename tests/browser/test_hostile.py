"""Hostile text in a record is shown as text: no script runs, no request leaves the page.

A hand-edited record carries payloads in every free-text field: script and
event-handler HTML, javascript:/data: links, Markdown links and images to
another host, HTML comments, Jinja, front matter, pymdown syntax, attribute
lists and tables. The site must build (strict, link-checked), show the
characters, run nothing and fetch nothing from elsewhere.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator

import pytest

from tests.browser.conftest import ALLOWED_HOST, CONFIG_FILE, CONTENT, SEED_ID, _QuietHandler

pytestmark = pytest.mark.browser

EVIL = "evil.example"
PAYLOADS = [
    "<script>window.__pwned = 'script'</script>",
    '<img src="x" onerror="window.__pwned = \'img\'">',
    f'<img src="http://{EVIL}/pixel.png">',
    "[click me](javascript:window.__pwned='js-link')",
    "[data link](data:text/html,<script>window.__pwned='data'</script>)",
    f"![tracker](http://{EVIL}/md-image.png)",
    f"<http://{EVIL}/autolink>",
    "<!-- hidden comment -->",
    "{{ config.site_name }} {% if true %}jinja{% endif %}",
    "---\ntitle: injected\n---",
    '!!! danger "admonition"',
    "==marked== ^^inserted^^ ~~struck~~",
    "{: .evil onclick=\"window.__pwned='attr'\" }",
    "| a | b |\n|---|---|\n| c | d |",
    f'<iframe src="http://{EVIL}/frame"></iframe>',
    f'<link rel="stylesheet" href="http://{EVIL}/x.css">',
    "<svg onload=\"window.__pwned='svg'\"></svg>",
    "\\<script>escaped backslash</script>",
]
HOSTILE = " ".join(PAYLOADS)
HOSTILE_ID = "CM99-0000001"


def _hostile_record() -> dict:
    data = json.loads((CONTENT / "records" / f"{SEED_ID}.json").read_text(encoding="utf-8"))
    data.update(
        id=HOSTILE_ID,
        case_number=HOSTILE_ID,
        source=None,
        clinical_summary=HOSTILE,
        diagnoses=PAYLOADS[:4],
        warnings=PAYLOADS[4:8],
    )
    data["reviewer"]["specialties"] = ["<b>Bold</b> Surgery", "{{ config }}"]
    item = data["items"][0]
    item["service"] = "Spine consult <script>window.__pwned='service'</script> [x](javascript:1)"
    item["rationale"] = HOSTILE
    item["claims_administrator"]["text"] = HOSTILE
    item["reviewer_guideline"]["text"] = HOSTILE
    cit = item["reviewer_guideline"]["citations"][0]
    cit.update(text=PAYLOADS[0] + PAYLOADS[3], topic=PAYLOADS[1], span=None)
    return data


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Iterator[str]:
    """A site of the seed record plus the hostile one, served on 127.0.0.1."""
    from generator.build.site import build_site

    work = tmp_path_factory.mktemp("hostile")
    records = work / "content" / "records"
    records.mkdir(parents=True)
    seed = CONTENT / "records" / f"{SEED_ID}.json"
    (records / seed.name).write_bytes(seed.read_bytes())
    (records / f"{HOSTILE_ID}.json").write_text(json.dumps(_hostile_record()), encoding="utf-8")
    build_site(work / "content", work / "site", config_file=CONFIG_FILE)  # strict + links
    handler = functools.partial(_QuietHandler, directory=str(work / "site"))
    server = http.server.ThreadingHTTPServer((ALLOWED_HOST, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{ALLOWED_HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "path",
    [
        f"determinations/{HOSTILE_ID}/",
        "regions/neck-cervical/",
        "services/evaluation-management/",
        "guidelines/acoem-2004/ch-07/",
        "",
    ],
)
def test_payloads_are_text_and_inert(page, site_url, path):
    page.goto(f"{site_url}/{path}")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__pwned") is None, "a payload ran"
    html = page.content()
    assert EVIL not in "".join(
        page.evaluate(
            "[...document.querySelectorAll('[src],[href]')].map("
            "e => e.getAttribute('src') || e.getAttribute('href'))"
        )
    ), "a payload became a link or a resource"
    assert "javascript:" not in "".join(
        page.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    )
    for tag in ("script", "iframe", "svg", "img"):
        for el in page.query_selector_all(f"article {tag}"):
            outer = el.evaluate("e => e.outerHTML")
            assert "pwned" not in outer and EVIL not in outer, outer
    assert 'class="evil"' not in html


def test_determination_page_shows_the_characters(page, site_url):
    page.goto(f"{site_url}/determinations/{HOSTILE_ID}/")
    text = page.inner_text("article")
    for payload in (
        "<script>window.__pwned = 'script'</script>",
        "[click me](javascript:window.__pwned='js-link')",
        "{{ config.site_name }}",
        "<!-- hidden comment -->",
        '!!! danger "admonition"',
        "==marked== ^^inserted^^",
        "{: .evil onclick=\"window.__pwned='attr'\" }",
        "| a | b |",
        "---",
        f"![tracker](http://{EVIL}/md-image.png)",
    ):
        assert payload in text, payload
    title = page.title()  # what was decided, then the case number; no markup
    assert "— IMR CM99-0000001" in title and "<" not in title


def test_determination_search_shows_the_payloads_as_text(page, site_url):
    """A query that matches the hostile record: its card and snippet are text."""
    page.goto(f"{site_url}/search/?q=pwned&wide=1")
    page.wait_for_selector("#imr-dsearch[data-state=done][data-counts=ready]")
    result = page.locator("li.imr-dsearch__result")
    assert result.count() == 1
    assert result.locator("a.imr-dsearch__result-link").inner_text() == HOSTILE_ID
    assert "<script>window.__pwned='service'</script>" in result.inner_text()
    # the snippet marks the matching words, and nothing else became markup
    assert result.locator(".imr-dsearch__excerpt mark").count() > 0
    assert result.locator("script, img, iframe, svg, a[href^='javascript']").count() == 0
    assert page.evaluate("window.__pwned") is None, "a payload ran"
    specialty = page.locator('fieldset[data-facet="specialty"]').inner_text()
    assert "<b>Bold</b> Surgery" in specialty
