"""Pattern benchmark: time every pattern of the letter reader on adversarial input.

    .venv/bin/python benchmarks/patterns.py                 # the known cases, growing sizes
    .venv/bin/python benchmarks/patterns.py --scan          # every pattern, generated inputs
    .venv/bin/python benchmarks/patterns.py --scan --only DIAGNOSES

Default: each case of CASES (an input built to make one pattern or function
backtrack) at sizes n, 8n, 64n, each run in a child process with a time limit;
prints the seconds and the growth from one size to the next (a linear pattern
grows ~8x; a quadratic one ~64x).

--scan: every compiled pattern of the catalogue (patterns.py, citations.py, citation_spans.py,
the guideline catalogue, statements.py, classify.py with services.yml and regions.yml)
is run with ``finditer`` over inputs generated from the pattern itself: a sample
match cut short and repeated, a sample prefix followed by a long filler, and plain
fillers. It prints every pattern whose time grows faster than linearly (or blows
up on a short input), and exits 1 if there is one.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# --- the known cases -------------------------------------------------------------------


def _case_functions() -> dict[str, tuple[Callable[[int], object], int]]:
    """name -> (run(n), base n): each builds its adversarial input of size ~n and runs."""
    from generator.letters import citation_spans, citations, classify, patterns, statements

    def trail_trim(n: int) -> object:  # ". . . ." leader without an end
        text = ". " * n + "x"
        trail = citation_spans.TRAIL_TRIM
        return trail.start(text) if hasattr(trail, "start") else trail.search(text)

    def trim(n: int) -> object:
        text = "see (" * n + "ODG"
        return citation_spans.trim(text, 0, len(text))

    def parse_citations(n: int) -> object:
        return citations.parse_citations("ODG Low Back, " + ". " * n + "x")

    def service_alias(n: int) -> object:
        return classify.classify_service("a" * n)

    def classify_words(n: int) -> object:
        return classify.classify_service("lumbar " * (n // 7))

    def diagnoses(n: int) -> object:
        return list(patterns.DIAGNOSES.finditer("diagnosed with " * (n // 15) + "\n\nx"))

    def diagnoses_repeated(n: int) -> object:
        return list(patterns.DIAGNOSES.finditer("diagnosed with x " * (n // 17)))

    def header(n: int) -> object:
        return patterns.HEADER_FIELDS["assigned"].search("Date Assigned" + " " * n)

    def complaints(n: int) -> object:
        return patterns.COMPLAINTS.findall("complaints of " * (n // 14))

    def board(n: int) -> object:
        return patterns.BOARD_CERTIFIED.findall("Board Certified in x " * (n // 21))

    def statement(n: int) -> object:
        return statements.read_statement("Decision based on MTUS " + "Chronic Pain " * (n // 13))

    def regions(n: int) -> object:
        return classify.regions_in("a" * n)

    return {
        "citation_spans.TRAIL_TRIM '. . .'": (trail_trim, 1000),
        "citation_spans.trim 'see (see ('": (trim, 250),
        "citations.parse_citations '. . .'": (parse_citations, 1000),
        "classify_service 'aaaa'": (service_alias, 1000),
        "classify_service 'lumbar lumbar'": (classify_words, 1000),
        "DIAGNOSES 'diagnosed with' line, no end": (diagnoses, 1000),
        "DIAGNOSES 'diagnosed with x' repeated": (diagnoses_repeated, 1000),
        "COMPLAINTS 'complaints of' repeated": (complaints, 1000),
        "BOARD_CERTIFIED repeated": (board, 1000),
        "read_statement 'Chronic Pain' repeated": (statement, 1000),
        "regions_in 'aaaa'": (regions, 1000),
        "HEADER_FIELDS[assigned] + spaces": (header, 1000),
    }


def _timed(name: str, n: int, out: mp.Queue) -> None:
    run = _case_functions()[name][0]
    run(1)  # compiles the catalogue: not part of the time
    t0 = time.perf_counter()
    run(n)
    out.put(time.perf_counter() - t0)


def time_case(name: str, n: int, limit: float) -> float | None:
    """Seconds to run case `name` at size n in a child process; None past `limit`."""
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    p = ctx.Process(target=_timed, args=(name, n, q))
    p.start()
    p.join(limit)
    if p.is_alive():
        p.kill()
        p.join()
        return None
    return float(q.get()) if not q.empty() else None


def run_cases(limit: float, only: str | None) -> int:
    print(f"{'case':44} {'n':>8} {'seconds':>10} {'x prev':>7}")
    for name, (_, base) in _case_functions().items():
        if only and only not in name:
            continue
        prev = None
        for n in (base, 8 * base, 64 * base):
            t = time_case(name, n, limit)
            shown = f">{limit:.0f}" if t is None else f"{t:.4f}"
            growth = f"{t / prev:.1f}" if t is not None and prev else ""
            print(f"{name:44} {n:>8} {shown:>10} {growth:>7}", flush=True)
            if t is None:
                break
            prev = max(t, 1e-6)
    return 0


# --- every pattern, generated inputs -------------------------------------------------


def _module_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    from generator.letters import citation_spans, citations, classify, patterns, statements

    for mod in (patterns, citations, citation_spans, statements, classify):
        short = mod.__name__.rsplit(".", 1)[-1]
        for attr, value in vars(mod).items():
            if isinstance(value, dict) and attr.isupper():
                items = [(f"{attr}[{k}]", v) for k, v in value.items()]
            else:
                items = [(attr, value)]
            for name, v in items:
                if isinstance(v, re.Pattern):
                    yield f"{short}.{name}", v
                elif isinstance(v, patterns.LeadToEnd):  # each part; the whole is linear
                    yield f"{short}.{name}.lead", v.lead
                    yield f"{short}.{name}.end", v.end
                elif isinstance(v, citation_spans.TailRun):
                    yield f"{short}.{name}.rx", v.rx


def all_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """(name, pattern) of every pattern the reader compiles."""
    from generator.letters import catalogue, classify, statements

    yield from _module_patterns()
    cat = catalogue.compiled()
    for (gid, sid), rx in cat.anchors:
        yield f"guidelines anchor {gid}/{sid}", rx
    for gid, pats in cat.sections.items():
        for sid, rx in pats:
            yield f"guidelines section {gid}/{sid}", rx
    for gid, pats in cat.redirects.items():
        for to, rx in pats:
            yield f"guidelines redirect {gid}->{to}", rx
    for i, rx in enumerate(cat.signals):
        yield f"guidelines signal {i}", rx
    for rx, cat_, sub in classify._service_aliases():
        yield f"services {cat_}/{sub}", rx
    for kinds in (("signals",), ("weak",), ("signals", "weak")):
        rx, _ = classify._region_pattern(kinds)
        if rx is not None:
            yield f"regions {'+'.join(kinds)}", rx
    yield "statements titles", statements._titles()[0]
    # the detectors that say where the names may start (prefilter.detector); the services'
    # one, like the pharmaceuticals aliases it holds ("\\d+ ?mg" on a run of digits), is
    # only ever given a service's first SERVICE_CLASSIFY_LIMIT (500) characters
    yield "detector guideline anchors", cat.anchor_names.detect  # type: ignore[misc]
    yield "detector guideline sections", catalogue.pool_names(tuple(cat.specs)).detect  # type: ignore[misc]
    yield "detector services", classify._service_detector()[0]


def _parser() -> Any:  # the stdlib's regex parser (sre_parse), without the deprecation warning
    import importlib

    return importlib.import_module("re._parser")


def sample(rx: re.Pattern[str], rng: random.Random) -> str:
    """A string shaped like a match of rx (lookarounds ignored): a random walk of its parse."""
    p = _parser()
    c = importlib_constants()

    def walk(items: object, depth: int = 0) -> str:
        out = []
        for op, av in items:  # type: ignore[attr-defined]
            if op is c.LITERAL:
                out.append(chr(av))
            elif op is c.NOT_LITERAL:
                out.append("x" if chr(av) != "x" else "y")
            elif op is c.ANY:
                out.append("x")
            elif op is c.IN:
                out.append(_one_of(av, c, rng))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
                lo, hi, sub = av
                k = lo if hi == 0 else max(lo, min(hi, rng.choice([1, 1, 2, 3])))
                out.extend(walk(sub, depth + 1) for _ in range(k))
            elif op is c.BRANCH:
                out.append(walk(rng.choice(av[1]), depth + 1))
            elif op is c.SUBPATTERN:
                out.append(walk(av[-1], depth + 1))
            elif op is getattr(c, "ATOMIC_GROUP", None):
                out.append(walk(av, depth + 1))
            elif op is c.GROUPREF_EXISTS:
                out.append(walk(av[1], depth + 1))
        return "".join(out)

    return walk(p.parse(rx.pattern, rx.flags))


def importlib_constants() -> Any:
    import importlib

    return importlib.import_module("re._constants")


def _one_of(items: list, c: Any, rng: random.Random) -> str:
    if items and items[0][0] is c.NEGATE:
        return "~"
    op, av = rng.choice(items)
    if op is c.LITERAL:
        return chr(av)
    if op is c.RANGE:
        return chr(av[0])
    if op is c.CATEGORY:
        name = str(av)
        if "NOT" in name:
            return "x" if "WORD" not in name else "~"
        return "1" if "DIGIT" in name else " " if "SPACE" in name else "x"
    return "x"


FILLERS = [" ", "a", ".", ". ", "1", "a ", "\n", ",", ", ", "(", "-", ":", "/", "and ", "1 "]


def inputs(rx: re.Pattern[str], n: int, seed: int) -> Iterator[tuple[str, str]]:
    """(label, text) adversarial inputs of about n characters for rx."""
    rng = random.Random(seed)
    samples = {sample(rx, rng) for _ in range(6)}
    for s in sorted(samples):
        if not s:
            continue
        for cut in sorted({len(s) - 1, max(1, len(s) // 2), len(s)}):
            head = s[:cut]
            yield f"repeat {head!r}", head * max(1, n // max(1, len(head)))
            for f in FILLERS:
                yield f"{head!r} + {f!r}*", head + f * max(1, (n - len(head)) // len(f))
    for f in FILLERS:
        yield f"{f!r}*", f * (n // len(f))


def _time(rx: re.Pattern[str], text: str) -> float:
    t0 = time.perf_counter()
    for _ in rx.finditer(text):
        pass
    return time.perf_counter() - t0


def scan_pattern(
    rx: re.Pattern[str], small: int = 250, big: int = 2000
) -> list[tuple[str, float, float]]:
    """(input, t_small, t_big) of inputs on which rx grows faster than linearly."""
    bad = []
    tiny = dict(inputs(rx, 24, 0))
    for label, text in tiny.items():  # exponential blow-up shows on short input
        if _time(rx, text) > 0.05:
            bad.append((label + " [24 chars]", _time(rx, text), float("inf")))
    if bad:
        return bad
    big_inputs = dict(inputs(rx, big, 0))
    for label, text in inputs(rx, small, 0):
        if label not in big_inputs:
            continue
        t1 = min(_time(rx, text) for _ in range(3))
        if t1 < 2e-5:
            t1 = 2e-5
        t2 = _time(rx, big_inputs[label])
        if t2 / t1 > 30 and t2 > 2e-3:
            t2 = min(t2, _time(rx, big_inputs[label]))
            if t2 / t1 > 30:
                bad.append((label, t1, t2))
    return bad


def run_scan(only: str | None) -> int:
    found = 0
    for name, rx in all_patterns():
        if only and only not in name:
            continue
        bad = scan_pattern(rx)
        if bad:
            found += 1
            worst = max(bad, key=lambda b: b[2] / b[1])
            print(f"{name}: {len(bad)} input(s) superlinear; worst {worst[0][:70]}: "
                  f"{worst[1]:.5f}s -> {worst[2]:.5f}s (8x input)", flush=True)
    print(f"{found} pattern(s) superlinear")
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scan", action="store_true", help="every pattern on generated inputs")
    ap.add_argument("--only", help="only cases/patterns whose name contains this")
    ap.add_argument("--limit", type=float, default=30.0, help="seconds per case run (30)")
    args = ap.parse_args(argv)
    return run_scan(args.only) if args.scan else run_cases(args.limit, args.only)


if __name__ == "__main__":
    sys.exit(main())
