"""The published letter layouts: cleaned letter text -> its parts.

Two shapes of letter are read here; everything after (reviewer, patient,
items -> Item) is shared and lives in :mod:`generator.letters.parse`.

- ``standard``: the sections "HOW THE IMR FINAL DETERMINATION WAS MADE",
  "CLINICAL CASE SUMMARY" and "IMR ISSUES, DECISIONS AND RATIONALES" (late
  2013 with no header, 2014 and later under a header block). Items open with
  "<service> :  Upheld" (decision possibly wrapped) or with a sentence
  "<service> is not medically necessary and appropriate." and carry the blocks
  "Claims Administrator guideline:", "MAXIMUS guideline:", "Decision rationale:".
- ``notice-2013``: the early "Notice of IMR Determination": numbered findings
  ("1) MAXIMUS Federal Services, Inc. has determined the request for <service>
  is not medically necessary and appropriate"), then "INDEPENDENT MEDICAL
  REVIEW DECISION AND RATIONALE", the reviewer's qualifications, "Case
  Summary:", and per item "Medical Treatment Guideline(s) Relied Upon by the
  Claims Administrator:" / "... by the Expert Reviewer:" / "Rationale for the
  Decision:". Each item's decision is its finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.letters import patterns as rx
from generator.letters.clean import join_lines

BLOCKS = ("ca", "rev", "rat")
BLOCK_NAMES = {
    "ca": "Claims Administrator guideline",
    "rev": "MAXIMUS guideline",
    "rat": "Decision rationale",
}


class LetterError(ValueError):
    """The text cannot be read as an IMR determination letter."""

    def __init__(self, reason: str, line: int | None = None):
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line else reason)


def line_of(raw: str, snippet: str) -> int | None:
    """1-based line of `raw` where `snippet` (or its first words) appears."""
    words = snippet.split()[:6]
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, raw)
    return raw.count("\n", 0, m.start()) + 1 if m else None


@dataclass
class RawItem:
    service: str
    decision: str | None  # None: to be read from the rationale (warned)
    line: str
    blocks: dict[str, list[str]] = field(default_factory=lambda: {b: [] for b in BLOCKS})


@dataclass
class Parts:
    """What every layout gives the shared parser."""

    layout: str
    header: str  # text searched first for header fields
    reviewer: str
    summary: str
    items: list[RawItem]
    dates: dict[str, str] = field(default_factory=dict)  # layout-specific dates, as printed
    warnings: list[str] = field(default_factory=list)
    salutation: str | None = None  # "Mr", "Ms", ... of "Dear Mr. [redacted]:"


def split_letter(text: str, raw: str) -> Parts:
    """The parts of a cleaned letter, whichever layout it is in."""
    if rx.SECTION_ISSUES.search(text) or not _is_notice(text):
        return split_standard(text, raw)
    return split_notice(text, raw)


def _is_notice(text: str) -> bool:
    return bool(
        rx.EARLY_DECISION_AND_RATIONALE.search(text)
        or rx.EARLY_LABEL_CA.search(text)
        or rx.EARLY_LABEL_RATIONALE.search(text)
        or rx.FINDING.search(text)
    )


# --- the standard layout (late 2013 and later) --------------------------------------


def split_standard(text: str, raw: str) -> Parts:
    """Cut the cleaned letter at its three section headings."""
    found = {
        name: m
        for name, pat in (
            ("how", rx.SECTION_HOW),
            ("summary", rx.SECTION_SUMMARY),
            ("issues", rx.SECTION_ISSUES),
        )
        if (m := pat.search(text))
    }
    if "issues" not in found:
        if not found:
            raise LetterError(
                "not an IMR determination letter: none of the sections 'HOW THE IMR FINAL "
                "DETERMINATION WAS MADE', 'CLINICAL CASE SUMMARY', 'IMR ISSUES, DECISIONS AND "
                "RATIONALES' (or the 2013 notice's 'INDEPENDENT MEDICAL REVIEW DECISION AND "
                "RATIONALE') was found"
            )
        last = line_of(raw, text.strip().splitlines()[-1])
        raise LetterError(
            "truncated letter: no 'IMR ISSUES, DECISIONS AND RATIONALES' section after line "
            f"{last or '?'}",
            last,
        )
    order = sorted(found.items(), key=lambda kv: kv[1].start())
    parts = {name: "" for name in ("how", "summary", "issues")}
    for i, (name, m) in enumerate(order):
        end = order[i + 1][1].start() if i + 1 < len(order) else len(text)
        parts[name] = text[m.end() : end].strip("\n")
    header = text[: order[0][1].start()]
    summary = rx.SUMMARY_INTRO.sub("", parts["summary"], count=1)
    items = split_items(parts["issues"], raw)
    if not items:
        raise LetterError(
            "no disputed item found: expected lines like '<service> :  Upheld' after "
            "'IMR ISSUES, DECISIONS AND RATIONALES'",
            line_of(raw, "IMR ISSUES"),
        )
    return Parts("standard", header, parts["how"], summary, items)


def _label(line: str) -> tuple[str, str] | None:
    for name, pat in (("ca", rx.LABEL_CA), ("rev", rx.LABEL_REVIEWER), ("rat", rx.LABEL_RATIONALE)):
        m = pat.match(line)
        if m:
            return name, line[m.end() :]
    return None


def _item_header(
    line: str, lines: list[str], i: int, para_start: int
) -> tuple[str, str, int] | None:
    """(service text on this line, decision, lines consumed) when line i opens an item.

    Three shapes: "<service> :  Upheld"; "<service> :" then "Upheld";
    "<service>" then ":  Upheld" (the service is then the paragraph so far).
    """
    m = rx.ITEM_LINE.match(line)
    if m:
        return m.group("service"), m.group("decision").lower(), 1
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    m = rx.ITEM_OPEN.match(line)
    d = rx.DECISION_ALONE.match(nxt)
    if m and d:
        return m.group("service"), d.group("decision").lower(), 2
    d = rx.COLON_DECISION.match(line)
    if d and i > para_start:
        return "", d.group("decision").lower(), 1
    return None


def _sentence_item(para: list[str]) -> tuple[str, str] | None:
    """(service, decision) when a paragraph is an item heading in sentence form."""
    if not para or any(_label(p) for p in para):
        return None
    m = rx.ITEM_SENTENCE.match(join_lines("\n".join(para)))
    if not m:
        return None
    return m.group("service"), "upheld" if m.group("neg") else "overturned"


def split_items(issues: str, raw: str) -> list[RawItem]:
    """The disputed items of the ISSUES section, each with its three text blocks."""
    lines = issues.split("\n")
    for n in range(1, min(len(lines), 4) + 1):  # the intro sentence may wrap
        if rx.ISSUES_INTRO.fullmatch(join_lines("\n".join(lines[:n])) + " "):
            lines = lines[n:]
            break
    items: list[RawItem] = []
    block: list[str] | None = None
    para_start = 0  # index of the first line of the current paragraph
    last_para: list[str] = []  # the lines of the last finished paragraph
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            if i > para_start:
                last_para = [ln.strip() for ln in lines[para_start:i] if ln.strip()]
            para_start = i + 1
            i += 1
            continue
        label = _label(line)
        found = None if label else _item_header(line, lines, i, para_start)
        if found:
            service_text, decision, consumed = found
            prefix = [ln.strip() for ln in lines[para_start:i] if ln.strip()]
            if any(_label(p) for p in prefix):  # the lines belong to a block, not the service
                prefix = []
            if block is not None and prefix:
                del block[len(block) - len(prefix) :]
            service = join_lines("\n".join([*prefix, service_text]))
            items.append(RawItem(rx.ITEM_NUMBER.sub("", service), decision, line))
            block = None
            last_para = []
            i += consumed
            continue
        other = rx.ITEM_LINE_OTHER_WORD.match(line)
        if other and not label and (block is None or para_start == i):
            raise LetterError(
                f"unknown decision {other.group('word')!r} for item {other.group('service')!r} "
                "(expected Upheld or Overturned)",
                line_of(raw, line),
            )
        if label:
            opens = not items or (label[0] != "rat" and items[-1].blocks[label[0]])
            if opens:
                # a new item whose heading is a sentence: the paragraph before the label
                heading = (
                    [ln.strip() for ln in lines[para_start:i]] if i > para_start else last_para
                )
                sentence = _sentence_item(heading)
                if sentence:
                    if block is not None and heading:
                        del block[len(block) - len(heading) :]
                    items.append(RawItem(rx.ITEM_NUMBER.sub("", sentence[0]), sentence[1],
                                         heading[0]))
                elif not items:
                    raise LetterError(
                        f"a {line.split(':')[0].strip()!r} block comes before any disputed item",
                        line_of(raw, line),
                    )
            block = items[-1].blocks[label[0]]
            if block:
                block.append("\n" + label[1])
            else:
                block.append(label[1])
        elif block is not None:
            block.append(line if para_start != i or not block else "\n" + line)
        i += 1
    return items


# --- the early 2013 notice ---------------------------------------------------------------


def split_notice(text: str, raw: str) -> Parts:
    """The parts of an early 2013 'Notice of IMR Determination'."""
    warnings: list[str] = []
    head_end = rx.EARLY_DECISION_AND_RATIONALE.search(text)
    labels = sorted(
        [(m.start(), m.end(), kind) for kind, pat in (
            ("ca", rx.EARLY_LABEL_CA), ("rev", rx.EARLY_LABEL_REVIEWER),
            ("rat", rx.EARLY_LABEL_RATIONALE)) for m in pat.finditer(text)]
    )
    findings = _findings(text, raw)
    if not labels:
        last = line_of(raw, text.strip().splitlines()[-1])
        raise LetterError(
            "truncated letter: a 2013 Notice of IMR Determination with no 'Medical Treatment "
            f"Guideline(s) Relied Upon by ...' or 'Rationale for the Decision' after line "
            f"{last or '?'}",
            last,
        )
    header = text[: head_end.start()] if head_end else text[: labels[0][0]]
    body_start = head_end.end() if head_end else 0

    # sections between the DECISION AND RATIONALE heading and the first item
    front = text[body_start : labels[0][0]]
    marks = sorted(
        [(m.start(), m.end(), kind) for kind, pat in (
            ("qual", rx.EARLY_QUALIFICATIONS), ("summary", rx.EARLY_SUMMARY),
            ("docs", rx.EARLY_DOCUMENTS)) for m in pat.finditer(front)]
    )
    sections: dict[str, str] = {}
    for k, (_, end, kind) in enumerate(marks):
        stop = marks[k + 1][0] if k + 1 < len(marks) else len(front)
        sections.setdefault(kind, front[end:stop])
    preface = front[: marks[0][0]] if marks else front

    # the items: a new one starts at each CA label (or a label already seen in this item)
    chunks: list[dict[str, str]] = []
    starts: list[int] = []
    order = {k: n for n, k in enumerate(BLOCKS)}
    for k, (start, end, kind) in enumerate(labels):
        stop = labels[k + 1][0] if k + 1 < len(labels) else len(text)
        if not chunks or kind in chunks[-1] or order[kind] <= max(order[x] for x in chunks[-1]):
            chunks.append({})
            starts.append(start)
        chunks[-1][kind] = text[end:stop]
    # the heading of item k+1 ends item k's last block; the summary ends at item 1's heading
    headings: list[str | None] = []
    summary = sections.get("summary", "")
    for k in range(len(chunks)):
        if k == 0 and "summary" in sections:
            summary, heading = _cut_heading(summary)
        elif k == 0:
            preface, heading = _cut_heading(preface)
            warnings.append("no 'Case Summary:' section found")
        else:
            prev = chunks[k - 1]
            prev_kind = list(prev)[-1]
            prev[prev_kind], heading = _cut_heading(prev[prev_kind])
        headings.append(heading)
    last_chunk = chunks[-1]
    tail_kind = list(last_chunk)[-1]
    trailer = rx.EARLY_TRAILER.search(last_chunk[tail_kind])
    if trailer:
        last_chunk[tail_kind] = last_chunk[tail_kind][: trailer.start()]

    items: list[RawItem] = []
    for k, chunk in enumerate(chunks):
        n = k + 1
        heading = headings[k]
        if k < len(findings):
            service, decision, fline = findings[k]
            if heading and _norm(heading) != _norm(service):
                warnings.append(f"item {n}: heading {heading!r} differs from its finding "
                                f"{service!r}; the finding's wording kept")
        elif heading:
            service, decision, fline = heading, None, heading
            warnings.append(f"item {n}: no finding at the top of the notice; decision read "
                            "from the rationale")
        else:
            raise LetterError(
                f"item {n} has no finding ('MAXIMUS Federal Services, Inc. has determined the "
                "request for ...') and no heading naming its service",
                line_of(raw, text[starts[k]:][:60]),
            )
        item = RawItem(service, decision, fline)
        for kind in BLOCKS:
            if kind in chunk:
                item.blocks[kind] = [chunk[kind].strip("\n")]
        items.append(item)
    for service, decision, fline in findings[len(chunks):]:
        warnings.append(f"finding {service!r} has no guideline or rationale blocks in the letter")
        items.append(RawItem(service, decision, fline))

    dates: dict[str, str] = {}
    for name, pat in (("application_received", rx.EARLY_FILED), ("ur_denial", rx.EARLY_UR_DATED)):
        m = pat.search(join_lines(preface)) or pat.search(join_lines(header))
        if m:
            dates[name] = m.group(1)
    if not sections.get("qual", "").strip():
        warnings.append("no 'Medical Qualifications of the Expert Reviewer' section found")
    summary = rx.DISCLAIMER.sub("", summary.strip(), count=1)
    salutation = rx.SALUTATION.search(header)
    return Parts("notice-2013", header, sections.get("qual", ""), summary, items, dates,
                 warnings, salutation.group("title") if salutation else None)


def _norm(s: str) -> str:
    return re.sub(r"[\W_]+", " ", s).strip().lower()


def _cut_heading(block: str) -> tuple[str, str | None]:
    """(block without its trailing item heading, the heading's service or None)."""
    body = block.rstrip()
    strict = list(rx.EARLY_ITEM_HEADING.finditer(body))
    if not strict:
        # "2) Norco 10/325mg #120:" counts only as the block's last paragraph
        para_at = body.rfind("\n\n") + 2 if "\n\n" in body else 0
        m = rx.EARLY_NUMBERED_HEADING.search(body, para_at)
        strict = [m] if m else []
    if not strict:
        return block, None
    m = strict[-1]
    return body[: m.start()], join_lines(m.group("service")).rstrip(" :")


def _findings(text: str, raw: str) -> list[tuple[str, str | None, str]]:
    """(service, decision, text) of every numbered finding, in letter order."""
    out: list[tuple[str, str | None, str]] = []
    joined = join_lines(text)
    for m in rx.FINDING.finditer(joined):
        verdict = m.group("verdict")
        if not re.match(r"(?:not\s+)?medically\s+necessary", verdict, re.I):
            raise LetterError(
                f"unknown decision {verdict.strip()!r} in the finding for {m.group('service')!r} "
                "(expected 'is medically necessary and appropriate' or 'is not ...')",
                line_of(raw, "has determined the request for " + m.group("service")),
            )
        decision = "upheld" if m.group("neg") else "overturned"
        out.append((m.group("service").strip(), decision, m.group(0)))
    return out
