"""Site benchmark: synthesize N determinations, ingest, build, index, and time both searches.

    .venv/bin/python benchmarks/site.py --n 1000
    .venv/bin/python benchmarks/site.py --n 100000 --work /var/tmp/imr-100k --keep
    .venv/bin/python benchmarks/site.py --n 1000 --no-browser     # the smoke test's run

Each step runs as a child process of this script, so its peak memory is its own
(ru_maxrss from wait4): `generate` writes N letters with generator.letters.synth, `ingest`
parses them into records, `build` runs generator.build.site.build_site (load + assemble +
write docs, the determination search's index, MkDocs strict, link check, swap).
The build reports its phases and the peak memory (VmHWM) of each: the generator's
process (which also writes the index), and the MkDocs and link-check processes it
starts. Then
the built site is served on 127.0.0.1 and headless Chromium (/usr/bin/chromium, or
$IMR_CHROMIUM) types selective queries into the header search (Material/lunr) and into
the "Search determinations" page (generator/search/determinations.py's index); each query runs in a
fresh browser context (nothing cached) and the median time from typing to the first
result and the median bytes the search moved (its scripts and index files, from loading
the page to the last facet count) are reported. `--work DIR --keep` keeps letters, records
and site; a later run with `--reuse` skips the steps whose output is there.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONFIG_FILE = ROOT / "mkdocs.yml"
CHROMIUM = os.environ.get("IMR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HEADER_QUERIES = ["acupuncture", "shoulder", "chapter 12", "opioids", "psychotherapy"]


# --- the steps (run in child processes) -------------------------------------------------


def step_generate(work: Path, n: int, seed: int) -> dict:
    from generator.letters.synth import synth_letters

    letters = work / "letters"
    letters.mkdir(parents=True, exist_ok=True)
    for name, text in synth_letters(n, seed):
        (letters / name).write_text(text, encoding="utf-8")
    return {"letters": n}


def step_ingest(work: Path) -> dict:
    from generator.letters.ingest import ingest

    report = ingest([work / "letters"], work / "content" / "records", progress=False)
    return {"written": report.count("written"), "failed": report.count("failed")}


def step_build(work: Path) -> dict:
    from generator.build.site import build_site

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    report = build_site(work / "content", work / "site", config_file=CONFIG_FILE)
    return {
        "records": report.records,
        "pages": report.pages,
        "seconds": report.seconds,
        "generator_seconds": report.generator_seconds,
        "indexed": report.indexed,
        "index_bytes": report.index_bytes,
        "in_header_search": report.in_header_search,
        "largest_page": list(report.largest_page),
        "generator_peak_kib": report.generator_peak_kib,
        "mkdocs_peak_kib": report.mkdocs_peak_kib,
        "linkcheck_peak_kib": report.linkcheck_peak_kib,
    }


STEPS = {"generate": step_generate, "ingest": step_ingest, "build": step_build}


def run_step(name: str, work: Path, args: argparse.Namespace) -> dict:
    """Run one step in a child process; its result plus wall time and peak memory."""
    out = work / f"{name}.json"
    cmd = [sys.executable, __file__, "--step", name, "--work", str(work),
           "--n", str(args.n), "--seed", str(args.seed)]
    print(f"== {name} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"step {name} failed (exit {proc.returncode})")
    result = json.loads(out.read_text())
    result.update(wall_seconds=seconds, peak_kib=usage.ru_maxrss)
    out.write_text(json.dumps(result, indent=2))
    return result


# --- the browser ---------------------------------------------------------------------------


CITATION_QUERY = "ACOEM ch. 12 p. 303"


def selective_words(records_dir: Path, k: int = 5) -> list[str]:
    """k words of disputed services (what the item search matches by default) found in
    few items (deterministic)."""
    df: Counter[str] = Counter()
    files = sorted(records_dir.glob("*.json"))
    items = 0
    for path in files[:20000]:
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data.get("items", []):
            items += 1
            df.update(set(re.findall(r"[a-z]{6,}", item.get("service", "").lower())))
    rare = [w for w, c in df.items() if 2 <= c <= max(3, items // 200)]  # in at most 0.5%
    rare.sort(key=lambda w: hashlib.sha256(w.encode()).hexdigest())
    return rare[:k] or ["acupuncture"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _measure(browser, url: str, prepare, type_into: str, query: str, first: str,
             counts_as_search, settled: str | None = None) -> tuple[float, int]:
    """(ms from typing to the first result, bytes of the search's own requests up to
    `settled` (a selector) and network quiet)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    moved: list[int] = []

    def finished(req) -> None:
        if counts_as_search(req.url):
            try:
                sizes = req.sizes()
                moved.append(sizes["responseBodySize"] + sizes["responseHeadersSize"])
            except Exception:  # noqa: BLE001 - a request without a response
                pass

    page.on("requestfinished", finished)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    prepare(page)
    start = time.perf_counter()
    page.locator(type_into).press_sequentially(query, delay=0)
    page.wait_for_selector(first, timeout=120_000)
    ms = (time.perf_counter() - start) * 1000
    if settled:
        page.wait_for_selector(settled, timeout=120_000)
    page.wait_for_load_state("networkidle")
    context.close()
    return ms, sum(moved)


