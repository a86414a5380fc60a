"""The Add an agreement page's parts: the mapping step's widget state turned into the reader's
choices (choices.py, pure), the dropdowns drawn (mapping_form.py) and what an import will
store, its problems and the downloads (review.py). The page is app_pages/agreements.py."""
