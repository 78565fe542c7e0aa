"""all records -> {docs path: Markdown}: paths, pagination, counts, determinism."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.pages.assemble import DuplicatePathError, Site, assemble
from generator.record.dating import counted_year
from tests.factories import make_citation, make_item, make_record, seed_like_record
from tests.helpers import determination_ids, html_tables


def mixed_records(n: int = 30):
    """n records over 3 years, both outcomes, some multi-item, some cervical, some synthetic."""
    out = []
    for k in range(n):
        items = [make_item(decision="overturned" if k % 3 == 0 else "upheld")]
        if k % 4 == 0:
            items.append(
                make_item(
                    service=f"Norco 10/325 #{k}",
                    category="pharmaceuticals",
                    subcategory="opioids",
                    decision="overturned" if k % 8 == 0 else "upheld",
                    body_regions=["neck-cervical"],
                    reviewer_citations=[],
                    ca_citations=[make_citation(pages="78")],
                )
            )
        out.append(
            make_record(
                year=2013 + k % 3,
                decision_date=dt.date(2013 + k % 3, 1 + k % 12, 1 + k % 27),
                items=items,
                synthetic=k % 5 != 0,
                specialties=["Physical Medicine & Rehabilitation"]
                if k % 2
                else ["Orthopedic Surgery"],
            )
        )
    return out + [seed_like_record()]


def stat(page: str, label: str) -> int:
    """Read a number from the counts table of a hub page."""
    header, _sep, values = page.split("| Determinations |", 1)[1].splitlines()[:3]
    cols = [c.strip() for c in ("Determinations |" + header).split("|") if c.strip()]
    vals = [c.strip() for c in values.split("|") if c.strip()]
    return dict(zip(cols, vals, strict=True))[label]


def counts_of(page: str) -> tuple[int, int, int, int, str]:
    """The counts table of a hub (the first table of its counts block)."""
    counts = page.split('<div class="imr-counts" data-search-exclude>', 1)[1]
    d, i, u, o, rate = html_tables(counts)[0][1]
    return int(d), int(i), int(u), int(o), rate


def test_paths_and_nav():
    records = mixed_records()
    site = assemble(records, extra_pages={"about.md": "# About\n"})
    for r in records:
        assert f"determinations/{r.id}.md" in site.pages
    for path in [
        "index.md",
        "regions/index.md",
        "regions/neck-cervical/index.md",
        "services/index.md",
        "services/pharmaceuticals/index.md",
        "services/pharmaceuticals/opioids/index.md",
        "guidelines/index.md",
        "guidelines/acoem-2004/index.md",
        "guidelines/acoem-2004/ch-07/index.md",
        "years/index.md",
        "years/2013/index.md",
        "outcomes/index.md",
        "outcomes/upheld/index.md",
        "outcomes/overturned/index.md",
        "reviewers/index.md",
        "reviewers/physical-medicine-rehabilitation/index.md",
        "crosstabs/index.md",
        "crosstabs/region-by-service/index.md",
        "crosstabs/region-by-service/low-back-lumbar/diagnostic-testing/index.md",
        "crosstabs/guideline-by-service/index.md",
        "crosstabs/guideline-by-service/acoem-2004/diagnostic-testing/index.md",
        "data/index.md",
        "about.md",
    ]:
        assert path in site.pages, path
    for path in [
        "data/imr-archive.jsonl.gz",
        "data/imr-archive-items.csv.gz",
        "data/record.schema.json",
        "regions/neck-cervical/items.csv",
        "guidelines/acoem-2004/ch-07/items.csv",
        "crosstabs/region-by-service/low-back-lumbar/diagnostic-testing/items.csv",
    ]:
        assert path in site.files, path
    assert not [p for p in site.files if p.endswith(".md")]
    nav_paths = [next(iter(e.values())) if isinstance(e, dict) else e for e in site.nav]
    assert nav_paths == [
        "index.md",
        "search/index.md",
        "determinations/index.md",
        "regions/index.md",
        "services/index.md",
        "guidelines/index.md",
        "years/index.md",
        "outcomes/index.md",
        "reviewers/index.md",
        "crosstabs/index.md",
        "data/index.md",
        "about.md",
    ]
    assert "/determinations/" in site.not_in_nav
    assert "/crosstabs/*/" in site.not_in_nav


def test_pagination_numbers_older_pages_from_the_oldest():
    """120 determinations: the first page has the newest 70 (the newest full page and the
    20 past it), page/1 the oldest 50; newest first across the pages."""
    records = [
        make_record(
            id=f"CM15-{k:07d}", year=2015, decision_date=dt.date(2015, 1, 1) + dt.timedelta(k)
        )
        for k in range(120)
    ]
    site = assemble(records)
    assert "years/2015/index.md" in site.pages
    assert "years/2015/page/1.md" in site.pages
    assert "years/2015/page/2.md" not in site.pages
    first = determination_ids(site.pages["years/2015/index.md"])
    older = determination_ids(site.pages["years/2015/page/1.md"])
    assert [len(first), len(older)] == [70, 50]
    assert first + older == [f"CM15-{k:07d}" for k in reversed(range(120))]
    assert "[Older →](page/1.md)" in site.pages["years/2015/index.md"]
    assert "[← Newer](../index.md)" in site.pages["years/2015/page/1.md"]
    assert "Older →" not in site.pages["years/2015/page/1.md"]


def test_newer_determinations_leave_the_numbered_pages_as_they_were():
    def year(n):
        return assemble([
            make_record(id=f"CM15-{k:07d}", year=2015,
                        decision_date=dt.date(2015, 1, 1) + dt.timedelta(k))
            for k in range(n)
        ]).pages

    before, after = year(160), year(199)  # 2 numbered pages; the first page grows
    for k in (1, 2):
        assert after[f"years/2015/page/{k}.md"] == before[f"years/2015/page/{k}.md"]
    assert after["years/2015/index.md"] != before["years/2015/index.md"]
    filled = year(200)  # a page is added; only the page before it gains a link to it
    assert filled["years/2015/page/1.md"] == before["years/2015/page/1.md"]
    assert "[← Newer](3.md)" in filled["years/2015/page/2.md"]
    assert determination_ids(filled["years/2015/page/3.md"]) == [
        f"CM15-{k:07d}" for k in reversed(range(100, 150))]


def independent_counts(records, item_pred, record_pred=lambda r: True):
    chosen = [(r, [i for i in r.items if item_pred(r, i)]) for r in records if record_pred(r)]
    chosen = [(r, items) for r, items in chosen if items]
    items = [i for _r, its in chosen for i in its]
    over = sum(i.decision == "overturned" for i in items)
    n = len(items)
    rate = f"{round(100 * over / n)}% of {n}" if n >= 10 else f"{over} of {n} overturned"
    rate = rate if n else "–"
    return len(chosen), len(items), len(items) - over, over, rate


def test_counts_and_overturn_rates():
    records = mixed_records()
    site = assemble(records)
    assert counts_of(site.pages["outcomes/overturned/index.md"]) == independent_counts(
        records, lambda r, i: i.decision == "overturned"
    )
    assert counts_of(site.pages["services/pharmaceuticals/opioids/index.md"]) == (
        independent_counts(records, lambda r, i: i.subcategory == "opioids")
    )
    assert counts_of(site.pages["years/2014/index.md"]) == independent_counts(
        records, lambda r, i: counted_year(r) == 2014
    )
    assert counts_of(site.pages["guidelines/acoem-2004/ch-07/index.md"]) == independent_counts(
        records, lambda r, i: any(c.key == "acoem-2004/ch-07" for _p, c in i.citations)
    )
    pmr = "reviewers/physical-medicine-rehabilitation/index.md"
    assert counts_of(site.pages[pmr]) == independent_counts(
        records, lambda r, i: "Physical Medicine & Rehabilitation" in r.reviewer.specialties
    )
    total = independent_counts(records, lambda r, i: True)
    assert (
        f"**{total[0]}** determinations deciding **{total[1]}** disputed items"
        in (site.pages["index.md"])
    )
    share = round(100 * total[3] / total[1])  # 39 items: a rate, its n said before it
    assert f"**{total[1]}** disputed items; **{share}%** of the items were overturned" in (
        site.pages["index.md"]
    )
    synthetic = sum(r.synthetic for r in records)
    assert f"{synthetic} of the {total[0]} determinations are synthetic" in site.pages["index.md"]


def test_multi_outcome_record_listed_under_both_outcomes():
    r = make_record(
        items=[make_item(decision="upheld"), make_item(service="PT", decision="overturned")]
    )
    site = assemble([r])
    assert r.id in site.pages["outcomes/upheld/index.md"]
    assert r.id in site.pages["outcomes/overturned/index.md"]
    assert counts_of(site.pages["outcomes/upheld/index.md"])[:4] == (1, 1, 1, 0)


def test_synthetic_rows_labelled():
    site = assemble([make_record(synthetic=True), make_record(year=2014, synthetic=False)])
    rows = [
        line
        for line in site.pages["outcomes/upheld/index.md"].splitlines()
        if "determinations/" in line
    ]
    assert len(rows) == 2
    assert sum('class="imr-synthetic"' in row for row in rows) == 1


def test_duplicate_path_is_an_error():
    with pytest.raises(DuplicatePathError):
        assemble([make_record()], extra_pages={"index.md": "# mine\n"})
    site = Site()
    site.add("a.md", "x")
    with pytest.raises(DuplicatePathError):
        site.add("a.md", "y")


def test_deterministic():
    records = mixed_records()
    a = assemble(records)
    b = assemble(list(reversed(records)))
    assert a.pages == b.pages
    assert list(a.pages) == list(b.pages)
    assert a.files == b.files
    assert list(a.files) == list(b.files)
    assert a.nav == b.nav


def test_citation_key_outside_catalogue_gets_a_hub():
    odd = make_citation(
        guideline="odg", chapter=None, title="Made-up chapter", key="odg/made-up-ch"
    )
    site = assemble([make_record(items=[make_item(reviewer_citations=[odd])])])
    hub = site.pages["guidelines/odg/made-up-ch/index.md"]
    assert "Made\\-up chapter" in hub.split("\n---\n", 1)[1].splitlines()[1]
    assert "[" in site.pages["guidelines/odg/index.md"]  # linked from its guideline hub
    assert '<a href="made-up-ch/">' in site.pages["guidelines/odg/index.md"]
