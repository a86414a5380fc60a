"""Analysis: pure functions answering bargaining questions over the warehouse's public views.

Flat modules for the single questions (agencies, steps, inflation, total_comp, member, ...),
packages for the larger ones: market/, crosswalk/, costing/, scenario/, roster/.
May import: etl/. Never Streamlit, never userdata: the user's rows come in as arguments."""
