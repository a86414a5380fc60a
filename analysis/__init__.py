"""Analysis: pure functions answering bargaining questions over the warehouse's public views."""
