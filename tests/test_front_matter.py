"""Front matter (generator.pages.markdown.front_matter) reads back, in MkDocs, as the
values it was given, whatever the text of a title or description."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.pages.markdown import front_matter


def _read(meta: dict) -> dict:
    _body, data = get_data(front_matter(meta) + "\n# Page\n")
    return data


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200), st.text(max_size=300))
def test_any_title_and_description_read_back(title, description):
    meta = {"title": title, "description": description, "search": {"exclude": True}}
    assert _read(meta) == meta


def test_the_shapes_pages_use():
    for meta in [
        {"title": "Knee", "hide": ["navigation", "toc"]},
        {"title": "IMR CM18-0008485: upheld — 3 requests", "search": {"exclude": True}},
        {"title": 'Quotes "and" \\ backslashes', "description": "tab\there\nline"},
        {"title": "x", "search": {"boost": 3}},
        {"title": "x", "weight": 1.5},  # not covered: PyYAML writes it
    ]:
        assert _read(meta) == meta


def test_a_plain_page_reads_as_yaml_would_write_it():
    assert front_matter({"title": "Knee"}) == '---\ntitle: "Knee"\n---\n'
