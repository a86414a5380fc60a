"""Every vocabulary code has words, and tables shown to people carry no codes."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import labels
from etl import records

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
