"""The one decoder (etl/uploads/decoding.py): the line rule, the same decisions over a stream
in any chunking as over the whole file, and line numbers as the csv module counts them."""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.uploads.decoding import CP1252, MIXED, UTF8, LineDecoder, decode_bytes


def test_each_line_is_decided_alone():
    data = (
        b"ascii\r\n"
        + "Café\r\n".encode()
        + b"Ca\xf1ada\n"  # Windows-1252
        + "Señor ".encode()
        + b"\xe9\r"  # UTF-8 beside a stray byte: neither
        + b"x\x96y"  # Windows-1252, no line end
    )
    d = decode_bytes(data)
    assert d.text == "ascii\r\nCafé\r\nCañada\nSeñor \udce9\rx–y"
    assert d.report.cp1252 == [3, 5] and d.report.mixed == [4]
    assert d.report.lines == 5 and d.encoding == MIXED


def test_windows_1252_lines_keep_their_numbers_across_ascii_lines_and_cr_ends():
    # found by the chunking property below: line 2 is ASCII between two CR / LF line ends
    assert decode_bytes(b"\xe9\r0\n\xe9\n").report.cp1252 == [1, 3]
    assert decode_bytes(b"\xe9\r\n\r\n\r\xe9").report.cp1252 == [1, 4]


def test_the_file_encoding_in_words():
    assert decode_bytes(b"a\nb\n").encoding == UTF8
    assert decode_bytes("a\né\n".encode()).encoding == UTF8
    assert decode_bytes(b"a\n\xe9\n").encoding == CP1252
    assert decode_bytes("é\n".encode() + b"\xe9\n").encoding == MIXED


def test_a_bom_is_dropped_and_undefined_bytes_follow_the_policy():
    assert decode_bytes("\ufeffa,b\n".encode()).text == "a,b\n"
    assert decode_bytes(b"x\x81\n").text == "x\udc81\n"  # kept for the caller to refuse
    out = []
    dec = LineDecoder(undefined="latin1", write=out.append)
    dec.feed(b"x\x81\n")
    dec.finish()
    assert b"".join(out).decode() == "x\x81\n"


def test_a_utf8_block_is_passed_through_as_it_is():
    out = []
    dec = LineDecoder(write=out.append)
    chunk = "Café\n".encode() * 1000
    dec.feed(chunk)
    (view,) = out
    assert isinstance(view, memoryview) and view.obj is chunk and view.tobytes() == chunk


_LINES = st.lists(
    st.one_of(
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8).map(
            str.encode
        ),
        st.text("abcé–’ñ", max_size=8).map(lambda t: t.encode("cp1252")),
        st.binary(max_size=6),
    ),
    max_size=12,
)
_ENDS = st.lists(st.sampled_from([b"\n", b"\r\n", b"\r"]), min_size=12, max_size=12)


def _clean(line: bytes) -> bytes:
    return line.replace(b"\r", b"").replace(b"\n", b"")


@settings(max_examples=300, deadline=None)
@given(lines=_LINES, ends=_ENDS, cuts=st.lists(st.integers(1, 7), min_size=1, max_size=40))
def test_a_stream_in_any_chunking_decides_as_the_whole_file(lines, ends, cuts):
    data = b"".join(_clean(ln) + e for ln, e in zip(lines, ends, strict=False))
    whole = decode_bytes(data, undefined="latin1")
    pieces = []
    dec = LineDecoder(undefined="latin1", keep=None, write=lambda b: pieces.append(bytes(b)))
    pos, k = 0, 0
    while pos < len(data):
        step = cuts[k % len(cuts)]
        dec.feed(data[pos : pos + step])
        pos, k = pos + step, k + 1
    dec.finish()
    assert b"".join(pieces) == whole.text.encode("utf-8", "surrogateescape")
    got, want = dec.report, whole.report
    assert (got.cp1252, got.mixed, got.lines) == (want.cp1252, want.mixed, want.lines)


@settings(max_examples=200, deadline=None)
@given(lines=_LINES, ends=_ENDS)
def test_line_numbers_are_the_csv_readers(lines, ends):
    data = b"".join(_clean(ln).replace(b'"', b"") + e for ln, e in zip(lines, ends, strict=False))
    d = decode_bytes(data)
    reader = csv.reader(io.StringIO(d.text, newline=""))
    for _ in reader:
        pass
    assert reader.line_num == d.report.lines
    for n in d.report.cp1252:  # the n-th line holds what Windows-1252 made of it
        line = data.splitlines()[n - 1]
        text_lines = re.split(r"\r\n|\r|\n", d.text)
        assert text_lines[n - 1] == line.decode("cp1252", "surrogateescape")


def test_a_long_line_without_a_line_end_is_bounded(monkeypatch):
    from etl.uploads import decoding

    monkeypatch.setattr(decoding, "MAX_CARRY", 100)
    out = []
    dec = LineDecoder(write=out.append)
    for _ in range(10):
        dec.feed(b"a" * 60)
        assert len(dec._carry) <= 100
    dec.finish()
    assert b"".join(out) == b"a" * 600 and dec.report.lines == 1
