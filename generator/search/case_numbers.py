"""Case numbers -> determinations, for the header search. Pure.

A case number typed into the header search ("CM16-0213037", any case, with or without
the hyphen) always leads to its determination, or says plainly that the archive does not
hold it, whether or not the header search's index holds the determination
(theme/assets/javascripts/imr-search-link.js). The lookup is static files in
`case-numbers/`: `index.json` names the buckets that exist (`{"key_length": 8,
"buckets": ["CM16-021", ...]}`), and each bucket `<key>.json` maps the case numbers
starting with its key to their record ids. A lookup reads two small files at any archive
size (about 200 case numbers a bucket at 100,000 determinations).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable

from generator.record.models import Determination

CASE_DIR = "case-numbers"
KEY_LENGTH = 8  # "CM16-021"
CASE_NUMBER = re.compile(r"CM\d{2}-\d{7}")


def _dumps(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("ascii")


def case_number_files(records: Iterable[Determination]) -> dict[str, bytes]:
    """Site path -> bytes of the lookup files (index.json and one file per bucket)."""
    buckets: dict[str, dict[str, str]] = defaultdict(dict)
    for r in records:
        case = (r.case_number or r.id).upper()
        if CASE_NUMBER.fullmatch(case):
            buckets[case[:KEY_LENGTH]][case] = r.id
    out = {
        f"{CASE_DIR}/index.json": _dumps({"key_length": KEY_LENGTH, "buckets": sorted(buckets)})
    }
    for key, ids in buckets.items():
        out[f"{CASE_DIR}/{key}.json"] = _dumps(ids)
    return out
