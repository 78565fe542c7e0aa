"""Letter cleaning: the text of a published PDF letter -> plain text.

Each step is a small named function from text to text, tested alone;
`clean` runs them in order. The output keeps one letter line per line and a
blank line between paragraphs, so later steps can still see the layout.
"""

from __future__ import annotations

import re
from collections.abc import Callable

REDACTED = "[redacted]"

# A gap left where a name was blacked out: two or more spaces that do not
# follow sentence punctuation ("with  ., indicated", "that  is also").
_GAP_MID = re.compile(r"(?<=[A-Za-z0-9)\"'])[ \t]{2,}(?=[A-Za-z0-9(,.])")
_GAP_END = re.compile(r"(?<=[A-Za-z0-9)\"'])[ \t]{2,}$", re.M)
_EMPTY_BETWEEN_COMMAS = re.compile(r",[ \t]+,")

# A furniture line goes with the blank line after it, so a page break inside
# a double-spaced paragraph does not become a paragraph break.
# "Page 2 of 4", "2 of 4", "- 2 -", "CM14-0012345   Page 2 of 4"
_CASE = r"(?:(?:IMR[ \t]+|MAXIMUS[ \t]+)?Case[ \t]+(?:Number|No\.?|#)[ \t]*:?[ \t]*)?CM\d{2}-\d{7}"
PAGE_FOOTER = re.compile(
    rf"^[ \t]*(?:{_CASE}[ \t]+)?"
    r"(?:Page[ \t]+\d+[ \t]+of[ \t]+\d+|\d+[ \t]+of[ \t]+\d+|-[ \t]*\d+[ \t]*-)"
    rf"(?:[ \t]+{_CASE})?[ \t]*$(?:\n[ \t]*$)?\n?",
    re.M | re.I,
)
# A line that is only a case number ("Case Number: CM14-0123456"), as repeated at the
# top of every page.
CASE_LINE = re.compile(rf"^[ \t]*{_CASE}[ \t]*$(?:\n[ \t]*$)?\n?", re.M | re.I)
_CASE_NUMBER = re.compile(r"CM[0-9]{2}-[0-9]{7}", re.I)
_TITLE_GAP = re.compile(r"\b(Dr|Mr|Mrs|Ms)\.[ \t]{2,}(?=\S|$)", re.M)
# The gaps again, for a text without tabs: each pattern opens with the two spaces every
# match starts with, so the engine looks for that pair as a string (fast) instead of
# testing a lookbehind at every position; they find what the three above find.
_SPACES_MID = re.compile(r"  (?<=[A-Za-z0-9)\"']  ) *(?=[A-Za-z0-9(,.])")
_SPACES_END = re.compile(r"  (?<=[A-Za-z0-9)\"']  ) *$", re.M)
_DOT_SPACES = re.compile(r"\.  (?:(?<=\b(?:Dr|Mr|Ms)\.  )|(?<=\bMrs\.  )) *(?=\S|$)", re.M)


