"""Ingest benchmark: letters/s on one core, and peak memory.

    .venv/bin/python benchmarks/ingest.py --n 10000
    .venv/bin/python benchmarks/ingest.py --n 2000 --profile   # cProfile top functions
    .venv/bin/python benchmarks/ingest.py --letters ../shared/real-letters/pdf

Without --letters, letters come from generator.letters.synth (deterministic),
written to a temporary directory; ingest runs in this process (one core) and
prints letters/second and peak resident memory (ru_maxrss).

With --letters DIR (real published letters, PDFs or text), the two costs are
measured apart, each on one core: PDF text extraction (letters/s), then
parsing the extracted text into records (letters/s, the best of --repeat
passes over all the letters, so a busy machine's pauses count least).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.letters.extract import read_letter  # noqa: E402
from generator.letters.ingest import ingest, letter_paths  # noqa: E402
from generator.letters.layouts import LetterError  # noqa: E402
from generator.letters.parse import parse_letter  # noqa: E402
from generator.letters.synth import synth_letters  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="letters to synthesize (10000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true", help="print the cProfile top 25")
    ap.add_argument("--letters", type=Path, help="measure these letters (PDF or text) instead")
    ap.add_argument("--repeat", type=int, default=5, help="parse passes with --letters (5)")
    args = ap.parse_args(argv)
    if args.letters:
        return real_letters(args.letters, args.repeat, args.profile)
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
        report = ingest([letters], out, progress=False)
        if profiler:
            profiler.disable()
        ingest_s = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"synthesized {args.n} letters in {synth_s:.1f} s")
    print(f"ingested    {args.n} letters in {ingest_s:.1f} s: {args.n / ingest_s:.0f} letters/s "
          f"({report.count('written')} written, {report.count('failed')} failed)")
    print(f"peak memory {peak_kb / 1024:.0f} MiB (ru_maxrss)")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0 if report.ok else 1


def real_letters(folder: Path, repeat: int, profile: bool) -> int:
    """Extraction, then parsing, of the letters in `folder`, each timed on one core."""
    paths = sorted(letter_paths([folder]))
    t0 = time.perf_counter()
    texts = [(p, read_letter(p)[0]) for p in paths]
    extract_s = time.perf_counter() - t0
    pdfs = sum(p.suffix.lower() == ".pdf" for p in paths)
    print(f"extracted   {len(paths)} letters ({pdfs} PDF) in {extract_s:.2f} s: "
          f"{len(paths) / extract_s:.0f} letters/s")
    profiler = cProfile.Profile() if profile else None
    best, failed = float("inf"), 0
    for _ in range(max(1, repeat)):
        failed = 0
        if profiler:
            profiler.enable()
        t0 = time.perf_counter()
        for path, text in texts:
            try:
                parse_letter(text, str(path))
            except LetterError:
                failed += 1
        best = min(best, time.perf_counter() - t0)
        if profiler:
            profiler.disable()
    print(f"parsed      {len(texts)} letters in {best:.2f} s (best of {repeat}): "
          f"{len(texts) / best:.0f} letters/s on one core ({failed} not read)")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory {peak_kb / 1024:.0f} MiB (ru_maxrss)")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
