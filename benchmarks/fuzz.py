"""Seeded mutation fuzzer for the letter reader (issue 17).

    .venv/bin/python benchmarks/fuzz.py --n 20000 --pdf 400 --seed 1
    .venv/bin/python benchmarks/fuzz.py --case text:1:4242 --save /tmp/case   # one case again

Mutates the bundled letters (content/letters/, tests/fixtures/letters/) and PDFs it
makes itself (fuzz_cases.py, fuzz_pdf.py), runs each file through the ingest path
(`ingest._parse_one`: extract.read_letter + parse_letter, then the record as the writer
serializes it) in worker processes with a per-letter time limit, and prints the
count of each outcome, the slowest letters, peak memory, and every record that
breaks a rule. Exit status 1 on any unexpected exception, hang, crash, letter over
--slow seconds, or rule breach.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import logging
import multiprocessing
import os
import re
import resource
import signal
import sys
import tempfile
import time
import traceback
import warnings
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [p for p in (str(HERE), str(HERE.parent)) if p not in sys.path]

from fuzz_cases import Case, make_case, parse_spec  # noqa: E402

MEMORY_LIMIT = 3 * 1024**3  # address space of a worker: a bomb fails, it does not swap
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ASCII_ID = re.compile(r"^(CM[0-9]{2}-[0-9]{7}|imr-[0-9a-f]{16})$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


# --- the rules every record keeps ----------------------------------------------------


# C0 and C1 controls (category Cc) but newline and tab, and the bidi marks
INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI)) + "]")


def _strings(value, where: str = ""):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{where}.{k}" if where else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]")


def check_dates(dates: dict) -> list[str]:
    out = []
    decision = dates.get("decision")
    for name, value in dates.items():
        if value is None:
            continue
        if not ISO_DATE.match(value):
            out.append(f"dates.{name} {value!r} is not ASCII digits")
            continue
        d = dt.date.fromisoformat(value)
        if d < dt.date(1950, 1, 1):
            out.append(f"dates.{name} {value} is before 1950")
        if name == "decision" and not 2000 <= d.year <= 2100:
            out.append(f"dates.decision {value} is outside 2000-2100")
        if decision and ISO_DATE.match(decision):
            limit = dt.date.fromisoformat(decision) + dt.timedelta(days=366)
            if d > limit:
                out.append(f"dates.{name} {value} is over a year after the decision {decision}")
        elif d.year > 2101:
            out.append(f"dates.{name} {value} is after 2101")
    return out


def check_record(data: dict, text: str) -> list[str]:
    """The rules of issue 17 a record (as written, a JSON dict) breaks; [] if none."""
    out = []
    if not ASCII_ID.match(data["id"]):
        out.append(f"id {data['id']!r} is not CM##-####### or imr-<hex> in ASCII")
    case = data.get("case_number")
    if case is not None:
        if not ASCII_ID.match(case) or not case.startswith("CM"):
            out.append(f"case_number {case!r} is not CM##-####### in ASCII")
        visible = INVISIBLE.sub("", text)
        if not re.search(re.escape(case) + r"(?![0-9])", visible, re.I):
            out.append(f"case_number {case} is not printed whole in the letter (cut?)")
    out += check_dates(data.get("dates") or {})
    year = data.get("year")
    if year is not None and not 2000 <= year <= 2100:
        out.append(f"year {year} outside 2000-2100")
    age = (data.get("patient") or {}).get("age")
    if age is not None and not 1 <= age <= 110:
        out.append(f"patient.age {age} outside 1-110")
    for where, s in _strings(data):
        bad = sorted({f"U+{ord(c):04X}" for c in FORBIDDEN.findall(s)})
        if bad:
            out.append(f"{where} holds control/bidi character(s) {', '.join(bad[:5])}")
    for i, item in enumerate(data.get("items") or []):
        if not any(c.isalnum() for c in item.get("service", "")):
            out.append(f"items[{i}].service {item.get('service')!r} has no letter or digit")
    return out


# --- one case, in a worker ------------------------------------------------------------


class CaseTimeout(BaseException):  # not caught by the reader's `except Exception`
    pass


def _on_alarm(signum, frame):
    raise CaseTimeout("per-letter time limit reached")


def _tb_summary(e: BaseException, frames: int = 4) -> str:
    tb = traceback.extract_tb(e.__traceback__)[-frames:]
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(tb))
    msg = " ".join(str(e).split())[:160]
    return f"{type(e).__name__}: {msg} at {where}"


def run_file(path: Path, shown: str) -> dict:
    """Outcome of one letter file through the ingest path: record / failed / unexpected."""
    import json

    from generator.letters import extract, ingest
    from generator.record.models import Determination
    from generator.record.store import to_json

    parsed = ingest._parse_one((path, shown))
    if isinstance(parsed, ingest.Entry):
        if not (parsed.reason or "").startswith("unexpected error"):
            return {"outcome": "failed", "reason": parsed.reason or ""}
        try:  # once more outside ingest's last-resort catch, for the traceback
            text, sha, _ = extract.read_letter(path)
            ingest.parse_letter(text, shown, sha256=sha)
        except Exception as e:
            return {"outcome": "unexpected", "reason": _tb_summary(e)}
        return {"outcome": "unexpected", "reason": parsed.reason}
    record, _ = parsed
    try:  # what ingest's writer does with it: JSON, UTF-8, and it must load again
        written = to_json(record)
        written.encode("utf-8")
        Determination.model_validate_json(written)
    except Exception as e:
        return {"outcome": "unexpected", "reason": "writing the record: " + _tb_summary(e)}
    return {"outcome": "record", "record": json.loads(written)}


def run_case(case: Case, tmp: Path, timeout: float) -> dict:
    path = tmp / f"fuzz-{case.kind}-{case.index}{case.suffix}"
    path.write_bytes(case.data)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        result = run_file(path, path.name)
    except CaseTimeout as e:
        result = {"outcome": "hang", "reason": _tb_summary(e, 6)}
    except Exception as e:  # the harness itself
        result = {"outcome": "unexpected", "reason": "harness: " + _tb_summary(e)}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    result["seconds"] = time.perf_counter() - t0  # the reader's time, not the checks'
    result["cpu_seconds"] = time.process_time() - c0  # the same, unaffected by the machine's load
    if "record" in result:
        from generator.letters.extract import read_letter

        result["breaches"] = check_record(result.pop("record"), read_letter(path)[0])
    path.unlink(missing_ok=True)
    return result


def _warm_up() -> None:
    """Import the reader and parse one letter, so no case's time includes start-up."""
    from fuzz_cases import seed_letters

    from generator.letters.parse import parse_letter

    for name, text in seed_letters()[:3]:
        with contextlib.suppress(Exception):
            parse_letter(text, name)


