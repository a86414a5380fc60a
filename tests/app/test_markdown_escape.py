"""User text shown through Markdown cannot become a link, an image or LaTeX."""

from app_pages.common import md_escape


def test_links_images_and_latex_are_inert():
    out = md_escape("[x](http://evil) ![i](http://evil/i.png) $x$ *b*")
    assert "](" not in out.replace("\\](", "").replace("\\(", "")
    for token in ("\\[", "\\]", "\\(", "\\!", "\\$", "\\*"):
        assert token in out
