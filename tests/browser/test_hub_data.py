"""A hub in the browser: the chart SVG and its text alternative, and the CSV download."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

HUB = "/services/pharmaceuticals/"


def counts_row(page: Page) -> dict[str, str]:
    """The hub's counts table (the first table of the article) as {header: value}."""
    table = page.locator("article table").first
    headers = [h.strip() for h in table.locator("th").all_inner_texts()]
    values = [v.strip() for v in table.locator("tbody td").all_inner_texts()]
    return dict(zip(headers, values, strict=True))


def test_hub_chart_text_alternative_and_csv_download(page: Page, site_url: str, tmp_path):
    page.goto(site_url + HUB)
    counts = counts_row(page)
    items = int(counts["Disputed items"])
    assert items > 0

    figure = page.locator("figure#imr-chart-years")
    svg = figure.locator("svg[role=img]")
    expect(svg).to_be_visible()
    box = svg.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 60
    # the accessible name and description come from <title> and <desc>
    title_id = svg.get_attribute("aria-labelledby")
    desc_id = svg.get_attribute("aria-describedby")
    title = page.locator(f"[id='{title_id}']").text_content()
    desc = page.locator(f"[id='{desc_id}']").text_content()
    assert title.startswith("Disputed items and overturn rate by year")
    assert re.search(r"\b20\d\d: \d+ items?, \d+ overturned", desc)
    bars = svg.locator("rect.imr-chart__upheld, rect.imr-chart__overturned")
    assert bars.count() > 0
    # the bars are coloured by the theme's CSS, not the fallback attributes
    fill = bars.first.evaluate("el => getComputedStyle(el).fill")
    assert fill and fill != "none"

    # the numbers as a table, behind a disclosure
    data = figure.locator("details.imr-chart__data")
    data.locator("summary").click()
    table = data.locator("table")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    assert rows.count() >= 1
    per_year_items = sum(int(t) for t in rows.locator("td:nth-of-type(2)").all_inner_texts())
    undated = re.search(r"(\d+) items? of \d+ undated", desc)
    assert per_year_items + (int(undated.group(1)) if undated else 0) == items
    # each year's line of the description matches its table row
    for row in rows.all():
        year = row.locator("th").inner_text().strip()
        n = row.locator("td").nth(1).inner_text().strip()
        over = row.locator("td").nth(3).inner_text().strip()
        assert (
            f"{year}: {n} item" in desc
            and f"{n} item{'s' if n != '1' else ''}, {over} overturned" in desc
        )

    # the CSV of this hub's rows
    link = page.locator("article a[download$='.csv']").first
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "imr-services-pharmaceuticals.csv"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = path.read_text(encoding="utf-8")
    records = list(csv.reader(io.StringIO(text, newline="")))
    header, body = records[0], records[1:]
    assert header[:3] == ["id", "case_number", "synthetic"]
    for name in ("item_index", "service", "category", "decision", "mtus_applied"):
        assert name in header
    assert len(body) == items
    category = header.index("category")
    assert {r[category] for r in body} == {"pharmaceuticals"}
    decision = header.index("decision")
    assert sum(r[decision] == "overturned" for r in body) == int(counts["Overturned"])


def test_data_page_links_every_file(page: Page, site_url: str):
    page.goto(site_url + "/data/")
    for name in ("imr-archive.jsonl.gz", "imr-archive-items.csv.gz", "record.schema.json"):
        href = page.locator(f"article a[href='{name}']")
        expect(href).to_have_count(1)
        response = page.request.get(site_url + "/data/" + name)
        assert response.ok, name
        assert len(response.body()) > 100, name
    expect(page.locator("article a[href='#counting-rules']").first).to_be_visible()
    expect(page.locator("article #counting-rules")).to_be_visible()