def _worker(conn: Connection, timeout: float) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.signal(signal.SIGALRM, _on_alarm)
    logging.disable(logging.CRITICAL)  # pypdf and fpdf2 log every repair they make
    warnings.simplefilter("ignore")
    _warm_up()
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        while True:
            spec = conn.recv()
            if spec is None:
                return
            t0 = time.perf_counter()
            try:
                case = make_case(*parse_spec(spec))
            except Exception as e:
                conn.send({"spec": spec, "outcome": "unexpected", "seconds": 0.0,
                           "reason": "making the case: " + _tb_summary(e), "describe": spec})
                continue
            made = time.perf_counter() - t0
            result = run_case(case, Path(tmp), timeout)
            result.update(spec=spec, describe=case.describe, make_seconds=made,
                          rss_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            conn.send(result)


# --- the pool: a worker that overruns is killed and replaced -----------------------------


class _Slot:
    def __init__(self, ctx, timeout: float):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, timeout), daemon=True)
        self.proc.start()
        child.close()
        self.spec: str | None = None
        self.started = 0.0

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


def run_specs(specs: list[str], jobs: int, timeout: float, progress: bool = False):
    """Yield one result dict per spec (any order), killing workers that overrun."""
    ctx = multiprocessing.get_context("spawn")
    slots = [_Slot(ctx, timeout) for _ in range(max(1, min(jobs, len(specs))))]
    todo = collections.deque(specs)
    done = 0
    try:
        while todo or any(s.spec for s in slots):
            for s in slots:
                if s.spec is None and todo:
                    s.spec, s.started = todo.popleft(), time.monotonic()
                    s.conn.send(s.spec)
            busy = {s.conn: s for s in slots if s.spec}
            for conn in wait(list(busy), timeout=0.5):
                s = busy[conn]
                try:
                    result = conn.recv()
                except (EOFError, OSError):  # the worker died: a crash (or the memory limit)
                    code = s.proc.exitcode
                    result = {"spec": s.spec, "outcome": "crash", "seconds": time.monotonic()
                              - s.started, "reason": f"worker died (exit code {code})"}
                    slots[slots.index(s)] = _replace(s, ctx, timeout, kill=True)
                else:
                    s.spec = None
                done += 1
                yield result
            for i, s in enumerate(slots):  # the hard limit: a hang inside C code
                if s.spec and time.monotonic() - s.started > timeout + 10:
                    result = {"spec": s.spec, "outcome": "hang", "seconds": time.monotonic()
                              - s.started, "reason": "killed after the hard time limit"}
                    slots[i] = _replace(s, ctx, timeout, kill=True)
                    done += 1
                    yield result
            if progress:
                print(f"\r{done}/{len(specs)}", end="", file=sys.stderr, flush=True)
    finally:
        for s in slots:
            s.stop(kill=bool(s.spec))
        if progress:
            print(file=sys.stderr)


