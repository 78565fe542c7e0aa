"""gzip files made of runs of text compressed alone, so that a file can be made again from
the runs it had and the new ones, byte for byte what compressing it all would give
with the same runs. Pure.

A run compressed alone: raw deflate blocks (level 9) ending on a byte boundary with no
final block (Z_SYNC_FLUSH), the CRC-32 and the length of its text. Such runs joined
are one deflate stream (none refers back past its own start), so a download is one
gzip member: a gzip header, the runs, a final empty block, the CRC-32 of the whole
text (combined from the runs') and its length.
"""

from __future__ import annotations

import gzip
import struct
import zlib
from collections.abc import Sequence

Run = tuple[bytes, int, int]  # a run's deflate blocks, the CRC-32 and length of its text


def deflated(data: bytes) -> Run:
    """`data` compressed alone, to be joined with other runs (:data:`Run`)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH), zlib.crc32(data), len(data)


_GZ_HEADER = gzip.compress(b"", compresslevel=9, mtime=0)[:10]  # mtime 0, no name
_LAST_BLOCK = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # final, empty


def gzip_of_runs(parts: Sequence[Run]) -> bytes:
    """One gzip member holding the runs' texts one after the other (a file of no runs:
    the gzip of no text)."""
    crc, size = 0, 0
    for _data, part_crc, length in parts:
        crc, size = crc32_combine(crc, part_crc, length), size + length
    body = b"".join(data for data, _c, _n in parts)
    return _GZ_HEADER + body + _LAST_BLOCK + struct.pack("<LL", crc, size & 0xFFFFFFFF)


_POLY = 0xEDB88320


def _multmodp(a: int, b: int) -> int:
    """a x b modulo the CRC-32 polynomial (bit-reflected), as zlib's multmodp."""
    m, p = 1 << 31, 0
    while True:
        if a & m:
            p ^= b
            if a & (m - 1) == 0:
                return p
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1


def _x2n_table() -> list[int]:
    table, p = [], 1 << 30  # x^1
    for _ in range(32):
        table.append(p)
        p = _multmodp(p, p)
    return table


_X2N = _x2n_table()


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A + B from A's CRC-32, B's and B's length (zlib's crc32_combine)."""
    p, k, n = 1 << 31, 3, len2  # x^(8 * len2) modulo the polynomial
    while n:
        if n & 1:
            p = _multmodp(_X2N[k & 31], p)
        n >>= 1
        k += 1
    return _multmodp(p, crc1) ^ crc2
