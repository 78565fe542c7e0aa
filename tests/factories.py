"""Valid Determination objects for tests."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from generator.record.models import (
    Citation,
    ClaimsAdministratorGuideline,
    Dates,
    Determination,
    Item,
    Patient,
    Reviewer,
    ReviewerGuideline,
    Source,
)

ACOEM_CH7 = dict(
    guideline="acoem-2004",
    chapter=7,
    title="Independent Medical Examinations and Consultations",
    pages="127",
    mtus="Non-MTUS",
    text=(
        "California MTUS ACOEM OMPG (Second Edition, 2004), Chapter 7 Independent "
        "Medical Examinations and Consultations, pg. 127"
    ),
    key="acoem-2004/ch-07",
)


def make_citation(**overrides: Any) -> Citation:
    return Citation(**{**ACOEM_CH7, **overrides})


def make_item(
    service: str = "MRI of the lumbar spine",
    decision: str = "upheld",
    category: str = "diagnostic-testing",
    subcategory: str | None = "imaging-mri",
    body_regions: list[str] | None = None,
    ca_citations: list[Citation] | None = None,
    reviewer_citations: list[Citation] | None = None,
    **overrides: Any,
) -> Item:
    fields: dict[str, Any] = dict(
        service=service,
        decision=decision,
        category=category,
        subcategory=subcategory,
        body_regions=body_regions if body_regions is not None else ["low-back-lumbar"],
        claims_administrator=ClaimsAdministratorGuideline(
            text="The Claims Administrator did not cite any medical evidence for its decision.",
            citations=ca_citations or [],
        ),
        reviewer_guideline=ReviewerGuideline(
            text="The Expert Reviewer did not base their decision on the MTUS.",
            mtus_applied=False,
            citations=reviewer_citations if reviewer_citations is not None else [make_citation()],
        ),
        rationale="The request is not medically necessary and appropriate.",
    )
    fields.update(overrides)
    return Item(**fields)


def fake_id(seed: str) -> str:
    return "imr-" + hashlib.sha256(seed.encode()).hexdigest()[:16]


def make_record(
    id: str | None = None,
    year: int | None = 2015,
    items: list[Item] | None = None,
    synthetic: bool = True,
    decision_date: dt.date | None = None,
    body_regions: list[str] | None = None,
    specialties: list[str] | None = None,
    **overrides: Any,
) -> Determination:
    """A valid record; the decision date defaults to 1 March of `year`."""
    items = items or [make_item()]
    if decision_date is None and year is not None:
        decision_date = dt.date(year, 3, 1)
    regions = body_regions
    if regions is None:
        regions = sorted({r for i in items for r in i.body_regions})
    fields: dict[str, Any] = dict(
        id=id or fake_id(f"{year}-{decision_date}-{items[0].service}"),
        synthetic=synthetic,
        dates=Dates(decision=decision_date),
        year=year,
        year_source="decision_date" if year is not None else None,
        priority="standard",
        patient=Patient(age=45, sex="female"),
        reviewer=Reviewer(
            specialties=specialties if specialties is not None else ["Orthopedic Surgery"],
            board_certified=True,
            licensed_states=["CA"],
        ),
        diagnoses=["Lumbar radiculopathy"],
        body_regions=regions,
        clinical_summary="The patient is a 45-year-old injured worker.",
        items=items,
    )
    fields.update(overrides)
    return Determination(**fields)


SEED_SUMMARY = (
    "The patient is a 61-year-old injured worker who was injured in a work related accident "
    "on 06/11/10. There is noted to be an injury to the cervical spine for which the claimant "
    "underwent a prior December 2011 two level anterior cervical discectomy and fusion "
    "occurring at the C5 through C7 level.\n\n"
    "Recent clinical imaging included a 02/25/13 MRI report of the cervical spine that showed "
    "prior fusion at C5 through C7. Further clinical imaging or treatment is not indicated."
)

SEED_RATIONALE = (
    'According to the on California ACOEM Guidelines, "The occupational health practitioner '
    'may refer to other specialists if a diagnosis is uncertain or extremely complex". It is '
    "unclear as to what impact there would be on the clinical course with an additional spine "
    "specialist evaluation. The request for a spine consultant w/non MPR is not medically "
    "necessary and appropriate."
)


def seed_like_record() -> Determination:
    """A record shaped like the seed letter (content/letters/seed-letter.txt)."""
    item = Item(
        service="Spine consultant w/non MPN",
        category="evaluation-management",
        subcategory=None,
        decision="upheld",
        body_regions=["neck-cervical"],
        claims_administrator=ClaimsAdministratorGuideline(
            text="The Claims Administrator did not cite any medical evidence for its decision."
        ),
        reviewer_guideline=ReviewerGuideline(
            text=(
                "The Expert Reviewer did not base their decision on the MTUS. Decision based "
                "on Non-MTUS Citation California MTUS ACOEM OMPG (Second Edition, 2004), "
                "Chapter 7 Independent Medical Examinations and Consultations, pg. 127"
            ),
            mtus_applied=False,
            citations=[make_citation()],
        ),
        rationale=SEED_RATIONALE,
    )
    return Determination(
        id="imr-3f2a9c41d07be815",
        synthetic=False,
        source=Source(path="letters/seed-letter.txt", sha256="0" * 63 + "1"),
        dates=Dates(injury=dt.date(2010, 6, 11)),
        year=2013,
        year_source="latest_date_in_text",
        patient=Patient(age=61),
        reviewer=Reviewer(
            specialties=["Orthopedic Surgery"],
            board_certified=True,
            licensed_states=["CT", "CA", "PA"],
        ),
        body_regions=["neck-cervical"],
        clinical_summary=SEED_SUMMARY,
        items=[item],
        warnings=["state name 'Conneticuit' read as CT"],
    )
