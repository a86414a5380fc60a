"""app_pages/kept.py: values derived once per object, kept by its identity."""

from __future__ import annotations

from app_pages.kept import KeptByIdentity


def test_derived_once_per_object_and_extra_and_bounded():
    kept, calls = KeptByIdentity(max_entries=2), []

    def derive(tag):
        calls.append(tag)
        return tag

    a, b, c = object(), object(), object()
    assert kept.get(a, "x", lambda: derive("a-x")) == "a-x"
    assert kept.get(a, "x", lambda: derive("again")) == "a-x"
    assert kept.get(a, "y", lambda: derive("a-y")) == "a-y"  # another extra, another value
    kept.get(b, "x", lambda: derive("b-x"))  # a-x leaves: the least recently used
    assert kept.get(a, "x", lambda: derive("a-x2")) == "a-x2"
    assert calls == ["a-x", "a-y", "b-x", "a-x2"]
    kept.clear()
    assert kept.get(c, "x", lambda: derive("c-x")) == "c-x"
