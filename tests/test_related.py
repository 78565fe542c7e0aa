"""Related determinations (generator/pages/related.py): same subcategory and section."""

from __future__ import annotations

import datetime as dt

from generator.pages.related import related
from tests.factories import make_citation, make_item, make_record


def _rec(case: str, day: int, sub: str | None, key="acoem-2004/ch-07", cat="pharmaceuticals"):
    item = make_item(
        f"service {case}",
        category=cat,
        subcategory=sub,
        reviewer_citations=[make_citation(key=key)],
    )
    return make_record(
        id=case, case_number=case, items=[item], decision_date=dt.date(2016, 1, day), year=2016
    )


def test_same_subcategory_and_section_newest_first():
    a = _rec("CM16-0000001", 1, "opioids")
    b = _rec("CM16-0000002", 2, "opioids")
    c = _rec("CM16-0000003", 3, "opioids")
    other_key = _rec("CM16-0000004", 4, "opioids", key="mtus-cpmtg/opioids")
    other_sub = _rec("CM16-0000005", 5, "nsaids")
    out = related([a, b, c, other_key, other_sub])
    assert [r.id for r in out["CM16-0000001"]][:2] == ["CM16-0000003", "CM16-0000002"]
    # fewer than the limit share the section: the same subcategory follows
    assert [r.id for r in out["CM16-0000001"]] == [
        "CM16-0000003",
        "CM16-0000002",
        "CM16-0000004",
    ]
    assert out["CM16-0000005"] == []


def test_never_itself_and_limited():
    recs = [_rec(f"CM16-00000{n:02d}", n, "opioids") for n in range(1, 20)]
    out = related(recs, limit=5)
    for r in recs:
        ids = [x.id for x in out[r.id]]
        assert r.id not in ids and len(ids) == 5 and len(set(ids)) == 5
    assert [x.id for x in out["CM16-0000001"]] == [f"CM16-00000{n}" for n in range(19, 14, -1)]


def test_no_subcategory_matches_by_category():
    a = _rec("CM16-0000001", 1, None, cat="home-health")
    b = _rec("CM16-0000002", 2, None, cat="home-health")
    c = _rec("CM16-0000003", 3, None, cat="programs")
    out = related([a, b, c])
    assert [r.id for r in out["CM16-0000001"]] == ["CM16-0000002"]


def test_the_page_says_how_its_related_determinations_were_chosen():
    """The page's note matches the order: a fallback of the same subcategory only (another
    section) is listed, so the note must not say every one cites the same section."""
    from generator.pages.determination import RELATED_NOTE, determination_page

    a = _rec("CM16-0000001", 1, "opioids")
    b = _rec("CM16-0000002", 2, "opioids")
    other_key = _rec("CM16-0000004", 4, "opioids", key="mtus-cpmtg/opioids")
    near = related([a, b, other_key])["CM16-0000001"]
    assert [r.id for r in near] == ["CM16-0000002", "CM16-0000004"]  # not newest first
    page = determination_page(a, related=near)
    assert RELATED_NOTE in page and "then others about the same kind of service" in page
    assert "Same service and cited guideline section, newest first." not in page