def _replace(slot: _Slot, ctx, timeout: float, kill: bool) -> _Slot:
    slot.stop(kill=kill)
    return _Slot(ctx, timeout)


# --- the summary -----------------------------------------------------------------------


def reason_kind(reason: str) -> str:
    """A failure reason without its particulars (quoted text, numbers), to count kinds."""
    kind = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", " ".join(reason.split()))
    kind = re.sub(r"\d[\d,.]*", "N", kind)
    kind = re.sub(r"\(.*", "(…)", kind) if "invalid record" in kind else kind
    return kind[:110]


def breach_kind(breach: str) -> str:
    kind = re.sub(r"\[\d+\]", "[]", breach)
    kind = re.sub(r"character\(s\) .*", "character(s)", kind)
    kind = re.sub(r"^(dates\.\w+) \S+", r"\1 <date>", kind)
    kind = re.sub(r"decision \S+$", "decision", kind)
    return reason_kind(kind)


def _hang_place(reason: str) -> str:
    """The two innermost frames of the reader a hang was stopped in."""
    frames = [f for f in reason.partition(" at ")[2].split(" <- ") if "fuzz.py" not in f]
    return " <- ".join(re.sub(r":\d+", "", f) for f in frames[:2]) or reason


@dataclass
class Summary:
    total: int = 0
    outcomes: collections.Counter = field(default_factory=collections.Counter)
    failed: collections.Counter = field(default_factory=collections.Counter)
    unexpected: dict[str, list[str]] = field(default_factory=dict)  # kind -> specs
    hangs: list[tuple[str, str, float]] = field(default_factory=list)
    crashes: list[tuple[str, str]] = field(default_factory=list)
    breaches: dict[str, list[str]] = field(default_factory=dict)  # breach kind -> specs
    slow: list[tuple[float, str, str]] = field(default_factory=list)  # (seconds, spec, describe)
    slowest: tuple[float, str, str] = (0.0, "", "")  # by the clock the limit is judged on
    slowest_wall: tuple[float, str, str] = (0.0, "", "")
    clock: str = "cpu"
    peak_rss_kb: int = 0
    peak_spec: str = ""
    seconds: float = 0.0

    def add(self, r: dict, slow_limit: float) -> None:
        self.total += 1
        outcome, spec, wall = r["outcome"], r["spec"], r.get("seconds", 0.0)
        secs = r.get("cpu_seconds", wall) if self.clock == "cpu" else wall
        self.outcomes[outcome] += 1
        described = r.get("describe", spec)
        if outcome == "failed":
            self.failed[reason_kind(r["reason"])] += 1
        elif outcome == "unexpected":
            self.unexpected.setdefault(r["reason"], []).append(spec)
        elif outcome == "hang":
            self.hangs.append((spec, r["reason"], secs))
        elif outcome == "crash":
            self.crashes.append((spec, r["reason"]))
        for b in r.get("breaches", []):
            self.breaches.setdefault(breach_kind(b), []).append(f"{spec}: {b}")
        if secs > slow_limit and outcome != "hang":
            self.slow.append((secs, spec, described))
        if secs > self.slowest[0]:
            self.slowest = (secs, spec, described)
        if wall > self.slowest_wall[0]:
            self.slowest_wall = (wall, spec, described)
        if r.get("rss_kb", 0) > self.peak_rss_kb:
            self.peak_rss_kb, self.peak_spec = r["rss_kb"], spec

    @property
    def ok(self) -> bool:
        return not (self.unexpected or self.hangs or self.crashes or self.breaches or self.slow)

    def lines(self, show: int = 5) -> list[str]:
        out = [f"{self.total} files in {self.seconds:.0f} s: "
               + ", ".join(f"{n} {k}" for k, n in self.outcomes.most_common())]
        out.append(f"failed, by reason ({len(self.failed)} kinds):")
        out += [f"  {n:6d}  {k}" for k, n in self.failed.most_common()]
        out.append(f"unexpected exceptions: {sum(map(len, self.unexpected.values()))}")
        for kind, specs in self.unexpected.items():
            out.append(f"  {len(specs):6d}  {kind}  e.g. {', '.join(specs[:show])}")
        out.append(f"hangs (over the per-letter limit): {len(self.hangs)}, by where they were:")
        where = collections.Counter(_hang_place(why) for _, why, _ in self.hangs)
        out += [f"  {n:6d}  {w}" for w, n in where.most_common()]
        out += [f"  {spec} after {s:.1f} s: {why}" for spec, why, s in self.hangs[:show * 4]]
        out.append(f"crashed workers: {len(self.crashes)}")
        out += [f"  {spec}: {why}" for spec, why in self.crashes[:show]]
        out.append(f"rule breaches: {sum(map(len, self.breaches.values()))}")
        for kind, found in self.breaches.items():
            out.append(f"  {len(found):6d}  {kind}")
            out += [f"          {f}" for f in found[:show]]
        out.append(f"letters over the time limit ({self.clock} time): {len(self.slow)}")
        out += [f"  {s:7.2f} s  {d}" for s, _, d in sorted(self.slow, reverse=True)[:show * 2]]
        out.append(f"slowest letter ({self.clock} time): {self.slowest[0]:.3f} s  "
                   f"{self.slowest[2]}")
        out.append(f"slowest letter (wall time): {self.slowest_wall[0]:.3f} s  "
                   f"{self.slowest_wall[2]}")
        out.append(f"peak memory of a worker: {self.peak_rss_kb / 1024:.0f} MiB (ru_maxrss), "
                   f"reached at {self.peak_spec}")
        return out


