"""The link check's scan finds exactly the links and ids HTMLParser found (the old
collector, tests/linkcheck_oracle.py): on every page of the bundled site, on hand-written
edge cases, and on generated markup."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build.linkcheck import check_site
from generator.build.linkscan import scan
from tests import linkcheck_oracle as oracle


def _both(html: str):
    """(what the old collector found, what scan found); an error counts as "error"."""
    found = []
    for collect in (oracle.collect, scan):
        try:
            found.append(collect(html))
        except (AssertionError, ValueError):  # HTMLParser: AssertionError; scan: ValueError
            found.append("error")
    return found[0], found[1]


def test_every_page_of_the_bundled_site(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 50
    links = 0
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        old, new = _both(text)
        assert new == old, page
        links += len(new[0])
    assert links > 1000
    assert check_site(built_site) == oracle.check_site(built_site) == []


TRICKY = [
    # scripts and styles: what looks like a tag in their bodies is text
    '<script>var a = "<a href=\'x\'>"; if (a<b) {}</script><a href="y">y</a>',
    '<script type="text/javascript">document.write("<a href=\\"no\\">")</script >'
    '<a href="after">a</a>',
    "<SCRIPT>x = '<a id=no>'</ScRiPt><p id=yes>",
    "<style>a[href='x'] { } </style><a href=ok>",
    "<script/><a href=after-empty-script>",  # an empty script tag: no body
    "<script src='s.js'>let s = '</scrip' + 't>'; '<a href=no>'</script><a href=y>",
    "<script>never closed <a href=no>",
    "<scripts><a href=yes></scripts>",  # not a script
    # comments, declarations, processing instructions
    "<!-- <a href='no'> --><a href='yes'>",
    "<!-- unterminated <a href='no'>",
    "<!-- a -- b --  ><a href=after>",
    "<!DOCTYPE html><html lang=en><a href=x>",
    "<!doctype html <a href=inside-doctype>",
    "<?xml version='1.0'?><a href=x>",
    "<![CDATA[ <a href=no> ]]><a href=yes>",
    "<![if !IE]><a href=x><![endif]>",
    "<![bogus <a href=x>",
    "<!><a href=x></>",
    "</a href=no><a href=yes></p",
    # quotes, entities, case, values missing
    "<a href='single' id=\"double\" name=bare>",
    '<a href="a&amp;b&lt;&#39;&#x41;&nosuch;&amp">',
    '<a href="?q=1&amp;p=2#frag&eacute;">',
    '<A HREF="UP" ID="Up" NAME="n">',
    "<a href id name>",  # no values: None, passed over
    '<a href="">',
    "<a href = 'spaced'  id =  x >",
    "<a href=='two-equals'>",
    "<div name=not-an-id><a name=an-id></div>",
    "<img src=x.png/><img src=y.png />",
    '<a title="x href=no" href="yes">',
    "<a title='>' href=after-gt>",
    "<a\nhref\n=\n'newlines'\n>",
    '<a href="x"id="adjacent">',
    "<a/href=slash>",
    "<a href=x/ id=y>",
    '<a href="one" href="two">',
    "<a id=1 id=2 id=3 href=a src=b name=c>",
    # tags HTMLParser takes for text, or cannot finish
    "<a href=x <b href=y>",
    "<a\x00href=x><b href=ok>",
    "<a href='unterminated>",
    "<a href=x",
    "<a href=x/",
    "< a href=not-a-tag><a href=yes>",
    "a < b and c<d> <a href=x>",
    "<",
    "<a\u00a0href=x>",
    "<a href=x\x0bid=y>",
    "&lt;a href=x&gt;",
]


@pytest.mark.parametrize("html", TRICKY)
def test_tricky_markup(html):
    old, new = _both(html)
    assert new == old


_PIECES = [
    "<a",
    "<A ",
    "<div",
    "<script>",
    "</script>",
    "<style>",
    "</style >",
    "<script/>",
    " href=",
    " HREF=",
    " src=",
    " id=",
    " name=",
    " title=",
    "=",
    "==",
    '"',
    "'",
    "x",
    "y",
    " ",
    "\n",
    "/",
    ">",
    "/>",
    "<!--",
    "-->",
    "--",
    "<!",
    "<![CDATA[",
    "]]>",
    "<?",
    "</",
    "&amp;",
    "&",
    "&#39;",
    "#",
    "\x00",
    "\t",
    "\x0b",
    "\u00a0",
    "<",
    "a",
    "id",
    "href",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_generated_markup(html):
    old, new = _both(html)
    assert new == old
