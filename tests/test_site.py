"""End to end: factory records -> build_site with the repo's mkdocs.yml (strict) -> HTML."""

from __future__ import annotations

import json
import os
import re
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.build.linkcheck import check_site
from generator.build.site import SiteBuildError, build_site
from generator.record.dating import newest_first
from generator.record.store import RecordsInvalid, write_record
from tests.conftest import ROOT
from tests.factories import make_record, seed_like_record
from tests.helpers import Html
from tests.test_assemble import independent_counts, mixed_records

CONFIG = ROOT / "mkdocs.yml"
EXTERNAL = re.compile(r"fonts\.googleapis\.com|fonts\.gstatic\.com|cdn\.|unpkg\.com")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    root = tmp_path_factory.mktemp("e2e")
    records = mixed_records(29)  # + the seed-like record = 30
    for r in records:
        write_record(r, root / "content" / "records")
    (root / "content" / "pages").mkdir()
    for name in ("about.md", "how-to-search.md"):
        text = (ROOT / "content" / "pages" / name).read_text(encoding="utf-8")
        (root / "content" / "pages" / name).write_text(text, encoding="utf-8")
    report = build_site(root / "content", root / "site", config_file=CONFIG, strict=True)
    return root / "site", records, report


def html(site: Path, url_path: str) -> str:
    return (site / url_path / "index.html").read_text(encoding="utf-8")


def counts_in_html(page: str) -> tuple[int, int, int, int, str]:
    table = page.split("Overturn rate</th>", 1)[1]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", table)[:5]
    return int(cells[0]), int(cells[1]), int(cells[2]), int(cells[3]), cells[4]


def test_report(built):
    site, records, report = built
    assert report.records == len(records) == 30
    assert report.errors == []
    assert report.pages > len(records)
    assert "30 determination(s)" in report.summary_text()


def test_every_determination_and_hub_page_exists(built):
    site, records, _ = built
    assert (site / "index.html").is_file()
    for r in records:
        assert (site / "determinations" / r.id / "index.html").is_file(), r.id
    for hub in [
        "regions",
        "regions/neck-cervical",
        "services/pharmaceuticals/opioids",
        "guidelines/acoem-2004/ch-07",
        "years/2014",
        "outcomes/overturned",
        "reviewers/physical-medicine-rehabilitation",
        "about",
        "how-to-search",
    ]:
        assert (site / hub / "index.html").is_file(), hub
    assert (site / "assets" / "stylesheets" / "imr.css").is_file()


def test_hub_counts_in_html(built):
    site, records, _ = built
    assert counts_in_html(html(site, "outcomes/overturned")) == independent_counts(
        records, lambda r, i: i.decision == "overturned"
    )
    assert counts_in_html(html(site, "services/pharmaceuticals/opioids")) == (
        independent_counts(records, lambda r, i: i.subcategory == "opioids")
    )
    ch7 = html(site, "guidelines/acoem-2004/ch-07")
    assert counts_in_html(ch7) == independent_counts(
        records, lambda r, i: any(c.key == "acoem-2004/ch-07" for _p, c in i.citations)
    )
    assert 'class="imr-badge imr-badge--upheld"' in ch7
    assert 'class="imr-synthetic"' in ch7


def test_internal_links_resolve(built):
    site, _, _ = built
    broken = check_site(site)
    assert not broken, "\n".join(map(str, broken[:20]))


def test_determinations_are_not_in_the_nav(built):
    site, records, _ = built
    for url in ["", "years/2014", f"determinations/{records[0].id}"]:
        nav = Html(html(site, url)).nav_links
        assert nav, f"no primary nav found in /{url}"
        # the index of all determinations is in the nav; no determination page is
        pages = [h for h in nav if "determinations/" in h and not h.endswith("determinations/")]
        assert not pages, url
    nav = Html(html(site, "")).nav_links
    for hub in ("regions/", "services/", "guidelines/", "years/", "outcomes/", "reviewers/"):
        assert any(h.endswith(hub) for h in nav), hub


def test_search_index_has_guideline_hub(built):
    site, _, _ = built
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"] for d in index["docs"]}
    assert "guidelines/acoem-2004/ch-07/" in locations
    assert not [loc for loc in locations if "/page/" in loc]  # later listing pages excluded
    assert not [loc for loc in locations if loc.endswith("#determinations")]  # listings too
    ch7 = next(d for d in index["docs"] if d["location"] == "guidelines/acoem-2004/ch-07/")
    assert "Also cited as" in ch7["text"]