def specs_for(n: int, pdf: int, seed: int) -> list[str]:
    return [f"text:{seed}:{i}" for i in range(n)] + [f"pdf:{seed}:{i}" for i in range(pdf)]


def fuzz(n: int, pdf: int, seed: int, *, jobs: int = 1, timeout: float = 10.0,
         slow: float = 1.0, progress: bool = False, clock: str = "cpu") -> Summary:
    summary = Summary(clock=clock)
    t0 = time.perf_counter()
    for result in run_specs(specs_for(n, pdf, seed), jobs, timeout, progress):
        summary.add(result, slow)
    summary.seconds = time.perf_counter() - t0
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="mutated text letters (2000)")
    ap.add_argument("--pdf", type=int, default=100, help="PDFs (100)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=10.0, help="per-letter limit, s (10)")
    ap.add_argument("--slow", type=float, default=1.0, help="a letter over this fails (1 s)")
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                    help="judge --slow on the worker's CPU time (default: the machine's load "
                         "does not count) or on wall time")
    ap.add_argument("--show", type=int, default=5, help="examples per kind")
    ap.add_argument("--case", help="run one case only, e.g. text:1:42 (and print its outcome)")
    ap.add_argument("--save", type=Path, help="with --case: write the case's file into DIR")
    args = ap.parse_args(argv)
    if args.case:
        case = make_case(*parse_spec(args.case))
        print(case.describe)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            target = args.save / f"{case.spec.replace(':', '-')}{case.suffix}"
            target.write_bytes(case.data)
            print(f"wrote {target}")
        results = list(run_specs([args.case], 1, args.timeout))
        print(results[0])
        return 0
    summary = fuzz(args.n, args.pdf, args.seed, jobs=args.jobs, timeout=args.timeout,
                   slow=args.slow, progress=sys.stderr.isatty(), clock=args.clock)
    print(f"fuzz: --n {args.n} --pdf {args.pdf} --seed {args.seed} --jobs {args.jobs}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")
    print("\n".join(summary.lines(args.show)))
    return 0 if summary.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
