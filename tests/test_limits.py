"""Limits: huge, empty and very many letters are handled in bounded memory."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

from generator.letters.extract import MAX_TEXT_CHARS
from generator.letters.ingest import ingest
from generator.letters.parse import MAX_ITEMS, MAX_STATEMENT, read_guideline_statement
from tests.conftest import ROOT, SEED_LETTER
from tests.helpers import LETTER_FIXTURES

MB = 1024 * 1024


def _peak_mb(fn):
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / MB


def _padded_seed(pad_lines: int) -> str:
    seed = SEED_LETTER.read_text(encoding="utf-8")
    pad = "The claimant reports ongoing neck pain with stiffness.  \n\n" * pad_lines
    return seed.replace("Further clinical imaging", pad + "Further clinical imaging")


def test_ten_megabyte_letter_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(_padded_seed(185_000), encoding="utf-8")
    assert path.stat().st_size > 10 * MB
    # in a child process, which reports its own peak resident memory
    code = (
        "import resource, sys; from pathlib import Path; "
        "from generator.letters.ingest import ingest; "
        "r = ingest([Path(sys.argv[1])], Path(sys.argv[2]), progress=False, letter_timeout=0); "
        "print(r.entries[0].status, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024); "
        "print(r.entries[0].reason)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.splitlines()
    status, peak_mb = out[0].split()
    assert status == "failed"
    assert out[1].startswith("text too long: ") and f"limit {MAX_TEXT_CHARS:,}" in out[1]
    assert int(peak_mb) < 500, f"peak resident memory {peak_mb} MB for a 10 MB letter"


def test_a_long_letter_under_the_limit_is_read_whole(tmp_path):
    text = _padded_seed(1_500)
    assert 0.8 * MAX_TEXT_CHARS < len(text) < MAX_TEXT_CHARS
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    report = ingest([path], tmp_path / "out", progress=False, letter_timeout=0)
    assert report.entries[0].status == "written"
    record = json.loads((tmp_path / "out" / f"{report.entries[0].id}.json").read_text())
    assert record["clinical_summary"].count("ongoing neck pain with stiffness") == 1_500


def test_a_letter_of_more_items_than_a_letter_holds_is_refused(tmp_path):
    letter = (LETTER_FIXTURES / "header-2014" / "h2014-opioids-three-items.txt").read_text()
    line = "Soma 350mg #60 :  Upheld \n"
    assert line in letter
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "many.txt").write_text(letter.replace(line, line * (MAX_ITEMS + 5)))
    (letters / "most.txt").write_text(
        letter.replace(line, line * (MAX_ITEMS - 2)).replace("CM14-0031415", "CM14-0031416")
    )
    report = ingest([letters], tmp_path / "out", progress=False, letter_timeout=0)
    by_name = {Path(e.file).name: e for e in report.entries}
    assert by_name["most.txt"].status == "written"
    record = json.loads((tmp_path / "out" / "CM14-0031416.json").read_text())
    assert len(record["items"]) == MAX_ITEMS
    many = by_name["many.txt"]
    assert many.status == "failed"
    assert f"{MAX_ITEMS + 7} disputed items" in many.reason and "several letters" in many.reason
    many_lines = (letters / "many.txt").read_text().split("\n")
    assert many_lines[many.line - 1] == line.rstrip("\n")  # names an item line


def test_oversized_file_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(25 * MB)
    report = ingest([path], tmp_path / "out", progress=False)
    assert report.entries[0].status == "failed"
    assert "refused" in report.entries[0].reason


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    report = ingest([path], tmp_path / "out", progress=False)
    assert (report.entries[0].status, report.entries[0].reason) == ("failed", "empty file")


def test_directory_of_ten_thousand_files(tmp_path):
    letters = tmp_path / "letters"
    letters.mkdir()
    for i in range(10_000):
        (letters / f"note-{i:05d}.txt").write_text(f"Not a letter, number {i}.\n")
    for i in range(3):
        shutil.copy(SEED_LETTER, letters / f"seed-{i}.txt")
    report, peak = _peak_mb(lambda: ingest([letters], tmp_path / "out", progress=False))
    assert len(report.entries) == 10_003
    assert report.count("failed") == 10_000 + 2  # the two copies repeat the first one's id
    assert report.count("written") == 1
    assert peak < 200, f"peak {peak:.0f} MB"
    assert len(list(Path(tmp_path / "out").glob("[!.]*.json"))) == 1


def test_citations_of_an_overlong_guideline_statement_are_read_from_its_start():
    cited = "MTUS Chronic Pain Medical Treatment Guidelines, NSAIDs Page(s): 67-68. "
    late = "ODG Knee & Leg (Acute & Chronic), MRI."
    filler = "The records were reviewed in full. " * (MAX_STATEMENT // 35)
    cits, _, warnings = read_guideline_statement(cited + filler + late)
    assert [c.key for c in cits] == ["mtus-cpmtg/nsaids"]
    assert warnings[0].startswith(f"statement of {len(cited + filler + late):,} characters")
    # under the cap, the same statement is read whole
    cits, _, warnings = read_guideline_statement(cited + late)
    assert [c.guideline for c in cits] == ["mtus-cpmtg", "odg"] and not warnings
