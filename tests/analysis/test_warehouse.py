"""Schedule browsing: the wide table marks derived steps in its headers."""

from datetime import date

import pytest

from analysis import warehouse


def test_sonoma_wide_schedule_marks_derived_steps(con):
    long = warehouse.schedule(con, "Sonoma", date(2002, 7, 23), "0001", "ACCOUNT CLERK I")
    wide = warehouse.schedule_wide(long, "hourly")
    row = wide.set_index("class_code").loc["0401"]
    assert row["A"] == pytest.approx(13.60)
    assert row["I (derived)"] == pytest.approx(round(13.60 * 1.025**8, 2))
    assert "B" not in wide.columns


def test_derived_schedule_date_marks_every_step(con):
    long = warehouse.schedule(con, "Sonoma", date(2007, 6, 19), None, "0401")
    wide = warehouse.schedule_wide(long, "annual")
    assert "A (derived)" in wide.columns
    # 1457 (6/22/04) x 1.035^3, rounded half up to the cent at each derived date.
    a = 1457
    for _ in range(3):
        a = int(a * 1.035 + 0.5)
    assert wide.set_index("class_code").loc["0401", "A (derived)"] == pytest.approx(a / 100 * 2080)


def test_unknown_pay_basis_is_refused(con):
    long = warehouse.schedule(con, "Sonoma", date(2002, 7, 23), None, "0401")
    with pytest.raises(ValueError):
        warehouse.schedule_wide(long, "weekly")


def test_schedule_table_is_the_wide_table_with_a_derivation_example(con):
    wide, example = warehouse.schedule_table(
        con, "Sonoma", date(2002, 7, 23), "0001", "ACCOUNT CLERK I", "hourly"
    )
    long = warehouse.schedule(con, "Sonoma", date(2002, 7, 23), "0001", "ACCOUNT CLERK I")
    assert wide.equals(warehouse.schedule_wide(long, "hourly"))
    # the B-I steps of 0401 are derived from its A step (Art. 3.2): the example says how
    assert len(example) == 1 and example["derivation"].iloc[0]
    # the row cites its printed A step, not a derived one
    src = wide.set_index("class_code").loc["0401", "source_ref"]
    assert src == long[(long["class_code"] == "0401") & (long["step"] == "A")]["source_ref"].iloc[0]
