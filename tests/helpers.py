"""Helpers shared by the tests (not shipped in the package)."""

from __future__ import annotations

import gzip
import json


def unpack(blob: bytes) -> object:
    """A file of the determination search's index (gzip'd JSON) read back."""
    return json.loads(gzip.decompress(blob).decode("utf-8"))
