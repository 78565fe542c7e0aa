"""The early 2013 "Notice of IMR Determination".

The title ("Notice of Independent Medical Review Determination", the date on
its line or the next: "Dated: 9/26/2013"), numbered findings ("1) MAXIMUS
Federal Services, Inc. has determined the request for <service> is not
medically necessary and appropriate", the space before "medically" sometimes
lost), then "INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE" (on a line of
its own or run on after the last finding), the application and assignment
sentences (the findings may be printed again here: they are read once), the
reviewer's qualifications, "Case Summary:" (a disclaimer, then often a
quotation of the UR denial), and per item "Medical Treatment Guideline(s)
Relied Upon by the Claims Administrator:" / "... by the Expert Reviewer:" /
"Rationale for the Decision:", perhaps under a heading "1) Regarding the
request for <service>:". Each item's decision is its finding.
"""

from __future__ import annotations

import re

from generator.letters import patterns as rx
from generator.letters.clean import join_lines
from generator.letters.layouts.parts import (
    BLOCKS,
    LetterError,
    Parts,
    RawItem,
    cut_at,
    last_line,
    line_of,
)

NAME = "notice-2013"
Finding = tuple[str, str | None, str]  # (service, decision, the finding as printed)
_LABELS = (
    ("ca", rx.EARLY_LABEL_CA), ("rev", rx.EARLY_LABEL_REVIEWER), ("rat", rx.EARLY_LABEL_RATIONALE)
)
_FRONT = (
    ("qual", rx.EARLY_QUALIFICATIONS), ("summary", rx.EARLY_SUMMARY), ("docs", rx.EARLY_DOCUMENTS)
)


def detect(text: str) -> bool:
    return bool(
        rx.EARLY_DECISION_AND_RATIONALE.search(text)
        or rx.EARLY_LABEL_CA.search(text)
        or rx.EARLY_LABEL_RATIONALE.search(text)
        or rx.FINDING.search(text)
    )


def split(text: str, raw: str) -> Parts:
    """The parts of an early 2013 'Notice of IMR Determination'."""
    warnings: list[str] = []
    labels = sorted((m.start(), m.end(), kind) for kind, pat in _LABELS for m in pat.finditer(text))
    if not labels:
        _findings(text, raw)  # an unknown decision is the better report
        last = last_line(text, raw)
        raise LetterError(
            "truncated letter: a 2013 Notice of IMR Determination with no 'Medical Treatment "
            f"Guideline(s) Relied Upon by ...' or 'Rationale for the Decision' after line "
            f"{last or '?'}",
            last,
        )
    head_end = rx.EARLY_DECISION_AND_RATIONALE.search(text)
    header = text[: head_end.start()] if head_end else text[: labels[0][0]]
    front = text[head_end.end() if head_end else 0 : labels[0][0]]
    marks = sorted((m.start(), m.end(), kind) for kind, pat in _FRONT for m in pat.finditer(front))
    sections = cut_at(front, marks)
    preface = front[: marks[0][0]] if marks else front
    findings = _read_once(_findings(header, raw), _findings(preface, raw), warnings)
    chunks, starts = _chunks(text, labels)
    summary, preface, headings = _headings(chunks, sections, preface, warnings)
    items = _items(chunks, starts, headings, findings, text, raw, warnings)
    if not sections.get("qual", "").strip():
        warnings.append("no 'Medical Qualifications of the Expert Reviewer' section found")
    salutation = rx.SALUTATION.search(header)
    return Parts(NAME, header, sections.get("qual", ""), _summary(summary), items,
                 _dates(header, preface), warnings,
                 salutation.group("title") if salutation else None)


def _chunks(
    text: str, labels: list[tuple[int, int, str]]
) -> tuple[list[dict[str, str]], list[int]]:
    """The blocks of each item: a new item starts at each label not after one of its own."""
    chunks: list[dict[str, str]] = []
    starts: list[int] = []
    order = {k: n for n, k in enumerate(BLOCKS)}
    for k, (start, end, kind) in enumerate(labels):
        stop = labels[k + 1][0] if k + 1 < len(labels) else len(text)
        if not chunks or kind in chunks[-1] or order[kind] <= max(order[x] for x in chunks[-1]):
            chunks.append({})
            starts.append(start)
        chunks[-1][kind] = text[end:stop]
    last = chunks[-1]
    tail = list(last)[-1]
    trailer = rx.EARLY_TRAILER.search(last[tail])
    if trailer:
        last[tail] = last[tail][: trailer.start()]
    return chunks, starts


def _headings(
    chunks: list[dict[str, str]], sections: dict[str, str], preface: str, warnings: list[str]
) -> tuple[str, str, list[str | None]]:
    """(summary, preface, each item's heading): item k+1's heading ends item k's last
    block; item 1's ends the summary (or the preface when there is no summary)."""
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
    return summary, preface, headings


def _items(
    chunks: list[dict[str, str]], starts: list[int], headings: list[str | None],
    findings: list[Finding], text: str, raw: str, warnings: list[str],
) -> list[RawItem]:
    """One item per chunk, named and decided by its finding (else by its heading)."""
    items: list[RawItem] = []
    for k, chunk in enumerate(chunks):
        n, heading = k + 1, headings[k]
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
    return items


def _dates(header: str, preface: str) -> dict[str, str]:
    """Dates this layout prints in sentences: title line, application, UR denial, assignment."""
    dates: dict[str, str] = {}
    for name, pat in (("application_received", rx.EARLY_FILED), ("ur_denial", rx.EARLY_UR_DATED),
                      ("assigned", rx.EARLY_ASSIGNED), ("letter", rx.NOTICE_TITLE_DATED)):
        m = pat.search(join_lines(preface)) or pat.search(join_lines(header))
        if m:
            dates[name] = m.group(1)
    return dates


def _summary(summary: str) -> str:
    """The summary without its disclaimer, and without the quotation marks around it
    when it is a quotation of the UR denial: the opening mark and its closing one at
    the end, or no closing one at all (a quotation followed by other words is kept)."""
    summary = rx.DISCLAIMER.sub("", summary.strip(), count=1)
    opening = summary[:1]
    closing = {"“": "”", '"': '"'}.get(opening)
    if not closing:
        return summary
    inner = summary[1:-1] if summary.endswith(closing) and len(summary) > 1 else summary[1:]
    if closing not in inner and opening not in inner:
        return inner.strip()
    return summary


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


def _read_once(top: list[Finding], again: list[Finding], warnings: list[str]) -> list[Finding]:
    """The findings at the top of the notice; those printed again under the decision
    heading are the same findings (read when the top has none)."""
    if top and again and [f[:2] for f in again] != [f[:2] for f in top]:
        warnings.append("the findings under the decision heading differ from those at the top; "
                        "the top ones kept")
    return top or again


def _findings(text: str, raw: str) -> list[Finding]:
    """(service, decision, text) of every numbered finding, in letter order."""
    out: list[Finding] = []
    for m in rx.FINDING.finditer(join_lines(text)):
        verdict = m.group("verdict")
        if not re.match(r"(?:not\s*)?medically\s+necessary", verdict, re.I):
            raise LetterError(
                f"unknown decision {verdict.strip()!r} in the finding for {m.group('service')!r} "
                "(expected 'is medically necessary and appropriate' or 'is not ...')",
                line_of(raw, "has determined the request for " + m.group("service")),
            )
        decision = "upheld" if m.group("neg") else "overturned"
        out.append((m.group("service").strip(), decision, m.group(0)))
    return out
