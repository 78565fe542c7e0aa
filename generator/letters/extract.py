"""A letter file's text: a PDF's through pypdf, a text file's in its encoding.

Whatever the PDF library raises becomes an UnreadableLetter with a reason a
person can act on ("encrypted with an unsupported method", "damaged PDF: ...");
the text is valid Unicode; files and texts no letter could be are refused.
"""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path
from typing import Any

MAX_LETTER_BYTES = 20 * 1024 * 1024
# A letter's text, from a PDF or a text file. The longest of 120 real published
# letters is ~17,000 characters on 6 pages (the median ~5,000); a file with over
# 100,000 characters or 100 pages is several letters in one or not a letter (a 15 KB PDF
# once gave 16 MB of text), and refusing it keeps every letter's reading under a second.
MAX_TEXT_CHARS = 100_000
MAX_PAGES = 100
# pypdf's own safety limits, tightened for letters: a letter's content streams inflate
# to kilobytes, not to pypdf's default 75 MB (a decompression bomb stops sooner).
PDF_LIMITS = {
    "zlib_maximum_output_length": 10_000_000,
    "lzw_maximum_output_length": 10_000_000,
    "run_length_maximum_output_length": 10_000_000,
    "xform_maximum_invocations_per_extraction": 1_000,
}


class UnreadableLetter(ValueError):
    """A file whose bytes are not letter text (binary, empty PDF, ...)."""


class _TooLong(Exception):
    """Raised inside pypdf's text extraction once the text passes the limit."""


