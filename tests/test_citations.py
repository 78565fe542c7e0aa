"""The citation parser and the guideline catalogue, against real-form phrasings.

CITATIONS (tests/data/citations.yml) is a table of guideline statements as
letters print them (the seed letter, the variants in DOMAIN.md section 2,
and phrasings of 2013-2024 letters), each with every citation expected in it,
in letter order; each entry is its own test.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.letters import citations
from generator.letters.citations import parse_citations
from generator.record import guideline_hubs, taxonomy
from generator.record.models import Citation, Determination

TABLE = Path(__file__).parent / "data" / "citations.yml"
CITATIONS: list[dict[str, Any]] = yaml.safe_load(TABLE.read_text(encoding="utf-8"))


def _id(row: dict[str, Any]) -> str:
    return re.sub(r"\s+", " ", row["statement"])[:70] or "<empty>"


FIELDS = ("key", "chapter", "pages", "mtus")


@pytest.mark.parametrize("row", CITATIONS, ids=[_id(r) for r in CITATIONS])
def test_citation_table(row: dict[str, Any]) -> None:
    statement = row["statement"]
    found, warnings = parse_citations(statement)
    got = [{f: getattr(c, f) for f in FIELDS} for c in found]
    assert got == [{f: e.get(f) for f in FIELDS} for e in row["expect"]]
    for c in found:
        assert c.guideline == c.key.split("/")[0]
        assert c.span is not None and statement[c.span[0] : c.span[1]] == c.text
        assert c.text.strip() == c.text and c.text
        assert c.title == (guideline_hubs.section(c.key) or {}).get(
            "title", taxonomy.label("guideline", c.guideline)
        )
    if not any(c.key == "other" for c in found):
        assert warnings == []


def test_table_is_large_enough() -> None:
    assert len(CITATIONS) >= 60
    assert sum(len(r["expect"]) for r in CITATIONS) >= 60
    assert set(r["statement"] for r in CITATIONS) >= set(REQUIRED)


# The statements the brief says MUST parse (each is also a row of the table).
REQUIRED = [
    "Decision based on Non-MTUS Citation California MTUS ACOEM OMPG (Second Edition, 2004), "
    "Chapter 7 Independent Medical Examinations and Consultations, pg. 127",
    "ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 12",
    "CA MTUS/ACOEM",
    "MTUS/ACOEM",
    "ACOEM Guidelines, Chapter 12, page 303",
    "ACOEM Guidelines, Chapter 12, pages 303-\n304",
    "MTUS Chronic Pain Medical Treatment Guidelines Page(s): 74-96",
    "Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Opioids, criteria for use "
    "Page(s): 76-80",
    "CA MTUS Chronic Pain Medical Treatment Guidelines, NSAIDs Page(s): 67-68",
    "Chronic Pain Medical Treatment Guidelines, Topical Analgesics, pp. 111-113",
    "ODG-TWC",
    "Official Disability Guidelines (ODG), Low Back Chapter",
    "ODG, Pain (Chronic)",
    "Official Disability Guidelines (ODG), Knee & Leg (Acute & Chronic), MRI's",
    "ODG Neck and Upper Back (Acute & Chronic), Magnetic resonance imaging (MRI)",
    "MTUS Postsurgical Treatment Guidelines, Page(s): 26-27",
    "MTUS Acupuncture Medical Treatment Guidelines",
    "MTUS Opioids Treatment Guidelines (2016)",
    "MTUS (ACOEM Practice Guidelines, 3rd Edition (2016), Low Back Disorders)",
    "Low Back Disorders (2016)",
    "ACOEM Cervical and Thoracic Spine Disorders (2016)",
    "MTUS Chronic Pain (2017)",
    "ACOEM Chronic Pain Guideline (2017)",
    "Decision based on MTUS Chronic Pain Medical Treatment Guidelines Page(s): 76-80 and ODG, "
    "Pain (Chronic), Opioids",
    "Decision based on Non-MTUS Citation: Peer-reviewed literature: Smith et al, Spine 2010",
    "Decision based on Non-MTUS Citation Harrison's Principles of Internal Medicine",
    "The Claims Administrator did not cite any medical evidence for its decision.",
]


# --- fields of single citations ---------------------------------------------------------------


def _one(statement: str) -> Citation:
    found, warnings = parse_citations(statement)
    assert len(found) == 1, found
    assert warnings == []
    return found[0]


def test_seed_letter_citation() -> None:
    statement = (
        "The Expert Reviewer did not base their decision on the MTUS.  Decision based on Non-MTUS "
        "Citation California MTUS ACOEM OMPG (Second Edition, 2004), Chapter 7 Independent "
        "Medical Examinations and Consultations, pg. 127"
    )
    c = _one(statement)
    assert c.guideline == "acoem-2004"
    assert c.chapter == 7
    assert c.title == "Independent Medical Examinations and Consultations"
    assert c.pages == "127"
    assert c.key == "acoem-2004/ch-07"
    assert c.mtus == "Non-MTUS"
    assert c.text.startswith("California MTUS ACOEM OMPG") and c.text.endswith("pg. 127")
    assert citations.mtus_applied(statement) is False


@pytest.mark.parametrize(
    "statement,topic",
    [
        (
            "Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Opioids, "
            "criteria for use Page(s): 76-80",
            "Opioids, criteria for use",
        ),
        ("CA MTUS Chronic Pain Medical Treatment Guidelines, NSAIDs Page(s): 67-68", "NSAIDs"),
        ("MTUS Chronic Pain Medical Treatment Guidelines Page(s): 74-96", None),
        ("Official Disability Guidelines (ODG), Knee & Leg (Acute & Chronic), MRI's", "MRI's"),
        (
            "ODG Neck and Upper Back (Acute & Chronic), Magnetic resonance imaging (MRI)",
            "Magnetic resonance imaging (MRI)",
        ),
        ("Official Disability Guidelines (ODG), Low Back Chapter", None),
        (
            "ODG Treatment Integrated Treatment/Disability Duration Guidelines Pain (Chronic) - "
            "Compound creams",
            "Compound creams",
        ),
        ("ODG, Pain (Chronic), Opioids", "Opioids"),
        ("ACOEM Guidelines, Chapter 12, page 303", None),
    ],
)
def test_topic_is_printed_words(statement: str, topic: str | None) -> None:
    assert _one(statement).topic == topic


def test_two_citations_keep_order_and_spans() -> None:
    statement = (
        "Decision based on MTUS Chronic Pain Medical Treatment Guidelines Page(s): 76-80 and ODG, "
        "Pain (Chronic), Opioids"
    )
    first, second = parse_citations(statement)[0]
    assert first.text == "MTUS Chronic Pain Medical Treatment Guidelines Page(s): 76-80"
    assert second.text == "ODG, Pain (Chronic), Opioids"
    assert first.span is not None and second.span is not None
    assert first.span[1] < second.span[0]
    assert (second.topic, second.mtus) == ("Opioids", None)


def test_unknown_source_is_other_with_a_warning() -> None:
    found, warnings = parse_citations(
        "Decision based on Non-MTUS Citation Harrison's Principles of Internal Medicine"
    )
    assert [(c.guideline, c.key, c.text) for c in found] == [
        ("other", "other", "Harrison's Principles of Internal Medicine")
    ]
    assert len(warnings) == 1 and "Harrison's Principles of Internal Medicine" in warnings[0]


def test_known_other_source_has_no_warning() -> None:
    assert _one("Decision based on Non-MTUS Citation UpToDate").key == "other/uptodate"


def test_unknown_acoem_chapter_warns() -> None:
    found, warnings = parse_citations("ACOEM Chapter 17")
    assert [c.key for c in found] == ["acoem-2004"]
    assert warnings and "chapter 17" in warnings[0]


def test_bare_mtus_is_other_with_a_warning() -> None:
    found, warnings = parse_citations("Decision based on MTUS")
    assert [(c.key, c.mtus) for c in found] == [("other", "MTUS")]
    assert warnings and "MTUS" in warnings[0]


def test_no_evidence_statement_is_silent() -> None:
    assert parse_citations(
        "The Claims Administrator did not cite any medical evidence for its decision."
    ) == ([], [])


# --- adopt sentence and the MTUS-applied flag ------------------------------------------------

ADOPT = (
    "The Expert Reviewer found the section of the Medical Treatment Utilization Schedule (MTUS) "
    "used by the Claims Administrator relevant and appropriate for the employee's clinical "
    "circumstance."
)


def test_adopt_sentence() -> None:
    assert citations.adopts_claims_administrator(ADOPT)
    assert parse_citations(ADOPT) == ([], [])
    assert not citations.adopts_claims_administrator("ODG, Pain (Chronic)")


def test_adopt_sentence_with_more_citations() -> None:
    statement = ADOPT + " The Expert Reviewer also cited ODG, Knee & Leg, Arthroscopic surgery."
    assert citations.adopts_claims_administrator(statement)
    assert [c.key for c in parse_citations(statement)[0]] == ["odg/knee-leg"]


@pytest.mark.parametrize(
    "statement,applied",
    [
        ("The Expert Reviewer based his/her decision on the MTUS.", True),
        (
            "The Expert Reviewer based his decision on the MTUS Chronic Pain Medical Treatment "
            "Guidelines.",
            True,
        ),
        ("The Expert Reviewer based their decision on the MTUS.", True),
        (
            "The Expert Reviewer did not base their decision on the MTUS.  "
            "Decision based on Non-MTUS Citation ODG-TWC",
            False,
        ),
        ("The Expert Reviewer did not base his/her decision on the MTUS.", False),
        (ADOPT, True),
        ("Decision based on Non-MTUS Citation ODG-TWC", None),
        ("", None),
    ],
)
def test_mtus_applied(statement: str, applied: bool | None) -> None:
    assert citations.mtus_applied(statement) is applied


# --- the catalogue ----------------------------------------------------------------------------

IDS = [
    "acoem-2004",
    "acoem-2007-elbow",
    "mtus-cpmtg",
    "mtus-postsurgical",
    "mtus-acupuncture",
    "mtus-opioids-2016",
    "acoem-mtus-2017",
    "odg",
    "peer-reviewed",
    "other",
]


def test_catalogue_loads_with_fixed_ids() -> None:
    specs = taxonomy.guidelines()
    assert list(specs) == IDS
    for gid, spec in specs.items():
        assert {"label", "short", "mtus", "sections"} <= set(spec), gid
        assert isinstance(spec["mtus"], bool)
        for sid, sec in spec["sections"].items():
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", sid), sid
            assert isinstance(sec.get("title"), str) and sec["title"], (gid, sid)
            if "pages" in sec:
                assert re.fullmatch(r"\d+(-\d+)?(, \d+(-\d+)?)*", str(sec["pages"])), (gid, sid)
            for spelling in sec.get("spellings") or []:
                assert isinstance(spelling, str)


def test_acoem_2004_chapters() -> None:
    sections = taxonomy.guidelines()["acoem-2004"]["sections"]
    assert list(sections) == [f"ch-{n:02d}" for n in range(1, 17)]
    assert all(sec["chapter"] == int(sid[3:]) for sid, sec in sections.items())
    assert sections["ch-12"]["pages"] == "286-326"
    others = [
        s
        for g, spec in taxonomy.guidelines().items()
        if g != "acoem-2004"
        for s in spec["sections"].values()
    ]
    assert not any("chapter" in s for s in others)


def test_every_alias_compiles() -> None:
    bad = []
    for gid, spec in taxonomy.guidelines().items():
        patterns = [*(spec.get("aliases") or []), *(spec.get("signals") or [])]
        patterns += [r["when"] for r in spec.get("redirects") or []]
        patterns += [rx for sec in spec["sections"].values() for rx in sec.get("aliases") or []]
        for rx in patterns:
            try:
                re.compile(rx, re.I)
            except re.error as e:
                bad.append((gid, rx, str(e)))
        assert {r["to"] for r in spec.get("redirects") or []} <= set(IDS)
        assert set(spec.get("see_also") or []) <= set(IDS)
    assert bad == []
    assert citations.parse_citations("ODG") is not None  # the compiled catalogue builds


def test_every_section_title_names_its_section() -> None:
    # the title printed as-is is a citation of that very section
    wrong = []
    for key in guideline_hubs.all_keys():
        sec = guideline_hubs.section(key)
        if sec is None or key.startswith(("other/", "peer-reviewed")):
            continue
        gid = key.split("/")[0]
        name = {
            "acoem-2004": "ACOEM",
            "odg": "ODG",
            "mtus-cpmtg": "Chronic Pain Medical Treatment Guidelines",
            "acoem-mtus-2017": "ACOEM 3rd Edition",
        }[gid]
        found, _ = parse_citations(f"{name}, {sec['title']}")
        if [c.key for c in found] != [key]:
            wrong.append((key, [c.key for c in found]))
    assert wrong == []


# --- unrecognized() over records ---------------------------------------------------------------


def test_unrecognized_lists_other_citations() -> None:
    other, _ = parse_citations("Decision based on Non-MTUS Citation Harrison's Principles")
    known, _ = parse_citations("ODG-TWC")
    item = {
        "service": "MRI of the lumbar spine",
        "category": "diagnostic-testing",
        "decision": "upheld",
        "claims_administrator": {"citations": [c.model_dump() for c in known]},
        "reviewer_guideline": {"citations": [c.model_dump() for c in other]},
    }
    record = Determination.model_validate({"id": "CM13-0012345", "items": [item, item]})
    assert citations.unrecognized([record]) == [
        ("CM13-0012345", 0, "reviewer", "Harrison's Principles"),
        ("CM13-0012345", 1, "reviewer", "Harrison's Principles"),
    ]
    assert citations.unrecognized([]) == []


def test_adopting_a_non_mtus_source_is_not_applying_the_mtus():
    from generator.letters.citations import adopts_claims_administrator, mtus_applied

    odg = ("The Expert Reviewer found the Official Disability Guidelines (ODG) used by the "
           "Claims Administrator relevant and appropriate for the employee.")
    assert adopts_claims_administrator(odg) and mtus_applied(odg) is None
