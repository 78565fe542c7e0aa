"""Rules a reader can trust (issue 17): what a letter prints but a record cannot hold.

A misprinted date (1111-11-11, 2121-12-12) or a service line of nothing but marks is
not a reason to reject a letter: the value is left out, and the record says so in
its warnings.
"""

from __future__ import annotations

import datetime as dt
import re

# No injury before 1950; a decision (and the letter date, which stands in for it)
# from 2000 to 2100; no date later than the decision date plus a year.
EARLIEST = dt.date(1950, 1, 1)
DECISION_YEARS = range(2000, 2101)
AFTER_DECISION = dt.timedelta(days=366)
_DECIDING = ("decision", "letter")  # the dates that give the record its year

_CASE_LIKE = re.compile(r"\bCM\s*[0-9]{2}\s*-\s*[0-9]+", re.I)


def decision_year(d: dt.date) -> bool:
    """Whether `d` can be the date of a decision."""
    return d.year in DECISION_YEARS


def plausible_dates(dates: dict[str, dt.date | None], warnings: list[str]) -> None:
    """Set every implausible date of `dates` to None, with a warning for each."""
    for name in _DECIDING:
        d = dates.get(name)
        if d is not None and not decision_year(d):
            warnings.append(f"{name} date {d.isoformat()} is not in 2000-2100; left empty")
            dates[name] = None
    reference = dates.get("decision") or dates.get("letter")
    latest = (reference or dt.date(DECISION_YEARS[-1], 12, 31)) + AFTER_DECISION
    after = "2100"
    if reference is not None:
        after = "the " + ("decision" if reference == dates.get("decision") else "letter")
        after += f" date {reference.isoformat()}"
    for name, d in dates.items():
        if d is not None and d < EARLIEST:
            warnings.append(f"{name} date {d.isoformat()} is before 1950; left empty")
            dates[name] = None
        elif d is not None and d > latest:
            warnings.append(f"{name} date {d.isoformat()} is over a year after {after}; left empty")
            dates[name] = None


def has_text(value: str) -> bool:
    """Whether `value` holds a letter or a digit (a service of marks alone is no service)."""
    return any(c.isalnum() for c in value)


def case_number_warning(case_number: str | None, text: str) -> str | None:
    """A warning when the letter prints something like a case number that cannot be one
    ("CM13-00123456": eight digits), so the record got a text id instead."""
    if case_number is not None:
        return None
    m = _CASE_LIKE.search(text)
    if m is None:
        return None
    return (
        f"case number {m.group(0)!r} is not CM##-####### (two digits, a hyphen, seven "
        "digits); the record's id is made from the text"
    )
