"""record/hub -> Markdown: golden pages and escaping of record text."""

from __future__ import annotations

import markdown
import pytest

from generator.pages.assemble import assemble
from generator.pages.determination import determination_page
from generator.pages.markdown import md_escape, plain_title
from generator.pages.urls import slugify
from tests.factories import make_citation, make_item, make_record, seed_like_record
from tests.helpers import Html

EXTENSIONS = ["tables", "attr_list", "admonition", "pymdownx.details", "pymdownx.superfences"]


def render(md_text: str) -> str:
    """HTML as MkDocs would render the body (front matter stripped)."""
    if md_text.startswith("---\n"):
        md_text = md_text.split("\n---\n", 1)[1]
    return markdown.markdown(md_text, extensions=EXTENSIONS)


def tag_names(html: str) -> set[str]:
    return {t for t, _a in Html(html).tags}


def visible_text(html: str) -> str:
    return "".join(Html(html).texts)


# --- golden -------------------------------------------------------------------


@pytest.fixture
def fixed_catalogue(monkeypatch):
    """Guideline titles and spellings fixed, so goldens do not follow guidelines.yml edits."""
    from generator.record import guideline_hubs

    def title(key, fallback=None):
        return {"acoem-2004": "ACOEM 2004", "acoem-2004/ch-07": "ACOEM 2004 Chapter 7"}.get(
            key, key
        )

    def spellings(key):
        return ["ACOEM OMPG Chapter 7", "pg. 127 <b>"] if key == "acoem-2004/ch-07" else []

    monkeypatch.setattr(guideline_hubs, "title", title)
    monkeypatch.setattr(guideline_hubs, "spellings", spellings)


def test_determination_page_golden(golden, fixed_catalogue):
    golden("pages/determination-seed.md", determination_page(seed_like_record()))


def test_guideline_section_hub_golden(golden, fixed_catalogue):
    records = [
        seed_like_record(),
        make_record(year=2014, items=[make_item(decision="overturned")]),
        make_record(
            year=2015,
            items=[make_item(ca_citations=[make_citation(pages="127-128")])],
            synthetic=False,
        ),
    ]
    site = assemble(records)
    golden("pages/hub-acoem-2004-ch-07.md", site.pages["guidelines/acoem-2004/ch-07/index.md"])


def test_synthetic_record_is_labelled():
    page = determination_page(make_record(synthetic=True))
    assert "Synthetic record — not a real determination" in page
    assert "Synthetic record" not in determination_page(seed_like_record())


# --- escaping ------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "{{ config }}",
    "{% include 'x' %}",
    "[x](javascript:alert(1))",
    "| a |",
    "---",
    "# heading",
    "1. list",
    "    indented code",
    "!!! danger",
    "??? note",
    "*emphasis* _under_ `code`",
    "<img src=x onerror=alert(1)>",
    "&amp; &lt;",
    "{: .class }",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_md_escape_renders_literally(text):
    html = render(md_escape(text))
    assert tag_names(html) == {"p"}, html
    assert visible_text(html) == " ".join(text.split())


@pytest.mark.parametrize("text", ["| a |", "a | b", "x\\|y"])
def test_md_escape_is_safe_in_table_cells(text):
    table = f"| h | k |\n|---|---|\n| {md_escape(text)} | z |\n"
    html = render(table)
    assert html.count("<td>") == 2
    assert "<td>z</td>" in html
    assert text in visible_text(html)


def test_hostile_record_text_stays_text():
    evil = "<script>alert(1)</script> {{ config }} [x](javascript:alert(1)) | a |"
    item = make_item(
        service=f"MRI {evil}",
        rationale=f"Rationale\n\n---\ntitle: pwned\n---\n{evil}",
        reviewer_citations=[make_citation(text=evil)],
    )
    record = make_record(
        items=[item],
        clinical_summary=evil,
        diagnoses=[evil],
        warnings=[evil],
        specialties=[f"Pain {evil}"],
    )
    page = determination_page(record)
    front, body = page.split("\n---\n", 1)
    assert "pwned" not in front and "<script" not in front
    html = render(body)
    assert not tag_names(html) & {"script", "hr", "img", "b"}
    assert not [
        a for t, a in Html(html).tags if t == "a" and a.get("href", "").startswith("javascript")
    ]
    shown = visible_text(html)
    # each place the text appears shows it literally (Jinja is not run on page content)
    assert shown.count(evil) >= 5
    assert "title: pwned" in shown


