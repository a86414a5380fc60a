"""Every vocabulary code has words, and tables shown to people carry no codes."""

from __future__ import annotations

import pandas as pd
import pytest

from etl import labels, records

VOCABULARIES = [
    (records.PREMIUM_BASES, labels.BASES),
    (records.BENEFITS, labels.BENEFITS),
    (records.AMOUNT_PERIODS, labels.AMOUNT_PERIODS),
    (records.PROVISION_TOPICS, labels.TOPICS),
    (records.WAGE_KINDS, labels.WAGE_KINDS),
    (records.TIME_OFF_KINDS, labels.TIME_OFF_KINDS),
]


@pytest.mark.parametrize("codes,words", VOCABULARIES)
def test_every_code_has_words(codes, words):
    assert set(codes) <= set(words), sorted(set(codes) - set(words))
    assert all(w and "_" not in w for w in words.values())


def test_codes_become_words():
    assert labels.words("safety_boots_voucher_heavy_use") == "Safety boots voucher heavy use"
    assert labels.words("standby_erp") == "Standby ERP"
    assert labels.label("basis", "usd_per_pay_period") == "$ per pay period"
    assert labels.label("benefit", "health_combined") == "medical, dental and vision"
    assert labels.label("basis", None) == ""


def test_readable_tables():
    df = pd.DataFrame(
        {
            "premium": ["shift_evening"],
            "basis": ["pct_of_reference_rate"],
            "is_derived": [True],
            "derivation": ["from Art. 8.1"],
            "payroll_only": [False],
            "note": [None],
            "source_ref": ["x.txt:1 §1"],
        }
    )
    out = labels.readable(df)
    row = out.iloc[0]
    assert row["Premium"] == "Shift evening"
    assert row["Basis"] == "% of a reference class's rate"
    assert row["Derived"] == "derived: from Art. 8.1"
    assert row["Payroll code only"] == "" and row["Note"] == ""
    assert row["Source"] == "x.txt:1 §1"
    assert "How derived" not in out.columns


def test_readable_keeps_shape_index_attrs_and_repeated_names():
    # a column named twice used to crash it (df[name] is then a frame, not a column)
    """A table with an index that repeats, a column named twice and attrs: the same rows in the
    same order under the same index, both columns converted, the attrs kept, and the input
    left as it was."""
    df = pd.DataFrame(
        [["shift_evening", True, False], ["deferred_comp", None, True]],
        columns=["premium", "flag", "flag"],
        index=[7, 7],
    )
    df.attrs["note"] = "from Art. 8.1"
    before = df.copy()
    out = labels.readable(df, rename=False)
    assert list(out.columns) == ["premium", "flag", "flag"]
    assert list(out.index) == [7, 7]
    assert out.iloc[:, 0].tolist() == ["Shift evening", "Deferred comp"]
    assert out.iloc[:, 1].tolist() == ["yes", ""]
    assert out.iloc[:, 2].tolist() == ["", "yes"]
    assert out.attrs == {"note": "from Art. 8.1"}
    pd.testing.assert_frame_equal(df, before)
