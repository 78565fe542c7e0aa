"""stats: counting rules on small hand-made selections (numbers worked out by hand)."""

from __future__ import annotations

import datetime as dt

from generator.pages.stats import Counts, by_key, by_year, count, format_rate
from generator.record.dating import counted_year
from generator.record.models import Dates
from tests.factories import make_item, make_record


def test_partially_overturned_determination_counts_once_per_item():
    r = make_record(
        items=[
            make_item(decision="upheld"),
            make_item(service="PT", decision="overturned"),
            make_item(service="Norco", decision="overturned"),
        ]
    )
    c = count([(r, r.items)])
    assert c == Counts(determinations=1, items=3, upheld=1, overturned=2)
    assert c.overturn_rate == 2 / 3
    assert format_rate(c.overturn_rate) == "67%"


def test_empty_selection_and_rate():
    assert count([]) == Counts()
    assert Counts().overturn_rate is None
    assert format_rate(None) == "–"
    assert format_rate(0.125) == "12%"  # round half to even, as Python rounds
    assert format_rate(1.0) == "100%"


def test_record_year_falls_back_to_latest_date():
    r = make_record(
        year=None,
        decision_date=None,
        dates=Dates(injury=dt.date(2010, 6, 11), letter=dt.date(2014, 2, 1)),
    )
    assert counted_year(r) == 2014
    assert counted_year(make_record(year=None, decision_date=None, dates=Dates())) is None


def test_by_year_fills_gaps_and_keeps_undated_apart():
    a = make_record(year=2013, items=[make_item(decision="overturned")])
    b = make_record(year=2016, items=[make_item(), make_item(service="PT")])
    undated = make_record(year=None, decision_date=None, dates=Dates())
    series = by_year((r, r.items) for r in (b, undated, a))
    assert [y for y, _c in series.years] == [2013, 2014, 2015, 2016]
    assert dict(series.years)[2013] == Counts(1, 1, 0, 1)
    assert dict(series.years)[2014] == Counts()
    assert dict(series.years)[2016] == Counts(1, 2, 2, 0)
    assert series.undated == Counts(1, 1, 1, 0)
    assert by_year([]).years == ()


def test_by_key_counts_a_determination_once_per_group():
    r = make_record(
        items=[
            make_item(category="pharmaceuticals", subcategory="opioids"),
            make_item(
                service="Tramadol",
                category="pharmaceuticals",
                subcategory="opioids",
                decision="overturned",
            ),
            make_item(service="PT", category="rehabilitation", subcategory=None),
        ]
    )
    groups = by_key([(r, r.items)], lambda i: i.category)
    assert groups == {
        "pharmaceuticals": Counts(1, 2, 1, 1),
        "rehabilitation": Counts(1, 1, 1, 0),
    }


def test_rates_show_their_n_and_are_counts_below_ten_items():
    from generator.pages.stats import MIN_RATE_ITEMS, rate_text, shown_rate

    assert MIN_RATE_ITEMS == 10
    assert rate_text(Counts(5, 12, 9, 3)) == "25% of 12"
    assert rate_text(Counts(3, 9, 6, 3)) == "3 of 9 overturned"
    assert rate_text(Counts()) == "–"
    assert shown_rate(Counts(3, 9, 6, 3)) is None and shown_rate(Counts(1, 10, 5, 5)) == 0.5