# Byte order marks (UTF-32's first: its little-endian mark starts with UTF-16's)
_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
         (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def decode_text(data: bytes) -> tuple[str, str | None]:
    """(text, warning) for letter bytes: UTF-16/32 with a byte order mark, UTF-8,
    else cp1252, else Latin-1."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode_wide(data, name)
    if b"\x00" in data[:4096] or _looks_binary(data[:4096]):
        raise UnreadableLetter("binary file, not letter text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "text was not UTF-8; read as Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "text was not UTF-8; read as Latin-1"


def _decode_wide(data: bytes, name: str) -> tuple[str, str | None]:
    """A letter in UTF-16 or UTF-32 (its byte order mark says which)."""
    text = data.decode(name, "replace")
    head = text[:4096]
    if "\x00" in head or _looks_binary(head.encode("latin-1", "replace")):
        raise UnreadableLetter(f"binary file, not letter text (it begins with a {name} mark)")
    bad = text.count("\ufffd") - data.decode(name, "ignore").count("\ufffd")
    if bad:
        return text, f"text was not valid {name}; {bad} character(s) replaced with U+FFFD"
    return text, None


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control / len(head) > 0.05


def pdf_text(data: bytes, limit: int = MAX_TEXT_CHARS) -> str:
    """The text of a PDF letter, page by page (pypdf).

    Raises UnreadableLetter with a reason a person can act on for anything the
    PDF library raises: encrypted, damaged, unsupported feature, over a limit."""
    import io

    from pypdf import PdfReader, apply_configuration
    from pypdf import errors as pdf_errors

    try:
        with apply_configuration(None, **PDF_LIMITS):
            reader = PdfReader(io.BytesIO(data))
            count = len(reader.pages)
            if count > MAX_PAGES:
                raise UnreadableLetter(
                    f"PDF of {count:,} pages (limit {MAX_PAGES}; several letters in one file?)"
                )
            pages = _page_texts(reader, limit)
    except UnreadableLetter:
        raise
    except _PDF_ERRORS + (pdf_errors.PyPdfError, pdf_errors.DependencyError) as e:
        raise UnreadableLetter(_pdf_reason(e)) from None
    # Trailing spaces in a PDF's text layer are layout, not redaction gaps (a blacked-out
    # name leaves no text at all): drop them so the cleaner does not read them as gaps.
    text = "\n\f".join("\n".join(line.rstrip() for line in p.split("\n")) for p in pages)
    if not text.strip():
        raise UnreadableLetter("PDF has no extractable text (scanned image?)")
    return text


def _page_texts(reader: Any, limit: int) -> list[str]:
    """Each page's text; UnreadableLetter once all of it passes `limit` characters.

    Counted as pypdf goes, so a small PDF that draws a long text many times (a form
    XObject repeated) is stopped at the limit, not read to the end."""
    pages: list[str] = []
    size = 0

    def counted(text: str, *_: object) -> None:
        nonlocal size
        size += len(text)
        if size > limit:
            raise _TooLong()

    for page in reader.pages:
        try:
            pages.append(page.extract_text(visitor_text=counted) or "")
        except _TooLong:
            raise UnreadableLetter(
                f"text too long: over {limit:,} characters in the first "
                f"{len(pages) + 1} of {len(reader.pages)} page(s) (limit {limit:,})"
            ) from None
        size += 2
    return pages


# What a damaged or unusual PDF makes pypdf raise, besides its own errors.
_PDF_ERRORS: tuple[type[Exception], ...] = (
    NotImplementedError,
    OverflowError,
    AssertionError,
    RecursionError,
    MemoryError,
    ValueError,  # UnicodeError, binascii.Error among them
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    ZeroDivisionError,
    EOFError,
    zlib.error,
)


def _pdf_reason(e: BaseException) -> str:
    """What to tell a person about a PDF pypdf could not read."""
    from pypdf import errors as pdf_errors

    limit_error = getattr(pdf_errors, "LimitReachedError", None)  # pypdf >= 6
    if isinstance(e, pdf_errors.DependencyError) and "crypt" not in str(e).lower():
        # e.g. a JBIG2 image needs the jbig2dec program: not a question of encryption
        return f"PDF needs a decoder that is not installed: {one_line(e)}"
    if isinstance(e, (pdf_errors.FileNotDecryptedError, pdf_errors.DependencyError)):
        return f"PDF is encrypted with an unsupported method or an unknown password ({one_line(e)})"
    if limit_error is not None and isinstance(e, limit_error):
        return f"PDF exceeds a safety limit of the PDF reader: {one_line(e)}"
    if isinstance(e, NotImplementedError):
        return f"PDF needs a feature we cannot read: {one_line(e)}"
    if isinstance(e, RecursionError):
        return "damaged PDF: its objects nest or refer to each other too deeply"
    if isinstance(e, MemoryError):
        return "PDF too large to read in memory"
    return f"damaged PDF: {one_line(e)}"


def one_line(e: BaseException, limit: int = 300) -> str:
    """An exception's message on one line, at most `limit` characters."""
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def valid_unicode(text: str) -> tuple[str, int]:
    """(text, number of characters replaced): surrogate pairs joined, lone
    surrogates (a bad ToUnicode map in a PDF) replaced by U+FFFD, so the text can
    always be encoded as UTF-8."""
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text, 0
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return fixed, fixed.count("\ufffd") - text.count("\ufffd")


def read_letter(path: Path) -> tuple[str, str, list[str]]:
    """(text, sha256 of the file, warnings) for one letter file."""
    size = path.stat().st_size
    if size > MAX_LETTER_BYTES:
        raise UnreadableLetter(f"file is {size} bytes; letters over {MAX_LETTER_BYTES} are refused")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise UnreadableLetter("empty file")
    warnings: list[str] = []
    if path.suffix.lower() == ".pdf" or data.startswith(b"%PDF-"):
        text = pdf_text(data, MAX_TEXT_CHARS)  # stops extracting at the limit
    else:
        text, warning = decode_text(data)
        warnings += [warning] if warning else []
        if len(text) > MAX_TEXT_CHARS:
            raise UnreadableLetter(
                f"text too long: {len(text):,} characters (limit {MAX_TEXT_CHARS:,}; "
                "several letters in one file?)"
            )
    text, replaced = valid_unicode(text)
    if replaced:
        warnings.append(
            f"{replaced} character(s) of the text were not valid Unicode; replaced with U+FFFD"
        )
    return text, digest, warnings
