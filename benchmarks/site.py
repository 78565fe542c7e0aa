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

`--search-only` measures the determination search at N without the MkDocs build of N
pages (which takes about 20 minutes at 100,000): it generates and ingests N letters as
above, builds the site (MkDocs, link check) from the newest `--shell` records only (300
by default) as the page shell, then, in a process of its own, loads all N records and
writes the determination search's index from them over the shell's `search-index/`
(generator.search.determinations.write_index, as the build does: its time is the index
build time at N) and replaces the /search/ page's embedded configuration (facet values
and labels, generator.search.header.search_page) and its count with the ones computed
from all N records. The browser then measures the determination search as in a full
run (first result of the selective queries, bytes per session, typing the citation, the
same words with an injury-date range set first).
Not measured in this mode: the MkDocs build, generator and link check at N (the shell's
times are of 300 records), the site's size, and the header search (the shell's hubs are
those of 300 records). For the "index < 10% of the MkDocs build" target, compare the index
time with a MkDocs build measured at N in a full run (at 100,000: 1,163 s, in
docs/performance.md); the report prints that share for N = 100,000 and says so.
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


def step_ingest(work: Path, jobs: int) -> dict:
    from generator.letters.ingest import ingest

    report = ingest([work / "letters"], work / "content" / "records", progress=False, jobs=jobs)
    return {"written": report.count("written"), "failed": report.count("failed"), "jobs": jobs}


