"""The user's own data: saved scenarios, class-match decisions, uploaded survey data, imported
agreements and the log of who changed what. Kept in its own SQLite file (`BARGAIN_USER_DB`),
apart from the rebuilt reference warehouse, so it survives every rebuild, restart and upgrade.
"""
