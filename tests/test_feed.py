"""The Atom feed (generator/pages/feed.py), validated against the Atom RELAX NG schema
(RFC 4287 Appendix B, tests/data/atom.rnc) with lxml; its links resolve in the built site."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import rnc2rng
from lxml import etree

from generator.pages.feed import atom_feed
from generator.record.dating import newest_first
from tests.factories import make_item, make_record

ATOM_RNC = Path(__file__).parent / "data" / "atom.rnc"
NS = {"a": "http://www.w3.org/2005/Atom"}


@lru_cache(maxsize=1)
def atom_schema() -> etree.RelaxNG:
    rng = rnc2rng.dumps(rnc2rng.load(str(ATOM_RNC)))
    # rnc2rng declares `namespace local = ""` as xmlns:local="", which XML forbids;
    # the schema names that namespace by nsName ns="" anyway
    rng = rng.replace(' xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(rng.encode("utf-8")))


def _valid(data: bytes) -> etree._Element:
    doc = etree.fromstring(data)
    schema = atom_schema()
    assert schema.validate(doc), schema.error_log
    return doc


def test_schema_rejects_a_bad_feed():
    bad = etree.fromstring(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>')
    assert not atom_schema().validate(bad)


def test_feed_is_valid_atom_newest_first():
    recs = newest_first(
        make_record(items=[make_item(f"s{i} <b>&\x0b")], decision_date=dt.date(2016, 1, 1 + i))
        for i in range(5)
    )
    doc = _valid(atom_feed(recs, size=3))
    entries = doc.findall("a:entry", NS)
    assert len(entries) == 3
    assert [e.findtext("a:updated", namespaces=NS) for e in entries] == [
        "2016-01-05T00:00:00Z",
        "2016-01-04T00:00:00Z",
        "2016-01-03T00:00:00Z",
    ]
    assert doc.findtext("a:updated", namespaces=NS) == "2016-01-05T00:00:00Z"
    link = entries[0].find("a:link", NS).get("href")
    assert link == f"determinations/{recs[0].id}/"
    assert entries[0].findtext("a:id", namespaces=NS) == f"urn:imr-archive:{recs[0].id}"


def test_feed_with_site_url_uses_permalinks():
    recs = [make_record()]
    doc = _valid(atom_feed(recs, site_url="https://example.org/imr"))
    entry = doc.find("a:entry", NS)
    url = f"https://example.org/imr/determinations/{recs[0].id}/"
    assert entry.find("a:link", NS).get("href") == url
    assert entry.findtext("a:id", namespaces=NS) == url


def test_empty_feed_is_valid():
    _valid(atom_feed([]))


def test_built_feed_valid_and_links_resolve(built_site: Path):
    data = (built_site / "feed.xml").read_bytes()
    doc = _valid(data)
    hrefs = [el.get("href") for el in doc.iter("{http://www.w3.org/2005/Atom}link")]
    assert len(doc.findall("a:entry", NS)) == 50
    base = "http://site.invalid/feed.xml"
    for href in hrefs:
        path = urlsplit(urljoin(base, href)).path.lstrip("/")
        target = built_site / path
        if path == "" or path.endswith("/"):
            target = target / "index.html"
        assert target.is_file(), href
