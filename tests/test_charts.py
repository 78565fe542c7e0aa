"""charts: deterministic SVG, the same numbers as text, record text escaped, one raw HTML block."""

from __future__ import annotations

import re

import markdown
import pytest

from generator.pages.charts import bar_chart, nice_ticks, year_chart
from generator.pages.stats import Counts, YearSeries
from tests.helpers import Html

SERIES = YearSeries(
    years=(
        (2013, Counts(3, 12, 9, 3)),
        (2014, Counts()),
        (2015, Counts(2, 5, 1, 4)),
    ),
    undated=Counts(1, 2, 2, 0),
)


BAR_CLASSES = {"imr-chart__upheld", "imr-chart__overturned"}


def table_rows(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", tr) for tr in body.split("</tr>")[:-1]]


def test_year_chart_numbers_as_text():
    html = year_chart(SERIES, "Knee")
    assert table_rows(html) == [
        ["2013", "3", "12", "9", "3", "25% of 12"],
        ["2014", "0", "0", "0", "0", "–"],
        ["2015", "2", "5", "1", "4", "4 of 5 overturned"],  # under 10 items: no rate
    ]
    tree = Html(html)
    svg = next(a for t, a in tree.tags if t == "svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"], svg["aria-describedby"]
    ids = {a.get("id"): t for t, a in tree.tags if a.get("id")}
    assert ids[title_id] == "title" and ids[desc_id] == "desc"
    desc = "".join(tree.text["figure/svg/desc"])
    assert "2013: 12 items, 3 overturned (25% of 12)" in desc
    assert "2015: 5 items, 4 overturned." in desc
    assert "2014: 0 items, 0 overturned;" in desc
    assert "2 items of 1 undated determination not shown" in desc
    # two bars for 2013 and 2015 (upheld + overturned), none for the empty year
    bars = [a for t, a in tree.tags if t == "rect" and a["class"] in BAR_CLASSES]
    assert len(bars) == 4
    # each overturned bar is hatched too (a cue without colour), with the chart's pattern
    hatches = [a for t, a in tree.tags if t == "rect" and a["class"] == "imr-chart__hatch"]
    assert len(hatches) == 2 and {a["fill"] for a in hatches} == {"url(#imr-chart-years-hatch)"}
    assert ids["imr-chart-years-hatch"] == "pattern"
    # rate dots only from 10 items (2013; 2015 has 5); the line breaks at the empty year
    assert sum(t == "circle" for t, _a in tree.tags) == 1
    assert not [t for t, _a in tree.tags if t == "polyline"]


def test_bar_heights_are_proportional():
    html = year_chart(YearSeries(((2020, Counts(1, 10, 5, 5)), (2021, Counts(1, 5, 5, 0)))), "x")
    heights = {
        (a["class"], a["x"]): float(a["height"])
        for t, a in Html(html).tags
        if t == "rect" and a["class"] in BAR_CLASSES
    }
    values = sorted(heights.values())
    assert values[0] == values[1] == values[2]  # 5, 5 and 5 items
    assert len(values) == 3


def test_deterministic_and_no_blank_line():
    a, b = year_chart(SERIES, "Knee"), year_chart(SERIES, "Knee")
    assert a == b
    assert "\n\n" not in a
    rows = [("Pharmaceuticals", Counts(5, 8, 6, 2)), ("Surgery", Counts(1, 1, 0, 1))]
    assert bar_chart(rows, "all", "c", "Category") == bar_chart(rows, "all", "c", "Category")


@pytest.mark.parametrize(
    "evil", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "a & b </svg>"]
)
def test_text_is_escaped(evil):
    for html in (
        year_chart(SERIES, evil),
        bar_chart([(evil, Counts(1, 2, 1, 1))], evil, "c", "Label"),
    ):
        tree = Html(html)
        assert not {t for t, _a in tree.tags} & {"script", "img"}
        assert sum(t == "svg" for t, _a in tree.tags) == 1
        assert evil in "".join(tree.text.get("figure/svg/title", []))


def test_rendered_by_markdown_as_one_raw_block():
    md = "# Hub\n\n" + year_chart(SERIES, "Knee *not emphasis*") + "\n\nAfter.\n"
    html = markdown.markdown(md, extensions=["tables", "attr_list"])
    figure = html.split("<figure", 1)[1].split("</figure>", 1)[0]
    assert "<p>" not in figure and "<em>" not in figure
    assert "<p>After.</p>" in html


def test_empty_inputs():
    assert "No dated determinations" in year_chart(YearSeries(), "x")
    assert "<svg" not in bar_chart([("a", Counts())], "x", "c", "Label")


def test_long_labels_are_shortened_in_the_svg_but_whole_in_the_table():
    label = "DMEPOS (durable medical equipment, prosthetics, orthotics, supplies)"
    html = bar_chart([(label, Counts(1, 3, 2, 1))], "all", "c", "Category")
    svg = html.split("</svg>", 1)[0]
    assert ">DMEPOS (durable medical equ…</text>" in svg
    assert table_rows(html) == [[label, "1", "3", "2", "1", "1 of 3 overturned"]]


def test_nice_ticks():
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(120) == [0, 50, 100, 150]
    assert nice_ticks(1000) == [0, 200, 400, 600, 800, 1000]
