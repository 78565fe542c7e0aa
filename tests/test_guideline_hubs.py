"""Guideline hubs as the catalogue names them: keys, section entries, titles, spellings."""

from __future__ import annotations

from generator.record import guideline_hubs


def test_keys_and_hubs() -> None:
    keys = guideline_hubs.all_keys()
    assert keys[0] == "acoem-2004" and "acoem-2004/ch-07" in keys and "other" in keys
    assert len(keys) == len(set(keys))
    for key in keys:
        assert guideline_hubs.hub_title(key)
        assert guideline_hubs.spellings(key)
    assert guideline_hubs.hub_title("acoem-2004/ch-07") == (
        "ACOEM 2004, Chapter 7: Independent Medical Examinations and Consultations"
    )
    assert guideline_hubs.hub_title("odg") == "Official Disability Guidelines (ODG)"
    assert guideline_hubs.hub_title("mtus-cpmtg/nsaids").endswith(
        ": NSAIDs (non-steroidal anti-inflammatory drugs)"
    )


def test_section_lookup() -> None:
    sec = guideline_hubs.section("acoem-2004/ch-12")
    assert sec is not None
    assert (sec["guideline"], sec["id"], sec["chapter"], sec["title"]) == (
        "acoem-2004",
        "ch-12",
        12,
        "Low Back Complaints",
    )
    assert guideline_hubs.section("acoem-2004") is None
    assert guideline_hubs.section("acoem-2004/ch-99") is None
    assert guideline_hubs.section("nope/ch-01") is None


def test_spellings() -> None:
    spelled = guideline_hubs.spellings("acoem-2004/ch-07")
    for s in [
        "ACOEM chapter 7",
        "ACOEM ch. 7",
        "ACOEM ch 7",
        "chapter 7 Independent Medical Examinations and Consultations",
    ]:
        assert s in spelled
    low_back = [s.lower() for s in guideline_hubs.spellings("acoem-2004/ch-12")]
    for s in [
        "acoem chapter 12",
        "acoem ch. 12",
        "chapter 12 low back",
        "mtus low back complaints",
    ]:
        assert s in low_back
    assert len(low_back) == len(set(low_back))
    assert "ODG" in guideline_hubs.spellings("odg")
    # a generated spelling that is another hub's own is left to that hub
    assert "mtus acupuncture" in [s.lower() for s in guideline_hubs.spellings("mtus-acupuncture")]
    assert "mtus acupuncture" not in [
        s.lower() for s in guideline_hubs.spellings("mtus-cpmtg/acupuncture")
    ]
    assert "pages 76-80" in guideline_hubs.spellings("mtus-cpmtg/opioids-criteria-for-use")


def test_keys_outside_the_catalogue() -> None:
    assert guideline_hubs.title("odg/unknown-topic", "Knee & Leg") == (
        "Official Disability Guidelines (ODG): Knee & Leg"
    )
    assert guideline_hubs.title("odg/unknown-topic") == (
        "Official Disability Guidelines (ODG): unknown-topic"
    )
    assert guideline_hubs.title("nope") == "nope"
    assert guideline_hubs.spellings("nope/ch-01") == []
