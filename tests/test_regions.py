"""The body regions of a letter: the worker's diagnoses, own complaints and disputed services."""

from __future__ import annotations

import pytest

from generator.letters.regions import complaints, letter_regions


def regions(summary: str, diagnoses: list[str] = (), services: list[str] = ()) -> list[str]:
    return letter_regions(summary, list(diagnoses), list(services), [])


def test_bare_back_in_a_complaint_is_the_low_back():
    summary = "The worker complains of neck, back and right shoulder pain."
    assert regions(summary) == ["neck-cervical", "low-back-lumbar", "shoulder"]


def test_upper_and_lower_back_are_two_regions():
    summary = "She reported that something was poking her upper and lower back."
    assert regions(summary) == ["thoracic", "low-back-lumbar"]


def test_back_as_a_word_of_time_or_place_is_no_region():
    summary = "He reported that he held back from lifting and went back to work. Knee pain."
    assert regions(summary, ["right knee sprain"]) == ["knee"]


def test_radiating_pain_names_only_where_it_starts():
    summary = "He reported right hip pain radiating to the right ankle and foot."
    assert regions(summary) == ["hip-pelvis"]


def test_numbness_and_denied_symptoms_name_no_region():
    summary = (
        "She complains of right elbow pain with no paresthesia in the right hand. "
        "She reported bilateral hand numbness at night."
    )
    assert regions(summary) == ["elbow"]


def test_psychiatric_words_count_only_as_diagnoses():
    summary = "He reported low back pain with psychological stress."
    assert regions(summary, ["lumbar strain"]) == ["low-back-lumbar"]
    assert regions(summary, ["lumbar strain", "major depressive disorder"]) == [
        "low-back-lumbar",
        "psych-mental",
    ]
    # a drug for anxiety before an MRI is not a psychiatric claim
    assert regions(summary, ["lumbar strain"], ["Valium 5mg for anxiety before MRI"]) == [
        "low-back-lumbar"
    ]


def test_rule_out_diagnoses_are_not_stated_diagnoses():
    assert regions("", ["left foot pain", "rule out complex regional pain syndrome"]) == [
        "ankle-foot"
    ]


def test_the_injury_report_is_not_a_complaint():
    summary = "She reported an injury on 07/19/2012 when a box fell on her head and neck."
    assert "head-brain" not in regions(summary, ["cervicalgia"])


@pytest.mark.parametrize(
    ("words", "region"),
    [
        ("contusion of the scalp", "head-brain"),
        ("left thigh contusion", "hip-pelvis"),
        ("sprain of sacroiliac joint", "hip-pelvis"),
        ("right upper arm strain", "shoulder"),
        ("rib contusion", "thoracic"),
        ("multiple trauma", "chronic-pain-multiple"),
    ],
)
def test_mapping_of_sites_without_a_region_of_their_own(words, region):
    assert regions("", [words]) == [region]


def test_services_name_regions_but_a_knee_scooter_is_not_a_knee():
    assert regions("", ["plantar fasciitis"], ["Knee scooter rental"]) == ["ankle-foot"]
    assert regions("", ["plantar fasciitis"], ["MRI of the right knee"]) == ["knee", "ankle-foot"]


def test_nothing_named_falls_back_on_what_the_summary_is_about():
    summary = "Lumbar MRI showed a disc bulge. Lumbar tenderness was noted."
    assert regions(summary) == ["low-back-lumbar"]
    assert letter_regions("No sites here.", [], [], ["knee"]) == ["knee"]


def test_complaints_are_cut_where_they_speak_of_elsewhere():
    assert complaints("He complains of neck pain radiating to the arms, and low back pain.") == [
        "neck pain , and low back pain"
    ]


def test_chronic_pain_of_a_named_part_is_chronic_pain_and_that_part():
    summary = "The worker reported ongoing issues with chronic low back pain."
    assert regions(summary) == ["low-back-lumbar", "chronic-pain-multiple"]
    assert regions("", ["chronic posttraumatic headache", "cervical strain"]) == [
        "neck-cervical",
        "head-brain",
        "chronic-pain-multiple",
    ]
    # "chronic" of something that is not pain says nothing of chronic pain
    assert regions("He complains of knee pain with chronic swelling.") == ["knee"]


def test_posttraumatic_stress_is_psychiatric_however_spelled():
    for spelling in ("posttraumatic stress disorder", "post-traumatic stress disorder"):
        assert regions("", ["lumbar strain", spelling]) == ["low-back-lumbar", "psych-mental"]
