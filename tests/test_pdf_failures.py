"""Issue 17: no PDF (or reader failure) can abort, hang or corrupt an ingest.

Every bad PDF here is built by the test itself, ingested beside a good letter:
the run finishes, the good letter's record is written, each bad file is one
`failed` entry with a reason a person can act on, and the report is written.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import errors as pypdf_errors

from generator.cli import main
from generator.letters import extract
from generator.letters.extract import valid_unicode
from generator.letters.ingest import ingest
from generator.record.store import write_record

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "letters"
GOOD = FIXTURES / "header-2014" / "h2014-opioids-three-items.txt"
GOOD_ID = "CM14-0031415"


def _pdf_bytes(lines: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    for line in lines:
        text = line.encode("latin-1", "replace").decode("latin-1")
        pdf.cell(0, 4, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _letter_pdf() -> bytes:
    """The good fixture letter as a one-page PDF with real text."""
    text = GOOD.read_text(encoding="utf-8").replace("\f", "")
    return _pdf_bytes([ln.strip() for ln in text.splitlines() if ln.strip()])


def _encrypted(data: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, owner_password="owner-only", algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _garbled(data: bytes) -> bytes:
    out = bytearray(data)
    for i in range(200, len(out) - 100, 7):
        out[i] ^= 0x55
    return bytes(out)


def _image_only() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(40, 40, 40)
    pdf.rect(20, 20, 100, 60, style="F")  # a drawing, no text at all
    return bytes(pdf.output())


def _run(tmp_path: Path, bad: dict[str, bytes]) -> tuple[dict, dict]:
    """Ingest `bad` files beside the good letter through the CLI; (report json, by file)."""
    letters = tmp_path / "content" / "letters"
    letters.mkdir(parents=True)
    shutil.copy(GOOD, letters / "good.txt")
    for name, data in bad.items():
        (letters / name).write_bytes(data)
    out = tmp_path / "content" / "records"
    result = CliRunner().invoke(main, ["ingest", str(letters), "--out", str(out), "--no-progress"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    report = json.loads((tmp_path / "content" / "ingest-report.json").read_text())
    by_file = {Path(e["file"]).name: e for e in report["entries"]}
    assert by_file["good.txt"]["status"] == "written"
    assert (out / f"{GOOD_ID}.json").is_file()
    return report, by_file


BAD_PDFS = {
    "encrypted.pdf": (
        lambda: _encrypted(_letter_pdf(), "secret"),
        "encrypted with an unsupported method or an unknown password",
    ),
    "truncated.pdf": (lambda: _letter_pdf()[:1200], "damaged PDF: "),
    "garbled.pdf": (lambda: _garbled(_letter_pdf()), "damaged PDF: "),
    "empty.pdf": (lambda: b"", "empty file"),
    "image-only.pdf": (_image_only, "no extractable text"),
}


def test_each_bad_pdf_is_one_failed_entry_and_the_run_goes_on(tmp_path):
    report, by_file = _run(tmp_path, {name: make() for name, (make, _) in BAD_PDFS.items()})
    assert report["summary"] == {
        "written": 1, "unchanged": 0, "conflict": 0, "failed": len(BAD_PDFS),
    }
    for name, (_, reason) in BAD_PDFS.items():
        entry = by_file[name]
        assert entry["status"] == "failed" and reason in entry["reason"], (name, entry)
        assert "Traceback" not in entry["reason"]
    records = sorted(p.name for p in (tmp_path / "content" / "records").glob("[!.]*"))
    assert records == [f"{GOOD_ID}.json"]


def test_pdf_encrypted_with_an_empty_user_password_reads(tmp_path):
    """Published letters are often AES-encrypted with an empty user password."""
    data = _encrypted(_letter_pdf(), "")
    (tmp_path / "letter.pdf").write_bytes(data)
    report = ingest([tmp_path / "letter.pdf"], tmp_path / "out", progress=False)
    [entry] = report.entries
    assert entry.status == "written", entry.reason
    record = json.loads((tmp_path / "out" / f"{GOOD_ID}.json").read_text(encoding="utf-8"))
    assert [i["service"] for i in record["items"]][:2] == ["Norco 10/325mg #120", "Soma 350mg #60"]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (RuntimeError("boom"), "unexpected error: RuntimeError: boom"),
        (LookupError(), "unexpected error: LookupError: LookupError"),
    ],
)
def test_unexpected_reader_exception_is_reported_not_fatal(tmp_path, monkeypatch, error, reason):
    def broken(data: bytes, limit: int = 0) -> str:
        raise error

    monkeypatch.setattr(extract, "pdf_text", broken)
    report, by_file = _run(tmp_path, {"odd.pdf": _letter_pdf()})
    assert by_file["odd.pdf"]["status"] == "failed"
    assert by_file["odd.pdf"]["reason"] == reason
    assert report["summary"]["failed"] == 1


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (NotImplementedError("/JBIG2Decode"), "PDF needs a feature we cannot read: /JBIG2Decode"),
        (RecursionError(), "damaged PDF: its objects nest"),
        (pypdf_errors.DependencyError("jbig2dec binary is not available."),
         "PDF needs a decoder that is not installed: jbig2dec binary is not available."),
        (pypdf_errors.DependencyError("cryptography>=3.1 is required for AES algorithm"),
         "PDF is encrypted with an unsupported method or an unknown password (cryptography"),
        (KeyError("/Root"), "damaged PDF: '/Root'"),
        (AssertionError(), "damaged PDF: AssertionError"),
    ],
)
def test_pypdf_exceptions_map_to_reasons(tmp_path, monkeypatch, error, reason):
    import pypdf

    def broken(self, *args, **kwargs):
        raise error

    monkeypatch.setattr(pypdf.PageObject, "extract_text", broken)
    _, by_file = _run(tmp_path, {"odd.pdf": _letter_pdf()})
    assert by_file["odd.pdf"]["status"] == "failed"
    assert by_file["odd.pdf"]["reason"].startswith(reason), by_file["odd.pdf"]["reason"]


def test_keyboard_interrupt_is_not_swallowed(tmp_path, monkeypatch):
    def interrupted(data: bytes, limit: int = 0) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(extract, "pdf_text", interrupted)
    (tmp_path / "a.pdf").write_bytes(_letter_pdf())
    with pytest.raises(KeyboardInterrupt):
        ingest([tmp_path / "a.pdf"], tmp_path / "out", progress=False)


def test_lone_surrogates_in_pdf_text_are_replaced(tmp_path, monkeypatch):
    text = GOOD.read_text(encoding="utf-8").replace("Soma 350mg", "Soma\ud835 350mg", 1)
    monkeypatch.setattr(extract, "pdf_text", lambda data, limit=0: text)
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 stand-in")
    report = ingest([tmp_path / "a.pdf"], tmp_path / "out", progress=False)
    [entry] = report.entries
    assert entry.status == "written", entry.reason
    record = (tmp_path / "out" / f"{GOOD_ID}.json").read_text(encoding="utf-8")
    assert "Soma\ufffd 350mg" in record
    assert any("not valid Unicode" in w for w in entry.warnings)


def test_valid_unicode_joins_pairs_and_replaces_lone_surrogates():
    assert valid_unicode("plain") == ("plain", 0)
    assert valid_unicode("a\ud83d\ude00b") == ("a\U0001f600b", 0)
    assert valid_unicode("a\udc00b\ud800") == ("a\ufffdb\ufffd", 2)


def test_text_too_long_is_refused_pdf_or_text(tmp_path, monkeypatch):
    limit = len(GOOD.read_text(encoding="utf-8")) + 100  # the good letter still fits
    monkeypatch.setattr(extract, "MAX_TEXT_CHARS", limit)
    three = "\n".join([GOOD.read_text(encoding="utf-8")] * 3)
    lines = [ln.strip() for ln in three.replace("\f", "").splitlines() if ln.strip()]
    _, by_file = _run(
        tmp_path, {"huge.pdf": _pdf_bytes(lines), "huge.txt": three.encode("utf-8")}
    )
    for name in ("huge.pdf", "huge.txt"):
        entry = by_file[name]
        assert entry["status"] == "failed"
        assert entry["reason"].startswith("text too long: ")
        assert f"limit {limit:,}" in entry["reason"]


def test_pdf_text_stops_at_the_limit():
    with pytest.raises(extract.UnreadableLetter, match=r"text too long: .*limit 100\)"):
        extract.pdf_text(_letter_pdf(), limit=100)


def _fail_replace(*args, **kwargs):
    raise OSError(28, "No space left on device")


def test_failed_record_write_leaves_no_partial_file(tmp_path, monkeypatch):
    shutil.copy(GOOD, tmp_path / "good.txt")
    out = tmp_path / "out"
    out.mkdir()
    with monkeypatch.context() as m:
        m.setattr(os, "replace", _fail_replace)
        with pytest.raises(OSError, match="No space left"):  # the manifest write at the end
            ingest([tmp_path / "good.txt"], out, progress=False)
    assert list(out.iterdir()) == []  # no 0-byte record, no temporary file, no manifest


def test_failed_record_write_is_a_failed_entry(tmp_path, monkeypatch):
    shutil.copy(GOOD, tmp_path / "good.txt")
    out = tmp_path / "out"
    calls = []

    def replace_once_failing(src, dst):
        calls.append(dst)
        if str(dst).endswith(f"{GOOD_ID}.json"):
            raise OSError(28, "No space left on device")
        return os.rename(src, dst)

    monkeypatch.setattr(os, "replace", replace_once_failing)
    report = ingest([tmp_path / "good.txt"], out, progress=False)
    [entry] = report.entries
    assert entry.status == "failed" and "No space left on device" in entry.reason
    names = sorted(p.name for p in out.iterdir())
    assert names == [".ingest-manifest.json", ".ingest-sources.json"]
    assert json.loads((out / ".ingest-manifest.json").read_text()) == {}


def test_write_record_failure_keeps_the_old_record(tmp_path, monkeypatch):
    from generator.record.store import read_record, to_json

    shutil.copy(GOOD, tmp_path / "good.txt")
    ingest([tmp_path / "good.txt"], tmp_path / "out", progress=False)
    path = tmp_path / "out" / f"{GOOD_ID}.json"
    before = path.read_bytes()
    record = read_record(path)
    monkeypatch.setattr(
        "generator.record.store.json.dumps", lambda *a, **k: "\ud800"  # cannot be UTF-8
    )
    with pytest.raises(UnicodeEncodeError):
        write_record(record, tmp_path / "out")
    monkeypatch.undo()
    assert path.read_bytes() == before and to_json(record).encode() == before
    assert sorted(p.name for p in path.parent.iterdir() if p.suffix == ".tmp") == []