def _determination_search_request(url: str) -> bool:
    """The determination search's own requests: its two scripts and its index files."""
    path = url.split("?", 1)[0]
    return "/search-index/" in path or path.endswith(
        ("/imr-search-engine.js", "/imr-determination-search.js", "/imr-search-citations.js")
    )


def browser_numbers(site: Path, records_dir: Path) -> dict:
    from playwright.sync_api import sync_playwright

    words = selective_words(records_dir)
    server, base = _serve(site)
    out: dict = {"determination_queries": words, "header_queries": HEADER_QUERIES,
                 "citation_query": CITATION_QUERY}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            header = [
                _measure(browser, base + "/", lambda p: p.click("input.md-search__input"),
                         "input.md-search__input", q, "li.md-search-result__item",
                         lambda u: "/search/search_index.json" in u or "/workers/search" in u)
                for q in HEADER_QUERIES
            ]
            dsearch = [
                _measure(browser, base + "/search/",
                         lambda p: p.wait_for_selector("#imr-dsearch[data-state=idle]"),
                         "#imr-dsearch-q", q, "li.imr-dsearch__result",
                         _determination_search_request,
                         "#imr-dsearch[data-state=done][data-counts=ready]")
                for q in [*words, CITATION_QUERY]
            ]
            browser.close()
    finally:
        server.shutdown()
    citation = dsearch.pop()
    out["citation_first_result_ms"], out["citation_bytes"] = citation
    for name, runs in (("header", header), ("determination", dsearch)):
        out[f"{name}_first_result_ms"] = statistics.median(ms for ms, _b in runs)
        out[f"{name}_bytes"] = statistics.median(b for _ms, b in runs)
    return out


# --- the report ------------------------------------------------------------------------------


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def mib(kib_or_bytes: float, *, kib: bool = False) -> str:
    value = kib_or_bytes / 1024 if kib else kib_or_bytes / 1024 / 1024
    return f"{value:,.1f} MiB"


def moved(n_bytes: float) -> str:
    """Bytes a search moved: KiB below 1 MiB (the targets are in that range)."""
    return f"{n_bytes / 1024:,.0f} KiB" if n_bytes < 1024 * 1024 else mib(n_bytes)