def normalize_newlines(text: str) -> str:
    """CRLF, CR and form feeds become plain line feeds; NUL and BOM go.

    A form feed at the start of a line is dropped (it adds no line break);
    elsewhere it ends the line.
    """
    text = text.replace("\ufeff", "").replace("\x00", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\n\f", "\n").replace("\n\v", "\n")
    return text.replace("\f", "\n").replace("\v", "\n")


# Characters that are not text (issue 17): C0 and C1 controls other than line feed and
# tab, and the bidirectional marks, embeddings, overrides and isolates. NEL and the
# Unicode line and paragraph separators are line breaks.
_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def drop_controls(text: str) -> str:
    """Remove control characters and bidi marks; NEL, U+2028 and U+2029 end the line."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))


def mark_redactions(text: str) -> str:
    """Turn the gaps redaction left behind into an explicit `[redacted]`."""
    if "\t" in text:
        return mark_redactions_general(text)
    text = _EMPTY_BETWEEN_COMMAS.sub(f", {REDACTED},", text)
    text = _DOT_SPACES.sub(f". {REDACTED} ", text)
    text = _SPACES_END.sub(f" {REDACTED}", text)
    return _SPACES_MID.sub(f" {REDACTED} ", text)


def mark_redactions_general(text: str) -> str:
    """mark_redactions for any text (the patterns that also read tabs)."""
    text = _EMPTY_BETWEEN_COMMAS.sub(f", {REDACTED},", text)
    text = _TITLE_GAP.sub(rf"\1. {REDACTED} ", text)
    text = _GAP_END.sub(f" {REDACTED}", text)
    return _GAP_MID.sub(f" {REDACTED} ", text)


def strip_trailing_space(text: str) -> str:
    """Every line loses its trailing blanks (and non-breaking spaces become spaces)."""
    text = text.replace("\u00a0", " ")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def drop_page_furniture(text: str) -> str:
    """Drop "Page 2 of 4" lines and case-number lines repeated at page breaks.

    The header's case number (the first one printed) is kept, whether it
    stands alone on its line or shares it ("IMR Case Number: CM13-0012345
    Date Assigned: 10/4/2013").
    """
    text = PAGE_FOOTER.sub("", text)
    first = _CASE_NUMBER.search(text)
    if first is None:
        return text
    at = first.start()
    return CASE_LINE.sub(lambda m: m.group(0) if m.start() <= at < m.end() else "", text)


def collapse_double_spacing(text: str) -> str:
    """Undo PDF double spacing: a blank line after every line.

    When most lines are followed by exactly one blank line, one blank line
    joins lines of a paragraph and two or more separate paragraphs.
    Otherwise runs of blank lines shrink to one.
    """
    lines = text.split("\n")
    runs: list[int] = []  # blank-run length after each non-empty line
    i = 0
    while i < len(lines):
        if lines[i].strip():
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines):
                runs.append(j - i - 1)
            i = j
        else:
            i += 1
    double = bool(runs) and sum(1 for r in runs if r >= 1) >= 0.6 * len(runs)
    if double:
        text = re.sub(r"\n(?:[ \t]*\n){2,}", "\n\u2029", text)  # paragraph break
        text = re.sub(r"\n[ \t]*\n", "\n", text)  # line break
        text = text.replace("\u2029", "\n")
    return re.sub(r"\n(?:[ \t]*\n)+", "\n\n", text).strip("\n") + "\n"


STEPS: list[Callable[[str], str]] = [
    normalize_newlines,
    drop_controls,
    drop_page_furniture,
    mark_redactions,
    strip_trailing_space,
    collapse_double_spacing,
]


def clean(text: str) -> str:
    """Run every cleaning step in order."""
    for step in STEPS:
        text = step(text)
    return text


# --- joining wrapped lines (used on blocks once they are cut out) ----------



def join_lines(block: str) -> str:
    """Join the wrapped lines of a block into one line.

    A line ending in a hyphen joins the next without a space, keeping the
    hyphen ("T1-" + "2" -> "T1-2", "pages 76-" + "80" -> "pages 76-80").
    Paragraph breaks (blank lines) become single spaces too.
    """
    out = ""
    for raw in block.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and not out.endswith(" -"):  # (not a regex: out grows)
            out += line
        else:
            out += " " + line
    out = re.sub(r"[ \t]{2,}", " ", out)
    out = re.sub(r"\[redacted\]\s*\.?\s*([,;:])", r"[redacted]\1", out)
    out = re.sub(r"\[redacted\] \.", "[redacted].", out)
    return out.strip()


def join_paragraphs(block: str) -> str:
    """Like join_lines, but keep paragraph breaks as a blank line."""
    paras = [join_lines(p) for p in re.split(r"\n[ \t]*\n", block)]
    return "\n\n".join(p for p in paras if p)
