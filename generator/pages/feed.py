"""The Atom feed (RFC 4287) of the newest determinations: `/feed.xml`. Pure.

Links are relative to the feed (`determinations/<id>/`), so the feed works from any
folder like the rest of the site; with the site's public address they are absolute.
Entry ids are the permalinks when the address is known, else `urn:imr-archive:<id>`
(an id must not change when the site moves). Dates come from the records, not the
clock: the same records give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from generator.pages import describe
from generator.pages.urls import determination_url
from generator.record.dating import UNDATED, sort_date
from generator.record.models import Determination

FEED_PATH = "feed.xml"
DEFAULT_FEED_SIZE = 50
_EPOCH = "1970-01-01T00:00:00Z"


def _stamp(day: dt.date) -> str:
    return _EPOCH if day == UNDATED else f"{day.isoformat()}T00:00:00Z"


# characters XML 1.0 does not allow (record text is a letter's, and may hold them)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _text(tag: str, value: str, indent: str = "    ") -> str:
    return f"{indent}<{tag}>{escape(_NOT_XML.sub(' ', value))}</{tag}>"


def _entry(record: Determination, site_url: str, site_name: str) -> list[str]:
    url = site_url + determination_url(record.id)
    ident = url if site_url else f"urn:imr-archive:{record.id}"
    lines = [
        "  <entry>",
        _text("title", describe.title(record)),
        f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
        _text("id", ident),
        _text("updated", _stamp(sort_date(record))),
        _text("summary", describe.summary(record)),
    ]
    if record.synthetic:
        lines.append('    <category term="synthetic" label="Synthetic record"/>')
    for category in dict.fromkeys(item.category for item in record.items):
        lines.append(f"    <category term={quoteattr(category)}/>")
    return [*lines, "  </entry>"]


def atom_feed(
    ordered: Sequence[Determination],
    *,
    site_name: str = "IMR Archive",
    site_url: str = "",
    size: int = DEFAULT_FEED_SIZE,
) -> bytes:
    """The feed of the `size` newest of `ordered` (newest first), as UTF-8 XML."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    newest = list(ordered[:size])
    updated = _stamp(sort_date(newest[0])) if newest else _EPOCH
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        _text("title", f"{site_name}: newest determinations", "  "),
        _text("subtitle", "California workers' compensation IMR final determinations", "  "),
        f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(base + FEED_PATH)}/>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(base or './')}/>",
        _text("id", base + FEED_PATH if base else "urn:imr-archive:feed", "  "),
        _text("updated", updated, "  "),
        "  <author>",
        _text("name", site_name),
        "  </author>",
        _text("generator", "imr-archive", "  "),
    ]
    for record in newest:
        lines += _entry(record, base, site_name)
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
