"""The bundled content: records are valid, fresh, and every citation is recognized."""

from __future__ import annotations

import json
from pathlib import Path

from generator.letters.citations import unrecognized
from generator.letters.ingest import ingest
from generator.letters.synth import synth_letter
from generator.record.store import load_records
from tests.conftest import ROOT

CONTENT = ROOT / "content"


def test_bundled_records_are_valid():
    records, errors = load_records(CONTENT / "records")
    assert errors == []
    assert len(records) >= 300
    real = [r for r in records if not r.synthetic]
    assert [r.source.path for r in real] == ["content/letters/seed-letter.txt"]


def test_bundled_records_match_their_letters(tmp_path, monkeypatch):
    """Committed records are what ingest makes of the committed letters (or hand corrections)."""
    monkeypatch.chdir(ROOT)
    out = tmp_path / "records"
    report = ingest([CONTENT / "letters"], out, progress=False)
    assert report.ok, report.summary_text()
    manifest = json.loads((CONTENT / "records" / ".ingest-manifest.json").read_text())
    fresh = {p.name: p.read_text(encoding="utf-8") for p in out.glob("[!.]*.json")}
    committed = {
        p.name: p.read_text(encoding="utf-8") for p in (CONTENT / "records").glob("[!.]*.json")
    }
    assert sorted(fresh) == sorted(committed)
    stale = [
        name
        for name, text in fresh.items()
        if committed[name] != text
        and Path(name).stem in manifest  # hand edits are allowed
        and __import__("hashlib").sha256(committed[name].encode()).hexdigest()
        == manifest[Path(name).stem]
    ]
    assert stale == [], (
        "records out of date: run imr-archive ingest content/letters --out content/records"
    )


def test_synthetic_letters_are_the_generators_output():
    for path in sorted((CONTENT / "letters" / "synthetic").glob("*.txt"))[:20]:
        index = int(path.stem.split("-")[1])
        name, text = synth_letter(index)
        assert name == path.name
        assert path.read_text(encoding="utf-8") == text


def test_no_unrecognized_citations_in_bundled_content():
    records, _ = load_records(CONTENT / "records")
    assert unrecognized(records) == []
