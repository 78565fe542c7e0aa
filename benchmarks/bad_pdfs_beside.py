"""Real letters ingested beside three bad PDFs: the run finishes and reports exactly the three.

    .venv/bin/python benchmarks/bad_pdfs_beside.py ../shared/real-letters/pdf

Makes a folder holding links to every letter in LETTERS plus three PDFs made
here (a corrupt one, an empty one with no text, and one encrypted with a
password we do not have), runs `imr-archive ingest` on it as a user would, and
checks the report: every real letter written, each bad PDF one `failed` entry
with its reason. Prints the counts and reasons; exits 1 when anything else
happened.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

BAD = ("zz-corrupt.pdf", "zz-empty.pdf", "zz-unknown-password.pdf")


def _blank_pdf(text: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if text:
        pdf.set_font("Helvetica", size=10)
        pdf.cell(0, 5, text)
    return bytes(pdf.output())


def _locked_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    plain = _blank_pdf("Independent Medical Review Final Determination Letter")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
    writer.encrypt("a password nobody told us", algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def bad_pdfs() -> dict[str, bytes]:
    """The three bad PDFs by file name."""
    corrupt = bytearray(_blank_pdf("a letter"))
    corrupt[len(corrupt) // 3 :] = b"\x00garbage" * (len(corrupt) // 24)
    return {BAD[0]: bytes(corrupt), BAD[1]: _blank_pdf(), BAD[2]: _locked_pdf()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("letters", type=Path, help="folder of real letters (PDF)")
    ap.add_argument("--jobs", type=int, default=None, help="ingest --jobs (default: all cores)")
    args = ap.parse_args(argv)
    real = sorted(p for p in args.letters.iterdir() if p.suffix.lower() in (".pdf", ".txt"))
    with tempfile.TemporaryDirectory() as tmp:
        folder, out, report_path = Path(tmp) / "in", Path(tmp) / "records", Path(tmp) / "r.json"
        folder.mkdir()
        for p in real:
            (folder / p.name).symlink_to(p.resolve())
        for name, data in bad_pdfs().items():
            (folder / name).write_bytes(data)
        cmd = [sys.executable, "-m", "generator.cli", "ingest", str(folder), "--out", str(out),
               "--report", str(report_path), "--no-progress"]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
        run = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if not report_path.exists():
            print(f"no report written (exit {run.returncode}):\n{run.stderr[-2000:]}")
            return 1
        entries = json.loads(report_path.read_text(encoding="utf-8"))["entries"]
        records = len(list(out.glob("[!.]*.json")))
    by_status: dict[str, list[dict]] = {}
    for e in entries:
        by_status.setdefault(e["status"], []).append(e)
    failed = {Path(e["file"]).name: e for e in by_status.get("failed", [])}
    print(f"{len(real)} real letters + {len(BAD)} bad PDFs: exit {run.returncode}, "
          f"{records} records written, "
          + ", ".join(f"{len(v)} {k}" for k, v in sorted(by_status.items())))
    for name in BAD:
        reason = failed.get(name, {}).get("reason")
        print(f"  {name}: {reason or 'NOT REPORTED'}")
    ok = records == len(real) and sorted(failed) == sorted(BAD) and len(entries) == len(real) + 3
    print("ok" if ok else "FAILED: expected every real letter written and exactly the 3 bad PDFs")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