def test_hostile_text_in_hub_listings_and_titles():
    evil = "<b>x</b> | {{ y }}"
    record = make_record(items=[make_item(service=evil)], specialties=[f"Ortho {evil}"])
    site = assemble([record])
    hub = site.pages[f"reviewers/{slugify('Ortho ' + evil)}/index.md"]
    front = hub.split("\n---\n", 1)[0]
    assert "<" not in front and "{" not in front and "|" not in front
    html = render(site.pages["years/2015/index.md"])
    assert "b" not in tag_names(html)
    assert evil in visible_text(html)


def test_plain_title():
    assert plain_title("<script>a & b</script> {{x}}") == "script a and b /script x"
    assert len(plain_title("x" * 500)) == 90


def test_slugify():
    assert slugify("Physical Medicine & Rehabilitation") == "physical-medicine-rehabilitation"
    assert slugify("  Médecine  Générale ") == "medecine-generale"
    assert slugify("<<>>") == "unnamed"


def test_hostile_hub_title_in_chart_and_download_stays_text():
    evil = '<script>x</script> "><svg onload=alert(1)> {{ y }}'
    # enough items over enough years for the hub to be charted (charts.worth_charting)
    records = [
        make_record(id=f"CM1{y}-00000{k:02d}", year=2010 + y, specialties=[evil])
        for y in range(3)
        for k in range(7)
    ]
    site = assemble(records)
    hub = site.pages[f"reviewers/{slugify(evil)}/index.md"]
    html = render(hub)
    assert not tag_names(html) & {"script"}
    scan = Html(html)
    assert sum(t == "svg" for t, _a in scan.tags) == 1
    assert not [a for _t, a in scan.tags if any(k.startswith("on") for k in a)]
    assert "csv" in " ".join(a.get("download", "") for _t, a in scan.tags)


def test_seed_letter_determination_page_golden(golden):
    """The real seed letter, parsed, rendered: its page's Markdown is pinned."""
    import hashlib

    from generator.letters.parse import parse_letter
    from tests.conftest import SEED_LETTER

    data = SEED_LETTER.read_bytes()
    record = parse_letter(data.decode("utf-8"), "content/letters/seed-letter.txt",
                          sha256=hashlib.sha256(data).hexdigest())
    golden("pages/seed-letter-determination.md", determination_page(record))


def test_hub_search_parameters():
    from generator.pages.urls import search_link, search_params

    assert search_params("regions/knee/index.md") == [("region", "knee")]
    assert search_params("services/pharmaceuticals/index.md") == [("service", "pharmaceuticals")]
    assert search_params("services/pharmaceuticals/opioids/index.md") == [
        ("subcategory", "opioids")
    ]
    assert search_params("guidelines/odg/index.md") == [("guideline", "odg")]
    assert search_params("guidelines/acoem-2004/ch-12/index.md") == [
        ("section", "acoem-2004/ch-12")
    ]
    assert search_params("years/2014/index.md") == [("year", "2014")]
    assert search_params("reviewers/anesthesiology/index.md") == [("specialty", "anesthesiology")]
    assert search_params("regions/index.md") == [] and search_params("index.md") == []
    assert search_params("crosstabs/region-by-service/knee/surgery/index.md") == []
    assert search_link("guidelines/odg/index.md", [("guideline", "odg"), ("page", "12")]) == (
        "../../search/index.md?guideline=odg&page=12"
    )


def test_only_hubs_with_items_link_to_the_search():
    """A hub links to /search/ with its filter set, but an empty hub (a catalogue section no
    letter cited yet) does not: the search knows only the values its items have and drops
    any other from its address, so the link would open an unfiltered search."""
    from generator.search.header import facet_labels

    records = [make_record(items=[make_item(category="pharmaceuticals", subcategory="opioids")])]
    site = assemble(records)
    link = "Open this hub in the determination search"
    assert link in site.pages["services/pharmaceuticals/opioids/index.md"]
    empty = site.pages["regions/eye/index.md"]
    assert "No determinations yet." in empty and link not in empty
    assert "eye" not in facet_labels(records)["region"]  # what the search would drop
