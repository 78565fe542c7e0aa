"""Letter text -> a Determination record.

`parse_letter` is pure: text in, record out, or a `LetterError` that says why
the text cannot be read as a letter (with the line where the problem is).
Everything the parser had to guess is written to the record's `warnings`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from . import citations, classify, taxonomy
from . import regexes as rx
from .clean import clean, join_lines, join_paragraphs
from .models import (
    ClaimsAdministratorGuideline,
    Determination,
    Item,
    ReviewerGuideline,
    Source,
)


class LetterError(ValueError):
    """The text cannot be read as an IMR determination letter."""

    def __init__(self, reason: str, line: int | None = None):
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line else reason)


# --- small helpers --------------------------------------------------------------


def _to_date(m: re.Match[str]) -> dt.date | None:
    g = m.groupdict()
    try:
        if g.get("m"):
            y = int(g["y"])
            if y < 100:
                y += 2000 if y < 70 else 1900
            return dt.date(y, int(g["m"]), int(g["d"]))
        mon = g.get("mon") or g.get("mon2") or ""
        day = g.get("wd") or g.get("wd2")
        year = g.get("wy") or g.get("wy2")
        month = _month_number(mon)
        if month and day and year:
            return dt.date(int(year), month, int(day))
    except ValueError:
        return None
    return None


def _month_number(name: str) -> int | None:
    key = name.lower()[:3]
    names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    return names.index(key) + 1 if key in names else None


def parse_date(value: str) -> dt.date | None:
    """A date as printed in a letter (06/11/10, 8/12/2013, August 12, 2013)."""
    m = rx.ANY_DATE.search(value)
    return _to_date(m) if m else None


def dates_in(text: str) -> list[dt.date]:
    """Every valid date printed in `text`."""
    return [d for m in rx.ANY_DATE.finditer(text) if (d := _to_date(m))]


def line_of(raw: str, snippet: str) -> int | None:
    """1-based line of `raw` where `snippet` (or its first words) appears."""
    words = snippet.split()[:6]
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, raw)
    return raw.count("\n", 0, m.start()) + 1 if m else None


# --- sections ---------------------------------------------------------------------------


@dataclass
class Sections:
    header: str
    how: str
    summary: str
    issues: str


def split_sections(text: str, raw: str) -> Sections:
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
                "RATIONALES' was found"
            )
        raise LetterError(
            "truncated letter: no 'IMR ISSUES, DECISIONS AND RATIONALES' section after line "
            f"{line_of(raw, text.strip().splitlines()[-1]) or '?'}",
            line_of(raw, text.strip().splitlines()[-1]),
        )
    order = sorted(found.items(), key=lambda kv: kv[1].start())
    parts = {name: "" for name in ("how", "summary", "issues")}
    for i, (name, m) in enumerate(order):
        end = order[i + 1][1].start() if i + 1 < len(order) else len(text)
        parts[name] = text[m.end() : end].strip("\n")
    header = text[: order[0][1].start()]
    return Sections(header, parts["how"], parts["summary"], parts["issues"])


# --- reviewer ----------------------------------------------------------------------------


def parse_reviewer(how: str, warnings: list[str]) -> dict:
    text = join_lines(how)
    specialties: list[str] = []
    board = rx.BOARD_CERTIFIED.search(text)
    if board:
        specialties.append(board.group(1).strip())
    specialties += [m.group(1).strip() for m in rx.SUBSPECIALTY.finditer(text)]
    board_certified: bool | None = True if board else None
    if rx.NOT_BOARD_CERTIFIED.search(text):
        board_certified = False
    states: list[str] = []
    lic = rx.LICENSED_IN.search(text)
    if lic:
        for name in rx.STATE_SPLIT.split(lic.group(1)):
            name = name.strip()
            if not name:
                continue
            code, exact = taxonomy.state_code(name)
            if code is None:
                warnings.append(f"licensed state {name!r} not recognized; left out")
                continue
            if not exact:
                warnings.append(f"licensed state {name!r} read as {code}")
            if code not in states:
                states.append(code)
    if how.strip() and not specialties:
        warnings.append("reviewer specialty not found")
    return {
        "specialties": list(dict.fromkeys(specialties)),
        "board_certified": board_certified,
        "licensed_states": states,
    }


# --- patient, dates, diagnoses -----------------------------------------------------------


def parse_patient(summary: str) -> dict:
    age_m = rx.AGE.search(summary)
    age = int(age_m.group(1)) if age_m and int(age_m.group(1)) <= 120 else None
    text = rx.SEX_EXCLUDE.sub(" ", summary)
    female, male = bool(rx.FEMALE.search(text)), bool(rx.MALE.search(text))
    sex = "female" if female and not male else "male" if male and not female else None
    return {"age": age, "sex": sex}


def parse_diagnoses(summary: str) -> list[str]:
    out: list[str] = []
    for m in rx.DIAGNOSES.finditer(summary):
        for part in rx.DIAGNOSIS_SPLIT.split(m.group(1)):
            part = part.strip(" .;:")
            if part and len(part) > 2 and part.lower() not in (p.lower() for p in out):
                out.append(part)
    return out


def parse_header(header_text: str, full_text: str) -> tuple[dict, str | None, str | None]:
    """(dates, case number, priority) from the header block (else the whole letter)."""
    dates: dict[str, dt.date | None] = {}
    for name, pat in rx.HEADER_FIELDS.items():
        if name == "case_number":
            continue
        m = pat.search(header_text) or pat.search(full_text)
        dates[name] = parse_date(m.group(1)) if m else None
    cm = rx.HEADER_FIELDS["case_number"].search(full_text) or rx.CASE_NUMBER.search(header_text)
    pm = rx.PRIORITY.search(header_text) or rx.PRIORITY.search(full_text)
    priority = None
    if pm:
        word = pm.group(1).lower()
        priority = "expedited" if word in ("expedited", "urgent") else "standard"
    return dates, (cm.group(1) if cm else None), priority


# --- items ---------------------------------------------------------------------------------


@dataclass
class RawItem:
    service: str
    decision: str
    line: str
    blocks: dict[str, list[str]] = field(default_factory=lambda: {"ca": [], "rev": [], "rat": []})


def _label(line: str) -> tuple[str, str] | None:
    for name, pat in (("ca", rx.LABEL_CA), ("rev", rx.LABEL_REVIEWER), ("rat", rx.LABEL_RATIONALE)):
        m = pat.match(line)
        if m:
            return name, line[m.end() :]
    return None


def _item_header(line: str, lines: list[str], i: int, para_start: int) -> tuple[str, str, int] | None:
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
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
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
            items.append(RawItem(service, decision, line))
            block = None
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
            if not items:
                raise LetterError(
                    f"a {line.split(':')[0].strip()!r} block comes before any disputed item",
                    line_of(raw, line),
                )
            block = items[-1].blocks[label[0]]
            block.append(label[1])
        elif block is not None:
            block.append(line if para_start != i or not block else "\n" + line)
        i += 1
    return items


def build_item(raw_item: RawItem, index: int, fallback_regions: list[str], warnings: list[str]) -> Item:
    n = index + 1
    ca_text = join_lines("\n".join(raw_item.blocks["ca"]))
    rev_text = join_lines("\n".join(raw_item.blocks["rev"]))
    rationale = join_paragraphs("\n".join(raw_item.blocks["rat"]))
    for key, label in (("ca", "Claims Administrator guideline"), ("rev", "MAXIMUS guideline"),
                       ("rat", "Decision rationale")):
        if not raw_item.blocks[key]:
            warnings.append(f"item {n}: no {label!r} block (truncated letter?)")
    category, subcategory, w = classify.classify_service(raw_item.service)
    warnings += [f"item {n}: {x}" for x in w]
    ca_cits, w = citations.parse_citations(ca_text)
    warnings += [f"item {n} claims administrator guideline: {x}" for x in w]
    rev_cits, w = citations.parse_citations(rev_text)
    warnings += [f"item {n} reviewer guideline: {x}" for x in w]
    if citations.adopts_claims_administrator(rev_text):  # plus anything it "also cited"
        rev_cits = [*ca_cits, *rev_cits]
    verdicts = list(rx.NECESSITY.finditer(rationale))
    if verdicts:
        said = "upheld" if verdicts[-1].group("neg") else "overturned"
        if said != raw_item.decision:
            warnings.append(
                f"item {n}: the item line says {raw_item.decision} but the rationale ends "
                f"{verdicts[-1].group(0)!r}"
            )
    regions = classify.regions_in(raw_item.service) or list(fallback_regions)
    return Item(
        service=raw_item.service,
        category=category,
        subcategory=subcategory,
        decision=raw_item.decision,  # type: ignore[arg-type]
        body_regions=regions,
        claims_administrator=ClaimsAdministratorGuideline(text=ca_text, citations=ca_cits),
        reviewer_guideline=ReviewerGuideline(
            text=rev_text, mtus_applied=citations.mtus_applied(rev_text), citations=rev_cits
        ),
        rationale=rationale,
    )


# --- the whole letter --------------------------------------------------------------------


def letter_id(cleaned: str, case_number: str | None) -> str:
    if case_number:
        return case_number
    return "imr-" + hashlib.sha256(cleaned.encode("utf-8")).hexdigest()[:16]


def parse_letter(
    text: str, path: str | None = None, *, sha256: str | None = None
) -> Determination:
    """Parse one letter's text into a validated Determination.

    `path` and `sha256` describe the source file (recorded in `source`).
    Raises LetterError when the text is not a readable letter.
    """
    if not text.strip():
        raise LetterError("empty letter: no text")
    cleaned = clean(text)
    synthetic = bool(rx.SYNTHETIC_MARKER.search(cleaned))
    body = rx.SYNTHETIC_MARKER.sub("", cleaned)
    sections = split_sections(body, text)
    warnings: list[str] = []

    dates, case_number, priority = parse_header(sections.header, body)
    reviewer = parse_reviewer(sections.how, warnings)
    summary = join_paragraphs(rx.SUMMARY_INTRO.sub("", sections.summary, count=1))
    if not summary:
        warnings.append("no clinical case summary found")
    patient = parse_patient(summary)
    if dates.get("injury") is None:
        m = rx.INJURY_DATE.search(summary)
        dates["injury"] = parse_date(m.group(1)) if m else None
    diagnoses = parse_diagnoses(summary)

    raw_items = split_items(sections.issues, text)
    if not raw_items:
        raise LetterError(
            "no disputed item found: expected lines like '<service> :  Upheld' after "
            "'IMR ISSUES, DECISIONS AND RATIONALES'",
            line_of(text, "IMR ISSUES"),
        )
    context_regions = classify.regions_in(" ; ".join(diagnoses)) or classify.main_regions(summary)
    items = [build_item(r, i, context_regions, warnings) for i, r in enumerate(raw_items)]

    year, year_source = None, None
    if dates.get("decision"):
        year, year_source = dates["decision"].year, "decision_date"  # type: ignore[union-attr]
    elif dates.get("letter"):
        year, year_source = dates["letter"].year, "letter_date"  # type: ignore[union-attr]
    else:
        found = dates_in(body)
        if found:
            year, year_source = max(found).year, "latest_date_in_text"
            warnings.append("year taken from the latest date printed in the letter")
        else:
            warnings.append("no date found to give the determination a year")

    regions = set(context_regions)
    for item in items:
        regions.update(item.body_regions)
    source = Source(path=path, sha256=sha256) if path and sha256 else None
    return Determination(
        id=letter_id(cleaned, case_number),
        case_number=case_number,
        synthetic=synthetic,
        source=source,
        dates=dates,  # type: ignore[arg-type]
        year=year,
        year_source=year_source,  # type: ignore[arg-type]
        priority=priority,  # type: ignore[arg-type]
        patient=patient,  # type: ignore[arg-type]
        reviewer=reviewer,  # type: ignore[arg-type]
        diagnoses=diagnoses,
        body_regions=[r for r in taxonomy.regions() if r in regions],
        clinical_summary=summary,
        items=items,
        warnings=warnings,
    )
