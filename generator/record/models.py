"""The record of one determination (schema_version 2), as typed models.

A record is plain JSON on disk (`content/records/<id>.json`); these models
validate it, name the field of any error, and generate the shipped JSON
Schema. Vocabulary values (regions, categories, guidelines, states) are
checked against the data files loaded by :mod:`generator.record.taxonomy`.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from generator.record import taxonomy

SCHEMA_VERSION: Final = 2
# Versions this code reads: 1 lacks `original_request` on items (new in 2, optional).
READABLE_VERSIONS: Final = (1, 2)

Decision = Literal["upheld", "overturned"]
YearSource = Literal["decision_date", "letter_date", "latest_date_in_text"]
Priority = Literal["standard", "expedited"]
Sex = Literal["female", "male"]

# ASCII digits only ([0-9], not \d: in the schema's regex engine \d is any Unicode digit)
PAGES_PATTERN = r"^[0-9]+[A-Za-z]?(-[0-9]+[A-Za-z]?)?(, ?[0-9]+[A-Za-z]?(-[0-9]+[A-Za-z]?)?)*$"
CASE_NUMBER_PATTERN = r"^CM[0-9]{2}-[0-9]{7}$"
ID_PATTERN = r"^(CM[0-9]{2}-[0-9]{7}|imr-[0-9a-f]{16})$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_vocab(kind: str, values: list[str]) -> list[str]:
    known = taxonomy.vocabulary(kind)
    bad = [v for v in values if v not in known]
    if bad:
        raise ValueError(f"unknown {kind} value(s) {bad}; known: {sorted(known)}")
    return values


class Source(_Model):
    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Dates(_Model):
    injury: dt.date | None = None
    decision: dt.date | None = None
    assigned: dt.date | None = None
    ur_denial: dt.date | None = None
    application_received: dt.date | None = None
    letter: dt.date | None = None


class Patient(_Model):
    age: int | None = Field(default=None, ge=0, le=120)
    sex: Sex | None = None


class Reviewer(_Model):
    specialties: list[str] = Field(default_factory=list)
    board_certified: bool | None = None
    licensed_states: list[str] = Field(default_factory=list)

    @field_validator("licensed_states")
    @classmethod
    def _states(cls, v: list[str]) -> list[str]:
        return _check_vocab("state", v)


class Citation(_Model):
    """One guideline passage cited in a guideline statement."""

    guideline: str
    chapter: int | None = None
    title: str | None = None
    topic: str | None = None
    pages: str | None = Field(default=None, pattern=PAGES_PATTERN)
    mtus: Literal["MTUS", "Non-MTUS"] | None = None
    text: str
    key: str
    span: tuple[int, int] | None = None  # offsets of `text` in the statement

    @field_validator("guideline")
    @classmethod
    def _guideline(cls, v: str) -> str:
        return _check_vocab("guideline", [v])[0]


class ClaimsAdministratorGuideline(_Model):
    text: str = ""
    citations: list[Citation] = Field(default_factory=list)


class ReviewerGuideline(_Model):
    text: str = ""
    mtus_applied: bool | None = None
    citations: list[Citation] = Field(default_factory=list)


class Item(_Model):
    """One disputed item/service and the decision on it."""

    service: str = Field(min_length=1)
    # A partly authorized request: the whole request as the letter names it; `service`
    # is then the remaining portion the decision applies to.
    original_request: str | None = None
    category: str
    subcategory: str | None = None
    decision: Decision
    body_regions: list[str] = Field(default_factory=list)
    claims_administrator: ClaimsAdministratorGuideline = Field(
        default_factory=ClaimsAdministratorGuideline
    )
    reviewer_guideline: ReviewerGuideline = Field(default_factory=ReviewerGuideline)
    rationale: str = ""

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        return _check_vocab("category", [v])[0]

    @field_validator("subcategory")
    @classmethod
    def _subcategory(cls, v: str | None) -> str | None:
        if v is not None:
            _check_vocab("subcategory", [v])
        return v

    @field_validator("body_regions")
    @classmethod
    def _regions(cls, v: list[str]) -> list[str]:
        return _check_vocab("region", v)

    @property
    def citations(self) -> list[tuple[str, Citation]]:
        """Every citation of the item with who made it: 'claims_administrator' or 'reviewer'."""
        return [("claims_administrator", c) for c in self.claims_administrator.citations] + [
            ("reviewer", c) for c in self.reviewer_guideline.citations
        ]


class Determination(_Model):
    """One IMR final determination letter, structured."""

    schema_version: Literal[1, 2] = SCHEMA_VERSION
    id: str = Field(pattern=ID_PATTERN)
    case_number: str | None = Field(default=None, pattern=CASE_NUMBER_PATTERN)
    synthetic: bool = False
    source: Source | None = None
    dates: Dates = Field(default_factory=Dates)
    year: int | None = Field(default=None, ge=2000, le=2100)
    year_source: YearSource | None = None
    priority: Priority | None = None
    patient: Patient = Field(default_factory=Patient)
    reviewer: Reviewer = Field(default_factory=Reviewer)
    diagnoses: list[str] = Field(default_factory=list)
    body_regions: list[str] = Field(default_factory=list)
    clinical_summary: str = ""
    items: list[Item] = Field(min_length=1)
    warnings: list[str] = Field(default_factory=list)

    @field_validator("body_regions")
    @classmethod
    def _regions(cls, v: list[str]) -> list[str]:
        return _check_vocab("region", v)

    @property
    def decision_summary(self) -> str:
        """'upheld', 'overturned' or 'partially overturned' over all items."""
        decisions = {i.decision for i in self.items}
        if decisions == {"upheld"}:
            return "upheld"
        if decisions == {"overturned"}:
            return "overturned"
        return "partially overturned"


def json_schema() -> dict:
    """The JSON Schema of a record, as shipped in the site and the package."""
    schema = Determination.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"IMR determination record (schema_version {SCHEMA_VERSION})"
    return schema