def test_no_external_hosts(built):
    site, _, _ = built
    offenders = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in {".html", ".css", ".js", ".json", ".xml"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            for res in Html(text).resources:
                if urlsplit(res).scheme or res.startswith("//"):
                    offenders.append(f"{path.relative_to(site)}: loads {res}")
        if EXTERNAL.search(text) and path.suffix != ".js":
            offenders.append(f"{path.relative_to(site)}: {EXTERNAL.search(text).group(0)}")
    assert not offenders, "\n".join(offenders[:20])


def test_records_only_content_and_failed_build_keeps_old_site(tmp_path):
    content, site = tmp_path / "content", tmp_path / "site"
    write_record(seed_like_record(), content / "records")
    report = build_site(content, site, config_file=CONFIG)
    assert report.records == 1 and (site / "index.html").is_file()
    before = sorted(p.relative_to(site) for p in site.rglob("*"))

    (content / "pages").mkdir()
    (content / "pages" / "broken.md").write_text("# Broken\n\n[x](nowhere.md)\n", encoding="utf-8")
    with pytest.raises(SiteBuildError):
        build_site(content, site, config_file=CONFIG, strict=True)
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.build-")]


def test_invalid_record_raises_or_is_left_out(tmp_path):
    content, site = tmp_path / "content", tmp_path / "site"
    write_record(make_record(), content / "records")
    (content / "records" / "CM13-0000001.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(RecordsInvalid):
        build_site(content, site, config_file=CONFIG)
    assert not site.exists()
    report = build_site(content, site, config_file=CONFIG, keep_going=True)
    assert report.records == 1
    assert len(report.errors) == 1 and "CM13-0000001.json" in str(report.errors[0])
    assert (site / "index.html").is_file()


# --- statistics, charts and open data in the built site ------------------------------


def year_of(record) -> int | None:
    """The counting year, computed here independently: decision year, else the latest date."""
    if record.year is not None:
        return record.year
    dates = [d for d in record.dates.model_dump().values() if d is not None]
    return max(dates).year if dates else None


def rate_text(over: int, items: int) -> str:
    """An overturn rate with its n; counts under 10 items."""
    if not items:
        return "–"
    if items < 10:
        return f"{over} of {items} overturned"
    return f"{round(100 * over / items)}% of {items}"


def cell_rate(over: int, items: int) -> str:
    """A cross-tab cell's rate (its n is the cell's number); counts under 10 items."""
    return f"{round(100 * over / items)}%" if items >= 10 else f"{over} overturned"


def independent_years(records, item_pred) -> list[list[str]]:
    """Rows of the chart's data table: year, determinations, items, upheld, overturned, rate."""
    per_year: dict[int, list] = {}
    for r in records:
        chosen = [i for i in r.items if item_pred(r, i)]
        if chosen and year_of(r) is not None:
            per_year.setdefault(year_of(r), []).append(chosen)
    if not per_year:
        return []
    rows = []
    for y in range(min(per_year), max(per_year) + 1):
        groups = per_year.get(y, [])
        items = [i for g in groups for i in g]
        over = sum(i.decision == "overturned" for i in items)
        rows.append(
            [
                str(y),
                str(len(groups)),
                str(len(items)),
                str(len(items) - over),
                str(over),
                rate_text(over, len(items)),
            ]
        )
    return rows


def chart_table(page: str, chart_id: str = "imr-chart-years") -> list[list[str]]:
    figure = page.split(f'id="{chart_id}"', 1)[1].split("</figure>", 1)[0]
    body = figure.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", tr) for tr in body.split("</tr>")[:-1]]


def in_region(region):
    return lambda r, i: region in (i.body_regions or r.body_regions)


SAMPLE_HUBS = {
    "outcomes/overturned": lambda r, i: i.decision == "overturned",
    "services/pharmaceuticals/opioids": lambda r, i: i.subcategory == "opioids",
    "services/diagnostic-testing": lambda r, i: i.category == "diagnostic-testing",
    "guidelines/acoem-2004/ch-07": lambda r, i: any(
        c.key == "acoem-2004/ch-07" for _p, c in i.citations
    ),
    "years/2014": lambda r, i: year_of(r) == 2014,
    "reviewers/physical-medicine-rehabilitation": lambda r, i: (
        "Physical Medicine & Rehabilitation" in r.reviewer.specialties
    ),
    "crosstabs/region-by-service/neck-cervical/pharmaceuticals": lambda r, i: (
        in_region("neck-cervical")(r, i) and i.category == "pharmaceuticals"
    ),
}


@pytest.mark.parametrize("hub", sorted(SAMPLE_HUBS))
def test_hub_numbers_recomputed_from_the_records(built, hub):
    site, records, _ = built
    pred = SAMPLE_HUBS[hub]
    page = html(site, hub)
    assert counts_in_html(page) == independent_counts(records, pred)
    items = independent_counts(records, pred)[1]
    years = independent_years(records, pred)
    # charted only where it shows a trend (charts.worth_charting); never an outcome hub
    active = [row for row in years if row[2] != "0"]
    worth = len(active) >= 3 and sum(int(row[2]) for row in active) >= 20
    assert ('id="imr-chart-years"' in page) == (worth and not hub.startswith("outcomes/"))
    if 'id="imr-chart-years"' in page:
        assert chart_table(page) == years
        # the chart's text alternative says the same
        desc = re.search(r'<desc id="imr-chart-years-desc">([^<]*)</desc>', page).group(1)
        for year, _d, n, _u, over, _rate in years:
            assert f"{year}: {n} item{'' if n == '1' else 's'}, {over} overturned" in desc
    # the CSV linked from the hub has one row per counted item
    href = re.search(r'href="([^"]+\.csv)"[^>]* download="([^"]+)"', page) or re.search(
        r'download="([^"]+)"[^>]* href="([^"]+\.csv)"', page
    )
    assert href, "no CSV download link"
    csv_file = site / hub / "items.csv"
    lines = csv_file.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,case_number,synthetic,")
    assert len(lines) - 1 == items


def test_home_dashboard_numbers(built):
    site, records, _ = built
    page = html(site, "")
    assert counts_in_html(page) == independent_counts(records, lambda r, i: True)
    assert chart_table(page) == independent_years(records, lambda r, i: True)
    # items by category: the chart's table, recomputed
    cats: dict[str, list] = {}
    for r in records:
        for i in r.items:
            cats.setdefault(i.category, []).append((r.id, i.decision))
    rows = chart_table(page, "imr-chart-categories")
    assert sum(int(row[2]) for row in rows) == sum(len(r.items) for r in records)
    from generator.record import taxonomy  # labels only

    expected = []
    for cid in taxonomy.categories():
        if cid in cats:
            got = cats[cid]
            over = sum(d == "overturned" for _id, d in got)
            expected.append(
                [
                    taxonomy.label("category", cid),
                    str(len({i for i, _d in got})),
                    str(len(got)),
                    str(len(got) - over),
                    str(over),
                    rate_text(over, len(got)),
                ]
            )
    expected.sort(key=lambda row: (-int(row[2]), row[0]))  # the most disputed first
    assert [[unescape(c) for c in row] for row in rows] == expected
    # the latest determinations: the 10 newest, newest first
    newest = newest_first(records)[:10]
    section = page.split('id="latest-determinations"', 1)[1].split("<h2", 1)[0]
    listed = re.findall(r'href="determinations/([^/"]+)/"', section)
    assert listed == [r.id for r in newest]


def cites_guideline(gid):
    return lambda r, i: any(
        c.key.split("/")[0] == gid or c.guideline == gid for _p, c in i.citations
    )


@pytest.mark.parametrize(
    "tab, row_test",
    [("region-by-service", in_region), ("guideline-by-service", cites_guideline)],
)
def test_crosstab_cells_recomputed(built, tab, row_test):
    site, records, _ = built
    page = html(site, f"crosstabs/{tab}")
    cells = re.findall(r'<a href="([a-z0-9-]+)/([a-z0-9-]+)/">(\d+) \(([^)]*)\)</a>', page)
    assert len(cells) >= 3
    for row, category, n, rate in cells:
        test = row_test(row)

        def pred(r, i, test=test, c=category):
            return test(r, i) and i.category == c

        _d, items, _u, over, _rate = independent_counts(records, pred)
        assert (int(n), rate) == (items, cell_rate(over, items)), (row, category)
        cell = html(site, f"crosstabs/{tab}/{row}/{category}")
        assert counts_in_html(cell) == independent_counts(records, pred)
    # every non-empty intersection has its cell
    assert len(cells) == sum(
        1 for p in (site / "crosstabs" / tab).glob("*/*/index.html") if "/page/" not in str(p)
    )


def test_data_files_shipped(built):
    import gzip

    site, records, _ = built
    jsonl = gzip.decompress((site / "data" / "imr-archive.jsonl.gz").read_bytes())
    assert len(jsonl.decode("utf-8").splitlines()) == len(records)
    rows = gzip.decompress((site / "data" / "imr-archive-items.csv.gz").read_bytes())
    assert len(rows.decode("utf-8").splitlines()) == 1 + sum(len(r.items) for r in records)
    schema = json.loads((site / "data" / "record.schema.json").read_text(encoding="utf-8"))
    assert schema["title"].startswith("IMR determination record")
    data_page = html(site, "data")
    for name in ("imr-archive.jsonl.gz", "imr-archive-items.csv.gz", "record.schema.json"):
        assert f'href="{name}"' in data_page
    assert 'href="#counting-rules"' in data_page and 'id="counting-rules"' in data_page


def test_config_overrides_reach_mkdocs(tmp_path):
    content, site = tmp_path / "content", tmp_path / "site"
    write_record(seed_like_record(), content / "records")
    build_site(
        content, site, config_file=CONFIG, config_overrides={"site_url": "https://example.org/imr/"}
    )
    assert '<link rel="canonical" href="https://example.org/imr/">' in html(site, "")
    with pytest.raises(ValueError, match="site_dir"):
        build_site(content, site, config_file=CONFIG, config_overrides={"site_dir": "elsewhere"})


def test_crosstab_column_heads_are_short_with_the_whole_name_as_title(built_site):
    page = html(built_site, "crosstabs/region-by-service")  # the bundled content
    head = page.split("</thead>", 1)[0]
    full = "DMEPOS (durable medical equipment, prosthetics, orthotics, supplies)"
    assert f'title="{full}">DMEPOS</a>' in head
    assert ">Pharmaceuticals</a>" in head  # a name without a parenthesis stays whole
