"""Related determinations (generator/pages/related.py): the neighbours in decision order,
same subcategory and section first; adding newer determinations changes few lists."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.pages.related import DEFAULT_LIMIT, _kinds, _pairs, related
from generator.record.dating import newest_first
from generator.record.models import Determination
from tests.factories import make_citation, make_item, make_record

CH7 = "acoem-2004/ch-07"


def _rec(case: str, day: int | None, sub: str | None, key=CH7, cat="pharmaceuticals"):
    """A record of one item citing `key`, decided on `day` of 2016 (undated when None)."""
    item = make_item(
        f"service {case}",
        category=cat,
        subcategory=sub,
        reviewer_citations=[make_citation(key=key)],
    )
    if day is None:
        return make_record(id=case, case_number=case, items=[item], year=None)
    date = dt.date(2016, 1, 1) + dt.timedelta(days=day)
    return make_record(id=case, case_number=case, items=[item], decision_date=date, year=2016)


def _case(n: int) -> str:
    return f"CM16-{n:07d}"


def _ids(out, n: int) -> list[int]:
    return [int(r.id[5:]) for r in out[_case(n)]]


def test_three_before_and_two_after_listed_newest_first():
    out = related([_rec(_case(n), n, "opioids") for n in range(1, 11)])
    assert _ids(out, 5) == [7, 6, 4, 3, 2]


def test_a_short_side_is_filled_from_the_other():
    out = related([_rec(_case(n), n, "opioids") for n in range(1, 11)])
    assert _ids(out, 10) == [9, 8, 7, 6, 5]  # newest: none after
    assert _ids(out, 9) == [10, 8, 7, 6, 5]  # one after
    assert _ids(out, 1) == [6, 5, 4, 3, 2]  # oldest: none before
    assert _ids(out, 2) == [6, 5, 4, 3, 1]  # one before


def test_a_small_group_lists_all_the_others():
    out = related([_rec(_case(n), n, "opioids") for n in range(1, 4)])
    assert _ids(out, 1) == [3, 2] and _ids(out, 2) == [3, 1] and _ids(out, 3) == [2, 1]


def test_ties_in_date_go_by_id_whatever_the_input_order():
    recs = [_rec(_case(n), 1, "opioids") for n in range(1, 11)]
    random.Random(7).shuffle(recs)
    out = related(recs)
    # as listings order them: newest first, ties by id, so a smaller id counts as newer
    assert _ids(out, 5) == [3, 4, 6, 7, 8]
    assert out == related(list(reversed(recs)))


def test_same_section_first_then_same_subcategory_each_newest_first():
    same = [_rec(_case(n), n, "opioids") for n in (4, 6)]
    other_key = [_rec(_case(n), n, "opioids", key="mtus-cpmtg/opioids") for n in range(1, 10, 2)]
    other_sub = _rec(_case(20), 20, "nsaids")
    out = related([*same, *other_key, other_sub])
    # 4: its section gives 6 (after); the subcategory gives the rest, three before as
    # far as there are (3, 1) and the places left after (5, 7)
    assert _ids(out, 4) == [6, 7, 5, 3, 1]
    # 6: its section gives 4 (before, one of three); then two more before (5, 3) and
    # two after (9, 7)
    assert _ids(out, 6) == [4, 9, 7, 5, 3]
    assert _ids(out, 20) == []


def test_alone_in_its_group_takes_the_subcategory_neighbours():
    recs = [_rec(_case(n), 2 * n, "opioids") for n in range(1, 11)]
    alone = _rec(_case(55), 9, "opioids", key="mtus-cpmtg/opioids")  # between 4 and 5
    out = related([*recs, alone])
    # three before (4, 3, 2) and two after (6, 5)
    assert _ids(out, 55) == [6, 5, 4, 3, 2]
    assert 55 not in _ids(out, 5)  # 5's own section has five neighbours: 55 is not needed


def test_undated_come_before_every_dated_one():
    dated = [_rec(_case(n), n, "opioids") for n in range(1, 6)]
    undated = [_rec(_case(n), None, "opioids") for n in (90, 91)]
    out = related([*dated, *undated], limit=3)
    # decision order 91, 90, 1, 2, ..., 5: undated first, ties by id as listings put
    # them (newest first, so 90 before 91); with limit 3, two before and one after
    assert _ids(out, 1) == [2, 90, 91]
    assert _ids(out, 90) == [2, 1, 91]  # one before: the places go after
    assert _ids(out, 91) == [2, 1, 90]  # none before


def test_never_itself_and_limited():
    recs = [_rec(_case(n), n, "opioids") for n in range(1, 20)]
    out = related(recs, limit=5)
    for r in recs:
        ids = [x.id for x in out[r.id]]
        assert r.id not in ids and len(ids) == 5 and len(set(ids)) == 5


def test_no_subcategory_matches_by_category():
    a = _rec(_case(1), 1, None, cat="home-health")
    b = _rec(_case(2), 2, None, cat="home-health")
    c = _rec(_case(3), 3, None, cat="programs")
    out = related([a, b, c])
    assert _ids(out, 1) == [2] and _ids(out, 3) == []


def test_the_page_says_how_its_related_determinations_were_chosen():
    """The page's note matches the rule: neighbours in decision order, three before and
    two after, the same section first, then the same kind of service."""
    from generator.pages.determination import RELATED_NOTE, determination_page

    recs = [_rec(_case(n), n, "opioids") for n in range(1, 11)]
    near = related(recs)[_case(5)]
    page = determination_page(recs[4], related=near)
    assert RELATED_NOTE in page
    assert "nearest before and after this one, three before and two after" in page
    assert "then others about the same kind of service" in page
    assert "newest first within each" in page
    assert [r.id for r in near][:2] == [_case(7), _case(6)]  # after it, newest first


# --- adding newer determinations -------------------------------------------------------

SUBS = ["opioids", "nsaids", None]
KEYS = [CH7, "mtus-cpmtg/opioids", "odg/pain"]


@st.composite
def _records(draw, first: int, count: int, days: tuple[int, int], undated: bool):
    """`count` records with ids from `first`, of few groups, decided within `days`."""
    out = []
    for n in range(first, first + count):
        items = []
        for i in range(draw(st.integers(1, 2))):
            keys = draw(st.lists(st.sampled_from(KEYS), max_size=2, unique=True))
            items.append(
                make_item(
                    f"service {n}-{i}",
                    category=draw(st.sampled_from(["pharmaceuticals", "programs"])),
                    subcategory=draw(st.sampled_from(SUBS)),
                    reviewer_citations=[make_citation(key=k) for k in keys],
                )
            )
        day = draw(st.one_of(st.none(), st.integers(*days)) if undated else st.integers(*days))
        if day is None:
            out.append(make_record(id=_case(n), items=items, year=None))
        else:
            date = dt.date(2016, 1, 1) + dt.timedelta(days=day)
            out.append(make_record(id=_case(n), items=items, decision_date=date, year=2016))
    return out


def _allowed(old: list[Determination], new: list[Determination], limit: int) -> set[str]:
    """The documented bound: in each group a new record joins, the newest `limit // 2` of
    the existing ones, or all of them when there are at most `limit`."""
    groups: dict[object, list[str]] = {}
    for r in newest_first(old):
        for g in [*_pairs(r), *_kinds(r)]:
            groups.setdefault(g, []).append(r.id)
    joined = {g for r in new for g in [*_pairs(r), *_kinds(r)]}
    allowed: set[str] = set()
    for g in joined:
        members = groups.get(g, [])
        allowed.update(members if len(members) <= limit else members[: limit // 2])
    return allowed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 40).flatmap(lambda n: _records(1, n, (0, 30), True)),
    st.integers(1, 12).flatmap(lambda m: _records(500, m, (31, 60), False)),
    st.integers(1, 7),
)
def test_newer_determinations_change_few_existing_lists(old, new, limit):
    before = related(old, limit=limit)
    after = related([*old, *new], limit=limit)
    changed = {r.id for r in old if before[r.id] != after[r.id]}
    assert changed <= _allowed(old, new, limit)


def test_a_thousand_newer_determinations_in_a_large_archive_change_few_pages():
    """5,000 records of three subcategories and three sections, then 1,000 newer: only
    the newest two of each group change (fewer than 30 pages, not thousands)."""
    rng = random.Random(11)

    def rec(n: int, day: int) -> Determination:
        return _rec(_case(n), day, rng.choice(SUBS), key=rng.choice(KEYS))

    old = [rec(n, rng.randrange(0, 3000)) for n in range(5000)]
    new = [rec(n, rng.randrange(3001, 3400)) for n in range(5000, 6000)]
    before, after = related(old), related([*old, *new])
    changed = {r.id for r in old if before[r.id] != after[r.id]}
    assert changed <= _allowed(old, new, DEFAULT_LIMIT)
    assert 0 < len(changed) <= 2 * (3 * 3 + 3)
