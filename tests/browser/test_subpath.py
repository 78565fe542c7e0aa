"""A site built for a subpath (--site-url http://127.0.0.1:PORT/imr/) works under /imr/.

Served by nginx with the shipped snippet (deploy/nginx-imr-archive.conf); the page
fixture fails the test on any failed request or any request to another host.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.browser.conftest import CONFIG_FILE, CONTENT, SEED_ID
from tests.nginx import free_port, nginx_serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Iterator[str]:
    """The bundled records built for http://127.0.0.1:PORT/imr/ and served there."""
    from generator.build.site import build_site

    work = tmp_path_factory.mktemp("subpath")
    shutil.copytree(CONTENT / "records", work / "content" / "records")
    port = free_port()
    url = f"http://127.0.0.1:{port}/imr/"
    build_site(
        work / "content",
        work / "site",
        config_file=CONFIG_FILE,
        config_overrides={"site_url": url},
    )
    with nginx_serving(work / "site", work, port) as base:
        yield base.rstrip("/")


def test_click_through_under_the_subpath(page, site_url, browser_log):
    page.goto(site_url + "/")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Regions").first.click()
    page.wait_for_url("**/imr/regions/")
    page.wait_for_load_state("networkidle")  # favicon etc. done before the next click
    page.locator("article a[href*='neck-cervical']").first.click()
    page.wait_for_url("**/imr/regions/neck-cervical/")
    page.wait_for_load_state("networkidle")  # favicon etc. done before the next click
    page.locator(f"article a[href*='{SEED_ID}']").first.click()
    page.wait_for_url(f"**/imr/determinations/{SEED_ID}/")
    page.locator("article a[href*='guidelines/acoem-2004/ch-07']").first.click()
    page.wait_for_url("**/imr/guidelines/acoem-2004/ch-07/")
    page.wait_for_load_state("networkidle")  # favicon etc. done before the next click
    # the determination search, with a query in its address
    page.goto(site_url + "/search/?q=spondylosis&wide=1")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(f".imr-dsearch a[href*='{SEED_ID}'], a[href*='{SEED_ID}']")
    # the header search, from a page under /imr/
    page.keyboard.press("/")
    page.keyboard.type("Independent Medical Examinations", delay=20)
    page.wait_for_selector("a.md-search-result__link[href*='/imr/guidelines/acoem-2004/ch-07/']")
    assert all("/imr/" in r for r in browser_log.requests if "127.0.0.1" in r)


def test_404_page_under_the_subpath(page, site_url, browser_log):
    response = page.goto(site_url + "/no/such/page/")
    assert response is not None and response.status == 404
    page.wait_for_load_state("networkidle")
    # the 404 itself (and the console's note of it) is the point of this test; the
    # page's own styles and scripts must still load
    browser_log.failed[:] = [f for f in browser_log.failed if "/no/such/page/" not in f]
    browser_log.console_errors[:] = [
        c for c in browser_log.console_errors if "/no/such/page/" not in c
    ]
    assert page.locator("h1").first.inner_text().strip().startswith("404")
    # its search box and hub links lead into /imr/
    assert page.locator("form.imr-404-search").get_attribute("action") == "/imr/search/"
    hubs = page.locator("article ul a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert "/imr/regions/" in hubs and "/imr/determinations/" in hubs
    assert all(h.startswith("/imr/") for h in hubs), hubs
    # its styles and scripts came from /imr/, so the page is styled
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in (
        "sticky",
        "fixed",
    )
