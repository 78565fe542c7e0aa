"""Original letters published beside their pages (generator/build/letters.py), and the
link check's rule that every folder of pages has an index page."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.build import letters
from generator.build.letters import candidates, copy_letters, find_letter, find_letters
from generator.build.linkcheck import check_site, folders_without_index
from generator.record.models import Source
from tests.factories import make_record


def _with_letter(tmp_path: Path, data: bytes, rel: str = "content/letters/a/x.txt"):
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    return make_record(source=Source(path=rel, sha256=sha)), tmp_path / "content"


def test_found_when_unchanged(tmp_path):
    record, content = _with_letter(tmp_path, b"letter text")
    found = find_letter(record, content)
    assert found is not None and found.letter.name == f"{record.id}.txt"
    assert found.letter.size == len(b"letter text")


def test_pdf_named_pdf(tmp_path):
    record, content = _with_letter(tmp_path, b"%PDF-1.4 ...", "content/letters/a/x.bin")
    assert find_letter(record, content).letter.name.endswith(".pdf")


def test_changed_file_is_not_published(tmp_path):
    record, content = _with_letter(tmp_path, b"letter text")
    (content / "letters/a/x.txt").write_bytes(b"edited")
    assert find_letter(record, content) is None


def test_no_source_no_letter(tmp_path):
    assert find_letter(make_record(), tmp_path) is None


def test_found_in_a_moved_content_folder(tmp_path):
    """Ingested from elsewhere: the path below letters/ is looked for in content/letters."""
    data = b"moved letter"
    record = make_record(
        source=Source(path="../old/place/letters/b/y.txt", sha256=hashlib.sha256(data).hexdigest())
    )
    content = tmp_path / "content"
    (content / "letters/b").mkdir(parents=True)
    (content / "letters/b/y.txt").write_bytes(data)
    assert content / "letters/b/y.txt" in candidates(record.source.path, content, tmp_path)
    assert find_letter(record, content) is not None


def test_copied_beside_the_page(tmp_path):
    record, content = _with_letter(tmp_path, b"letter text")
    found = find_letters([record], content)
    site = tmp_path / "site"
    (site / "determinations" / record.id).mkdir(parents=True)
    (site / "determinations" / record.id / "index.html").write_text(
        f'<a href="{record.id}.txt">Original letter</a>'
    )
    (site / "index.html").write_text("<p>home</p>")
    (site / "determinations/index.html").write_text("<p>all</p>")
    assert copy_letters(found, site) == 1
    copied = site / "determinations" / record.id / f"{record.id}.txt"
    assert copied.read_bytes() == b"letter text"
    assert check_site(site) == []


def test_folder_without_index_fails_the_check(tmp_path):
    (tmp_path / "index.html").write_text("<p>home</p>")
    (tmp_path / "regions/knee/page").mkdir(parents=True)
    (tmp_path / "regions/knee/index.html").write_text("<p>knee</p>")
    (tmp_path / "regions/knee/page/2.html").write_text("<p>2</p>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets/app.js").write_text("")
    pages = sorted(tmp_path.rglob("*.html"))
    shown = [b.page for b in folders_without_index(tmp_path, pages)]
    assert shown == ["regions/", "regions/knee/page/"]
    assert {b.page for b in check_site(tmp_path)} >= {"regions/", "regions/knee/page/"}


def test_remembered_hashes_are_used_only_while_the_file_is_unchanged(tmp_path, monkeypatch):
    from generator.build import letters

    record, content = _with_letter(tmp_path, b"letter text")
    memo_file = tmp_path / "cache" / "letter-hashes.json"
    memo = letters.HashMemo(memo_file)
    assert find_letter(record, content, memo) is not None
    memo.save()
    hashed = []
    real = letters.sha256_of
    monkeypatch.setattr(letters, "sha256_of", lambda p: hashed.append(p) or real(p))
    again = letters.HashMemo(memo_file)
    assert find_letter(record, content, again) is not None and hashed == []  # not read again
    (content / "letters/a/x.txt").write_bytes(b"edited, same size?")  # size and time change
    assert find_letter(record, content, letters.HashMemo(memo_file)) is None
    assert len(hashed) == 1


def test_a_letter_put_back_with_its_old_size_and_time_is_read_again(tmp_path):
    import os

    from generator.build import letters

    record, content = _with_letter(tmp_path, b"letter text")
    path = content / "letters/a/x.txt"
    memo_file = tmp_path / "cache" / "letter-hashes.json"
    memo = letters.HashMemo(memo_file)
    assert find_letter(record, content, memo) is not None
    memo.save()
    st = path.stat()
    path.write_bytes(b"LETTER TEXT")  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime (cp -p, touch -r)
    assert find_letter(record, content, letters.HashMemo(memo_file)) is None


_PART = st.sampled_from(["letters", "a", "b.txt", "x y", "letters2", "ü.pdf"])


@given(parts=st.lists(_PART, min_size=1, max_size=5),
       content=st.sampled_from([".", "content", "/srv/imr/content", "../c", "/"]),
       odd=st.sampled_from(["", "/", "./", "a/../", "a//", "//", "/srv/./", "/srv/"]))
def test_the_places_a_letter_is_looked_for_are_candidates_as_strings(parts, content, odd):
    source = odd + "/".join(parts)  # plain paths take a way without pathlib
    found = letters._places(source, Path(content), "/work/dir")
    assert found == [str(p) for p in candidates(source, Path(content), Path("/work/dir"))]


def test_letters_the_memo_knows_and_those_it_does_not_are_found_alike(tmp_path):
    made = [_with_letter(tmp_path, f"letter {k}".encode(), f"content/letters/{k}.txt")
            for k in range(6)]
    records, content = [r.model_copy(update={"id": f"CM20-000000{k}"})
                        for k, (r, _c) in enumerate(made)], made[0][1]
    (tmp_path / "content/letters/4.txt").write_bytes(b"changed")  # no longer its letter
    memo_file = tmp_path / "cache" / "letter-hashes.json"
    memo = letters.HashMemo(memo_file)
    for record in records[:3]:  # the memo knows three letters, not the others
        find_letter(record, content, memo)
    memo.save()
    found = find_letters(records, content, letters.HashMemo(memo_file))
    assert found == find_letters(records, content)  # without a memo
    assert list(found) == [r.id for k, r in enumerate(records) if k != 4]  # in their order
