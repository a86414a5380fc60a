"""The member site: a static, cited pay lookup written from the warehouse (`bargain
publish DIR`). Plain HTML and CSS with one small local search script, relative links only
and no outside URL, so the folder can be served by any web server or copied anywhere.

- build.py: the command's library function (`publish`), which agencies and classes, in
  parallel;
- class_page.py: one class's page (analysis.member.class_figures, the My pay page's figures);
- index_pages.py: the front page, one page per agency, the search index;
- html.py, assets.py, paths.py, quotes.py: escaping and tables, the stylesheet and script,
  file names and relative links, the text of cited lines;
- writer.py, manifest.py: the folder written whole or not at all, and what it holds.
"""
