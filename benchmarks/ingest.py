"""Ingest benchmark: letters/s on one core, and peak memory.

    .venv/bin/python benchmarks/ingest.py --n 10000
    .venv/bin/python benchmarks/ingest.py --n 2000 --profile   # cProfile top functions
    .venv/bin/python benchmarks/ingest.py --letters ../shared/real-letters/pdf
    .venv/bin/python benchmarks/ingest.py --letters ../shared/real-letters/pdf --jobs 2

Without --letters, letters come from generator.letters.synth (deterministic),
written to a temporary directory; ingest runs with --jobs processes (1: in this
process, one core) and prints letters/second and peak resident memory (ru_maxrss).

With --letters DIR (real published letters, PDFs or text), the two costs are
measured apart, each on one core, as CPU time (time.process_time: what the letter
costs, whatever else the machine runs) and wall time: PDF text extraction, then
parsing the extracted text into records (the best of --repeat passes over all the
letters, so a busy machine's pauses count least). With --jobs N (N > 1) the text
is then parsed --repeat times over in N processes through ingest's own worker pool
(budget.pool_map, as `ingest --jobs N`: records sent back to this process), and the
rate is compared with one core's wall rate; the load average is printed with it,
as the speed-up is only N-fold on N idle cores.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.letters import budget  # noqa: E402
from generator.letters.extract import read_letter  # noqa: E402
from generator.letters.ingest import ingest, letter_paths  # noqa: E402
from generator.letters.layouts import LetterError  # noqa: E402
from generator.letters.parse import parse_letter  # noqa: E402
from generator.letters.synth import synth_letters  # noqa: E402
from generator.record.models import Determination  # noqa: E402
from generator.record.store import to_json  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="letters to synthesize (10000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true", help="print the cProfile top 25")
    ap.add_argument("--letters", type=Path, help="measure these letters (PDF or text) instead")
    ap.add_argument("--repeat", type=int, default=5, help="parse passes with --letters (5)")
    ap.add_argument("--jobs", type=int, default=1, help="processes (1)")
    args = ap.parse_args(argv)
    if args.letters:
        return real_letters(args.letters, args.repeat, args.profile, args.jobs)
    with tempfile.TemporaryDirectory() as tmp:
        letters, out = Path(tmp) / "letters", Path(tmp) / "records"
        letters.mkdir()
        t0 = time.perf_counter()
        for name, text in synth_letters(args.n, args.seed):
            (letters / name).write_text(text, encoding="utf-8")
        synth_s = time.perf_counter() - t0
        profiler = cProfile.Profile() if args.profile else None
        t0 = time.perf_counter()
        if profiler:
            profiler.enable()
        report = ingest([letters], out, progress=False, jobs=args.jobs)
        if profiler:
            profiler.disable()
        ingest_s = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"synthesized {args.n} letters in {synth_s:.1f} s")
    print(f"ingested    {args.n} letters in {ingest_s:.1f} s with {args.jobs} job(s): "
          f"{args.n / ingest_s:.0f} letters/s "
          f"({report.count('written')} written, {report.count('failed')} failed)")
    print(_load())
    print(f"peak memory {peak_kb / 1024:.0f} MiB (ru_maxrss)")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0 if report.ok else 1


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def _rate(n: int, cpu: float, wall: float) -> str:
    return f"{n / cpu:.0f} letters/s CPU, {n / wall:.0f} letters/s wall"


def real_letters(folder: Path, repeat: int, profile: bool, jobs: int = 1) -> int:
    """Extraction, then parsing, of the letters in `folder`, each timed on one core; then
    parsing in `jobs` processes."""
    paths = sorted(letter_paths([folder]))
    print(_load())
    c0, t0 = time.process_time(), time.perf_counter()
    texts = [(p, read_letter(p)[0]) for p in paths]
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    pdfs = sum(p.suffix.lower() == ".pdf" for p in paths)
    print(f"extracted   {len(paths)} letters ({pdfs} PDF) on one core: "
          f"{_rate(len(paths), cpu, wall)}")
    budget.warm_up()
    profiler = cProfile.Profile() if profile else None
    best_cpu, best_wall, failed = float("inf"), float("inf"), 0
    for _ in range(max(1, repeat)):
        if profiler:
            profiler.enable()
        c0, t0 = time.process_time(), time.perf_counter()
        failed = sum(_parse(pt) is None for pt in texts)
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - t0)
        if profiler:
            profiler.disable()
    print(f"parsed      {len(texts)} letters on one core, best of {repeat} passes: "
          f"{_rate(len(texts), best_cpu, best_wall)} ({failed} not read)")
    if jobs > 1:
        _parse_in_workers(texts * max(1, repeat), jobs, len(texts) / best_wall)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory {peak_kb / 1024:.0f} MiB (ru_maxrss)")
    print(_load())
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return 0


def _parse(job: tuple[Path, str]) -> Determination | None:
    """One letter's text parsed: its record, or None."""
    path, text = job
    try:
        return parse_letter(text, str(path))
    except LetterError:
        return None


def _record_text(job: tuple[Path, str]) -> str | None:
    """What an ingest worker sends back for a letter: its record's file text."""
    record = _parse(job)
    return to_json(record) if record else None


def _children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def _pool_rate(jobs: list[tuple[Path, str]], workers: int) -> tuple[float, float, float, float]:
    """Parse `jobs` in `workers` processes through ingest's pool: (letters/s wall after the
    first record, which leaves out the workers' start; seconds in all; CPU seconds a
    letter in the workers, their start left out; CPU seconds a letter in this process)."""
    c0 = _children_cpu()
    list(budget.pool_map(_record_text, [], workers, None, _none, _none))  # start, stop
    start_cpu = _children_cpu() - c0
    t0, c0, p0 = time.perf_counter(), _children_cpu(), time.process_time()
    first = 0.0
    for i, _ in enumerate(budget.pool_map(_record_text, jobs, workers, None, _none, _none)):
        if i == 0:
            first = time.perf_counter()
    end, n = time.perf_counter(), len(jobs)
    worker_cpu = (_children_cpu() - c0 - start_cpu) / n
    return (n - 1) / (end - first), end - t0, worker_cpu, (time.process_time() - p0) / n


def _parse_in_workers(jobs: list[tuple[Path, str]], workers: int, one_core: float) -> None:
    """Parse `jobs` through ingest's worker pool with one worker, then with `workers`.

    On a busy machine the wall rates say little; the CPU a letter costs in the workers
    and in this process (which receives the records, one at a time) gives what N idle
    cores would do: N / worker CPU, unless this process cannot keep up (1 / its CPU)."""
    rates = {}
    for n in (1, workers):
        rates[n], total, worker_cpu, parent_cpu = _pool_rate(jobs, n)
        idle = min(n / worker_cpu, 1 / parent_cpu)
        print(f"jobs {n:<6} {len(jobs)} letters in {total:.2f} s (workers started and each "
              f"record's text sent back): {rates[n]:.0f} letters/s wall after the first record; "
              f"CPU a letter {worker_cpu * 1e3:.2f} ms in the workers, {parent_cpu * 1e3:.2f} ms "
              f"here: {idle:.0f} letters/s on {n} idle core(s)")
        rates[-n] = idle
    print(f"speed-up    {rates[workers] / rates[1]:.2f}x wall with {workers} jobs over 1 "
          f"({rates[workers] / one_core:.2f}x the in-process one-core wall rate); on idle "
          f"cores, by CPU: {rates[-workers] / rates[-1]:.2f}x")


def _none(job: object) -> None:
    return None


if __name__ == "__main__":
    raise SystemExit(main())
