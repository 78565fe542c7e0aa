"""Reader accuracy: ingest a folder of letters and score the records against a truth file.

    python benchmarks/accuracy.py ../shared/real-letters/pdf ../shared/real-letters/truth.json
    python benchmarks/accuracy.py LETTERS TRUTH --show 20      # also list 20 misses a field
    python benchmarks/accuracy.py LETTERS TRUTH --check        # exit 1 below the bars
    python benchmarks/accuracy.py LETTERS TRUTH --records DIR  # keep the records

The truth file has the schema of ../shared/real-letters/truth.json (its README):
one entry per letter file, keyed by file name. Records are matched to letters by
their source file. Prints, per field, how many letters (or items) the reader got
right, and citation precision and recall.

A citation is compared as (guideline, chapter or section, pages): the guideline
(ACOEM 2004, ACOEM 2007 elbow, CPMTG, the 2016 opioid, acupuncture and
postsurgical guidelines, ODG, ACOEM outside the MTUS, other), the ACOEM chapter or
ODG chapter where the letter names one, and the pages where it prints them. The
`Section(s):` topic words are not compared (they are kept verbatim in `topic`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.letters.ingest import ingest  # noqa: E402
from generator.record import taxonomy  # noqa: E402
from generator.record.models import Citation, Determination  # noqa: E402
from generator.record.store import load_records  # noqa: E402

# The bars of the real-letters issue: field -> least share right.
BARS = {
    "records": 1.0,
    "decision": 1.0,
    "reviewer specialties": 0.99,
    "licensed states": 0.99,
    "service": 0.98,
    "dates": 1.0,
    "age": 1.0,
    "sex": 1.0,
    "mtus_applied": 0.99,
    "citation precision": 0.97,
    "citation recall": 0.97,
    "body regions": 0.90,
}

# ODG chapter names as the truth writes them -> our catalogue's ODG section ids.
ODG_CHAPTERS = {
    "Low Back - Lumbar & Thoracic (Acute & Chronic)": "low-back",
    "Neck and Upper Back (Acute & Chronic)": "neck-and-upper-back",
    "Shoulder (Acute & Chronic)": "shoulder",
    "Knee & Leg (Acute & Chronic)": "knee-leg",
    "Hip & Pelvis (Acute & Chronic)": "hip-pelvis",
    "Forearm, Wrist, & Hand (Acute & Chronic)": "forearm-wrist-hand",
    "Elbow (Acute & Chronic)": "elbow",
    "Ankle & Foot (Acute & Chronic)": "ankle-foot",
    "Carpal Tunnel Syndrome (Acute & Chronic)": "carpal-tunnel-syndrome",
    "Hernia (Acute & Chronic)": "hernia",
    "Head (trauma, headaches, etc., not including stress & mental disorders)": "head",
    "Pain (Chronic)": "pain-chronic",
    "Mental Illness & Stress": "mental-illness-stress",
    "Fitness For Duty": "fitness-for-duty",
    "Preface": "preface",
}
# ACOEM 3rd edition chapters (cited outside the MTUS) -> acoem-mtus-2017 section ids.
ACOEM_3RD = {
    "Low Back Disorders": "low-back-disorders",
    "Hip and Groin Disorders": "hip-and-groin-disorders",
}
GUIDELINE_OF_SOURCE = {
    "MTUS CPMTG": "mtus-cpmtg",
    "MTUS Opioids 2016": "mtus-opioids-2016",
    "MTUS Postsurgical": "mtus-postsurgical",
    "MTUS Acupuncture": "mtus-acupuncture",
    "other": "other",
    "peer-reviewed": "peer-reviewed",
}
SECTIONED = {"acoem-2004", "odg", "acoem-mtus-2017"}  # guidelines compared by chapter

CitationId = tuple[str, str | None, str | None]


def _pages(p: str | None) -> str | None:
    return re.sub(r"\s+", "", p) if p else None


def truth_citation(c: dict) -> CitationId:
    src, chapter, title = c["source"], c.get("chapter_number"), c.get("chapter_title")
    section: str | None = None
    if src in GUIDELINE_OF_SOURCE:
        guideline = GUIDELINE_OF_SOURCE[src]
    elif src == "MTUS ACOEM" and c.get("edition_year") == 2007:
        guideline = "acoem-2007-elbow"
    elif src == "MTUS ACOEM" or (src == "ACOEM (non-MTUS)" and chapter):
        guideline, section = "acoem-2004", f"ch-{chapter:02d}" if chapter else None
    elif src == "ACOEM (non-MTUS)":
        guideline, section = "acoem-mtus-2017", ACOEM_3RD.get(title or "")
    elif src == "ODG":
        guideline, section = "odg", ODG_CHAPTERS.get(title) if title else None
    else:
        raise SystemExit(f"truth: unknown citation source {src!r}")
    return guideline, section, _pages(c.get("pages"))


def record_citation(c: Citation) -> CitationId:
    section = c.key.split("/", 1)[1] if "/" in c.key and c.guideline in SECTIONED else None
    return c.guideline, section, _pages(c.pages)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _states(names: Iterable[str]) -> list[str]:
    codes = {name.casefold(): code for code, name in taxonomy.states().items()}
    return [codes.get(n.strip().casefold(), n) for n in names]


@dataclass
class Score:
    right: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    misses: dict[str, list[str]] = field(default_factory=dict)
    cite: Counter = field(default_factory=Counter)  # tp, ours, truth

    def check(self, name: str, ok: bool, where: str, got: object = None, want: object = None):
        self.total[name] += 1
        if ok:
            self.right[name] += 1
        else:
            self.misses.setdefault(name, []).append(f"{where}: got {got!r}, want {want!r}")

    def share(self, name: str) -> float:
        if name == "citation precision":
            return self.cite["tp"] / max(self.cite["ours"], 1)
        if name == "citation recall":
            return self.cite["tp"] / max(self.cite["truth"], 1)
        return self.right[name] / max(self.total[name], 1)


def score_letter(s: Score, name: str, t: dict, r: Determination) -> None:
    where = name
    s.check(
        "case number", r.case_number == t["case_number"], where, r.case_number, t["case_number"]
    )
    dates = {k: v for k, v in t["dates"].items() if k != "letter"}
    got = {k: (getattr(r.dates, k).isoformat() if getattr(r.dates, k) else None) for k in dates}
    s.check("dates", got == dates, where, got, dates)
    s.check("year", r.year == t["letter_year"], where, r.year, t["letter_year"])
    s.check("age", r.patient.age == t["patient_age"], where, r.patient.age, t["patient_age"])
    s.check("sex", r.patient.sex == t["patient_sex"], where, r.patient.sex, t["patient_sex"])
    s.check("priority", r.priority == t["priority"], where, r.priority, t["priority"])
    want_spec = [_norm(x) for x in t["reviewer"]["specialties"]]
    s.check(
        "reviewer specialties",
        r.reviewer.specialties == want_spec,
        where,
        r.reviewer.specialties,
        want_spec,
    )
    want_states = _states(t["reviewer"]["licensed_states"])
    s.check(
        "licensed states",
        r.reviewer.licensed_states == want_states,
        where,
        r.reviewer.licensed_states,
        want_states,
    )
    want_regions = sorted(x.replace("_", "-") for x in t["body_regions"])
    s.check(
        "body regions",
        sorted(r.body_regions) == want_regions,
        where,
        sorted(r.body_regions),
        want_regions,
    )
    want_dx = [_norm(d).casefold() for d in t["diagnoses"]]
    got_dx = [_norm(d).casefold() for d in r.diagnoses]
    s.check("diagnoses", got_dx == want_dx, where, r.diagnoses, t["diagnoses"])
    s.check("item count", len(r.items) == len(t["items"]), where, len(r.items), len(t["items"]))
    for i, ti in enumerate(t["items"]):
        ri = r.items[i] if i < len(r.items) else None
        w = f"{name} item {i + 1}"
        s.check(
            "service",
            ri is not None and _norm(ri.service) == _norm(ti["service_text"]),
            w,
            ri and ri.service,
            ti["service_text"],
        )
        s.check(
            "decision",
            ri is not None and ri.decision == ti["decision"],
            w,
            ri and ri.decision,
            ti["decision"],
        )
        want_cat = ti["category"].replace("_", "-")
        s.check(
            "category", ri is not None and ri.category == want_cat, w, ri and ri.category, want_cat
        )
        want_mtus = ti["mtus_applied_by_reviewer"]
        got_mtus = ri.reviewer_guideline.mtus_applied if ri else "missing"
        s.check("mtus_applied", got_mtus == want_mtus, w, got_mtus, want_mtus)
        for side, truth_key in (
            ("reviewer", "reviewer_citations"),
            ("claims administrator", "claims_administrator_citations"),
        ):
            want = Counter(truth_citation(c) for c in ti[truth_key])
            cites = (
                []
                if ri is None
                else (
                    ri.reviewer_guideline.citations
                    if side == "reviewer"
                    else ri.claims_administrator.citations
                )
            )
            got_c = Counter(record_citation(c) for c in cites)
            tp = sum((want & got_c).values())
            s.cite.update(tp=tp, ours=sum(got_c.values()), truth=sum(want.values()))
            s.check(
                f"{side} citations",
                want == got_c,
                w,
                sorted(got_c.elements(), key=str),
                sorted(want.elements(), key=str),
            )


def score(records: dict[str, Determination], truth: dict[str, dict], s: Score) -> Score:
    for name, t in sorted(truth.items()):
        r = records.get(name)
        s.check("records", r is not None, name, None, "a record")
        if r is not None:
            score_letter(s, name, t, r)
    return s


def read_records(
    letters: Path, out: Path, jobs: int | None
) -> tuple[dict[str, Determination], list]:
    kwargs = {"jobs": jobs} if jobs else {}
    report = ingest([letters], out, progress=False, **kwargs)
    by_file = {}
    for record in load_records(out)[0]:
        if record.source is not None:
            by_file[Path(record.source.path).name] = record
    failed = [e for e in report.entries if e.status == "failed"]
    return by_file, failed


def print_table(s: Score, show: int, out: Callable[[str], None] = print) -> list[str]:
    below = []
    names = list(dict.fromkeys([*s.total, "citation precision", "citation recall"]))
    for name in names:
        share = s.share(name)
        bar = BARS.get(name)
        flag = "" if bar is None else ("  ok" if share >= bar else f"  BELOW {bar:.0%}")
        if bar is not None and share < bar:
            below.append(name)
        if name.startswith("citation "):
            n = s.cite["ours" if name.endswith("precision") else "truth"]
            out(f"{name:24} {share:7.2%}  ({s.cite['tp']} of {n}){flag}")
        else:
            out(f"{name:24} {share:7.2%}  ({s.right[name]} of {s.total[name]}){flag}")
    if show:
        for name, misses in s.misses.items():
            out(f"\n-- {name}: {len(misses)} wrong")
            for m in misses[:show]:
                out(f"   {m}")
    return below


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("letters", type=Path, help="folder of letters (.pdf/.txt)")
    ap.add_argument("truth", type=Path, help="truth.json")
    ap.add_argument("--records", type=Path, help="write the records here (default: a temp folder)")
    ap.add_argument("--jobs", type=int, default=None, help="ingest processes (default: ingest's)")
    ap.add_argument("--show", type=int, default=0, metavar="N", help="list N misses per field")
    ap.add_argument("--check", action="store_true", help="exit 1 when a field is below its bar")
    ap.add_argument(
        "--floor",
        type=Path,
        metavar="JSON",
        help="exit 1 when a field falls below the share this file gives it "
        "(a guard against regressions while a bar is not reached yet)",
    )
    args = ap.parse_args(argv)
    truth = {
        k: v
        for k, v in json.loads(args.truth.read_text(encoding="utf-8")).items()
        if not k.startswith("_")
    }
    with tempfile.TemporaryDirectory() as tmp:
        out = args.records or Path(tmp) / "records"
        t0 = time.perf_counter()
        records, failed = read_records(args.letters, out, args.jobs)
        seconds = time.perf_counter() - t0
    print(f"{len(truth)} letters in the truth, {len(records)} records read in {seconds:.1f} s")
    for e in failed:
        print(f"  failed: {e.file}: {e.reason}")
    s = score(records, truth, Score())
    below = print_table(s, args.show)
    if below:
        print(f"\nbelow the bar: {', '.join(below)}")
    fell = []
    if args.floor:
        floors = json.loads(args.floor.read_text(encoding="utf-8"))
        fell = [f"{k} {s.share(k):.2%} < {v:.2%}" for k, v in floors.items() if s.share(k) < v]
        print(
            "below the floor: " + "; ".join(fell)
            if fell
            else f"every field at or above {args.floor}"
        )
    return 1 if (args.check and below) or fell else 0


if __name__ == "__main__":
    raise SystemExit(main())
