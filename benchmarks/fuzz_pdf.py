"""PDF cases for the fuzzer (see fuzz.py): letters rendered with fpdf2 or written by hand,
then encrypted (pypdf), damaged, or built to hit a limit of the PDF reader."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zlib
from collections.abc import Callable

from fuzz_cases import Case, mutate_text, seed_letters

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FIXED_DATE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def _letter_lines(text: str, limit: int = 400) -> list[str]:
    return [ln.strip() for ln in text.replace("\f", "\n").split("\n") if ln.strip()][:limit]


def fpdf_letter(lines: list[str], *, compress: bool = True, unicode_font: bool = False) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(FIXED_DATE)  # the same bytes on every run (but for encryption)
    pdf.set_compression(compress)
    pdf.add_page()
    if unicode_font:
        pdf.add_font("DejaVu", fname=DEJAVU)
        pdf.set_font("DejaVu", size=8)
    else:
        pdf.set_font("Helvetica", size=8)
    for line in lines:
        if not unicode_font:
            line = line.encode("latin-1", "replace").decode("latin-1")
        pdf.cell(0, 4, line[:300], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def raw_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF of numbered objects (1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer_extra, xref,
    )
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"", length: bytes | None = None) -> bytes:
    length = length if length is not None else b"%d" % len(data)
    return b"<< /Length " + length + b" " + extra + b">>\nstream\n" + data + b"\nendstream"


def _escape(line: str) -> bytes:
    raw = line.encode("latin-1", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_ops(lines: list[str]) -> bytes:
    body = b"BT /F1 8 Tf 10 TL 40 800 Td\n"
    body += b"".join(b"(" + _escape(ln) + b") Tj T*\n" for ln in lines)
    return body + b"ET"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "


def raw_letter(lines: list[str], *, content: bytes | None = None, font_extra: bytes = b"",
               extra_objects: list[bytes] | None = None, resources: bytes = b"") -> bytes:
    """One page drawing `lines` with Helvetica, written by hand (objects 1-5 fixed)."""
    content = content if content is not None else _stream(text_ops(lines))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> " + resources + b">> >>",
        content,
        FONT + font_extra + b">>",
        *(extra_objects or []),
    ]
    return raw_pdf(objects)


def encrypt(data: bytes, user: str, algorithm: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user, owner_password="owner", algorithm=algorithm)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# --- the PDF kinds: (rng, lines) -> bytes -----------------------------------------------


def k_plain(rng, lines):
    return fpdf_letter(lines)


def k_unicode_font(rng, lines):
    marks = ["\u200f", "\u202e", "\u2066", "\u0663", "\u0661", "\x01"]
    lines = [ln + rng.choice(marks) if rng.random() < 0.3 else ln for ln in lines]
    return fpdf_letter(lines, unicode_font=True)


def k_encrypted(rng, lines):
    algorithm = rng.choice(["AES-256", "AES-128", "RC4-128", "RC4-40", "AES-256-R5"])
    return encrypt(fpdf_letter(lines), "", algorithm)


def k_unknown_password(rng, lines):
    return encrypt(fpdf_letter(lines), "secret", rng.choice(["AES-256", "RC4-128"]))


def k_encryption_v9(rng, lines):
    return re.sub(rb"/V \d", b"/V 9", encrypt(fpdf_letter(lines), "", "AES-256"), count=1)


def k_unknown_crypt_method(rng, lines):
    data = encrypt(fpdf_letter(lines), "", rng.choice(["AES-256", "AES-128"]))
    return re.sub(rb"/AESV\d", b"/AESV9", data)


def k_broken_xref(rng, lines):
    data = fpdf_letter(lines)
    return re.sub(rb"\d{10} 00000 n", lambda m: b"%010d 00000 n" % rng.randrange(10**10), data)


def k_no_xref(rng, lines):
    data = fpdf_letter(lines)
    return data[: data.rfind(b"xref")] + data[data.rfind(b"trailer"):]


def k_huge_startxref(rng, lines):
    big = rng.choice([b"9" * 30, b"18446744073709551616", b"-5", b"99999999"])
    return re.sub(rb"startxref\s+\d+", b"startxref\n" + big, fpdf_letter(lines))


def k_bad_filter(rng, lines):
    data = fpdf_letter(lines)
    name = rng.choice([None, b"/JBIG2Decode", b"/CCITTFaxDecode", b"/DCTDecode", b"/JPXDecode",
                       b"/LZWDecode", b"/RunLengthDecode", b"/ASCII85Decode", b"/Crypt"])
    if name is None:  # one flipped bit in the filter's name
        at = data.find(b"/FlateDecode") + 1 + rng.randrange(10)
        out = bytearray(data)
        out[at] ^= 1 << rng.randrange(7)
        return bytes(out)
    return data.replace(b"/FlateDecode", name, 1)


def k_truncated(rng, lines):
    data = fpdf_letter(lines)
    return data[: rng.randrange(len(data))]


def k_empty(rng, lines):
    nul = b"%PDF-1.4\n" + b"\x00" * 64
    return rng.choice([b"", b"%PDF-1.4\n", b"%PDF-1.7\n%%EOF\n", b"%PDF-", nul])


def k_image_only(rng, lines):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_page()
    pdf.set_fill_color(40, 40, 40)
    for _ in range(rng.choice([1, 20])):
        pdf.rect(rng.randrange(150), rng.randrange(250), 40, 10, style="F")
    return bytes(pdf.output())


def k_byte_flips(rng, lines):
    out = bytearray(fpdf_letter(lines))
    for _ in range(rng.choice([1, 5, 50])):
        i = rng.randrange(9, len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def k_content_ops(rng, lines):
    """An uncompressed content stream with its operators mutated."""
    data = fpdf_letter(lines, compress=False)
    tokens = [b"Tj", b"TJ", b"ET", b"BT", b"Tf", b"Td", b"q", b"Q", b"cm", b"(", b")", b"[", b"<",
              b">", b"/F1", b"1e308", b"-0", b"999999999999", b"<<", b"Do", b"'", b'"']
    out = bytearray(data)
    start = data.find(b"stream") + 7
    end = data.find(b"endstream", start)
    for _ in range(rng.choice([1, 5, 30])):
        p = rng.randrange(start, max(start + 1, end))
        out[p:p] = b" " + rng.choice(tokens) + b" "
    return bytes(out)


def k_bomb(rng, lines):
    """A content stream that inflates to ~100 MB (a few hundred KB on disk)."""
    comp = zlib.compressobj(9)
    chunk = b"(" + b"A" * 1000 + b") Tj\n"
    parts = [comp.compress(b"BT /F1 8 Tf 40 800 Td\n")]
    parts += [comp.compress(chunk) for _ in range(100_000)]
    parts.append(comp.compress(b"ET") + comp.flush())
    data = b"".join(parts)
    return raw_letter(lines, content=_stream(data, b"/Filter /FlateDecode "))


def k_self_length(rng, lines):
    return raw_letter(lines, content=_stream(text_ops(lines), length=b"4 0 R"))


def k_deep_tree(rng, lines):
    depth = rng.choice([200, 2000])
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):  # object 2 + level
        parent = b"/Parent %d 0 R " % (level + 1) if level else b""
        objects.append(b"<< /Type /Pages " + parent + b"/Kids [%d 0 R] /Count 1 >>" % (level + 3))
    page, font = depth + 2, depth + 4
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 842] /Contents %d 0 R "
                   b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (page - 1, page + 1, font))
    objects.append(_stream(text_ops(lines)))
    objects.append(FONT + b">>")
    return raw_pdf(objects)


def k_tounicode_surrogate(rng, lines):
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
            b"/CMapName /Fuzz def 1 begincodespacerange <00> <FF> endcodespacerange "
            b"2 beginbfchar <65> <D800> <61> <DC00DC00> endbfchar endcmap "
            b"CMapName currentdict /CMap defineresource pop end end")
    return raw_letter(lines, font_extra=b"/ToUnicode 6 0 R ", extra_objects=[_stream(cmap)])


def k_xobject_repeat(rng, lines):
    """A form XObject holding the letter, drawn many times: a small file, a long text."""
    times = rng.choice([10, 200, 3000])
    form = _stream(text_ops(lines[:40]), b"/Type /XObject /Subtype /Form /BBox [0 0 612 842] "
                   b"/Resources << /Font << /F1 5 0 R >> >> ")
    content = _stream(b"q /Fm1 Do Q\n" * times)
    return raw_letter(lines, content=content, extra_objects=[form],
                      resources=b"/XObject << /Fm1 6 0 R >> ")


def k_many_pages(rng, lines):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_font("Helvetica", size=8)
    for _ in range(rng.choice([50, 300])):
        pdf.add_page()
        pdf.cell(0, 4, "Page of a long letter", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def k_text_mutated(rng, lines):
    return fpdf_letter(lines)


PDF_KINDS: dict[str, Callable[[random.Random, list[str]], bytes]] = {
    "plain": k_plain,
    "text-mutated": k_text_mutated,
    "unicode-font": k_unicode_font,
    "encrypted-empty-password": k_encrypted,
    "unknown-password": k_unknown_password,
    "encryption-v9": k_encryption_v9,
    "unknown-crypt-method": k_unknown_crypt_method,
    "broken-xref": k_broken_xref,
    "no-xref": k_no_xref,
    "huge-startxref": k_huge_startxref,
    "bad-filter": k_bad_filter,
    "truncated": k_truncated,
    "empty": k_empty,
    "image-only": k_image_only,
    "byte-flips": k_byte_flips,
    "content-ops": k_content_ops,
    "decompression-bomb": k_bomb,
    "self-referencing-length": k_self_length,
    "deep-page-tree": k_deep_tree,
    "tounicode-surrogate": k_tounicode_surrogate,
    "xobject-repeat": k_xobject_repeat,
    "many-pages": k_many_pages,
}
PDF_WEIGHTS = {name: 2 for name in PDF_KINDS} | {
    "text-mutated": 6, "byte-flips": 4, "truncated": 3, "decompression-bomb": 1, "many-pages": 1,
}


def make_pdf_case(seed: int, index: int) -> Case:
    rng = random.Random(f"pdf:{seed}:{index}")
    letters = seed_letters()
    name, text = rng.choice(letters)
    steps = []
    kinds = list(PDF_KINDS)
    kind = rng.choices(kinds, weights=[PDF_WEIGHTS[k] for k in kinds])[0]
    if kind == "text-mutated":
        text, steps = mutate_text(rng, text, rng.choice(letters)[1])
    data = PDF_KINDS[kind](rng, _letter_lines(text))
    return Case("pdf", seed, index, name, (kind, *steps), data, ".pdf")
