"""Limits: huge, empty and very many letters are handled in bounded memory."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

from generator.letters.ingest import ingest
from tests.conftest import ROOT, SEED_LETTER

MB = 1024 * 1024


def _peak_mb(fn):
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / MB


def test_ten_megabyte_letter(tmp_path):
    seed = SEED_LETTER.read_text(encoding="utf-8")
    pad = "The claimant reports ongoing neck pain with stiffness.  \n\n" * 185_000
    big = seed.replace("Further clinical imaging", pad + "Further clinical imaging")
    path = tmp_path / "big.txt"
    path.write_text(big, encoding="utf-8")
    assert path.stat().st_size > 10 * MB
    # in a child process, which reports its own peak resident memory; memory is
    # measured here, not time: no time budget (a loaded machine may take over 10 s)
    code = (
        "import resource, sys; from pathlib import Path; "
        "from generator.letters.ingest import ingest; "
        "r = ingest([Path(sys.argv[1])], Path(sys.argv[2]), progress=False, letter_timeout=0); "
        "print(r.entries[0].status, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    assert out[0] == "written"
    assert int(out[1]) < 500, f"peak resident memory {out[1]} MB for a 10 MB letter"


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
