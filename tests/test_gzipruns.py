"""Runs of text compressed alone, joined into one gzip member (generator/pages/gzipruns.py):
every gzip reader, including those that read one member only, reads the whole text."""

from __future__ import annotations

import gzip
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pages.gzipruns import crc32_combine, deflated, gzip_of_runs


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.binary(max_size=3000))
def test_crc32_combine_is_the_crc_of_the_joined_bytes(a, b):
    assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=4000), max_size=12))
def test_runs_joined_are_one_gzip_member_of_the_whole_text(texts):
    data = gzip_of_runs([deflated(t.encode("utf-8")) for t in texts])
    whole = "".join(texts).encode("utf-8")
    assert gzip.decompress(data) == whole
    assert zlib.decompress(data, 31) == whole  # a reader of the first member only
    d = zlib.decompressobj(31)
    assert d.decompress(data) == whole and d.eof and d.unused_data == b""
    assert data[:2] == b"\x1f\x8b" and data[4:8] == b"\0\0\0\0"  # no time in it