def step_build(work: Path, site: str = "site", full: bool = False) -> dict:
    from generator.build.site import build_site

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    report = build_site(work / "content", work / site, config_file=CONFIG_FILE, full=full)
    return {
        "shards": report.shards,
        "shards_built": report.shards_built,
        "built_keys": report.built_keys,
        "shard_pages": report.shard_pages,
        "shard_seconds": report.shard_seconds,
        "shard_rendered": report.shard_rendered,
        "linkcheck_pages": report.linkcheck_pages,
        "letters": report.letters,
        "letters_copied": report.letters_copied,
        "determinations_made": report.determinations_made,
        "records_read": report.records_read,
        "listing_pages_kept": report.listing_pages_kept,
        "site_files": report.site_files,
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


def step_shell(work: Path, shell: int) -> dict:
    """--search-only: the site built from the newest `shell` records (the page shell)."""
    from generator.build.site import build_site
    from generator.record.dating import newest_first
    from generator.record.store import load_records

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    records, errors = load_records(work / "content" / "records")
    if errors:
        raise SystemExit(f"{len(errors)} invalid record(s), e.g. {errors[0]}")
    chosen = [r.id for r in newest_first(records)[:shell]]
    del records
    shell_records = work / "shell" / "records"
    if shell_records.exists():
        shutil.rmtree(shell_records)
    shell_records.mkdir(parents=True)
    for record_id in chosen:
        shutil.copyfile(work / "content" / "records" / f"{record_id}.json",
                        shell_records / f"{record_id}.json")
    report = build_site(work / "shell", work / "site", config_file=CONFIG_FILE, progress=False)
    return {"records": report.records, "pages": report.pages, "seconds": report.seconds}


CONFIG_SCRIPT = re.compile(
    r'(<script type="application/json" id="imr-dsearch-config">)(.*?)(</script>)', re.S)
INTRO_COUNT = re.compile(r"(Search the disputed items of all )([\d,]+)( determinations)")


def step_index(work: Path) -> dict:
    """--search-only: the determination search's index and the /search/ page's
    configuration from all N records, over the shell's (the build's index phase, at N)."""
    from generator.build.inputs import header_search_max, site_settings
    from generator.pages.urls import SEARCH_INDEX_DIR
    from generator.record.dating import newest_first
    from generator.record.store import load_records
    from generator.search import determinations, header

    start = time.perf_counter()
    records, errors = load_records(work / "content" / "records")
    if errors:
        raise SystemExit(f"{len(errors)} invalid record(s), e.g. {errors[0]}")
    load = time.perf_counter() - start
    site = work / "site"
    shutil.rmtree(site / SEARCH_INDEX_DIR)
    start, cpu = time.perf_counter(), time.process_time()
    summary = determinations.write_index(records, site / SEARCH_INDEX_DIR)
    index, index_cpu = time.perf_counter() - start, time.process_time() - cpu
    # the search page as the build would make it for all N records
    ordered = newest_first(records)
    limit = header_search_max(None, site_settings(CONFIG_FILE))
    markdown = header.search_page(
        ordered, header_search_covers=header.in_header_search(len(ordered), limit))
    config = CONFIG_SCRIPT.search(markdown).group(2)
    page = site / "search" / "index.html"
    html = page.read_text(encoding="utf-8")
    html, configs = CONFIG_SCRIPT.subn(lambda m: m.group(1) + config + m.group(3), html)
    html, intros = INTRO_COUNT.subn(lambda m: f"{m.group(1)}{len(ordered):,}{m.group(3)}", html)
    if (configs, intros) != (1, 1):
        raise SystemExit(f"{page}: {configs} configuration(s), {intros} count(s) replaced")
    page.write_text(html, encoding="utf-8")
    return {"records": len(ordered), "load_seconds": load, "index_seconds": index,
            "index_cpu_seconds": index_cpu, "indexed": summary.determinations,
            "items": summary.documents, "index_bytes": summary.bytes,
            "config_bytes": len(config)}


def newest_year(records: Path) -> int:
    """The latest decision year of the records (a scan of their text, not a load)."""
    found = re.compile(r'"decision": "(\d{4})-')
    return max(int(m.group(1)) for p in records.glob("*.json")
               if (m := found.search(p.read_text(encoding="utf-8"))))


def step_add(work: Path, n: int, seed: int, add: int, jobs: int | None,
             after: str | None = None) -> dict:
    """--add: `add` new letters (synthesized after the first n, or after those of the
    update `after`, keeping those decided in the archive's newest year, as a weekly
    update's are), ingested into the records."""
    from generator.letters.ingest import ingest
    from generator.letters.synth import render_case, synth_case

    year = newest_year(work / "content" / "records")
    start = json.loads((work / f"{after}.json").read_text())["next"] if after else n
    letters = work / "letters-add" / f"from-{start}-{seed}"  # earlier updates' letters stay
    shutil.rmtree(letters, ignore_errors=True)
    letters.mkdir(parents=True)
    made, index = 0, start
    while made < add:
        case = synth_case(index, seed)
        if case["dates"]["decision"].year == year:
            (letters / case["file_name"]).write_text(render_case(case), encoding="utf-8")
            made += 1
        index += 1
    report = ingest([letters], work / "content" / "records", progress=False, jobs=jobs)
    return {"year": year, "letters": made, "written": report.count("written"),
            "failed": report.count("failed"), "next": index}


def step_compare(work: Path) -> dict:
    """--add: is the incremental build byte for byte the full build of the same records?"""
    def tree(site: Path) -> dict[str, str]:
        return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in site.rglob("*") if p.is_file()}

    a, b = tree(work / "site"), tree(work / "site-full")
    differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    return {"files": len(a), "identical": not differ, "differ": differ[:20]}


STEPS = {"generate": step_generate, "ingest": step_ingest, "build": step_build,
         "shell": step_shell, "index": step_index, "add": step_add,
         "add2": functools.partial(step_add, after="add"), "rebuild2": step_build,
         # more updates, by hand (--step add3, --step rebuild3, ... 19), each after the last
         **{f"add{i}": functools.partial(step_add, after=f"add{i - 1}") for i in range(3, 20)},
         **{f"rebuild{i}": step_build for i in range(3, 20)},
         "rebuild": step_build, "fullbuild": functools.partial(step_build, site="site-full",
                                                              full=True),
         "compare": step_compare}


