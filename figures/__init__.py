"""Plotly figures as pure functions of DataFrames (the app shows them; tests read them).

May import: etl (labels), analysis. Imported by: the app."""
