"""The Costing page: page (the script app.py registers), state (session state and the scenario
being edited), builder and market (the kinds of change), roster, results, saved.
Widgets only: every number comes from analysis.costing."""
