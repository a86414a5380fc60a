"""Exports: CSV and XLSX files of any table and the costing workbook, safe to open in a
spreadsheet."""
