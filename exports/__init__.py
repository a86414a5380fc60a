"""Exports: CSV and XLSX files of any table, the costing workbook and the handout, safe to open
in a spreadsheet.

May import: etl, analysis. Imported by: the app and the CLI."""
