"""Tables written as HTML (generator.pages.htmltable) are what Python-Markdown and
MkDocs make of the same Markdown table: every table the bundled records give, arbitrary
record text in a cell, and MkDocs' own URL functions as the oracle for links."""

from __future__ import annotations

import datetime as dt
import posixpath
from urllib.parse import urlsplit, urlunsplit

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import Treeprocessor
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from generator.pages import crosstabs, htmltable, hubs, listing
from generator.pages.assemble import assemble
from generator.pages.markdown import md_escape
from generator.pages.markdown import table as markdown_table
from generator.record.store import load_records
from tests.conftest import CONTENT
from tests.factories import make_item, make_record


def _url(path: str) -> str:
    return File(path, "/docs", "/site", use_directory_urls=True).url


class _MkDocsLinks(Treeprocessor):
    """Relative links to docs files rewritten as MkDocs does (its URL functions)."""

    def __init__(self, md, here: str):
        super().__init__(md)
        self.here = here

    def run(self, root):
        for a in root.iter("a"):
            parts = urlsplit(a.get("href"))
            target = posixpath.normpath(posixpath.join(posixpath.dirname(self.here), parts.path))
            new = get_relative_url(_url(target), _url(self.here))
            a.set("href", urlunsplit(("", "", new, parts.query, parts.fragment)))


def mkdocs_html(lines: list[str], here: str) -> str:
    md = markdown.Markdown(extensions=["tables"])
    md.treeprocessors.register(_MkDocsLinks(md, here), "mkdocs-links", 0)
    return md.convert("\n".join(lines))


def _recorded_tables(monkeypatch) -> list:
    """Every table the pages make from now on: (header, rows, here, align, its lines)."""
    seen = []

    def recording(header, rows, here, align="---"):
        out = htmltable.table(header, rows, here, align)
        seen.append((header, rows, here, align, list(out)))
        return out

    monkeypatch.setattr(hubs, "html_table", recording)
    monkeypatch.setattr(crosstabs, "html_table", recording)
    monkeypatch.setattr(listing, "html_table", recording)
    return seen


def test_every_table_of_the_bundled_site_is_what_markdown_makes(monkeypatch):
    seen = _recorded_tables(monkeypatch)
    records, errors = load_records(CONTENT / "records", lean=True)
    assert records and not errors
    assemble(records)
    assert len(seen) > 300
    as_html = 0
    for header, rows, here, align, out in seen:
        if out[0] == "<table>":
            as_html += 1
            expected = mkdocs_html(markdown_table(header, rows, align), here)
            assert "\n".join(out).strip() == expected, here
    assert as_html == len(seen)  # every table of ours is written as HTML


def test_listing_links_written_as_html_are_what_markdown_makes(monkeypatch):
    """Synthetic records (a label after the link) with several regions, listed on hubs
    and on /determinations/ (whose links stay in the same folder), 120 to a year."""
    seen = _recorded_tables(monkeypatch)
    records = [
        make_record(id=f"CM15-{k:07d}", decision_date=dt.date(2015, 1, 1) + dt.timedelta(k),
                    items=[make_item(body_regions=["knee", "low-back-lumbar"][: 1 + k % 2])],
                    synthetic=k % 3 == 0)
        for k in range(120)
    ]
    assemble(records)
    rendered = [s for s in seen if any(isinstance(c, htmltable.Rendered) for r in s[1] for c in r)]
    assert {s[2].partition("/")[0] for s in rendered} >= {"years", "services", "regions"}
    assert all(s[4][0] == "<table>" for s in rendered)
    for header, rows, here, align, out in seen:
        if out[0] != "<table>":
            continue  # a table left in Markdown: nothing of ours to compare
        expected = mkdocs_html(markdown_table(header, rows, align), here)
        assert "\n".join(out).strip() == expected, here


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_record_text_in_a_cell(text):
    cell = md_escape(text)
    html = htmltable.cell_html(cell, "regions/knee/index.md")
    if html is not None:
        lines = markdown_table(["h"], [[cell]])
        expected = mkdocs_html(lines, "regions/knee/index.md")
        assert "\n".join(htmltable.table(["h"], [[cell]], "regions/knee/index.md")).strip() == (
            expected
        )


_SEGMENT = st.sampled_from(["a", "b", "index.md", "x.md", "..", "c.csv", "d"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_SEGMENT, min_size=1, max_size=5), st.lists(_SEGMENT, min_size=1, max_size=5))
def test_relative_urls_are_mkdocs_own(to, frm):
    to_path, from_path = "/".join(to), "/".join(frm)
    if not from_path.endswith(".md"):
        from_path += "/index.md"
    to_path = posixpath.normpath(to_path)
    from_path = posixpath.normpath(from_path)
    if to_path.startswith("..") or from_path.startswith(".."):
        return
    assert htmltable.page_url(to_path) == _url(to_path)
    assert htmltable.relative_url(_url(to_path), _url(from_path)) == get_relative_url(
        _url(to_path), _url(from_path)
    )


def test_a_cell_with_other_markdown_keeps_the_table_in_markdown():
    rows = [["[a](x.md)", "*emphasis*"]]
    assert htmltable.table(["A", "B"], rows, "index.md") == markdown_table(["A", "B"], rows)
    assert htmltable.cell_html("`code`", "index.md") is None
    assert htmltable.cell_html("a & b", "index.md") is None
    assert htmltable.cell_html("[out](../../../x.md)", "a/index.md") is None  # leaves the docs
    assert htmltable.cell_html("[self](?page=2)", "a/index.md") is None


def test_links_keep_their_query_and_fragment_escaped():
    html = htmltable.cell_html("[p](../search/index.md?section=a%2Fb&page=3#top)", "regions/x.md")
    assert html == '<a href="../../search/?section=a%2Fb&amp;page=3#top">p</a>'
