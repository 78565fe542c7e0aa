"""The body regions of a letter: where the worker's injury is, not every body part it names.

A letter's regions are those named by the worker's stated diagnoses and own
complaints, and by the disputed services. In a complaint, a pain that
radiates elsewhere names only where it starts, and a denied symptom names
nothing; psychiatric words count only when they are diagnoses (not in a
complaint, nor in a service: "Valium before the MRI for anxiety"). When none of
these names a region, the regions the clinical summary is mostly about stand
in, then those of the guideline chapters cited for the items.
"""

from __future__ import annotations

from generator.letters import classify
from generator.letters import patterns as rx
from generator.record import taxonomy

PSYCH = "psych-mental"


def _sites(texts: list[str]) -> list[str]:
    """Each text with what it says of somewhere else cut (radiating pain, a denied symptom)."""
    return [rx.NOT_THE_SITE.sub("", t) for t in texts]


def complaints(summary: str) -> list[str]:
    """The worker's own complaints in the summary, with what they say of elsewhere cut."""
    return _sites([m.group(1) for m in rx.COMPLAINTS.finditer(summary)])


def letter_regions(
    summary: str, diagnoses: list[str], services: list[str], cited: list[str]
) -> list[str]:
    """The letter's regions, in vocabulary order (`cited`: the item regions from guidelines)."""
    found = set(classify.regions_in(" ; ".join(_sites(diagnoses)), complaint=True))
    named_elsewhere = [*complaints(summary), *services]
    found.update(
        r for r in classify.regions_in(" ; ".join(named_elsewhere), complaint=True) if r != PSYCH
    )
    if not found:
        found.update(classify.main_regions(summary) or cited)
    return [r for r in taxonomy.regions() if r in found]


def context_regions(summary: str, diagnoses: list[str]) -> list[str]:
    """What an item that names no region and cites no chapter falls back on."""
    return classify.regions_in(
        " ; ".join([*diagnoses, *complaints(summary)]), complaint=True
    ) or classify.main_regions(summary)
