"""The words for each code of the warehouse's vocabularies (etl/records.py), one dict per
vocabulary: `usd_per_pay_period` is "per pay period", `health_combined` is "medical, dental
and vision". etl/labels.py turns codes and tables into words with them; a test checks that
every vocabulary value has its words here."""

from __future__ import annotations

BASES = {
    "pct_of_base": "% of base pay",
    "usd_per_hour": "$ per hour",
    "usd_per_pay_period": "$ per pay period",
    "usd_per_month": "$ per month",
    "usd_per_year": "$ per year",
    "usd_per_day": "$ per day",
    "usd_per_shift": "$ per shift",
    "usd_per_event": "$ per event",
    "usd_one_time": "$ once",
    "pct_of_reference_rate": "% of a reference class's rate",
    "usd_per_mile": "$ per mile",
    "usd_cap": "$ at most (a cap)",
    "pct_of_cost_reimbursed": "% of the cost reimbursed",
    "hours_of_base_pay_per_event": "hours of base pay per event",
    "min_hours_per_event": "hours paid at least, per event",
    "overtime_hours_per_pay_period": "overtime hours per pay period",
    "hours_of_reference_rate_per_day": "hours of a reference class's rate per day",
    "pct_of_gap_to_reference_rate": "% of the gap to a reference class's rate",
    "pct_of_base_in_range": "% of base, built into the range",
}
BENEFITS = {
    "medical": "medical",
    "dental": "dental",
    "vision": "vision",
    "health_combined": "medical, dental and vision",
    "medical_copay": "medical co-pay",
    "medical_premium_increase": "medical premium increase",
    "deferred_comp": "deferred compensation",
    "pst_457": "457 plan (PST)",
    "life_insurance": "life insurance",
    "long_term_disability": "long-term disability",
    "eap": "employee assistance program",
    "retirement": "retirement",
    "housing_assistance": "housing assistance fund",
}
AMOUNT_PERIODS = {
    "hour": "per hour",
    "pay_period": "per pay period",
    "month": "per month",
    "year": "per year",
    "one_time": "once",
    "visit": "per visit",
    "office_visit": "per office visit",
    "prescription": "per prescription",
}
TOPICS = {
    "merit": "merit steps",
    "survey_methodology": "salary survey method",
    "reopener": "reopeners",
    "telework": "telework",
    "step_placement": "step placement",
    "probation": "probation",
    "leave": "leave",
    "other": "other",
}
WAGE_KINDS = {
    "general": "general increase",
    "market": "market or equity adjustment",
    "one_time": "one-time payment",
    "level": "salary levels",
}
TIME_OFF_KINDS = {
    "vacation": "vacation",
    "sick": "sick leave",
    "holiday": "holidays",
    "floating_holiday": "floating holiday",
    "personal": "personal leave",
    "bereavement": "bereavement leave",
    "wellness": "wellness leave",
    "pto": "paid time off",
    "compensatory_time": "compensatory time (cap)",
    "flexible_time_off": "flexible time off (cap)",
    "voluntary_time_off": "voluntary time off (unpaid)",
    "jury_duty": "jury duty",
    "witness": "witness leave",
    "voting": "time off to vote",
    "blood_donation": "blood donation",
    "moving": "moving leave",
}
MATCH_METHODS = {
    "user_confirmed": "confirmed by you",
    "user_manual": "picked by you",
    "override": "curated override",
    "exact": "same title",
    "fuzzy": "similar title",
    "none": "no comparable class",
    "uploaded": "uploaded survey value",
}
AUDIT_CHECKS = {
    "a_step_change": "A-step change",
    "step_ratio": "5% steps",
    "biweekly_80x": "biweekly = 80 × hourly",
}
PARTS = {
    "base_wages": "base wages",
    "step_movement": "step movement",
    "premiums": "premiums",
    "overtime": "overtime",
    "one_time": "one-time payments",
    "rollups": "roll-ups",
}
EMPLOYEE_GROUPS = {
    "extra_help": "extra-help employees",
    "part_time": "part-time employees without Social Security",
    "leave_without_pay": "employees on leave without pay",
    "vdt_users": "VDT users",
}
# Coverage tiers of a health premium (a rate sheet's columns), and the ways rate sheets and
# agreements write them, in the folded form etl/benefit_pricing.tier_code compares: lower
# case, '&' and 'plus' as '+', parentheses and every other character but letters, digits and
# '+' dropped ("Employee + Child(ren)" -> "employee+children").
COVERAGE_TIERS = {
    "employee_only": "Employee only",
    "employee_plus_one": "Employee + 1",
    "employee_plus_children": "Employee + children",
    "family": "Family",
}
TIER_WORDS = {
    **dict.fromkeys(
        ("employeeonly", "employee", "single", "eeonly", "ee", "self", "selfonly", "subscriber"),
        "employee_only",
    ),
    **dict.fromkeys(
        (
            "employee+1",
            "employee+one",
            "ee+1",
            "self+1",
            "twoparty",
            "2party",
            "employee+spouse",
            "employee+partner",
            "employee+domesticpartner",
            "employee+spousepartner",
            "employee+spousedomesticpartner",
            "ee+spouse",
        ),
        "employee_plus_one",
    ),
    **dict.fromkeys(
        ("employee+children", "employee+child", "ee+children", "ee+child", "employee+kids"),
        "employee_plus_children",
    ),
    **dict.fromkeys(
        (
            "family",
            "employee+family",
            "ee+family",
            "self+family",
            "selfandfamily",
            "employee+2ormore",
            "employee+2",
            "ee+2",
            "ee+2ormore",
        ),
        "family",
    ),
}
VOCABULARIES: dict[str, dict[str, str]] = {
    "part": PARTS,
    "basis": BASES,
    "benefit": BENEFITS,
    "amount_period": AMOUNT_PERIODS,
    "topic": TOPICS,
    "kind": {**WAGE_KINDS, **TIME_OFF_KINDS},
    "method": MATCH_METHODS,
    "check": AUDIT_CHECKS,
    "employee_group": EMPLOYEE_GROUPS,
}
