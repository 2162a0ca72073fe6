"""The invoice PDF renders from the page alone: it never fetches a URL or a file."""

import pytest

from app.printable import _no_fetching


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "/static/x.css"]
)
def test_rendering_fetches_nothing(url):
    with pytest.raises(ValueError, match="invoice PDFs fetch nothing"):
        _no_fetching(url)
