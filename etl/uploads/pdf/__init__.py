"""Uploaded PDF tables: the pages read with pdfplumber (pages.py) into words and lines
(lines.py), the lines laid into the columns of the table's header as one `Table` (grid.py),
and the limits that stop a PDF bomb while pdfminer reads it (limits.py). Imports the etl
foundation and etl/uploads/table.py, plus the header vocabulary of
etl/schedule_import/headers.py."""
