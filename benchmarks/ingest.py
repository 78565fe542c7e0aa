"""Ingest benchmark: synthesize N letters, ingest them on one core, report speed and memory.

    .venv/bin/python benchmarks/ingest.py --n 10000
    .venv/bin/python benchmarks/ingest.py --n 2000 --profile   # cProfile top functions

Letters come from generator.letters.synth (deterministic), written to a temporary
directory; ingest runs in this process (one core). Prints letters/second
and peak resident memory (ru_maxrss).
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

from generator.letters.ingest import ingest  # noqa: E402
from generator.letters.synth import synth_letters  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="letters to synthesize (10000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true", help="print the cProfile top 25")
    args = ap.parse_args(argv)
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


if __name__ == "__main__":
    raise SystemExit(main())