def table(n: int, r: dict) -> str:
    gen, ing, build = r["generate"], r["ingest"], r["build"]
    s = build["seconds"]
    index_share = 100 * s.get("index", 0) / max(s.get("mkdocs", 1e-9), 1e-9)
    rows = [
        ("determinations", f"{n:,}"),
        ("generate letters", f"{gen['wall_seconds']:.1f} s, peak {mib(gen['peak_kib'], kib=True)}"),
        ("ingest", f"{ing['wall_seconds']:.1f} s = {n / ing['wall_seconds']:.0f} letters/s, "
                   f"peak {mib(ing['peak_kib'], kib=True)}"),
        ("generator (load+assemble+write)",
         f"{build['generator_seconds']:.1f} s (load {s.get('load', 0):.1f}, assemble "
         f"{s.get('assemble', 0):.1f}, write {s.get('write', 0):.1f}) = "
         f"{100 * build['generator_seconds'] / max(s.get('mkdocs', 1e-9), 1e-9):.0f}% of MkDocs"),
        ("MkDocs build", f"{s.get('mkdocs', 0):.1f} s for {build['pages']:,} pages"),
        ("build step peak memory (any of its processes)", mib(build["peak_kib"], kib=True)),
        ("generator peak memory (load+assemble+write)",
         mib(build.get("generator_peak_kib", 0), kib=True)),
        ("MkDocs process peak memory", mib(build.get("mkdocs_peak_kib", 0), kib=True)),
        ("determination search index", f"{s.get('index', 0):.1f} s ({index_share:.1f}% of "
                                       f"MkDocs), {build['indexed']:,} determinations "
                                       f"(in the generator's process)"),
        ("link check", f"{s.get('linkcheck', 0):.1f} s, "
                       f"peak {mib(build.get('linkcheck_peak_kib', 0), kib=True)}"),
        ("build step wall time", f"{build['wall_seconds']:.1f} s"),
        ("site size", mib(r["site_bytes"])),
        ("header search index (search_index.json)", mib(r["header_index_bytes"])),
        ("determinations in header search", "yes" if build["in_header_search"] else "no"),
        ("determination search index files", mib(r["index_bytes"])),
        ("largest page", f"{build['largest_page'][0]} ({build['largest_page'][1] / 1000:.0f} kB)"),
    ]
    b = r.get("browser")
    if b:
        rows += [
            ("header search: first result (median)", f"{b['header_first_result_ms']:.0f} ms"),
            ("header search: bytes moved (median)", moved(b["header_bytes"])),
            ("determination search: first result (median)",
             f"{b['determination_first_result_ms']:.0f} ms"),
            ("determination search: bytes moved (median)", moved(b["determination_bytes"])),
            (f"determination search, typing {CITATION_QUERY!r}: first result",
             f"{b['citation_first_result_ms']:.0f} ms, {moved(b['citation_bytes'])} moved"),
            ("determination queries", ", ".join(b["determination_queries"])),
        ]
    width = max(len(k) for k, _v in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="determinations to synthesize (1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the working folder")
    ap.add_argument("--reuse", action="store_true", help="skip steps whose output exists")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    ap.add_argument("--json", type=Path, help="also write the numbers as JSON here")
    ap.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.step:  # a child process
        fn = STEPS[args.step]
        extra = {"generate": (args.n, args.seed)}.get(args.step, ())
        result = fn(args.work, *extra)
        (args.work / f"{args.step}.json").write_text(json.dumps(result))
        return 0

    work = args.work or Path(tempfile.mkdtemp(prefix="imr-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    try:
        for name, done in (
            ("generate", work / "letters"),
            ("ingest", work / "content" / "records"),
            ("build", work / "site"),
        ):
            saved = work / f"{name}.json"
            if args.reuse and done.exists() and saved.exists():
                results[name] = json.loads(saved.read_text())
                if "wall_seconds" in results[name]:
                    continue
            results[name] = run_step(name, work, args)
        site = work / "site"
        results["site_bytes"] = du(site)
        results["header_index_bytes"] = (site / "search" / "search_index.json").stat().st_size
        results["index_bytes"] = du(site / "search-index")
        if not args.no_browser:
            print("== browser ...", file=sys.stderr, flush=True)
            results["browser"] = browser_numbers(site, work / "content" / "records")
        print(table(args.n, results))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    finally:
        if not (args.keep or args.work):
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
