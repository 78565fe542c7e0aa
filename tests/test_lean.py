"""Lean records (generator.record.lean): the same data as the validated models, read-only,
and smaller."""

from __future__ import annotations

import json
import pickle
import tracemalloc

import pytest

from generator.record import lean
from generator.record.store import load_records, to_json
from tests.conftest import CONTENT
from tests.factories import make_item, make_record, seed_like_record


def test_bundled_records_dump_as_their_models():
    models, errors = load_records(CONTENT / "records")
    leans, _ = load_records(CONTENT / "records", lean=True)
    assert models and not errors and len(leans) == len(models)
    for m, r in zip(models, leans, strict=True):
        assert lean.dump(r) == m.model_dump(mode="json")
        assert to_json(r) == to_json(m)
        assert r.decision_summary == m.decision_summary
        assert [(p, lean.dump(c)) for p, c in r.items[0].citations] == [
            (p, c.model_dump(mode="json")) for p, c in m.items[0].citations
        ]


def test_a_lean_record_is_read_only_comparable_and_pickles():
    record = lean.lean(seed_like_record())
    with pytest.raises(AttributeError):
        record.id = "CM15-0000000"
    assert record == lean.lean(seed_like_record())
    assert record != lean.lean(make_record(items=[make_item(decision="overturned")]))
    assert pickle.loads(pickle.dumps(record)) == record
    citation = record.items[0].citations[0][1]
    assert hash(citation) == hash(lean.lean(seed_like_record()).items[0].citations[0][1])


def test_lean_records_share_strings_and_take_a_third_of_the_memory():
    models, _ = load_records(CONTENT / "records")
    text = [json.loads(to_json(m)) for m in models]
    del models

    def size(as_lean: bool) -> int:
        from generator.record.store import from_data

        tracemalloc.start()
        shared = lean.sharing()
        kept = [lean.lean(from_data(t), shared) if as_lean else from_data(t) for t in text]
        used = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        assert len(kept) == len(text)
        return used

    assert size(True) * 2.5 < size(False)
