"""The one way several citations are joined, read back, numbered on a page, and the State
Controller's citation (etl/citations.py); the handout and the site number alike:
tests/test_handout.py."""

from __future__ import annotations

import math

from etl.citations import SourceList, gcc_ref, join_refs, split_refs

A = "sonoma_seiu707_mou_2002_2008.txt:1820 §Appendix A"
B = "upload3-schedule.pdf:57 §p. 2, row 14, column Step 3"


def test_join_keeps_each_citation_once_in_order_and_leaves_out_empty_ones():
    assert join_refs([A, B, A, "", None, "  ", math.nan]) == f"{A}; {B}"
    assert join_refs([]) == ""


def test_split_reads_back_what_join_wrote():
    refs = [B, A, gcc_ref("2016_SuperiorCourt.zip", 1)]
    assert split_refs(join_refs(refs)) == refs
    assert join_refs(split_refs(join_refs(refs))) == join_refs(refs)


def test_split_of_nothing_is_no_citation():
    assert split_refs(None) == split_refs(math.nan) == split_refs("  ") == []
    assert split_refs(f" {A} ;  ; {A}") == [A]  # stray spaces, an empty part, a repeat


def test_a_user_section_with_commas_and_colons_stays_one_citation():
    assert split_refs(B) == [B]


def test_gcc_citation_names_the_file_and_the_import():
    assert gcc_ref("2016_SuperiorCourt.zip", 1) == "2016_SuperiorCourt.zip (import #1)"


def test_a_source_keeps_its_number_on_the_page():
    page = SourceList()
    assert page.number(join_refs([A, B])) == [1, 2]
    assert page.number(B) == [2]
    assert page.number(None) == []
    assert page.refs == [A, B]
