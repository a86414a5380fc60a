"""Agreement text: an agreement's words, line by line, with the article and section each line
belongs to, and a full-text search over them.

- `document.py`: the types (`TextLine`, `AgreementText`, `Section`, `Passage`).
- `reader.py`: a user's agreement from a PDF with a text layer (`pdf_text.py`, pypdf), a DOCX
  (`word_text.py`, python-docx) or plain text (`plain_text.py`), bounded by the limits of
  etl/defaults.py; every refusal is an `UploadError` naming the file (and the page).
- `outline.py`: articles and sections found from the numbering the document uses
  ("ARTICLE 12", "12.4", "Section 5.", "12.20.3", "3. Bilingual Pay" inside an article).
- `passages.py`: the searchable units (a line of a published agreement, a paragraph of an
  imported one), each knowing the lines (and pages) it covers; `published.py` makes them for
  the documents of data/raw/ at build time.
- `query.py` and `index.py`: a search typed by a user compiled into a SQLite FTS5 expression
  that cannot break its syntax, and the ranked, cited, highlighted hits.

Imports the etl foundation and etl/uploads/ (the upload error and the text decoder); no
Streamlit, no user data (imported texts come in as arguments).
"""
