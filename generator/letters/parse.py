"""Letter text -> a Determination record.

`parse_letter` is pure: text in, record out, or a `LetterError` that says why
the text cannot be read as a letter (with the line where the problem is).
Everything the parser had to guess is written to the record's `warnings`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from pydantic import ValidationError

from generator.letters import citations, classify, plausible, statements
from generator.letters import patterns as rx
from generator.letters import regions as letter_regions
from generator.letters.clean import clean, join_lines, join_paragraphs
from generator.letters.layouts import BLOCK_NAMES, LetterError, RawItem, line_of, split_letter
from generator.letters.reviewer import parse_reviewer
from generator.record import dating
from generator.record.models import (
    Citation,
    ClaimsAdministratorGuideline,
    Determination,
    Item,
    ReviewerGuideline,
    Source,
)

# --- small helpers --------------------------------------------------------------

# Two-digit years: "06/11/10" is 2010, "06/11/69" is 1969 (IMR began in 2013;
# injuries go back decades). Fixed, so the same letter always reads the same.
TWO_DIGIT_PIVOT = 30


def _to_date(m: re.Match[str]) -> dt.date | None:
    if not all(c.isascii() for c in m.group(0) if c.isdigit()):  # ASCII digits only
        return None
    g = m.groupdict()
    try:
        if g.get("m"):
            y = int(g["y"])
            if y < 100:
                y += 2000 if y <= TWO_DIGIT_PIVOT else 1900
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


_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _month_number(name: str) -> int | None:
    """1-12 for a month name as the patterns matched it: case-insensitively, as they do
    ("\u017fep" is "Sep" to them, and lower() leaves "\u017f" as it is)."""
    return next((n for n, m in enumerate(_MONTHS, 1) if re.fullmatch(m, name[:3], re.I)), None)


def parse_date(value: str) -> dt.date | None:
    """A date as printed in a letter (06/11/10, 8/12/2013, August 12, 2013)."""
    m = rx.ANY_DATE.search(value)
    return _to_date(m) if m else None


def dates_in(text: str) -> list[dt.date]:
    """Every valid date printed in `text`."""
    return [d for m in rx.ANY_DATE.finditer(text) if (d := _to_date(m))]


# --- patient, dates, diagnoses -----------------------------------------------------------


AGE_RANGE = range(1, 111)  # an age outside it is a misprint: null, with a warning


def parse_patient(
    summary: str, salutation: str | None = None, warnings: list[str] | None = None
) -> dict:
    """Age and sex of the patient, from the summary (and an early notice's "Dear Mr.")."""
    age_m = rx.AGE.search(summary)
    age = int(age_m.group(1)) if age_m else None
    if age is not None and age not in AGE_RANGE:
        if warnings is not None:
            warnings.append(f"patient age {age} is outside 1-110; left empty")
        age = None
    return {"age": age, "sex": _sex(summary, salutation)}


def _sex(summary: str, salutation: str | None) -> str | None:
    """'female'/'male' when the letter says so one way only; nouns outrank pronouns.

    "a 45-year-old female" decides; else the nouns (woman, gentleman, ...) and
    the salutation agree; else the pronouns do. A summary naming both (a male
    patient seen by "she", the treating doctor) is left None unless a noun decides.
    """
    m = rx.AGE_SEX.search(summary)
    if m:
        return "female" if rx.FEMALE_NOUN.fullmatch(m.group("noun")) else "male"
    text = rx.SEX_EXCLUDE.sub(" ", summary)
    female, male = bool(rx.FEMALE_NOUN.search(text)), bool(rx.MALE_NOUN.search(text))
    if salutation:
        female, male = female or salutation.lower() != "mr", male or salutation.lower() == "mr"
    if female != male:
        return "female" if female else "male"
    if female and male:
        return None
    female, male = bool(rx.FEMALE.search(text)), bool(rx.MALE.search(text))
    return "female" if female and not male else "male" if male and not female else None


def parse_diagnoses(summary: str) -> list[str]:
    """The diagnoses the summary lists, in order, without repeats."""
    out: list[str] = []
    for m in rx.DIAGNOSES.finditer(summary):
        listed = m.group(1)
        if rx.DIAGNOSIS_NUMBER.search(listed):
            parts = rx.DIAGNOSIS_NUMBER.split(listed)
        elif ";" in listed:
            parts = rx.DIAGNOSIS_SEMICOLONS.split(listed)
        else:
            parts = rx.DIAGNOSIS_SPLIT.split(listed)
        for part in parts:
            part = re.sub(r"^and\s+", "", part.strip(" .;:,"), flags=re.I)
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
        urgent = re.fullmatch("expedited|urgent", pm.group(1), re.I)  # as PRIORITY read it
        priority = "expedited" if urgent else "standard"
    return dates, (cm.group(1).upper() if cm else None), priority  # "cm16-..." is CM16-...


# --- items ---------------------------------------------------------------------------------


def build_item(
    raw_item: RawItem, index: int, fallback_regions: list[str], warnings: list[str], raw: str = ""
) -> Item:
    """One disputed item: its blocks read, classified and cited.

    Item regions: those its service names, else those of the guideline
    chapters cited for it, else the letter's (`fallback_regions`).
    """
    n = index + 1
    ca_text = join_lines("\n".join(raw_item.blocks["ca"]))
    rev_text = join_lines("\n".join(raw_item.blocks["rev"]))
    rationale = join_paragraphs("\n".join(raw_item.blocks["rat"]))
    for key, label in BLOCK_NAMES.items():
        if key in raw_item.expected and not raw_item.blocks[key]:
            warnings.append(f"item {n}: no {label!r} block (truncated letter?)")
    service, original = split_partial_request(raw_item.service)
    category, subcategory, w = classify.classify_service(service)
    warnings += [f"item {n}: {x}" for x in w]
    ca_cits, _, w = read_guideline_statement(ca_text)
    warnings += [f"item {n} claims administrator guideline: {x}" for x in w]
    rev_cits, mtus_applied, w = read_guideline_statement(rev_text)
    warnings += [f"item {n} reviewer guideline: {x}" for x in w]
    if citations.adopts_claims_administrator(rev_text):  # plus anything it "also cited"
        rev_cits = [*ca_cits, *rev_cits]
    verdicts = list(rx.NECESSITY.finditer(rationale))
    decision = raw_item.decision
    if verdicts:
        said = "upheld" if verdicts[-1].group("neg") else "overturned"
        if decision is None:
            decision = said
        elif said != decision:
            warnings.append(
                f"item {n}: the item line says {decision} but the rationale ends "
                f"{verdicts[-1].group(0)!r}"
            )
    if decision is None:
        raise LetterError(f"item {n} ({raw_item.service!r}): no decision found",
                          line_of(raw, raw_item.line))
    regions = (
        classify.regions_in(service)
        or classify.regions_of_guidelines([c.key for c in [*rev_cits, *ca_cits]])
        or list(fallback_regions)
    )
    return Item(
        service=service,
        original_request=original,
        category=category,
        subcategory=subcategory,
        decision=decision,  # type: ignore[arg-type]
        body_regions=regions,
        claims_administrator=ClaimsAdministratorGuideline(text=ca_text, citations=ca_cits),
        reviewer_guideline=ReviewerGuideline(
            text=rev_text, mtus_applied=mtus_applied, citations=rev_cits
        ),
        rationale=rationale,
    )


def split_partial_request(service: str) -> tuple[str, str | None]:
    """(the service decided, the original request or None) of an item's name."""
    decided = rx.DECIDED_PORTION.search(service)
    if not decided or not plausible.has_text(decided.group("decided")):
        return service, None
    original = rx.ORIGINAL_REQUEST.search(service)
    whole = original.group("original").strip() if original else None
    whole = whole if whole and plausible.has_text(whole) else None
    return decided.group("decided").strip(), whole


# A guideline statement names a few guidelines: the longest real one has ~1,800
# characters. Citations are read from the first MAX_STATEMENT characters of a longer one
# (the record keeps all of it), so reading one stays well under a second.
MAX_STATEMENT = 10_000


def read_guideline_statement(text: str) -> tuple[list[Citation], bool | None, list[str]]:
    """(citations, MTUS applied, warnings): the 2016-17 grammar first, else the general reader."""
    cut: list[str] = []
    if len(text) > MAX_STATEMENT:
        cut = [f"statement of {len(text):,} characters: citations read from the first "
               f"{MAX_STATEMENT:,} only"]
        text = text[:MAX_STATEMENT]
    st = statements.read_statement(text)
    if st is not None:
        return st.citations, st.mtus_applied, cut + st.warnings
    cits, warnings = citations.parse_citations(text)
    return cits, citations.mtus_applied(text), cut + warnings


# A letter decides the requests of one application: the real letters hold 1 to ~15. A
# file with more is several letters in one, or a list that is not the letter's items;
# refusing it with the reason keeps its reading linear and short.
MAX_ITEMS = 100


def _items_with_text(raw_items: list[RawItem], warnings: list[str], raw: str) -> list[RawItem]:
    """The items whose service has a letter or a digit; the others are warned of."""
    kept = [r for r in raw_items if plausible.has_text(r.service)]
    if raw_items and not kept:
        raise LetterError("no disputed item names a service (no letter or digit in any)",
                          line_of(raw, raw_items[0].line))
    if len(kept) > MAX_ITEMS:
        raise LetterError(
            f"{len(kept)} disputed items: more than a letter holds (at most {MAX_ITEMS}); "
            "several letters in one file?",
            line_of(raw, kept[MAX_ITEMS].line),
        )
    warnings += [
        f"item line {r.service!r} names no service (no letter or digit); not an item"
        for r in raw_items if r not in kept
    ]
    return kept


# --- the whole letter --------------------------------------------------------------------


def letter_id(cleaned: str, case_number: str | None) -> str:
    if case_number:
        return case_number
    return "imr-" + hashlib.sha256(cleaned.encode("utf-8")).hexdigest()[:16]


def _fill_dates(
    dates: dict[str, dt.date | None], printed: dict[str, str], summary: str
) -> None:
    """Dates the header did not give: the layout's own (as printed), then the injury
    date from the summary."""
    for name, value in printed.items():
        if dates.get(name) is None:
            dates[name] = parse_date(value)
    if dates.get("injury") is None:
        m = rx.INJURY_DATE.search(summary)
        dates["injury"] = parse_date(m.group(1)) if m else None


def _letter_year(
    dates: dict[str, dt.date | None], body: str, warnings: list[str]
) -> tuple[int | None, str | None]:
    """(year, where it came from) by the one year rule (record.dating.year_and_source): the
    decision date, else the letter date, else the latest date printed in the letter (warned)."""
    decided, written = dates.get("decision"), dates.get("letter")
    latest = None
    if decided is None and written is None:
        latest = max((d for d in dates_in(body) if plausible.decision_year(d)), default=None)
    year, source = dating.year_and_source(decided, written, latest)
    if source == "latest_date_in_text":
        warnings.append("year taken from the latest date printed in the letter")
    elif year is None:
        warnings.append("no date found to give the determination a year")
    return year, source


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
    parts = split_letter(body, text)
    warnings: list[str] = list(parts.warnings)

    dates, case_number, priority = parse_header(parts.header, body)
    reviewer = parse_reviewer(parts.reviewer, warnings)
    summary = join_paragraphs(parts.summary)
    if not summary:
        warnings.append("no clinical case summary found")
    patient = parse_patient(summary, parts.salutation, warnings)
    _fill_dates(dates, parts.dates, summary)
    plausible.plausible_dates(dates, warnings)
    diagnoses = parse_diagnoses(summary)

    fallback = letter_regions.context_regions(summary, diagnoses)
    raw_items = _items_with_text(parts.items, warnings, text)
    items = [build_item(r, i, fallback, warnings, text) for i, r in enumerate(raw_items)]

    year, year_source = _letter_year(dates, body, warnings)

    if warned := plausible.case_number_warning(case_number, body):
        warnings.append(warned)
    regions = letter_regions.letter_regions(
        summary, diagnoses, [i.service for i in items], [r for i in items for r in i.body_regions]
    )
    source = Source(path=path, sha256=sha256) if path and sha256 else None
    try:
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
            body_regions=regions,
            clinical_summary=summary,
            items=items,
            warnings=warnings,
        )
    except ValidationError as e:  # what was read does not make a valid record
        raise _invalid(e) from None


def _invalid(e: ValidationError) -> LetterError:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()
    )
    return LetterError(f"the letter reads as an invalid record ({problems})")

