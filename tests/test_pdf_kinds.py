"""Every way a PDF can fail, built here (benchmarks/fuzz_pdf.py writes them with fpdf2,
pypdf and by hand) and ingested beside a good letter: the run finishes, the good letter
is written, and each bad PDF is one `failed` entry with a reason a person can act on."""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.helpers import LETTER_FIXTURES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import fuzz_pdf  # noqa: E402

GOOD = LETTER_FIXTURES / "header-2014" / "h2014-opioids-three-items.txt"


class Pick(random.Random):
    """A seeded generator whose choice() takes the element at `index` (or the last)."""

    def __init__(self, index: int):
        super().__init__(0)
        self.index = index

    def choice(self, seq):
        return seq[min(self.index, len(seq) - 1)]


# file -> (PDF kind, which of its variants, what the report must say)
BAD = {
    "unknown-password.pdf": ("unknown-password", 0, "PDF is encrypted with an unsupported method"),
    "encryption-v9.pdf": ("encryption-v9", 0, "PDF needs a feature we cannot read: Encryption V=9"),
    "aesv9.pdf": ("unknown-crypt-method", 0, "PDF needs a feature we cannot read: StmF Method"),
    "huge-startxref.pdf": ("huge-startxref", 0, "damaged PDF: "),
    "flipped-filter.pdf": ("bad-filter", 0, "PDF needs a feature we cannot read: Unsupported"),
    "jbig2.pdf": ("bad-filter", 1, "PDF needs a decoder that is not installed: jbig2dec"),
    "truncated.pdf": ("truncated", 0, "damaged PDF: "),
    "empty.pdf": ("empty", 0, "empty file"),
    "header-only.pdf": ("empty", 2, "damaged PDF: "),
    "image-only.pdf": ("image-only", 0, "PDF has no extractable text"),
    "bomb.pdf": ("decompression-bomb", 0, "PDF exceeds a safety limit of the PDF reader: "),
    "self-length.pdf": ("self-referencing-length", 0, "PDF exceeds a safety limit"),
    "deep-tree.pdf": ("deep-page-tree", 0, "PDF exceeds a safety limit of the PDF reader: "),
    "xobject-repeat.pdf": ("xobject-repeat", 2, "text too long: over 100,000 characters"),
    "many-pages.pdf": ("many-pages", 1, "PDF of 300 pages (limit 100"),
}


def test_each_kind_of_bad_pdf_is_reported_beside_good_letters(tmp_path):
    lines = fuzz_pdf._letter_lines(GOOD.read_text(encoding="utf-8"))
    letters = tmp_path / "letters"
    letters.mkdir()
    shutil.copy(GOOD, letters / "good.txt")
    (letters / "good-pdf.pdf").write_bytes(fuzz_pdf.fpdf_letter(
        [ln.replace("CM14-0031415", "CM14-0031416") for ln in lines]
    ))
    # a /ToUnicode map yielding lone surrogates ("e" and "a" unreadable): once a
    # UnicodeEncodeError in the writer; now valid text, which no longer reads as a letter
    (letters / "surrogate.pdf").write_bytes(
        fuzz_pdf.PDF_KINDS["tounicode-surrogate"](Pick(0), lines)
    )
    for name, (kind, variant, _) in BAD.items():
        (letters / name).write_bytes(fuzz_pdf.PDF_KINDS[kind](Pick(variant), lines))
    out = tmp_path / "records"
    result = CliRunner().invoke(main, ["ingest", str(letters), "--out", str(out), "--no-progress"])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    report = json.loads((tmp_path / "ingest-report.json").read_text())
    by_file = {Path(e["file"]).name: e for e in report["entries"]}
    assert len(by_file) == len(BAD) + 3  # every file has its one outcome
    for name in ("good.txt", "good-pdf.pdf"):
        assert by_file[name]["status"] == "written", by_file[name]
    surrogate = by_file["surrogate.pdf"]
    assert surrogate["status"] == "failed" and surrogate["line"], surrogate
    assert not surrogate["reason"].startswith("unexpected error"), surrogate
    for name, (_, _, reason) in BAD.items():
        entry = by_file[name]
        assert entry["status"] == "failed", (name, entry)
        assert entry["reason"].startswith(reason), (name, entry["reason"])
    assert sorted(p.name for p in out.glob("[!.]*.json")) == [
        "CM14-0031415.json", "CM14-0031416.json",
    ]
