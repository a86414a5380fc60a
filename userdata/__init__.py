"""The user's own data: saved scenarios, class-match decisions, uploaded survey data, imported
agreements and the log of who changed what. Kept in its own SQLite file (`BARGAIN_USER_DB`),
apart from the rebuilt reference warehouse, so it survives every rebuild, restart and upgrade.

May import: etl, analysis (a saved scenario is checked by analysis.scenario). Imported by:
the app and the CLI; never by etl/ or analysis/ (warehouse.py hands the build its imports).
"""
