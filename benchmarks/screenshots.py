"""Screenshots of each page type at 1366 px and 390 px, light and dark, for a reviewer.

Not a test: it builds nothing and asserts nothing. Serve a built site (or let this
script serve one) and it writes one PNG per page type, width and scheme into OUT:

    .venv/bin/imr-archive build --content content --site-dir /tmp/site
    .venv/bin/python benchmarks/screenshots.py /tmp/site /tmp/shots
    .venv/bin/python benchmarks/screenshots.py /tmp/site /tmp/shots --full-page --only home

The PNGs are not committed. The header search is photographed open with a query
("MTUS opioids", and a case number) so its results can be judged too.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import sys
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
SCHEMES = ("light", "dark")


def page_types(site: Path) -> dict[str, str]:
    """Page type -> a path of the built site that shows it (the first that exists)."""
    real = _real_determinations(site)
    candidates = {
        "home": [""],
        "search": ["search/"],
        "determination": [f"determinations/{real[0]}/"] if real else [],
        "determinations-index": ["determinations/"],
        "regions": ["regions/"],
        "region-hub": ["regions/low-back-lumbar/", "regions/neck-cervical/"],
        "service-hub": ["services/pharmaceuticals/"],
        "guideline-hub": ["guidelines/mtus-cpmtg/"],
        "guideline-section": ["guidelines/acoem-2004/ch-12/", "guidelines/acoem-2004/ch-07/"],
        "year-hub": [_first_sub(site, "years")],
        "outcomes": ["outcomes/"],
        "reviewers": ["reviewers/"],
        "crosstab": ["crosstabs/region-by-service/"],
        "data": ["data/"],
        "about": ["about/"],
        "not-found": ["404.html"],
    }
    out = {}
    for name, paths in candidates.items():
        for p in paths:
            if p is None:
                continue
            if (site / p / "index.html").is_file() or (
                p.endswith(".html") and (site / p).is_file()
            ):
                out[name] = p
                break
    return out


def _real_determinations(site: Path) -> list[str]:
    """Ids of the determinations, real letters first (from the site's JSON Lines download)."""
    path = site / "data" / "imr-archive.jsonl.gz"
    if not path.is_file():
        return sorted(p.parent.name for p in (site / "determinations").glob("*/index.html"))
    with gzip.open(path, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    records.sort(key=lambda r: (bool(r.get("synthetic")), r["id"]))
    return [r["id"] for r in records]


def _first_sub(site: Path, family: str) -> str | None:
    subs = sorted(p.parent.name for p in (site / family).glob("*/index.html"))
    return f"{family}/{subs[-1]}/" if subs else None


def _serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _shoot(browser, base: str, out: Path, pages: dict[str, str], full: bool) -> list[str]:
    written = []
    for width_name, (w, h) in WIDTHS.items():
        for scheme in SCHEMES:
            context = browser.new_context(
                viewport={"width": w, "height": h}, color_scheme=scheme, locale="en-US"
            )
            pg = context.new_page()
            for name, path in pages.items():
                pg.goto(base + path)
                pg.wait_for_load_state("networkidle")
                target = out / f"{name}-{width_name}-{scheme}.png"
                pg.screenshot(path=str(target), full_page=full)
                written.append(str(target))
            for label, query in (("opioids", "MTUS opioids"), ("case", "cm16-0213037")):
                written += _search_shot(
                    pg, base, out / f"header-search-{label}-{width_name}-{scheme}.png", query
                )
            context.close()
    return written


def _search_shot(pg, base: str, target: Path, query: str) -> list[str]:
    pg.goto(base)
    pg.wait_for_load_state("networkidle")
    pg.keyboard.press("/")
    pg.keyboard.type(query, delay=15)
    pg.wait_for_timeout(800)
    pg.screenshot(path=str(target))
    return [str(target)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path, help="a built site folder")
    ap.add_argument("out", type=Path, help="folder to write the PNGs to (created)")
    ap.add_argument("--full-page", action="store_true", help="whole pages, not the first screen")
    ap.add_argument("--only", action="append", default=[], help="page type(s) to take")
    ap.add_argument("--chromium", default=CHROMIUM)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    pages = page_types(args.site)
    if args.only:
        pages = {k: v for k, v in pages.items() if k in args.only}
    args.out.mkdir(parents=True, exist_ok=True)
    server, base = _serve(args.site)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
            written = _shoot(browser, base, args.out, pages, args.full_page)
            browser.close()
    finally:
        server.shutdown()
    print(json.dumps({"pages": pages, "written": len(written), "out": str(args.out)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
