"""Browser tests: the bundled content built once, served on 127.0.0.1, driven by headless Chromium.

* ``site_url`` (session): builds a copy of ``content/records`` (and ``content/pages``) into a
  temporary site folder with :func:`generator.build.site.build_site` and serves it with a threaded
  ``http.server`` on 127.0.0.1 and a free port; the server is shut down at the end.
* ``page`` (function): a fresh browser context and page of one session-wide Chromium (sync
  Playwright API). Every request, failed request, HTTP error, console error and uncaught page
  error is recorded; the test FAILS if a request went to a host other than 127.0.0.1, if a
  request failed (4xx/5xx or network failure) or if the page logged an error. Requests to
  other hosts are also aborted, so a test can never reach the network. A load the previous
  document still had running when the page navigated (net::ERR_ABORTED) is not a failure.

Browser tests are never skipped: if Chromium cannot start, every browser test FAILS (in its
call phase, not as a skip or setup error) with the launch error in the message.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import CONTENT, ROOT, SEED_ID  # noqa: F401 - re-exported to the tests

CONFIG_FILE = ROOT / "mkdocs.yml"

CHROMIUM = os.environ.get("IMR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ALLOWED_HOST = "127.0.0.1"
LOCAL_SCHEMES = {"data", "blob", "about"}  # never leave the browser
DEFAULT_TIMEOUT_MS = 15_000


# --- the site ---------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Base URL (no trailing slash) of the built site served on 127.0.0.1."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer((ALLOWED_HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{ALLOWED_HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- the browser ------------------------------------------------------------------------


@dataclass
class ChromiumUnavailable:
    message: str


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One Chromium for the session, or ChromiumUnavailable (the tests then fail, see below)."""
    try:
        from playwright.sync_api import sync_playwright
    except Exception as e:  # noqa: BLE001 - reported as a test failure
        yield ChromiumUnavailable(f"Playwright for Python cannot be imported: {e!r}")
        return
    pw = None
    try:
        pw = sync_playwright().start()
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as e:  # noqa: BLE001 - reported as a test failure
        if pw is not None:
            pw.stop()
        yield ChromiumUnavailable(f"Chromium ({CHROMIUM}) could not be started: {e}")
        return
    try:
        yield browser
    finally:
        browser.close()
        pw.stop()


@dataclass
class BrowserLog:
    """What the browser did during one test."""

    requests: list[str] = field(default_factory=list)
    off_host: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)  # by a later navigation: not failures

    def problems(self) -> list[str]:
        out = [f"request to another host than {ALLOWED_HOST}: {u}" for u in self.off_host]
        out += [f"failed request: {f}" for f in self.failed]
        out += [f"console error: {c}" for c in self.console_errors]
        return out


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname == ALLOWED_HOST


_LOG = pytest.StashKey[BrowserLog]()
_PAGE = pytest.StashKey[object]()
_UNAVAILABLE = pytest.StashKey[str]()


@pytest.fixture
def browser_log(request: pytest.FixtureRequest) -> BrowserLog:
    log = BrowserLog()
    request.node.stash[_LOG] = log
    return log


class _Recorder:
    """Records a page's requests, failures and console errors into a BrowserLog.

    A navigation of the page cancels what the previous document was still loading
    (net::ERR_ABORTED, e.g. its favicon): such a request did not fail. Any other
    failure, an abort without a later navigation included, is one.
    """

    def __init__(self, log: BrowserLog) -> None:
        self.log = log
        self.navigations = 0
        self.started: dict[object, int] = {}
        self.main_frame: object = None

    def attach(self, context) -> None:
        context.route("**/*", self.guard)
        context.on("request", self.on_request)
        context.on("response", self.on_response)
        context.on("requestfailed", self.on_failed)
        context.on("console", self.on_console)

    def watch(self, pg) -> None:
        self.main_frame = pg.main_frame
        pg.on("pageerror", lambda err: self.log.console_errors.append(f"uncaught: {err}"))
        pg.on("framenavigated", self.on_committed)

    @staticmethod
    def guard(route) -> None:
        url = route.request.url
        if _local(url):
            route.continue_()
        else:  # recorded by the request listener; never let it out
            route.abort("blockedbyclient")

    @staticmethod
    def is_page_navigation(req) -> bool:
        try:
            return req.is_navigation_request() and req.frame.parent_frame is None
        except Exception:  # noqa: BLE001 - worker requests have no frame
            return False

    def on_request(self, req) -> None:
        if self.is_page_navigation(req):
            self.navigations += 1
        self.started[req] = self.navigations
        self.log.requests.append(f"{req.method} {req.url}")
        if not _local(req.url):
            self.log.off_host.append(f"{req.method} {req.url}")

    def on_response(self, resp) -> None:
        if resp.status >= 400:
            self.log.failed.append(f"HTTP {resp.status} {resp.request.method} {resp.url}")

    def on_failed(self, req) -> None:
        if not _local(req.url):  # aborted on purpose, reported as off-host above
            return
        what = f"{req.method} {req.url}: {req.failure}"
        navigated_since = self.navigations > self.started.get(req, self.navigations)
        if (
            req.failure == "net::ERR_ABORTED"
            and navigated_since
            and not self.is_page_navigation(req)
        ):
            self.log.cancelled.append(what)
        else:
            self.log.failed.append(what)

    def on_console(self, msg) -> None:
        if msg.type == "error":
            self.log.console_errors.append(f"{msg.text} ({msg.location.get('url', '')})")

    def on_committed(self, frame) -> None:
        # a load the old document started after the new one was requested (its favicon,
        # say) is cancelled when the new document commits: count the commit too
        if frame == self.main_frame:
            self.navigations += 1


@pytest.fixture
def page(request: pytest.FixtureRequest, chromium: object, site_url: str, browser_log: BrowserLog):
    """A new page (own context) of the session Chromium, with every request recorded."""
    if isinstance(chromium, ChromiumUnavailable):
        request.node.stash[_UNAVAILABLE] = chromium.message
        yield None  # pytest_runtest_call fails the test before its body runs
        return
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    recorder = _Recorder(browser_log)
    recorder.attach(context)
    pg = context.new_page()
    recorder.watch(pg)
    request.node.stash[_PAGE] = pg
    try:
        yield pg
    finally:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Fail a browser test whose Chromium did not start, or whose page broke the rules."""
    unavailable = item.stash.get(_UNAVAILABLE, None)
    if unavailable is not None:
        pytest.fail(f"browser test cannot run: {unavailable}", pytrace=False)
    try:
        result = yield
    except BaseException as e:
        log = item.stash.get(_LOG, None)
        if log is not None and log.problems():
            e.add_note("browser log:\n  " + "\n  ".join(log.problems()))
        raise
    log = item.stash.get(_LOG, None)
    pg = item.stash.get(_PAGE, None)
    if pg is not None and not pg.is_closed():
        # requests still in flight when the test body ended are judged too
        pg.wait_for_load_state("networkidle")
    if log is not None and log.problems():
        pytest.fail(
            "the page broke the browser rules:\n  " + "\n  ".join(log.problems()), pytrace=False
        )
    return result


@pytest.fixture(scope="session")
def records() -> list:
    """The bundled records: what the search pages of the bundled site must show."""
    from generator.record.store import load_records

    recs, errors = load_records(CONTENT / "records")
    assert not errors
    return recs
