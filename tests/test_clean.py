"""Each cleaning step alone, on the artifacts of real PDF text."""

from generator.letters import clean


def test_normalize_newlines_crlf_cr_formfeed():
    assert clean.normalize_newlines("a\r\nb\rc\fd\ufeff") == "a\nb\nc\nd"


def test_redaction_gap_inside_a_line():
    assert clean.mark_redactions("It was noted that  is also a") == (
        "It was noted that [redacted] is also a"
    )


def test_redaction_gap_at_line_end_and_empty_commas():
    text = "referred to  \n for treatment\nspecialist, , \nwho"
    out = clean.mark_redactions(text)
    assert "referred to [redacted]\n" in out
    assert "specialist, [redacted], \nwho" in out


def test_sentence_spacing_is_not_a_redaction():
    text = "is unclear.  There is noted.  \nNext"
    assert clean.mark_redactions(text) == text


def test_colon_spacing_is_not_a_redaction():
    text = "Spine consultant w/non MPN :  Upheld"
    assert clean.mark_redactions(text) == text


def test_drop_page_furniture_keeps_first_case_line():
    text = "Case Number:  CM14-0123456\nbody\nPage 2 of 4\nCase Number: CM14-0123456\nmore\n- 3 -"
    assert clean.drop_page_furniture(text).split("\n") == [
        "Case Number:  CM14-0123456",
        "body",
        "more",
        "",
    ]


def test_page_break_inside_double_spaced_paragraph_stays_one_paragraph():
    text = "CM14-0123456\n\nfirst half\n\nPage 1 of 2\n\nCase Number: CM14-0123456\n\nsecond\n\n"
    out = clean.collapse_double_spacing(clean.drop_page_furniture(text))
    assert out == "CM14-0123456\nfirst half\nsecond\n"


def test_redaction_after_a_title():
    assert clean.mark_redactions("seen by Dr.  , who") == "seen by Dr. [redacted] , who"


def test_collapse_double_spacing():
    text = "line one\n\nline two\n\n\n\nnext para\n\nmore\n"
    assert clean.collapse_double_spacing(text) == "line one\nline two\n\nnext para\nmore\n"


def test_single_spaced_text_keeps_paragraphs():
    text = "a\nb\n\n\nc\nd\n"
    assert clean.collapse_double_spacing(text) == "a\nb\n\nc\nd\n"


def test_join_lines_keeps_hyphen_splits():
    assert clean.join_lines("at C3-4, C4-5, T1-\n2, and T2-3") == "at C3-4, C4-5, T1-2, and T2-3"
    assert clean.join_lines("pages 303-\n304") == "pages 303-304"
    assert clean.join_lines("work-\nrelated injury") == "work-related injury"


def test_join_lines_tidies_redaction_punctuation():
    assert clean.join_lines("with [redacted]\n., indicated") == "with [redacted], indicated"
    assert clean.join_lines("with [redacted]\n, also a") == "with [redacted], also a"


def test_clean_seed_has_no_double_spacing(seed_text=None):
    from tests.conftest import SEED_LETTER

    out = clean.clean(SEED_LETTER.read_text(encoding="utf-8"))
    assert "\n\n\n" not in out
    assert all(line == line.rstrip() for line in out.splitlines())
    assert "CLINICAL CASE SUMMARY\nThe expert reviewer" in out


def test_drop_controls_removes_control_and_bidi_characters():
    text = "Nor\u200eco\x01 10/325mg\u202e #120\u2066\x7f\x9b\tx\u061c\n"
    assert clean.drop_controls(text) == "Norco 10/325mg #120\tx\n"
    assert clean.drop_controls("a\x85b\u2028c\u2029d") == "a\nb\nc\nd"  # line breaks


def test_clean_leaves_no_control_character():
    text = "Case Number: CM14-0123456\x1b\nbody\u200f text\x00\x08\n"
    assert clean.clean(text) == "Case Number: CM14-0123456\nbody text\n"
