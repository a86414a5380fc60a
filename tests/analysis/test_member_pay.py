"""A member's pay through the term (analysis/member/pay.py): it starts on the as-of date and
dates each change on its own day."""

from __future__ import annotations

from datetime import date

from analysis import steps
from analysis.member.pay import my_pay


def test_the_path_starts_on_the_as_of_date_and_dates_each_raise_on_its_day(con):
    code = steps.find_class(con, "Sonoma", "eligibility worker ii")
    me = my_pay(con, "Sonoma", code, date(2004, 7, 1), hire_date=date(2003, 1, 15))
    rows = me.through_term[["date", "step", "schedule_date", "event"]].head(4)
    assert [(r.date.date(), r.step, r.event) for r in rows.itertuples()] == [
        (date(2004, 7, 1), "C", "on the as-of date"),  # hired 1/15/2003: C since 7/15/2003
        (date(2004, 7, 15), "E", "merit to step E"),
        (date(2005, 6, 21), "E", "schedule of 2005-06-21"),  # its own day, not 7/15/2005
        (date(2005, 7, 15), "G", "merit to step G"),
    ]
    assert me.through_term["hourly"].iloc[0] == me.now["hourly"]


def test_from_a_step_the_path_starts_on_the_as_of_date_not_at_a_hire(con):
    me = my_pay(con, "Sonoma", "0402", date(2004, 6, 22), step="C")
    first = me.through_term.iloc[0]
    assert (first["date"].date(), first["step"], first["event"]) == (
        date(2004, 6, 22),
        "C",
        "on the as-of date",
    )
