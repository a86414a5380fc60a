"""Plotly figures as pure functions of DataFrames (the app shows them; tests read them)."""