def run_step(name: str, work: Path, args: argparse.Namespace) -> dict:
    """Run one step in a child process; its result plus wall time and peak memory."""
    out = work / f"{name}.json"
    cmd = [sys.executable, __file__, "--step", name, "--work", str(work),
           "--n", str(args.n), "--seed", str(args.seed), "--jobs", str(args.jobs),
           "--shell", str(args.shell), "--add", str(args.add)]
    print(f"== {name} ...", file=sys.stderr, flush=True)
    load_start = os.getloadavg()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"step {name} failed (exit {proc.returncode})")
    result = json.loads(out.read_text())
    result.update(wall_seconds=seconds, peak_kib=usage.ru_maxrss, load_start=load_start,
                  load_end=os.getloadavg())
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


# a session with a date range loads that date column's years too, and the days of the
# years the range cuts (imr-search-engine.js loads them only when a range is set); from
# 1990 keeps every synthetic item, so the same words still find results at any N, and
# cuts no year (a range that cuts one loads that year's days besides)
INJURED_FROM = "1990-01-01"


def _with_injury_range(page) -> None:
    page.wait_for_selector("#imr-dsearch[data-state=idle]")
    page.fill("#imr-dsearch-injured-from", INJURED_FROM)
    page.locator("#imr-dsearch-injured-from").dispatch_event("change")
    page.wait_for_selector("#imr-dsearch[data-state=done][data-counts=ready]", timeout=120_000)
    page.wait_for_load_state("networkidle")


