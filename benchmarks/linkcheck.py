"""Link check benchmark: the old checker (HTMLParser, one process) against the new one
(generator.build.linkcheck: a regular-expression scan, a pool of `jobs` processes) on a
built site.

    .venv/bin/python benchmarks/linkcheck.py /var/tmp/imr-s10k/site
    .venv/bin/python benchmarks/linkcheck.py SITE --jobs 1 2 4 --no-old --json out.json

Each check runs in a process of its own (so that its peak memory, VmHWM, is its own; the
new checker's workers report theirs) after one untimed read of every page (so that every
run finds the pages in the page cache). Prints pages/s, wall and CPU time, and the peak
memory of every process; the old and new checks must report the same broken links
(exit 1 otherwise).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _run(kind: str, site: Path, base_path: str, jobs: int, conn) -> None:
    from generator.build.mkdocs_run import peak_kib

    start, cpu = time.perf_counter(), time.process_time()
    if kind == "old":
        from tests.linkcheck_oracle import check_site

        broken, pages, workers = check_site(site, base_path=base_path), None, []
    else:
        from generator.build.linkcheck import run_check

        found = run_check(site, base_path=base_path, jobs=jobs)
        broken, pages, workers = found.broken, found.pages, found.worker_peaks_kib
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + usage.ru_utime + usage.ru_stime
    shown = [str(b) for b in broken]
    conn.send({"wall": wall, "cpu": cpu, "peak_kib": peak_kib(), "workers_kib": workers,
               "pages": pages, "broken": shown})
    conn.close()


def measure(kind: str, site: Path, base_path: str, jobs: int) -> dict:
    """One check in a spawned process: its times, peaks and findings."""
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_run, args=(kind, site, base_path, jobs, send))
    proc.start()
    send.close()
    result = receive.recv()
    proc.join()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("--base-path", default="/")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="new checker's jobs")
    parser.add_argument("--no-old", action="store_true", help="skip the old checker")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args(argv)
    pages = sorted(args.site.rglob("*.html"))
    size = sum(len(p.read_bytes()) for p in pages)  # untimed: into the page cache
    print(f"{args.site}: {len(pages):,} pages, {size / 2**20:,.0f} MiB, {os.cpu_count()} cores")
    runs = ([("old", 1)] if not args.no_old else []) + [("new", j) for j in args.jobs]
    results, same = [], True
    for kind, jobs in runs:
        r = measure(kind, args.site, args.base_path, jobs)
        r.update(kind=kind, jobs=jobs, pages_per_s=len(pages) / r["wall"])
        results.append(r)
        mib = [f"{k / 1024:,.0f}" for k in [r["peak_kib"], *r["workers_kib"]]]
        print(f"{kind} jobs={jobs}: {r['pages_per_s']:,.0f} pages/s, wall {r['wall']:.1f} s, "
              f"CPU {r['cpu']:.1f} s, peak MiB {' + '.join(mib)} (check + workers), "
              f"{len(r['broken'])} broken")
        same = same and r["broken"] == results[0]["broken"]
    if args.json:
        for r in results:
            r["broken"] = len(r["broken"])
        args.json.write_text(json.dumps({"pages": len(pages), "bytes": size, "runs": results},
                                        indent=2))
    if not same:
        print("the checks disagree on the broken links", file=sys.stderr)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
