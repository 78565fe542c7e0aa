"""The one year rule and the newest-first order (generator/record/dating.py)."""

from __future__ import annotations

import datetime as dt

from generator.record.dating import (
    UNDATED,
    counted_year,
    newest_first,
    sort_date,
    year_and_source,
)
from generator.record.models import Dates
from tests.factories import make_record

D13, D14, D15 = dt.date(2013, 5, 1), dt.date(2014, 2, 1), dt.date(2015, 3, 1)


def test_year_and_source_takes_decision_then_letter_then_latest():
    assert year_and_source(D13, D14, D15) == (2013, "decision_date")
    assert year_and_source(None, D14, D15) == (2014, "letter_date")
    assert year_and_source(None, None, D15) == (2015, "latest_date_in_text")
    assert year_and_source(None, None, None) == (None, None)


def test_counted_year_is_the_recorded_year_else_the_rule_over_the_dates():
    assert counted_year(make_record(year=2016, decision_date=D13)) == 2016
    letter = make_record(year=None, decision_date=None, dates=Dates(letter=D14, assigned=D15))
    assert counted_year(letter) == 2014
    injury = make_record(year=None, decision_date=None, dates=Dates(injury=D15))
    assert counted_year(injury) == 2015


def test_sort_date_and_newest_first_follow_the_same_rule():
    by_year = make_record(year=2014, decision_date=None, dates=Dates())
    by_injury = make_record(
        id="imr-0000000000000001", year=None, decision_date=None, dates=Dates(injury=D15)
    )
    undated = make_record(id="imr-0000000000000002", year=None, decision_date=None, dates=Dates())
    decided = make_record(year=2013, decision_date=D13)
    assert sort_date(by_year) == dt.date(2014, 1, 1)
    assert sort_date(by_injury) == dt.date(2015, 1, 1)
    assert sort_date(undated) == UNDATED
    assert sort_date(decided) == D13
    assert newest_first([undated, decided, by_year, by_injury]) == [
        by_injury,
        by_year,
        decided,
        undated,
    ]
