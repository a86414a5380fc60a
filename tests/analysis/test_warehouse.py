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