def browser_numbers(site: Path, records_dir: Path, header_search: bool = True) -> dict:
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
                for q in (HEADER_QUERIES if header_search else [])
            ]
            dsearch = [
                _measure(browser, base + "/search/",
                         lambda p: p.wait_for_selector("#imr-dsearch[data-state=idle]"),
                         "#imr-dsearch-q", q, "li.imr-dsearch__result",
                         _determination_search_request,
                         "#imr-dsearch[data-state=done][data-counts=ready]")
                for q in [*words, CITATION_QUERY]
            ]
            ranged = [
                _measure(browser, base + "/search/", _with_injury_range,
                         "#imr-dsearch-q", q, "li.imr-dsearch__result",
                         _determination_search_request,
                         "#imr-dsearch[data-state=done][data-counts=ready]")
                for q in words
            ]
            browser.close()
    finally:
        server.shutdown()
    citation = dsearch.pop()
    out["citation_first_result_ms"], out["citation_bytes"] = citation
    out["determination_runs"], out["injury_range_runs"] = dsearch, ranged
    for name, runs in (("header", header), ("determination", dsearch), ("injury_range", ranged)):
        if runs:
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
        ("MkDocs build", f"{s.get('mkdocs', 0):.1f} s for {build['pages']:,} pages in "
                         f"{build.get('shards', 0)} shards ({build.get('shards_built', 0)} "
                         f"built)"),
        ("merge of the shards", f"{s.get('merge', 0):.1f} s"),
        ("build step peak memory (any of its processes)", mib(build["peak_kib"], kib=True)),
        ("generator peak memory (load+assemble+write)",
         mib(build.get("generator_peak_kib", 0), kib=True)),
        ("MkDocs processes' peak memory (largest)",
         mib(build.get("mkdocs_peak_kib", 0), kib=True)),
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
    rows += update_rows(r, build)
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
            (f"determination search, injured from {INJURED_FROM} set first (median)",
             f"{b['injury_range_first_result_ms']:.0f} ms, {moved(b['injury_range_bytes'])} moved"),
            ("determination queries", ", ".join(b["determination_queries"])),
        ]
    width = max(len(k) for k, _v in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def update_rows(r: dict, build: dict) -> list[tuple[str, str]]:
    """--add: the two updates after new letters, and the full build they must equal."""
    if "rebuild2" not in r:
        return []
    full, same = r["fullbuild"], r["compare"]
    rows = []
    for label, add, re_ in (("first update (no spare site yet)", r["add"], r["rebuild"]),
                            ("second update (measured)", r["add2"], r["rebuild2"])):
        files = re_.get("site_files", {})
        rows += [
            (f"--add: {label}: new letters",
             f"{add['written']:,} written of {add['letters']:,} ({add['year']}), "
             f"ingest {add['wall_seconds']:.1f} s"),
            (f"--add: {label}: build",
             f"{re_['wall_seconds']:.1f} s = "
             f"{100 * re_['wall_seconds'] / build['wall_seconds']:.1f}% of the first build; "
             f"{re_.get('determinations_made', 0):,} determination pages made, "
             f"{re_['shards_built']} of {re_['shards']} shards built, "
             f"{sum(re_.get('shard_rendered', {}).values()):,} pages rendered, "
             f"{re_.get('linkcheck_pages', 0):,} link-checked, "
             f"{re_.get('letters_copied', 0):,} letters copied; site files linked "
             f"{files.get('linked', 0):,}, kept {files.get('kept', 0):,}, removed "
             f"{files.get('removed', 0):,}; phases "
             + ", ".join(f"{k} {v:.0f}" for k, v in re_["seconds"].items())),
        ]
    return rows + [
        ("--add: full build of the same records",
         f"{full['wall_seconds']:.1f} s; peaks: generator "
         f"{mib(full.get('generator_peak_kib', 0), kib=True)}, MkDocs "
         f"{mib(full.get('mkdocs_peak_kib', 0), kib=True)}, link check "
         f"{mib(full.get('linkcheck_peak_kib', 0), kib=True)}"),
        ("--add: second update = full, byte for byte",
         f"{'yes' if same['identical'] else 'NO: ' + ', '.join(same['differ'])} "
         f"({same['files']:,} files)"),
    ]


# MkDocs at 100,000 determinations, measured whole (docs/performance.md, "Performance at
# scale"): what --search-only compares its index time with, as it builds no MkDocs at N
MKDOCS_SECONDS_AT_100K = 1163.0


def search_only_table(n: int, r: dict) -> str:
    gen, ing, shell, idx = r["generate"], r["ingest"], r["shell"], r["index"]
    share = (f"{100 * idx['index_seconds'] / MKDOCS_SECONDS_AT_100K:.1f}% of the MkDocs "
             f"build at 100,000 measured earlier ({MKDOCS_SECONDS_AT_100K:,.0f} s, "
             "docs/performance.md; not measured here)" if n == 100_000 else
             "MkDocs at this N not measured: compare with a full run's")
    rows = [
        ("mode", "--search-only: the determination search at N over a page shell; "
                 "MkDocs, link check and header search at N NOT measured"),
        ("determinations", f"{n:,}"),
        ("load average at start (1, 5, 15 min)", " ".join(f"{x:.2f}" for x in r["load_start"])),
        ("load average at end", " ".join(f"{x:.2f}" for x in r["load_end"])),
        ("generate letters", f"{gen['wall_seconds']:.1f} s"),
        ("ingest", f"{ing['wall_seconds']:.1f} s = {n / ing['wall_seconds']:.0f} letters/s "
                   f"({ing.get('jobs', 1)} job(s)), peak {mib(ing['peak_kib'], kib=True)}"),
        ("page shell (MkDocs + link check)",
         f"{shell['wall_seconds']:.1f} s for the newest {shell['records']:,} records, "
         f"{shell['pages']:,} pages"),
        ("load all records (index step)", f"{idx['load_seconds']:.1f} s"),
        ("determination search index build",
         f"{idx['index_seconds']:.1f} s wall, {idx['index_cpu_seconds']:.1f} s CPU "
         f"({idx['indexed']:,} determinations, {idx['items']:,} items); {share}"),
        ("  load average around the index step",
         f"{idx['load_start'][0]:.2f} at start, {idx['load_end'][0]:.2f} at end (1 min)"),
        ("index step peak memory (load + index)", mib(idx["peak_kib"], kib=True)),
        ("determination search index files", mib(r["index_bytes"])),
        ("/search/ page configuration (facet values, labels)",
         f"{idx['config_bytes'] / 1024:,.0f} KiB, from all {idx['records']:,} records"),
    ]
    b = r.get("browser")
    if b:
        rows += [
            ("determination search: first result (median)",
             f"{b['determination_first_result_ms']:.0f} ms"),
            ("determination search: bytes moved (median)", moved(b["determination_bytes"])),
            ("  each query (ms, bytes)", "; ".join(
                f"{q} {ms:.0f} ms {moved(by)}" for q, (ms, by)
                in zip(b["determination_queries"], b["determination_runs"], strict=False))),
            (f"determination search, typing {CITATION_QUERY!r}: first result",
             f"{b['citation_first_result_ms']:.0f} ms, {moved(b['citation_bytes'])} moved"),
            (f"the same words, injured from {INJURED_FROM} set first (median)",
             f"{b['injury_range_first_result_ms']:.0f} ms, {moved(b['injury_range_bytes'])} "
             "moved (the injury years loaded too: the range cuts no year)"),
            ("search page HTML (with its configuration)", f"{r['search_page_bytes'] / 1024:,.0f} "
                                                         "KiB (not counted in bytes moved)"),
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
    ap.add_argument("--jobs", type=int, default=1, help="ingest processes (1; 0: one per core)")
    ap.add_argument("--search-only", action="store_true",
                    help="measure the determination search at N over a page shell of the "
                         "newest --shell records, without the MkDocs build of N pages")
    ap.add_argument("--shell", type=int, default=300,
                    help="--search-only: records the page shell is built from (300)")
    ap.add_argument("--add", type=int, default=0,
                    help="after the build, twice: ingest this many new letters (of the "
                         "newest year) and build again (incremental); then compare with a "
                         "full build")
    ap.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.step:  # a child process
        fn = STEPS[args.step]
        extra = {"generate": (args.n, args.seed), "ingest": (args.jobs or None,),
                 "shell": (args.shell,),
                 "add": (args.n, args.seed, args.add, args.jobs or None),
                 **{f"add{i}": (args.n, args.seed, args.add, args.jobs or None)
                    for i in range(2, 20)}}.get(args.step, ())
        result = fn(args.work, *extra)
        (args.work / f"{args.step}.json").write_text(json.dumps(result))
        return 0

    work = args.work or Path(tempfile.mkdtemp(prefix="imr-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"load_start": os.getloadavg()}
    if args.search_only:
        steps = (("generate", work / "letters"), ("ingest", work / "content" / "records"),
                 ("shell", work / "site"), ("index", work / "index.json"))
    else:
        steps = (("generate", work / "letters"), ("ingest", work / "content" / "records"),
                 ("build", work / "site"))
        if args.add:
            # the first update after a full build finds no spare site (the site a swap
            # replaces is kept for the next one: generator.build.spare); the second is
            # the weekly update of an archive built this way, and is the one measured
            steps += (("add", work / "letters-add"), ("rebuild", work / "site"),
                      ("add2", work / "add2.json"), ("rebuild2", work / "site"),
                      ("fullbuild", work / "site-full"), ("compare", work / "site-full"))
    try:
        rerun = False  # once a step runs, the steps after it run too
        for name, done in steps:
            saved = work / f"{name}.json"
            if args.reuse and not rerun and done.exists() and saved.exists():
                results[name] = json.loads(saved.read_text())
                if "wall_seconds" in results[name]:
                    continue
            results[name] = run_step(name, work, args)
            rerun = True
        site = work / "site"
        results["site_bytes"] = du(site)
        results["header_index_bytes"] = (site / "search" / "search_index.json").stat().st_size
        results["index_bytes"] = du(site / "search-index")
        results["search_page_bytes"] = (site / "search" / "index.html").stat().st_size
        if not args.no_browser:
            print("== browser ...", file=sys.stderr, flush=True)
            results["browser"] = browser_numbers(site, work / "content" / "records",
                                                 header_search=not args.search_only)
        results["load_end"] = os.getloadavg()
        print((search_only_table if args.search_only else table)(args.n, results))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    finally:
        if not (args.keep or args.work):
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
