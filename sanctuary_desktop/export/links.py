"""Web addresses in PDFs: a video-call link printed as a link a reader can click.

reportlab's ``<a href>`` makes a link annotation for each line the address covers, so a
long Teams link, split across lines where it does not fit (the styles split long words),
still opens whole from any of its lines.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from sanctuary_desktop.export.pdf import ACCENT


def link_markup(url: str) -> str:
    """Paragraph markup for ``url``: shown as it is, underlined, and clickable."""
    return f"<a href={quoteattr(url)} color='{ACCENT.hexval()}'><u>{escape(url)}</u></a>"


def join_markup(url: str, words: str = "Join the call") -> str:
    """ "Join the call: https://…" as Paragraph markup, or "" when there is no link."""
    if not url:
        return ""
    return f"<b>{escape(words)}:</b> {link_markup(url)}"
